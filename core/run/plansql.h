#pragma once

#include "core/db/connectionprofile.h"
#include "core/project.h"
#include "migrationplan.h"
#include "planexecutor.h"

namespace Retort {

// The SQL of every step of a plan: from this process's cache where nothing
// it depends on changed (see SqlCache), else rendered by Alembic in one run for the whole range
// (one run per step for a downgrade from several heads, which Alembic cannot
// render at once), then cached.
class PlanSql
{
public:
    static Result<QList<StepSql>> prepare(const Project &project, const ConnectionProfile &profile,
                                          const MigrationPlan &plan, bool *fromCache = nullptr,
                                          bool previewOnlineSteps = true);
};

} // namespace Retort
