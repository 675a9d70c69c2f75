#pragma once

#include "connectionprofile.h"
#include "core/diagnostic.h"
#include "core/graph/revisiongraph.h"
#include "versiontable.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace Retort {

struct ProjectConfig;

// One database the window follows: a saved profile, or the project's own
// sqlalchemy.url.
struct MonitoredDatabase
{
    enum class Status
    {
        NotRead,
        Reading,
        Ready,
        Failed
    };
    ConnectionProfile profile;
    bool implicit = false; // the project's sqlalchemy.url, not a saved profile
    QString color;         // the profile's colour, or one picked for it
    Status status = Status::NotRead;
    DatabaseState state; // when Ready
    QString error;       // when Failed: the database's own words
    bool wantsPassword = false;

    // "prod: 3 behind head", "dev: at head", "staging: cannot connect".
    QString summary(const RevisionGraph &graph) const;
};

// Where each of a project's databases stands, read off the GUI thread: one
// short connection per database and refresh, results back by queued signal;
// a result older than the newest request for that database is dropped.
class DatabaseMonitor : public QObject
{
    Q_OBJECT

public:
    // The name the project's own sqlalchemy.url goes by.
    static const QString kProjectUrlName;

    explicit DatabaseMonitor(QObject *parent = nullptr);
    ~DatabaseMonitor() override;

    // Follows this project's databases (its saved profiles, then its
    // sqlalchemy.url) against `graph`, and reads them all.
    void setProject(const ProjectConfig &config, const RevisionGraph &graph);
    // The graph changed (a rescan): re-maps what was read, reads again.
    void setGraph(const RevisionGraph &graph);
    // Saved profiles changed: reload them from the store and read again.
    void reloadProfiles();
    void refresh();
    void refresh(const QString &name);
    // Kept in memory only, for a database whose password has no keyring.
    void setSessionPassword(const QString &name, const QString &password);

    const QList<MonitoredDatabase> &databases() const { return m_databases; }
    const MonitoredDatabase *find(const QString &name) const;
    // The profile to connect with: its password included when the keyring,
    // the URL or the user gave one this session (kept in memory only).
    ConnectionProfile connectable(const QString &name) const;
    QString projectKey() const { return m_projectKey; }
    QString projectDir() const { return m_projectDir; }
    bool isReading() const { return m_reading > 0; }
    // What each database was last read to record.
    QList<RecordedVersions> recordedVersions() const;
    // Recorded ids the project does not have, as problems naming the database.
    Diagnostics diagnostics() const;
    // Ten colours told apart on light and dark backgrounds.
    static QString defaultColor(int position);

    // Connects once, with a timeout, on the calling thread: "Connected to
    // ..." with where the database stands, or the database's own message.
    static Result<QString> test(const ConnectionProfile &profile, int timeoutSeconds = 5);

Q_SIGNALS:
    void changed();
    void readingChanged(bool reading);

private:
    struct Reading
    {
        bool ok = false;
        QString error;
        bool wantsPassword = false;
        QString password; // the one that worked
        bool tableExists = false;
        QStringList recorded;
    };
    static Reading readVersions(ConnectionProfile profile, const QString &passwordKey);
    void start(int index);

    QString m_projectKey;
    QString m_configFile;
    QString m_projectDir;
    QString m_projectUrl;
    RevisionGraph m_graph;
    QList<MonitoredDatabase> m_databases;
    QHash<QString, quint64> m_generation; // per database name
    QHash<QString, QString> m_sessionPasswords;
    int m_reading = 0;
    quint64 m_next = 0;
};

} // namespace Retort
