#pragma once

#include "core/diagnostic.h"
#include "core/script/revisionfile.h"
#include "revision.h"

#include <QHash>
#include <QList>

#include <algorithm>
#include <memory>
#include <vector>

namespace Retort {

class Workers;

// The revision DAG of one project, built with Alembic's rules from files
// read statically. Building never fails: problems (duplicates, unknown
// parents, cycles, bad ids) become diagnostics and the rest still loads.
class RevisionGraph
{
    // An id of up to 31 UTF-16 units in one cache line; a longer one is
    // marked so (length kLong) and compared where it is.
    // (Left uninitialized until set(): tables of them are filled by the
    // reading threads.)
    struct IdKey
    {
        static constexpr quint16 kLong = 0xFFFF;
        quint16 length;
        char16_t units[31];
        void set(QStringView id);
        bool isLong() const { return length == kLong; }
        bool is(QStringView id) const
        {
            return !isLong() && length == id.size() &&
                   std::equal(units, units + length, id.utf16());
        }
    };

public:
    using NodeSet = std::vector<bool>;

    RevisionGraph() = default;
    static RevisionGraph build(QList<RevisionFile> files);

    // Building in two steps, for a project load: prepare() looks at one file
    // alone and runs on the thread that has just read it, while the file is
    // still in that core's cache; build() then indexes and links the
    // revisions (on two threads past 4,096 of them) without going back to
    // the files.
    class Builder
    {
    public:
        explicit Builder(qsizetype files);
        Builder(const Builder &) = delete;
        Builder &operator=(const Builder &) = delete;
        ~Builder();
        // Safe from several threads at once for distinct indices.
        void prepare(int fileIndex, const RevisionFile &file);
        // Files prepare() was not called for are prepared here. The parts
        // worth two threads go to a helper of `workers` when given.
        RevisionGraph build(QList<RevisionFile> files, Workers *workers = nullptr);

    private:
        friend class RevisionGraph;
        enum Flag : quint16
        {
            Prepared = 1,
            Valid = 2,       // has a revision id
            NamesItself = 4, // down_revision names its own id
            DependsOnItself = 8,
            HasDiagnostics = 16, // the file's own
            SuspiciousId = 32,   // may break checkIds()'s rules
            HasLabels = 64,      // declares branch labels
            HasDependencies = 128,
            OneDown = 256,  // exactly one down_revision, in m_downs
            RealBase = 512, // Revision::isRealBase()
            MergePoint = 1024,
        };
        struct Facts
        {
            quint32 hash = 0;     // of the id
            quint32 downHash = 0; // of the one down_revision (OneDown)
            quint16 flags = 0;
        };
        QArrayDataPointer<Revision> m_storage; // rows constructed by prepare()
        std::vector<Facts> m_facts;
        // Of each file, made while the file is in the cache of the thread
        // that read it: its id, and its down_revision when there is one.
        std::unique_ptr<IdKey[]> m_ids, m_downs;
        qsizetype m_size = 0;
    };

    const QList<RevisionFile> &files() const { return m_files; }
    const QList<Revision> &revisions() const { return m_revisions; }
    const Revision &revision(int index) const { return m_revisions.at(index); }
    const RevisionFile &fileOf(int index) const { return m_files.at(m_revisions.at(index).file); }
    int size() const { return int(m_revisions.size()); }
    int indexOf(QStringView id) const { return m_index.find(m_revisions.constData(), id); }
    int indexOf(const QString &id) const { return indexOf(QStringView(id)); }
    // The revision a branch label was declared on, or -1.
    int labelOwner(const QString &label) const { return m_labels.value(label, -1); }
    const QHash<QString, int> &labels() const { return m_labels; }
    const Diagnostics &diagnostics() const { return m_diagnostics; }
    bool hasCycles() const { return m_hasCycles; }

    // Alembic's get_heads(): no revision names them as down_revision.
    QList<int> heads() const { return select(&Revision::isHead); }
    // Nothing depends on them at all, not even through depends_on.
    QList<int> realHeads() const { return select(&Revision::isRealHead); }
    // down_revision is None (realBases: and no depends_on either).
    QList<int> bases() const { return select(&Revision::isBase); }
    QList<int> realBases() const { return select(&Revision::isRealBase); }

    // Ancestors / descendants including the targets themselves.
    NodeSet ancestors(const QList<int> &targets, bool includeDependencies) const;
    NodeSet descendants(const QList<int> &targets, bool includeDependencies) const;

    // Revisions in the order `alembic history` lists them (newest first).
    QList<int> history() const;
    // Alembic's RevisionMap._topological_sort of `nodes`, starting from `heads`.
    QList<int> topologicalSort(const NodeSet &nodes, const QList<int> &heads) const;

private:
    // Revision id -> index: open addressing, with each id's hash kept beside
    // its slot so a probe rarely compares strings, and the ids compared in
    // a table of IdKeys (640 KB at 10,000 revisions, which stays in the
    // cache; the revisions' own strings are all over memory).
    class IdIndex
    {
    public:
        // The keys of the files (of file indices) the revisions come from.
        void reserve(int count, std::unique_ptr<IdKey[]> keys);
        int find(const Revision *revisions, QStringView id) const
        {
            return find(revisions, id, hashOf(id));
        }
        int find(const Revision *revisions, QStringView id, quint32 hash) const;
        // The same for an id in a key (not a long one).
        int find(const IdKey &key, quint32 hash) const;
        // Indices are inserted in order, 0, 1, 2, ...; each from its file.
        void insert(quint32 hash, int file);
        // The revision at `index` comes from `file` now (a later duplicate).
        void replace(int index, int file) { m_fileOf[size_t(index)] = file; }
        int fileOf(int index) const { return m_fileOf[size_t(index)]; }
        static quint32 hashOf(QStringView id);

    private:
        template<typename Matches> int probe(quint32 hash, Matches matches) const;
        std::vector<quint32> m_hashes;
        std::vector<int> m_slots; // index + 1; 0 is empty
        quint32 m_mask = 0;
        std::shared_ptr<const IdKey[]> m_keys; // of each file (shared by copies of the graph)
        std::vector<int> m_fileOf;             // of each index
    };

    QList<int> select(bool (Revision::*predicate)() const) const;
    // Adjacency as flat arrays while building: rows of indices, no per-row
    // allocation and no string in sight.
    struct Adjacency
    {
        std::vector<int> start{0}; // row i is flat[start[i] .. start[i + 1])
        std::vector<int> flat;
        const int *begin(int i) const { return flat.data() + start[size_t(i)]; }
        const int *end(int i) const { return flat.data() + start[size_t(i) + 1]; }
        int count(int i) const { return start[size_t(i) + 1] - start[size_t(i)]; }
        bool contains(int i, int v) const { return std::find(begin(i), end(i), v) != end(i); }
        void endRow() { start.push_back(int(flat.size())); }
    };
    struct Links
    {
        Adjacency parents, dependencies, children, dependents;
        // Of each row, what the passes beside fillLinks() ask of it (so that
        // they do not read the rows that are being written): Trait bits.
        std::vector<quint8> traits;
    };
    enum Trait : quint8
    {
        RealBaseRow = 1,
        MergeRow = 2,
        LabelledRow = 4,
    };
    // Of the revisions listed (those with a depends_on).
    void resolveDependencies(const std::vector<int> &dependent);
    // `builder`, when given, has the keys of the down_revisions.
    Links link(Workers *workers, const Builder *builder);
    void detectCycles(const Links &links);
    std::vector<int> unreachableFromRealEnds(const Links &links) const;
    // Writes normalizedParents and normalizedDependencies of the rows with
    // dependencies (only those: fillLinks() runs beside it).
    void normalizeDependencies(Revision *rows, const Links &links);
    // Each revision's branch labels: an index into lists, or -1 for none.
    struct LabelSets
    {
        std::vector<int> of;
        QList<QStringList> lists;
    };
    LabelSets propagateLabels(const Links &links) const;
    // Writes the links into the rows (not normalizedParents where there are
    // dependencies: normalizeDependencies() writes those).
    void fillLinks(const Links &links);
    void checkIds(const std::vector<int> &suspicious);

    QList<RevisionFile> m_files;
    QList<Revision> m_revisions;
    IdIndex m_index;
    QHash<QString, int> m_labels;
    Diagnostics m_diagnostics;
    std::vector<int> m_parentsFirst; // a topological order over down_revision edges
    bool m_hasCycles = false;
    bool m_hasMissingParents = false; // unknown down_revision or depends_on
};

} // namespace Retort
