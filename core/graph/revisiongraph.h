#pragma once

#include "core/diagnostic.h"
#include "core/script/revisionfile.h"
#include "revision.h"

#include <QHash>
#include <QList>

#include <vector>

namespace Retort {

// The revision DAG of one project, built with Alembic's rules from files
// read statically. Building never fails: problems (duplicates, unknown
// parents, cycles, bad ids) become diagnostics and the rest still loads.
class RevisionGraph
{
public:
    using NodeSet = std::vector<bool>;

    RevisionGraph() = default;
    static RevisionGraph build(QList<RevisionFile> files);

    const QList<RevisionFile> &files() const { return m_files; }
    const QList<Revision> &revisions() const { return m_revisions; }
    const Revision &revision(int index) const { return m_revisions.at(index); }
    const RevisionFile &fileOf(int index) const { return m_files.at(m_revisions.at(index).file); }
    int size() const { return int(m_revisions.size()); }
    int indexOf(const QString &id) const { return m_index.value(id, -1); }
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
    QList<int> select(bool (Revision::*predicate)() const) const;
    void link();
    void resolveDependencies();
    void normalizeDependencies();
    void detectCycles();
    QList<int> unreachableFromRealEnds() const;
    void propagateLabels();
    void checkIds();

    QList<RevisionFile> m_files;
    QList<Revision> m_revisions;
    QHash<QString, int> m_index;
    QHash<QString, int> m_labels;
    Diagnostics m_diagnostics;
    QList<int> m_parentsFirst; // a topological order over down_revision edges
    bool m_hasCycles = false;
    bool m_hasMissingParents = false; // unknown down_revision or depends_on
};

} // namespace Retort
