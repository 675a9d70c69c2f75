// Databases in the window, under the offscreen platform: saved profiles and
// the project's sqlalchemy.url in the Databases panel, their positions as
// badges on the history, applied and pending rows, the status bar, unknown
// recorded revisions as problems, and the profile dialog. Real SQLite files,
// a real PostgreSQL when pg_virtualenv runs the tests.
#include "pgtest.h"
#include "testutil.h"

#include "core/db/databasemonitor.h"
#include "core/db/profilestore.h"
#include "core/db/scopedconnection.h"
#include "core/db/versiontable.h"
#include "core/graph/historymodel.h"
#include "core/problemsmodel.h"
#include "core/run/migrationrun.h"
#include "core/script/projectconfig.h"
#include "ui/db/connectionspanel.h"
#include "ui/db/databaseactions.h"
#include "ui/db/profiledialog.h"
#include "ui/db/runnerpanel.h"
#include "ui/mainwindow.h"
#include "ui/plandialog.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Retort;

namespace {

void stamp(const ConnectionProfile &profile, const QStringList &ids)
{
    ScopedConnection c(profile);
    QString error;
    QVERIFY2(c.open(&error), qPrintable(error));
    const auto done = VersionTable::stamp(c, ids);
    QVERIFY2(bool(done), qPrintable(done ? QString() : done.error()));
}

ConnectionProfile sqliteProfile(const QString &name, const QString &file)
{
    auto p = ConnectionProfile::fromUrl(QStringLiteral("sqlite:///") + file);
    p.value().name = name;
    return p.value();
}

// The badges on the history row of `id`.
QStringList badgesOf(MainWindow &w, const QString &id)
{
    HistoryModel *m = w.historyModel();
    for (int row = 0; row < m->rowCount(); ++row) {
        const QModelIndex index = m->index(row, HistoryModel::MessageColumn);
        if (index.data(HistoryModel::RevisionIdRole).toString() == id)
            return index.data(HistoryModel::BadgesRole).toStringList();
    }
    return {};
}

bool pending(MainWindow &w, const QString &id)
{
    HistoryModel *m = w.historyModel();
    for (int row = 0; row < m->rowCount(); ++row) {
        const QModelIndex index = m->index(row, HistoryModel::MessageColumn);
        if (index.data(HistoryModel::RevisionIdRole).toString() == id)
            return index.data(HistoryModel::PendingRole).toBool();
    }
    return false;
}

bool hasDatabaseBadge(const QStringList &badges, const QString &name)
{
    for (const QString &b : badges) {
        if (b.startsWith(u"db:") && b.section(u':', 2) == name)
            return true;
    }
    return false;
}

QString statusText(MainWindow &w)
{
    QStringList out;
    for (QLabel *l : w.statusBar()->findChildren<QLabel *>())
        out << l->text();
    return out.join(u'|');
}

// A loopback port nothing listens on: bound by us, then released.
quint16 closedLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

} // namespace

class TestDatabases : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestUtil::isolate(QStringLiteral("RetortDatabasesTest")); }

    void init()
    {
        QSettings().clear();
        m_dir.reset(new QTemporaryDir);
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), m_dir->path());
        m_ini = m_dir->filePath(QStringLiteral("alembic.ini"));
        m_projectDb = m_dir->filePath(QStringLiteral("demo.db"));
        m_stagingDb = m_dir->filePath(QStringLiteral("staging.db"));
    }

    // A saved profile's recorded revision carries its badge; the project's
    // own sqlalchemy.url is there too; a stamp and F5 move the badge.
    void badgesFollowTheDatabases()
    {
        const ConnectionProfile staging = sqliteProfile(QStringLiteral("staging"), m_stagingDb);
        stamp(staging, {QStringLiteral("006_add_project_status")});
        stamp(sqliteProfile(QStringLiteral("x"), m_projectDb),
              {QStringLiteral("010_add_project_slug")});
        ConnectionProfile saved = staging;
        saved.color = QStringLiteral("#c62828");
        ProfileStore::save(m_ini, {saved});

        MainWindow w;
        w.resize(1024, 700);
        w.show();
        w.openProject(m_ini);
        QTRY_VERIFY(w.hasProject());
        QTRY_VERIFY(hasDatabaseBadge(badgesOf(w, QStringLiteral("006_add_project_status")),
                                     QStringLiteral("staging")));
        QVERIFY(badgesOf(w, QStringLiteral("006_add_project_status"))
                    .contains(QStringLiteral("db:#c62828:staging")));
        QTRY_VERIFY(hasDatabaseBadge(badgesOf(w, QStringLiteral("010_add_project_slug")),
                                     DatabaseMonitor::kProjectUrlName));
        // The active database (the first, staging) tells applied from pending.
        QCOMPARE(w.connectionsPanel()->activeName(), QStringLiteral("staging"));
        QTRY_VERIFY(pending(w, QStringLiteral("007_create_audit_log")));
        QVERIFY(!pending(w, QStringLiteral("006_add_project_status")));
        QVERIFY(!pending(w, QStringLiteral("001_create_users")));
        QTRY_VERIFY2(statusText(w).contains(QStringLiteral("staging: 7 behind head")),
                     qPrintable(statusText(w)));

        // Someone else upgrades staging; F5 reads it again.
        stamp(staging, {QStringLiteral("012_create_labels")});
        QAction *refresh = nullptr;
        for (QAction *a : w.findChildren<QAction *>()) {
            if (a->shortcut() == QKeySequence(QKeySequence::Refresh))
                refresh = a;
        }
        QVERIFY(refresh);
        refresh->trigger();
        QTRY_VERIFY(hasDatabaseBadge(badgesOf(w, QStringLiteral("012_create_labels")),
                                     QStringLiteral("staging")));
        QVERIFY(!hasDatabaseBadge(badgesOf(w, QStringLiteral("006_add_project_status")),
                                  QStringLiteral("staging")));
        QTRY_VERIFY(!pending(w, QStringLiteral("007_create_audit_log")));
        QTRY_VERIFY2(statusText(w).contains(QStringLiteral("staging: 1 behind head")),
                     qPrintable(statusText(w)));

        // Another active database: the project's own, at 010.
        w.connectionsPanel()->setActive(DatabaseMonitor::kProjectUrlName);
        QTRY_VERIFY(pending(w, QStringLiteral("011_add_project_paused_status")));
        QVERIFY(!pending(w, QStringLiteral("010_add_project_slug")));
        QTRY_VERIFY(statusText(w).contains(QStringLiteral("sqlalchemy.url: 3 behind head")));
    }

    // A recorded id the folder does not have is a problem naming the database.
    void unknownRecordedRevisionIsAProblem()
    {
        const ConnectionProfile staging = sqliteProfile(QStringLiteral("staging"), m_stagingDb);
        stamp(staging, {QStringLiteral("deadbeef0001")});
        ProfileStore::save(m_ini, {staging});
        MainWindow w;
        w.openProject(m_ini);
        QTRY_VERIFY(w.hasProject());
        auto problem = [&w] {
            ProblemsModel *m = w.problemsModel();
            for (int row = 0; row < m->rowCount(); ++row) {
                const QString message =
                    m->index(row, ProblemsModel::MessageColumn).data().toString();
                if (message.contains(u"deadbeef0001"))
                    return message;
            }
            return QString();
        };
        QTRY_VERIFY(!problem().isEmpty());
        QVERIFY(problem().contains(u"'staging'"));
        QTRY_VERIFY(statusText(w).contains(u"which this project does not have"));
    }

    // A database that cannot be read says so in its row; the window goes on.
    void unreadableDatabaseIsReported()
    {
        ConnectionProfile broken = sqliteProfile(QStringLiteral("broken"), m_stagingDb);
        QFile junk(m_stagingDb);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x')); // not a database
        junk.close();
        ProfileStore::save(m_ini, {broken});
        MainWindow w;
        w.openProject(m_ini);
        QTRY_VERIFY(w.hasProject());
        const MonitoredDatabase *db = nullptr;
        QTRY_VERIFY((db = w.databases()->find(QStringLiteral("broken"))) &&
                    db->status == MonitoredDatabase::Status::Failed);
        QVERIFY2(db->error.contains(u"not a database", Qt::CaseInsensitive), qPrintable(db->error));
        QTreeWidget *list = w.connectionsPanel()->list();
        QTRY_VERIFY(list->topLevelItemCount() >= 1);
        QVERIFY(list->topLevelItem(0)->toolTip(1).contains(u"not a database", Qt::CaseInsensitive));
    }

    // The dialog: a pasted URL fills the fields; the profile comes back the
    // same; a name in use is refused; the password never reaches settings.
    void profileDialogFillsFromUrl()
    {
        ProfileDialog d(ConnectionProfile(), {QStringLiteral("dev")}, m_dir->path());
        QVERIFY(d.fillFromUrl(QStringLiteral(
            "postgresql+psycopg2://app:s3cret@127.0.0.1:5433/sales?sslmode=require")));
        QVERIFY(!d.urlEdit()->text().contains(u"s3cret"));
        QCOMPARE(d.passwordEdit()->text(), QStringLiteral("s3cret"));
        d.nameEdit()->setText(QStringLiteral("dev"));
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Rejected)); // the name is taken
        d.nameEdit()->setText(QStringLiteral("prod"));
        d.sharedBox()->setChecked(true);
        const auto p = d.profile();
        QVERIFY(bool(p));
        QCOMPARE(p->driver, ConnectionProfile::Driver::PostgreSQL);
        QCOMPARE(p->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(p->port, 5433);
        QCOMPARE(p->database, QStringLiteral("sales"));
        QCOMPARE(p->options.value(QStringLiteral("sslmode")), QStringLiteral("require"));
        QCOMPARE(p->alembicUrl(),
                 QStringLiteral("postgresql+psycopg2://app@127.0.0.1:5433/sales?sslmode=require"));
        QVERIFY(p->shared);

        // Saved through the panel: the password is kept apart from settings.
        ProfileStore::save(m_ini, {});
        DatabaseMonitor monitor;
        auto config = ProjectConfig::open(m_ini);
        QVERIFY(bool(config));
        monitor.setProject(config.value(), RevisionGraph());
        ConnectionsPanel panel(&monitor);
        panel.saveProfile(p.value());
        QSettings().sync();
        QFile settingsFile(QSettings().fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        const QByteArray written = settingsFile.readAll();
        QVERIFY(written.contains("sales"));
        QVERIFY(!written.contains("s3cret"));
        QCOMPARE(ProfileStore::load(m_ini).value(0).name, QStringLiteral("prod"));
        QVERIFY(ProfileStore::load(m_ini).value(0).shared);
    }

    // Test connects off the GUI thread and reports the database's own words:
    // a closed loopback port fails within the timeout; a SQLite file succeeds.
    void profileDialogTest()
    {
        const quint16 closedPort = closedLoopbackPort();
        ProfileDialog d(ConnectionProfile(), {}, m_dir->path());
        d.nameEdit()->setText(QStringLiteral("nowhere"));
        QVERIFY(d.fillFromUrl(
            QStringLiteral("postgresql://app:pw@127.0.0.1:%1/sales").arg(closedPort)));
        QSignalSpy finished(&d, &ProfileDialog::testFinished);
        d.startTest();
        QCOMPARE(d.testResult()->text(), QStringLiteral("Connecting…")); // not blocked
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        const QString why = finished.at(0).at(1).toString();
        QVERIFY2(why.contains(u"127.0.0.1"), qPrintable(why));
        QVERIFY(!why.contains(u"pw@"));

        stamp(sqliteProfile(QStringLiteral("x"), m_stagingDb),
              {QStringLiteral("003_add_team_members")});
        QVERIFY(d.fillFromUrl(QStringLiteral("sqlite:///staging.db")));
        d.startTest();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 15000);
        QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(finished.at(1).at(1).toString()));
        QVERIFY(finished.at(1).at(1).toString().contains(u"003_add_team_members"));

        // Testing a SQLite database that is not there says so and makes no file.
        QVERIFY(d.fillFromUrl(QStringLiteral("sqlite:///absent.db")));
        d.startTest();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 15000);
        QVERIFY(finished.at(2).at(0).toBool());
        QVERIFY2(finished.at(2).at(1).toString().contains(u"does not exist yet (at base)"),
                 qPrintable(finished.at(2).at(1).toString()));
        QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("absent.db"))));
    }

    // A rename preview warns from what the window knows of the databases,
    // and is made again when a database is read anew while it is open.
    void openPreviewFollowsTheDatabases()
    {
        const ConnectionProfile staging = sqliteProfile(QStringLiteral("staging"), m_stagingDb);
        stamp(staging, {QStringLiteral("005_index_users_email")});
        ProfileStore::save(m_ini, {staging});
        MainWindow w;
        w.show();
        w.openProject(m_ini);
        QTRY_VERIFY(w.hasProject());
        QTRY_VERIFY(statusText(w).contains(QStringLiteral("staging: 8 behind head")));
        QStringList seen;
        auto *driver = new QTimer(&w);
        connect(driver, &QTimer::timeout, this, [&] {
            auto *dialog = qobject_cast<PlanDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            if (seen.isEmpty()) {
                seen << (dialog->problemText().contains(u"has applied") ? "warned" : "quiet");
                // Someone applies the fresh revision to staging meanwhile.
                stamp(staging, {QStringLiteral("3f9a1c2b7d4e")});
                w.databases()->refresh();
                seen << QString();
            } else if (dialog->problemText().contains(u"has applied 3f9a1c2b7d4e")) {
                seen.last() = QStringLiteral("warned");
                driver->stop();
                dialog->reject();
            }
        });
        driver->start(20);
        QTimer::singleShot(10000, &w, [] {
            if (auto *dialog = qobject_cast<PlanDialog *>(QApplication::activeModalWidget()))
                dialog->reject(); // never warned: the test fails below
        });
        w.normalizeRevision(QStringLiteral("3f9a1c2b7d4e"));
        QCOMPARE(seen, (QStringList{"quiet", "warned"}));
    }

    // Opening a project reads every database it knows; one that is a SQLite
    // file not made yet is at base, and reading it leaves no file behind.
    void missingSqliteFileStaysMissing()
    {
        ProfileStore::save(m_ini, {sqliteProfile(QStringLiteral("local"), m_stagingDb)});
        QVERIFY(!QFileInfo::exists(m_projectDb));
        MainWindow w;
        w.resize(1024, 700);
        w.show();
        w.openProject(m_ini);
        QTRY_VERIFY(w.hasProject());
        QTRY_VERIFY2(statusText(w).contains(QStringLiteral("local: 13 behind head")),
                     qPrintable(statusText(w)));
        QTRY_VERIFY(pending(w, QStringLiteral("001_create_users")));
        QVERIFY(!QFileInfo::exists(m_projectDb));
        QVERIFY(!QFileInfo::exists(m_stagingDb));
    }

    // +1 at a branch point asks which branch; the plan follows the answer.
    void ambiguousStepAsksWhichBranch()
    {
        const ConnectionProfile dev = sqliteProfile(QStringLiteral("dev"), m_stagingDb);
        stamp(dev, {QStringLiteral("006_add_project_status")});
        ProfileStore::save(m_ini, {dev});
        MainWindow w;
        w.openProject(m_ini);
        QTRY_VERIFY(w.hasProject());
        w.connectionsPanel()->setActive(QStringLiteral("dev"));
        QTRY_VERIFY(w.databases()->find(QStringLiteral("dev"))->status ==
                    MonitoredDatabase::Status::Ready);
        QStringList offered;
        auto *timer = new QTimer(&w);
        connect(timer, &QTimer::timeout, timer, [timer, &offered] {
            if (auto *d = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
                timer->stop();
                offered = d->comboBoxItems();
                d->setTextValue(QStringLiteral("008_add_user_avatar"));
                d->accept();
            }
        });
        timer->start(20);
        QVERIFY(w.databaseActions()->migrate(QStringLiteral("+1"), true));
        QCOMPARE(offered, (QStringList{QStringLiteral("007_create_audit_log"),
                                       QStringLiteral("008_add_user_avatar")}));
        QCOMPARE(w.databaseActions()->run()->target(), QStringLiteral("008_add_user_avatar"));
        QCOMPARE(w.databaseActions()->run()->steps().size(), 1);
        QCOMPARE(w.databaseActions()->run()->steps().at(0).revision,
                 QStringLiteral("008_add_user_avatar"));
    }

    // A PostgreSQL profile (pg_virtualenv): its position shows and moves.
    void postgresProfileOnTheGraph()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server (run under pg_virtualenv)");
        ConnectionProfile pg = TestUtil::postgresProfile();
        pg.name = QStringLiteral("pg");
        pg.versionTable = QStringLiteral("retort_ui_version");
        stamp(pg, {QStringLiteral("004_create_projects")});
        ConnectionProfile saved = pg;
        const QString password = saved.password;
        saved.password.clear();
        ProfileStore::save(m_ini, {saved});
        MainWindow w;
        w.openProject(m_ini);
        QTRY_VERIFY(w.hasProject());
        // No keyring in the tests: the session password, as the window asks.
        w.databases()->setSessionPassword(QStringLiteral("pg"), password);
        QTRY_VERIFY(hasDatabaseBadge(badgesOf(w, QStringLiteral("004_create_projects")),
                                     QStringLiteral("pg")));
        stamp(pg, {QStringLiteral("005_index_users_email")});
        w.databases()->refresh();
        QTRY_VERIFY(hasDatabaseBadge(badgesOf(w, QStringLiteral("005_index_users_email")),
                                     QStringLiteral("pg")));
        stamp(pg, {}); // back at base, and no tables: the steps below really run
        w.databases()->refresh();
        QTRY_VERIFY(w.databases()->find(QStringLiteral("pg"))->status ==
                        MonitoredDatabase::Status::Ready &&
                    w.databases()->find(QStringLiteral("pg"))->state.recorded.isEmpty());

        // Steps on PostgreSQL from the runner: the badge follows.
        w.connectionsPanel()->setActive(QStringLiteral("pg"));
        MigrationRun *run = w.databaseActions()->run();
        QVERIFY(w.databaseActions()->migrate(QStringLiteral("002_create_teams"), true));
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Ready, 60000);
        QVERIFY(w.databaseActions()->panel()->sqlOfStep(0).contains(u"CREATE TABLE users"));
        run->runNext();
        QTRY_VERIFY_WITH_TIMEOUT(run->state() != MigrationRun::State::Running, 30000);
        QVERIFY2(run->state() == MigrationRun::State::Paused, qPrintable(run->error()));
        QTRY_VERIFY(hasDatabaseBadge(badgesOf(w, QStringLiteral("001_create_users")),
                                     QStringLiteral("pg")));
        run->runAll();
        QTRY_COMPARE_WITH_TIMEOUT(run->state(), MigrationRun::State::Finished, 30000);
        QTRY_VERIFY(hasDatabaseBadge(badgesOf(w, QStringLiteral("002_create_teams")),
                                     QStringLiteral("pg")));
        {
            ScopedConnection c(pg);
            QString error;
            QVERIFY(c.open(&error));
            QSqlQuery(c.database()).exec(QStringLiteral("DROP TABLE IF EXISTS teams"));
            QSqlQuery(c.database()).exec(QStringLiteral("DROP TABLE IF EXISTS users"));
        }
        ScopedConnection c(pg);
        QString error;
        QVERIFY(c.open(&error));
        QSqlQuery(c.database()).exec(QStringLiteral("DROP TABLE retort_ui_version"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_ini;
    QString m_projectDb;
    QString m_stagingDb;
};

QTEST_MAIN(TestDatabases)
#include "tst_databases.moc"
