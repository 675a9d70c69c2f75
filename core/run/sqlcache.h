#pragma once

#include "core/script/projectconfig.h"

#include <QByteArray>
#include <QString>

namespace Retort {

// Rendered SQL per revision, kept in memory for the life of the process (a
// window previews a plan, then runs it). Never on disk: Alembic's output
// depends on more than Retort can see from outside a run (the environment,
// the installed Alembic and SQLAlchemy, whatever env.py imports), and a
// cache that serves SQL Alembic no longer renders is worse than none; a
// fresh render of 500 revisions costs about 0.7 s (./run bench).
// Within a process the key covers everything on disk the output can depend
// on: the revision file, env.py, the config, the script template and every
// other Python file of the project, the dialect and the direction.
class SqlCache
{
public:
    // A digest of the project's files besides its revisions; empty when the
    // project is too large to hash cheaply (then nothing is cached).
    static QByteArray projectFingerprint(const ProjectConfig &config);
    // The key of a revision's rendered SQL; empty when it cannot be made.
    static QString key(const QByteArray &fingerprint, const QString &revisionPath,
                       const QString &dialect, bool upgrade);
    static bool lookup(const QString &key, QString *sql);
    static void store(const QString &key, const QString &sql);
    static void clear();
};

} // namespace Retort
