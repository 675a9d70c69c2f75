#pragma once

#include "core/graph/revisiongraph.h"
#include "core/result.h"
#include "scopedconnection.h"

#include <QStringList>

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
    // A sentence for the user: "at 013_x (head)", "at base", "unknown ...".
    QString describe(const RevisionGraph &graph) const;
};

class VersionTable
{
public:
    // The qualified table name, quoted for the connection's dialect.
    static QString qualifiedName(const ConnectionProfile &profile);
    // CREATE TABLE for the version table, as Alembic creates it.
    static QString createStatement(const ConnectionProfile &profile);
    static bool exists(const ScopedConnection &connection);
    static Result<QStringList> read(const ScopedConnection &connection);
};

} // namespace Retort
