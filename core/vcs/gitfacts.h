#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

namespace Retort {

// Facts git knows about revision files, read with libgit2 (never a `git`
// process per file): the commit that added each file, and whether a
// remote-tracking branch already contains it.
struct GitFileFacts
{
    bool committed = false; // false: untracked, or only in the work tree
    QString commit;         // the commit that added the file (hex)
    QString author;
    QDateTime when;
    bool pushed = false;
    QString remoteBranch; // "origin/main": the first remote branch that has it
};

class GitFacts
{
public:
    // `files`: absolute paths inside one work tree. An error when the folder
    // is no git work tree or the repository cannot be read.
    static Result<QHash<QString, GitFileFacts>> of(const QStringList &files);
};

} // namespace Retort
