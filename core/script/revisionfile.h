#pragma once

#include "core/diagnostic.h"
#include "pythonvalue.h"
#include "sourcespan.h"

#include <QList>
#include <QString>

namespace Retort {

// One `op.<name>(...)` call (or `batch_op.<name>(...)` inside
// `with op.batch_alter_table(...) as batch_op`).
struct OperationCall
{
    QString receiver; // "op", or the name bound by batch_alter_table
    QString name;     // "add_column"
    int line = 0;
    int endLine = 0;
    QString arguments; // the raw text between the parentheses
};

struct FunctionBody
{
    QList<OperationCall> operations;
    int line = 0; // the `def` line
    int endLine = 0;
    bool present = false;
    bool isEmpty = true; // only `pass`, docstrings and comments
    bool raisesNotImplemented = false;
};

// What Retort read from one revision file, without running it.
// (Members ordered to pack: a project load holds one per file.)
struct RevisionFile
{
    QString path; // absolute

    PythonValue revision;
    PythonValue downRevision;
    PythonValue branchLabels;
    PythonValue dependsOn;

    QString docstring; // raw, as Python would give `__doc__` (read with Detail::Full only)
    QString message;   // Alembic's `doc`: the first paragraph of the docstring
    SourceSpan docstringSpan;
    int revisionLine = 0;
    // The docstring's "Revision ID:", "Revises:" and "Create Date:" lines;
    // read with Detail::Full only.
    QString docRevisionId;
    QString docRevises;
    QString docCreateDate;
    int docRevisionIdLine = 0;
    int docRevisesLine = 0;

    FunctionBody upgrade;
    FunctionBody downgrade;

    // The encoding its coding cookie declares, when not UTF-8 (spans are
    // still offsets into the bytes on disk).
    QByteArray encoding;
    // Detail::Full only: codes silenced with `# retort: ignore[code, ...]`,
    // and the line of Alembic's "commands auto generated" marker (0: none).
    QStringList ignoredCodes;
    int autogenerateMarkerLine = 0;
    bool crlf = false; // the file's line endings are CRLF (read with Detail::Full only)
    Diagnostics diagnostics;

    QString revisionId() const { return revision.first(); }
    QString fileName() const { return fileNameOf(path); }
    // The same without a copy, valid while `path` is.
    QStringView fileNameView() const { return QStringView(path).mid(path.lastIndexOf(u'/') + 1); }

    // The file name part of `path`, without a QFileInfo (hot in large scans).
    static QString fileNameOf(const QString &path) { return path.mid(path.lastIndexOf(u'/') + 1); }
    // A file that could not be read at all: only a diagnostic.
    static RevisionFile unreadable(const QString &path, const QString &reason)
    {
        RevisionFile f;
        f.path = path;
        f.diagnostics.append({Severity::Error, QStringLiteral("unreadable-file"), path, 0,
                              QStringLiteral("Cannot read the file: %1.").arg(reason)});
        return f;
    }
};

} // namespace Retort
