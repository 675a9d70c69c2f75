#pragma once

#include "schema.h"

#include <QHash>
#include <QMap>
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
    // SQLite, for reading the same database again and again on one
    // connection (a replay): the introspector keeps a copy of the catalog in
    // the connection's temporary schema and reads again only what changed.
    // Never on a database that must not be written to (the copy is a TEMP
    // table, but a read-only connection has no temporary schema to spare).
    void setIncremental(bool on) { m_incremental = on; }

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
    bool m_incremental = false;
    QString m_shadowConnection;                         // whose temp.retort_seen is current
    int m_seen = 0;                                     // rows in temp.retort_seen
    QHash<QString, QString> m_tableSql;                 // table -> CREATE TABLE
    QHash<QString, QHash<QString, QString>> m_indexSql; // table -> index -> CREATE INDEX
    QMap<QString, SchemaTable> m_tables;                // as last read, by name
    QMap<QString, SchemaView> m_views;
    Schema m_lastSchema; // what it read last
};

} // namespace Retort
