#pragma once

#include "core/db/connectionprofile.h"
#include "core/result.h"

#include <QString>

#include <memory>

namespace Retort {

// A throwaway PostgreSQL server of Retort's own, for replays: started from
// the installed server binaries (`initdb`, `postgres`, `pg_ctl`), listening
// only on a Unix socket in a private 0700 folder (no TCP port), trusted
// locally, stopped and removed with this object. An initialized cluster is
// kept in the user's cache folder as a template, so later starts copy it
// instead of running initdb. A server left behind by a Retort that was killed
// is stopped and removed by the next start().
//
// Run as root (containers, CI), the server runs as the `postgres` user (else
// `nobody`): PostgreSQL refuses to run as root.
class PrivatePostgres
{
public:
    ~PrivatePostgres();
    PrivatePostgres(const PrivatePostgres &) = delete;
    PrivatePostgres &operator=(const PrivatePostgres &) = delete;

    static Result<std::unique_ptr<PrivatePostgres>> start();
    // Where the server binaries are, or a sentence saying how to get them.
    static Result<QString> binaryFolder();
    // Stops and removes what killed Retorts left behind; how many.
    static int cleanUpStale();
    // The folder all private servers of this user live under.
    static QString baseFolder();

    QString socketFolder() const { return m_folder; }
    QString dataFolder() const;
    // The postmaster's process id (from postmaster.pid), 0 when unknown.
    qint64 serverPid() const;
    // A connection to `database` as the superuser, over the socket.
    ConnectionProfile profile(const QString &database) const;
    qint64 startMilliseconds() const { return m_startMs; }

private:
    PrivatePostgres() = default;
    QString m_bin;
    QString m_folder;
    qint64 m_startMs = 0;
};

} // namespace Retort
