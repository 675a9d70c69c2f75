#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Retort {

// A node of the revision graph. Indices refer to RevisionGraph::revisions().
// The is*() predicates follow Alembic's definitions of the same names:
// "versioned" relations use down_revision only, "real" ones add depends_on.
struct Revision
{
    QString id;
    int file = -1;             // index into RevisionGraph::files()
    QStringList downRevisions; // as declared (versioned parents)
    QStringList dependsOn;     // as declared: ids, prefixes or branch labels
    // depends_on = "" (or ("",)): Alembic reads it as the empty string, which
    // names no dependency yet is not None, so the revision is no real base.
    bool emptyDependsOn = false;
    QStringList resolvedDependencies;   // revision ids
    QStringList normalizedDependencies; // minus those an ancestor already has
    QStringList declaredLabels;         // branch_labels as written in the file
    QStringList branchLabels;           // effective labels, sorted
    QList<int> parents;                 // versioned down revisions present in the graph
    QList<int> normalizedParents;       // parents, then normalized dependencies present
    QList<int> dependencyParents;       // resolved dependencies present in the graph
    QList<int> children;                // Alembic's nextrev
    QList<int> dependents;              // revisions that depend_on this one but are not children

    bool isHead() const { return children.isEmpty(); }
    bool isRealHead() const { return children.isEmpty() && dependents.isEmpty(); }
    bool isBase() const { return downRevisions.isEmpty(); }
    bool isRealBase() const
    {
        return downRevisions.isEmpty() && dependsOn.isEmpty() && !emptyDependsOn;
    }
    bool isBranchPoint() const { return children.size() > 1; }
    bool isRealBranchPoint() const { return children.size() + dependents.size() > 1; }
    bool isMergePoint() const { return downRevisions.size() > 1; }
    // down_revision + dependencies without those an ancestor already depends on.
    QStringList normalizedDownRevisions() const;
};

} // namespace Retort
