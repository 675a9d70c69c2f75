#include "versiontable.h"

#include <QSqlDatabase>
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

QString VersionTable::errorText(const ConnectionProfile &p, const QSqlError &error)
{
    QString text = error.text().trimmed();
    if (text.isEmpty())
        text = QStringLiteral("the driver gave no reason (error %1)").arg(error.nativeErrorCode());
    // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another connection holds it.
    if (p.driver == ConnectionProfile::Driver::SQLite &&
        (error.nativeErrorCode() == u"5" || error.nativeErrorCode() == u"6" ||
         text.contains(QLatin1String("locked"))))
        text += QStringLiteral(
                    " (another program holds a lock on %1; Retort waited %2 s for it; close or "
                    "finish what is using the database and try again)")
                    .arg(p.database)
                    .arg(p.sqliteBusyMs() / 1000.0);
    return text;
}

Result<bool> VersionTable::exists(const ScopedConnection &connection)
{
    const ConnectionProfile &p = connection.profile();
    QSqlQuery q(connection.database());
    bool prepared = false;
    if (p.driver == ConnectionProfile::Driver::SQLite) {
        prepared = q.prepare(
            QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"));
        q.addBindValue(p.versionTable);
    } else {
        // An empty version_table_schema means the connection's default schema.
        const QString defaultSchema = p.driver == ConnectionProfile::Driver::PostgreSQL
                                          ? QStringLiteral("current_schema()")
                                          : QStringLiteral("DATABASE()");
        prepared = q.prepare(
            QStringLiteral("SELECT 1 FROM information_schema.tables WHERE table_name = ? AND "
                           "table_schema = COALESCE(NULLIF(?, ''), %1)")
                .arg(defaultSchema));
        q.addBindValue(p.versionTable);
        q.addBindValue(p.versionSchema);
    }
    // Only an answer that says "no such table" is an empty database; a
    // query that fails (locked, dropped connection, corrupt file) is an error.
    if (!connection.database().isOpen() || !prepared || !q.exec())
        return Result<bool>::failure(
            QStringLiteral("Cannot tell whether %1 has a %2 table: %3")
                .arg(connection.describe(), p.versionTable,
                     errorText(p, connection.database().isOpen()
                                      ? q.lastError()
                                      : QSqlError(QStringLiteral("the connection is closed")))));
    return q.next();
}

Result<QStringList> VersionTable::read(const ScopedConnection &connection)
{
    auto found = exists(connection);
    if (!found)
        return Result<QStringList>::failure(found.error());
    if (!found.value())
        return QStringList();
    QSqlQuery q(connection.database());
    if (!q.exec(
            QStringLiteral("SELECT version_num FROM %1").arg(qualifiedName(connection.profile()))))
        return Result<QStringList>::failure(
            QStringLiteral("Cannot read %1 in %2: %3")
                .arg(connection.profile().versionTable, connection.describe(),
                     errorText(connection.profile(), q.lastError())));
    QStringList out;
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

Result<bool> VersionTable::stamp(const ScopedConnection &connection, const QStringList &ids)
{
    const ConnectionProfile &p = connection.profile();
    QSqlDatabase db = connection.database();
    const QString table = qualifiedName(p);
    auto fail = [&](const QString &what, const QSqlError &error) {
        db.rollback();
        return Result<bool>::failure(
            QStringLiteral("%1 failed: %2").arg(what, errorText(p, error)));
    };
    auto found = exists(connection);
    if (!found)
        return Result<bool>::failure(found.error());
    if (!db.transaction())
        return fail(QStringLiteral("Beginning a transaction"), db.lastError());
    QSqlQuery q(db);
    if (!found.value() && !q.exec(createStatement(p)))
        return fail(QStringLiteral("Creating %1").arg(p.versionTable), q.lastError());
    if (!q.exec(QStringLiteral("DELETE FROM %1").arg(table)))
        return fail(QStringLiteral("Clearing %1").arg(p.versionTable), q.lastError());
    for (const QString &id : ids) {
        q.prepare(QStringLiteral("INSERT INTO %1 (version_num) VALUES (?)").arg(table));
        q.addBindValue(id);
        if (!q.exec())
            return fail(QStringLiteral("Recording %1").arg(id), q.lastError());
    }
    if (!db.commit())
        return fail(QStringLiteral("Committing"), db.lastError());
    return true;
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

Result<DatabaseState> DatabaseState::read(const ScopedConnection &connection,
                                          const RevisionGraph &graph)
{
    auto exists = VersionTable::exists(connection);
    if (!exists)
        return Result<DatabaseState>::failure(exists.error());
    auto recorded = VersionTable::read(connection);
    if (!recorded)
        return Result<DatabaseState>::failure(recorded.error());
    return map(exists.value(), recorded.value(), graph);
}

RevisionGraph::NodeSet DatabaseState::applied(const RevisionGraph &graph) const
{
    if (revisions.isEmpty())
        return RevisionGraph::NodeSet(size_t(graph.size()), false);
    return graph.ancestors(revisions, true);
}

int DatabaseState::behindHeads(const RevisionGraph &graph) const
{
    const RevisionGraph::NodeSet done = applied(graph);
    const RevisionGraph::NodeSet wanted = graph.ancestors(graph.heads(), true);
    int behind = 0;
    for (int i = 0; i < graph.size(); ++i)
        behind += wanted[size_t(i)] && !done[size_t(i)] ? 1 : 0;
    return behind;
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
