#pragma once

#include "core/db/connectionprofile.h"

#include <QtGlobal>

namespace TestUtil {

// The PostgreSQL server pg_virtualenv started for the tests (its PG*
// variables); `database` overrides PGDATABASE.
inline Retort::ConnectionProfile postgresProfile(const QString &database = QString())
{
    Retort::ConnectionProfile p;
    p.driver = Retort::ConnectionProfile::Driver::PostgreSQL;
    p.host = qEnvironmentVariable("PGHOST");
    p.port = qEnvironmentVariableIntValue("PGPORT");
    p.user = qEnvironmentVariable("PGUSER");
    p.password = qEnvironmentVariable("PGPASSWORD");
    p.database = database.isEmpty() ? qEnvironmentVariable("PGDATABASE", QStringLiteral("postgres"))
                                    : database;
    return p;
}

// True when the tests run under pg_virtualenv.
inline bool hasPostgres()
{
    return qEnvironmentVariableIsSet("PGHOST");
}

} // namespace TestUtil
