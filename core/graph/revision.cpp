#include "revision.h"

namespace Retort {

QStringList Revision::normalizedDownRevisions() const
{
    QStringList out = downRevisions;
    for (const QString &d : normalizedDependencies) {
        if (!out.contains(d))
            out.append(d);
    }
    out.removeDuplicates();
    return out;
}

} // namespace Retort
