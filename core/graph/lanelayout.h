#pragma once

#include <QList>
#include <QMetaType>

#include <functional>

namespace Retort {

// One line segment of the graph column within a row: from lane `from` to
// lane `to`, either in the upper half (row top edge to the node's centre
// line) or the lower half (centre line to the bottom edge).
struct LaneEdge
{
    qint16 from = 0;
    qint16 to = 0;
    friend bool operator==(const LaneEdge &, const LaneEdge &) = default;
};

// What the graph column of one row shows. A lane that only passes through
// has an upper and a lower edge from itself to itself.
struct LaneRow
{
    qint16 node = 0;  // the lane of this row's revision
    qint16 width = 0; // lanes in use in this row
    QList<LaneEdge> upper;
    QList<LaneEdge> lower;
    friend bool operator==(const LaneRow &, const LaneRow &) = default;
};

// Lays out a commit-graph column for rows listed newest first, after qgit's
// lane walk: each lane waits for one revision; a row takes the lane(s)
// waiting for it, and hands its lane to its first parent, opening new lanes
// for further parents (merges). Lanes free up when branches join.
class LaneLayout
{
public:
    // `parents(row)` gives the rows of a row's parents (rows below it).
    static QList<LaneRow> compute(int rowCount, const std::function<QList<int>(int)> &parents);
};

} // namespace Retort

Q_DECLARE_METATYPE(Retort::LaneRow)
