#include "snapshotcache.h"

#include "core/db/scopedconnection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
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
                            "CREATE TABLE IF NOT EXISTS snapshots2 (key TEXT PRIMARY KEY, "
                            "revision TEXT NOT NULL, base TEXT NOT NULL, data BLOB NOT NULL)",
                            "DROP TABLE IF EXISTS snapshots"}) {
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
    // The chain from `key` back to a full snapshot, newest first.
    QList<QJsonObject> chain;
    QSqlQuery q(m_connection->database());
    q.prepare(QStringLiteral("SELECT base, data FROM snapshots2 WHERE key = ?"));
    QString next = key;
    while (!next.isEmpty()) {
        q.bindValue(0, next);
        if (!q.exec() || !q.next() || chain.size() > 1000)
            return std::nullopt;
        next = q.value(0).toString();
        chain.append(QJsonDocument::fromJson(qUncompress(q.value(1).toByteArray())).object());
        q.finish();
    }
    auto full = Schema::fromJson(chain.takeLast());
    if (!full)
        return std::nullopt;
    Schema s = full.value();
    if (chain.isEmpty())
        return s;
    // The deltas, oldest first, on one map of the tables.
    QMap<QString, SchemaTable> tables;
    for (const SchemaTable &t : std::as_const(s.tables))
        tables.insert(t.qualifiedName(), t);
    QJsonObject last;
    while (!chain.isEmpty()) {
        last = chain.takeLast();
        for (const QJsonValue &name : last.value(QStringLiteral("removed")).toArray())
            tables.remove(name.toString());
        for (const QJsonValue &t : last.value(QStringLiteral("tables")).toArray()) {
            const SchemaTable table = Schema::tableFromJson(t.toObject());
            tables.insert(table.qualifiedName(), table);
        }
    }
    // Views, enums and sequences are small: each delta has them whole.
    last.insert(QStringLiteral("tables"), QJsonArray());
    auto rest = Schema::fromJson(last);
    if (!rest)
        return std::nullopt;
    s = rest.value();
    s.tables = tables.values();
    s.normalize();
    return s;
}

bool SnapshotCache::contains(const QString &key)
{
    if (!m_connection)
        return false;
    QSqlQuery q(m_connection->database());
    q.prepare(QStringLiteral("SELECT 1 FROM snapshots2 WHERE key = ?"));
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
    if (q.exec(QStringLiteral("SELECT key FROM snapshots2")))
        while (q.next())
            out.insert(q.value(0).toString());
    return out;
}

int SnapshotCache::store(const QString &key, const QString &revision, const Schema &schema,
                         const QString &baseKey, const Schema *base)
{
    if (!m_connection)
        return -1;
    QJsonObject data;
    int written = int(schema.tables.size());
    if (base && !baseKey.isEmpty()) {
        // Only the tables that differ from the base: both lists are sorted,
        // walked side by side.
        QJsonArray changed, removed;
        auto a = base->tables.cbegin();
        auto b = schema.tables.cbegin();
        while (a != base->tables.cend() || b != schema.tables.cend()) {
            const int order = a == base->tables.cend() ? 1
                              : b == schema.tables.cend()
                                  ? -1
                                  : QString::compare(a->qualifiedName(), b->qualifiedName());
            if (order < 0) {
                removed.append((a++)->qualifiedName());
            } else if (order > 0) {
                changed.append(Schema::tableToJson(*b++));
            } else {
                if (!(*a == *b))
                    changed.append(Schema::tableToJson(*b));
                ++a;
                ++b;
            }
        }
        written = int(changed.size() + removed.size());
        Schema small = schema;
        small.tables.clear();
        data = small.toJson();
        data.insert(QStringLiteral("tables"), changed);
        data.insert(QStringLiteral("removed"), removed);
    } else {
        data = schema.toJson();
    }
    QSqlQuery q(m_connection->database());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO snapshots2 (key, revision, base, data) "
                             "VALUES (?, ?, ?, ?)"));
    q.addBindValue(key);
    q.addBindValue(revision);
    q.addBindValue(base ? baseKey : QStringLiteral("")); // NOT NULL: a full snapshot has ""
    q.addBindValue(qCompress(QJsonDocument(data).toJson(QJsonDocument::Compact), 1));
    return q.exec() ? written : -1;
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
