#pragma once

#include "core/graph/revisiongraph.h"

#include <QString>

#include <vector>

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
    // The same from each file's classify() (indexed like graph.files()),
    // worked out by the threads that read the files.
    static NamingScheme detect(const RevisionGraph &graph, const std::vector<qint8> &kinds);
    // What a file name says: -1 a date prefix, N > 0 a sequential prefix
    // of N digits, 0 neither.
    static qint8 classify(QStringView fileName);
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
