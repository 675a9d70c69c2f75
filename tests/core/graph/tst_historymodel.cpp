#include "core/graph/historymodel.h"
#include "core/project.h"

#include <QAbstractItemModelTester>
#include <QTest>

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
        QCOMPARE(head.data(HistoryModel::BadgesRole).toStringList(), (QStringList{"head", "new"}));
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
