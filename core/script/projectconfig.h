#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

namespace Retort {

// Where a project's revisions live and how Alembic is told to name them,
// read from alembic.ini, pyproject.toml's [tool.alembic], or given as a
// bare versions folder.
struct ProjectConfig
{
    enum class Source
    {
        AlembicIni,
        PyProject,
        VersionsFolder
    };

    Source source = Source::VersionsFolder;
    QString configFile;           // absolute; empty for a bare versions folder
    QString projectDir;           // the folder that holds the config (or the versions folder)
    QString scriptLocation;       // absolute; empty for a bare versions folder
    QStringList versionLocations; // absolute, in Alembic's order
    bool recursiveVersionLocations = false;
    QString fileTemplate = QStringLiteral("%(rev)s_%(slug)s");
    int truncateSlugLength = 40;
    QString sqlalchemyUrl;
    // Why sqlalchemy.url cannot be read as Alembic reads it (an
    // interpolation configparser refuses, so env.py would fail), with its
    // line; sqlalchemyUrl is then empty. The history still reads: Alembic's
    // history commands do not need the URL either.
    QString sqlalchemyUrlProblem;

    // What the project goes by (its connection profiles, its run log): the
    // config file, or the versions folder when there is none.
    QString key() const { return configFile.isEmpty() ? projectDir : configFile; }
    QString section = QStringLiteral("alembic");

    // `path` is an alembic.ini, a pyproject.toml, or a folder holding one.
    static Result<ProjectConfig> load(const QString &path,
                                      const QString &section = QStringLiteral("alembic"));
    static Result<ProjectConfig> fromVersionsFolder(const QString &folder);
    // A folder holding an alembic.ini or pyproject.toml is a project; a folder
    // of revision files is a bare versions folder.
    static Result<ProjectConfig> open(const QString &path);
};

} // namespace Retort
