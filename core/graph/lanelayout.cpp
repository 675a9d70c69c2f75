#include "lanelayout.h"

namespace Retort {

QList<LaneRow> LaneLayout::compute(int rowCount, const std::function<QList<int>(int)> &parents)
{
    QList<LaneRow> rows;
    rows.reserve(rowCount);
    QList<int> waiting; // per lane: the row it waits for, or -1 when free
    auto freeLane = [&waiting]() {
        const int free = int(waiting.indexOf(-1));
        if (free >= 0)
            return free;
        waiting.append(-1);
        return int(waiting.size() - 1);
    };
    for (int row = 0; row < rowCount; ++row) {
        LaneRow out;
        // Lanes that wait for this row converge into its node.
        QList<int> incoming;
        for (int lane = 0; lane < waiting.size(); ++lane) {
            if (waiting.at(lane) == row)
                incoming.append(lane);
        }
        const int node = incoming.isEmpty() ? freeLane() : incoming.first();
        out.node = qint16(node);
        for (int lane : std::as_const(incoming)) {
            out.upper.append({qint16(lane), qint16(node)});
            waiting[lane] = -1;
        }
        // Everything else passes through.
        QList<int> passing;
        for (int lane = 0; lane < waiting.size(); ++lane) {
            if (waiting.at(lane) >= 0) {
                passing.append(lane);
                out.upper.append({qint16(lane), qint16(lane)});
            }
        }
        const QList<int> ps = parents(row);
        bool nodeLaneTaken = false;
        for (int parent : ps) {
            if (parent <= row || parent >= rowCount)
                continue; // parents are always listed below; ignore anything else
            const int existing = int(waiting.indexOf(parent));
            if (existing >= 0) {
                out.lower.append({qint16(node), qint16(existing)});
                continue;
            }
            int lane = node;
            if (nodeLaneTaken)
                lane = freeLane();
            nodeLaneTaken = true;
            waiting[lane] = parent;
            out.lower.append({qint16(node), qint16(lane)});
        }
        for (int lane : std::as_const(passing))
            out.lower.append({qint16(lane), qint16(lane)});
        while (!waiting.isEmpty() && waiting.last() == -1)
            waiting.removeLast();
        int width = node + 1;
        for (const LaneEdge &e : std::as_const(out.upper))
            width = qMax(width, qMax(int(e.from), int(e.to)) + 1);
        for (const LaneEdge &e : std::as_const(out.lower))
            width = qMax(width, qMax(int(e.from), int(e.to)) + 1);
        out.width = qint16(width);
        rows.append(out);
    }
    return rows;
}

} // namespace Retort
