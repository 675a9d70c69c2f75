#include "privatepostgres.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QUuid>

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Retort {

namespace {

// Who the server runs as: this user, or a system user when this is root.
struct ServerUser
{
    uid_t uid = 0;
    gid_t gid = 0;
    bool switchUser = false;
    QString name;
};

ServerUser serverUser()
{
    ServerUser u;
    u.uid = getuid();
    u.gid = getgid();
    if (u.uid != 0)
        return u;
    for (const char *candidate : {"postgres", "nobody"}) {
        if (const passwd *pw = getpwnam(candidate)) {
            u.uid = pw->pw_uid;
            u.gid = pw->pw_gid;
            u.switchUser = true;
            u.name = QString::fromLocal8Bit(candidate);
            return u;
        }
    }
    return u;
}

// Runs a server binary (as the server user), waiting up to `timeoutMs`.
Result<QString> runTool(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess p;
    const ServerUser user = serverUser();
    if (user.switchUser) {
        p.setChildProcessModifier([user] {
            if (setgid(user.gid) != 0 || setuid(user.uid) != 0)
                _exit(126);
        });
    }
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setStandardInputFile(QProcess::nullDevice());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.remove(QStringLiteral("PGHOST"));
    env.remove(QStringLiteral("PGPORT"));
    env.remove(QStringLiteral("PGDATA"));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(QDir::tempPath());
    p.start(program, arguments);
    if (!p.waitForStarted(5000))
        return Result<QString>::failure(
            QStringLiteral("could not run %1: %2").arg(program, p.errorString()));
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        return Result<QString>::failure(
            QStringLiteral("%1 did not finish within %2 s").arg(program).arg(timeoutMs / 1000));
    }
    const QString out = QString::fromLocal8Bit(p.readAll()).trimmed();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return Result<QString>::failure(
            QStringLiteral("%1 failed: %2")
                .arg(QFileInfo(program).fileName(),
                     out.isEmpty() ? QStringLiteral("no output") : out));
    return out;
}

bool chownTree(const QString &path, const ServerUser &user)
{
    if (!user.switchUser)
        return true;
    QProcess p;
    p.start(QStringLiteral("chown"),
            {QStringLiteral("-R"), QStringLiteral("%1:%2").arg(user.uid).arg(user.gid), path});
    return p.waitForFinished(30000) && p.exitCode() == 0;
}

bool copyTree(const QString &from, const QString &to)
{
    QProcess p;
    p.start(QStringLiteral("cp"), {QStringLiteral("-a"), from, to});
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// Whether a process runs (a zombie waiting for its parent does not).
bool processAlive(qint64 pid)
{
    if (pid <= 0 || (kill(pid_t(pid), 0) != 0 && errno != EPERM))
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close < 0 || close + 2 >= line.size() || line.at(close + 2) != 'Z';
}

qint64 postmasterPid(const QString &dataFolder)
{
    QFile f(QDir(dataFolder).filePath(QStringLiteral("postmaster.pid")));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readLine().trimmed().toLongLong();
}

// Stops the server of `folder` if one runs, then removes the folder.
void stopAndRemove(const QString &bin, const QString &folder)
{
    const QString data = QDir(folder).filePath(QStringLiteral("data"));
    const qint64 pid = postmasterPid(data);
    if (processAlive(pid)) {
        auto stopped = runTool(QDir(bin).filePath(QStringLiteral("pg_ctl")),
                               {QStringLiteral("-D"), data, QStringLiteral("-m"),
                                QStringLiteral("immediate"), QStringLiteral("-w"),
                                QStringLiteral("-t"), QStringLiteral("10"), QStringLiteral("stop")},
                               15000);
        if (!stopped && processAlive(pid))
            kill(pid_t(pid), SIGKILL);
        // pg_ctl returns once the pid file is gone; the process ends just after.
        for (int i = 0; i < 250 && processAlive(pid); ++i)
            usleep(20000);
    }
    QDir(folder).removeRecursively();
}

QString serverVersion(const QString &bin)
{
    auto v = runTool(QDir(bin).filePath(QStringLiteral("postgres")), {QStringLiteral("--version")},
                     10000);
    return v ? v.value().section(u' ', -1) : QString();
}

} // namespace

QString PrivatePostgres::baseFolder()
{
    return QDir(QDir::tempPath()).filePath(QStringLiteral("retort-scratch-%1").arg(getuid()));
}

Result<QString> PrivatePostgres::binaryFolder()
{
    QStringList candidates;
    if (const QString env = qEnvironmentVariable("RETORT_PG_BINDIR"); !env.isEmpty())
        candidates.append(env);
    QProcess config;
    config.start(QStringLiteral("pg_config"), {QStringLiteral("--bindir")});
    if (config.waitForFinished(5000) && config.exitCode() == 0)
        candidates.append(QString::fromLocal8Bit(config.readAll()).trimmed());
    QStringList versions =
        QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toDouble() > b.toDouble(); });
    for (const QString &v : std::as_const(versions))
        candidates.append(QStringLiteral("/usr/lib/postgresql/%1/bin").arg(v));
    for (const QString &dir : std::as_const(candidates)) {
        const QDir d(dir);
        if (QFileInfo(d.filePath(QStringLiteral("initdb"))).isExecutable() &&
            QFileInfo(d.filePath(QStringLiteral("postgres"))).isExecutable() &&
            QFileInfo(d.filePath(QStringLiteral("pg_ctl"))).isExecutable())
            return dir;
    }
    return Result<QString>::failure(
        QStringLiteral("no PostgreSQL server binaries (initdb, postgres) are installed for a "
                       "scratch replay: install them with `sudo apt install postgresql`, or mark "
                       "a PostgreSQL profile as scratch and pass --scratch NAME"));
}

int PrivatePostgres::cleanUpStale()
{
    const QDir base(baseFolder());
    int removed = 0;
    auto bin = binaryFolder();
    for (const QString &entry :
         base.entryList({QStringLiteral("run-*"), QStringLiteral("template-*")}, QDir::Dirs)) {
        const qint64 owner = entry.section(u'-', 1, 1).toLongLong();
        if (processAlive(owner) && owner != QCoreApplication::applicationPid())
            continue;
        if (owner == QCoreApplication::applicationPid())
            continue; // ours, in use
        stopAndRemove(bin ? bin.value() : QString(), base.filePath(entry));
        ++removed;
    }
    return removed;
}

Result<std::unique_ptr<PrivatePostgres>> PrivatePostgres::start()
{
    using R = Result<std::unique_ptr<PrivatePostgres>>;
    QElapsedTimer timer;
    timer.start();
    auto bin = binaryFolder();
    if (!bin)
        return R::failure(bin.error());
    cleanUpStale();
    const ServerUser user = serverUser();
    if (getuid() == 0 && !user.switchUser)
        return R::failure(QStringLiteral("PostgreSQL will not run as root and there is no postgres "
                                         "or nobody user to run it as"));

    // The template cluster, made once per server version.
    const QString version = serverVersion(bin.value());
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                          QStringLiteral("/retort/postgres-template-") + version +
                          (user.switchUser ? u'-' + user.name : QString());
    const QString base = baseFolder();
    QDir().mkpath(base);
    // Others may pass through (the server user, when this is root), not list.
    chmod(QFile::encodeName(base).constData(), user.switchUser ? 0711 : 0700);
    if (!QFileInfo::exists(cache + QStringLiteral("/PG_VERSION"))) {
        // initdb runs in the private base folder, which the server user can
        // reach; the result is copied into the cache.
        const QString made = QDir(base).filePath(
            QStringLiteral("template-%1").arg(QCoreApplication::applicationPid()));
        const QString partial =
            cache + QStringLiteral(".part-") + QString::number(QCoreApplication::applicationPid());
        QDir(made).removeRecursively();
        QDir(partial).removeRecursively();
        QDir().mkpath(made);
        chmod(QFile::encodeName(made).constData(), 0700);
        chownTree(made, user);
        auto initdb =
            runTool(QDir(bin.value()).filePath(QStringLiteral("initdb")),
                    {QStringLiteral("-D"), made, QStringLiteral("-A"), QStringLiteral("trust"),
                     QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-E"),
                     QStringLiteral("UTF8"), QStringLiteral("--locale=C"),
                     QStringLiteral("--no-sync"), QStringLiteral("--no-instructions")},
                    120000);
        if (!initdb) {
            QDir(made).removeRecursively();
            return R::failure(
                QStringLiteral("could not make a PostgreSQL cluster: %1").arg(initdb.error()));
        }
        QDir().mkpath(QFileInfo(cache).absolutePath());
        const bool kept = copyTree(made, partial) && (QDir(cache).removeRecursively(), true) &&
                          QDir().rename(partial, cache);
        QDir(made).removeRecursively();
        if (!kept) {
            QDir(partial).removeRecursively();
            return R::failure(
                QStringLiteral("could not keep the PostgreSQL template in %1").arg(cache));
        }
    }

    // A private folder: data and socket, 0700, owned by the server user.
    std::unique_ptr<PrivatePostgres> server(new PrivatePostgres);
    server->m_bin = bin.value();
    server->m_folder =
        QDir(base).filePath(QStringLiteral("run-%1-%2")
                                .arg(QCoreApplication::applicationPid())
                                .arg(QUuid::createUuid().toString(QUuid::Id128).left(8)));
    if (!QDir().mkpath(server->m_folder))
        return R::failure(QStringLiteral("could not make %1").arg(server->m_folder));
    chmod(QFile::encodeName(server->m_folder).constData(), 0700);
    if (!copyTree(cache, server->dataFolder()) || !chownTree(server->m_folder, user)) {
        QDir(server->m_folder).removeRecursively();
        return R::failure(
            QStringLiteral("could not copy the PostgreSQL template into %1").arg(server->m_folder));
    }
    // Unix socket only: listen_addresses is empty, so no TCP port opens.
    const QString options =
        QStringLiteral("-c listen_addresses='' -k %1 -c unix_socket_permissions=0700 -F -c "
                       "full_page_writes=off -c synchronous_commit=off -c max_connections=20 "
                       "-c shared_buffers=16MB -c log_min_messages=fatal")
            .arg(server->m_folder);
    auto started = runTool(
        QDir(bin.value()).filePath(QStringLiteral("pg_ctl")),
        {QStringLiteral("-D"), server->dataFolder(), QStringLiteral("-o"), options,
         QStringLiteral("-l"), QDir(server->m_folder).filePath(QStringLiteral("server.log")),
         QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("start")},
        40000);
    if (!started) {
        QFile log(QDir(server->m_folder).filePath(QStringLiteral("server.log")));
        QString tail;
        if (log.open(QIODevice::ReadOnly))
            tail = QString::fromLocal8Bit(log.readAll()).trimmed().section(u'\n', -3);
        return R::failure(QStringLiteral("the private PostgreSQL server did not start: %1%2")
                              .arg(started.error(), tail.isEmpty() ? QString() : u'\n' + tail));
    }
    server->m_startMs = timer.elapsed();
    return server;
}

PrivatePostgres::~PrivatePostgres()
{
    stopAndRemove(m_bin, m_folder);
}

QString PrivatePostgres::dataFolder() const
{
    return QDir(m_folder).filePath(QStringLiteral("data"));
}

qint64 PrivatePostgres::serverPid() const
{
    return postmasterPid(dataFolder());
}

ConnectionProfile PrivatePostgres::profile(const QString &database) const
{
    ConnectionProfile p;
    p.driver = ConnectionProfile::Driver::PostgreSQL;
    p.host = m_folder;
    p.user = QStringLiteral("postgres");
    p.database = database;
    p.name = QStringLiteral("private PostgreSQL");
    p.url = QStringLiteral("postgresql://postgres@/%1?host=%2").arg(database, m_folder);
    return p;
}

} // namespace Retort
