#include "schemaactions.h"

#include "erdiagramview.h"
#include "historyexport.h"
#include "schemapanel.h"
#include "walkthrough.h"

#include "core/project.h"
#include "core/schema/schemamonitor.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QStatusBar>
#include <QStyle>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

SchemaActions::SchemaActions(QMainWindow *window, std::function<const Project *()> project)
    : QObject(window)
    , m_window(window)
    , m_project(std::move(project))
    , m_monitor(new SchemaMonitor(this))
    , m_panel(new SchemaPanel(m_monitor))
    , m_diagram(new ErDiagramView)
{
    connect(m_panel, &SchemaPanel::schemaShown, m_diagram, &ErDiagramView::setSchema);
    connect(m_panel, &SchemaPanel::waiting, m_diagram, &ErDiagramView::clear);
    connect(m_panel, &SchemaPanel::revisionActivated, this, &SchemaActions::revisionActivated);
    connect(m_monitor, &SchemaMonitor::progress, this,
            [this](int done, int total, const QString &revision) {
                if (!m_progress)
                    return;
                m_progress->setVisible(true);
                m_progress->setRange(0, total);
                m_progress->setValue(done);
                m_progress->setFormat(tr("Schema %v/%m"));
                m_progress->setToolTip(tr("Replaying the schema history on a scratch database: "
                                          "%1 of %2 (at %3)")
                                           .arg(done)
                                           .arg(total)
                                           .arg(revision));
                // Snapshots arrive as the replay goes: the one asked for may be ready.
                if (m_panel->caption().startsWith(tr("Waiting")))
                    m_panel->refresh();
            });
    connect(m_monitor, &SchemaMonitor::finished, this, [this](bool ok) {
        if (m_progress)
            m_progress->setVisible(false);
        m_panel->refresh();
        Q_EMIT diagnosticsChanged();
        if (!ok)
            Q_EMIT message(tr("The schema history could not be replayed: see Problems"));
    });
}

SchemaActions::~SchemaActions() = default;

void SchemaActions::install(QMenu *view, QMenu *file)
{
    m_schemaDock = new QDockWidget(tr("Schema"), m_window);
    m_schemaDock->setObjectName(QStringLiteral("schemaDock"));
    m_schemaDock->setWidget(m_panel);
    m_diagramDock = new QDockWidget(tr("Diagram"), m_window);
    m_diagramDock->setObjectName(QStringLiteral("diagramDock"));
    m_diagramDock->setWidget(m_diagram);
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_schemaDock);
    m_window->tabifyDockWidget(m_schemaDock, m_diagramDock);
    m_schemaDock->raise();

    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(true);
    m_progress->setVisible(false);
    m_window->statusBar()->addPermanentWidget(m_progress);

    view->addSeparator();
    QAction *schema = m_schemaDock->toggleViewAction();
    schema->setText(tr("&Schema"));
    schema->setShortcut(QKeySequence(Qt::ALT | Qt::Key_5));
    view->addAction(schema);
    QAction *diagram = m_diagramDock->toggleViewAction();
    diagram->setText(tr("&Diagram"));
    diagram->setShortcut(QKeySequence(Qt::ALT | Qt::Key_6));
    view->addAction(diagram);
    m_walk = new WalkThrough(m_monitor, m_window);
    m_walk->hide();
    m_window->installEventFilter(this);
    connect(m_walk, &WalkThrough::closeRequested, this, &SchemaActions::endWalkThrough);
    connect(m_walk, &WalkThrough::revisionChosen, this, [this](const QString &id) {
        endWalkThrough();
        Q_EMIT revisionActivated(id);
    });
    connect(this, &SchemaActions::gitFactsChanged, m_walk, &WalkThrough::setGitFacts);
    QAction *walk =
        view->addAction(tr("&Walk Through History"), this, &SchemaActions::startWalkThrough);
    walk->setObjectName(QStringLiteral("walkThroughAction"));
    walk->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    walk->setToolTip(tr("Present the history one revision per page (Shift+F5)"));

    m_exportAction = new QAction(tr("Export &History…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportHistoryAction"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportAction->setToolTip(
        tr("Save the history, what each revision changed and the schema at head as one "
           "self-contained HTML file, or as Markdown"));
    connect(m_exportAction, &QAction::triggered, this, &SchemaActions::exportHistoryAs);
    // Before the file menu's closing entries (Quit), when it has them.
    const QList<QAction *> entries = file->actions();
    QAction *before = entries.isEmpty() ? nullptr : entries.last();
    if (before && !before->isSeparator())
        for (qsizetype i = entries.size() - 1; i >= 0; --i)
            if (entries.at(i)->isSeparator()) {
                before = entries.at(i);
                break;
            }
    file->insertAction(before, m_exportAction);
}

void SchemaActions::exportHistoryAs()
{
    const Project *project = m_project();
    if (!project)
        return;
    const QString name = QFileInfo(project->config.projectDir).fileName();
    const QString html = tr("One HTML file (*.html)");
    const QString markdown = tr("Markdown with SVG files, in a new folder (*)");
    QString filter = html;
    QString target = QFileDialog::getSaveFileName(
        m_window, tr("Export History"),
        QDir(project->config.projectDir).filePath(name + QStringLiteral("-history.html")),
        html + QStringLiteral(";;") + markdown, &filter);
    if (target.isEmpty())
        return;
    const bool asMarkdown = filter == markdown;
    if (asMarkdown && target.endsWith(QStringLiteral(".html"), Qt::CaseInsensitive))
        target.chop(5);
    exportHistory(target, asMarkdown);
}

void SchemaActions::exportHistory(const QString &target, bool markdown)
{
    const Project *project = m_project();
    if (!project) {
        Q_EMIT exported(target, tr("no project is open"));
        return;
    }
    SchemaSource source = m_monitor->detachedSource();
    if (m_monitor->busy() && source.problem.isEmpty())
        source.problem = tr("The schema history was still being replayed when this was "
                            "exported: some revisions' changes are missing.");
    // The history graph is painted here (the window's delegate); the rest,
    // which reads every snapshot, on a worker thread.
    auto out = std::make_shared<HistoryExport>(
        *project, source, m_git, QApplication::style()->standardPalette(), QApplication::font());
    out->paintHistory();
    m_exportAction->setEnabled(false);
    if (m_progress) {
        m_progress->setVisible(true);
        m_progress->setRange(0, 0);
        m_progress->setToolTip(tr("Exporting the history to %1").arg(target));
    }
    Q_EMIT message(tr("Exporting the history to %1…").arg(QDir::toNativeSeparators(target)));
    QPointer<SchemaActions> self(this);
    (void)QtConcurrent::run([self, out, target, markdown]() mutable {
        QString error;
        if (markdown) {
            if (auto written = out->writeMarkdown(target); !written)
                error = written.error();
        } else if (auto written = out->writeHtml(target); !written) {
            error = written.error();
        }
        out.reset(); // its cache connection closes on this thread
        QMetaObject::invokeMethod(
            qApp,
            [self, target, error] {
                if (!self)
                    return;
                self->m_exportAction->setEnabled(true);
                if (self->m_progress && !self->m_monitor->busy())
                    self->m_progress->setVisible(false);
                if (self->m_progress)
                    self->m_progress->setRange(0, 1);
                if (error.isEmpty())
                    Q_EMIT self->message(
                        tr("History exported to %1").arg(QDir::toNativeSeparators(target)));
                else
                    QMessageBox::warning(self->m_window, tr("Export History"),
                                         tr("The history could not be exported: %1").arg(error));
                Q_EMIT self->exported(target, error);
            },
            Qt::QueuedConnection);
    });
}

void SchemaActions::startWalkThrough()
{
    const Project *project = m_project();
    if (!project || !m_walk)
        return;
    if (m_walkStale) {
        m_walk->setProject(*project);
        m_walk->setGitFacts(m_git);
        m_walkStale = false;
    }
    const RevisionGraph &g = project->graph;
    if (m_revisions.size() == 2) {
        m_walk->setRange(m_revisions.first(), m_revisions.last());
    } else {
        // The branch of the selected revision: the newest head after it.
        QString head;
        if (const int selected = m_revisions.isEmpty() ? -1 : g.indexOf(m_revisions.first());
            selected >= 0) {
            const RevisionGraph::NodeSet after = g.descendants({selected}, true);
            for (int r : g.history())
                if (g.revision(r).isHead() && after[size_t(r)]) {
                    head = g.revision(r).id;
                    break;
                }
        }
        m_walk->setRange({}, head);
    }
    if (!m_walk->isVisible())
        m_walkReturn = QApplication::focusWidget();
    m_walk->setGeometry(m_window->rect());
    m_walk->raise();
    m_walk->show();
    m_walk->setFocus();
}

void SchemaActions::endWalkThrough()
{
    if (!m_walk || !m_walk->isVisible())
        return;
    m_walk->hide();
    if (m_walkReturn)
        m_walkReturn->setFocus();
}

bool SchemaActions::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Resize && m_walk && m_walk->isVisible())
        m_walk->setGeometry(m_window->rect());
    return QObject::eventFilter(watched, event);
}

void SchemaActions::setProject(const Project &project)
{
    m_monitor->setProject(project);
    Q_EMIT diagnosticsChanged();
    m_walkStale = true;
    if (m_walk && m_walk->isVisible()) {
        m_walk->setProject(project);
        m_walkStale = false;
    }

    // Who added each revision file: libgit2 on a worker thread; the adding
    // commits are kept while HEAD stays where it was.
    QStringList files;
    for (const RevisionFile &f : project.graph.files())
        files.append(f.path);
    const quint64 generation = ++m_gitGeneration;
    QPointer<SchemaActions> self(this);
    const QHash<QString, GitFileFacts> known = m_git;
    const QString knownHead = m_gitHead;
    (void)QtConcurrent::run([self, generation, files, known, knownHead] {
        if (files.isEmpty())
            return;
        const QString head = GitFacts::head(files.first());
        auto facts =
            GitFacts::of(files, head == knownHead ? known : QHash<QString, GitFileFacts>());
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, head, facts] {
                if (!self || self->m_gitGeneration != generation)
                    return;
                self->m_git = facts ? facts.value() : QHash<QString, GitFileFacts>();
                self->m_gitHead = head;
                Q_EMIT self->gitFactsChanged(self->m_git);
            },
            Qt::QueuedConnection);
    });
}

void SchemaActions::showRevisions(const QStringList &revisions)
{
    m_revisions = revisions;
    m_panel->showRevisions(revisions);
}

Diagnostics SchemaActions::diagnostics() const
{
    return m_monitor->diagnostics();
}

} // namespace Retort
