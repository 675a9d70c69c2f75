#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Retort {

// One file's change: new bytes, a new name, or both; a file that is created
// has no `before`, one that is deleted no `after`.
struct FileEdit
{
    QString path;                     // where the file is now (or will be created)
    QString newPath;                  // where it ends up; == path unless renamed
    std::optional<QByteArray> before; // the bytes planned against
    std::optional<QByteArray> after;

    bool renames() const { return newPath != path; }
};

// A change to several files, applied all-or-nothing: every file is checked
// against what the plan was made from, contents are written with QSaveFile,
// renames go through `git mv` inside a git work tree, and if any step fails
// every file is put back as it was.
struct EditPlan
{
    QString title; // "Normalize 3f9a1c2b7d4e → 013_add_invitations"
    QList<FileEdit> edits;
    QStringList notes;    // things the user should know (a shortened slug)
    QStringList warnings; // things the user must confirm (an applied revision)
    QString focusId;      // the revision to show once applied (a new or renamed id)

    bool needsConfirmation() const { return !warnings.isEmpty(); }
    // The whole change as a git-style unified diff, renames included.
    QString diff(const QString &relativeTo = {}) const;

    // Applies the plan; returns the plan that undoes it.
    Result<EditPlan> apply() const;
};

} // namespace Retort
