#include "lintsettings.h"

#include "core/script/inifile.h"

#include <QDir>
#include <QFile>

namespace Retort {

QString LintSettings::fileFor(const ProjectConfig &config)
{
    return QDir(config.projectDir).filePath(QStringLiteral("retort.ini"));
}

LintSettings LintSettings::read(const ProjectConfig &config)
{
    LintSettings s;
    QFile file(fileFor(config));
    if (!file.exists())
        return s;
    if (!file.open(QIODevice::ReadOnly)) {
        s.error = QStringLiteral("Cannot read %1: %2.").arg(file.fileName(), file.errorString());
        return s;
    }
    IniFile ini;
    if (!ini.parse(QString::fromUtf8(file.readAll()))) {
        s.error = QStringLiteral("%1: %2.").arg(file.fileName(), ini.error());
        return s;
    }
    const QString scheme =
        ini.value(QStringLiteral("naming"), QStringLiteral("scheme")).trimmed().toLower();
    if (scheme == u"sequential" || scheme == u"hash" || scheme == u"date") {
        s.schemeSet = true;
        s.scheme = scheme == u"sequential" ? NamingScheme::Kind::Sequential
                   : scheme == u"hash"     ? NamingScheme::Kind::Hash
                                           : NamingScheme::Kind::DatePrefixed;
    } else if (!scheme.isEmpty() && scheme != u"auto") {
        s.error =
            QStringLiteral("%1: [naming] scheme must be sequential, hash, date or auto, not '%2'.")
                .arg(file.fileName(), scheme);
    }
    s.width = ini.value(QStringLiteral("naming"), QStringLiteral("width")).toInt();
    s.alembicCommand = ini.value(QStringLiteral("alembic"), QStringLiteral("command"))
                           .split(u' ', Qt::SkipEmptyParts);
    for (const QString &code : ini.value(QStringLiteral("lint"), QStringLiteral("disable"))
                                   .split(u',', Qt::SkipEmptyParts))
        s.disabled.append(code.trimmed());
    return s;
}

} // namespace Retort
