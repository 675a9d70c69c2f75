#include "schemasource.h"

#include <QHash>

#include <memory>

namespace Retort {

namespace {

struct Snapshots
{
    RevisionGraph graph;
    QList<int> order;
    Schema empty;
    std::function<std::optional<Schema>(int)> read;
    int keep = 0;
    QHash<int, std::optional<Schema>> kept; // only snapshots that exist

    std::optional<Schema> at(int r)
    {
        if (auto it = kept.constFind(r); it != kept.cend())
            return *it;
        std::optional<Schema> s = read(r);
        if (!s)
            return s; // perhaps replayed by the next time it is asked for
        if (keep > 0 && kept.size() >= keep)
            kept.clear(); // the newest `keep` are what the callers ask again
        kept.insert(r, s);
        return s;
    }

    std::optional<QList<SchemaChange>> changes(int r)
    {
        const std::optional<Schema> after = at(r);
        if (!after)
            return std::nullopt;
        QList<Schema> parents;
        const Revision &rev = graph.revision(r);
        for (int p : rev.parents + rev.dependencyParents) {
            std::optional<Schema> before = at(p);
            if (!before)
                return std::nullopt;
            parents.append(*before);
        }
        return SchemaDiff::ownChanges(*after, parents, empty);
    }

    Result<QList<BlameEntry>> blame(int r)
    {
        const RevisionGraph::NodeSet ancestors = graph.ancestors({r}, true);
        QList<int> ancestry;
        for (int x : std::as_const(order))
            if (x < int(ancestors.size()) && ancestors[size_t(x)])
                ancestry.append(x);
        return SchemaBlame::compute(graph, ancestry, empty, [this](int x) { return at(x); });
    }
};

} // namespace

SchemaSource SchemaSource::over(const RevisionGraph &graph, const QList<int> &order,
                                const Schema &empty,
                                std::function<std::optional<Schema>(int revision)> at, int keep)
{
    auto s = std::make_shared<Snapshots>();
    s->graph = graph;
    s->order = order;
    s->empty = empty;
    s->read = std::move(at);
    s->keep = keep;
    SchemaSource out;
    out.snapshot = [s](const QString &id) -> std::optional<Schema> {
        const int r = s->graph.indexOf(id);
        return r < 0 ? std::nullopt : s->at(r);
    };
    out.changes = [s](const QString &id) -> std::optional<QList<SchemaChange>> {
        const int r = s->graph.indexOf(id);
        return r < 0 ? std::nullopt : s->changes(r);
    };
    out.blame = [s](const QString &id) -> Result<QList<BlameEntry>> {
        const int r = s->graph.indexOf(id);
        if (r < 0)
            return Result<QList<BlameEntry>>::failure(
                QStringLiteral("no revision %1 in the history").arg(id));
        return s->blame(r);
    };
    return out;
}

} // namespace Retort
