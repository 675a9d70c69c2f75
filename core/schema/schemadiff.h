#pragma once

#include "schema.h"

#include <QList>
#include <QMap>
#include <QString>

#include <functional>
#include <optional>

namespace Retort {

class RevisionGraph;
class SchemaHistory;

// One difference between two schemas.
struct SchemaChange
{
    enum class Kind
    {
        Added,
        Removed,
        Changed
    };
    enum class Object
    {
        Table,
        Column,
        PrimaryKey,
        Index,
        Unique,
        ForeignKey,
        Check,
        View,
        Enum,
        Sequence
    };
    Kind kind = Kind::Added;
    Object object = Object::Table;
    QString table; // qualified; for views, enums and sequences their own name
    QString name;  // the member's name (or its columns / SQL when unnamed)
    QString before;
    QString after;
    friend bool operator==(const SchemaChange &, const SchemaChange &) = default;

    // "users.email" for a column, "users" for a table.
    QString path() const;
    static QString objectName(Object o);
    // "+ column users.email: email VARCHAR(255) NOT NULL"
    QString describe() const;
};

class SchemaDiff
{
public:
    struct Options
    {
        // Type spellings a database normalises (VARCHAR and character
        // varying, INT and INTEGER, ...) are not differences: drift.
        bool normalizeTypes = false;
    };
    // What changed from `a` to `b`. A table added or removed is one change
    // (its members come and go with it).
    static QList<SchemaChange> compare(const Schema &a, const Schema &b, const Options &options);
    static QList<SchemaChange> compare(const Schema &a, const Schema &b)
    {
        return compare(a, b, Options());
    }
    // A table's members of one kind (not columns' order: by name) under the
    // names changes use, each with its one-line description.
    static QMap<QString, QString> members(const SchemaTable &table, SchemaChange::Object kind);
    // What a revision itself changed: from its first parent's schema
    // (`parents` empty: from `empty`), and for a merge only what it changes
    // over every parent.
    static QList<SchemaChange> ownChanges(const Schema &after, const QList<Schema> &parents,
                                          const Schema &empty);
    // The spelling of `type` that compares equal across a database's synonyms.
    static QString canonicalType(const QString &type);
};

// Which revision made each object of the schema at a revision, and which
// revisions on its ancestry changed it: from the diffs along each parent →
// child edge (a merge's own changes are those it makes over every parent).
struct BlameEvent
{
    QString revision;
    SchemaChange change;
};

struct BlameEntry
{
    SchemaChange::Object object = SchemaChange::Object::Table;
    QString table;
    QString name;
    QList<BlameEvent> events; // oldest first; the first is the creation
    QString path() const;
};

class SchemaBlame
{
public:
    // Every table and member of the snapshot at `revision`; needs the
    // snapshots of its ancestry (replayed before).
    static Result<QList<BlameEntry>> compute(SchemaHistory &history, int revision);
    // The same from any source of snapshots: `ancestry` in upgrade order
    // (the revision itself last), `empty` the schema before a base.
    using SnapshotSource = std::function<std::optional<Schema>(int revision)>;
    static Result<QList<BlameEntry>> compute(const RevisionGraph &graph, const QList<int> &ancestry,
                                             const Schema &empty, const SnapshotSource &snapshot);
};

} // namespace Retort
