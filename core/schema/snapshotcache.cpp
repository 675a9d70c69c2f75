#include "snapshotcache.h"

#include "core/db/scopedconnection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace Retort {

SnapshotCache::SnapshotCache(const QString &projectKey, const QString &folder)
{
    const QString dir = folder.isEmpty() ? defaultFolder() : folder;
    const QByteArray id =
        QCryptographicHash::hash(projectKey.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    m_path = QDir(dir).filePath(QString::fromLatin1(id) + QStringLiteral(".sqlite"));
}

SnapshotCache::~SnapshotCache()
{
    commit();
}

QString SnapshotCache::defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
           QStringLiteral("/retort/schema");
}

QString SnapshotCache::checkpointFolder() const
{
    return m_path.left(m_path.size() - 7) + QStringLiteral("-checkpoints");
}

bool SnapshotCache::open(QString *error)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    ConnectionProfile p;
    p.driver = ConnectionProfile::Driver::SQLite;
    p.database = m_path;
    m_connection = std::make_unique<ScopedConnection>(p);
    if (!m_connection->open(error))
        return false;
    QSqlQuery q(m_connection->database());
    for (const char *sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                            "CREATE TABLE IF NOT EXISTS snapshots (key TEXT PRIMARY KEY, "
                            "revision TEXT NOT NULL, data BLOB NOT NULL)"}) {
        if (!q.exec(QString::fromLatin1(sql))) {
            *error = QStringLiteral("the snapshot cache %1 cannot be used: %2")
                         .arg(m_path, q.lastError().text());
            return false;
        }
    }
    return true;
}

std::optional<Schema> SnapshotCache::load(const QString &key)
{
    if (!m_connection)
        return std::nullopt;
    QSqlQuery q(m_connection->database());
    q.prepare(QStringLiteral("SELECT data FROM snapshots WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return std::nullopt;
    const QByteArray json = qUncompress(q.value(0).toByteArray());
    auto schema = Schema::fromJson(QJsonDocument::fromJson(json).object());
    if (!schema)
        return std::nullopt;
    return schema.value();
}

bool SnapshotCache::contains(const QString &key)
{
    if (!m_connection)
        return false;
    QSqlQuery q(m_connection->database());
    q.prepare(QStringLiteral("SELECT 1 FROM snapshots WHERE key = ?"));
    q.addBindValue(key);
    return q.exec() && q.next();
}

QSet<QString> SnapshotCache::keys()
{
    QSet<QString> out;
    if (!m_connection)
        return out;
    QSqlQuery q(m_connection->database());
    q.setForwardOnly(true);
    if (q.exec(QStringLiteral("SELECT key FROM snapshots")))
        while (q.next())
            out.insert(q.value(0).toString());
    return out;
}

bool SnapshotCache::store(const QString &key, const QString &revision, const Schema &schema)
{
    if (!m_connection)
        return false;
    QSqlQuery q(m_connection->database());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO snapshots (key, revision, data) VALUES (?, "
                             "?, ?)"));
    q.addBindValue(key);
    q.addBindValue(revision);
    q.addBindValue(qCompress(QJsonDocument(schema.toJson()).toJson(QJsonDocument::Compact), 3));
    return q.exec();
}

void SnapshotCache::begin()
{
    if (m_connection && !m_inTransaction)
        m_inTransaction = m_connection->database().transaction();
}

void SnapshotCache::commit()
{
    if (m_connection && m_inTransaction) {
        m_connection->database().commit();
        m_inTransaction = false;
    }
}

} // namespace Retort
