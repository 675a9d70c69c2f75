#pragma once

#include "core/project.h"
#include "core/run/migrationplan.h"
#include "core/run/planexecutor.h"
#include "schema.h"
#include "schemasource.h"

#include <QBitArray>
#include <QFuture>
#include <QHash>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace Retort {

class ScratchDatabase;
class ScopedConnection;
class SnapshotCache;

// The schema at every revision of a project, for one dialect: the schema of
// an empty database that Alembic upgraded to the revision (it and its
// ancestors, dependencies included, nothing from other branches).
//
// Snapshots come from the cache (SnapshotCache) or from a replay: Retort's
// renderer and executor run the history on a ScratchDatabase, one plan at a
// time in Alembic's order, and the catalog is read after every step. A
// branch starts from its branch point's checkpoint; checkpoints are kept at
// branch points and every kCheckpointEvery
// revisions of depth, so a changed revision replays only from the nearest
// checkpoint before it.
class SchemaHistory
{
public:
    static constexpr int kCheckpointEvery = 20;
    static constexpr int kKeptInMemory = 64; // snapshots, when there is a cache

    // `cache` may be null (nothing kept between runs). The project must stay
    // alive and unchanged while this is used.
    SchemaHistory(const Project &project, const QString &dialect, SnapshotCache *cache);
    ~SchemaHistory();

    const Project &project() const { return m_project; }
    QString dialect() const { return m_dialect; }
    // False (with a sentence) when the history cannot be replayed at all.
    bool usable(QString *why) const;

    // The snapshot's key: the revision's file and its ancestors' keys, the
    // project's other files (env.py, the config, the template), the dialect.
    QString keyOf(int revision) const { return m_keys.value(revision); }
    // Revisions in Alembic's upgrade order (base first).
    const QList<int> &order() const { return m_order; }
    bool isAncestor(int ancestor, int of) const { return m_ancestors.value(of).testBit(ancestor); }
    QList<int> ancestry(int revision) const; // in Alembic's order, itself last

    // A snapshot from memory or the cache; nullopt when not replayed yet.
    std::optional<Schema> snapshot(int revision);
    // The empty schema before the first revision.
    Schema empty() const;
    // Revisions among `targets`' ancestry (all revisions when empty) that
    // have no snapshot yet, in Alembic's order.
    QList<int> missing(const QList<int> &targets);

    struct Progress
    {
        int done = 0;
        int total = 0;
        QString revision;
        qint64 milliseconds = 0;
    };
    struct Failure
    {
        QString revision;
        QString statement;
        QString error;
        QString describe() const;
    };
    struct Stats
    {
        int snapshots = 0;     // made by this replay
        int stepsExecuted = 0; // migration steps run on the scratch database
        int restores = 0;      // checkpoints gone back to
        int checkpoints = 0;   // checkpoints made
        qint64 milliseconds = 0;
        // Where the time went: Alembic rendering, running steps, reading
        // the catalog, keeping snapshots.
        qint64 renderMs = 0, readMs = 0, storeMs = 0;
    };
    // Replays what `targets` (all revisions when empty) still need. Stops at
    // the first failing step (see failure()); every snapshot before it is
    // kept. `cancel` is checked between steps.
    Result<Stats> replay(ScratchDatabase &scratch, const QList<int> &targets = {},
                         const std::function<void(const Progress &)> &progress = {},
                         const std::atomic<bool> *cancel = nullptr);
    const std::optional<Failure> &failure() const { return m_failure; }
    // The schema of an empty database upgraded to every one of `heads` (a
    // database may record several): a snapshot for one head, else replayed.
    Result<Schema> stateAt(ScratchDatabase &scratch, const QList<int> &heads);
    // The same from memory or the cache only.
    std::optional<Schema> stateAt(const QList<int> &heads);
    QString keyOf(const QList<int> &heads) const;
    // The history as a SchemaSource (every snapshot read once; the schema at
    // every head together when it is kept). Borrows this object.
    SchemaSource source();
    // Leaves the scratch database upgraded to every one of `heads` (from
    // the nearest checkpoint), for what needs the database itself (DDL dumps).
    Result<bool> materialize(ScratchDatabase &scratch, const QList<int> &heads);

private:
    bool wantsCheckpoint(int revision) const;
    void keep(int revision, const Schema &schema);
    void remember(int revision, const Schema &schema);
    void probeAhead(const ConnectionProfile &scratch);
    Result<bool> verifyOnlineReachesScratch(const ConnectionProfile &profile,
                                            ScopedConnection &connection);
    Result<bool> render(const ConnectionProfile &profile);
    bool runPlan(const ConnectionProfile &profile, const MigrationPlan &plan,
                 const std::function<bool(int)> &afterStep, ScopedConnection *connection = nullptr);

    const Project &m_project;
    QString m_dialect;
    SnapshotCache *m_cache;
    QString m_unusable;
    QList<int> m_order;
    MigrationPlan m_fullPlan; // from empty to every head: Alembic's order
    QHash<int, QString> m_keys;
    QHash<int, QBitArray> m_ancestors; // itself included
    QHash<int, int> m_depth;           // number of ancestors, itself included
    QHash<int, Schema> m_memory;
    QList<int> m_recent;         // m_memory's keys, oldest first
    QHash<int, int> m_chainCost; // tables written in deltas since the last full snapshot
    std::optional<Failure> m_failure;
    QHash<int, StepSql> m_sqlOf; // rendered for m_sqlFor
    QString m_sqlFor;
    QString m_onlineVerified;
    QFuture<Result<bool>> m_probe; // probeAhead(): for the scratch URL m_probeFor
    QString m_probeFor;            // the scratch URL Alembic online was seen to reach
};

} // namespace Retort
