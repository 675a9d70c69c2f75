#include "projectconfig.h"
#include "inifile.h"
#include "tomltable.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Retort {

namespace {

// sqlalchemy.url as env.py would get it; an interpolation configparser
// refuses leaves it empty and says why (with its line) in `problem`.
QString readUrl(const IniFile &ini, const QString &section, QString *problem)
{
    QString error;
    const QString url = ini.value(section, QStringLiteral("sqlalchemy.url"), {}, &error);
    if (error.isEmpty())
        return url;
    *problem = QStringLiteral("line %1: %2 (write %% for a literal %)")
                   .arg(ini.line(section, QStringLiteral("sqlalchemy.url")))
                   .arg(error);
    return {};
}

Result<QString> readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Result<QString>::failure(QStringLiteral("Cannot read %1: %2.")
                                            .arg(QDir::toNativeSeparators(path), f.errorString()));
    QByteArray bytes = f.readAll();
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    return QString::fromUtf8(bytes);
}

// Alembic accepts `package.module:path` resource locations. Without running
// Python the best reading is the package's folder under the project.
QString resolveLocation(const QString &location, const QString &baseDir)
{
    QString loc = location.trimmed();
    // `package.module:path` (what the pattern ^([A-Za-z_][\w.]*):(.*)$ says;
    // written out, because compiling a pattern costs a tenth of a
    // millisecond on every start).
    auto isWordStart = [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
    };
    // (\w without Unicode properties: ASCII only, as the pattern had it.)
    auto isWord = [&](QChar c) { return isWordStart(c) || (c >= u'0' && c <= u'9'); };
    const qsizetype colon = loc.indexOf(u':');
    bool resource = colon > 1 && isWordStart(loc.at(0));
    for (qsizetype i = 1; resource && i < colon; ++i)
        resource = isWord(loc.at(i)) || loc.at(i) == u'.';
    QStringView rest = resource ? QStringView(loc).mid(colon + 1) : QStringView();
    if (rest.endsWith(u'\n')) // `$` also matches before a final line end
        rest.chop(1);
    if (resource && !rest.contains(u'\n') && !QFileInfo(loc).isAbsolute())
        loc = loc.left(colon).replace(u'.', u'/') + u'/' + rest.toString();
    if (QFileInfo(loc).isRelative())
        loc = QDir(baseDir).filePath(loc);
    return QDir::cleanPath(loc);
}

QStringList splitVersionLocations(const QString &value, const QString &separator, QString *error)
{
    if (separator.isEmpty()) {
        // Alembic's legacy rule: split on ", *" and " +". Empty parts are
        // dropped, so that is splitting on every comma and space.
        QStringList parts;
        qsizetype start = 0;
        for (qsizetype i = 0; i <= value.size(); ++i) {
            if (i == value.size() || value.at(i) == u',' || value.at(i) == u' ') {
                if (i > start)
                    parts.append(value.mid(start, i - start));
                start = i + 1;
            }
        }
        return parts;
    }
    QString sep;
    if (separator == u"space")
        sep = QStringLiteral(" ");
    else if (separator == u"os")
        sep = QStringLiteral(":");
    else if (separator == u":" || separator == u";")
        sep = separator;
    else if (separator == u"newline")
        sep = QStringLiteral("\n");
    else {
        *error = QStringLiteral("'%1' is not a valid value for version_path_separator; expected "
                                "'space', 'newline', 'os', ':', ';'")
                     .arg(separator);
        return {};
    }
    QStringList parts = value.split(sep);
    for (QString &p : parts)
        p = p.trimmed();
    parts.removeAll(QString());
    return parts;
}

bool asBool(const QString &v)
{
    const QString s = v.trimmed().toLower();
    return s == u"true" || s == u"yes" || s == u"on" || s == u"1";
}

} // namespace

Result<ProjectConfig> ProjectConfig::fromVersionsFolder(const QString &folder)
{
    const QFileInfo info(folder);
    if (!info.isDir())
        return Result<ProjectConfig>::failure(
            (info.exists() ? QStringLiteral("%1 is a file, not a versions folder.")
                           : QStringLiteral("The versions folder %1 does not exist."))
                .arg(QDir::toNativeSeparators(folder)));
    ProjectConfig c;
    c.source = Source::VersionsFolder;
    c.projectDir = info.absoluteFilePath();
    c.versionLocations = {info.absoluteFilePath()};
    return c;
}

Result<ProjectConfig> ProjectConfig::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Result<ProjectConfig>::failure(
            QStringLiteral("%1 does not exist.")
                .arg(QDir::toNativeSeparators(info.absoluteFilePath())));
    if (info.isFile())
        return load(path);
    const QDir dir(info.absoluteFilePath());
    if (dir.exists(QStringLiteral("alembic.ini")) || dir.exists(QStringLiteral("pyproject.toml"))) {
        auto r = load(info.absoluteFilePath());
        if (r || dir.exists(QStringLiteral("alembic.ini")))
            return r;
    }
    if (dir.exists(QStringLiteral("versions")) && dir.exists(QStringLiteral("env.py")))
        return fromVersionsFolder(dir.filePath(QStringLiteral("versions")));
    return fromVersionsFolder(info.absoluteFilePath());
}

Result<ProjectConfig> ProjectConfig::load(const QString &path, const QString &section)
{
    QFileInfo info(path);
    if (info.isDir()) {
        const QDir dir(info.absoluteFilePath());
        if (dir.exists(QStringLiteral("alembic.ini")))
            info = QFileInfo(dir.filePath(QStringLiteral("alembic.ini")));
        else if (dir.exists(QStringLiteral("pyproject.toml")))
            info = QFileInfo(dir.filePath(QStringLiteral("pyproject.toml")));
        else
            return Result<ProjectConfig>::failure(
                QStringLiteral("%1 holds neither an alembic.ini nor a pyproject.toml.")
                    .arg(QDir::toNativeSeparators(dir.absolutePath())));
    }
    if (!info.exists())
        return Result<ProjectConfig>::failure(
            QStringLiteral("No config file at %1.")
                .arg(QDir::toNativeSeparators(info.absoluteFilePath())));

    ProjectConfig c;
    c.section = section;
    c.configFile = info.absoluteFilePath();
    c.projectDir = info.absolutePath();
    const QString shownPath = QDir::toNativeSeparators(c.configFile);
    auto text = readText(c.configFile);
    if (!text)
        return Result<ProjectConfig>::failure(text.error());

    QString scriptLocation;
    QStringList locations;
    bool locationsGiven = false;
    QString sqlUrl;

    if (info.fileName().endsWith(u".toml", Qt::CaseInsensitive)) {
        c.source = Source::PyProject;
        QVariantMap table;
        QString error;
        if (!TomlTable::read(text.value(), QStringLiteral("tool.alembic"), &table, &error))
            return Result<ProjectConfig>::failure(
                QStringLiteral("Cannot read %1: %2.").arg(shownPath, error));
        auto here = [&](QString v) { return v.replace(QStringLiteral("%(here)s"), c.projectDir); };
        scriptLocation = here(table.value(QStringLiteral("script_location")).toString());
        const QVariant vl = table.value(QStringLiteral("version_locations"));
        if (vl.isValid()) {
            locationsGiven = true;
            if (vl.typeId() == QMetaType::QVariantList) {
                for (const QVariant &v : vl.toList())
                    locations.append(here(v.toString()));
            } else {
                QString error;
                locations = splitVersionLocations(
                    here(vl.toString()), table.value(QStringLiteral("path_separator")).toString(),
                    &error);
            }
        }
        c.recursiveVersionLocations =
            table.value(QStringLiteral("recursive_version_locations")).toBool();
        if (table.contains(QStringLiteral("file_template")))
            c.fileTemplate = table.value(QStringLiteral("file_template")).toString();
        if (table.contains(QStringLiteral("truncate_slug_length")))
            c.truncateSlugLength = table.value(QStringLiteral("truncate_slug_length")).toInt();
        // The database URL stays in alembic.ini beside it, where there is one.
        const QString ini = QDir(c.projectDir).filePath(QStringLiteral("alembic.ini"));
        if (QFileInfo::exists(ini)) {
            auto iniText = readText(ini);
            IniFile file;
            if (iniText && file.parse(iniText.value(), {{QStringLiteral("here"), c.projectDir}}))
                sqlUrl = readUrl(file, section, &c.sqlalchemyUrlProblem);
        }
    } else {
        c.source = Source::AlembicIni;
        IniFile ini;
        if (!ini.parse(text.value(), {{QStringLiteral("here"), c.projectDir}}))
            return Result<ProjectConfig>::failure(
                QStringLiteral("Cannot read %1: %2.").arg(shownPath, ini.error()));
        if (!ini.hasSection(section))
            return Result<ProjectConfig>::failure(
                QStringLiteral("%1 has no [%2] section.").arg(shownPath, section));
        // An interpolation configparser refuses stops Alembic: it stops here.
        QString problem;
        auto get = [&](const QString &key, const QString &fallback = {}) {
            QString error;
            const QString v = ini.value(section, key, fallback, &error);
            if (!error.isEmpty() && problem.isEmpty())
                problem = ini.line(section, key) > 0
                              ? QStringLiteral("line %1: %2").arg(ini.line(section, key)).arg(error)
                              : error;
            return v;
        };
        scriptLocation = get(QStringLiteral("script_location"));
        const QString vl = get(QStringLiteral("version_locations"));
        if (!vl.trimmed().isEmpty()) {
            locationsGiven = true;
            QString separator = get(QStringLiteral("version_path_separator"));
            if (separator.isEmpty())
                separator = get(QStringLiteral("path_separator"));
            QString error;
            locations = splitVersionLocations(vl, separator, &error);
            if (!error.isEmpty())
                return Result<ProjectConfig>::failure(
                    QStringLiteral("%1: %2.").arg(shownPath, error));
        }
        c.recursiveVersionLocations = asBool(get(QStringLiteral("recursive_version_locations")));
        c.fileTemplate = get(QStringLiteral("file_template"), c.fileTemplate);
        const QString tsl = get(QStringLiteral("truncate_slug_length"));
        if (!tsl.isEmpty())
            c.truncateSlugLength = tsl.toInt();
        sqlUrl = readUrl(ini, section, &c.sqlalchemyUrlProblem);
        if (!problem.isEmpty())
            return Result<ProjectConfig>::failure(
                QStringLiteral("Cannot read %1: %2.").arg(shownPath, problem));
    }

    if (scriptLocation.trimmed().isEmpty())
        return Result<ProjectConfig>::failure(
            QStringLiteral("%1 has no script_location; Alembic needs it to find env.py and the "
                           "versions folder.")
                .arg(shownPath));
    c.scriptLocation = resolveLocation(scriptLocation, c.projectDir);
    if (!QFileInfo(c.scriptLocation).isDir())
        return Result<ProjectConfig>::failure(
            QStringLiteral("The script_location of %1, %2, is not a folder.")
                .arg(shownPath, QDir::toNativeSeparators(c.scriptLocation)));
    if (locationsGiven) {
        for (const QString &l : std::as_const(locations)) {
            const QString abs = resolveLocation(l, c.projectDir);
            // Alembic skips version_locations that do not exist.
            if (QFileInfo(abs).isDir())
                c.versionLocations.append(abs);
        }
    } else {
        c.versionLocations = {QDir(c.scriptLocation).filePath(QStringLiteral("versions"))};
        if (!QFileInfo(c.versionLocations.first()).isDir())
            return Result<ProjectConfig>::failure(
                QStringLiteral("There is no versions folder at %1.")
                    .arg(QDir::toNativeSeparators(c.versionLocations.first())));
    }
    c.sqlalchemyUrl = sqlUrl;
    return c;
}

} // namespace Retort
