#pragma once

#include "core/graph/revisiongraph.h"
#include "core/result.h"
#include "schema.h"
#include "schemadiff.h"

#include <functional>
#include <optional>

namespace Retort {

// Where a front end gets the schema history from: the window's
// SchemaMonitor, or the command line's SchemaHistory. By revision id.
struct SchemaSource
{
    std::function<std::optional<Schema>(const QString &revision)> snapshot;
    // What the revision itself changed (a merge: over every parent).
    std::function<std::optional<QList<SchemaChange>>(const QString &revision)> changes;
    std::function<Result<QList<BlameEntry>>(const QString &revision)> blame;
    // The schema at every head together (what `alembic upgrade heads` makes),
    // when there are several; nullopt when not known.
    std::function<std::optional<Schema>()> atHeads;
    QString problem; // why some snapshots are missing (a failed replay), or empty

    // The snapshot, changes and blame of every revision from `at` (the
    // snapshot at a revision index, nullopt when there is none): changes and
    // blame read each snapshot once while it is kept — at most `keep` at a
    // time (0: all). `order` is Alembic's upgrade order, `empty` the schema
    // before the first revision. Use the result on one thread at a time.
    static SchemaSource over(const RevisionGraph &graph, const QList<int> &order,
                             const Schema &empty,
                             std::function<std::optional<Schema>(int revision)> at, int keep = 0);
};

} // namespace Retort
