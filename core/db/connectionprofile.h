#pragma once

#include "core/result.h"

#include <QMap>
#include <QString>

namespace Retort {

// Where a database is and how to treat it. Made from a SQLAlchemy URL or by
// hand; the password is never part of what is saved (it lives in the
// system keyring, the URL, or the environment).
struct ConnectionProfile
{
    enum class Driver
    {
        SQLite,
        PostgreSQL,
        MySQL
    };

    QString name;
    Driver driver = Driver::SQLite;
    QString host;
    int port = 0;     // 0: the driver's default
    QString database; // a file path for SQLite
    QString user;
    QString password;               // transient
    QMap<QString, QString> options; // e.g. sslmode=require; never a secret
    // Secret driver options (sslpassword=...): transient like the password.
    QMap<QString, QString> secretOptions;
    // The SQLAlchemy URL as the user gave it, without its secrets: what
    // Alembic is handed (driver, query and all).
    QString url;
    QString versionTable = QStringLiteral("alembic_version");
    QString versionSchema;
    bool shared = false; // staging, production, a team database
    // A server the user lets Retort use for scratch databases (replays):
    // Retort creates databases of its own there and drops them.
    bool scratch = false;
    // Transient: open without the right to write (SQLite: read-only mode).
    bool readOnly = false;
    // Transient: false for Retort's own throwaway SQLite files (replays),
    // which skip fsync and keep their journal in memory.
    bool durable = true;
    bool downgradesForbidden = false;
    // What the window shows it by: a short tag (dev, staging, prod) and a
    // colour (#rrggbb; empty: one picked by position).
    QString tag;
    QString color;

    // postgresql+psycopg2://u:p@h:5432/db?sslmode=require, mysql+pymysql://...,
    // sqlite:///relative.db (relative to `baseDir`), sqlite:////abs.db
    static Result<ConnectionProfile> fromUrl(const QString &url, const QString &baseDir = {});

    // The Qt SQL driver: QSQLITE, QPSQL or QMYSQL.
    QString qtDriver() const;
    // libpq / MySQL connect options as QSqlDatabase::setConnectOptions takes them.
    QString qtConnectOptions() const;
    // The URL again, without the password.
    QString displayUrl() const;
    // The URL for Alembic: the user's own, without secrets (the caller adds
    // the password the way the driver takes it).
    QString alembicUrl() const;
    // How long SQLite waits on a locked database before it gives up: the
    // URL's `timeout` (seconds), else 5 s.
    static constexpr int kSqliteBusyMs = 5000;
    int sqliteBusyMs() const;
    // Shared when marked so, or when the host is not this machine.
    bool isShared() const;
    bool isLoopback() const;
    // The dialect name Alembic renders SQL for.
    QString dialect() const;
};

} // namespace Retort
