#include "sqlrenderer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
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

Result<QList<SqlSection>> SqlRenderer::render(const ProjectConfig &config,
                                              const ConnectionProfile &target, const QString &range,
                                              bool upgrade)
{
    QString iniPath = config.configFile;
    if (config.source == ProjectConfig::Source::PyProject)
        iniPath = QDir(config.projectDir).filePath(QStringLiteral("alembic.ini"));
    if (config.source == ProjectConfig::Source::VersionsFolder || !QFileInfo::exists(iniPath))
        return Result<QList<SqlSection>>::failure(QStringLiteral(
            "Rendering SQL needs the project's alembic.ini (and env.py); a bare versions folder "
            "has neither."));
    QFile ini(iniPath);
    if (!ini.open(QIODevice::ReadOnly))
        return Result<QList<SqlSection>>::failure(
            QStringLiteral("Cannot read %1: %2").arg(iniPath, ini.errorString()));
    // A copy beside the original keeps %(here)s and relative paths meaning
    // the same; it is removed as soon as Alembic is done.
    const QString temp = QDir(QFileInfo(iniPath).absolutePath())
                             .filePath(QStringLiteral(".retort-render-%1.ini")
                                           .arg(QUuid::createUuid().toString(QUuid::Id128)));
    {
        QSaveFile out(temp);
        const QByteArray text =
            withUrl(ini.readAll(), config.section, target.dialect() + QStringLiteral("://"));
        if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size() || !out.commit())
            return Result<QList<SqlSection>>::failure(
                QStringLiteral("Cannot write a temporary config beside %1: %2")
                    .arg(iniPath, out.errorString()));
    }
    QStringList command = alembicCommand(config);
    const QString program = command.takeFirst();
    command << QStringLiteral("-c") << temp << QStringLiteral("-n") << config.section
            << (upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade")) << range
            << QStringLiteral("--sql");
    QProcess alembic;
    alembic.setWorkingDirectory(QFileInfo(iniPath).absolutePath());
    alembic.start(program, command);
    const bool finished = alembic.waitForFinished(300000);
    QFile::remove(temp);
    if (!finished)
        return Result<QList<SqlSection>>::failure(
            QStringLiteral("Alembic did not finish rendering %1 within 5 minutes.").arg(range));
    const QString err = QString::fromUtf8(alembic.readAllStandardError());
    if (alembic.exitStatus() != QProcess::NormalExit || alembic.exitCode() != 0) {
        if (alembic.error() == QProcess::FailedToStart)
            return Result<QList<SqlSection>>::failure(
                QStringLiteral(
                    "Cannot run Alembic (%1): install it in the project's .venv or on PATH.")
                    .arg(program));
        // Alembic's last line says what went wrong; the last step it began
        // is the revision that cannot render offline.
        const QString out = QString::fromUtf8(alembic.readAllStandardOutput());
        QStringList lines = (err.trimmed().isEmpty() ? out : err).trimmed().split(u'\n');
        QString last = lines.isEmpty() ? QString() : lines.last().trimmed();
        last.remove(
            QRegularExpression(QStringLiteral("^(ERROR|FAILED)\\s*(\\[[^\\]]*\\])?:?\\s*")));
        const QList<SqlSection> partial = split(out);
        const QString failed =
            partial.isEmpty() || partial.last().to.isEmpty() ? range : partial.last().to;
        return Result<QList<SqlSection>>::failure(
            QStringLiteral("Alembic could not render %1 offline: %2").arg(failed, last));
    }
    return split(QString::fromUtf8(alembic.readAllStandardOutput()));
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
    const QRegularExpression re(
        QStringLiteral("^\\s*(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|CREATE\\s+TABLE(\\s+IF\\s+"
                       "NOT\\s+EXISTS)?|DROP\\s+TABLE)\\s+"
                       "([\"`]?\\w+[\"`]?\\.)?[\"`]?%1[\"`]?\\b")
            .arg(QRegularExpression::escape(versionTable)),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(statement).hasMatch();
}

} // namespace Retort
