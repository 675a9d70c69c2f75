#include "drift.h"

#include "core/db/scopedconnection.h"
#include "core/db/versiontable.h"
#include "introspector.h"
#include "schemahistory.h"

#include <QSqlQuery>

namespace Retort {

Result<DriftReport> Drift::check(SchemaHistory &history, ScratchDatabase &scratch,
                                 const ConnectionProfile &live)
{
    using R = Result<DriftReport>;
    ConnectionProfile readOnly = live;
    readOnly.readOnly = true;
    ScopedConnection c(readOnly);
    QString error;
    if (!c.open(&error))
        return R::failure(error);
    DriftReport report;
    report.database = c.describe();
    QSqlQuery q(c.database());
    // Nothing here writes; where the server can hold us to that, it does.
    if (live.driver == ConnectionProfile::Driver::PostgreSQL)
        q.exec(QStringLiteral("BEGIN READ ONLY"));
    else if (live.driver == ConnectionProfile::Driver::MySQL)
        q.exec(QStringLiteral("START TRANSACTION READ ONLY"));
    auto state = DatabaseState::read(c, history.project().graph);
    if (!state)
        return R::failure(state.error());
    report.recorded = state->recorded;
    if (!state->unknown.isEmpty())
        return R::failure(QStringLiteral("%1 records %2, which this project's versions do not "
                                         "have: there is no schema to compare it with")
                              .arg(report.database, state->unknown.join(QStringLiteral(", "))));
    auto actual = Introspector(live.versionTable).read(c.database(), live.dialect());
    if (live.driver != ConnectionProfile::Driver::SQLite)
        q.exec(QStringLiteral("ROLLBACK"));
    if (!actual)
        return R::failure(actual.error());
    auto expected = history.stateAt(scratch, state->revisions);
    if (!expected)
        return R::failure(expected.error());
    SchemaDiff::Options options;
    options.normalizeTypes = true;
    report.differences = SchemaDiff::compare(expected.value(), actual.value(), options);
    return report;
}

} // namespace Retort
