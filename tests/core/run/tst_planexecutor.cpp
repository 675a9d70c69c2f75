// The executor on real databases: progress, a statement that fails midway,
// cancel, a database that moved, and (on PostgreSQL) a killed connection.
// Every failure leaves schema and version table as they were before the step.
#include "core/db/scopedconnection.h"
#include "core/db/versiontable.h"
#include "core/graph/graphbuilder.h"
#include "core/run/planexecutor.h"

#include "pgtest.h"
#include <QSignalSpy>

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Retort;

namespace {

QStringList tables(const ConnectionProfile &p)
{
    ScopedConnection c(p);
    QString error;
    if (!c.open(&error))
        qFatal("%s", qPrintable(error));
    return c.database().tables();
}

QStringList versions(const ConnectionProfile &p)
{
    ScopedConnection c(p);
    QString error;
    if (!c.open(&error))
        qFatal("%s", qPrintable(error));
    return VersionTable::read(c).value();
}

StepSql step(const QString &revision, const QStringList &statements)
{
    StepSql s;
    s.revision = revision;
    int line = 1;
    for (const QString &text : statements)
        s.statements.append({text, line++});
    return s;
}

} // namespace

class TestPlanExecutor : public QObject
{
    Q_OBJECT

private:
    RevisionGraph m_graph = TestUtil::graphOf({"a001", "b002<-a001"});

    void dropTables(const ConnectionProfile &p)
    {
        ScopedConnection c(p);
        QString error;
        QVERIFY(c.open(&error));
        QSqlQuery q(c.database());
        for (const char *t : {"alembic_version", "t_one", "t_two", "t_three"})
            q.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(QLatin1String(t)));
    }

    void behaves(const ConnectionProfile &p)
    {
        dropTables(p);
        auto plan = MigrationPlan::make(m_graph, {}, "heads", true);
        QVERIFY(plan);
        QCOMPARE(plan->steps.size(), 2);

        // A statement fails in the middle of the second step.
        {
            PlanExecutor executor(p, plan.value(),
                                  {step("a001", {"CREATE TABLE t_one (id INTEGER)"}),
                                   step("b002", {"CREATE TABLE t_two (id INTEGER)",
                                                 "INSERT INTO no_such_table VALUES (1)",
                                                 "CREATE TABLE t_three (id INTEGER)"})});
            QSignalSpy started(&executor, &PlanExecutor::stepStarted);
            QSignalSpy statements(&executor, &PlanExecutor::statementFinished);
            QSignalSpy failed(&executor, &PlanExecutor::failed);
            QSignalSpy finished(&executor, &PlanExecutor::finished);
            QVERIFY(!executor.run());
            QCOMPARE(started.count(), 2);
            QCOMPARE(started.at(1).at(0).toInt(), 1);
            QCOMPARE(started.at(1).at(1).toInt(), 2);
            QCOMPARE(statements.count(), 2); // t_one, t_two
            QCOMPARE(statements.at(1).at(3).toString(),
                     QStringLiteral("CREATE TABLE t_two (id INTEGER)"));
            QCOMPARE(failed.count(), 1);
            QCOMPARE(failed.first().at(1).toString(), QStringLiteral("b002"));
            QCOMPARE(failed.first().at(2).toString(),
                     QStringLiteral("INSERT INTO no_such_table VALUES (1)"));
            QVERIFY(failed.first().at(3).toString().contains("no_such_table"));
            QCOMPARE(finished.first().at(0).toBool(), false);
        }
        // The first step stays; the second left nothing behind.
        QCOMPARE(versions(p), QStringList{"a001"});
        QVERIFY(tables(p).contains("t_one"));
        QVERIFY(!tables(p).contains("t_two"));

        // The plan was made for an empty database: it refuses now.
        {
            PlanExecutor executor(p, plan.value(), {step("a001", {}), step("b002", {})});
            QSignalSpy failed(&executor, &PlanExecutor::failed);
            QVERIFY(!executor.run());
            QVERIFY(failed.first().at(3).toString().contains("moved since the plan was made"));
        }

        // Cancel during a step rolls that step back.
        auto rest = MigrationPlan::make(m_graph, {"a001"}, "heads", true);
        QVERIFY(rest);
        {
            PlanExecutor executor(p, rest.value(),
                                  {step("b002", {"CREATE TABLE t_two (id INTEGER)",
                                                 "CREATE TABLE t_three (id INTEGER)"})});
            connect(&executor, &PlanExecutor::statementFinished, &executor,
                    [&executor] { executor.cancel(); });
            QSignalSpy finished(&executor, &PlanExecutor::finished);
            QVERIFY(!executor.run());
            QCOMPARE(finished.first().at(1).toBool(), true); // cancelled
        }
        QCOMPARE(versions(p), QStringList{"a001"});
        QVERIFY(!tables(p).contains("t_two"));

        // And the same step runs through.
        {
            PlanExecutor executor(p, rest.value(),
                                  {step("b002", {"CREATE TABLE t_two (id INTEGER)"})});
            QVERIFY(executor.run());
        }
        QCOMPARE(versions(p), QStringList{"b002"});
        QVERIFY(tables(p).contains("t_two"));
        dropTables(p);
    }

private slots:
    void sqlite()
    {
        QTemporaryDir dir;
        behaves(ConnectionProfile::fromUrl("sqlite:///x.db", dir.path()).value());
    }

    void postgresql()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server: run the tests with ./run test, which starts one with "
                  "pg_virtualenv");
        behaves(TestUtil::postgresProfile());
    }

    void runsOnAWorkerThread()
    {
        // The way the window runs it: moved to a thread, progress by queued signals.
        QTemporaryDir dir;
        const ConnectionProfile p =
            ConnectionProfile::fromUrl("sqlite:///x.db", dir.path()).value();
        auto plan = MigrationPlan::make(m_graph, {}, "heads", true);
        auto *executor = new PlanExecutor(
            p, plan.value(),
            {step("a001", {"CREATE TABLE t_one (id INTEGER)"}),
             step("b002", {"CREATE TABLE t_two (id INTEGER)", "CREATE INDEX ix ON t_two (id)"})});
        QThread worker;
        executor->moveToThread(&worker);
        connect(&worker, &QThread::started, executor, &PlanExecutor::run);
        connect(&worker, &QThread::finished, executor, &QObject::deleteLater);
        QSignalSpy steps(executor, &PlanExecutor::stepFinished);
        QSignalSpy statements(executor, &PlanExecutor::statementFinished);
        QSignalSpy finished(executor, &PlanExecutor::finished);
        worker.start();
        QVERIFY(finished.wait(10000));
        worker.quit();
        worker.wait();
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(steps.count(), 2);
        QCOMPARE(statements.count(), 3);
        QCOMPARE(statements.last().at(2).toInt(), 2); // statement j of m
        QCOMPARE(versions(p), QStringList{"b002"});
    }

    void stepModePausesAfterEachStep()
    {
        QTemporaryDir dir;
        const ConnectionProfile p =
            ConnectionProfile::fromUrl("sqlite:///x.db", dir.path()).value();
        auto plan = MigrationPlan::make(m_graph, {}, "heads", true);
        auto *executor = new PlanExecutor(p, plan.value(),
                                          {step("a001", {"CREATE TABLE t_one (id INTEGER)"}),
                                           step("b002", {"CREATE TABLE t_two (id INTEGER)"})});
        executor->setStepMode(true);
        QThread worker;
        executor->moveToThread(&worker);
        connect(&worker, &QThread::started, executor, &PlanExecutor::run);
        connect(&worker, &QThread::finished, executor, &QObject::deleteLater);
        QSignalSpy paused(executor, &PlanExecutor::paused);
        QSignalSpy finished(executor, &PlanExecutor::finished);
        worker.start();
        QVERIFY(paused.wait(10000));
        QCOMPARE(paused.first().at(0).toInt(), 1);
        QCOMPARE(versions(p), QStringList{"a001"}); // the first step is committed, the second waits
        executor->resume();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        worker.quit();
        worker.wait();
        QCOMPARE(versions(p), QStringList{"b002"});
    }

    void refusesSqlRenderedForAnotherDialect()
    {
        QTemporaryDir dir;
        const ConnectionProfile p =
            ConnectionProfile::fromUrl("sqlite:///x.db", dir.path()).value();
        auto plan = MigrationPlan::make(m_graph, {}, "a001", true);
        StepSql pg = step("a001", {"CREATE TABLE t_one (id SERIAL)"});
        pg.dialect = "postgresql";
        PlanExecutor executor(p, plan.value(), {pg});
        QSignalSpy failed(&executor, &PlanExecutor::failed);
        QVERIFY(!executor.run());
        QVERIFY(failed.first().at(3).toString().contains(
            "rendered for postgresql; it will not run on a sqlite connection"));
        QVERIFY(!tables(p).contains("t_one"));
    }

    void postgresqlConnectionKilledMidStep()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server: run the tests with ./run test, which starts one with "
                  "pg_virtualenv");
        const ConnectionProfile p = TestUtil::postgresProfile();
        dropTables(p);
        auto plan = MigrationPlan::make(m_graph, {}, "a001", true);
        PlanExecutor executor(p, plan.value(),
                              {step("a001", {"CREATE TABLE t_one (id INTEGER)",
                                             "SELECT pg_terminate_backend(pg_backend_pid())",
                                             "CREATE TABLE t_two (id INTEGER)"})});
        QSignalSpy failed(&executor, &PlanExecutor::failed);
        QVERIFY(!executor.run());
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("a001"));
        QVERIFY(!failed.first().at(3).toString().isEmpty());
        // Nothing of the step was recorded or kept.
        QVERIFY(!tables(p).contains("t_one"));
        QCOMPARE(versions(p), QStringList{});
    }
};

QTEST_GUILESS_MAIN(TestPlanExecutor)
#include "tst_planexecutor.moc"
