#pragma once

#include "core/result.h"
#include "revisiongraph.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Retort {

// A revision expression resolved against a graph: revision indices, where
// -1 stands for "base" (no revision), as Alembic returns None.
using RevisionList = QList<int>;

// Alembic's revision identifier syntax and its error messages: head, heads,
// base, ids and unique prefixes of 4+ characters, branch labels,
// label@head, label@base, +N, -N, rev+N, rev-N, label@+N, and history
// ranges. Errors read like the `alembic` command's.
class RevisionResolver
{
public:
    explicit RevisionResolver(const RevisionGraph &graph)
        : m_graph(graph)
    {}

    // ScriptDirectory.get_revisions(spec)
    Result<RevisionList> revisions(const QString &spec) const;
    // ScriptDirectory.get_revision(spec): exactly one (or base).
    Result<int> revision(const QString &spec) const;
    // ScriptDirectory.walk_revisions(base, head): newest first.
    Result<RevisionList> walk(const QString &base, const QString &head) const;
    // `alembic history -r RANGE`: "a:b", "a:" or ":b".
    Result<RevisionList> historyRange(const QString &range) const;

    // ScriptDirectory._upgrade_revs: what `alembic upgrade DESTINATION` runs
    // on a database whose version table holds `current`, in order.
    Result<RevisionList> upgradePath(const QStringList &current, const QString &destination) const;
    // ScriptDirectory._downgrade_revs: what `alembic downgrade DESTINATION` runs.
    Result<RevisionList> downgradePath(const QStringList &current,
                                       const QString &destination) const;

private:
    struct Resolved
    {
        QStringList ids;
        std::optional<QString> branch;
    };
    // Identifiers are strings; base is -1; a walk past the end is -2.
    Resolved resolveNumber(const QString &id) const;
    RevisionList getRevisions(const QString &id) const;
    RevisionList getRevisionsOf(const QStringList &ids) const;
    int getRevision(const QString &id) const;
    int revisionForIdent(const QString &id, const std::optional<QString> &branch) const;
    int resolveBranch(const QString &label) const;
    int currentHead(const std::optional<QString> &branch) const;
    RevisionList filterForLineage(const RevisionList &targets, const QString &checkAgainst) const;
    bool sharesLineage(int target, const RevisionList &against) const;
    int walkSteps(int start, int steps, const std::optional<QString> &branch,
                  bool noOverwalk) const;
    RevisionList parseUpgradeTarget(const QStringList &current, const QString &target,
                                    bool assertRelativeLength) const;
    int parseDowngradeTarget(const QStringList &current, const QString &target,
                             bool assertRelativeLength) const;
    RevisionList iterateUpgrade(const QString &upper, const QString &lower, bool inclusive,
                                bool assertRelativeLength) const;
    RevisionGraph::NodeSet relatedChecked(const RevisionList &targets, bool up) const;

    const RevisionGraph &m_graph;
};

} // namespace Retort
