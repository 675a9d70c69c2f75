#pragma once

#include "core/db/connectionprofile.h"
#include "core/result.h"
#include "core/script/projectconfig.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Retort {

// The SQL of one migration step, as Alembic renders it offline.
struct SqlSection
{
    bool upgrade = true;
    QStringList from; // "a, b -> c": a merge has several
    QString to;       // empty for the preamble (CREATE TABLE alembic_version ...)
    QString sql;
};

// Alembic decides what a revision's SQL is: Retort asks it once per range,
// in offline mode (`alembic upgrade A:B --sql`), with the project's own
// alembic.ini and env.py, and splits the output per revision.
class SqlRenderer
{
public:
    // How to run Alembic for this project, as a user would have it: a
    // virtualenv beside the project, `alembic` on PATH, `python3 -m alembic`.
    static QStringList alembicCommand(const ProjectConfig &config);
    // Outside any project: the first alembic on PATH, else Python's module.
    static QStringList machineAlembicCommand();

    // Renders `range` ("base:head", "A:B") upgrading or downgrading for the
    // dialect of `target`. Failures carry Alembic's own message.
    static Result<QList<SqlSection>> render(const ProjectConfig &config,
                                            const ConnectionProfile &target, const QString &range,
                                            bool upgrade);

    // Renders as much of `range` as Alembic can offline: the sections of the
    // steps it finished, and the revision it could not render (empty when
    // all went well) with Alembic's reason. An error only when Alembic did
    // not get as far as a first step.
    struct Partial
    {
        QList<SqlSection> sections;
        QString failed;
        QString why;
    };
    static Result<Partial> renderPartial(const ProjectConfig &config,
                                         const ConnectionProfile &target, const QString &range,
                                         bool upgrade);
    // The exact SQL of one step Alembic cannot render offline, on SQLite: a
    // throwaway copy of the database (VACUUM INTO) is brought to where the
    // step starts (`before`: targets for Alembic, in turn), then the step runs
    // through Alembic online with SQLAlchemy's engine logging captured. The
    // copy is deleted. What it ran, without reflection queries and without
    // the version table's bookkeeping.
    static Result<QStringList> previewOnline(const ProjectConfig &config,
                                             const ConnectionProfile &target,
                                             const QStringList &before, bool upgrade,
                                             const QString &destination);
    // SQLAlchemy's engine log (echo) to the statements it executed.
    static QStringList statementsFromEngineLog(const QString &log, const QString &versionTable);
    // A revision that cannot render offline (it reads data, or its env.py
    // needs a connection) runs online instead: `alembic upgrade/downgrade
    // DESTINATION` against the target database, as a subprocess. Returns
    // Alembic's log.
    static Result<QString> runOnline(const ProjectConfig &config, const ConnectionProfile &target,
                                     bool upgrade, const QString &destination);

    // Runs `alembic ARGUMENTS` online against `target`: its output when it
    // succeeded (ok), else its last line.
    static Result<QString> runOnlineCommand(const ProjectConfig &config,
                                            const ConnectionProfile &target,
                                            const QStringList &arguments, bool *ok);
    // Splits offline output on "-- Running upgrade X -> Y" markers.
    static QList<SqlSection> split(const QString &output);
    // Whether a statement is Alembic's own version-table bookkeeping, which
    // Retort's executor does itself.
    static bool isVersionBookkeeping(const QString &statement, const QString &versionTable);

private:
    struct AlembicRun
    {
        bool ok = false;
        QString out;
        QString err;
        QString lastLine;
    };
    // Runs Alembic with the project's config, its sqlalchemy.url set to `url`.
    static Result<AlembicRun> runAlembic(const ProjectConfig &config, const QString &url,
                                         const QStringList &arguments,
                                         const QProcessEnvironment &environment,
                                         const QByteArray &extraOptions = {});
};

} // namespace Retort
