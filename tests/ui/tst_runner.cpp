// The runner and the guard in the window, under the offscreen platform, on
// real SQLite databases with the SQL rendered by the real Alembic: plan,
// run one step, pause, cancel mid-step (the step rolls back), close during
// a run; the guard in front of downgrades and stamps of shared databases.
#include "testutil.h"

#include "core/db/databasemonitor.h"
#include "core/db/profilestore.h"
#include "core/db/scopedconnection.h"
#include "core/db/versiontable.h"
#include "core/graph/historymodel.h"
#include "core/run/migrationrun.h"
#include "core/run/runlog.h"
#include "ui/db/connectionspanel.h"
#include "ui/db/databaseactions.h"
#include "ui/db/guarddialog.h"
#include "ui/db/runnerpanel.h"
#include "ui/db/runspanel.h"
#include "ui/db/sqlview.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace Retort;

namespace {

// A revision whose one statement takes a while (a recursive count in
// SQLite), between a table made before it and one made after it.
const QByteArray kSlowRevision = R"PY("""slow data step

Revision ID: 050_slow
Revises: 005_index_users_email
Create Date: 2026-03-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '050_slow'
down_revision = '005_index_users_email'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("before_slow", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000) SELECT count(*) FROM c")
    op.create_table("after_slow", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("after_slow")
    op.drop_table("before_slow")
)PY";

QStringList recorded(const ConnectionProfile &p)
{
    ScopedConnection c(p);
    QString error;
    if (!c.open(&error))
        return {QStringLiteral("error: ") + error};
    auto ids = VersionTable::read(c);
    return ids ? ids.value() : QStringList{QStringLiteral("error: ") + ids.error()};
}

bool tableExists(const ConnectionProfile &p, const QString &table)
{
    ScopedConnection c(p);
    QString error;
    if (!c.open(&error))
        return false;
    return c.database().tables().contains(table);
}

// Answers the next modal dialog of type T with `act` once it shows.
template<typename T> void whenDialog(std::function<void(T *)> act)
{
    auto *timer = new QTimer(qApp);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, act] {
        if (auto *d = qobject_cast<T *>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            act(d);
        }
    });
    timer->start(20);
}

} // namespace

class TestRunner : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestUtil::isolate(QStringLiteral("RetortRunnerTest")); }

    void init()
    {
        QSettings().clear();
        m_dir.reset(new QTemporaryDir);
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), m_dir->path());
        TestUtil::writeFile(m_dir->path(), QStringLiteral("migrations/versions/050_slow.py"),
                            kSlowRevision);
        m_ini = m_dir->filePath(QStringLiteral("alembic.ini"));
        auto p = ConnectionProfile::fromUrl(QStringLiteral("sqlite:///") +
                                            m_dir->filePath(QStringLiteral("dev.db")));
        m_dev = p.value();
        m_dev.name = QStringLiteral("dev");
    }

    void openWith(MainWindow &w, const ConnectionProfile &profile)
    {
        ProfileStore::save(m_ini, {profile});
        w.resize(1024, 700);
        w.show();
        w.openProject(m_ini);
        QTRY_VERIFY(w.hasProject());
        w.connectionsPanel()->setActive(profile.name);
        QTRY_VERIFY(w.databases()->find(profile.name) &&
                    w.databases()->find(profile.name)->status == MonitoredDatabase::Status::Ready);
    }

    // Plan shown before anything runs; one step at a time; the badge moves
    // after each; Run All finishes; the run is in the run log.
    void stepThroughAnUpgrade()
    {
        MainWindow w;
        openWith(w, m_dev);
        DatabaseActions *actions = w.databaseActions();
        MigrationRun *run = actions->run();
        QVERIFY(actions->migrate(QStringLiteral("003_add_team_members"), true));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        RunnerPanel *panel = actions->panel();
        QCOMPARE(panel->planTable()->topLevelItemCount(), 3);
        QCOMPARE(panel->planTable()->topLevelItem(0)->text(1), QStringLiteral("001_create_users"));
        QCOMPARE(panel->planTable()->topLevelItem(0)->text(3),
                 QStringLiteral("insert 001_create_users"));
        // The SQL, with Retort's own bookkeeping as SQL.
        const QString sql = panel->sqlView()->text();
        QVERIFY2(sql.contains(u"CREATE TABLE users"), qPrintable(sql));
        QVERIFY2(sql.contains(
                     u"INSERT INTO \"alembic_version\" (version_num) VALUES ('001_create_users')"),
                 qPrintable(sql));
        QVERIFY(recorded(m_dev).isEmpty()); // nothing ran yet

        panel->runNextButton()->click();
        QTRY_COMPARE(run->state(), MigrationRun::State::Paused);
        QCOMPARE(recorded(m_dev), QStringList{QStringLiteral("001_create_users")});
        QCOMPARE(run->steps().at(0).status, MigrationRun::Step::Status::Done);
        QCOMPARE(run->steps().at(1).status, MigrationRun::Step::Status::Pending);
        QTRY_COMPARE(w.databases()->find(QStringLiteral("dev"))->state.recorded,
                     QStringList{QStringLiteral("001_create_users")});

        panel->runAllButton()->click();
        QTRY_COMPARE(run->state(), MigrationRun::State::Finished);
        QCOMPARE(recorded(m_dev), QStringList{QStringLiteral("003_add_team_members")});
        QTRY_COMPARE(w.databases()->find(QStringLiteral("dev"))->state.recorded,
                     QStringList{QStringLiteral("003_add_team_members")});
        QVERIFY(panel->log()->toPlainText().contains(u"CREATE TABLE teams"));
        const QList<RunLogEntry> log = RunLog::read(m_ini);
        QVERIFY(!log.isEmpty());
        QCOMPARE(log.last().steps.size(), 3);
        QVERIFY(log.last().ok);
        // The Runs view reads it back, newest first.
        QTreeWidget *runs = w.databaseActions()->runs()->list();
        QTRY_VERIFY(runs->topLevelItemCount() >= 1 &&
                    runs->topLevelItem(0)->text(2) ==
                        QStringLiteral("upgrade 003_add_team_members"));
        QCOMPARE(runs->topLevelItem(0)->text(3), QStringLiteral("3"));
        QCOMPARE(runs->topLevelItem(0)->text(4), QStringLiteral("ok"));
    }

    // The demo from base to head and back in the window: the steps SQLite
    // cannot render offline (011's batch ALTER, and on the way back the
    // batch drops) show their SQL from a throwaway copy and wait for the
    // user's go-ahead; every other step runs in its own transaction.
    void demoToHeadAndBackWithOnlineSteps()
    {
        QFile::remove(m_dir->filePath(QStringLiteral("migrations/versions/050_slow.py")));
        MainWindow w;
        openWith(w, m_dev);
        MigrationRun *run = w.databaseActions()->run();
        RunnerPanel *panel = w.databaseActions()->panel();
        QVERIFY(w.databaseActions()->migrate(QStringLiteral("heads"), true));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        int online = -1;
        for (int i = 0; i < run->steps().size(); ++i) {
            if (run->steps().at(i).online)
                online = i;
        }
        QCOMPARE(run->steps().at(online).revision, QStringLiteral("011_add_project_paused_status"));
        QVERIFY(panel->sqlOfStep(online).contains(u"CREATE TABLE _alembic_tmp_projects"));
        QVERIFY(panel->sqlOfStep(online - 1).contains(u"ALTER TABLE projects ADD COLUMN slug"));
        panel->runAllButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(run->awaitingApproval(), online, 60000);
        QCOMPARE(run->state(), MigrationRun::State::Paused);
        QCOMPARE(recorded(m_dev), QStringList{QStringLiteral("010_add_project_slug")});
        panel->runAllButton()->click(); // the go-ahead for 011
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Finished, 60000);
        QCOMPARE(recorded(m_dev), QStringList{QStringLiteral("3f9a1c2b7d4e")});
        QTRY_COMPARE(w.databases()->find(QStringLiteral("dev"))->state.recorded,
                     QStringList{QStringLiteral("3f9a1c2b7d4e")});

        QVERIFY(w.databaseActions()->migrate(QStringLiteral("base"), false));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        int approvals = 0;
        run->runAll();
        QElapsedTimer clock;
        clock.start();
        while (run->state() != MigrationRun::State::Finished && clock.elapsed() < 120000) {
            QTest::qWait(50);
            if (run->state() == MigrationRun::State::Paused && run->awaitingApproval() >= 0) {
                ++approvals;
                run->runAll();
            }
            QVERIFY2(run->state() != MigrationRun::State::Failed, qPrintable(run->error()));
        }
        QCOMPARE(run->state(), MigrationRun::State::Finished);
        QVERIFY(approvals >= 1);
        QVERIFY(recorded(m_dev).isEmpty());
        QVERIFY(!tableExists(m_dev, QStringLiteral("projects")));
    }

    // Pause After This Step: Run All stops after the step that runs.
    void pauseAfterStep()
    {
        MainWindow w;
        openWith(w, m_dev);
        MigrationRun *run = w.databaseActions()->run();
        QVERIFY(w.databaseActions()->migrate(QStringLiteral("004_create_projects"), true));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        RunnerPanel *panel = w.databaseActions()->panel();
        panel->pauseButton()->setChecked(true);
        panel->runAllButton()->click();
        QTRY_COMPARE(run->state(), MigrationRun::State::Paused);
        QCOMPARE(recorded(m_dev), QStringList{QStringLiteral("001_create_users")});
        panel->pauseButton()->setChecked(false);
        panel->runAllButton()->click();
        QTRY_COMPARE(run->state(), MigrationRun::State::Finished);
        QCOMPARE(recorded(m_dev), QStringList{QStringLiteral("004_create_projects")});
    }

    // Cancel while a statement runs: the step rolls back as a whole.
    void cancelMidStepRollsBack()
    {
        MainWindow w;
        openWith(w, m_dev);
        MigrationRun *run = w.databaseActions()->run();
        QVERIFY(w.databaseActions()->migrate(QStringLiteral("005_index_users_email"), true));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        run->runAll();
        QTRY_COMPARE(run->state(), MigrationRun::State::Finished);
        QTRY_COMPARE(w.databases()->find(QStringLiteral("dev"))->state.recorded,
                     QStringList{QStringLiteral("005_index_users_email")});

        QVERIFY(w.databaseActions()->migrate(QStringLiteral("050_slow"), true));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        QCOMPARE(run->steps().size(), 1);
        QCOMPARE(run->steps().at(0).statements.size(), 3);
        run->runAll();
        // The slow statement runs: the first table is made, uncommitted.
        QTRY_VERIFY(run->state() == MigrationRun::State::Running &&
                    w.databaseActions()->panel()->progress()->text().contains(u"statement 1 of 3"));
        w.databaseActions()->panel()->cancelButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Cancelled, 30000);
        QCOMPARE(run->steps().at(0).status, MigrationRun::Step::Status::RolledBack);
        QCOMPARE(recorded(m_dev), QStringList{QStringLiteral("005_index_users_email")});
        QVERIFY(!tableExists(m_dev, QStringLiteral("before_slow")));
        QVERIFY(!tableExists(m_dev, QStringLiteral("after_slow")));
    }

    // Closing the window during a run asks, cancels and waits for the roll back.
    void closeDuringARun()
    {
        auto *w = new MainWindow;
        openWith(*w, m_dev);
        MigrationRun *run = w->databaseActions()->run();
        QVERIFY(w->databaseActions()->migrate(QStringLiteral("050_slow"), true));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        run->runAll();
        QTRY_VERIFY(run->steps().size() == 6 &&
                    run->steps().at(5).status == MigrationRun::Step::Status::Running);
        whenDialog<QMessageBox>([](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); });
        QVERIFY(w->close());
        QCOMPARE(recorded(m_dev), QStringList{QStringLiteral("005_index_users_email")});
        QVERIFY(!tableExists(m_dev, QStringLiteral("before_slow")));
        delete w;
    }

    // A shared database: downgrade and stamp go through the guard, whose
    // confirm button waits for the exact name; a forbidden profile refuses.
    void guardForSharedDatabases()
    {
        ConnectionProfile shared = m_dev;
        shared.shared = true;
        MainWindow w;
        openWith(w, shared);
        MigrationRun *run = w.databaseActions()->run();
        QVERIFY(w.databaseActions()->migrate(QStringLiteral("004_create_projects"), true));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        run->runAll();
        QTRY_COMPARE(run->state(), MigrationRun::State::Finished);
        QTRY_COMPARE(w.databases()->find(QStringLiteral("dev"))->state.recorded,
                     QStringList{QStringLiteral("004_create_projects")});

        // Downgrade: the guard lists what is reverted and what it drops.
        QString seen;
        bool enabledTooEarly = true;
        whenDialog<GuardDialog>([&](GuardDialog *d) {
            auto *list = d->findChild<QTreeWidget *>(QStringLiteral("reverted"));
            for (int i = 0; i < list->topLevelItemCount(); ++i)
                seen +=
                    list->topLevelItem(i)->text(0) + u' ' + list->topLevelItem(i)->text(2) + u'\n';
            d->nameEdit()->setText(QStringLiteral("dev.d")); // not yet
            enabledTooEarly = d->confirmButton()->isEnabled();
            d->nameEdit()->setText(QStringLiteral("dev.db"));
            QVERIFY(d->confirmButton()->isEnabled());
            d->reject(); // and then not
        });
        QVERIFY(!w.databaseActions()->migrate(QStringLiteral("002_create_teams"), false));
        QVERIFY(!enabledTooEarly);
        QVERIFY2(seen.contains(u"004_create_projects") && seen.contains(u"drop_table projects"),
                 qPrintable(seen));
        QVERIFY2(seen.contains(u"003_add_team_members"), qPrintable(seen));
        QVERIFY(!seen.contains(u"002_create_teams"));
        QCOMPARE(recorded(shared), QStringList{QStringLiteral("004_create_projects")});

        // Confirmed: it plans the downgrade.
        whenDialog<GuardDialog>([](GuardDialog *d) {
            d->nameEdit()->setText(QStringLiteral("dev.db"));
            d->confirmButton()->click();
        });
        QVERIFY(w.databaseActions()->migrate(QStringLiteral("003_add_team_members"), false));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        run->runAll();
        QTRY_COMPARE(run->state(), MigrationRun::State::Finished);
        QCOMPARE(recorded(shared), QStringList{QStringLiteral("003_add_team_members")});
        QTRY_COMPARE(w.databases()->find(QStringLiteral("dev"))->state.recorded,
                     QStringList{QStringLiteral("003_add_team_members")});

        // A stamp of a shared database shows the guard too.
        bool guarded = false;
        whenDialog<GuardDialog>([&](GuardDialog *d) {
            guarded = true;
            d->reject();
        });
        QVERIFY(!w.databaseActions()->stamp(QStringLiteral("001_create_users")));
        QVERIFY(guarded);
        QCOMPARE(recorded(shared), QStringList{QStringLiteral("003_add_team_members")});
    }

    void forbiddenProfileRefuses()
    {
        ConnectionProfile locked = m_dev;
        locked.downgradesForbidden = true;
        {
            ScopedConnection c(locked);
            QString error;
            QVERIFY(c.open(&error));
            QVERIFY(bool(VersionTable::stamp(c, {QStringLiteral("002_create_teams")})));
        }
        MainWindow w;
        openWith(w, locked);
        QString said;
        whenDialog<QMessageBox>([&](QMessageBox *box) {
            said = box->text();
            box->accept();
        });
        QVERIFY(!w.databaseActions()->migrate(QStringLiteral("001_create_users"), false));
        QVERIFY2(said.contains(u"forbids downgrades"), qPrintable(said));
        // A stamp that moves it back is refused the same way.
        said.clear();
        whenDialog<QMessageBox>([&](QMessageBox *box) {
            said = box->text();
            box->accept();
        });
        QVERIFY(!w.databaseActions()->stamp(QStringLiteral("001_create_users")));
        QVERIFY2(said.contains(u"forbids downgrades"), qPrintable(said));
        QCOMPARE(recorded(locked), QStringList{QStringLiteral("002_create_teams")});
        QCOMPARE(w.databaseActions()->run()->state(), MigrationRun::State::Idle);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_ini;
    ConnectionProfile m_dev;
};

QTEST_MAIN(TestRunner)
#include "tst_runner.moc"
