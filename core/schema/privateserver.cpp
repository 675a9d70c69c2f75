#include "privateserver.h"

#include "core/db/scopedconnection.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>
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

using Kind = PrivateServer::Kind;

ServerUser serverUser(Kind kind)
{
    ServerUser u;
    u.uid = getuid();
    u.gid = getgid();
    if (u.uid != 0 || kind == Kind::MariaDB) // mariadbd takes --user=root
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
Result<QString> runTool(const QString &program, const QStringList &arguments, int timeoutMs,
                        const ServerUser &user = {})
{
    QProcess p;
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

// The server's pid file: PostgreSQL's postmaster.pid, or the one mariadbd
// is told to write.
qint64 serverPidIn(const QString &dataFolder)
{
    for (const char *name : {"postmaster.pid", "server.pid"}) {
        QFile f(QDir(dataFolder).filePath(QString::fromLatin1(name)));
        if (f.open(QIODevice::ReadOnly))
            return f.readLine().trimmed().toLongLong();
    }
    return 0;
}

bool waitGone(qint64 pid, int milliseconds)
{
    for (int waited = 0; waited < milliseconds && processAlive(pid); waited += 20)
        usleep(20000);
    return !processAlive(pid);
}

// Stops the server of `folder` if one runs (PostgreSQL: SIGQUIT, its
// immediate shutdown; MariaDB: SIGTERM), then removes the folder.
void stopAndRemove(const QString &folder)
{
    const QString data = QDir(folder).filePath(QStringLiteral("data"));
    const qint64 pid = serverPidIn(data);
    if (processAlive(pid)) {
        const bool postgres = QFileInfo::exists(QDir(data).filePath(QStringLiteral("PG_VERSION")));
        kill(pid_t(pid), postgres ? SIGQUIT : SIGTERM);
        if (!waitGone(pid, 15000)) {
            kill(pid_t(pid), SIGKILL);
            waitGone(pid, 5000);
        }
    }
    QDir(folder).removeRecursively();
}

QString serverVersion(const QString &program)
{
    auto v = runTool(program, {QStringLiteral("--version")}, 10000);
    if (!v)
        return QString();
    static const QRegularExpression number(QStringLiteral("\\d+\\.\\d+(\\.\\d+)?"));
    return number.match(v.value()).captured(0);
}

QString findProgram(const QString &name, const QStringList &folders)
{
    for (const QString &dir : folders)
        if (QFileInfo(QDir(dir).filePath(name)).isExecutable())
            return QDir(dir).filePath(name);
    return QStandardPaths::findExecutable(name);
}

} // namespace

QString PrivateServer::baseFolder()
{
    return QDir(QDir::tempPath()).filePath(QStringLiteral("retort-scratch-%1").arg(getuid()));
}

Result<QString> PrivateServer::binaryFolder(Kind kind)
{
    if (kind == Kind::MariaDB) {
        const QString server = findProgram(
            QStringLiteral("mariadbd"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
        const QString install =
            findProgram(QStringLiteral("mariadb-install-db"),
                        {QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin")});
        if (!server.isEmpty() && !install.isEmpty())
            return QFileInfo(server).absolutePath();
        return Result<QString>::failure(QStringLiteral(
            "no MariaDB server binaries (mariadbd, mariadb-install-db) are installed for a scratch "
            "replay: install them with `sudo apt install mariadb-server`, or mark a MySQL "
            "profile as scratch and pass --scratch NAME"));
    }
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

int PrivateServer::cleanUpStale()
{
    const QDir base(baseFolder());
    int removed = 0;
    for (const QString &entry :
         base.entryList({QStringLiteral("run-*"), QStringLiteral("template-*")}, QDir::Dirs)) {
        const qint64 owner = entry.section(u'-', 1, 1).toLongLong();
        if (processAlive(owner) && owner != QCoreApplication::applicationPid())
            continue;
        if (owner == QCoreApplication::applicationPid())
            continue; // ours, in use
        stopAndRemove(base.filePath(entry));
        ++removed;
    }
    return removed;
}

Result<std::unique_ptr<PrivateServer>> PrivateServer::start(Kind kind)
{
    using R = Result<std::unique_ptr<PrivateServer>>;
    const bool postgres = kind == Kind::PostgreSQL;
    const QString what = postgres ? QStringLiteral("PostgreSQL") : QStringLiteral("MariaDB");
    QElapsedTimer timer;
    timer.start();
    auto bin = binaryFolder(kind);
    if (!bin)
        return R::failure(bin.error());
    cleanUpStale();
    const ServerUser user = serverUser(kind);
    if (postgres && getuid() == 0 && !user.switchUser)
        return R::failure(QStringLiteral("PostgreSQL will not run as root and there is no postgres "
                                         "or nobody user to run it as"));
    const QDir binDir(bin.value());
    const QString serverProgram =
        binDir.filePath(postgres ? QStringLiteral("postgres") : QStringLiteral("mariadbd"));
    const QStringList asRoot =
        !postgres && getuid() == 0 ? QStringList{QStringLiteral("--user=root")} : QStringList();

    // The template data folder, made once per server version.
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                          QStringLiteral("/retort/%1-template-").arg(what.toLower()) +
                          serverVersion(serverProgram) +
                          (user.switchUser ? u'-' + user.name : QString());
    const QString marker = postgres ? QStringLiteral("/PG_VERSION") : QStringLiteral("/mysql");
    const QString base = baseFolder();
    QDir().mkpath(base);
    // Others may pass through (the server user, when this is root), not list.
    chmod(QFile::encodeName(base).constData(), user.switchUser ? 0711 : 0700);
    if (!QFileInfo::exists(cache + marker)) {
        // Initialized in the private base folder, which the server user can
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
        auto initialized =
            postgres
                ? runTool(binDir.filePath(QStringLiteral("initdb")),
                          {QStringLiteral("-D"), made, QStringLiteral("-A"),
                           QStringLiteral("trust"), QStringLiteral("-U"),
                           QStringLiteral("postgres"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                           QStringLiteral("--locale=C"), QStringLiteral("--no-sync"),
                           QStringLiteral("--no-instructions")},
                          120000, user)
                : runTool(findProgram(QStringLiteral("mariadb-install-db"),
                                      {QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin")}),
                          QStringList{QStringLiteral("--no-defaults"),
                                      QStringLiteral("--datadir=") + made,
                                      QStringLiteral("--auth-root-authentication-method=normal"),
                                      QStringLiteral("--skip-test-db")} +
                              asRoot,
                          120000, user);
        if (!initialized) {
            QDir(made).removeRecursively();
            return R::failure(QStringLiteral("could not initialize a %1 data folder: %2")
                                  .arg(what, initialized.error()));
        }
        QDir().mkpath(QFileInfo(cache).absolutePath());
        const bool kept = copyTree(made, partial) && (QDir(cache).removeRecursively(), true) &&
                          QDir().rename(partial, cache);
        QDir(made).removeRecursively();
        if (!kept) {
            QDir(partial).removeRecursively();
            return R::failure(
                QStringLiteral("could not keep the %1 template in %2").arg(what, cache));
        }
    }

    // A private folder: data and socket, 0700, owned by the server user.
    std::unique_ptr<PrivateServer> server(new PrivateServer(kind));
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
            QStringLiteral("could not copy the %1 template into %2").arg(what, server->m_folder));
    }
    const QString log = QDir(server->m_folder).filePath(QStringLiteral("server.log"));
    auto logTail = [&]() -> QString {
        QFile f(log);
        const QString tail = f.open(QIODevice::ReadOnly)
                                 ? QString::fromLocal8Bit(f.readAll()).trimmed().section(u'\n', -3)
                                 : QString();
        return tail.isEmpty() ? QString() : QString(u'\n' + tail);
    };
    if (postgres) {
        // Unix socket only: listen_addresses is empty, so no TCP port opens.
        const QString options =
            QStringLiteral("-c listen_addresses='' -k %1 -c unix_socket_permissions=0700 -F -c "
                           "full_page_writes=off -c synchronous_commit=off -c max_connections=20 "
                           "-c shared_buffers=16MB -c log_min_messages=fatal")
                .arg(server->m_folder);
        auto started =
            runTool(binDir.filePath(QStringLiteral("pg_ctl")),
                    {QStringLiteral("-D"), server->dataFolder(), QStringLiteral("-o"), options,
                     QStringLiteral("-l"), log, QStringLiteral("-w"), QStringLiteral("-t"),
                     QStringLiteral("30"), QStringLiteral("start")},
                    40000, user);
        if (!started)
            return R::failure(QStringLiteral("the private PostgreSQL server did not start: %1%2")
                                  .arg(started.error(), logTail()));
    } else {
        // --skip-networking: the socket only, no TCP port.
        qint64 pid = 0;
        const QStringList arguments =
            QStringList{QStringLiteral("--no-defaults"),
                        QStringLiteral("--datadir=") + server->dataFolder(),
                        QStringLiteral("--socket=") +
                            QDir(server->m_folder).filePath(QStringLiteral("mysql.sock")),
                        QStringLiteral("--skip-networking"),
                        QStringLiteral("--pid-file=") +
                            QDir(server->dataFolder()).filePath(QStringLiteral("server.pid")),
                        QStringLiteral("--log-error=") + log,
                        QStringLiteral("--skip-log-bin"),
                        QStringLiteral("--innodb-buffer-pool-size=16M"),
                        QStringLiteral("--innodb-flush-log-at-trx-commit=0")} +
            asRoot;
        QProcess launcher;
        launcher.setProgram(serverProgram);
        launcher.setArguments(arguments);
        launcher.setWorkingDirectory(server->m_folder);
        launcher.setStandardInputFile(QProcess::nullDevice());
        // What it says before its log opens goes to the log too.
        launcher.setStandardOutputFile(log, QIODevice::Append);
        launcher.setStandardErrorFile(log, QIODevice::Append);
        if (!launcher.startDetached(&pid))
            return R::failure(QStringLiteral("could not run %1").arg(serverProgram));
        // Ready once it answers on its socket.
        QDeadlineTimer deadline(30000);
        QString error;
        bool ready = false;
        while (!deadline.hasExpired() && processAlive(pid)) {
            ScopedConnection c(server->profile(QString()));
            if (QFileInfo::exists(c.profile().options.value(QStringLiteral("unix_socket"))) &&
                c.open(&error, 2)) {
                ready = true;
                break;
            }
            QThread::msleep(50);
        }
        if (!ready) {
            if (processAlive(pid))
                kill(pid_t(pid), SIGKILL);
            return R::failure(QStringLiteral("the private MariaDB server did not start: %1%2")
                                  .arg(error, logTail()));
        }
    }
    server->m_startMs = timer.elapsed();
    return server;
}

PrivateServer::~PrivateServer()
{
    stopAndRemove(m_folder);
}

QString PrivateServer::dataFolder() const
{
    return QDir(m_folder).filePath(QStringLiteral("data"));
}

qint64 PrivateServer::serverPid() const
{
    return serverPidIn(dataFolder());
}

ConnectionProfile PrivateServer::profile(const QString &database) const
{
    ConnectionProfile p;
    if (m_kind == Kind::MariaDB) {
        const QString socket = QDir(m_folder).filePath(QStringLiteral("mysql.sock"));
        p.driver = ConnectionProfile::Driver::MySQL;
        p.host = QStringLiteral("localhost");
        p.user = QStringLiteral("root");
        p.database = database;
        p.options.insert(QStringLiteral("unix_socket"), socket);
        p.name = QStringLiteral("private MariaDB");
        p.url = QStringLiteral("mysql+pymysql://root@localhost/%1?unix_socket=%2")
                    .arg(database, socket);
        return p;
    }
    p.driver = ConnectionProfile::Driver::PostgreSQL;
    p.host = m_folder;
    p.user = QStringLiteral("postgres");
    p.database = database;
    p.name = QStringLiteral("private PostgreSQL");
    p.url = QStringLiteral("postgresql://postgres@/%1?host=%2").arg(database, m_folder);
    return p;
}

} // namespace Retort
