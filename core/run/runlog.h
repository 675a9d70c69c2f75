#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace Retort {

// Every run against a database, appended to a per-project log (JSON lines
// under the user's data folder): when, which database, which steps, result.
struct RunLogEntry
{
    QDateTime when;
    QString database; // the URL without its password
    QString command;  // upgrade, downgrade, stamp
    QString target;
    QStringList steps; // revision ids, in order
    bool ok = false;
    QString error;
    QString user; // who ran it (the login name); filled in by append() when empty

    // One line for people: "2026-11-28 08:00  upgrade heads  sqlite:///app.db  ok  3 steps  (ana)".
    QString describe() const;
};

class RunLog
{
public:
    // The log file of the project whose config (or versions folder) is `projectPath`.
    static QString fileFor(const QString &projectPath);
    static bool append(const QString &projectPath, const RunLogEntry &entry,
                       QString *error = nullptr);
    static QList<RunLogEntry> read(const QString &projectPath);
};

} // namespace Retort
