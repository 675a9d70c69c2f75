#include "diagnostic.h"

#include <algorithm>

namespace Retort {

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Error:
        return QStringLiteral("error");
    }
    return {};
}

QString formatDiagnostic(const Diagnostic &d)
{
    QString where = d.file.isEmpty() ? QStringLiteral("<project>") : d.file;
    if (d.line > 0)
        where += u':' + QString::number(d.line);
    return where + QStringLiteral(": ") + severityName(d.severity) + QStringLiteral(": ") + d.code +
           QStringLiteral(": ") + d.message;
}

bool hasErrors(const Diagnostics &diagnostics)
{
    return std::any_of(diagnostics.cbegin(), diagnostics.cend(),
                       [](const Diagnostic &d) { return d.severity == Severity::Error; });
}

} // namespace Retort
