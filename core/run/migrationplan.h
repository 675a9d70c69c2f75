#pragma once

#include "core/graph/revisiongraph.h"
#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Retort {

// How one step changes the version table, by Alembic's head-maintenance
// rules: update the row of the revision it follows, insert a row when a new
// branch starts, delete rows at a merge (and on the way back).
struct VersionChange
{
    enum class Kind
    {
        Insert,
        Delete,
        Update
    };
    Kind kind = Kind::Update;
    QString from; // Update, Delete
    QString to;   // Update, Insert
    friend bool operator==(const VersionChange &, const VersionChange &) = default;
    QString describe() const;
};

struct PlanStep
{
    int revision = -1;
    bool upgrade = true;
    QList<VersionChange> changes; // in the order Alembic makes them
};

// The ordered steps from a database's current heads to a target, with the
// version-table change each makes, as `alembic upgrade/downgrade TARGET`
// would run them.
struct MigrationPlan
{
    QStringList headsBefore;
    QStringList headsAfter; // sorted
    QList<PlanStep> steps;

    static Result<MigrationPlan> make(const RevisionGraph &graph, const QStringList &currentHeads,
                                      const QString &target, bool upgrade);
    // "upgrade 001 -> 002 (update 001 → 002)" lines, for `retort plan`.
    QStringList describe(const RevisionGraph &graph) const;
};

} // namespace Retort
