#include "databasemonitor.h"
#include "core/script/projectconfig.h"
#include "profilestore.h"
#include "scopedconnection.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

const QString DatabaseMonitor::kProjectUrlName = QStringLiteral("sqlalchemy.url");

QString MonitoredDatabase::summary(const RevisionGraph &graph) const
{
    const QString name = profile.name;
    switch (status) {
    case Status::NotRead:
    case Status::Reading:
        return QStringLiteral("%1: reading…").arg(name);
    case Status::Failed:
        return wantsPassword ? QStringLiteral("%1: needs a password").arg(name)
                             : QStringLiteral("%1: cannot read it").arg(name);
    case Status::Ready:
        break;
    }
    if (!state.unknown.isEmpty())
        return QStringLiteral("%1: at %2, which this project does not have")
            .arg(name, state.unknown.join(QStringLiteral(", ")));
    const int behind = state.behindHeads(graph);
    if (behind == 0)
        return state.atBase() ? QStringLiteral("%1: empty project, at base").arg(name)
                              : QStringLiteral("%1: at head").arg(name);
    return QStringLiteral("%1: %2 behind head").arg(name).arg(behind);
}

DatabaseMonitor::DatabaseMonitor(QObject *parent)
    : QObject(parent)
{}

DatabaseMonitor::~DatabaseMonitor() = default;

QString DatabaseMonitor::defaultColor(int position)
{
    static const char *const colors[] = {"#2e7d32", "#1565c0", "#c62828", "#6a1b9a", "#ef6c00",
                                         "#00838f", "#ad1457", "#4e342e", "#558b2f", "#283593"};
    return QString::fromLatin1(colors[position % 10]);
}

void DatabaseMonitor::setProject(const ProjectConfig &config, const RevisionGraph &graph)
{
    m_configFile = config.configFile;
    m_projectDir = config.projectDir;
    m_projectKey = config.key();
    m_projectUrl = config.sqlalchemyUrl;
    m_graph = graph;
    reloadProfiles();
}

void DatabaseMonitor::setGraph(const RevisionGraph &graph)
{
    m_graph = graph;
    for (MonitoredDatabase &db : m_databases) {
        if (db.status == MonitoredDatabase::Status::Ready)
            db.state = DatabaseState::map(db.state.tableExists, db.state.recorded, m_graph);
    }
    Q_EMIT changed();
    refresh();
}

void DatabaseMonitor::reloadProfiles()
{
    QList<MonitoredDatabase> next;
    const QList<ConnectionProfile> saved = ProfileStore::load(m_projectKey);
    for (const ConnectionProfile &p : saved) {
        MonitoredDatabase db;
        db.profile = p;
        db.color = p.color.isEmpty() ? defaultColor(int(next.size())) : p.color;
        next.append(db);
    }
    if (!m_projectUrl.isEmpty()) {
        MonitoredDatabase db;
        auto made = ConnectionProfile::fromUrl(m_projectUrl, m_projectDir);
        if (made) {
            db.profile = made.value();
        } else {
            db.status = MonitoredDatabase::Status::Failed;
            db.error = made.error();
        }
        db.profile.name = kProjectUrlName;
        db.implicit = true;
        db.color = QStringLiteral("#757575");
        next.append(db);
    }
    // What was already read stays on screen until the new reading lands.
    for (MonitoredDatabase &db : next) {
        if (const MonitoredDatabase *old = find(db.profile.name);
            old && old->status == MonitoredDatabase::Status::Ready &&
            old->profile.displayUrl() == db.profile.displayUrl())
            db.state = old->state;
    }
    m_databases = next;
    Q_EMIT changed();
    refresh();
}

const MonitoredDatabase *DatabaseMonitor::find(const QString &name) const
{
    for (const MonitoredDatabase &db : m_databases) {
        if (db.profile.name == name)
            return &db;
    }
    return nullptr;
}

ConnectionProfile DatabaseMonitor::connectable(const QString &name) const
{
    const MonitoredDatabase *db = find(name);
    if (!db)
        return {};
    ConnectionProfile p = db->profile;
    if (p.password.isEmpty())
        p.password = m_sessionPasswords.value(name);
    return p;
}

void DatabaseMonitor::setSessionPassword(const QString &name, const QString &password)
{
    m_sessionPasswords.insert(name, password);
    refresh(name);
}

void DatabaseMonitor::refresh()
{
    for (int i = 0; i < m_databases.size(); ++i)
        start(i);
}

void DatabaseMonitor::refresh(const QString &name)
{
    for (int i = 0; i < m_databases.size(); ++i) {
        if (m_databases.at(i).profile.name == name)
            start(i);
    }
}

QList<RecordedVersions> DatabaseMonitor::recordedVersions() const
{
    QList<RecordedVersions> out;
    for (const MonitoredDatabase &db : m_databases) {
        RecordedVersions v;
        v.name = db.profile.name;
        v.where = db.profile.displayUrl();
        v.read = db.status == MonitoredDatabase::Status::Ready;
        v.error = v.read ? QString() : db.error;
        v.recorded = db.state.recorded;
        out.append(v);
    }
    return out;
}

Diagnostics DatabaseMonitor::diagnostics() const
{
    Diagnostics out;
    for (const MonitoredDatabase &db : m_databases) {
        if (db.status != MonitoredDatabase::Status::Ready)
            continue;
        for (const QString &id : db.state.unknown)
            out.append({Severity::Error, QStringLiteral("unknown-recorded-revision"), m_configFile,
                        0,
                        QStringLiteral("The database '%1' (%2) records revision %3, which no file "
                                       "in the versions folder declares: it was migrated from "
                                       "other files, or the revision was renamed or deleted.")
                            .arg(db.profile.name, db.profile.displayUrl(), id)});
    }
    return out;
}

DatabaseMonitor::Reading DatabaseMonitor::readVersions(ConnectionProfile profile,
                                                       const QString &passwordKey)
{
    Reading r;
    // The keyring may take its time: it is asked here, off the GUI thread.
    if (profile.password.isEmpty() && !passwordKey.isEmpty() &&
        profile.driver != ConnectionProfile::Driver::SQLite) {
        auto stored = PasswordStore::read(passwordKey);
        if (stored)
            profile.password = stored.value();
    }
    if (ScopedConnection::isMissingFile(profile)) {
        r.ok = true; // nothing applied yet; reading must not create the file
        return r;
    }
    ScopedConnection connection(profile);
    if (!connection.open(&r.error, 5)) {
        r.wantsPassword = ScopedConnection::wantsPassword(profile, r.error);
        return r;
    }
    auto exists = VersionTable::exists(connection);
    if (!exists) {
        r.error = exists.error();
        return r;
    }
    auto recorded = VersionTable::read(connection);
    if (!recorded) {
        r.error = recorded.error();
        return r;
    }
    r.ok = true;
    r.password = profile.password;
    r.tableExists = exists.value();
    r.recorded = recorded.value();
    return r;
}

void DatabaseMonitor::start(int index)
{
    MonitoredDatabase &db = m_databases[index];
    if (db.implicit && db.profile.url.isEmpty() && !db.error.isEmpty())
        return; // the URL itself is wrong; nothing to connect to
    const QString name = db.profile.name;
    const quint64 generation = ++m_next;
    m_generation.insert(name, generation);
    ConnectionProfile profile = db.profile;
    if (m_sessionPasswords.contains(name))
        profile.password = m_sessionPasswords.value(name);
    const QString key = db.implicit ? QString() : PasswordStore::keyFor(m_projectKey, name);
    db.status = MonitoredDatabase::Status::Reading;
    if (m_reading++ == 0)
        Q_EMIT readingChanged(true);
    auto *watcher = new QFutureWatcher<Reading>(this);
    connect(watcher, &QFutureWatcher<Reading>::finished, this, [this, watcher, name, generation] {
        watcher->deleteLater();
        const Reading r = watcher->result();
        if (--m_reading == 0)
            Q_EMIT readingChanged(false);
        if (m_generation.value(name) != generation)
            return; // a newer reading is on its way
        for (MonitoredDatabase &db : m_databases) {
            if (db.profile.name != name)
                continue;
            db.wantsPassword = r.wantsPassword;
            if (r.ok) {
                if (!r.password.isEmpty())
                    m_sessionPasswords.insert(name, r.password);
                db.status = MonitoredDatabase::Status::Ready;
                db.error.clear();
                db.state = DatabaseState::map(r.tableExists, r.recorded, m_graph);
            } else {
                db.status = MonitoredDatabase::Status::Failed;
                db.error = r.error;
                db.state = DatabaseState();
            }
        }
        Q_EMIT changed();
    });
    watcher->setFuture(QtConcurrent::run(&DatabaseMonitor::readVersions, profile, key));
    Q_EMIT changed();
}

Result<QString> DatabaseMonitor::test(const ConnectionProfile &profile, int timeoutSeconds)
{
    ScopedConnection connection(profile);
    if (ScopedConnection::isMissingFile(profile))
        return QStringLiteral("%1 does not exist yet (at base); an upgrade will create it.")
            .arg(connection.describe());
    QString error;
    if (!connection.open(&error, timeoutSeconds))
        return Result<QString>::failure(error);
    auto exists = VersionTable::exists(connection);
    if (!exists)
        return Result<QString>::failure(exists.error());
    QString where = QStringLiteral("no version table yet (at base)");
    if (exists.value()) {
        auto recorded = VersionTable::read(connection);
        if (!recorded)
            return Result<QString>::failure(recorded.error());
        where = recorded->isEmpty()
                    ? QStringLiteral("the version table is empty (at base)")
                    : QStringLiteral("it records %1").arg(recorded->join(QStringLiteral(", ")));
    }
    return QStringLiteral("Connected to %1; %2.").arg(connection.describe(), where);
}

} // namespace Retort
