#include "core/graph/lanelayout.h"

#include <QTest>

using namespace Retort;

namespace {

// Rows given as "parents of row i" lists, rows newest first.
QList<LaneRow> layout(const QList<QList<int>> &parents)
{
    return LaneLayout::compute(int(parents.size()), [&](int row) { return parents.at(row); });
}

QList<int> tops(const LaneRow &row)
{
    QList<int> out;
    for (const LaneEdge &e : row.upper)
        out.append(e.from);
    std::sort(out.begin(), out.end());
    return out;
}

QList<int> bottoms(const LaneRow &row)
{
    QList<int> out;
    for (const LaneEdge &e : row.lower) {
        if (!out.contains(e.to))
            out.append(e.to);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Every line that leaves a row at the bottom enters the next row at the top,
// in the same lane; nothing starts or ends in mid-air.
void verifyContinuity(const QList<LaneRow> &rows)
{
    for (int i = 1; i < rows.size(); ++i)
        QCOMPARE(tops(rows.at(i)), bottoms(rows.at(i - 1)));
    if (!rows.isEmpty()) {
        QVERIFY(rows.first().upper.isEmpty());
        QVERIFY(rows.last().lower.isEmpty());
    }
}

} // namespace

class TestLaneLayout : public QObject
{
    Q_OBJECT

private slots:
    void linear()
    {
        const auto rows = layout({{1}, {2}, {}});
        verifyContinuity(rows);
        for (const LaneRow &r : rows) {
            QCOMPARE(r.node, 0);
            QCOMPARE(r.width, 1);
        }
        QCOMPARE(rows.at(1).upper, (QList<LaneEdge>{{0, 0}}));
        QCOMPARE(rows.at(1).lower, (QList<LaneEdge>{{0, 0}}));
    }

    void forkAndMerge()
    {
        // 0 merge(1,2); 1 -> 3; 2 -> 3; 3 base (a branch point)
        const auto rows = layout({{1, 2}, {3}, {3}, {}});
        verifyContinuity(rows);
        QCOMPARE(rows.at(0).lower, (QList<LaneEdge>{{0, 0}, {0, 1}}));
        QCOMPARE(rows.at(1).node, 0);
        QCOMPARE(rows.at(2).node, 1);
        // the second branch joins the lane already waiting for the branch point
        QCOMPARE(rows.at(2).lower, (QList<LaneEdge>{{1, 0}, {0, 0}}));
        QCOMPARE(rows.at(3).node, 0);
        QCOMPARE(rows.at(3).upper, (QList<LaneEdge>{{0, 0}}));
        QCOMPARE(rows.at(3).width, 1);
    }

    void severalHeadsAndBases()
    {
        // two heads on two independent lines, interleaved by date
        const auto rows = layout({{2}, {3}, {}, {}});
        verifyContinuity(rows);
        QCOMPARE(rows.at(0).node, 0);
        QCOMPARE(rows.at(1).node, 1); // a second head opens a lane
        QCOMPARE(rows.at(1).upper, (QList<LaneEdge>{{0, 0}}));
        QCOMPARE(rows.at(2).node, 0); // first base ends lane 0
        QVERIFY(rows.at(2).lower.contains(LaneEdge{1, 1}));
        QCOMPARE(rows.at(3).node, 1);
        QCOMPARE(rows.at(3).width, 2);
    }

    void freedLanesAreReused()
    {
        // head A (0) on base 1; head B (2) on base 3: lane 0 frees at row 1 and B takes it
        const auto rows = layout({{1}, {}, {3}, {}});
        verifyContinuity(rows);
        QCOMPARE(rows.at(2).node, 0);
        QCOMPARE(rows.at(3).node, 0);
        for (const LaneRow &r : rows)
            QCOMPARE(r.width, 1);
    }

    void longParallelBranch()
    {
        // main line rows 0..99 even, a parallel branch on odd rows, merged at
        // the top (row 0) and forking from the last row.
        const int n = 201;
        QList<QList<int>> parents(n);
        parents[0] = {1, 2};
        for (int i = 1; i < n - 2; ++i)
            parents[i] = {i + 2};
        parents[n - 2] = {n - 1};
        const auto rows = layout(parents);
        verifyContinuity(rows);
        for (int i = 1; i < n - 1; ++i) {
            QCOMPARE(rows.at(i).width, 2);
            QCOMPARE(rows.at(i).node, (i % 2 == 1) ? 0 : 1);
        }
        QVERIFY(rows.at(n - 2).lower.contains(LaneEdge{rows.at(n - 2).node, rows.at(n - 3).node}));
        QCOMPARE(rows.last().upper.size(), 1);
    }

    void parentAlreadyAwaited()
    {
        // 0 -> 2, 1 -> 2 and 3: row 1's first parent is already awaited by lane 0
        const auto rows = layout({{2}, {2, 3}, {3}, {}});
        verifyContinuity(rows);
        QCOMPARE(rows.at(1).node, 1);
        QVERIFY(rows.at(1).lower.contains(LaneEdge{1, 0}));
        QVERIFY(rows.at(1).lower.contains(LaneEdge{1, 1}));
        QVERIFY(rows.at(1).lower.contains(LaneEdge{0, 0}));
    }

    void ignoresParentsAbove()
    {
        const auto rows = layout({{}, {0}});
        QCOMPARE(rows.at(1).lower.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestLaneLayout)
#include "tst_lanelayout.moc"
