#pragma once

#include "core/db/connectionprofile.h"
#include "schemadiff.h"

namespace Retort {

class SchemaHistory;
class ScratchDatabase;

// A live database against the schema its alembic_version says it has: the
// snapshot at the recorded revision(s). Read-only on the live database: its
// catalog and version table are read in a read-only transaction where the
// driver has one; no DDL runs there.
struct DriftReport
{
    QString database;                // which, for messages (no password)
    QStringList recorded;            // what its version table says
    QList<SchemaChange> differences; // from the expected schema to the live one
};

class Drift
{
public:
    static Result<DriftReport> check(SchemaHistory &history, ScratchDatabase &scratch,
                                     const ConnectionProfile &live);
};

} // namespace Retort
