#include "revisiongraph.h"

// Walking a built graph: selections, ancestors and descendants, and the
// order `alembic history` lists revisions in.

namespace Retort {

namespace {

// Marks the targets and everything reachable through `next(revision, todo)`.
template<typename Next>
RevisionGraph::NodeSet reachable(const QList<Revision> &revisions, const QList<int> &targets,
                                 Next next)
{
    RevisionGraph::NodeSet seen(revisions.size(), false);
    std::vector<int> todo(targets.cbegin(), targets.cend());
    while (!todo.empty()) {
        const int i = todo.back();
        todo.pop_back();
        if (i < 0 || seen[i])
            continue;
        seen[i] = true;
        next(revisions.at(i), todo);
    }
    return seen;
}

} // namespace

QList<int> RevisionGraph::select(bool (Revision::*predicate)() const) const
{
    QList<int> out;
    for (int i = 0; i < m_revisions.size(); ++i) {
        if ((m_revisions.at(i).*predicate)())
            out.append(i);
    }
    return out;
}

RevisionGraph::NodeSet RevisionGraph::ancestors(const QList<int> &targets,
                                                bool includeDependencies) const
{
    return reachable(m_revisions, targets, [&](const Revision &r, std::vector<int> &todo) {
        const QList<int> &up = includeDependencies ? r.normalizedParents : r.parents;
        todo.insert(todo.end(), up.cbegin(), up.cend());
    });
}

RevisionGraph::NodeSet RevisionGraph::descendants(const QList<int> &targets,
                                                  bool includeDependencies) const
{
    return reachable(m_revisions, targets, [&](const Revision &r, std::vector<int> &todo) {
        todo.insert(todo.end(), r.children.cbegin(), r.children.cend());
        if (includeDependencies)
            todo.insert(todo.end(), r.dependents.cbegin(), r.dependents.cend());
    });
}

QList<int> RevisionGraph::history() const
{
    if (m_hasCycles) {
        QList<int> out;
        for (int i = size() - 1; i >= 0; --i)
            out.append(i);
        return out;
    }
    return topologicalSort(NodeSet(m_revisions.size(), true), realHeads());
}

QList<int> RevisionGraph::topologicalSort(const NodeSet &nodes, const QList<int> &heads) const
{
    // A port of Alembic's RevisionMap._topological_sort, so that histories
    // list in the same order as `alembic history`.
    NodeSet todo = nodes;
    int remaining = int(std::count(todo.begin(), todo.end(), true));
    QList<int> current;
    for (int h : heads) {
        if (h >= 0 && todo[h] && !current.contains(h))
            current.append(h);
    }
    std::sort(current.begin(), current.end());
    std::vector<NodeSet> ancestorsByIndex;
    ancestorsByIndex.reserve(current.size());
    for (int h : std::as_const(current))
        ancestorsByIndex.push_back(ancestors({h}, true));

    QList<int> output;
    output.reserve(remaining);
    int candidateIndex = 0;
    while (!current.isEmpty()) {
        const int candidate = current.at(candidateIndex);
        bool deferred = false;
        for (int k = 0; k < int(ancestorsByIndex.size()); ++k) {
            if (k != candidateIndex && ancestorsByIndex[k][candidate]) {
                candidateIndex = k;
                deferred = true;
                break;
            }
        }
        if (deferred)
            continue;
        if (todo[candidate]) {
            output.append(candidate);
            todo[candidate] = false;
            --remaining;
        }
        QList<int> toAdd;
        for (int p : m_revisions.at(candidate).normalizedParents) {
            if (todo[p] && !current.contains(p))
                toAdd.append(p);
        }
        if (toAdd.isEmpty()) {
            current.removeAt(candidateIndex);
            ancestorsByIndex.erase(ancestorsByIndex.begin() + candidateIndex);
            candidateIndex = qMax(candidateIndex - 1, 0);
            continue;
        }
        const Revision &r = m_revisions.at(candidate);
        current[candidateIndex] = toAdd.first();
        if (r.normalizedDependencies.isEmpty() && r.downRevisions.size() == 1) {
            ancestorsByIndex[candidateIndex][candidate] = false;
        } else {
            ancestorsByIndex[candidateIndex] = ancestors({toAdd.first()}, true);
            for (int k = 1; k < toAdd.size(); ++k) {
                current.append(toAdd.at(k));
                ancestorsByIndex.push_back(ancestors({toAdd.at(k)}, true));
            }
        }
    }
    return output;
}

} // namespace Retort
