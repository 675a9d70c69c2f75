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
    QString subject;        // the adding commit's first line
    bool untracked = false; // in the work tree, unknown to git
    bool modified = false;  // committed, but changed (or staged) since
    bool pushed = false;
    QString remoteBranch; // "origin/main": the first remote branch that has it
};

class GitFacts
{
public:
    // `files`: absolute paths inside one work tree. An error when the folder
    // is no git work tree or the repository cannot be read.
    // `known`: facts of an earlier call at the same HEAD; their adding
    // commits are taken as they are (no history walk for them); the work
    // tree's state and the remote branches are read again.
    static Result<QHash<QString, GitFileFacts>> of(const QStringList &files,
                                                   const QHash<QString, GitFileFacts> &known = {});
    // HEAD's commit id for the work tree holding `path` (empty: none), to
    // key a cache of of()'s commit facts.
    static QString head(const QString &path);
};

} // namespace Retort
