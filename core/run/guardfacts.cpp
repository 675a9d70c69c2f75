#include "guardfacts.h"

#include "core/script/operationsummary.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace Retort {

GuardFacts GuardFacts::of(const RevisionGraph &graph, const QList<int> &revisions)
{
    static const QRegularExpression destructiveSql(
        QStringLiteral("\\b(DROP|TRUNCATE|DELETE\\s+FROM)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    GuardFacts facts;
    for (int i : revisions) {
        if (i < 0 || i >= graph.size())
            continue;
        const RevisionFile &f = graph.fileOf(i);
        Reverted r;
        r.id = graph.revision(i).id;
        r.message = f.message;
        r.path = f.path;
        r.emptyDowngrade = !f.downgrade.present || f.downgrade.isEmpty;
        r.raisesDowngrade = f.downgrade.raisesNotImplemented;
        for (const OperationKey &op : operationKeys(f.downgrade)) {
            if (op.name == u"drop_table")
                r.destroys << QStringLiteral("drop_table %1").arg(op.table());
            else if (op.name == u"drop_column")
                r.destroys << QStringLiteral("drop_column %1.%2").arg(op.table(), op.column());
            else if (op.name == u"execute" && destructiveSql.match(op.arguments).hasMatch())
                r.destroys << QStringLiteral("execute %1").arg(op.arguments.simplified().left(80));
        }
        facts.reverted.append(r);
    }
    return facts;
}

QList<int> GuardFacts::removedBy(const RevisionGraph &graph, const QList<int> &before,
                                 const QList<int> &after)
{
    const RevisionGraph::NodeSet had = before.isEmpty()
                                           ? RevisionGraph::NodeSet(size_t(graph.size()), false)
                                           : graph.ancestors(before, true);
    const RevisionGraph::NodeSet will = after.isEmpty()
                                            ? RevisionGraph::NodeSet(size_t(graph.size()), false)
                                            : graph.ancestors(after, true);
    QList<int> out;
    // Newest first: the order Alembic's history lists them in.
    for (int i : graph.history()) {
        if (had[size_t(i)] && !will[size_t(i)])
            out.append(i);
    }
    return out;
}

void GuardFacts::addGitFacts(const QHash<QString, GitFileFacts> &git)
{
    for (Reverted &r : reverted) {
        const auto it = git.constFind(r.path);
        if (it == git.cend())
            continue;
        r.pushed = it->pushed ? 1 : 0;
        r.pushedWhere = it->remoteBranch;
    }
}

QString GuardFacts::confirmationName(const ConnectionProfile &profile)
{
    return profile.driver == ConnectionProfile::Driver::SQLite
               ? QFileInfo(profile.database).fileName()
               : profile.database;
}

int GuardFacts::pushedCount() const
{
    int n = 0;
    for (const Reverted &r : reverted)
        n += r.pushed == 1 ? 1 : 0;
    return n;
}

int GuardFacts::destroyingCount() const
{
    int n = 0;
    for (const Reverted &r : reverted)
        n += r.destroys.isEmpty() ? 0 : 1;
    return n;
}

QStringList GuardFacts::describe() const
{
    QStringList out;
    for (const Reverted &r : reverted) {
        QStringList notes;
        if (r.raisesDowngrade)
            notes << QStringLiteral("its downgrade raises NotImplementedError");
        else if (r.emptyDowngrade)
            notes << QStringLiteral("its downgrade is empty: nothing is undone");
        if (!r.destroys.isEmpty())
            notes << QStringLiteral("destroys data: ") + r.destroys.join(QStringLiteral(", "));
        if (r.pushed == 1)
            notes << QStringLiteral("already pushed (%1)").arg(r.pushedWhere);
        else if (r.pushed == 0)
            notes << QStringLiteral("not pushed");
        out << QStringLiteral("%1  %2%3")
                   .arg(r.id, r.message,
                        notes.isEmpty()
                            ? QString()
                            : QStringLiteral("  — ") + notes.join(QStringLiteral("; ")));
    }
    return out;
}

} // namespace Retort
