#include "core/problemsmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Retort;

class TestProblemsModel : public QObject
{
    Q_OBJECT

private slots:
    void sortsAndShows()
    {
        ProblemsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDiagnostics({{Severity::Warning, "multiple-heads", QString(), 0, "two heads"},
                              {Severity::Error, "cycle", "/v/b.py", 9, "loop"},
                              {Severity::Error, "not-literal", "/v/a.py", 3, "odd"}});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(model.index(0, ProblemsModel::CodeColumn).data().toString(),
                 QStringLiteral("not-literal"));
        QCOMPARE(model.index(0, ProblemsModel::FileColumn).data().toString(),
                 QStringLiteral("a.py"));
        QCOMPARE(model.index(0, 0).data(ProblemsModel::FilePathRole).toString(),
                 QStringLiteral("/v/a.py"));
        QCOMPARE(model.index(0, 0).data(ProblemsModel::LineRole).toInt(), 3);
        QCOMPARE(model.index(2, ProblemsModel::SeverityColumn).data().toString(),
                 QStringLiteral("warning"));
        QCOMPARE(model.index(2, ProblemsModel::FileColumn).data().toString(),
                 QStringLiteral("(project)"));
        QVERIFY(!model.index(2, ProblemsModel::LineColumn).data().isValid());
        QCOMPARE(model.count(Severity::Error), 2);
        QCOMPARE(model.count(Severity::Warning), 1);
        model.setDiagnostics({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestProblemsModel)
#include "tst_problemsmodel.moc"
