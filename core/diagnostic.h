#pragma once

#include <QList>
#include <QString>

namespace Retort {

enum class Severity
{
    Info,
    Warning,
    Error
};

// A problem found in a project, phrased for the user. Core code reports
// problems as values; the front ends decide how to show them.
struct Diagnostic
{
    Severity severity = Severity::Error;
    QString code; // stable, kebab-case, e.g. "duplicate-revision"
    QString file; // absolute path, or empty for project-wide problems
    int line = 0; // 1-based; 0 when the problem has no line
    QString message;

    friend bool operator==(const Diagnostic &, const Diagnostic &) = default;
};

using Diagnostics = QList<Diagnostic>;

QString severityName(Severity severity);

// "file:line: severity: code: message", the format of `retort check`.
QString formatDiagnostic(const Diagnostic &diagnostic);

bool hasErrors(const Diagnostics &diagnostics);

} // namespace Retort
