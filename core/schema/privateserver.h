#pragma once

#include "core/db/connectionprofile.h"
#include "core/result.h"

#include <QString>

#include <memory>

namespace Retort {

// A throwaway database server of Retort's own, for replays: PostgreSQL
// (`initdb`, `postgres`, `pg_ctl` from the `postgresql` package) or MariaDB
// (`mariadb-install-db`, `mariadbd` from `mariadb-server`), started from the
// installed binaries, listening only on a Unix socket in a private 0700
// folder (no TCP port), trusted locally, stopped and removed with this
// object. An initialized data folder is kept in the user's cache folder as a
// template, so later starts copy it instead of initializing again. A server
// left behind by a Retort that was killed is stopped and removed by the
// next start().
//
// Run as root (containers, CI), PostgreSQL runs as the `postgres` user (else
// `nobody`): it refuses to run as root. MariaDB is told --user=root.
class PrivateServer
{
public:
    enum class Kind
    {
        PostgreSQL,
        MariaDB
    };
    ~PrivateServer();
    PrivateServer(const PrivateServer &) = delete;
    PrivateServer &operator=(const PrivateServer &) = delete;

    static Result<std::unique_ptr<PrivateServer>> start(Kind kind);
    // Where the server binaries are, or a sentence saying how to get them.
    static Result<QString> binaryFolder(Kind kind);
    // Stops and removes what killed Retorts left behind; how many.
    static int cleanUpStale();
    // The folder all private servers of this user live under.
    static QString baseFolder();

    Kind kind() const { return m_kind; }
    QString socketFolder() const { return m_folder; }
    QString dataFolder() const;
    // The server's process id (from its pid file), 0 when unknown.
    qint64 serverPid() const;
    // A connection to `database` as the superuser, over the socket.
    ConnectionProfile profile(const QString &database) const;
    qint64 startMilliseconds() const { return m_startMs; }

private:
    explicit PrivateServer(Kind kind)
        : m_kind(kind)
    {}
    Kind m_kind;
    QString m_bin;
    QString m_folder;
    qint64 m_startMs = 0;
};

} // namespace Retort
