// The window's schema history: replays in the background, answers from the
// cache, reports a failed replay as a diagnostic, drops stale work.

#include "core/schema/schemadiff.h"
#include "core/schema/schemamonitor.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

#include <tuple>

using namespace Retort;

namespace {

Project demoCopy(const QString &dir)
{
    TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir);
    auto p = Project::open(dir + QStringLiteral("/alembic.ini"));
    if (!p)
        qFatal("%s", qPrintable(p.error()));
    return p.value();
}

} // namespace

class TestSchemaMonitor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void replaysInTheBackgroundThenAnswersFromTheCache()
    {
        QTemporaryDir dir, cache;
        const Project project = demoCopy(dir.path());
        SchemaMonitor monitor;
        QSignalSpy finished(&monitor, &SchemaMonitor::finished);
        QSignalSpy progress(&monitor, &SchemaMonitor::progress);
        monitor.setProject(project, QString(), cache.path());
        QVERIFY(monitor.busy());
        QCOMPARE(monitor.dialect(), QStringLiteral("sqlite"));
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(!monitor.busy());
        QCOMPARE(progress.size(), project.graph.size());
        QVERIFY(monitor.diagnostics().isEmpty());

        const auto at = monitor.snapshot(QStringLiteral("005_index_users_email"));
        const auto before = monitor.parentSnapshot(QStringLiteral("005_index_users_email"));
        QVERIFY(at && before);
        const QList<SchemaChange> changes = SchemaDiff::compare(*before, *at);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().path(), QStringLiteral("users.ix_users_email"));
        QVERIFY(monitor.parentSnapshot(QStringLiteral("001_create_users"))->tables.isEmpty());

        // The same answers on another thread, through its own connection.
        const SchemaSource detached = monitor.detachedSource();
        const auto answers = QtConcurrent::run([detached] {
            const auto changes = detached.changes(QStringLiteral("005_index_users_email"));
            const auto blame = detached.blame(QStringLiteral("012_create_labels"));
            int usersEvents = 0;
            if (blame)
                for (const BlameEntry &e : blame.value())
                    if (e.table == u"users")
                        usersEvents += int(e.events.size());
            return std::make_tuple(changes ? int(changes->size()) : -1,
                                   changes && !changes->isEmpty() ? changes->first().path()
                                                                  : QString(),
                                   usersEvents);
        }).result();
        QCOMPARE(std::get<0>(answers), 1);
        QCOMPARE(std::get<1>(answers), QStringLiteral("users.ix_users_email"));
        QVERIFY(std::get<2>(answers) >= 3); // made in 001, indexed in 005, avatar in 008

        // Again: all cached, nothing replayed.
        SchemaMonitor again;
        QSignalSpy done(&again, &SchemaMonitor::finished);
        QSignalSpy replayed(&again, &SchemaMonitor::progress);
        again.setProject(project, QString(), cache.path());
        QVERIFY(done.wait(30000));
        QCOMPARE(replayed.size(), 0);
        QVERIFY(
            again.snapshot(QStringLiteral("012_create_labels"))->table(QStringLiteral("labels")));
    }

    void aFailedReplayIsADiagnosticAtItsRevision()
    {
        QTemporaryDir dir, cache;
        Project project = demoCopy(dir.path());
        const QString file =
            dir.path() + QStringLiteral("/migrations/versions/004_create_projects.py");
        TestUtil::writeFile(dir.path(),
                            QStringLiteral("migrations/versions/004_create_projects.py"),
                            [&]() -> QByteArray {
                                QFile f(file);
                                f.open(QIODevice::ReadOnly);
                                return f.readAll() + "\n\ndef upgrade():\n    op.execute(\"INSERT "
                                                     "INTO nowhere VALUES (1)\")\n";
                            }());
        project = Project::open(dir.path() + QStringLiteral("/alembic.ini")).value();
        SchemaMonitor monitor;
        QSignalSpy finished(&monitor, &SchemaMonitor::finished);
        monitor.setProject(project, QString(), cache.path());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(monitor.diagnostics().size(), 1);
        QCOMPARE(monitor.diagnostics().first().file, file);
        QVERIFY2(monitor.diagnostics().first().message.contains(QStringLiteral("nowhere")),
                 qPrintable(monitor.diagnostics().first().message));
        // At the operation that made the failing statement.
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray text = written.readAll();
        const int opLine = int(text.left(text.indexOf("op.execute(\"INSERT")).count('\n')) + 1;
        QCOMPARE(monitor.diagnostics().first().line, opLine);
        QVERIFY(monitor.snapshot(QStringLiteral("003_add_team_members")));
        QVERIFY(!monitor.snapshot(QStringLiteral("004_create_projects")));
    }

    // A new project while the last one replays: only the new one answers.
    void aNewProjectDropsTheOldReplay()
    {
        QTemporaryDir first, second, cache;
        const Project a = demoCopy(first.path());
        const Project b = demoCopy(second.path());
        SchemaMonitor monitor;
        QSignalSpy finished(&monitor, &SchemaMonitor::finished);
        monitor.setProject(a, QString(), cache.path());
        monitor.setProject(b, QString(), cache.path());
        QVERIFY(finished.wait(120000));
        QTest::qWait(200);
        QCOMPARE(finished.size(), 1);
        QVERIFY(monitor.snapshot(QStringLiteral("012_create_labels")));
    }
};

QTEST_GUILESS_MAIN(TestSchemaMonitor)
#include "tst_schemamonitor.moc"
