#pragma once

#include "core/diagnostic.h"
#include "core/project.h"
#include "schema.h"
#include "schemadiff.h"
#include "schemasource.h"

#include <QFuture>
#include <QHash>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

namespace Retort {

class SnapshotCache;

// The window's schema history: replays what the snapshot cache lacks on a
// worker thread (never the GUI thread), reports progress, and answers
// "the schema at revision R" from the cache on the calling thread. A new
// project (or an edit: setProject again) cancels the replay under way; its
// results are dropped. A replay that fails is a diagnostic at the revision.
class SchemaMonitor : public QObject
{
    Q_OBJECT
public:
    explicit SchemaMonitor(QObject *parent = nullptr);
    ~SchemaMonitor() override;

    // Follows `project` (copied), for `dialect` (empty: the project's own
    // sqlalchemy.url's, SQLite when it has none). `cacheFolder` empty: the
    // user's cache folder.
    void setProject(const Project &project, const QString &dialect = {},
                    const QString &cacheFolder = {});
    QString dialect() const { return m_dialect; }
    bool busy() const { return m_running; }
    // Changes with every setProject: what was derived before may be stale.
    quint64 generation() const { return m_generation; }

    // The snapshot at a revision id, when it is ready; nullopt while it is
    // being replayed (or when the replay stopped before it).
    std::optional<Schema> snapshot(const QString &revision);
    // Its first parent's (the empty schema at a base).
    std::optional<Schema> parentSnapshot(const QString &revision);
    // What the revision itself changed: over its parent, or for a merge what
    // it changes over every parent (as blame counts it); nullopt while not ready.
    std::optional<QList<SchemaChange>> changesOf(const QString &revision);
    // Which revisions made and changed each table and member of the schema at
    // `revision` (see SchemaBlame); an error while its ancestry is not replayed.
    Result<QList<BlameEntry>> blame(const QString &revision);
    // The same history for another thread (an export): reads the cache
    // through its own connection, opened on the thread that first reads.
    SchemaSource detachedSource() const;
    // A revision's place in Alembic's upgrade order (-1: not known).
    int orderOf(const QString &revision) const { return m_position.value(revision, -1); }
    // The replay's failure, at its revision (empty when none).
    Diagnostics diagnostics() const { return m_diagnostics; }

Q_SIGNALS:
    void progress(int done, int total, const QString &revision);
    // A replay ended (or there was nothing to replay); snapshots may be read.
    void finished(bool ok);

private:
    struct Outcome
    {
        quint64 generation = 0;
        QHash<QString, QString> keys;           // revision id -> snapshot key
        QList<int> order;                       // Alembic's upgrade order
        QString headsKey;                       // the schema at every head together (several heads)
        QString error;
        QString failedRevision;
        QString failedStatement;
        bool final = false; // the replay's end, not the early word on what is cached
    };
    void deliver(const Outcome &outcome);
    bool openCache();

    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_generation = 0;
    bool m_running = false;
    QString m_dialect;
    QString m_projectKey;
    QString m_cacheFolder;
    QString m_projectFile; // for diagnostics
    QHash<QString, QString> m_keys;
    RevisionGraph m_graph;
    QList<int> m_order;
    QHash<QString, int> m_position; // revision id -> its place in m_order
    QString m_headsKey;
    SchemaSource m_source;                  // over m_cache, the recent snapshots kept
    std::unique_ptr<SnapshotCache> m_cache; // this thread's connection to it
    Diagnostics m_diagnostics;
    QFuture<void> m_work;
};

} // namespace Retort
