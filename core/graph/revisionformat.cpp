#include "revisionformat.h"

namespace Retort::RevisionFormat {

namespace {
const QString kComma = QStringLiteral(", ");

QString longdoc(const RevisionFile &file)
{
    return file.docstring.trimmed();
}
} // namespace

QString downRevisions(const Revision &revision)
{
    if (revision.downRevisions.isEmpty())
        return QStringLiteral("<base>");
    return revision.downRevisions.join(kComma);
}

QString line(const RevisionGraph &graph, int index, const LineOptions &options)
{
    const Revision &r = graph.revision(index);
    QString text = r.id;
    if (options.includeParents) {
        if (!r.dependsOn.isEmpty())
            text = downRevisions(r) + QStringLiteral(" (") + r.dependsOn.join(kComma) +
                   QStringLiteral(") -> ") + text;
        else
            text = downRevisions(r) + QStringLiteral(" -> ") + text;
    }
    if (options.includeBranches && !r.branchLabels.isEmpty())
        text += QStringLiteral(" (") + r.branchLabels.join(kComma) + u')';
    if (r.isRealHead())
        text += QStringLiteral(" (head)");
    else if (r.isHead())
        text += QStringLiteral(" (effective head)");
    if (options.treeIndicators) {
        if (r.isBranchPoint())
            text += QStringLiteral(" (branchpoint)");
        if (r.isMergePoint())
            text += QStringLiteral(" (mergepoint)");
    }
    if (options.includeDoc)
        text += kComma + graph.fileOf(index).message;
    return text;
}

QString logEntry(const RevisionGraph &graph, int index)
{
    const Revision &r = graph.revision(index);
    const RevisionFile &f = graph.fileOf(index);
    QString entry = QStringLiteral("Rev: ") + r.id;
    if (r.isHead())
        entry += QStringLiteral(" (head)");
    if (r.isBranchPoint())
        entry += QStringLiteral(" (branchpoint)");
    if (r.isMergePoint())
        entry += QStringLiteral(" (mergepoint)");
    entry += u'\n';
    entry += (r.isMergePoint() ? QStringLiteral("Merges: ") : QStringLiteral("Parent: ")) +
             downRevisions(r) + u'\n';
    if (!r.dependsOn.isEmpty())
        entry += QStringLiteral("Also depends on: ") + r.dependsOn.join(kComma) + u'\n';
    if (r.isBranchPoint()) {
        QStringList next;
        for (int c : r.children)
            next.append(graph.revision(c).id);
        next.sort();
        entry += QStringLiteral("Branches into: ") + next.join(kComma) + u'\n';
    }
    if (!r.branchLabels.isEmpty())
        entry += QStringLiteral("Branch names: ") + r.branchLabels.join(kComma) + u'\n';
    entry += QStringLiteral("Path: ") + f.path + u'\n';
    QStringList paragraphs;
    const QStringList lines = longdoc(f).split(u'\n');
    for (const QString &l : lines)
        paragraphs.append(QStringLiteral("    ") + l);
    if (longdoc(f).isEmpty())
        paragraphs.clear();
    entry += u'\n' + paragraphs.join(u'\n') + u'\n';
    return entry;
}

} // namespace Retort::RevisionFormat
