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
    bool present = false;
    int line = 0; // the `def` line
    int endLine = 0;
    QList<OperationCall> operations;
    bool isEmpty = true; // only `pass`, docstrings and comments
    bool raisesNotImplemented = false;
};

// What Retort read from one revision file, without running it.
struct RevisionFile
{
    QString path; // absolute
    int revisionLine = 0;

    PythonValue revision;
    PythonValue downRevision;
    PythonValue branchLabels;
    PythonValue dependsOn;

    QString docstring; // raw, as Python would give `__doc__` (read with Detail::Full only)
    SourceSpan docstringSpan;
    QString message; // Alembic's `doc`: the first paragraph of the docstring
    // The docstring's "Revision ID:", "Revises:" and "Create Date:" lines;
    // read with Detail::Full only.
    QString docRevisionId;
    int docRevisionIdLine = 0;
    QString docRevises;
    int docRevisesLine = 0;
    QString docCreateDate;

    FunctionBody upgrade;
    FunctionBody downgrade;

    bool crlf = false; // the file's line endings are CRLF (read with Detail::Full only)
    // The encoding its coding cookie declares, when not UTF-8 (spans are
    // still offsets into the bytes on disk).
    QByteArray encoding;
    // Detail::Full only: codes silenced with `# retort: ignore[code, ...]`,
    // and the line of Alembic's "commands auto generated" marker (0: none).
    QStringList ignoredCodes;
    int autogenerateMarkerLine = 0;
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
