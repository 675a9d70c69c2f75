#pragma once

#include "core/graph/revisiongraph.h"
#include "sqlrenderer.h"

#include <QString>

namespace Retort {

// Rendered SQL per revision, on disk, keyed by the revision file's content,
// the dialect and the direction: an edited file renders again.
class SqlCache
{
public:
    static QString folder();
    // The key of a revision's rendered SQL; empty when the file is unreadable.
    static QString key(const QString &revisionPath, const QString &dialect, bool upgrade);
    static bool lookup(const QString &key, QString *sql);
    static void store(const QString &key, const QString &sql);
};

} // namespace Retort
