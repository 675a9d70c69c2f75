#pragma once

#include "core/db/connectionprofile.h"
#include "core/result.h"

#include <QHash>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace Retort {

class PrivateServer;

// A database Retort may run any DDL on, because it made it for that purpose:
// the replay's working database, with checkpoints it can go back to. Never
// anything else. Use it on one thread.
class ScratchDatabase
{
public:
    virtual ~ScratchDatabase() = default;
    // The working database.
    virtual ConnectionProfile profile() const = 0;
    QString dialect() const { return profile().dialect(); }
    // Where it is, for messages.
    virtual QString describe() const = 0;
    // An empty working database.
    virtual Result<bool> reset() = 0;
    // Keeps the working database's current state under `key`. No
    // transaction may be open (and see checkpointNeedsTheDatabaseAlone()).
    virtual Result<bool> checkpoint(const QString &key) = 0;
    virtual bool hasCheckpoint(const QString &key) const = 0;
    // Whether checkpoint() needs every connection to the working database
    // closed (PostgreSQL templates do; a SQLite file copy does not).
    virtual bool checkpointNeedsTheDatabaseAlone() const { return true; }
    // The working database becomes the state kept under `key`.
    virtual Result<bool> restore(const QString &key) = 0;

    // SQLite: a temporary file; checkpoints are files in `checkpointFolder`
    // (kept between runs: the snapshot cache's), or in the temporary folder.
    static Result<std::unique_ptr<ScratchDatabase>> sqlite(const QString &checkpointFolder = {});
    // A server the user marked scratch: Retort creates a database of its own
    // there (refusing one that has tables it did not make) and drops it, and
    // its checkpoints, when done.
    static Result<std::unique_ptr<ScratchDatabase>> onServer(const ConnectionProfile &server);
    // A private PostgreSQL (else MariaDB) server Retort starts itself (see
    // PrivateServer).
    static Result<std::unique_ptr<ScratchDatabase>> privateServer(bool postgres);
    // The scratch database for a dialect: SQLite in-process, PostgreSQL and
    // MySQL a private server, or `server` (a scratch profile) when given.
    static Result<std::unique_ptr<ScratchDatabase>> forDialect(const QString &dialect,
                                                               const QString &checkpointFolder,
                                                               const ConnectionProfile *server);
};

} // namespace Retort
