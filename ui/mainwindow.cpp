#include "mainwindow.h"

#include "centrallayout.h"
#include "db/connectionspanel.h"
#include "db/databaseactions.h"
#include "demoproject.h"
#include "detailsview.h"
#include "editortabs.h"
#include "folderwatcher.h"
#include "help/diagnosticsdialog.h"
#include "historydelegate.h"
#include "palettes.h"
#include "review/historypanel.h"
#include "review/problemspanel.h"
#include "reviewactions.h"
#include "revisioneditor.h"
#include "schema/schemaactions.h"

#include "core/db/databasemonitor.h"
#include "core/graph/historymodel.h"
#include "core/graph/revisionresolver.h"
#include "core/problemsmodel.h"
#include "core/projectloader.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDirIterator>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>

namespace Retort {

namespace {
constexpr int kMaxRecent = 10;

QSettings settings()
{
    return QSettings();
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_loader(new ProjectLoader(this))
    , m_folderWatcher(new FolderWatcher(this))
    , m_historyModel(new HistoryModel(this))
    , m_problemsModel(new ProblemsModel(this))
    , m_history(new HistoryPanel(m_historyModel, this))
    , m_details(new DetailsView(this))
    , m_editors(new EditorTabs(this))
    , m_problemsView(new ProblemsPanel(
          m_problemsModel,
          [this](const QString &path) {
              return m_hasProject ? project().revisionOfFile(path) : QString();
          },
          this))
    , m_central(new CentralLayout(m_history, m_details, m_editors, m_problemsView, this))
    , m_databases(new DatabaseMonitor(this))
    , m_connections(new ConnectionsPanel(m_databases, this))
    , m_dbActions(new DatabaseActions(
          this, m_databases, m_connections, [this] { return m_hasProject ? &project() : nullptr; },
          [this] { return currentRevisionId(); }))
    , m_databaseLabel(new QLabel(this))
    , m_countLabel(new QLabel(this))
    , m_problemLabel(new QLabel(this))
    , m_busy(new QProgressBar(this))
{
    setWindowTitle(tr("Retort"));
    setAcceptDrops(true);

    setCentralWidget(m_central);

    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busy->hide();
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_databaseLabel);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_problemLabel);

    m_review = new ReviewActions(this, m_editors, [this]() -> const Project * {
        return m_hasProject ? &project() : nullptr;
    });
    m_review->setDatabases([this] { return m_databases->recordedVersions(); });
    connect(m_databases, &DatabaseMonitor::changed, m_review, &ReviewActions::databasesChanged);
    m_schema = new SchemaActions(
        this, [this]() -> const Project * { return m_hasProject ? &project() : nullptr; });
    createActions();
    connect(m_review, &ReviewActions::applied, this,
            [this](const QString &focusId, const QString &message) {
                m_selectAfterLoad = focusId;
                statusBar()->showMessage(message, 8000);
                reload();
            });
    connect(m_review, &ReviewActions::undoChanged, this,
            [this](bool available, const QString &text) {
                m_undoAction->setEnabled(available);
                m_undoAction->setText(text);
            });

    connect(m_loader, &ProjectLoader::loaded, this, &MainWindow::showProject);
    connect(m_loader, &ProjectLoader::failed, this, &MainWindow::showFailure);
    connect(m_loader, &ProjectLoader::busyChanged, this, [this](bool busy) {
        m_busy->setVisible(busy);
        if (busy)
            statusBar()->showMessage(
                tr("Reading %1…").arg(QDir::toNativeSeparators(m_requestedPath)));
    });
    connect(m_folderWatcher, &FolderWatcher::changed, this, &MainWindow::reload);
    connect(m_history, &HistoryPanel::filterChanged, this, &MainWindow::updateStatus);
    connect(m_history, &HistoryPanel::selectionChanged, this,
            [this] { m_schema->showRevisions(m_history->selectedRevisionIds()); });
    connect(m_schema, &SchemaActions::revisionActivated, this, &MainWindow::selectRevision);
    connect(m_schema, &SchemaActions::diagnosticsChanged, this, &MainWindow::showDatabases);
    connect(m_schema, &SchemaActions::gitFactsChanged, m_historyModel, &HistoryModel::setGitFacts);
    connect(m_schema, &SchemaActions::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 6000); });
    connect(m_history, &HistoryPanel::currentRevisionChanged, this,
            &MainWindow::currentRevisionChanged);
    connect(m_history->view(), &QAbstractItemView::activated, this,
            &MainWindow::openCurrentRevision);
    connect(m_history, &HistoryPanel::problemActivated, this, &MainWindow::openFile);
    connect(m_history->view(), &QWidget::customContextMenuRequested, this,
            &MainWindow::showHistoryMenu);
    connect(m_problemsView, &ProblemsPanel::openRequested, this,
            [this](const QString &path, int line) { openFile(path, line); });
    connect(m_problemsView, &ProblemsPanel::showRevisionRequested, this,
            &MainWindow::selectRevision);
    connect(m_problemsView, &ProblemsPanel::normalizeRequested, this,
            &MainWindow::normalizeRevision);
    connect(m_problemsView, &ProblemsPanel::reparentRequested, this, &MainWindow::reparentRevision);
    connect(m_problemsView, &ProblemsPanel::markReviewedRequested, m_review,
            &ReviewActions::markReviewed);
    connect(m_details, &DetailsView::revisionLinkActivated, this, &MainWindow::selectRevision);
    connect(m_details, &DetailsView::fileLinkActivated, this, &MainWindow::openFile);
    connect(m_editors, &EditorTabs::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 5000); });

    // The databases and the runner: docks below, tabbed, and their menu.
    m_dbActions->install(this, m_databaseMenu);
    connect(m_dbActions, &DatabaseActions::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 6000); });
    connect(m_databases, &DatabaseMonitor::changed, this, &MainWindow::showDatabases);
    connect(m_connections, &ConnectionsPanel::activeChanged, this, &MainWindow::showDatabases);
    connect(m_connections, &ConnectionsPanel::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 6000); });

    restoreSettings();
    updateStatus();
}

MainWindow::~MainWindow() = default;

QTreeView *MainWindow::historyView() const
{
    return m_history->view();
}

QTableView *MainWindow::problemsView() const
{
    return m_problemsView;
}

QLineEdit *MainWindow::filterEdit() const
{
    return m_history->filter();
}

const Project &MainWindow::project() const
{
    return m_historyModel->project();
}

bool MainWindow::isLoading() const
{
    return m_loader->isBusy();
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Project…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open Alembic Project"), QString(),
            tr("Alembic configuration (alembic.ini pyproject.toml *.ini *.toml);;All files (*)"));
        if (!path.isEmpty())
            openProject(path);
    });
    open->setShortcut(QKeySequence::Open);
    QAction *openFolder = file->addAction(tr("Open &Folder…"), this, [this] {
        const QString path =
            QFileDialog::getExistingDirectory(this, tr("Open a project or versions folder"));
        if (!path.isEmpty())
            openProject(path);
    });
    openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("Open &Demo Project"), this, &MainWindow::openDemoProject);
    file->addSeparator();
    QAction *save = file->addAction(tr("&Save"), m_editors, &EditorTabs::saveCurrent);
    save->setShortcut(QKeySequence::Save);
    QAction *close = file->addAction(tr("&Close Tab"), m_editors, &EditorTabs::closeCurrent);
    close->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *findAction = edit->addAction(tr("&Find…"), this, &MainWindow::find);
    findAction->setShortcut(QKeySequence::Find);
    QAction *findNext =
        edit->addAction(tr("Find &Next"), m_editors, [this] { m_editors->findNext(); });
    findNext->setShortcut(QKeySequence::FindNext);
    QAction *goTo = edit->addAction(tr("&Go to Line…"), m_editors, &EditorTabs::goToLine);
    goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    // F5: the files and every database again.
    QAction *reloadAction = view->addAction(tr("&Refresh"), this, &MainWindow::reload);
    reloadAction->setShortcut(QKeySequence::Refresh);
    QAction *history =
        view->addAction(tr("&History"), this, [this] { m_history->view()->setFocus(); });
    history->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    QAction *problems =
        view->addAction(tr("&Problems"), this, [this] { m_problemsView->setFocus(); });
    problems->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    QAction *goToHead = view->addAction(tr("Go to &Head"), this, &MainWindow::goToNewestHead);
    goToHead->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Home));
    goToHead->setShortcutContext(Qt::WindowShortcut);
    view->addSeparator();
    m_history->addOrderMenu(view);
    m_schema->install(view, file);
    view->addSeparator();
    Palettes::addDarkToggle(view);

    m_databaseMenu = menuBar()->addMenu(tr("&Database"));

    QMenu *revision = menuBar()->addMenu(tr("&Revision"));
    m_normalizeAction = revision->addAction(tr("&Normalize…"), this,
                                            [this] { normalizeRevision(currentRevisionId()); });
    m_normalizeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_normalizeAction->setToolTip(
        tr("Rename the selected revision to the project's NNN_slug scheme"));
    m_reparentAction = revision->addAction(tr("Re-&parent…"), this,
                                           [this] { reparentRevision(currentRevisionId()); });
    m_mergeAction = revision->addAction(tr("&Merge Heads…"), this, &MainWindow::mergeHeads);
    m_reviewedAction = revision->addAction(tr("Mark &Reviewed…"), this,
                                           [this] { m_review->markReviewed(currentRevisionId()); });
    m_reviewedAction->setToolTip(
        tr("Remove Alembic's autogenerate markers from the selected revision"));
    revision->addSeparator();
    m_undoAction = revision->addAction(tr("&Undo Last Edit"), this, &MainWindow::undoLastEdit);
    m_undoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    m_undoAction->setEnabled(false);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Retort"), this, [this] {
        QMessageBox::about(
            this, tr("About Retort"),
            tr("<h3>Retort %1</h3><p>A desktop manager for Alembic migration histories.</p>"
               "<p>Reads revision files without running Python.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });
    DiagnosticsDialog::addTo(help, this, [this] { return m_hasProject ? &project() : nullptr; });

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(open);
    toolbar->addAction(reloadAction);
    toolbar->addSeparator();
    toolbar->addAction(m_normalizeAction);
    toolbar->addAction(m_mergeAction);
    toolbar->addSeparator();
    toolbar->addActions(
        {m_dbActions->upOneAction(), m_dbActions->downOneAction(), m_dbActions->headAction()});
    rebuildRecentMenu();
}

void MainWindow::find()
{
    QWidget *focus = QApplication::focusWidget();
    if (m_editors->current() && focus && m_editors->isAncestorOf(focus)) {
        m_editors->showFind();
        return;
    }
    m_history->focusFilter();
}

void MainWindow::openProject(const QString &path)
{
    m_requestedPath = QFileInfo(path).absoluteFilePath();
    m_loader->load(m_requestedPath);
}

void MainWindow::openDemoProject()
{
    QString error;
    const QString ini = materializeDemoProject(&error);
    if (ini.isEmpty()) {
        QMessageBox::warning(this, tr("Demo project"), error);
        return;
    }
    openProject(ini);
}

void MainWindow::reload()
{
    if (!m_hasProject)
        return;
    m_requestedPath = project().key();
    m_loader->reload(project().config);
}

void MainWindow::showProject(const Project &loaded)
{
    const bool sameProject = m_hasProject &&
                             loaded.config.configFile == project().config.configFile &&
                             loaded.config.versionLocations == project().config.versionLocations;
    const QString selected =
        m_history->view()->currentIndex().data(HistoryModel::RevisionIdRole).toString();
    QHash<QString, QString> oldPaths; // revision id -> file, to follow renames
    if (sameProject) {
        for (const Revision &r : project().graph.revisions())
            oldPaths.insert(r.id, project().graph.files().at(r.file).path);
        // Anything that was not there before has just been generated.
        for (const Revision &r : loaded.graph.revisions()) {
            if (project().graph.indexOf(r.id) < 0)
                m_fresh.insert(r.id);
        }
    } else {
        m_fresh.clear();
    }
    // A revision our own edit renamed or wrote is not news.
    m_fresh.remove(m_selectAfterLoad);
    m_hasProject = true;
    m_historyModel->setProject(loaded, m_fresh);
    m_schema->setProject(loaded);
    m_connections->setGraph(&project().graph);
    if (sameProject && m_databases->projectKey() == project().key())
        m_databases->setGraph(project().graph);
    else
        m_databases->setProject(project().config, project().graph);
    m_problemsModel->setDiagnostics(loaded.diagnostics());
    m_editors->setDiagnostics(loaded.diagnostics());
    if (sameProject) {
        // Open tabs follow their revision when its file was renamed.
        for (auto it = oldPaths.cbegin(); it != oldPaths.cend(); ++it) {
            const int now = loaded.graph.indexOf(it.key());
            if (now >= 0 && loaded.graph.fileOf(now).path != it.value() &&
                !QFileInfo::exists(it.value()))
                m_editors->fileRenamed(it.value(), loaded.graph.fileOf(now).path);
        }
    }

    QStringList watched = loaded.config.versionLocations;
    if (loaded.config.recursiveVersionLocations) {
        for (const QString &location : loaded.config.versionLocations) {
            QDirIterator dirs(location, QDir::Dirs | QDir::NoDotAndDotDot,
                              QDirIterator::Subdirectories);
            while (dirs.hasNext())
                watched.append(dirs.next());
        }
    }
    if (!loaded.config.configFile.isEmpty())
        watched.append(loaded.config.configFile);
    m_folderWatcher->watch(watched);

    const QString shown = loaded.key();
    setWindowTitle(tr("%1 — Retort").arg(QDir::toNativeSeparators(shown)));
    addRecent(shown);
    const QString wanted = std::exchange(m_selectAfterLoad, QString());
    if (!wanted.isEmpty() && selectRevision(wanted)) {
        // the revision an edit just made or renamed
    } else if (!selected.isEmpty() && sameProject && selectRevision(selected)) {
        // kept the user's place
    } else if (m_historyModel->rowCount() > 0) {
        m_history->view()->setCurrentIndex(m_historyModel->index(0, HistoryModel::RevisionColumn));
    } else {
        m_details->showNothing();
    }
    statusBar()->showMessage(sameProject ? tr("Re-read the project")
                                         : tr("Opened %1").arg(QDir::toNativeSeparators(shown)),
                             4000);
    updateStatus();
    updateRevisionActions();
    Q_EMIT projectLoaded();
}

void MainWindow::showFailure(const QString &path, const QString &error)
{
    statusBar()->showMessage(tr("Could not open %1").arg(QDir::toNativeSeparators(path)), 8000);
    QMessageBox::warning(this, tr("Cannot open project"),
                         tr("Retort cannot read the project at %1.\n\n%2")
                             .arg(QDir::toNativeSeparators(path), error));
    if (!m_hasProject)
        m_details->setHtml(
            QStringLiteral("<p><b>%1</b></p><p>%2</p>")
                .arg(tr("No project is open.").toHtmlEscaped(), error.toHtmlEscaped()));
    Q_EMIT projectFailed(error);
}

void MainWindow::currentRevisionChanged()
{
    updateRevisionActions();
    const int revision =
        m_history->view()->currentIndex().data(HistoryModel::RevisionIndexRole).toInt();
    if (m_history->view()->currentIndex().isValid())
        m_details->showRevision(project().graph, revision);
    else
        m_details->showNothing();
}

void MainWindow::openCurrentRevision()
{
    const QModelIndex index = m_history->view()->currentIndex();
    if (!index.isValid() || index.data(HistoryModel::IsGhostRole).toBool())
        return;
    const int revision = index.data(HistoryModel::RevisionIndexRole).toInt();
    openFile(index.data(HistoryModel::FilePathRole).toString(),
             project().graph.fileOf(revision).revisionLine);
}

void MainWindow::openFile(const QString &path, int line)
{
    RevisionEditor *editor = m_editors->open(path, line);
    if (!editor || !m_hasProject)
        return;
    for (const Revision &r : project().graph.revisions()) {
        const QString &file = project().graph.files().at(r.file).path;
        if (file.endsWith(QFileInfo(editor->path()).fileName()) &&
            EditorTabs::canonical(file) == editor->path()) {
            selectRevision(r.id);
            break;
        }
    }
}

Result<QString> MainWindow::resolveRevision(const QString &spec) const
{
    if (!m_hasProject)
        return Result<QString>::failure(tr("No project is open."));
    auto r = RevisionResolver(project().graph).revision(spec);
    if (!r)
        return Result<QString>::failure(r.error());
    if (r.value() < 0)
        return Result<QString>::failure(tr("'%1' is the base, not a revision.").arg(spec));
    return project().graph.revision(r.value()).id;
}

QString MainWindow::goToRevision(const QString &spec)
{
    const auto id = resolveRevision(spec);
    QString error = id ? QString() : id.error();
    if (id && !selectRevision(id.value())) {
        m_history->filter()->clear(); // the filter may hide it
        if (!selectRevision(id.value()))
            error = tr("%1 is not shown in the history.").arg(id.value());
    }
    if (!error.isEmpty())
        statusBar()->showMessage(tr("Cannot select %1: %2").arg(spec, error), 10000);
    return error;
}

bool MainWindow::selectRevision(const QString &id)
{
    return m_history->selectRevision(id);
}

void MainWindow::normalizeRevision(const QString &id)
{
    m_review->normalize(id);
}

void MainWindow::reparentRevision(const QString &id)
{
    m_review->reparent(id);
}

void MainWindow::mergeHeads()
{
    m_review->merge();
}

void MainWindow::goToNewestHead()
{
    const int head = m_hasProject ? m_historyModel->newestHead() : -1;
    if (head < 0)
        return;
    m_history->filter()->clear();
    selectRevision(project().graph.revision(head).id);
    m_history->view()->setFocus();
}

void MainWindow::markReviewed(const QString &id)
{
    m_review->markReviewed(id);
}

void MainWindow::undoLastEdit()
{
    m_review->undo();
}

bool MainWindow::canUndo() const
{
    return m_review->canUndo();
}

QString MainWindow::currentRevisionId() const
{
    return m_history->currentRevisionId();
}

void MainWindow::updateRevisionActions()
{
    if (!m_normalizeAction)
        return;
    const QString id = currentRevisionId();
    const int index = m_hasProject ? project().graph.indexOf(id) : -1;
    m_normalizeAction->setEnabled(index >= 0);
    m_reparentAction->setEnabled(index >= 0 &&
                                 project().graph.revision(index).downRevisions.size() <= 1);
    m_mergeAction->setEnabled(m_hasProject && project().graph.heads().size() > 1);
    m_reviewedAction->setEnabled(index >= 0 &&
                                 project().graph.fileOf(index).autogenerateMarkerLine > 0);
}

void MainWindow::showHistoryMenu(const QPoint &pos)
{
    const QModelIndex index = m_history->view()->indexAt(pos);
    if (index.isValid())
        m_history->view()->setCurrentIndex(index);
    QMenu menu(this);
    menu.addAction(tr("&Open"), this, &MainWindow::openCurrentRevision)
        ->setEnabled(index.isValid());
    menu.addSeparator();
    menu.addAction(m_normalizeAction);
    menu.addAction(m_reparentAction);
    menu.addAction(m_mergeAction);
    menu.addAction(m_reviewedAction);
    menu.addSeparator();
    menu.addActions({m_dbActions->upgradeHereAction(), m_dbActions->downgradeHereAction(),
                     m_dbActions->stampHereAction()});
    menu.exec(m_history->view()->viewport()->mapToGlobal(pos));
}

void MainWindow::showDatabases()
{
    if (!m_hasProject)
        return;
    m_historyModel->setDatabaseMarks(m_connections->marks());
    m_historyModel->setApplied(m_connections->activeApplied());
    m_databaseLabel->setText(m_connections->activeSummary());
    m_problemsModel->setDiagnostics(project().diagnostics() + m_databases->diagnostics() +
                                    m_schema->diagnostics());
    updateStatus();
}

void MainWindow::updateStatus()
{
    if (!m_hasProject) {
        m_countLabel->setText(tr("No project"));
        m_problemLabel->clear();
        return;
    }
    const int total = project().graph.size();
    const int shown = m_historyModel->revisionRowCount();
    m_countLabel->setText(shown == total ? tr("%n revision(s)", nullptr, total)
                                         : tr("%1 of %2 revisions").arg(shown).arg(total));
    const int errors = m_problemsModel->count(Severity::Error);
    const int warnings = m_problemsModel->count(Severity::Warning);
    m_problemLabel->setText(errors + warnings == 0
                                ? tr("No problems")
                                : tr("%1 error(s), %2 warning(s)").arg(errors).arg(warnings));
}

void MainWindow::addRecent(const QString &path)
{
    QSettings s = settings();
    QStringList recent = s.value(QStringLiteral("recentProjects")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    s.setValue(QStringLiteral("recentProjects"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = settings().value(QStringLiteral("recentProjects")).toStringList();
    for (const QString &path : recent)
        m_recentMenu->addAction(QDir::toNativeSeparators(path), this,
                                [this, path] { openProject(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::restoreSettings()
{
    QSettings s = settings();
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First start: 1280x800, or the whole screen when it is smaller.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        if (available.width() <= 1280 || available.height() <= 800)
            setGeometry(available);
        else
            resize(1280, 800);
    }
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    // First start with the Databases dock: a strip of a few rows.
    if (!s.value(QStringLiteral("window/v3/databasesDock")).toBool())
        resizeDocks({findChild<QDockWidget *>(QStringLiteral("databasesDock"))}, {130},
                    Qt::Vertical);
    m_central->restore(s);
}

void MainWindow::saveSettings() const
{
    QSettings s = settings();
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/v3/databasesDock"), true);
    m_central->save(s);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_dbActions->confirmClose() || !m_editors->closeAll()) {
        event->ignore();
        return;
    }
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    openProject(urls.first().toLocalFile());
    event->acceptProposedAction();
}

} // namespace Retort
