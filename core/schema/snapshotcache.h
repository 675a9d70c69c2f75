#pragma once

#include "schema.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

namespace Retort {

class ScopedConnection;

// Schema snapshots on disk, per project: a SQLite file in the user's cache
// folder, keyed by SchemaKeys (the revision's chain of file contents, the
// project's other files and the dialect), so a changed file misses only for
// its descendants. SQLite replay checkpoints are files in checkpointFolder().
// Use it on one thread.
class SnapshotCache
{
public:
    // `folder` empty: the user's cache folder.
    explicit SnapshotCache(const QString &projectKey, const QString &folder = {});
    ~SnapshotCache();

    bool open(QString *error);
    QString path() const { return m_path; }
    QString checkpointFolder() const;

    // A snapshot, its chain of deltas applied; nullopt when it, or a base
    // it needs, is not stored.
    std::optional<Schema> load(const QString &key);
    bool contains(const QString &key);
    // Keys of every stored snapshot (to tell what a replay still needs).
    QSet<QString> keys();
    // Keeps `schema`; with a base (a snapshot stored under `baseKey`, usually
    // the parent's), only the tables that differ from it are written. How
    // many tables were written; -1 when it could not be kept.
    int store(const QString &key, const QString &revision, const Schema &schema,
              const QString &baseKey = {}, const Schema *base = nullptr);
    // Writes are grouped: begin() ... commit().
    void begin();
    void commit();

    static QString defaultFolder();

private:
    // Snapshots decoded lately, by key (the oldest dropped first): a load
    // stops its chain at one of them.
    static constexpr int kRecent = 16;
    // Decoded deltas kept: at most this many tables, views, enums and
    // sequences in all (a few MB).
    static constexpr qsizetype kDeltaWeight = 20000;
    const Schema *recent(const QString &key) const;
    void remember(const QString &key, const Schema &schema);
    struct Delta
    {
        QString base;
        QStringList removed;
        QList<SchemaTable> tables;
        Schema rest; // the views, enums and sequences (whole)
    };

    QList<std::pair<QString, Schema>> m_recent;
    QHash<QString, Delta> m_deltas; // decoded, by key
    qsizetype m_deltaWeight = 0;
    QString m_path;
    std::unique_ptr<ScopedConnection> m_connection;
    bool m_inTransaction = false;
};

} // namespace Retort
