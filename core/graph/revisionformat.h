#pragma once

#include "revisiongraph.h"

#include <QString>

namespace Retort {

// Text forms of a revision that match the `alembic` command's output, so
// Retort's CLI reads the same as the tool it replaces.
namespace RevisionFormat {

struct LineOptions
{
    bool includeBranches = false;
    bool includeDoc = false;
    bool includeParents = false;
    bool treeIndicators = true;
};

// Script.__str__-like one-liner: "a -> b (head), message"
QString line(const RevisionGraph &graph, int index, const LineOptions &options);
// Script.log_entry: the multi-line block of `history --verbose` and `show`.
QString logEntry(const RevisionGraph &graph, int index);
// Script._format_down_revision: "<base>" or "a, b".
QString downRevisions(const Revision &revision);

} // namespace RevisionFormat

} // namespace Retort
