#include "migrationplan.h"

#include "core/graph/revisionresolver.h"

#include <QSet>

namespace Retort {

namespace {

// Alembic's RevisionStep and HeadMaintainer.update_to_step, over ids.
class HeadMaintainer
{
public:
    HeadMaintainer(const RevisionGraph &graph, const QStringList &heads)
        : m_graph(graph)
        , m_heads(heads.cbegin(), heads.cend())
    {}

    QList<VersionChange> apply(int revision, bool upgrade)
    {
        QList<VersionChange> changes;
        const Revision &r = m_graph.revision(revision);
        QStringList down;
        for (int p : r.normalizedParents)
            down.append(m_graph.revision(p).id);
        const QStringList from = upgrade ? down : QStringList{r.id};
        const QStringList to = upgrade ? QStringList{r.id} : down;
        auto insert = [&](const QString &v) {
            m_heads.insert(v);
            changes.append({VersionChange::Kind::Insert, {}, v});
        };
        auto remove = [&](const QString &v) {
            m_heads.remove(v);
            changes.append({VersionChange::Kind::Delete, v, {}});
        };
        auto update = [&](const QString &f, const QString &t) {
            m_heads.remove(f);
            m_heads.insert(t);
            changes.append({VersionChange::Kind::Update, f, t});
        };
        if (!upgrade && m_heads.contains(r.id) && (down.isEmpty() || unmergeTo(r, to).isEmpty())) {
            remove(r.id); // should_delete_branch
        } else if (upgrade && (down.isEmpty() || !intersects(down))) {
            insert(r.id); // should_create_branch
        } else if (upgrade && down.size() > 1 && intersection(down).size() > 1) {
            // should_merge_branches: delete all but one, update that one
            QStringList others = QStringList(m_heads.cbegin(), m_heads.cend());
            QStringList candidates = from;
            const QSet<QString> otherHeads = QSet<QString>(others.cbegin(), others.cend()) -
                                             QSet<QString>(from.cbegin(), from.cend());
            if (!otherHeads.isEmpty()) {
                const auto anc = ancestorsOf(otherHeads);
                candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                                [&](const QString &c) { return anc.contains(c); }),
                                 candidates.end());
            }
            for (int k = 0; k + 1 < candidates.size(); ++k)
                remove(candidates.at(k));
            update(candidates.last(), to.first());
        } else if (!upgrade && m_heads.contains(r.id) && down.size() > 1) {
            // should_unmerge_branches: update to one parent, insert the others
            const QStringList targets = unmergeTo(r, to);
            for (int k = 0; k + 1 < targets.size(); ++k)
                insert(targets.at(k));
            update(from.first(), targets.last());
        } else {
            QString downId = down.value(0);
            if (down.size() != 1) {
                const QStringList present = intersection(down);
                downId = present.value(0);
            }
            if (upgrade)
                update(downId, r.id);
            else
                update(r.id, downId);
        }
        return changes;
    }

    QStringList heads() const
    {
        QStringList out(m_heads.cbegin(), m_heads.cend());
        out.sort();
        return out;
    }

private:
    bool intersects(const QStringList &ids) const { return !intersection(ids).isEmpty(); }
    QStringList intersection(const QStringList &ids) const
    {
        QStringList out;
        for (const QString &id : ids) {
            if (m_heads.contains(id))
                out.append(id);
        }
        return out;
    }
    QSet<QString> ancestorsOf(const QSet<QString> &ids) const
    {
        QList<int> targets;
        for (const QString &id : ids)
            targets.append(m_graph.indexOf(id));
        const auto set = m_graph.ancestors(targets, true);
        QSet<QString> out;
        for (int i = 0; i < int(set.size()); ++i) {
            if (set[i])
                out.insert(m_graph.revision(i).id);
        }
        return out;
    }
    // The parents a downgrade of `r` must restore: those no other head needs.
    QStringList unmergeTo(const Revision &r, const QStringList &to) const
    {
        QSet<QString> others = m_heads;
        others.remove(r.id);
        if (others.isEmpty())
            return to;
        const auto anc = ancestorsOf(others);
        QStringList out;
        for (const QString &t : to) {
            if (!anc.contains(t))
                out.append(t);
        }
        return out;
    }

    const RevisionGraph &m_graph;
    QSet<QString> m_heads;
};

} // namespace

QString VersionChange::describe() const
{
    switch (kind) {
    case Kind::Insert:
        return QStringLiteral("insert %1").arg(to);
    case Kind::Delete:
        return QStringLiteral("delete %1").arg(from);
    case Kind::Update:
        return QStringLiteral("update %1 → %2").arg(from, to);
    }
    return {};
}

Result<MigrationPlan> MigrationPlan::make(const RevisionGraph &graph,
                                          const QStringList &currentHeads, const QString &target,
                                          bool upgrade)
{
    const RevisionResolver resolver(graph);
    auto path = upgrade ? resolver.upgradePath(currentHeads, target)
                        : resolver.downgradePath(currentHeads, target);
    if (!path)
        return Result<MigrationPlan>::failure(path.error());
    MigrationPlan plan;
    plan.headsBefore = currentHeads;
    HeadMaintainer heads(graph, currentHeads);
    for (int revision : path.value())
        plan.steps.append({revision, upgrade, heads.apply(revision, upgrade)});
    plan.headsAfter = heads.heads();
    return plan;
}

QStringList MigrationPlan::describe(const RevisionGraph &graph) const
{
    QStringList out;
    for (const PlanStep &s : steps) {
        const Revision &r = graph.revision(s.revision);
        QStringList changes;
        for (const VersionChange &c : s.changes)
            changes << c.describe();
        const QString parents =
            r.downRevisions.isEmpty() ? QString() : r.downRevisions.join(QStringLiteral(", "));
        out << QStringLiteral("%1 %2 -> %3  (%4)")
                   .arg(s.upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                        s.upgrade ? parents : r.id, s.upgrade ? r.id : parents,
                        changes.join(QStringLiteral("; ")));
    }
    return out;
}

} // namespace Retort
