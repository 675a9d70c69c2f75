#include "core/graph/historymodel.h"
#include "core/project.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

#include "testutil.h"

using namespace Retort;

class TestHistoryModel : public QObject
{
    Q_OBJECT

private:
    Project demo()
    {
        auto p = Project::open(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo/alembic.ini"));
        if (!p)
            qFatal("%s", qPrintable(p.error()));
        return p.value();
    }
    QStringList ids(const HistoryModel &m)
    {
        QStringList out;
        for (int row = 0; row < m.rowCount(); ++row)
            out << m.index(row, HistoryModel::RevisionColumn).data().toString();
        return out;
    }

private slots:
    void demoHistory()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProject(demo());
        QCOMPARE(model.rowCount(), 13);
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(ids(model).first(), QStringLiteral("3f9a1c2b7d4e"));
        QCOMPARE(ids(model).last(), QStringLiteral("001_create_users"));
        const QModelIndex head = model.index(0, HistoryModel::MessageColumn);
        QCOMPARE(head.data().toString(), QStringLiteral("add invitations"));
        QCOMPARE(head.data(HistoryModel::BadgesRole).toStringList(),
                 (QStringList{"warning:2", "head", "new"}));
        QVERIFY(head.data(HistoryModel::ProblemLineRole).toInt() > 0);
        QVERIFY(head.data(HistoryModel::IsNewRole).toBool());
        const int merge = model.rowOfRevision("009_merge_audit_and_avatar");
        QVERIFY(
            model.index(merge, 0).data(HistoryModel::BadgesRole).toStringList().contains("merge"));
        QVERIFY(!model.index(merge, 0).data(HistoryModel::IsNewRole).toBool());
        const int branch = model.rowOfRevision("006_add_project_status");
        QVERIFY(model.index(branch, 0)
                    .data(HistoryModel::BadgesRole)
                    .toStringList()
                    .contains("branch"));
        QCOMPARE(model.index(branch, HistoryModel::DateColumn).data().toString(),
                 QStringLiteral("2026-02-24 14:12"));
        QCOMPARE(model.maxLanes(), 2);
        const LaneRow mergeLanes =
            model.index(merge, 0).data(HistoryModel::LaneRole).value<LaneRow>();
        QCOMPARE(mergeLanes.lower.size(), 2);
    }

    // A broken revision does not look healthy: its row carries an error
    // badge, and the parent it names but nobody declares is a ghost row
    // below it, linked to it.
    void brokenRevisionsAndGhosts()
    {
        QTemporaryDir dir;
        TestUtil::writeFile(dir.path(), "v/a1.py", TestUtil::revisionSource("a1", ""));
        TestUtil::writeFile(dir.path(), "v/b2.py", TestUtil::revisionSource("b2", "a1"));
        TestUtil::writeFile(dir.path(), "v/c3.py", TestUtil::revisionSource("c3", "typo1"));
        TestUtil::writeFile(dir.path(), "v/d4.py", TestUtil::revisionSource("d4", "typo1"));
        TestUtil::writeFile(dir.path(), "v/e5.py",
                            "revision = 'e5'\ndown_revision = 'b2'\ndef f(:\n");
        auto p = Project::open(dir.filePath("v"));
        QVERIFY(p);
        HistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProject(p.value());
        QCOMPARE(model.rowCount(), 6); // five revisions and one ghost
        int ghost = -1;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.index(row, 0).data(HistoryModel::IsGhostRole).toBool())
                ghost = row;
        }
        QVERIFY(ghost >= 0);
        const QModelIndex g = model.index(ghost, HistoryModel::RevisionColumn);
        QCOMPARE(g.data().toString(), QStringLiteral("typo1"));
        QCOMPARE(g.data(HistoryModel::RevisionIndexRole).toInt(), -1);
        QVERIFY(g.data(Qt::ToolTipRole).toString().contains("c3"));
        QVERIFY(g.data(Qt::ToolTipRole).toString().contains("d4"));
        // below both revisions that name it
        QVERIFY(ghost > model.rowOfRevision("c3") && ghost > model.rowOfRevision("d4"));
        // the children's lanes reach the ghost's lane
        const auto lanes = g.data(HistoryModel::LaneRole).value<LaneRow>();
        QVERIFY(!lanes.upper.isEmpty());
        const QModelIndex c3 = model.index(model.rowOfRevision("c3"), 0);
        QVERIFY(c3.data(HistoryModel::BadgesRole).toStringList().first().startsWith("error:"));
        const QModelIndex e5 = model.index(model.rowOfRevision("e5"), 0);
        QVERIFY(e5.data(HistoryModel::BadgesRole).toStringList().first().startsWith("error:"));
        QVERIFY(e5.data(HistoryModel::ProblemLineRole).toInt() >= 3);
        // filtering to one child keeps the ghost with it
        model.setFilter("c3");
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.index(1, 0).data(HistoryModel::IsGhostRole).toBool());
    }

    // Newest first by create date, each revision still above its parents.
    void newestFirstKeepsParentsBelow()
    {
        QTemporaryDir dir;
        auto rev = [&](const char *id, const char *down, const char *date) {
            TestUtil::writeFile(dir.path(), QStringLiteral("v/%1.py").arg(QLatin1String(id)),
                                QStringLiteral("\"\"\"%1\n\nRevision ID: %1\nRevises: %2\nCreate "
                                               "Date: %3\n\"\"\"\nrevision = '%1'\n"
                                               "down_revision = %4\n")
                                    .arg(QLatin1String(id), QLatin1String(down),
                                         QLatin1String(date),
                                         *down ? QStringLiteral("'%1'").arg(QLatin1String(down))
                                               : QStringLiteral("None"))
                                    .toUtf8());
        };
        rev("a1", "", "2026-01-01 10:00:00");
        rev("b2", "a1", "2026-02-01 10:00:00");
        rev("c3", "b2", "2026-03-01 10:00:00");
        rev("m4", "c3", "2026-01-15 10:00:00"); // an old date on a new child
        rev("x9", "a1", "2026-11-27 10:00:00"); // a branch made today
        auto p = Project::open(dir.filePath("v"));
        QVERIFY(p);
        HistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProject(p.value());
        model.setOrder(HistoryModel::Order::NewestFirst);
        QCOMPARE(ids(model), (QStringList{"x9", "m4", "c3", "b2", "a1"}));
        for (int row = 0; row < model.rowCount(); ++row) {
            for (int parent : p->graph.revision(model.revisionAt(row)).parents)
                QVERIFY(model.rowOfRevision(p->graph.revision(parent).id) > row);
        }
        QCOMPARE(p->graph.revision(model.newestHead()).id, QStringLiteral("x9"));
        model.setOrder(HistoryModel::Order::Alembic);
        QCOMPARE(ids(model).size(), 5);
    }

    void freshRevisionsAreNew()
    {
        HistoryModel model;
        model.setProject(demo(), {QStringLiteral("012_create_labels")});
        QVERIFY(model.index(model.rowOfRevision("012_create_labels"), 0)
                    .data(HistoryModel::IsNewRole)
                    .toBool());
    }

    void filterKeepsShape()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProject(demo());
        model.setFilter("audit");
        // 009 "merge audit log ..." and 007 "create audit log": 009 links straight to 007
        QCOMPARE(ids(model), (QStringList{"009_merge_audit_and_avatar", "007_create_audit_log"}));
        const LaneRow top = model.index(0, 0).data(HistoryModel::LaneRole).value<LaneRow>();
        QCOMPARE(top.lower, (QList<LaneEdge>{{0, 0}}));
        const LaneRow bottom = model.index(1, 0).data(HistoryModel::LaneRole).value<LaneRow>();
        QCOMPARE(bottom.upper, (QList<LaneEdge>{{0, 0}}));
        // A filter on file names, case-insensitive, skipping the branch: 010 joins 006
        model.setFilter("PROJECT");
        QCOMPARE(ids(model), (QStringList{"011_add_project_paused_status", "010_add_project_slug",
                                          "006_add_project_status", "004_create_projects"}));
        const LaneRow slug = model.index(1, 0).data(HistoryModel::LaneRole).value<LaneRow>();
        QCOMPARE(slug.lower, (QList<LaneEdge>{{0, 0}}));
        model.setFilter(QString());
        QCOMPARE(model.rowCount(), 13);
    }
};

QTEST_GUILESS_MAIN(TestHistoryModel)
#include "tst_historymodel.moc"
