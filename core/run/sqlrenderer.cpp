#include "sqlrenderer.h"

#include "core/db/sqlalchemyurl.h"

#include "core/lint/lintsettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>
#include <QUuid>

namespace Retort {

namespace {

// alembic.ini with the [section]'s sqlalchemy.url replaced: offline SQL is
// rendered for the dialect of the URL, and nothing connects to it.
QByteArray withUrl(const QByteArray &ini, const QString &section, const QString &url)
{
    const QList<QByteArray> lines = ini.split('\n');
    QByteArray out;
    bool inSection = false;
    bool written = false;
    bool skippingContinuation = false;
    static const QRegularExpression key(QStringLiteral("^\\s*sqlalchemy\\.url\\s*[=:]"));
    for (int i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const QString text = QString::fromUtf8(line).trimmed();
        if (skippingContinuation && !line.isEmpty() && (line.at(0) == ' ' || line.at(0) == '\t'))
            continue;
        skippingContinuation = false;
        if (text.startsWith(u'[') && text.endsWith(u']')) {
            if (inSection && !written) {
                out += "sqlalchemy.url = " + url.toUtf8() + '\n';
                written = true;
            }
            inSection = text.mid(1, text.size() - 2) == section;
        } else if (inSection && key.match(QString::fromUtf8(line)).hasMatch()) {
            out += "sqlalchemy.url = " + url.toUtf8() + '\n';
            written = true;
            skippingContinuation = true;
            continue;
        }
        out += line;
        if (i + 1 < lines.size())
            out += '\n';
    }
    if (!written)
        out += "\n[" + section.toUtf8() + "]\nsqlalchemy.url = " + url.toUtf8() + '\n';
    return out;
}

} // namespace

QStringList SqlRenderer::alembicCommand(const ProjectConfig &config)
{
    // A team's own choice first (retort.ini), then what a user would have.
    const QStringList chosen = LintSettings::read(config).alembicCommand;
    if (!chosen.isEmpty()) {
        QStringList command = chosen;
        if (QFileInfo(command.first()).isRelative() && command.first().contains(u'/'))
            command[0] = QDir(config.projectDir).filePath(command.first());
        return command;
    }
    for (const QString &venv : {QStringLiteral(".venv"), QStringLiteral("venv")}) {
        const QString candidate =
            QDir(config.projectDir).filePath(venv + QStringLiteral("/bin/alembic"));
        if (QFileInfo(candidate).isExecutable())
            return {candidate};
    }
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("alembic"));
    if (!onPath.isEmpty())
        return {onPath};
    return {QStringLiteral("python3"), QStringLiteral("-m"), QStringLiteral("alembic")};
}

Result<SqlRenderer::AlembicRun> SqlRenderer::runAlembic(const ProjectConfig &config,
                                                        const QString &url,
                                                        const QStringList &arguments,
                                                        const QProcessEnvironment &environment)
{
    QString iniPath = config.configFile;
    if (config.source == ProjectConfig::Source::PyProject)
        iniPath = QDir(config.projectDir).filePath(QStringLiteral("alembic.ini"));
    if (config.source == ProjectConfig::Source::VersionsFolder || !QFileInfo::exists(iniPath))
        return Result<AlembicRun>::failure(QStringLiteral(
            "Running Alembic needs the project's alembic.ini (and env.py); a bare versions folder "
            "has neither."));
    QFile ini(iniPath);
    if (!ini.open(QIODevice::ReadOnly))
        return Result<AlembicRun>::failure(
            QStringLiteral("Cannot read %1: %2").arg(iniPath, ini.errorString()));
    // A copy beside the original keeps %(here)s and relative paths meaning
    // the same; only its owner can read it, and it is removed as soon as
    // Alembic is done.
    const QString temp =
        QDir(QFileInfo(iniPath).absolutePath())
            .filePath(
                QStringLiteral(".retort-%1.ini").arg(QUuid::createUuid().toString(QUuid::Id128)));
    {
        QSaveFile out(temp);
        const QByteArray text = withUrl(ini.readAll(), config.section, url);
        if (!out.open(QIODevice::WriteOnly) ||
            !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
            out.write(text) != text.size() || !out.commit())
            return Result<AlembicRun>::failure(
                QStringLiteral("Cannot write a temporary config beside %1: %2")
                    .arg(iniPath, out.errorString()));
    }
    QStringList command = alembicCommand(config);
    const QString program = command.takeFirst();
    command << QStringLiteral("-c") << temp << QStringLiteral("-n") << config.section << arguments;
    QProcess alembic;
    alembic.setProcessEnvironment(environment);
    alembic.setWorkingDirectory(QFileInfo(iniPath).absolutePath());
    alembic.start(program, command);
    const bool finished = alembic.waitForFinished(-1);
    QFile::remove(temp);
    if (!finished || alembic.error() == QProcess::FailedToStart)
        return Result<AlembicRun>::failure(
            QStringLiteral("Cannot run Alembic (%1): install it in the project's .venv or on PATH.")
                .arg(program));
    AlembicRun run;
    run.ok = alembic.exitStatus() == QProcess::NormalExit && alembic.exitCode() == 0;
    run.out = QString::fromUtf8(alembic.readAllStandardOutput());
    run.err = QString::fromUtf8(alembic.readAllStandardError());
    // Alembic's last line says what went wrong.
    const QStringList lines =
        (run.err.trimmed().isEmpty() ? run.out : run.err).trimmed().split(u'\n');
    run.lastLine = lines.isEmpty() ? QString() : lines.last().trimmed();
    run.lastLine.remove(
        QRegularExpression(QStringLiteral("^(ERROR|FAILED)\\s*(\\[[^\\]]*\\])?:?\\s*")));
    return run;
}

Result<QList<SqlSection>> SqlRenderer::render(const ProjectConfig &config,
                                              const ConnectionProfile &target, const QString &range,
                                              bool upgrade)
{
    // Offline SQL is rendered for the dialect of the URL; nothing connects.
    auto run = runAlembic(config, target.dialect() + QStringLiteral("://"),
                          {upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), range,
                           QStringLiteral("--sql")},
                          QProcessEnvironment::systemEnvironment());
    if (!run)
        return Result<QList<SqlSection>>::failure(run.error());
    if (!run->ok) {
        // The last step Alembic began is the revision that cannot render offline.
        const QList<SqlSection> partial = split(run->out);
        const QString failed =
            partial.isEmpty() || partial.last().to.isEmpty() ? range : partial.last().to;
        return Result<QList<SqlSection>>::failure(
            QStringLiteral("Alembic could not render %1 offline: %2").arg(failed, run->lastLine));
    }
    return split(run->out);
}

Result<QString> SqlRenderer::runOnline(const ProjectConfig &config, const ConnectionProfile &target,
                                       bool upgrade, const QString &destination)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The user's own URL (driver, query and all), never one rebuilt from parts.
    QString url = target.alembicUrl();
    if (!target.password.isEmpty()) {
        if (target.driver == ConnectionProfile::Driver::PostgreSQL) {
            env.insert(QStringLiteral("PGPASSWORD"),
                       target.password); // libpq reads it; no password in files
        } else if (auto parsed = SqlAlchemyUrl::parse(url); parsed) {
            parsed.value().password = target.password;
            if (!parsed.value().username)
                parsed.value().username = QString();
            url = parsed.value().render(SqlAlchemyUrl::Secrets::Show);
        }
    }
    auto run = runAlembic(
        config, url,
        {upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), destination}, env);
    if (!run)
        return Result<QString>::failure(run.error());
    if (!run->ok)
        return Result<QString>::failure(
            QStringLiteral("alembic %1 %2 failed: %3")
                .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), destination,
                     run->lastLine));
    return QString(run->err + run->out);
}

QList<SqlSection> SqlRenderer::split(const QString &output)
{
    static const QRegularExpression marker(
        QStringLiteral("^-- Running (upgrade|downgrade) (.*?) -> (.*?)\\s*$"));
    QList<SqlSection> out;
    SqlSection current;
    bool started = false;
    const QStringList lines = output.split(u'\n');
    for (const QString &line : lines) {
        const auto m = marker.match(line);
        if (m.hasMatch()) {
            if (started || !current.sql.trimmed().isEmpty())
                out.append(current);
            current = SqlSection();
            current.upgrade = m.captured(1) == u"upgrade";
            for (const QString &f : m.captured(2).split(u',', Qt::SkipEmptyParts))
                current.from.append(f.trimmed());
            current.to = m.captured(3).trimmed();
            started = true;
            continue;
        }
        current.sql += line + u'\n';
    }
    if (started || !current.sql.trimmed().isEmpty())
        out.append(current);
    return out;
}

bool SqlRenderer::isVersionBookkeeping(const QString &statement, const QString &versionTable)
{
    // Most statements never name the table: skip the pattern for them.
    if (!statement.contains(versionTable, Qt::CaseInsensitive))
        return false;
    // One compiled pattern per thread and table, not one per statement.
    thread_local QString table;
    thread_local QRegularExpression re;
    if (table != versionTable || !re.isValid() || re.pattern().isEmpty()) {
        table = versionTable;
        re = QRegularExpression(
            QStringLiteral("^\\s*(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|CREATE\\s+TABLE(\\s+IF\\s+"
                           "NOT\\s+EXISTS)?|DROP\\s+TABLE)\\s+"
                           "([\"`]?\\w+[\"`]?\\.)?[\"`]?%1[\"`]?\\b")
                .arg(QRegularExpression::escape(versionTable)),
            QRegularExpression::CaseInsensitiveOption);
    }
    return re.match(statement).hasMatch();
}

} // namespace Retort
