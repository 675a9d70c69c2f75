#pragma once

#include "core/project.h"
#include "core/schema/schemadiff.h"
#include "core/vcs/gitfacts.h"

#include <QStringList>

#include <optional>

namespace Retort {

// What the export and the walk-through tell about one revision: its
// message, id, parents, file, date, git facts, operations and what it did
// to the schema.
struct RevisionPage
{
    QString id;
    QString message; // trimmed; the first line is its title
    QString path;    // relative to the project folder
    QStringList parents;
    QString created; // the docstring's Create Date
    QStringList operations;
    std::optional<GitFileFacts> git;            // none outside a git work tree
    std::optional<QList<SchemaChange>> changes; // nullopt: not replayed (yet)

    QString title() const { return message.section(u'\n', 0, 0); }
    QString body() const { return message.section(u'\n', 1).trimmed(); }
    // "Added by A on D in C: subject", "untracked", "not committed", or empty.
    QString gitLine() const;

    static RevisionPage of(const Project &project, int revision,
                           const QHash<QString, GitFileFacts> &git);
};

} // namespace Retort
