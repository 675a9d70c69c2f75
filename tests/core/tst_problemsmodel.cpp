#include "core/problemsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Retort;

class TestProblemsModel : public QObject
{
    Q_OBJECT

private slots:
    // The same problems again (the window re-reads a database 4 times a
    // second during a run) are no reset: selection and scrolling stay.
    void sameProblemsAreNoReset()
    {
        ProblemsModel model;
        const Diagnostics d{{Severity::Warning, "w", "/a.py", 3, "x"},
                            {Severity::Error, "e", "/b.py", 1, "y"}};
        model.setDiagnostics(d);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setDiagnostics(Diagnostics{d.at(1), d.at(0)}); // same, other order
        QCOMPARE(resets.size(), 0);
        model.setDiagnostics(Diagnostics{d.at(0)});
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowCount(), 1);
    }
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
