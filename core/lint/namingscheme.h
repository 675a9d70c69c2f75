#pragma once

#include "core/graph/revisiongraph.h"

#include <QString>

namespace Retort {

// How a project names its revision files. Detected from the files, so that a
// project that keeps Alembic's hash names is not told to rename anything.
class NamingScheme
{
public:
    enum class Kind
    {
        Hash,
        Sequential,
        DatePrefixed
    };

    static NamingScheme detect(const RevisionGraph &graph);
    // A scheme a team chose (retort.ini); width 0 keeps the detected width.
    NamingScheme overridden(Kind kind, int width) const;

    Kind kind() const { return m_kind; }
    int width() const { return m_width; } // digits of the sequential prefix
    // True for a revision file that has not been renamed to the scheme yet,
    // typically fresh from `alembic revision --autogenerate`.
    bool isUnrenamed(const RevisionFile &file) const;

    static bool hasSequentialPrefix(QStringView fileName, int *digits = nullptr);

private:
    Kind m_kind = Kind::Hash;
    int m_width = 3;
};

} // namespace Retort
