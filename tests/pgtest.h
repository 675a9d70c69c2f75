#pragma once

// The database servers ./run test starts for the tests: PostgreSQL through
// pg_virtualenv (PG* variables), MariaDB through scripts/with-mariadb.sh
// (RETORT_TEST_MYSQL_* variables).

#include "core/db/connectionprofile.h"

#include <QtGlobal>

namespace TestUtil {

// A profile from the environment variables PREFIX + HOST, PORT, USER, PASSWORD.
inline Retort::ConnectionProfile serverProfile(Retort::ConnectionProfile::Driver driver,
                                               const QString &prefix, const QString &database)
{
    const auto env = [&](const char *name) {
        return qEnvironmentVariable(qPrintable(prefix + QLatin1String(name)));
    };
    Retort::ConnectionProfile p;
    p.driver = driver;
    p.host = env("HOST");
    p.port = env("PORT").toInt();
    p.user = env("USER");
    p.password = env("PASSWORD");
    p.database = database;
    return p;
}

// The PostgreSQL server; `database` overrides PGDATABASE.
inline Retort::ConnectionProfile postgresProfile(const QString &database = QString())
{
    return serverProfile(Retort::ConnectionProfile::Driver::PostgreSQL, QStringLiteral("PG"),
                         database.isEmpty()
                             ? qEnvironmentVariable("PGDATABASE", QStringLiteral("postgres"))
                             : database);
}

inline bool hasPostgres()
{
    return qEnvironmentVariableIsSet("PGHOST");
}

// The MariaDB server, connected to no database in particular.
inline Retort::ConnectionProfile mysqlProfile()
{
    return serverProfile(Retort::ConnectionProfile::Driver::MySQL,
                         QStringLiteral("RETORT_TEST_MYSQL_"), QString());
}

inline bool hasMysql()
{
    return qEnvironmentVariableIsSet("RETORT_TEST_MYSQL_HOST");
}

} // namespace TestUtil
