#include "historyexport.h"

#include "diagrampainter.h"
#include "ui/historydelegate.h"

#include "core/diagram/erlayout.h"
#include "core/graph/historymodel.h"
#include "core/script/operationsummary.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QSaveFile>
#include <QStyleOptionViewItem>
#include <QSvgGenerator>

namespace Retort {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// An SVG document as an element to put inside HTML: without the XML prolog
// and doctype QSvgGenerator writes.
QString inlineSvg(const QByteArray &svg)
{
    const qsizetype start = svg.indexOf("<svg");
    return start < 0 ? QString() : QString::fromUtf8(svg.mid(start));
}

QString anchor(const QString &id)
{
    QString out = QStringLiteral("rev-");
    for (QChar c : id)
        out += c.isLetterOrNumber() || c == u'-' || c == u'_' ? c : QChar(u'_');
    return out;
}

// Markdown that shows text as it is.
QString md(const QString &s)
{
    QString out;
    for (QChar c : s) {
        if (QStringLiteral("\\`*_{}[]<>()#+-.!|").contains(c))
            out += u'\\';
        out += c;
    }
    return out;
}

const char *kCss = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;max-width:1100px;padding:0 24px 48px;color:#1d1f23;background:#fff;line-height:1.45}
h1{margin-top:28px}h2{border-bottom:1px solid #d6d9de;padding-bottom:4px;margin-top:40px}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.92em;background:#f2f4f7;padding:1px 4px;border-radius:3px}
.graph,.diagram{overflow-x:auto;border:1px solid #d6d9de;border-radius:6px;padding:8px;background:#fff}
.graph svg,.diagram svg{display:block;max-width:none}
.graph svg text,.diagram svg text{font-family:system-ui,"DejaVu Sans",sans-serif}
article{border-left:4px solid #3b82c4;padding:4px 16px;margin:18px 0;background:#fafbfc}
article h3{margin:4px 0}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:6px 0}dt{color:#5b6270}dd{margin:0}
.added{color:#1b5e20}.removed{color:#b71c1c}.changed{color:#9a5b00}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #d6d9de;padding:2px 8px;text-align:left;font-size:.95em}th{background:#f2f4f7}
nav ul{columns:2}.muted{color:#5b6270}
@media print{article{break-inside:avoid}}
)";

} // namespace

HistoryExport::HistoryExport(const Project &project, SchemaSource schema,
                             const QHash<QString, GitFileFacts> &git, const QPalette &palette,
                             const QFont &font)
    : m_project(project)
    , m_schema(std::move(schema))
    , m_git(git)
    , m_palette(palette)
    , m_font(font)
{}

void HistoryExport::paintHistory()
{
    HistoryModel model;
    model.setProject(m_project);
    model.setGitFacts(m_git);
    HistoryDelegate delegate;
    QStyleOptionViewItem option;
    option.palette = m_palette;
    option.font = m_font;
    option.fontMetrics = QFontMetrics(m_font);
    option.state = QStyle::State_Enabled;
    option.showDecorationSelected = true;
    const int rows = model.rowCount();
    const int graphWidth = qMax(1, model.maxLanes()) * HistoryDelegate::kLaneWidth + 8;
    const QFontMetrics fm(m_font);
    const int widths[] = {graphWidth, 230, 520,
                          fm.horizontalAdvance(QStringLiteral("2026-11-27 10:00")) + 16};
    int rowHeight = 22;
    if (rows > 0)
        rowHeight = delegate.sizeHint(option, model.index(0, HistoryModel::MessageColumn)).height();
    const int width = widths[0] + widths[1] + widths[2] + widths[3];
    const int height = qMax(1, rows * rowHeight);

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(QSize(width, height));
    generator.setViewBox(QRect(0, 0, width, height));
    generator.setResolution(96);
    generator.setTitle(QStringLiteral("Revision history"));
    QPainter painter(&generator);
    painter.fillRect(QRect(0, 0, width, height), m_palette.color(QPalette::Base));
    for (int row = 0; row < rows; ++row) {
        int x = 0;
        for (int column = 0; column < HistoryModel::ColumnCount && column < 4; ++column) {
            option.rect = QRect(x, row * rowHeight, widths[column], rowHeight);
            painter.save();
            painter.setClipRect(option.rect);
            delegate.paint(&painter, option, model.index(row, column));
            painter.restore();
            x += widths[column];
        }
    }
    painter.end();
    m_historySvg = buffer.data();
}

QString HistoryExport::headRevision() const
{
    const RevisionGraph &g = m_project.graph;
    for (int r : g.history())
        if (g.revision(r).isHead())
            return g.revision(r).id;
    return {};
}

QList<RevisionPage> HistoryExport::pages() const
{
    QList<RevisionPage> out;
    for (int r : m_project.graph.history()) {
        RevisionPage page = RevisionPage::of(m_project, r, m_git);
        if (m_schema.changes)
            page.changes = m_schema.changes(page.id);
        out.append(page);
    }
    return out;
}

QByteArray HistoryExport::diagramSvg(Schema *head)
{
    const QString id = headRevision();
    if (id.isEmpty() || !m_schema.snapshot)
        return {};
    std::optional<Schema> schema;
    if (m_project.graph.heads().size() > 1 && m_schema.atHeads)
        schema = m_schema.atHeads();
    else
        schema = m_schema.snapshot(id);
    if (!schema)
        return {};
    *head = *schema;
    const DiagramPainter painter(m_palette, m_font);
    auto layout = ErDiagram::layout(*schema, {}, painter.sizes(*schema));
    if (!layout)
        return {};
    return painter.svg(*schema, layout.value(), {}, QStringLiteral("Schema at %1").arg(id));
}

QList<BlameEntry> HistoryExport::blameOf(const QString &table)
{
    // The blame of the newest head that has the table (one head: that head).
    const RevisionGraph &g = m_project.graph;
    for (int r : g.history()) {
        const Revision &rev = g.revision(r);
        if (!rev.isHead() || !m_schema.blame)
            continue;
        if (!m_blame.contains(rev.id)) {
            auto snapshot = m_schema.snapshot(rev.id);
            if (!snapshot || !snapshot->table(table))
                continue;
            auto blame = m_schema.blame(rev.id);
            m_blame.insert(rev.id, blame ? blame.value() : QList<BlameEntry>());
        }
        QList<BlameEntry> out;
        for (const BlameEntry &e : m_blame.value(rev.id))
            if (e.table == table)
                out.append(e);
        if (!out.isEmpty())
            return out;
    }
    return {};
}

QString HistoryExport::html()
{
    if (m_historySvg.isEmpty())
        paintHistory();
    const QString name = QFileInfo(m_project.config.projectDir).fileName();
    const QList<RevisionPage> all = pages();
    QString h;
    h.reserve(1 << 20);
    h +=
        QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                       "<meta name=\"generator\" content=\"Retort\"/>\n<title>") +
        esc(QStringLiteral("Schema history of %1").arg(name)) +
        QStringLiteral("</title>\n<style>") + QString::fromUtf8(kCss) +
        QStringLiteral("</style>\n</head>\n<body>\n");
    h += QStringLiteral("<h1>Schema history of %1</h1>\n").arg(esc(name));
    h += QStringLiteral("<p class=\"muted\">%1 revisions; head %2. Exported by Retort on %3.</p>\n")
             .arg(all.size())
             .arg(esc(headRevision()), QDateTime::currentDateTime().toString(Qt::ISODate));
    if (!m_schema.problem.isEmpty())
        h += QStringLiteral("<p class=\"removed\">%1</p>\n").arg(esc(m_schema.problem));
    h += QStringLiteral("<nav><ul><li><a href=\"#history\">History graph</a></li>"
                        "<li><a href=\"#revisions\">Revisions</a></li>"
                        "<li><a href=\"#schema\">Schema at head</a></li></ul></nav>\n");
    h += QStringLiteral("<h2 id=\"history\">History graph</h2>\n<div class=\"graph\">") +
         inlineSvg(m_historySvg) + QStringLiteral("</div>\n");

    h += QStringLiteral("<h2 id=\"revisions\">Revisions</h2>\n");
    for (const RevisionPage &p : all) {
        h += QStringLiteral("<article id=\"%1\">\n<h3>%2</h3>\n<dl>\n")
                 .arg(anchor(p.id), esc(p.title()));
        h += QStringLiteral("<dt>Revision</dt><dd><code>%1</code></dd>\n").arg(esc(p.id));
        QStringList parents;
        for (const QString &parent : p.parents)
            parents.append(QStringLiteral("<a href=\"#%1\"><code>%2</code></a>")
                               .arg(anchor(parent), esc(parent)));
        h += QStringLiteral("<dt>Revises</dt><dd>%1</dd>\n")
                 .arg(parents.isEmpty() ? QStringLiteral("(base)")
                                        : parents.join(QStringLiteral(", ")));
        h += QStringLiteral("<dt>File</dt><dd><code>%1</code></dd>\n").arg(esc(p.path));
        if (!p.created.isEmpty())
            h += QStringLiteral("<dt>Created</dt><dd>%1</dd>\n").arg(esc(p.created));
        const auto &git = p.git;
        if (git && git->committed) {
            h += QStringLiteral("<dt>Author</dt><dd>%1</dd>\n").arg(esc(git->author));
            h += QStringLiteral("<dt>Committed</dt><dd>%1 in <code>%2</code>: %3</dd>\n")
                     .arg(esc(git->when.toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                          esc(git->commit.left(10)), esc(git->subject));
        } else if (git) {
            h += QStringLiteral("<dt>Git</dt><dd>%1</dd>\n").arg(p.gitLine());
        }
        h += QStringLiteral("</dl>\n");
        if (!p.body().isEmpty())
            h += QStringLiteral("<p>%1</p>\n").arg(esc(p.body()));
        h += QStringLiteral("<h4>Operations</h4>\n<ul>\n");
        for (const QString &op : p.operations)
            h += QStringLiteral("<li><code>%1</code></li>\n").arg(esc(op));
        if (p.operations.isEmpty())
            h += QStringLiteral("<li class=\"muted\">none</li>\n");
        h += QStringLiteral("</ul>\n<h4>Schema changes</h4>\n<ul>\n");
        if (!p.changes)
            h += QStringLiteral(
                "<li class=\"muted\">not known (the replay did not reach it)</li>\n");
        else if (p.changes->isEmpty())
            h += QStringLiteral("<li class=\"muted\">none</li>\n");
        else
            for (const SchemaChange &c : *p.changes) {
                const char *cls = c.kind == SchemaChange::Kind::Added     ? "added"
                                  : c.kind == SchemaChange::Kind::Removed ? "removed"
                                                                          : "changed";
                h += QStringLiteral("<li class=\"%1\">%2</li>\n")
                         .arg(QLatin1String(cls), esc(c.describe()));
            }
        h += QStringLiteral("</ul>\n</article>\n");
    }

    Schema head;
    const QByteArray diagram = diagramSvg(&head);
    const QString headId = headRevision();
    h += (m_project.graph.heads().size() > 1
              ? QStringLiteral("<h2 id=\"schema\">Schema at the %1 heads</h2>\n")
                    .arg(m_project.graph.heads().size())
              : QStringLiteral("<h2 id=\"schema\">Schema at %1</h2>\n").arg(esc(headId)));
    if (diagram.isEmpty()) {
        h += QStringLiteral("<p class=\"muted\">The schema at head is not known.</p>\n");
    } else {
        h += QStringLiteral("<div class=\"diagram\">") + inlineSvg(diagram) +
             QStringLiteral("</div>\n");
        for (const SchemaTable &t : head.tables) {
            const QList<BlameEntry> blame = blameOf(t.qualifiedName());
            h += QStringLiteral(
                     "<h3 id=\"table-%1\">%2</h3>\n<table>\n<tr><th>Column</th><th>Type</th>"
                     "<th>Null</th><th>Default</th><th>Key</th></tr>\n")
                     .arg(anchor(t.qualifiedName()), esc(t.qualifiedName()));
            for (const SchemaColumn &c : t.columns)
                h += QStringLiteral("<tr><td>%1</td><td><code>%2</code></td><td>%3</td><td>%4</td>"
                                    "<td>%5</td></tr>\n")
                         .arg(esc(c.name), esc(c.type),
                              c.nullable ? QStringLiteral("yes") : QStringLiteral("no"),
                              esc(c.defaultValue), c.primaryKey ? QStringLiteral("PK") : QString());
            h += QStringLiteral("</table>\n<ul>\n");
            for (const BlameEntry &e : blame) {
                for (const BlameEvent &ev : e.events)
                    h += QStringLiteral("<li><a href=\"#%1\"><code>%2</code></a> %3</li>\n")
                             .arg(anchor(ev.revision), esc(ev.revision), esc(ev.change.describe()));
            }
            h += QStringLiteral("</ul>\n");
        }
    }
    h += QStringLiteral("</body>\n</html>\n");
    return h;
}

Result<QString> HistoryExport::writeHtml(const QString &file)
{
    const QByteArray bytes = html().toUtf8();
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        return Result<QString>::failure(
            QStringLiteral("cannot write %1: %2")
                .arg(QDir::toNativeSeparators(file), out.errorString()));
    return file;
}

Result<QStringList> HistoryExport::writeMarkdown(const QString &dir)
{
    using R = Result<QStringList>;
    if (!QDir().mkpath(dir))
        return R::failure(
            QStringLiteral("cannot make the folder %1").arg(QDir::toNativeSeparators(dir)));
    if (m_historySvg.isEmpty())
        paintHistory();
    Schema head;
    const QByteArray diagram = diagramSvg(&head);
    const QString name = QFileInfo(m_project.config.projectDir).fileName();
    const QString headId = headRevision();
    QString m;
    m += QStringLiteral("# Schema history of %1\n\n").arg(md(name));
    const QList<RevisionPage> all = pages();
    m += QStringLiteral("%1 revisions; head `%2`. Exported by Retort.\n\n")
             .arg(all.size())
             .arg(headId);
    if (!m_schema.problem.isEmpty())
        m += QStringLiteral("> %1\n\n").arg(md(m_schema.problem));
    m += QStringLiteral("## History graph\n\n![History graph](history.svg)\n\n## Revisions\n\n");
    for (const RevisionPage &p : all) {
        m += QStringLiteral("### %1\n\n").arg(md(p.title()));
        m += QStringLiteral("- Revision: `%1`\n").arg(p.id);
        m += QStringLiteral("- Revises: %1\n")
                 .arg(p.parents.isEmpty() ? QStringLiteral("(base)")
                                          : u'`' + p.parents.join(QStringLiteral("`, `")) + u'`');
        m += QStringLiteral("- File: `%1`\n").arg(p.path);
        if (!p.created.isEmpty())
            m += QStringLiteral("- Created: %1\n").arg(md(p.created));
        if (p.git)
            m += QStringLiteral("- %1: %2\n")
                     .arg(p.git->committed ? QStringLiteral("Author") : QStringLiteral("Git"),
                          md(p.gitLine()));
        m += QStringLiteral("\n**Operations**\n\n");
        for (const QString &op : p.operations)
            m += QStringLiteral("- `%1`\n").arg(op);
        if (p.operations.isEmpty())
            m += QStringLiteral("- none\n");
        m += QStringLiteral("\n**Schema changes**\n\n");
        if (!p.changes)
            m += QStringLiteral("- not known (the replay did not reach it)\n");
        else if (p.changes->isEmpty())
            m += QStringLiteral("- none\n");
        else
            for (const SchemaChange &c : *p.changes)
                m += QStringLiteral("- %1\n").arg(md(c.describe()));
        m += u'\n';
    }
    m += m_project.graph.heads().size() > 1
             ? QStringLiteral("## Schema at the %1 heads\n\n").arg(m_project.graph.heads().size())
             : QStringLiteral("## Schema at %1\n\n").arg(md(headId));
    QStringList written;
    auto write = [&](const QString &file, const QByteArray &bytes) -> bool {
        QSaveFile out(QDir(dir).filePath(file));
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
            return false;
        written.append(QDir(dir).filePath(file));
        return true;
    };
    if (!diagram.isEmpty()) {
        m += QStringLiteral("![ER diagram](schema.svg)\n\n");
        m += head.toMarkdown();
        // Each table's blame, as the HTML has it.
        m += QStringLiteral("\n## Who made each table\n\n");
        for (const SchemaTable &t : head.tables) {
            m += QStringLiteral("### %1\n\n").arg(md(t.qualifiedName()));
            const QList<BlameEntry> blame = blameOf(t.qualifiedName());
            for (const BlameEntry &e : blame)
                for (const BlameEvent &ev : e.events)
                    m += QStringLiteral("- `%1` %2\n").arg(ev.revision, md(ev.change.describe()));
            if (blame.isEmpty())
                m += QStringLiteral("- not known\n");
            m += u'\n';
        }
        if (!write(QStringLiteral("schema.svg"), diagram))
            return R::failure(QStringLiteral("cannot write schema.svg in %1").arg(dir));
    }
    if (!write(QStringLiteral("history.svg"), m_historySvg) ||
        !write(QStringLiteral("index.md"), m.toUtf8()))
        return R::failure(
            QStringLiteral("cannot write into %1").arg(QDir::toNativeSeparators(dir)));
    return written;
}

} // namespace Retort
