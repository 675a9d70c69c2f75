#include "scratchdatabase.h"
#include "privateserver.h"

#include "core/db/scopedconnection.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace Retort {

namespace {

Result<bool> execute(const ConnectionProfile &profile, const QStringList &statements)
{
    ScopedConnection c(profile);
    QString error;
    if (!c.open(&error))
        return Result<bool>::failure(error);
    QSqlQuery q(c.database());
    for (const QString &s : statements)
        if (!q.exec(s))
            return Result<bool>::failure(QStringLiteral("%1: %2").arg(s, q.lastError().text()));
    return true;
}

QString checkpointFileName(const QString &key)
{
    return key.left(40) + QStringLiteral(".db");
}

// A temporary SQLite file; checkpoints by VACUUM INTO, restored by copying.
class SqliteScratch : public ScratchDatabase
{
public:
    explicit SqliteScratch(const QString &checkpointFolder)
        : m_checkpoints(checkpointFolder.isEmpty() ? m_dir.filePath(QStringLiteral("checkpoints"))
                                                   : checkpointFolder)
    {
        QDir().mkpath(m_checkpoints);
        // Known once, kept up to date: a replay asks about many revisions.
        const QStringList files =
            QDir(m_checkpoints).entryList({QStringLiteral("*.db")}, QDir::Files);
        m_known = QSet<QString>(files.cbegin(), files.cend());
        m_profile.driver = ConnectionProfile::Driver::SQLite;
        m_profile.database = m_dir.filePath(QStringLiteral("scratch.db"));
        m_profile.url = QStringLiteral("sqlite:///") + m_profile.database;
        m_profile.name = QStringLiteral("scratch");
        m_profile.durable = false;
    }
    bool valid() const { return m_dir.isValid(); }
    ConnectionProfile profile() const override { return m_profile; }
    QString describe() const override
    {
        return QStringLiteral("the scratch SQLite database %1").arg(m_profile.database);
    }
    Result<bool> reset() override
    {
        QFile::remove(m_profile.database);
        QFile::remove(m_profile.database + QStringLiteral("-journal"));
        return true;
    }
    Result<bool> checkpoint(const QString &key) override
    {
        const QString path = QDir(m_checkpoints).filePath(checkpointFileName(key));
        if (QFile::exists(path)) {
            m_known.insert(checkpointFileName(key));
            return true;
        }
        // No transaction is open and the journal lives in memory: the file
        // is the whole database, copied as it is.
        const QString partial = path + QStringLiteral(".part");
        QFile::remove(partial);
        if (!QFile::copy(m_profile.database, partial) || !QFile::rename(partial, path)) {
            QFile::remove(partial);
            return Result<bool>::failure(
                QStringLiteral("could not keep a checkpoint in %1").arg(m_checkpoints));
        }
        m_known.insert(checkpointFileName(key));
        return true;
    }
    bool hasCheckpoint(const QString &key) const override
    {
        return m_known.contains(checkpointFileName(key));
    }
    bool checkpointNeedsTheDatabaseAlone() const override { return false; }
    Result<bool> restore(const QString &key) override
    {
        reset();
        if (!QFile::copy(QDir(m_checkpoints).filePath(checkpointFileName(key)),
                         m_profile.database)) {
            m_known.remove(checkpointFileName(key)); // gone (the cache was cleared)
            return Result<bool>::failure(
                QStringLiteral("could not restore a checkpoint into %1").arg(m_profile.database));
        }
        QFile(m_profile.database).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        return true;
    }

private:
    QTemporaryDir m_dir;
    QString m_checkpoints;
    mutable QSet<QString> m_known; // checkpoint files
    ConnectionProfile m_profile;
};

// A database of Retort's own on a server: PostgreSQL checkpoints are
// template databases; MySQL has none (a replay then restarts from empty).
class ServerScratch : public ScratchDatabase
{
public:
    ServerScratch(const ConnectionProfile &server, std::unique_ptr<PrivateServer> owned = {})
        : m_server(server)
        , m_owned(std::move(owned))
    {
        const QString tag = QString::number(QDateTime::currentMSecsSinceEpoch(), 36) +
                            QUuid::createUuid().toString(QUuid::Id128).left(6);
        m_prefix = QStringLiteral("retort_scratch_") + tag;
        m_profile = server;
        m_profile.database = m_prefix;
        m_profile.shared = false;
        if (auto url = ConnectionProfile::fromUrl(server.url); url) {
            // Alembic gets the same server, Retort's database.
            m_profile.url = server.url;
            const qsizetype slash = m_profile.url.indexOf(u'/', m_profile.url.indexOf(u"://") + 3);
            if (slash > 0) {
                const qsizetype query = m_profile.url.indexOf(u'?', slash);
                m_profile.url = m_profile.url.left(slash + 1) + m_prefix +
                                (query < 0 ? QString() : m_profile.url.mid(query));
            }
        }
    }
    ~ServerScratch() override
    {
        QStringList drops;
        for (const QString &db : std::as_const(m_made))
            drops.append(QStringLiteral("DROP DATABASE IF EXISTS ") + db);
        execute(m_server, drops);
    }
    // Makes Retort's database. One of that name that is already there is
    // not Retort's to drop: refused.
    Result<bool> prepare()
    {
        auto made = execute(m_server, {QStringLiteral("CREATE DATABASE ") + m_prefix});
        if (made)
            m_made.insert(m_prefix);
        return made;
    }
    ConnectionProfile profile() const override { return m_profile; }
    QString describe() const override
    {
        return m_owned ? QStringLiteral("Retort's private %1 server (%2)")
                             .arg(m_owned->kind() == PrivateServer::Kind::PostgreSQL
                                      ? QStringLiteral("PostgreSQL")
                                      : QStringLiteral("MariaDB"),
                                  m_owned->socketFolder())
                       : QStringLiteral("the scratch database %1 on %2")
                             .arg(m_prefix, ScopedConnection(m_server).describe());
    }
    bool postgres() const { return m_server.driver == ConnectionProfile::Driver::PostgreSQL; }
    Result<bool> reset() override
    {
        return execute(m_server, {QStringLiteral("DROP DATABASE IF EXISTS ") + m_prefix,
                                  QStringLiteral("CREATE DATABASE ") + m_prefix});
    }
    Result<bool> checkpoint(const QString &key) override
    {
        if (!postgres())
            return true; // no templates: hasCheckpoint() stays false
        const QString name = checkpointName(key);
        if (m_checkpoints.contains(name))
            return true;
        m_made.insert(name);
        auto done = execute(m_server,
                            {QStringLiteral("CREATE DATABASE %1 TEMPLATE %2").arg(name, m_prefix)});
        if (done)
            m_checkpoints.insert(name);
        return done;
    }
    bool hasCheckpoint(const QString &key) const override
    {
        return m_checkpoints.contains(checkpointName(key));
    }
    Result<bool> restore(const QString &key) override
    {
        return execute(
            m_server,
            {QStringLiteral("DROP DATABASE IF EXISTS ") + m_prefix,
             QStringLiteral("CREATE DATABASE %1 TEMPLATE %2").arg(m_prefix, checkpointName(key))});
    }

private:
    QString checkpointName(const QString &key) const
    {
        return m_prefix + QStringLiteral("_c") + key.left(16);
    }
    ConnectionProfile m_server;
    std::unique_ptr<PrivateServer> m_owned;
    ConnectionProfile m_profile;
    QString m_prefix;
    QSet<QString> m_checkpoints;
    QSet<QString> m_made;
};

} // namespace

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::sqlite(const QString &checkpointFolder)
{
    auto scratch = std::make_unique<SqliteScratch>(checkpointFolder);
    if (!scratch->valid())
        return Result<std::unique_ptr<ScratchDatabase>>::failure(
            QStringLiteral("could not make a temporary folder for the scratch database"));
    return std::unique_ptr<ScratchDatabase>(std::move(scratch));
}

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::onServer(const ConnectionProfile &server)
{
    if (server.driver == ConnectionProfile::Driver::SQLite)
        return sqlite();
    // The server connection goes to the maintenance database; Retort's own
    // database is made beside whatever the profile names.
    ConnectionProfile admin = server;
    if (admin.driver == ConnectionProfile::Driver::PostgreSQL && admin.database.isEmpty())
        admin.database = QStringLiteral("postgres");
    auto scratch = std::make_unique<ServerScratch>(admin);
    auto ready = scratch->prepare();
    if (!ready)
        return Result<std::unique_ptr<ScratchDatabase>>::failure(
            QStringLiteral("could not make a scratch database on %1: %2")
                .arg(ScopedConnection(admin).describe(), ready.error()));
    return std::unique_ptr<ScratchDatabase>(std::move(scratch));
}

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::privateServer(bool postgres)
{
    auto server = PrivateServer::start(postgres ? PrivateServer::Kind::PostgreSQL
                                                : PrivateServer::Kind::MariaDB);
    if (!server)
        return Result<std::unique_ptr<ScratchDatabase>>::failure(server.error());
    const ConnectionProfile admin =
        server.value()->profile(postgres ? QStringLiteral("postgres") : QString());
    auto scratch = std::make_unique<ServerScratch>(admin, std::move(server.value()));
    auto ready = scratch->prepare();
    if (!ready)
        return Result<std::unique_ptr<ScratchDatabase>>::failure(ready.error());
    return std::unique_ptr<ScratchDatabase>(std::move(scratch));
}

Result<std::unique_ptr<ScratchDatabase>>
ScratchDatabase::forDialect(const QString &dialect, const QString &checkpointFolder,
                            const ConnectionProfile *server)
{
    if (server)
        return onServer(*server);
    if (dialect == u"sqlite")
        return sqlite(checkpointFolder);
    if (dialect == u"postgresql" || dialect == u"mysql")
        return privateServer(dialect == u"postgresql");
    return Result<std::unique_ptr<ScratchDatabase>>::failure(
        QStringLiteral("a %1 project replays on a scratch server: mark a profile as scratch "
                       "(retort profile add NAME URL --scratch) and pass --scratch NAME")
            .arg(dialect));
}

} // namespace Retort
