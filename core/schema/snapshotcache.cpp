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

const Schema *SnapshotCache::recent(const QString &key) const
{
    for (const auto &[k, schema] : m_recent)
        if (k == key)
            return &schema;
    return nullptr;
}

void SnapshotCache::remember(const QString &key, const Schema &schema)
{
    if (recent(key))
        return;
    if (m_recent.size() >= kRecent)
        m_recent.removeFirst();
    m_recent.append({key, schema});
}

std::optional<Schema> SnapshotCache::load(const QString &key)
{
    if (!m_connection)
        return std::nullopt;
    // The chain from `key` back to a full snapshot (or to one decoded
    // lately: neighbours share most of their chain), newest first. Deltas
    // are kept decoded: a chain may be hundreds of them long.
    QStringList chain;
    QSqlQuery q(m_connection->database());
    q.prepare(QStringLiteral("SELECT base, data FROM snapshots2 WHERE key = ?"));
    QString next = key;
    while (!recent(next)) {
        auto known = m_deltas.constFind(next);
        if (known == m_deltas.cend()) {
            q.bindValue(0, next);
            if (!q.exec() || !q.next() || chain.size() > 100000)
                return std::nullopt;
            const QString base = q.value(0).toString();
            QJsonObject data =
                QJsonDocument::fromJson(qUncompress(q.value(1).toByteArray())).object();
            q.finish();
            if (base.isEmpty()) {
                auto full = Schema::fromJson(data);
                if (!full)
                    return std::nullopt;
                remember(next, full.value());
                break;
            }
            Delta d;
            d.base = base;
            for (const QJsonValue &name : data.value(QStringLiteral("removed")).toArray())
                d.removed.append(name.toString());
            for (const QJsonValue &t : data.value(QStringLiteral("tables")).toArray())
                d.tables.append(Schema::tableFromJson(t.toObject()));
            // Views, enums and sequences are small: each delta has them whole.
            data.insert(QStringLiteral("tables"), QJsonArray());
            data.remove(QStringLiteral("removed"));
            auto rest = Schema::fromJson(data);
            if (!rest)
                return std::nullopt;
            d.rest = rest.value();
            const qsizetype weight = 1 + d.tables.size() + d.rest.views.size() +
                                     d.rest.enums.size() + d.rest.sequences.size();
            if (m_deltaWeight + weight > kDeltaWeight) {
                m_deltas.clear();
                m_deltaWeight = 0;
            }
            m_deltaWeight += weight;
            known = m_deltas.insert(next, d);
        }
        chain.append(next);
        next = known->base;
    }
    Schema s = *recent(next);
    if (chain.isEmpty())
        return s;
    // The deltas, oldest first, on one map of the tables.
    QMap<QString, SchemaTable> tables;
    for (const SchemaTable &t : std::as_const(s.tables))
        tables.insert(t.qualifiedName(), t);
    for (auto it = chain.crbegin(); it != chain.crend(); ++it) {
        const Delta &d = m_deltas.value(*it);
        for (const QString &name : d.removed)
            tables.remove(name);
        for (const SchemaTable &t : d.tables)
            tables.insert(t.qualifiedName(), t);
    }
    s = m_deltas.value(chain.first()).rest;
    s.tables = tables.values();
    s.normalize();
    remember(key, s);
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
