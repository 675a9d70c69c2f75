#include "scopedconnection.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace Retort {

ScopedConnection::ScopedConnection(const ConnectionProfile &profile)
    : m_profile(profile)
    , m_name(QStringLiteral("retort-%1").arg(QUuid::createUuid().toString(QUuid::Id128)))
{}

ScopedConnection::~ScopedConnection()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

bool ScopedConnection::open(QString *error, int timeoutSeconds)
{
    if (!QSqlDatabase::isDriverAvailable(m_profile.qtDriver())) {
        *error = QStringLiteral("The Qt SQL driver %1 is not installed (Debian: libqt6sql6-%2).")
                     .arg(m_profile.qtDriver(),
                          m_profile.driver == ConnectionProfile::Driver::SQLite
                              ? QStringLiteral("sqlite")
                          : m_profile.driver == ConnectionProfile::Driver::PostgreSQL
                              ? QStringLiteral("psql")
                              : QStringLiteral("mysql"));
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(m_profile.qtDriver(), m_name);
    db.setDatabaseName(m_profile.database);
    if (m_profile.driver == ConnectionProfile::Driver::SQLite) {
        if (m_profile.database != u":memory:" &&
            !m_profile.options.contains(QStringLiteral("uri")) &&
            !QFileInfo(m_profile.database).absoluteDir().exists()) {
            *error = QStringLiteral("The folder of the SQLite database %1 does not exist.")
                         .arg(m_profile.database);
            return false;
        }
        // A busy timeout: a database another process holds is waited for,
        // then reported as locked, never taken for an empty one.
        db.setConnectOptions(m_profile.qtConnectOptions());
    } else {
        db.setHostName(m_profile.host);
        if (m_profile.port > 0)
            db.setPort(m_profile.port);
        db.setUserName(m_profile.user);
        db.setPassword(m_profile.password);
        QString options = m_profile.qtConnectOptions();
        // Fail fast on an unreachable host instead of waiting for the OS.
        if (!m_profile.options.contains(QStringLiteral("connect_timeout"))) {
            const QString timeout = m_profile.driver == ConnectionProfile::Driver::PostgreSQL
                                        ? QStringLiteral("connect_timeout=%1")
                                        : QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=%1");
            options +=
                (options.isEmpty() ? QString() : QStringLiteral(";")) + timeout.arg(timeoutSeconds);
        }
        db.setConnectOptions(options);
    }
    if (!db.open()) {
        *error = QStringLiteral("Cannot connect to %1: %2")
                     .arg(m_profile.driver == ConnectionProfile::Driver::SQLite ? m_profile.database
                                                                                : describe(),
                          db.lastError().text().trimmed());
        return false;
    }
    if (m_profile.driver == ConnectionProfile::Driver::SQLite && !m_profile.durable) {
        // A scratch file Retort made for itself: no durability to pay for.
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA synchronous=OFF"));
        q.exec(QStringLiteral("PRAGMA journal_mode=MEMORY"));
    }
    return true;
}

bool ScopedConnection::isMissingFile(const ConnectionProfile &profile)
{
    return profile.driver == ConnectionProfile::Driver::SQLite && profile.database != u":memory:" &&
           !profile.database.isEmpty() && !profile.options.contains(QStringLiteral("uri")) &&
           !QFileInfo::exists(profile.database);
}

QString ScopedConnection::describe() const
{
    if (m_profile.driver == ConnectionProfile::Driver::SQLite)
        return QStringLiteral("the SQLite database %1").arg(m_profile.database);
    return QStringLiteral("%1@%2%3/%4")
        .arg(m_profile.user,
             m_profile.host.isEmpty() ? QStringLiteral("localhost") : m_profile.host,
             m_profile.port > 0 ? u':' + QString::number(m_profile.port) : QString(),
             m_profile.database);
}

bool ScopedConnection::wantsPassword(const ConnectionProfile &profile, const QString &error)
{
    if (profile.driver == ConnectionProfile::Driver::SQLite)
        return false;
    return error.contains(u"password authentication failed") ||
           error.contains(u"no password supplied") || error.contains(u"Access denied for user");
}

} // namespace Retort
