#include "runlog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace Retort {

QString RunLog::fileFor(const QString &projectPath)
{
    const QString absolute = QFileInfo(projectPath).absoluteFilePath();
    const QByteArray key =
        QCryptographicHash::hash(absolute.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    // One place for the window and the command line: ~/.local/share/retort/runs.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                        QStringLiteral("/retort/runs");
    return QDir(dir).filePath(QFileInfo(absolute).dir().dirName() + u'-' +
                              QString::fromLatin1(key) + QStringLiteral(".jsonl"));
}

bool RunLog::append(const QString &projectPath, const RunLogEntry &e, QString *error)
{
    const QString path = fileFor(projectPath);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::Append | QIODevice::WriteOnly)) {
        if (error)
            *error = f.errorString();
        return false;
    }
    const QJsonObject o{
        {QStringLiteral("when"), e.when.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("project"), QFileInfo(projectPath).absoluteFilePath()},
        {QStringLiteral("database"), e.database},
        {QStringLiteral("command"), e.command},
        {QStringLiteral("target"), e.target},
        {QStringLiteral("steps"), QJsonArray::fromStringList(e.steps)},
        {QStringLiteral("ok"), e.ok},
        {QStringLiteral("error"), e.error},
        {QStringLiteral("user"), e.user.isEmpty()
                                     ? qEnvironmentVariable("USER", qEnvironmentVariable("LOGNAME"))
                                     : e.user}};
    return f.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n') > 0;
}

QString RunLogEntry::describe() const
{
    QString line =
        when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral("  ") +
        command + u' ' + target + QStringLiteral("  ") + database + QStringLiteral("  ") +
        (ok ? QStringLiteral("ok") : QStringLiteral("FAILED: ") + error) +
        QStringLiteral("  %n step(s)").replace(QStringLiteral("%n"), QString::number(steps.size()));
    if (!steps.isEmpty())
        line += QStringLiteral(" (") + steps.join(QStringLiteral(", ")) + u')';
    if (!user.isEmpty())
        line += QStringLiteral("  by ") + user;
    return line;
}

QList<RunLogEntry> RunLog::read(const QString &projectPath)
{
    QList<RunLogEntry> out;
    QFile f(fileFor(projectPath));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
        if (o.isEmpty())
            continue;
        RunLogEntry e;
        e.when =
            QDateTime::fromString(o.value(QStringLiteral("when")).toString(), Qt::ISODateWithMs);
        e.database = o.value(QStringLiteral("database")).toString();
        e.command = o.value(QStringLiteral("command")).toString();
        e.target = o.value(QStringLiteral("target")).toString();
        for (const QJsonValue &s : o.value(QStringLiteral("steps")).toArray())
            e.steps.append(s.toString());
        e.ok = o.value(QStringLiteral("ok")).toBool();
        e.error = o.value(QStringLiteral("error")).toString();
        e.user = o.value(QStringLiteral("user")).toString();
        out.append(e);
    }
    return out;
}

} // namespace Retort
