#include "revisiongraph.h"

#include <algorithm>
#include <bit>

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

QString joinIds(QStringList ids)
{
    return ids.join(QStringLiteral(", "));
}

} // namespace

RevisionGraph RevisionGraph::build(QList<RevisionFile> files)
{
    RevisionGraph g;
    g.m_files = std::move(files);
    g.m_revisions.reserve(g.m_files.size());
    g.m_index.reserve(g.m_files.size());
    for (int i = 0; i < g.m_files.size(); ++i) {
        const RevisionFile &f = g.m_files.at(i);
        if (!f.diagnostics.isEmpty())
            g.m_diagnostics.append(f.diagnostics);
        if (f.revision.kind != PythonValue::Kind::String || f.revisionId().isEmpty())
            continue;
        Revision r;
        r.id = f.revisionId();
        r.file = i;
        if (f.downRevision.isLiteral())
            r.downRevisions = f.downRevision.items;
        // Alembic's tuple_rev_as_scalar: "" and () mean "no parent".
        if (r.downRevisions.size() == 1 && r.downRevisions.first().isEmpty())
            r.downRevisions.clear();
        r.dependsOn = f.dependsOn.toList();
        // Alembic's tuple_rev_as_scalar: ("",) and "" are "", which is falsy.
        if (r.dependsOn.size() == 1 && r.dependsOn.first().isEmpty()) {
            r.dependsOn.clear();
            r.emptyDependsOn = true;
        }
        r.declaredLabels = f.branchLabels.toList();
        if (r.downRevisions.contains(r.id)) {
            g.m_diagnostics.append(
                {Severity::Error, QStringLiteral("cycle"), f.path, f.downRevision.span.line,
                 QStringLiteral("Revision %1 names itself as its down_revision.").arg(r.id)});
            r.downRevisions.removeAll(r.id);
        }
        if (r.dependsOn.contains(r.id)) {
            g.m_diagnostics.append({Severity::Error, QStringLiteral("cycle"), f.path,
                                    f.dependsOn.span.line,
                                    QStringLiteral("Revision %1 depends on itself.").arg(r.id)});
            r.dependsOn.removeAll(r.id);
        }
        const auto existing = g.m_index.constFind(r.id);
        if (existing != g.m_index.cend()) {
            const QString &other = g.m_files.at(g.m_revisions.at(*existing).file).path;
            g.m_diagnostics.append(
                {Severity::Error, QStringLiteral("duplicate-revision"), f.path, f.revisionLine,
                 QStringLiteral("Revision id %1 is also declared by %2; Alembic keeps only the "
                                "last file it reads.")
                     .arg(r.id, other)});
            // Like Alembic's ordered map: the later file wins, the position stays.
            g.m_revisions[*existing] = std::move(r);
            continue;
        }
        g.m_index.insert(r.id, int(g.m_revisions.size()));
        g.m_revisions.append(std::move(r));
    }

    for (int i = 0; i < g.m_revisions.size(); ++i) {
        const Revision &r = g.m_revisions.at(i);
        for (const QString &label : r.declaredLabels) {
            const int clash = g.m_labels.value(label, g.m_index.value(label, -1));
            if (clash >= 0) {
                const RevisionFile &f = g.m_files.at(r.file);
                g.m_diagnostics.append(
                    {Severity::Error, QStringLiteral("duplicate-branch-label"), f.path,
                     f.branchLabels.span.line,
                     QStringLiteral("Branch name '%1' in revision %2 already used by revision %3.")
                         .arg(label, r.id, g.m_revisions.at(clash).id)});
                continue;
            }
            g.m_labels.insert(label, i);
        }
    }
    g.resolveDependencies();
    g.link();
    g.detectCycles();
    if (!g.m_hasCycles) {
        g.normalizeDependencies();
        g.propagateLabels();
    } else {
        for (Revision &r : g.m_revisions)
            r.normalizedParents = r.parents;
    }
    g.checkIds();
    return g;
}

void RevisionGraph::resolveDependencies()
{
    for (Revision &r : m_revisions) {
        for (const QString &dep : std::as_const(r.dependsOn)) {
            int target = m_index.value(dep, -1);
            if (target < 0)
                target = m_labels.value(dep, -1);
            if (target < 0) {
                m_hasMissingParents = true;
                const RevisionFile &f = m_files.at(r.file);
                m_diagnostics.append(
                    {Severity::Error, QStringLiteral("unknown-dependency"), f.path,
                     f.dependsOn.span.line,
                     QStringLiteral("depends_on names '%1', which is neither a revision nor a "
                                    "branch label in this project.")
                         .arg(dep)});
                continue;
            }
            const QString &id = m_revisions.at(target).id;
            if (!r.resolvedDependencies.contains(id))
                r.resolvedDependencies.append(id);
        }
    }
}

void RevisionGraph::link()
{
    for (int i = 0; i < m_revisions.size(); ++i) {
        Revision &r = m_revisions[i];
        const RevisionFile &f = m_files.at(r.file);
        for (const QString &down : std::as_const(r.downRevisions)) {
            const int p = m_index.value(down, -1);
            if (p < 0) {
                m_hasMissingParents = true;
                m_diagnostics.append(
                    {Severity::Error, QStringLiteral("unknown-down-revision"), f.path,
                     f.downRevision.span.line,
                     QStringLiteral("down_revision names '%1', which no file in the versions "
                                    "folder declares.")
                         .arg(down)});
                continue;
            }
            if (!r.parents.contains(p)) {
                r.parents.append(p);
                m_revisions[p].children.append(i);
            }
        }
        for (const QString &dep : std::as_const(r.resolvedDependencies)) {
            const int p = m_index.value(dep);
            r.dependencyParents.append(p);
            if (!r.parents.contains(p))
                m_revisions[p].dependents.append(i);
        }
    }
}

void RevisionGraph::normalizeDependencies()
{
    // A dependency that an ancestor already declares is implied; Alembic
    // drops it. inherited[i]: the dependencies declared by i's ancestors,
    // as sorted indices, computed parents-first so chains share one list.
    const int n = size();
    std::vector<QList<int>> inherited(n);
    auto dependencyIndices = [this](int i) {
        QList<int> out;
        for (const QString &d : m_revisions.at(i).resolvedDependencies)
            out.append(m_index.value(d));
        std::sort(out.begin(), out.end());
        return out;
    };
    auto unite = [](const QList<int> &a, const QList<int> &b) {
        if (a.isEmpty())
            return b;
        if (b.isEmpty())
            return a;
        QList<int> out;
        out.reserve(a.size() + b.size());
        std::set_union(a.cbegin(), a.cend(), b.cbegin(), b.cend(), std::back_inserter(out));
        return out;
    };
    for (int i : std::as_const(m_parentsFirst)) {
        Revision &r = m_revisions[i];
        QList<int> acc;
        for (int p : std::as_const(r.parents))
            acc = unite(unite(acc, inherited[p]), dependencyIndices(p));
        inherited[i] = acc;
        r.normalizedParents = r.parents;
        if (r.resolvedDependencies.isEmpty())
            continue;
        QStringList normalized;
        for (const QString &d : std::as_const(r.resolvedDependencies)) {
            if (!std::binary_search(acc.cbegin(), acc.cend(), m_index.value(d)))
                normalized.append(d);
        }
        r.normalizedDependencies = normalized;
        for (const QString &d : std::as_const(normalized)) {
            const int k = m_index.value(d);
            if (!r.normalizedParents.contains(k))
                r.normalizedParents.append(k);
        }
    }
}

void RevisionGraph::detectCycles()
{
    // Kahn's algorithm, first over down_revision edges, then with depends_on.
    for (const bool withDependencies : {false, true}) {
        const int n = size();
        std::vector<int> pending(n, 0);
        for (int i = 0; i < n; ++i) {
            pending[i] = int(m_revisions.at(i).parents.size());
            if (withDependencies) {
                for (int p : m_revisions.at(i).dependencyParents)
                    pending[i] += m_revisions.at(i).parents.contains(p) ? 0 : 1;
            }
        }
        QList<int> ready;
        for (int i = 0; i < n; ++i) {
            if (pending[i] == 0)
                ready.append(i);
        }
        QList<int> order;
        order.reserve(n);
        while (!ready.isEmpty()) {
            const int i = ready.takeLast();
            order.append(i);
            auto release = [&](int c) {
                if (--pending[c] == 0)
                    ready.append(c);
            };
            for (int c : m_revisions.at(i).children)
                release(c);
            if (withDependencies) {
                for (int c : m_revisions.at(i).dependents)
                    release(c);
            }
        }
        if (!withDependencies)
            m_parentsFirst = order;
        QList<int> cyclic;
        for (int i = 0; i < n; ++i) {
            if (pending[i] > 0)
                cyclic.append(i);
        }
        // Alembic's own test: whatever the real heads and real bases do not
        // both reach is in a cycle (a base with depends_on = "" is no real
        // base, so what hangs from it only is).
        // (Not where a parent is missing: that is reported as what it is.)
        if (cyclic.isEmpty() && withDependencies && !m_hasMissingParents)
            cyclic = unreachableFromRealEnds();
        if (cyclic.isEmpty())
            continue;
        QStringList ids;
        for (int i : std::as_const(cyclic))
            ids.append(m_revisions.at(i).id);
        ids.sort();
        m_hasCycles = true;
        const RevisionFile &f = m_files.at(m_revisions.at(cyclic.first()).file);
        m_diagnostics.append({Severity::Error, QStringLiteral("cycle"), f.path,
                              f.downRevision.span.line,
                              QStringLiteral("%1 is detected in revisions (%2).")
                                  .arg(withDependencies ? QStringLiteral("Dependency cycle")
                                                        : QStringLiteral("Cycle"),
                                       joinIds(ids))});
        return;
    }
}

QList<int> RevisionGraph::unreachableFromRealEnds() const
{
    const QList<int> heads = realHeads();
    const QList<int> bases = realBases();
    NodeSet fromHeads(m_revisions.size(), false);
    NodeSet fromBases(m_revisions.size(), false);
    if (!heads.isEmpty() && !bases.isEmpty()) {
        fromHeads = reachable(m_revisions, heads, [](const Revision &r, std::vector<int> &todo) {
            todo.insert(todo.end(), r.parents.cbegin(), r.parents.cend());
            todo.insert(todo.end(), r.dependencyParents.cbegin(), r.dependencyParents.cend());
        });
        fromBases = descendants(bases, true);
    }
    QList<int> out;
    for (int i = 0; i < size(); ++i) {
        if (!fromHeads[i] || !fromBases[i])
            out.append(i);
    }
    return out;
}

void RevisionGraph::propagateLabels()
{
    // A label names a whole branch: every descendant, and the ancestors back
    // to the point where the branch split off. Labels become bits, numbered
    // in name order, and flow parents-first in one pass: linear in the graph
    // times the number of labels / 64, with no string compares.
    QStringList names;
    for (const Revision &r : std::as_const(m_revisions))
        names += r.declaredLabels;
    if (names.isEmpty())
        return;
    names.sort();
    names.removeDuplicates();
    QHash<QString, int> bit;
    for (int k = 0; k < names.size(); ++k)
        bit.insert(names.at(k), k);
    const size_t words = size_t(names.size() + 63) / 64;
    const int n = size();
    std::vector<quint64> bits(size_t(n) * words, 0);
    auto row = [&](int i) { return bits.data() + size_t(i) * words; };
    for (int i : std::as_const(m_parentsFirst)) {
        quint64 *mine = row(i);
        for (const QString &l : m_revisions.at(i).declaredLabels) {
            const int b = bit.value(l);
            mine[b / 64] |= quint64(1) << (b % 64);
        }
        for (int p : m_revisions.at(i).parents) {
            const quint64 *theirs = row(p);
            for (size_t w = 0; w < words; ++w)
                mine[w] |= theirs[w];
        }
    }
    // Ancestors back to the branch point (Alembic walks from the label's
    // revision up its first parent until a branch or merge point).
    for (int i = 0; i < n; ++i) {
        if (m_revisions.at(i).declaredLabels.isEmpty())
            continue;
        std::vector<quint64> declared(words, 0);
        for (const QString &l : m_revisions.at(i).declaredLabels) {
            const int b = bit.value(l);
            declared[size_t(b) / 64] |= quint64(1) << (b % 64);
        }
        int parent = i;
        while (parent >= 0) {
            const Revision &p = m_revisions.at(parent);
            if (p.isRealBranchPoint() || p.isMergePoint())
                break;
            quint64 *mine = row(parent);
            for (size_t w = 0; w < words; ++w)
                mine[w] |= declared[w];
            parent = p.parents.isEmpty() ? -1 : p.parents.first();
        }
    }
    for (int i = 0; i < n; ++i) {
        const quint64 *mine = row(i);
        QStringList &labels = m_revisions[i].branchLabels;
        for (size_t w = 0; w < words; ++w) {
            for (quint64 v = mine[w]; v; v &= v - 1)
                labels.append(names.at(int(w * 64) + std::countr_zero(v)));
        }
    }
}

void RevisionGraph::checkIds()
{
    for (const Revision &r : std::as_const(m_revisions)) {
        const RevisionFile &f = m_files.at(r.file);
        QStringList illegal;
        for (const QChar c : r.id) {
            if ((c == u'@' || c == u'-' || c == u'+' || c == u':') && !illegal.contains(c))
                illegal.append(c);
        }
        illegal.sort();
        if (!illegal.isEmpty())
            m_diagnostics.append(
                {Severity::Error, QStringLiteral("illegal-revision-id"), f.path, f.revisionLine,
                 QStringLiteral("Character(s) '%1' not allowed in revision identifier '%2'; they "
                                "have meaning in revision expressions such as label@head, -1 "
                                "and ranges.")
                     .arg(illegal.join(QStringLiteral(", ")), r.id)});
        if (r.id.size() > 32)
            m_diagnostics.append(
                {Severity::Error, QStringLiteral("revision-id-too-long"), f.path, f.revisionLine,
                 QStringLiteral("Revision id '%1' has %2 characters; alembic_version.version_num "
                                "is VARCHAR(32), so databases cannot record it.")
                     .arg(r.id)
                     .arg(r.id.size())});
    }
    const QList<int> h = heads();
    if (h.size() > 1) {
        QStringList ids;
        for (int i : h)
            ids.append(m_revisions.at(i).id);
        m_diagnostics.append(
            {Severity::Warning, QStringLiteral("multiple-heads"), QString(), 0,
             QStringLiteral("The history has %1 heads (%2); `alembic upgrade head` will refuse "
                            "to run until they are merged.")
                 .arg(h.size())
                 .arg(joinIds(ids))});
    }
}

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
