#pragma once

#include "connectionprofile.h"

#include <QSqlDatabase>
#include <QString>

namespace Retort {

// One QSqlDatabase connection for the thread that makes it, under a unique
// name, closed and removed when this goes out of scope on that same thread.
// No connection or query crosses threads.
class ScopedConnection
{
public:
    explicit ScopedConnection(const ConnectionProfile &profile);
    ~ScopedConnection();
    ScopedConnection(const ScopedConnection &) = delete;
    ScopedConnection &operator=(const ScopedConnection &) = delete;

    // Opens the connection; false with a sentence naming the server when not.
    bool open(QString *error, int timeoutSeconds = 10);
    QSqlDatabase database() const { return QSqlDatabase::database(m_name, false); }
    const ConnectionProfile &profile() const { return m_profile; }
    // Which database, for messages: "the SQLite database /x/app.db",
    // "app@db.example.com:5432/sales". Never the password.
    QString describe() const;
    // A SQLite file that is not there yet. Opening it would create an
    // empty one: whoever only reads takes it as "at base" instead, so that
    // looking at a database never leaves a file behind.
    static bool isMissingFile(const ConnectionProfile &profile);
    // True when `error` (from open()) says the server wants a (different)
    // password.
    static bool wantsPassword(const ConnectionProfile &profile, const QString &error);

private:
    ConnectionProfile m_profile;
    QString m_name;
};

} // namespace Retort
