#pragma once

#include "core/graph/revisiongraph.h"
#include "core/result.h"
#include "scopedconnection.h"

#include <QStringList>

class QSqlError;

namespace Retort {

// Where a database stands: the rows of its alembic_version table (several
// rows: several applied heads; no table: an empty database at base), mapped
// onto the project's graph.
struct DatabaseState
{
    bool tableExists = false;
    QStringList recorded; // version_num values, as stored
    QList<int> revisions; // the recorded ids the project has
    QStringList unknown;  // recorded ids the project does not have

    bool atBase() const { return recorded.isEmpty(); }

    static DatabaseState map(bool tableExists, const QStringList &recorded,
                             const RevisionGraph &graph);
    // Reads the version table through an open connection; any failure to
    // read it is an error, only a table that is really absent is "at base".
    static Result<DatabaseState> read(const ScopedConnection &connection,
                                      const RevisionGraph &graph);
    // Every revision the database has applied: the recorded ones and all
    // their ancestors, dependencies included.
    RevisionGraph::NodeSet applied(const RevisionGraph &graph) const;
    // How many revisions it still lacks to be at every head.
    int behindHeads(const RevisionGraph &graph) const;
    // A sentence for the user: "at 013_x (head)", "at base", "unknown ...".
    QString describe(const RevisionGraph &graph) const;
};

// What one database was found to record, by whoever read it last (the
// window's monitor): lets a rename preview warn without connecting again.
struct RecordedVersions
{
    QString name;  // the profile's name
    QString where; // its URL, without secrets
    bool read = false;
    QString error; // when not read; empty while a reading is still on its way
    QStringList recorded;
};

class VersionTable
{
public:
    // The qualified table name, quoted for the connection's dialect.
    static QString qualifiedName(const ConnectionProfile &profile);
    // CREATE TABLE for the version table, as Alembic creates it.
    static QString createStatement(const ConnectionProfile &profile);
    // Whether the table is there; an error (with the driver's words) when
    // the database cannot say: locked, busy, unreadable, disconnected.
    static Result<bool> exists(const ScopedConnection &connection);
    static Result<QStringList> read(const ScopedConnection &connection);
    // Replaces the recorded revisions with `ids` in one transaction.
    static Result<bool> stamp(const ScopedConnection &connection, const QStringList &ids);
    // The driver's message, with what a lock means for the user.
    static QString errorText(const ConnectionProfile &profile, const QSqlError &error);
};

} // namespace Retort
