#include "sqlrenderer.h"

#include "core/db/scopedconnection.h"
#include "core/db/sqlalchemyurl.h"

#include "core/lint/lintsettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>
#include <QUuid>

namespace Retort {

namespace {

// alembic.ini with the [section]'s sqlalchemy.url replaced: offline SQL is
// rendered for the dialect of the URL, and nothing connects to it.
QByteArray withUrl(const QByteArray &ini, const QString &section, const QString &url,
                   const QByteArray &extra)
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
                out += "sqlalchemy.url = " + url.toUtf8() + '\n' + extra;
                written = true;
            }
            inSection = text.mid(1, text.size() - 2) == section;
        } else if (inSection && key.match(QString::fromUtf8(line)).hasMatch()) {
            out += "sqlalchemy.url = " + url.toUtf8() + '\n' + extra;
            written = true;
            skippingContinuation = true;
            continue;
        }
        out += line;
        if (i + 1 < lines.size())
            out += '\n';
    }
    if (!written)
        out += "\n[" + section.toUtf8() + "]\nsqlalchemy.url = " + url.toUtf8() + '\n' + extra;
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
    return machineAlembicCommand();
}

QStringList SqlRenderer::machineAlembicCommand()
{
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("alembic"));
    if (!onPath.isEmpty())
        return {onPath};
    return {QStringLiteral("python3"), QStringLiteral("-m"), QStringLiteral("alembic")};
}

Result<SqlRenderer::AlembicRun> SqlRenderer::runAlembic(const ProjectConfig &config,
                                                        const QString &url,
                                                        const QStringList &arguments,
                                                        const QProcessEnvironment &environment,
                                                        const QByteArray &extraOptions)
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
        const QByteArray text = withUrl(ini.readAll(), config.section, url, extraOptions);
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

Result<SqlRenderer::Partial> SqlRenderer::renderPartial(const ProjectConfig &config,
                                                        const ConnectionProfile &target,
                                                        const QString &range, bool upgrade)
{
    // Offline SQL is rendered for the dialect of the URL; nothing connects.
    auto run = runAlembic(config, target.dialect() + QStringLiteral("://"),
                          {upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), range,
                           QStringLiteral("--sql")},
                          QProcessEnvironment::systemEnvironment());
    if (!run)
        return Result<Partial>::failure(run.error());
    Partial out;
    out.sections = split(run->out);
    if (run->ok)
        return out;
    // The last step Alembic began is the revision that cannot render
    // offline; the steps before it are complete.
    const bool began = !out.sections.isEmpty() && (upgrade ? !out.sections.last().to.isEmpty()
                                                           : !out.sections.last().from.isEmpty());
    if (!began)
        return Result<Partial>::failure(
            QStringLiteral("Alembic could not render %1 offline: %2").arg(range, run->lastLine));
    const SqlSection last = out.sections.takeLast();
    out.failed = upgrade ? last.to : last.from.first();
    out.why = run->lastLine;
    return out;
}

Result<QList<SqlSection>> SqlRenderer::render(const ProjectConfig &config,
                                              const ConnectionProfile &target, const QString &range,
                                              bool upgrade)
{
    auto partial = renderPartial(config, target, range, upgrade);
    if (!partial)
        return Result<QList<SqlSection>>::failure(partial.error());
    if (!partial->failed.isEmpty())
        return Result<QList<SqlSection>>::failure(
            QStringLiteral("Alembic could not render %1 offline: %2")
                .arg(partial->failed, partial->why));
    return partial->sections;
}

QStringList SqlRenderer::statementsFromEngineLog(const QString &log, const QString &versionTable)
{
    // "2026-11-28 10:00:00,123 INFO sqlalchemy.engine.Engine <message>",
    // a statement's further lines following without the prefix.
    static const QRegularExpression record(QStringLiteral(
        "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d+ INFO sqlalchemy\\.engine\\.Engine (.*)$"));
    QStringList records;
    bool inRecord = false;
    for (const QString &line : log.split(u'\n')) {
        const auto m = record.match(line);
        if (m.hasMatch()) {
            records << m.captured(1);
            inRecord = true;
        } else if (inRecord && !line.startsWith(u"INFO ") && !line.startsWith(u"WARNI")) {
            records.last() += u'\n' + line;
        } else {
            inRecord = false;
        }
    }
    QStringList out;
    for (QString r : std::as_const(records)) {
        r = r.trimmed();
        const QString head = r.section(u' ', 0, 0).toUpper();
        if (r.startsWith(u'[') || head == u"BEGIN" || head == u"COMMIT" || head == u"ROLLBACK" ||
            head == u"PRAGMA" || head == u"SELECT" || isVersionBookkeeping(r, versionTable) ||
            (r.contains(versionTable) && r.startsWith(u"CREATE TABLE", Qt::CaseInsensitive)))
            continue;
        out << r;
    }
    return out;
}

Result<QStringList> SqlRenderer::previewOnline(const ProjectConfig &config,
                                               const ConnectionProfile &target,
                                               const QStringList &before, bool upgrade,
                                               const QString &destination)
{
    if (target.driver != ConnectionProfile::Driver::SQLite)
        return Result<QStringList>::failure(
            QStringLiteral("a server database cannot be copied to preview it; Alembic has to run "
                           "this step against the database itself"));
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return Result<QStringList>::failure(
            QStringLiteral("cannot make a temporary folder: %1").arg(scratch.errorString()));
    const QString copy = scratch.filePath(QStringLiteral("preview.db"));
    if (QFileInfo::exists(target.database)) {
        // A consistent copy even of a database in WAL mode, read-only on the original.
        ConnectionProfile source = target;
        source.options.insert(QStringLiteral("mode"), QStringLiteral("ro"));
        ScopedConnection connection(source);
        QString error;
        if (!connection.open(&error))
            return Result<QStringList>::failure(error);
        QSqlQuery q(connection.database());
        QString escaped = copy;
        escaped.replace(u'\'', QStringLiteral("''"));
        if (!q.exec(QStringLiteral("VACUUM INTO '%1'").arg(escaped)))
            return Result<QStringList>::failure(
                QStringLiteral("cannot copy the database to preview it: %1")
                    .arg(q.lastError().text()));
    }
    const QString url = QStringLiteral("sqlite:///") + copy;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &step : before) {
        auto run = runAlembic(
            config, url, {upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), step},
            env);
        if (!run)
            return Result<QStringList>::failure(run.error());
        if (!run->ok)
            return Result<QStringList>::failure(
                QStringLiteral("bringing the copy to %1 failed: %2").arg(step, run->lastLine));
    }
    auto run =
        runAlembic(config, url,
                   {upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), destination},
                   env, QByteArrayLiteral("sqlalchemy.echo = true\n"));
    if (!run)
        return Result<QStringList>::failure(run.error());
    if (!run->ok)
        return Result<QStringList>::failure(
            QStringLiteral("Alembic failed on the copy: %1").arg(run->lastLine));
    return statementsFromEngineLog(run->out + u'\n' + run->err, target.versionTable);
}

Result<QString> SqlRenderer::runOnlineCommand(const ProjectConfig &config,
                                              const ConnectionProfile &target,
                                              const QStringList &arguments, bool *ok)
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
    auto run = runAlembic(config, url, arguments, env);
    if (!run)
        return Result<QString>::failure(run.error());
    *ok = run->ok;
    return run->ok ? QString(run->err + run->out) : run->lastLine;
}

Result<QString> SqlRenderer::runOnline(const ProjectConfig &config, const ConnectionProfile &target,
                                       bool upgrade, const QString &destination)
{
    const QString verb = upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade");
    bool ok = false;
    auto run = runOnlineCommand(config, target, {verb, destination}, &ok);
    if (!run || ok)
        return run;
    return Result<QString>::failure(
        QStringLiteral("alembic %1 %2 failed: %3").arg(verb, destination, run.value()));
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
