#include "detailsview.h"

#include "core/graph/revisiongraph.h"
#include "core/script/operationsummary.h"

#include <QEvent>
#include <QUrl>
#include <QUrlQuery>

namespace Retort {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString revisionLinks(const RevisionGraph &graph, const QList<int> &indices)
{
    if (indices.isEmpty())
        return QStringLiteral("<i>none</i>");
    QStringList out;
    for (int i : indices) {
        const QString &id = graph.revision(i).id;
        out.append(QStringLiteral("<a href=\"rev:%1\">%2</a>")
                       .arg(QString::fromUtf8(QUrl::toPercentEncoding(id)), esc(id)));
    }
    return out.join(QStringLiteral(", "));
}

// The columns of create_table / add_column: name, type, NOT NULL, PK, FK.
QString columnTable(const QList<ColumnSpec> &columns)
{
    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\" "
                                  "style=\"margin-left:8px\">");
    for (const ColumnSpec &c : columns) {
        QStringList flags;
        if (c.primaryKey)
            flags << QStringLiteral("PK");
        else if (c.notNull)
            flags << QStringLiteral("NOT NULL");
        if (!c.foreignKey.isEmpty())
            flags << QStringLiteral("→ ") + c.foreignKey;
        html +=
            QStringLiteral("<tr><td style=\"padding-right:8px\"><code>%1</code></td>"
                           "<td style=\"padding-right:8px\"><code>%2</code></td><td>%3</td></tr>")
                .arg(esc(c.name), esc(c.type), esc(flags.join(QStringLiteral(", "))));
    }
    return html + QStringLiteral("</table>");
}

QString operationList(const FunctionBody &body, const QString &emptyText)
{
    const QList<OperationKey> ops = operationKeys(body);
    if (ops.isEmpty())
        return QStringLiteral("<p style=\"margin-left:12px\"><i>%1</i></p>").arg(esc(emptyText));
    QString html = QStringLiteral("<ul style=\"margin-top:0\">");
    for (const OperationKey &op : ops) {
        // op.execute shows its whole statement, wrapped, not a cut line.
        const QString text = op.name == u"execute" && !op.literals.isEmpty()
                                 ? QStringLiteral("op.execute ") + op.literals.first().simplified()
                                 : summarizeOperation(op);
        html += QStringLiteral("<li><code>%1</code>").arg(esc(text));
        const QList<ColumnSpec> columns = columnsOf(op);
        if (op.name == u"add_column" && columns.size() == 1 && !columns.first().type.isEmpty())
            html += QStringLiteral(" <code>%1</code>").arg(esc(columns.first().type));
        else if (!columns.isEmpty())
            html += columnTable(columns);
        html += QStringLiteral("</li>");
    }
    return html + QStringLiteral("</ul>");
}

} // namespace

DetailsView::DetailsView(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setOpenExternalLinks(false);
    // Long statements and identifiers wrap instead of running off the side.
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() == u"rev")
            Q_EMIT revisionLinkActivated(QUrl::fromPercentEncoding(url.path().toUtf8()));
        else if (url.scheme() == u"file")
            Q_EMIT fileLinkActivated(url.toLocalFile(),
                                     QUrlQuery(url).queryItemValue(QStringLiteral("line")).toInt());
    });
    showNothing();
}

void DetailsView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    // Links and text take their colours from the palette when the HTML is
    // laid out: lay it out again when the palette changes.
    if (event->type() == QEvent::PaletteChange && m_show)
        m_show();
}

void DetailsView::showNothing()
{
    m_show = [this] { showNothing(); };
    setHtml(
        QStringLiteral("<p><i>%1</i></p>").arg(esc(tr("Select a revision to see its details."))));
}

void DetailsView::showRevision(const RevisionGraph &graph, int revision)
{
    if (revision < 0 || revision >= graph.size()) {
        showNothing();
        return;
    }
    m_show = [this, &graph, revision] { showRevision(graph, revision); };
    document()->setDefaultStyleSheet(
        QStringLiteral("a { color: %1; }").arg(palette().color(QPalette::Link).name()));
    const Revision &r = graph.revision(revision);
    const RevisionFile &f = graph.fileOf(revision);
    QList<int> dependencies;
    for (int d : r.dependencyParents)
        dependencies.append(d);
    QUrl fileUrl = QUrl::fromLocalFile(f.path);
    fileUrl.setQuery(QStringLiteral("line=%1").arg(qMax(1, f.revisionLine)));

    QString html;
    html += QStringLiteral("<h3 style=\"margin-bottom:2px\">%1</h3>")
                .arg(esc(f.message.isEmpty() ? tr("(no message)") : f.message));
    const QString longdoc = f.docstring.trimmed();
    const qsizetype rest = longdoc.indexOf(QLatin1String("\n\n"));
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"2\">");
    auto row = [&html](const QString &key, const QString &value) {
        html +=
            QStringLiteral("<tr><td style=\"padding-right:10px\"><b>%1</b></td><td>%2</td></tr>")
                .arg(esc(key), value);
    };
    row(tr("Revision"), QStringLiteral("<code>%1</code>").arg(esc(r.id)));
    row(tr("File"), QStringLiteral("<a href=\"%1\">%2</a>")
                        .arg(fileUrl.toString().toHtmlEscaped(), esc(f.fileName())));
    QString parents =
        r.downRevisions.isEmpty() ? QStringLiteral("<i>base</i>") : revisionLinks(graph, r.parents);
    for (const QString &down : r.downRevisions) {
        if (graph.indexOf(down) < 0)
            parents += QStringLiteral(" <span style=\"color:#c0392b\">%1 (%2)</span>")
                           .arg(esc(down), esc(tr("not found")));
    }
    if (r.parents.isEmpty() && !r.downRevisions.isEmpty())
        parents.remove(QStringLiteral("<i>none</i>"));
    row(r.isMergePoint() ? tr("Merges") : tr("Parent"), parents);
    row(tr("Children"), revisionLinks(graph, r.children));
    if (!dependencies.isEmpty())
        row(tr("Depends on"), revisionLinks(graph, dependencies));
    if (!r.dependents.isEmpty())
        row(tr("Needed by"), revisionLinks(graph, r.dependents));
    if (!r.branchLabels.isEmpty())
        row(tr("Branch labels"),
            esc(r.branchLabels.join(QStringLiteral(", "))) +
                (r.declaredLabels.isEmpty()
                     ? QString()
                     : tr(" (declared here: %1)")
                           .arg(esc(r.declaredLabels.join(QStringLiteral(", "))))));
    if (!f.docCreateDate.isEmpty())
        row(tr("Created"), esc(f.docCreateDate));
    html += QStringLiteral("</table>");
    if (rest > 0) {
        // The rest of the docstring, without the header lines shown above.
        QStringList body;
        for (const QString &line : longdoc.mid(rest + 2).split(u'\n')) {
            const QString t = line.trimmed();
            if (!t.startsWith(u"Revision ID:") && !t.startsWith(u"Revises:") &&
                !t.startsWith(u"Create Date:"))
                body.append(line);
        }
        const QString text = body.join(u'\n').trimmed();
        if (!text.isEmpty())
            html += QStringLiteral("<pre style=\"white-space:pre-wrap\">%1</pre>").arg(esc(text));
    }
    html += QStringLiteral("<p style=\"margin-bottom:0\"><b>%1</b></p>").arg(esc(tr("upgrade()")));
    html += operationList(f.upgrade,
                          f.upgrade.present ? tr("no operations") : tr("no upgrade() function"));
    html +=
        QStringLiteral("<p style=\"margin-bottom:0\"><b>%1</b></p>").arg(esc(tr("downgrade()")));
    html += operationList(f.downgrade, !f.downgrade.present ? tr("no downgrade() function")
                                       : f.downgrade.raisesNotImplemented
                                           ? tr("raises NotImplementedError")
                                           : tr("no operations"));
    setHtml(html);
}

} // namespace Retort
