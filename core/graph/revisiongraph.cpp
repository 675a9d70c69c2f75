#include "revisiongraph.h"
#include "core/workers.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>

namespace Retort {

namespace {

// Runs `a` on a helper of `workers` (waiting for work, it takes `a` at
// once) and `b` on this thread; below a few hundred rows, or without a
// helper, both run here.
template<typename A, typename B> void inParallel(Workers *workers, int rows, A a, B b)
{
    if (workers && workers->helpers() > 0 && rows >= 512) {
        workers->inParallel(a, b);
        return;
    }
    a();
    b();
}

QString joinIds(QStringList ids)
{
    return ids.join(QStringLiteral(", "));
}

} // namespace

RevisionGraph RevisionGraph::build(QList<RevisionFile> files)
{
    Builder builder(files.size());
    return builder.build(std::move(files));
}

RevisionGraph::Builder::Builder(qsizetype files)
    : m_storage(QTypedArrayData<Revision>::allocate(files))
    , m_facts(size_t(files))
    , m_ids(std::make_unique_for_overwrite<IdKey[]>(size_t(files)))
    , m_downs(std::make_unique_for_overwrite<IdKey[]>(size_t(files)))
    , m_size(files)
{
    // The list's storage, but each row is constructed by the thread that
    // prepares it (constructing them all here would be serial work before
    // any reading). The list's size stays 0 until build() hands it over.
}

RevisionGraph::Builder::~Builder()
{
    for (qsizetype i = 0; i < m_size; ++i) {
        if (m_facts[size_t(i)].flags & Prepared)
            m_storage.data()[i].~Revision();
    }
}

void RevisionGraph::Builder::prepare(int i, const RevisionFile &f)
{
    Revision &r = *new (m_storage.data() + i) Revision;
    Facts &facts = m_facts[size_t(i)];
    facts.flags = Prepared;
    if (!f.diagnostics.isEmpty())
        facts.flags |= HasDiagnostics;
    if (f.revision.kind != PythonValue::Kind::String || f.revisionId().isEmpty())
        return;
    facts.flags |= Valid;
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
    if (!r.declaredLabels.isEmpty())
        facts.flags |= HasLabels;
    if (r.downRevisions.contains(r.id)) {
        facts.flags |= NamesItself;
        r.downRevisions.removeAll(r.id);
    }
    if (r.dependsOn.contains(r.id)) {
        facts.flags |= DependsOnItself;
        r.dependsOn.removeAll(r.id);
    }
    if (!r.dependsOn.isEmpty())
        facts.flags |= HasDependencies;
    if (r.isRealBase())
        facts.flags |= RealBase;
    if (r.isMergePoint())
        facts.flags |= MergePoint;
    bool suspicious = r.id.size() > 32;
    for (const QChar c : std::as_const(r.id))
        suspicious = suspicious || c == u'@' || c == u'-' || c == u'+' || c == u':';
    if (suspicious)
        facts.flags |= SuspiciousId;
    facts.hash = IdIndex::hashOf(r.id);
    m_ids[size_t(i)].set(r.id);
    if (r.downRevisions.size() == 1) {
        facts.flags |= OneDown;
        const QString &down = r.downRevisions.first();
        facts.downHash = IdIndex::hashOf(down);
        m_downs[size_t(i)].set(down);
    }
}

RevisionGraph RevisionGraph::Builder::build(QList<RevisionFile> files, Workers *workers)
{
    // Without a load's workers, a helper of its own where a second thread
    // pays (starting one costs about as much as building 2,000 rows).
    std::optional<Workers> own;
    if (!workers && m_size >= 4096)
        workers = &own.emplace(qMin(1, Workers::defaultHelpers()));
    Q_ASSERT(files.size() == m_size);
    RevisionGraph g;
    g.m_files = std::move(files);
    const int n = int(m_size);
    for (int i = 0; i < n; ++i) {
        if (!(m_facts[size_t(i)].flags & Prepared))
            prepare(i, g.m_files.at(i));
    }
    g.m_index.reserve(n, std::move(m_ids));
    std::vector<int> suspicious;
    // Rows are compacted in place: a file without an id leaves a hole that
    // the next revision moves into; nearly always nothing moves at all.
    Revision *rows = m_storage.data();
    int kept = 0;
    for (int i = 0; i < n; ++i) {
        Facts &facts = m_facts[size_t(i)];
        const RevisionFile &f = g.m_files.at(i);
        if (facts.flags & HasDiagnostics)
            g.m_diagnostics.append(f.diagnostics);
        if (!(facts.flags & Valid)) {
            rows[i].~Revision();
            facts.flags &= quint16(~Prepared);
            continue;
        }
        const QString &id = rows[i].id;
        if (facts.flags & NamesItself)
            g.m_diagnostics.append(
                {Severity::Error, QStringLiteral("cycle"), f.path, f.downRevision.span.line,
                 QStringLiteral("Revision %1 names itself as its down_revision.").arg(id)});
        if (facts.flags & DependsOnItself)
            g.m_diagnostics.append({Severity::Error, QStringLiteral("cycle"), f.path,
                                    f.dependsOn.span.line,
                                    QStringLiteral("Revision %1 depends on itself.").arg(id)});
        const int existing = g.m_index.find(rows, id, facts.hash);
        if (existing >= 0) {
            const QString &other = g.m_files.at(rows[existing].file).path;
            g.m_diagnostics.append(
                {Severity::Error, QStringLiteral("duplicate-revision"), f.path, f.revisionLine,
                 QStringLiteral("Revision id %1 is also declared by %2; Alembic keeps only the "
                                "last file it reads.")
                     .arg(id, other)});
            // Like Alembic's ordered map: the later file wins, the position stays.
            rows[existing] = std::move(rows[i]);
            g.m_index.replace(existing, i);
            rows[i].~Revision();
            facts.flags &= quint16(~Prepared);
            continue;
        }
        if (kept != i) {
            new (rows + kept) Revision(std::move(rows[i]));
            rows[i].~Revision();
            facts.flags &= quint16(~Prepared);
        }
        if (facts.flags & SuspiciousId)
            suspicious.push_back(kept);
        g.m_index.insert(facts.hash, i);
        ++kept;
    }
    // The kept rows become the graph's list; the builder owns nothing now.
    m_storage.size = kept;
    g.m_revisions = QList<Revision>(std::move(m_storage));
    m_size = 0;

    // Only the few revisions with labels or dependencies are looked at.
    std::vector<int> labelled, dependent;
    std::vector<quint8> traits(size_t(kept), 0);
    for (int k = 0; k < kept; ++k) {
        const quint16 flags = m_facts[size_t(g.m_index.fileOf(k))].flags;
        if (flags & HasLabels)
            labelled.push_back(k);
        if (flags & HasDependencies)
            dependent.push_back(k);
        traits[size_t(k)] =
            quint8((flags & RealBase ? RealBaseRow : 0) | (flags & MergePoint ? MergeRow : 0) |
                   (flags & HasLabels ? LabelledRow : 0));
    }
    for (const int i : labelled) {
        const Revision &r = g.m_revisions.at(i);
        for (const QString &label : r.declaredLabels) {
            const int clash = g.m_labels.value(label, g.indexOf(label));
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
    g.resolveDependencies(dependent);
    Links links = g.link(workers, this);
    links.traits = std::move(traits);
    // The rows' links are written on one thread while this one looks for
    // cycles, normalizes dependencies and spreads labels: those read the
    // links, never the fields being written. What the second part finds
    // goes into the rows after both.
    rows = g.m_revisions.data(); // the same storage, now the list's
    LabelSets labels;
    inParallel(
        workers, g.size(), [&] { g.fillLinks(links); },
        [&] {
            g.detectCycles(links);
            if (!g.m_hasCycles) {
                g.normalizeDependencies(rows, links);
                labels = g.propagateLabels(links);
            }
        });
    if (g.m_hasCycles) {
        for (const int i : dependent)
            rows[i].normalizedParents = rows[i].parents;
    }
    if (!labels.of.empty()) {
        const int size = g.size();
        auto hand = [&](int begin, int end) {
            for (int i = begin; i < end; ++i) {
                if (labels.of[size_t(i)] >= 0)
                    rows[i].branchLabels = labels.lists.at(labels.of[size_t(i)]);
            }
        };
        inParallel(
            workers, size, [&] { hand(0, size / 2); }, [&] { hand(size / 2, size); });
    }
    g.checkIds(suspicious);
    return g;
}

void RevisionGraph::resolveDependencies(const std::vector<int> &dependent)
{
    for (const int i : dependent) {
        Revision &r = m_revisions[i];
        for (const QString &dep : std::as_const(r.dependsOn)) {
            int target = indexOf(dep);
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

RevisionGraph::Links RevisionGraph::link(Workers *workers, const Builder *builder)
{
    const int n = size();
    // Looking up every down_revision waits on memory more than it computes:
    // two threads each take half the rows, and the halves are joined.
    struct Part
    {
        Adjacency parents, dependencies;
        Diagnostics diagnostics;
        bool missing = false;
    };
    auto resolve = [this, builder](int begin, int end, Part &part) {
        Adjacency &parents = part.parents;
        parents.start.reserve(size_t(end - begin) + 1);
        parents.flat.reserve(size_t(end - begin) + size_t(end - begin) / 8);
        part.dependencies.start.reserve(size_t(end - begin) + 1);
        for (int i = begin; i < end; ++i) {
            const Revision &r = m_revisions.at(i);
            const size_t rowStart = parents.flat.size();
            // The one down_revision nearly all have is looked up by the key
            // prepare() made: neither it nor the ids are read where they are.
            const int file = m_index.fileOf(i);
            if (builder && (builder->m_facts[size_t(file)].flags & Builder::OneDown) &&
                !builder->m_downs[size_t(file)].isLong()) {
                const int p = m_index.find(builder->m_downs[size_t(file)],
                                           builder->m_facts[size_t(file)].downHash);
                if (p >= 0) {
                    parents.flat.push_back(p);
                    parents.endRow();
                    for (const QString &dep : r.resolvedDependencies)
                        part.dependencies.flat.push_back(indexOf(dep));
                    part.dependencies.endRow();
                    continue;
                }
            }
            for (const QString &down : r.downRevisions) {
                const int p = indexOf(down);
                if (p < 0) {
                    part.missing = true;
                    const RevisionFile &f = m_files.at(r.file);
                    part.diagnostics.append(
                        {Severity::Error, QStringLiteral("unknown-down-revision"), f.path,
                         f.downRevision.span.line,
                         QStringLiteral("down_revision names '%1', which no file in the versions "
                                        "folder declares.")
                             .arg(down)});
                    continue;
                }
                if (std::find(parents.flat.begin() + qsizetype(rowStart), parents.flat.end(), p) ==
                    parents.flat.end())
                    parents.flat.push_back(p);
            }
            parents.endRow();
            for (const QString &dep : r.resolvedDependencies)
                part.dependencies.flat.push_back(indexOf(dep));
            part.dependencies.endRow();
        }
    };
    Part first, second;
    const int middle = n / 2;
    inParallel(
        workers, n, [&] { resolve(0, middle, first); }, [&] { resolve(middle, n, second); });
    auto join = [](Adjacency &a, const Adjacency &b) {
        const int offset = int(a.flat.size());
        a.flat.insert(a.flat.end(), b.flat.begin(), b.flat.end());
        for (auto it = b.start.begin() + 1; it != b.start.end(); ++it)
            a.start.push_back(offset + *it);
    };
    join(first.parents, second.parents);
    join(first.dependencies, second.dependencies);
    m_hasMissingParents = m_hasMissingParents || first.missing || second.missing;
    m_diagnostics += first.diagnostics + second.diagnostics;
    Links links;
    links.parents = std::move(first.parents);
    links.dependencies = std::move(first.dependencies);
    const Adjacency &parents = links.parents;
    const Adjacency &dependencies = links.dependencies;
    // Children and dependents, each row in increasing index order.
    auto invert = [n](const Adjacency &up, auto keep) {
        Adjacency down;
        down.start.assign(size_t(n) + 1, 0);
        for (int i = 0; i < n; ++i) {
            for (const int *p = up.begin(i); p != up.end(i); ++p) {
                if (keep(i, *p))
                    ++down.start[size_t(*p) + 1];
            }
        }
        for (int i = 0; i < n; ++i)
            down.start[size_t(i) + 1] += down.start[size_t(i)];
        down.flat.resize(size_t(down.start[size_t(n)]));
        std::vector<int> fill(down.start.begin(), down.start.end() - 1);
        for (int i = 0; i < n; ++i) {
            for (const int *p = up.begin(i); p != up.end(i); ++p) {
                if (keep(i, *p))
                    down.flat[size_t(fill[size_t(*p)]++)] = i;
            }
        }
        return down;
    };
    links.children = invert(parents, [](int, int) { return true; });
    links.dependents =
        invert(dependencies, [&parents](int i, int p) { return !parents.contains(i, p); });
    return links;
}

void RevisionGraph::fillLinks(const Links &links)
{
    auto toList = [](const Adjacency &a, int i) {
        return a.count(i) == 0 ? QList<int>() : QList<int>(a.begin(i), a.end(i));
    };
    Revision *rows = m_revisions.data();
    for (int i = 0; i < size(); ++i) {
        Revision &r = rows[i];
        r.parents = toList(links.parents, i);
        // normalizeDependencies() makes them where there are dependencies
        // (and build() where a cycle stopped it).
        if (links.dependencies.count(i) == 0)
            r.normalizedParents = r.parents;
        r.dependencyParents = toList(links.dependencies, i);
        r.children = toList(links.children, i);
        r.dependents = toList(links.dependents, i);
    }
}

void RevisionGraph::normalizeDependencies(Revision *rows, const Links &links)
{
    if (links.dependencies.flat.empty())
        return; // nothing to normalize (most projects)
    // A dependency that an ancestor already declares is implied; Alembic
    // drops it. inherited[i]: the dependencies declared by i's ancestors,
    // as sorted indices, computed parents-first so chains share one list.
    std::vector<QList<int>> inherited(static_cast<size_t>(size()));
    auto dependencyIndices = [&links](int i) {
        QList<int> out(links.dependencies.begin(i), links.dependencies.end(i));
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
    for (int i : m_parentsFirst) {
        QList<int> acc;
        for (const int *p = links.parents.begin(i); p != links.parents.end(i); ++p) {
            acc = unite(acc, inherited[size_t(*p)]);
            if (links.dependencies.count(*p) > 0)
                acc = unite(acc, dependencyIndices(*p));
        }
        inherited[size_t(i)] = acc;
        if (links.dependencies.count(i) == 0)
            continue; // its normalizedParents are its parents (fillRows() sets them)
        Revision &r = rows[i];
        r.normalizedParents = QList<int>(links.parents.begin(i), links.parents.end(i));
        QStringList normalized;
        for (const int *d = links.dependencies.begin(i); d != links.dependencies.end(i); ++d) {
            if (!std::binary_search(acc.cbegin(), acc.cend(), *d)) {
                normalized.append(m_revisions.at(*d).id);
                if (!r.normalizedParents.contains(*d))
                    r.normalizedParents.append(*d);
            }
        }
        r.normalizedDependencies = normalized;
    }
}

void RevisionGraph::detectCycles(const Links &links)
{
    // Kahn's algorithm, first over down_revision edges, then with depends_on.
    const int n = size();
    for (const bool withDependencies : {false, true}) {
        // Without any depends_on the second pass is the first again: only
        // Alembic's own test below is left to do.
        const bool again = withDependencies && links.dependencies.flat.empty();
        std::vector<int> cyclic;
        if (!again) {
            std::vector<int> pending(size_t(n), 0);
            for (int i = 0; i < n; ++i) {
                pending[size_t(i)] = links.parents.count(i);
                if (!withDependencies)
                    continue;
                // A dependency that is also a parent is one edge, not two.
                for (const int *p = links.dependencies.begin(i); p != links.dependencies.end(i);
                     ++p) {
                    if (!links.parents.contains(i, *p))
                        ++pending[size_t(i)];
                }
            }
            std::vector<int> ready;
            for (int i = 0; i < n; ++i) {
                if (pending[size_t(i)] == 0)
                    ready.push_back(i);
            }
            std::vector<int> order;
            order.reserve(size_t(n));
            auto release = [&](const Adjacency &a, int i) {
                for (const int *c = a.begin(i); c != a.end(i); ++c) {
                    if (--pending[size_t(*c)] == 0)
                        ready.push_back(*c);
                }
            };
            while (!ready.empty()) {
                const int i = ready.back();
                ready.pop_back();
                order.push_back(i);
                release(links.children, i);
                if (withDependencies)
                    release(links.dependents, i);
            }
            if (!withDependencies)
                m_parentsFirst = std::move(order);
            for (int i = 0; i < n; ++i) {
                if (pending[size_t(i)] > 0)
                    cyclic.push_back(i);
            }
        }
        // Alembic's own test: whatever the real heads and real bases do not
        // both reach is in a cycle (a base with depends_on = "" is no real
        // base, so what hangs from it only is).
        // (Not where a parent is missing: that is reported as what it is.)
        if (cyclic.empty() && withDependencies && !m_hasMissingParents)
            cyclic = unreachableFromRealEnds(links);
        if (cyclic.empty())
            continue;
        QStringList ids;
        for (int i : cyclic)
            ids.append(m_revisions.at(i).id);
        ids.sort();
        m_hasCycles = true;
        const RevisionFile &f = m_files.at(m_revisions.at(cyclic.front()).file);
        m_diagnostics.append({Severity::Error, QStringLiteral("cycle"), f.path,
                              f.downRevision.span.line,
                              QStringLiteral("%1 is detected in revisions (%2).")
                                  .arg(withDependencies ? QStringLiteral("Dependency cycle")
                                                        : QStringLiteral("Cycle"),
                                       joinIds(ids))});
        return;
    }
}

std::vector<int> RevisionGraph::unreachableFromRealEnds(const Links &links) const
{
    const int n = size();
    std::vector<int> heads, bases;
    for (int i = 0; i < n; ++i) {
        if (links.children.count(i) == 0 && links.dependents.count(i) == 0)
            heads.push_back(i);
        if (links.traits[size_t(i)] & RealBaseRow)
            bases.push_back(i);
    }
    std::vector<int> out;
    if (heads.empty() || bases.empty()) {
        for (int i = 0; i < n; ++i)
            out.push_back(i);
        return out;
    }
    auto walk = [n](std::vector<int> todo, const Adjacency &a, const Adjacency &b) {
        std::vector<char> seen(size_t(n), 0);
        while (!todo.empty()) {
            const int i = todo.back();
            todo.pop_back();
            if (seen[size_t(i)])
                continue;
            seen[size_t(i)] = 1;
            todo.insert(todo.end(), a.begin(i), a.end(i));
            todo.insert(todo.end(), b.begin(i), b.end(i));
        }
        return seen;
    };
    const std::vector<char> fromHeads = walk(heads, links.parents, links.dependencies);
    const std::vector<char> fromBases = walk(bases, links.children, links.dependents);
    for (int i = 0; i < n; ++i) {
        if (!fromHeads[size_t(i)] || !fromBases[size_t(i)])
            out.push_back(i);
    }
    return out;
}

RevisionGraph::LabelSets RevisionGraph::propagateLabels(const Links &links) const
{
    // A label names a whole branch: every descendant, and the ancestors back
    // to the point where the branch split off. Labels become bits, numbered
    // in name order, and flow parents-first in one pass: linear in the graph
    // times the number of labels / 64, with no string compares.
    QStringList names;
    const int n = size();
    for (int i = 0; i < n; ++i) {
        if (links.traits[size_t(i)] & LabelledRow)
            names += m_revisions.at(i).declaredLabels;
    }
    LabelSets out;
    if (names.isEmpty())
        return out;
    names.sort();
    names.removeDuplicates();
    QHash<QString, int> bit;
    for (int k = 0; k < names.size(); ++k)
        bit.insert(names.at(k), k);
    const size_t words = size_t(names.size() + 63) / 64;
    std::vector<quint64> bits(size_t(n) * words, 0);
    auto row = [&](int i) { return bits.data() + size_t(i) * words; };
    auto declaredBits = [&](int i, quint64 *out) {
        if (!(links.traits[size_t(i)] & LabelledRow))
            return;
        for (const QString &l : m_revisions.at(i).declaredLabels) {
            const int b = bit.value(l);
            out[b / 64] |= quint64(1) << (b % 64);
        }
    };
    for (int i : m_parentsFirst) {
        quint64 *mine = row(i);
        declaredBits(i, mine);
        for (const int *p = links.parents.begin(i); p != links.parents.end(i); ++p) {
            const quint64 *theirs = row(*p);
            for (size_t w = 0; w < words; ++w)
                mine[w] |= theirs[w];
        }
    }
    // Ancestors back to the branch point (Alembic walks from the label's
    // revision up its first parent until a branch or merge point).
    std::vector<quint64> declared(words, 0);
    for (int i = 0; i < n; ++i) {
        if (!(links.traits[size_t(i)] & LabelledRow))
            continue;
        std::fill(declared.begin(), declared.end(), 0);
        declaredBits(i, declared.data());
        int parent = i;
        while (parent >= 0) {
            if (links.children.count(parent) + links.dependents.count(parent) > 1 ||
                (links.traits[size_t(parent)] & MergeRow))
                break;
            quint64 *mine = row(parent);
            for (size_t w = 0; w < words; ++w)
                mine[w] |= declared[w];
            parent = links.parents.count(parent) == 0 ? -1 : *links.parents.begin(parent);
        }
    }
    // Revisions with the same labels share one list (fillRows() hands them
    // out). Sets are found by a hash of their bits, then compared.
    std::vector<quint64> setBits; // `words` per set
    auto isSet = [&](int set, const quint64 *bits) {
        return std::equal(bits, bits + words, setBits.data() + size_t(set) * words);
    };
    QHash<quint64, int> byHash;
    out.of.assign(size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        const quint64 *mine = row(i);
        quint64 h = 0;
        for (size_t w = 0; w < words; ++w)
            h = (h ^ mine[w]) * 0x9e3779b97f4a7c15ULL;
        if (h == 0 && std::all_of(mine, mine + words, [](quint64 v) { return v == 0; }))
            continue;
        int set = -1;
        const auto it = byHash.constFind(h);
        if (it != byHash.constEnd()) {
            set = it.value();
            if (!isSet(set, mine)) { // two sets with one hash: rare, so searched
                set = -1;
                for (int k = 0; k < int(out.lists.size()) && set < 0; ++k)
                    set = isSet(k, mine) ? k : -1;
            }
        }
        if (set < 0) {
            QStringList labels;
            for (size_t w = 0; w < words; ++w) {
                for (quint64 v = mine[w]; v; v &= v - 1)
                    labels.append(names.at(int(w * 64) + std::countr_zero(v)));
            }
            set = int(out.lists.size());
            out.lists.append(labels);
            setBits.insert(setBits.end(), mine, mine + words);
            if (it == byHash.constEnd())
                byHash.insert(h, set);
        }
        out.of[size_t(i)] = set;
    }
    return out;
}

void RevisionGraph::checkIds(const std::vector<int> &suspicious)
{
    // Most ids are fine: only those prepare() found suspicious are looked at.
    for (const int i : suspicious) {
        const Revision &r = m_revisions.at(i);
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

} // namespace Retort
