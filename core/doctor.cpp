#include "doctor.h"

#include "core/db/profilestore.h"
#include "core/lint/lintsettings.h"
#include "core/run/sqlrenderer.h"
#include "core/schema/privateserver.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QSqlDatabase>
#include <QStandardPaths>

namespace Retort {

namespace {

// What a program prints of its version (first line), or empty.
QString versionOf(const QStringList &command)
{
    if (command.isEmpty())
        return {};
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(command.first(), command.mid(1) + QStringList{QStringLiteral("--version")});
    if (!p.waitForFinished(20000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return {};
    return QString::fromLocal8Bit(p.readAll()).trimmed().section(u'\n', 0, 0);
}

// Why SqlRenderer::alembicCommand picked `command`.
QString whyAlembic(const ProjectConfig *config, const QStringList &command)
{
    if (config && !LintSettings::read(*config).alembicCommand.isEmpty())
        return QStringLiteral("the project's retort.ini [alembic] command");
    const QString first = command.value(0);
    if (config && first.startsWith(QDir(config->projectDir).absolutePath() + u'/'))
        return QStringLiteral("the project's own virtual environment");
    if (first == u"python3")
        return QStringLiteral("no alembic on PATH: Python's module");
    return QStringLiteral("the first alembic on PATH");
}

} // namespace

QList<DoctorCheck> Doctor::check(const ProjectConfig *config,
                                 const QList<ConnectionProfile> &profiles)
{
    QList<DoctorCheck> out;
    const bool runsAlembic = config && config->source != ProjectConfig::Source::VersionsFolder;

    // The dialects the project's databases speak.
    QSet<ConnectionProfile::Driver> drivers;
    if (config && !config->sqlalchemyUrl.isEmpty())
        if (auto url = ConnectionProfile::fromUrl(config->sqlalchemyUrl, config->projectDir))
            drivers.insert(url->driver);
    for (const ConnectionProfile &p : profiles)
        drivers.insert(p.driver);

    {
        DoctorCheck c;
        c.name = QStringLiteral("Alembic");
        c.package = QStringLiteral("alembic");
        c.needed = runsAlembic;
        const QStringList command =
            config ? SqlRenderer::alembicCommand(*config) : SqlRenderer::machineAlembicCommand();
        const QString version = versionOf(command);
        c.ok = !version.isEmpty();
        c.detail = c.ok ? QStringLiteral("%1: %2 (%3)")
                              .arg(version, command.join(u' '), whyAlembic(config, command))
                        : QStringLiteral("%1 does not run: plan, upgrade, downgrade and the "
                                         "schema history need Alembic")
                              .arg(command.join(u' '));
        out.append(c);
    }

    const QStringList available = QSqlDatabase::drivers();
    struct Driver
    {
        ConnectionProfile::Driver driver;
        const char *name, *qt, *package, *what;
        bool always;
    };
    const Driver sqlDrivers[] = {
        {ConnectionProfile::Driver::SQLite, "SQLite driver", "QSQLITE", "libqt6sql6-sqlite",
         "SQLite databases, the schema cache and the run log", true},
        {ConnectionProfile::Driver::PostgreSQL, "PostgreSQL driver", "QPSQL", "libqt6sql6-psql",
         "PostgreSQL databases", false},
        {ConnectionProfile::Driver::MySQL, "MySQL/MariaDB driver", "QMYSQL", "libqt6sql6-mysql",
         "MySQL and MariaDB databases", false},
    };
    for (const Driver &d : sqlDrivers) {
        DoctorCheck c;
        c.name = QString::fromLatin1(d.name);
        c.package = QString::fromLatin1(d.package);
        c.needed = d.always || drivers.contains(d.driver);
        // Listed is not loaded: a plugin whose client library is missing
        // is listed but gives an invalid connection.
        if (available.contains(QString::fromLatin1(d.qt))) {
            const QString name = QStringLiteral("retort-doctor-%1").arg(QString::fromLatin1(d.qt));
            c.ok = QSqlDatabase::addDatabase(QString::fromLatin1(d.qt), name).isValid();
            QSqlDatabase::removeDatabase(name);
        }
        c.detail = c.ok ? QStringLiteral("Qt's %1 loads").arg(QString::fromLatin1(d.qt))
                        : QStringLiteral("Qt's %1 is not installed: %2 are out of reach")
                              .arg(QString::fromLatin1(d.qt), QString::fromLatin1(d.what));
        if (!c.ok && c.needed && !d.always)
            c.detail += QStringLiteral(" (the project uses one)");
        out.append(c);
    }

    {
        DoctorCheck c;
        c.name = QStringLiteral("Keyring");
        c.package = QStringLiteral("gnome-keyring");
        const auto keyring = PasswordStore::available();
        c.ok = bool(keyring);
        c.detail = c.ok ? QStringLiteral("a Secret Service answers: saved databases' passwords "
                                         "are kept there")
                        : QStringLiteral("%1: passwords come from RETORT_DB_PASSWORD or a "
                                         "prompt instead")
                              .arg(keyring.error());
        out.append(c);
    }

    const struct
    {
        PrivateServer::Kind kind;
        ConnectionProfile::Driver driver;
        const char *name, *package;
    } servers[] = {
        {PrivateServer::Kind::PostgreSQL, ConnectionProfile::Driver::PostgreSQL,
         "PostgreSQL server", "postgresql"},
        {PrivateServer::Kind::MariaDB, ConnectionProfile::Driver::MySQL, "MariaDB server",
         "mariadb-server"},
    };
    for (const auto &s : servers) {
        DoctorCheck c;
        c.name = QString::fromLatin1(s.name);
        c.package = QString::fromLatin1(s.package);
        c.needed = runsAlembic && drivers.contains(s.driver);
        const auto folder = PrivateServer::binaryFolder(s.kind);
        c.ok = bool(folder);
        c.detail = c.ok ? QStringLiteral("%1: scratch replays of the schema history run on a "
                                         "private server")
                              .arg(folder.value())
                        : QStringLiteral("not installed: the schema history of a %1 project "
                                         "needs a scratch profile instead")
                              .arg(s.kind == PrivateServer::Kind::PostgreSQL
                                       ? QStringLiteral("PostgreSQL")
                                       : QStringLiteral("MySQL/MariaDB"));
        out.append(c);
    }

    {
        DoctorCheck c;
        c.name = QStringLiteral("git");
        c.package = QStringLiteral("git");
        const QString git = QStandardPaths::findExecutable(QStringLiteral("git"));
        const QString version = git.isEmpty() ? QString() : versionOf({git});
        c.ok = !version.isEmpty();
        c.detail = c.ok ? QStringLiteral("%1: normalize renames with git mv").arg(version)
                        : QStringLiteral("not installed: renames are plain renames");
        out.append(c);
    }
    return out;
}

bool Doctor::healthy(const QList<DoctorCheck> &checks)
{
    for (const DoctorCheck &c : checks)
        if (c.needed && !c.ok)
            return false;
    return true;
}

QString Doctor::report(const QList<DoctorCheck> &checks)
{
    int width = 0;
    for (const DoctorCheck &c : checks)
        width = std::max(width, int(c.name.size()));
    QString out;
    QStringList needed, wanted;
    for (const DoctorCheck &c : checks) {
        const QString state = c.ok       ? QStringLiteral("ok")
                              : c.needed ? QStringLiteral("MISSING")
                                         : QStringLiteral("absent");
        out += QStringLiteral("  %1 %2 %3\n").arg(state, -8).arg(c.name, -width).arg(c.detail);
        if (!c.ok)
            (c.needed ? needed : wanted).append(c.package);
    }
    out += u'\n';
    if (needed.isEmpty())
        out += QStringLiteral("All the project needs is here.\n");
    else
        out += QStringLiteral("The project needs what is missing: sudo apt install %1\n")
                   .arg(needed.join(u' '));
    if (!wanted.isEmpty())
        out += QStringLiteral("Optional, for the rest of Retort: sudo apt install %1\n")
                   .arg(wanted.join(u' '));
    return out;
}

} // namespace Retort
