#include "walkthrough.h"

#include "diagrampainter.h"
#include "erdiagramview.h"
#include "revisionpage.h"

#include "core/schema/schemamonitor.h"

#include <QComboBox>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <cmath>

namespace Retort {

namespace {

// Tables in a schema above which a page shows only what the revision
// touched and the tables one foreign key away.
constexpr int kWholeDiagram = 24;
constexpr qreal kStep = 1.15;
// A presentation's text is larger than the window's.
constexpr qreal kPresentationScale = 1.3;

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// The keys the walk-through takes for itself, before any window shortcut.
bool isOwnKey(const QKeyEvent *e)
{
    const bool ctrl = e->modifiers() & Qt::ControlModifier;
    switch (e->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Minus:
    case Qt::Key_0:
        return ctrl;
    case Qt::Key_Right:
    case Qt::Key_Left:
    case Qt::Key_Space:
    case Qt::Key_PageDown:
    case Qt::Key_PageUp:
    case Qt::Key_Backspace:
    case Qt::Key_Home:
    case Qt::Key_End:
    case Qt::Key_Escape:
    case Qt::Key_Return:
    case Qt::Key_Enter:
        return !ctrl;
    default:
        return false;
    }
}

} // namespace

WalkThrough::WalkThrough(SchemaMonitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_from(new QComboBox)
    , m_to(new QComboBox)
    , m_position(new QLabel)
    , m_title(new QLabel)
    , m_text(new QTextBrowser)
    , m_diagram(new ErDiagramView)
    , m_previous(new QPushButton(tr("◀ Previous")))
    , m_next(new QPushButton(tr("Next ▶")))
{
    setObjectName(QStringLiteral("walkThrough"));
    setAutoFillBackground(true);
    setFocusPolicy(Qt::StrongFocus);
    m_baseFont = font();

    auto *heading = new QLabel(tr("<b>Walk through the history</b>"));
    auto *close = new QPushButton(tr("Back (Esc)"));
    close->setToolTip(tr("Return to where you were"));
    for (QWidget *w : {static_cast<QWidget *>(close), static_cast<QWidget *>(m_previous),
                       static_cast<QWidget *>(m_next)})
        w->setFocusPolicy(Qt::NoFocus);
    m_from->setToolTip(tr("The first revision shown"));
    m_to->setToolTip(tr("The last revision shown: a head shows its branch from the base"));
    m_from->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_to->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_from->setMinimumContentsLength(18);
    m_to->setMinimumContentsLength(18);
    auto *top = new QHBoxLayout;
    top->addWidget(heading);
    top->addSpacing(16);
    top->addWidget(new QLabel(tr("From")));
    top->addWidget(m_from, 1);
    top->addWidget(new QLabel(tr("to")));
    top->addWidget(m_to, 1);
    top->addSpacing(16);
    top->addWidget(m_position);
    top->addWidget(close);

    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setFocusPolicy(Qt::NoFocus);
    m_text->setOpenLinks(false);
    m_text->setFrameShape(QFrame::NoFrame);
    m_diagram->setControlsVisible(false);
    m_diagram->setLargestFit(2.0); // a small schema fills the page
    m_diagram->view()->setFocusPolicy(Qt::NoFocus);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_text);
    split->addWidget(m_diagram);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);

    auto *hint = new QLabel(tr("→ Space: next   ← Backspace: previous   Home/End   "
                               "Ctrl+plus/minus: text size   Enter: select in the history   "
                               "Esc: back"));
    hint->setForegroundRole(QPalette::PlaceholderText);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_previous);
    bottom->addWidget(hint, 1, Qt::AlignCenter);
    bottom->addWidget(m_next);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 10, 16, 10);
    layout->addLayout(top);
    layout->addWidget(m_title);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);

    connect(close, &QPushButton::clicked, this, &WalkThrough::closeRequested);
    connect(m_previous, &QPushButton::clicked, this, &WalkThrough::previous);
    connect(m_next, &QPushButton::clicked, this, &WalkThrough::next);
    auto rangeChanged = [this] {
        setRange(m_from->currentData().toString(), m_to->currentData().toString());
        setFocus();
    };
    connect(m_from, &QComboBox::activated, this, rangeChanged);
    connect(m_to, &QComboBox::activated, this, rangeChanged);
    connect(m_monitor, &SchemaMonitor::progress, this, [this] {
        if (m_waiting)
            refresh();
    });
    connect(m_monitor, &SchemaMonitor::finished, this, &WalkThrough::refresh);
    applyScale();
}

WalkThrough::~WalkThrough() = default;

void WalkThrough::setProject(const Project &project)
{
    m_project = project;
    fillRanges();
    const QString current = currentRevision();
    const QString from = m_from->currentData().toString();
    const QString to = m_to->currentData().toString();
    const RevisionGraph &g = m_project.graph;
    // The same range while it exists, else the whole history.
    if ((!from.isEmpty() && g.indexOf(from) < 0) || (!to.isEmpty() && g.indexOf(to) < 0) ||
        !setRange(from, to))
        setRange({}, {});
    if (const qsizetype at = m_pages.indexOf(current); at >= 0)
        goTo(int(at));
}

void WalkThrough::setGitFacts(const QHash<QString, GitFileFacts> &byPath)
{
    m_git = byPath;
    refresh();
}

void WalkThrough::fillRanges()
{
    const RevisionGraph &g = m_project.graph;
    const QList<int> newestFirst = g.history();
    const QString from = m_from->currentData().toString();
    const QString to = m_to->currentData().toString();
    m_from->clear();
    m_to->clear();
    m_from->addItem(tr("the base"), QString());
    m_to->addItem(tr("the newest head"), QString());
    auto label = [&g](int r) {
        const QString title = g.fileOf(r).message.trimmed().section(u'\n', 0, 0);
        QString text = g.revision(r).id;
        if (g.revision(r).isHead())
            text += tr(" (head)");
        return title.isEmpty() ? text : text + QStringLiteral(" — ") + title;
    };
    // Heads first among the ends: "to a head" is "that branch".
    for (int r : newestFirst)
        if (g.revision(r).isHead())
            m_to->addItem(label(r), g.revision(r).id);
    for (int r : newestFirst)
        if (!g.revision(r).isHead())
            m_to->addItem(label(r), g.revision(r).id);
    for (auto it = newestFirst.crbegin(); it != newestFirst.crend(); ++it)
        m_from->addItem(label(*it), g.revision(*it).id);
    m_from->setCurrentIndex(qMax(0, m_from->findData(from)));
    m_to->setCurrentIndex(qMax(0, m_to->findData(to)));
}

bool WalkThrough::setRange(const QString &from, const QString &to)
{
    const RevisionGraph &g = m_project.graph;
    const QList<int> newestFirst = g.history();
    int last = to.isEmpty() ? -1 : g.indexOf(to);
    if (to.isEmpty())
        for (int r : newestFirst)
            if (g.revision(r).isHead()) {
                last = r;
                break;
            }
    const int first = from.isEmpty() ? -1 : g.indexOf(from);
    m_from->setCurrentIndex(qMax(0, m_from->findData(from)));
    m_to->setCurrentIndex(qMax(0, m_to->findData(to)));
    m_pages.clear();
    m_page = -1;
    QString problem;
    if (last < 0)
        problem = newestFirst.isEmpty() ? tr("The history has no revisions.")
                                        : tr("There is no revision %1.").arg(to);
    else if (!from.isEmpty() && first < 0)
        problem = tr("There is no revision %1.").arg(from);
    if (problem.isEmpty()) {
        const RevisionGraph::NodeSet ancestors = g.ancestors({last}, true);
        if (first >= 0 && !ancestors[size_t(first)]) {
            problem = tr("%1 comes after %2 or on another branch: pick an earlier start.")
                          .arg(from, g.revision(last).id);
        } else {
            // What `alembic upgrade` to the end runs, in its order.
            RevisionGraph::NodeSet range = ancestors;
            if (first >= 0) {
                const RevisionGraph::NodeSet after = g.descendants({first}, true);
                for (size_t i = 0; i < range.size(); ++i)
                    range[i] = range[i] && after[i];
            }
            const QList<int> order = g.topologicalSort(range, {last});
            for (auto it = order.crbegin(); it != order.crend(); ++it)
                m_pages.append(g.revision(*it).id);
        }
    }
    if (!problem.isEmpty()) {
        m_title->setText(problem);
        m_text->clear();
        m_diagram->clear(QString());
        m_position->clear();
        m_previous->setEnabled(false);
        m_next->setEnabled(false);
        return false;
    }
    goTo(0);
    return true;
}

QString WalkThrough::currentRevision() const
{
    return m_page >= 0 && m_page < m_pages.size() ? m_pages.at(m_page) : QString();
}

QString WalkThrough::text() const
{
    return m_title->text() + u'\n' + m_text->toPlainText();
}

void WalkThrough::goTo(int page)
{
    if (m_pages.isEmpty())
        return;
    page = qBound(0, page, int(m_pages.size()) - 1);
    if (page == m_page)
        return;
    m_page = page;
    render();
}

void WalkThrough::refresh()
{
    if (m_page >= 0)
        render();
}

void WalkThrough::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void WalkThrough::render()
{
    // Hidden, the page is drawn when shown (no replay reads, no layout).
    m_stale = !isVisible();
    if (m_stale)
        return;
    const QString id = currentRevision();
    const int r = m_project.graph.indexOf(id);
    if (r < 0)
        return;
    RevisionPage page = RevisionPage::of(m_project, r, m_git);
    page.changes = m_monitor->changesOf(id);
    const std::optional<Schema> schema = m_monitor->snapshot(id);
    m_waiting = !schema || !page.changes;

    m_position->setText(tr("%1 of %2").arg(m_page + 1).arg(m_pages.size()));
    m_previous->setEnabled(m_page > 0);
    m_next->setEnabled(m_page + 1 < m_pages.size());
    m_title->setText(page.title().isEmpty() ? id : page.title());

    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QString added = dark ? QStringLiteral("#7bd88f") : QStringLiteral("#1b5e20");
    const QString removed = dark ? QStringLiteral("#ff8a80") : QStringLiteral("#b71c1c");
    const QString changed = dark ? QStringLiteral("#ffcc66") : QStringLiteral("#9a5b00");
    const QColor text = palette().color(QPalette::Text);
    const QColor base = palette().color(QPalette::Base);
    const QString muted =
        QColor::fromRgbF((text.redF() + base.redF()) / 2, (text.greenF() + base.greenF()) / 2,
                         (text.blueF() + base.blueF()) / 2)
            .name();
    QString h;
    // The facts as a two-column list: muted names, plain values.
    h += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"2\">");
    auto fact = [&](const QString &name, const QString &value) {
        h += QStringLiteral("<tr><td style=\"color:%1;padding-right:12px\">%2</td><td>%3</td></tr>")
                 .arg(muted, esc(name), value);
    };
    fact(tr("Revision"), QStringLiteral("<code>%1</code>").arg(esc(id)));
    fact(tr("Revises"),
         page.parents.isEmpty()
             ? tr("nothing: the first revision")
             : QStringLiteral("<code>%1</code>").arg(esc(page.parents.join(QStringLiteral(", ")))));
    if (!page.created.isEmpty())
        fact(tr("Created"), esc(page.created.section(u'.', 0, 0)));
    fact(tr("File"), esc(page.path));
    if (page.git && page.git->committed) {
        fact(tr("Author"), esc(page.git->author));
        fact(tr("Commit"), QStringLiteral("<code>%1</code> %2, %3")
                               .arg(esc(page.git->commit.left(10)),
                                    esc(page.git->when.toString(QStringLiteral("yyyy-MM-dd"))),
                                    esc(page.git->subject)));
    } else if (page.git) {
        fact(tr("Git"), esc(page.gitLine()));
    }
    h += QStringLiteral("</table>");
    if (!page.body().isEmpty())
        h += QStringLiteral("<p style=\"white-space:pre-wrap\">%1</p>").arg(esc(page.body()));
    h += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Operations"));
    for (const QString &op : std::as_const(page.operations))
        h += QStringLiteral("<li><code>%1</code></li>").arg(esc(op));
    if (page.operations.isEmpty())
        h += QStringLiteral("<li style=\"color:%1\">%2</li>").arg(muted, tr("none"));
    h += QStringLiteral("</ul><h3>%1</h3><ul>").arg(tr("Schema changes"));
    if (!page.changes) {
        h += QStringLiteral("<li style=\"color:%1\">%2</li>")
                 .arg(muted, tr("Waiting for the schema history (replaying in the background)…"));
    } else if (page.changes->isEmpty()) {
        h += QStringLiteral("<li style=\"color:%1\">%2</li>").arg(muted, tr("none"));
    } else {
        for (const SchemaChange &c : std::as_const(*page.changes)) {
            const QString &colour = c.kind == SchemaChange::Kind::Added     ? added
                                    : c.kind == SchemaChange::Kind::Removed ? removed
                                                                            : changed;
            h += QStringLiteral("<li style=\"color:%1\">%2</li>").arg(colour, esc(c.describe()));
        }
    }
    h += QStringLiteral("</ul>");
    m_text->setHtml(h);

    if (!schema || !page.changes) {
        m_diagram->clear(tr("Waiting for the schema at %1…").arg(id));
        return;
    }
    const DiagramMarks marks = DiagramMarks::of(*page.changes);
    const QStringList touched = marks.touchedTables();
    const bool around = schema->tables.size() > kWholeDiagram && !touched.isEmpty();
    m_diagram->showAround(around ? touched : QStringList(), around ? 1 : -1);
    QString caption = tr("Schema at %1: %n table(s)", nullptr, int(schema->tables.size())).arg(id);
    if (around)
        caption += tr("; the tables it touched and their neighbours");
    m_diagram->setSchema(*schema, marks, caption);
}

void WalkThrough::scaleText(int steps)
{
    m_scale = steps == 0 ? 1.0 : qBound(0.6, m_scale * std::pow(kStep, steps), 3.5);
    applyScale();
}

void WalkThrough::applyScale()
{
    QFont text = m_baseFont;
    text.setPointSizeF(m_baseFont.pointSizeF() * kPresentationScale * m_scale);
    m_text->setFont(text);
    QFont title = text;
    title.setPointSizeF(text.pointSizeF() * 1.6);
    title.setBold(true);
    m_title->setFont(title);
    QFont diagram = m_baseFont;
    diagram.setPointSizeF(m_baseFont.pointSizeF() * m_scale);
    m_diagram->setFont(diagram);
}

bool WalkThrough::event(QEvent *event)
{
    // Ahead of the window's shortcuts (Ctrl+plus zooms the editor there).
    if (event->type() == QEvent::ShortcutOverride && isOwnKey(static_cast<QKeyEvent *>(event))) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void WalkThrough::keyPressEvent(QKeyEvent *event)
{
    if (!isOwnKey(event)) {
        QWidget::keyPressEvent(event);
        return;
    }
    switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_Space:
    case Qt::Key_PageDown:
        next();
        break;
    case Qt::Key_Left:
    case Qt::Key_Backspace:
    case Qt::Key_PageUp:
        previous();
        break;
    case Qt::Key_Home:
        goTo(0);
        break;
    case Qt::Key_End:
        goTo(int(m_pages.size()) - 1);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        scaleText(1);
        break;
    case Qt::Key_Minus:
        scaleText(-1);
        break;
    case Qt::Key_0:
        scaleText(0);
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (!currentRevision().isEmpty())
            Q_EMIT revisionChosen(currentRevision());
        break;
    case Qt::Key_Escape:
        Q_EMIT closeRequested();
        break;
    }
    event->accept();
}

} // namespace Retort
