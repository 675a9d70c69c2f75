#include "versiontable.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Retort {

namespace {
QString quoted(const ConnectionProfile &p, const QString &identifier)
{
    if (p.driver == ConnectionProfile::Driver::MySQL)
        return u'`' + QString(identifier).replace(u'`', QStringLiteral("``")) + u'`';
    return u'"' + QString(identifier).replace(u'"', QStringLiteral("\"\"")) + u'"';
}
} // namespace

QString VersionTable::qualifiedName(const ConnectionProfile &p)
{
    const QString table = quoted(p, p.versionTable);
    return p.versionSchema.isEmpty() ? table : quoted(p, p.versionSchema) + u'.' + table;
}

QString VersionTable::createStatement(const ConnectionProfile &p)
{
    return QStringLiteral("CREATE TABLE %1 (version_num VARCHAR(32) NOT NULL, CONSTRAINT %2 "
                          "PRIMARY KEY (version_num))")
        .arg(qualifiedName(p), p.versionTable + QStringLiteral("_pkc"));
}

bool VersionTable::exists(const ScopedConnection &connection)
{
    const ConnectionProfile &p = connection.profile();
    QSqlQuery q(connection.database());
    if (p.driver == ConnectionProfile::Driver::SQLite) {
        q.prepare(QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"));
        q.addBindValue(p.versionTable);
    } else {
        // An empty version_table_schema means the connection's default schema.
        const QString defaultSchema = p.driver == ConnectionProfile::Driver::PostgreSQL
                                          ? QStringLiteral("current_schema()")
                                          : QStringLiteral("DATABASE()");
        q.prepare(QStringLiteral("SELECT 1 FROM information_schema.tables WHERE table_name = ? AND "
                                 "table_schema = COALESCE(NULLIF(?, ''), %1)")
                      .arg(defaultSchema));
        q.addBindValue(p.versionTable);
        q.addBindValue(p.versionSchema);
    }
    return q.exec() && q.next();
}

Result<QStringList> VersionTable::read(const ScopedConnection &connection)
{
    if (!exists(connection))
        return QStringList();
    QSqlQuery q(connection.database());
    if (!q.exec(
            QStringLiteral("SELECT version_num FROM %1").arg(qualifiedName(connection.profile()))))
        return Result<QStringList>::failure(
            QStringLiteral("Cannot read %1: %2")
                .arg(connection.profile().versionTable, q.lastError().text()));
    QStringList out;
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

DatabaseState DatabaseState::map(bool tableExists, const QStringList &recorded,
                                 const RevisionGraph &graph)
{
    DatabaseState s;
    s.tableExists = tableExists;
    s.recorded = recorded;
    for (const QString &id : recorded) {
        const int i = graph.indexOf(id);
        if (i >= 0)
            s.revisions.append(i);
        else
            s.unknown.append(id);
    }
    return s;
}

QString DatabaseState::describe(const RevisionGraph &graph) const
{
    if (recorded.isEmpty())
        return tableExists ? QStringLiteral("at base (the version table is empty)")
                           : QStringLiteral("at base (no version table yet)");
    QStringList parts;
    for (int i : revisions)
        parts << graph.revision(i).id +
                     (graph.revision(i).isHead() ? QStringLiteral(" (head)") : QString());
    QString out =
        parts.isEmpty() ? QString() : QStringLiteral("at ") + parts.join(QStringLiteral(", "));
    if (!unknown.isEmpty())
        out += (out.isEmpty() ? QString() : QStringLiteral("; ")) +
               QStringLiteral(
                   "records %1, which this project does not have (renamed, deleted, or from "
                   "another branch)")
                   .arg(unknown.join(QStringLiteral(", ")));
    return out;
}

} // namespace Retort
