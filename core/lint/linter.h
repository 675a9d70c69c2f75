#pragma once

#include "core/diagnostic.h"
#include "core/graph/revisiongraph.h"
#include "namingscheme.h"

#include <QStringList>

namespace Retort {

// The review checks: the project's naming rules, the autogenerate marker,
// upgrade/downgrade symmetry and risky operations. Each finding is a
// Diagnostic with a stable code; `# retort: ignore[code]` in a revision file
// silences that code for that revision, and `disabled` for the project.
class Linter
{
public:
    static Diagnostics lint(const RevisionGraph &graph, const NamingScheme &scheme,
                            const QStringList &disabled = {});

    // Alembic's slug: the words of the message, lower case, joined by '_'.
    static QString slugOf(const QString &message);
};

} // namespace Retort
