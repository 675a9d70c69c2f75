#pragma once

#include "schema.h"

#include <QHash>
#include <QSqlDatabase>

#include <optional>

namespace Retort {

// Reads a database's schema from its catalog (SQLite pragmas and
// sqlite_master, PostgreSQL's pg_catalog, MySQL's information_schema).
// Read-only: it runs queries, never DDL. The version table is left out.
//
// One Introspector may read the same SQLite database many times (a replay
// reads after every step): a table whose CREATE statement and indexes did
// not change is not read again.
class Introspector
{
public:
    explicit Introspector(QString versionTable = QStringLiteral("alembic_version"))
        : m_versionTable(std::move(versionTable))
    {}
    // `dialect` is the profile's: sqlite, postgresql, mysql.
    Result<Schema> read(QSqlDatabase db, const QString &dialect);

    // The table-level constraints a CREATE TABLE statement names (SQLite keeps
    // their names and CHECKs only there).
    struct Declared
    {
        enum class Kind
        {
            PrimaryKey,
            Unique,
            Check,
            ForeignKey
        };
        Kind kind;
        QString name;
        QStringList columns; // PK, UNIQUE, FOREIGN KEY
        QString sql;         // CHECK: the condition
    };
    static QList<Declared> declaredConstraints(const QString &createTable);

private:
    Result<Schema> readSqlite(QSqlDatabase db);
    Result<Schema> readPostgres(QSqlDatabase db);
    Result<Schema> readMysql(QSqlDatabase db);
    Result<SchemaTable> readSqliteTable(QSqlDatabase db, const QString &name, const QString &sql,
                                        const QHash<QString, QString> &indexSql);

    QString m_versionTable;
    QHash<QString, SchemaTable> m_sqliteTables; // by the table's and its indexes' SQL
    std::optional<QString> m_lastMaster;        // sqlite_master at the last read
    Schema m_lastSchema;                        // what it read then
};

} // namespace Retort
