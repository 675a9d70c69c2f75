#pragma once

#include "core/db/connectionprofile.h"
#include "core/graph/revisiongraph.h"
#include "core/vcs/gitfacts.h"

#include <QStringList>

namespace Retort {

// What a downgrade (or a stamp that moves a database backwards) of a shared
// database would undo, read from the revision files: for the guard dialog
// and the command line's refusal alike.
struct GuardFacts
{
    struct Reverted
    {
        QString id;
        QString message;
        QString path;
        QStringList destroys;         // "drop_table users", "drop_column projects.status", …
        bool emptyDowngrade = false;  // only `pass`: the schema stays as it is
        bool raisesDowngrade = false; // raises NotImplementedError: cannot go back
        int pushed = -1;              // 1: on a remote branch, 0: not, -1: unknown
        QString pushedWhere;          // "origin/main"
    };
    QList<Reverted> reverted; // newest first, as they would be undone

    // The facts of undoing `revisions` (graph indices, in the order undone).
    static GuardFacts of(const RevisionGraph &graph, const QList<int> &revisions);
    // What applying `before` and `after` differ by: the revisions a stamp
    // from `before` to `after` would take away (empty: it moves forward only).
    static QList<int> removedBy(const RevisionGraph &graph, const QList<int> &before,
                                const QList<int> &after);
    // What the user types to confirm: the database's name (a SQLite file's name).
    static QString confirmationName(const ConnectionProfile &profile);
    int destroyingCount() const;
    // Fills in `pushed` from git's facts about the revision files.
    void addGitFacts(const QHash<QString, GitFileFacts> &git);
    int pushedCount() const;
    // Lines for people, one fact each.
    QStringList describe() const;
};

} // namespace Retort
