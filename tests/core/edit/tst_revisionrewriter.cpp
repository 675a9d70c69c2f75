#include "core/db/profilestore.h"
#include "core/edit/revisionrewriter.h"
#include "core/edit/unifieddiff.h"
#include "core/project.h"
#include "pgtest.h"
#include "testutil.h"

#include "core/db/scopedconnection.h"
#include "core/db/versiontable.h"

#include <QDirIterator>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Retort;
using TestUtil::writeFile;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file below `dir` with its bytes, to prove nothing changed.
QMap<QString, QByteArray> snapshot(const QString &dir)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (!path.contains(QStringLiteral("/.git/")))
            out.insert(path, readAll(path));
    }
    return out;
}

bool run(const QString &program, const QStringList &args, const QString &dir,
         QByteArray *out = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, args);
    const bool ok =
        p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (out)
        *out = p.readAllStandardOutput();
    return ok;
}

// A SQLite database whose alembic_version records `id`.
bool recordVersion(const QString &path, const QString &id)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "fixture");
        db.setDatabaseName(path);
        QSqlQuery q(db);
        ok =
            db.open() &&
            q.exec("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)") &&
            q.exec("INSERT INTO alembic_version VALUES ('" + id + "')");
        db.close();
    }
    QSqlDatabase::removeDatabase("fixture");
    return ok;
}

// A sequential project: 001_a <- 002_b, plus whatever the test adds.
class Fixture
{
public:
    Fixture()
    {
        writeFile(dir.path(), "alembic.ini",
                  "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = "
                  "sqlite:///%(here)s/app.db\n");
        writeFile(dir.path(), "m/versions/001_a.py", TestUtil::revisionSource("001_a", ""));
        writeFile(dir.path(), "m/versions/002_b.py", TestUtil::revisionSource("002_b", "001_a"));
    }
    QString versions(const QString &name = {}) const { return dir.filePath("m/versions/" + name); }
    Project project() const
    {
        auto p = Project::open(dir.filePath("alembic.ini"));
        if (!p)
            qFatal("%s", qPrintable(p.error()));
        return p.value();
    }
    QTemporaryDir dir;
};

// The fresh revision in the awkward styles real files use: double quotes,
// annotations, CRLF line endings.
const QByteArray kFresh =
    "\"\"\"Add the users' email column\r\n\r\nRevision ID: 9c1d2e3f4a5b\r\nRevises: 002_b\r\n"
    "Create Date: 2026-11-27 10:00:00\r\n\r\n\"\"\"\r\nfrom alembic import op\r\n\r\n"
    "revision: str = \"9c1d2e3f4a5b\"\r\n"
    "down_revision: Union[str, None] = \"002_b\"\r\n\r\n"
    "def upgrade():\r\n    pass\r\n\r\ndef downgrade():\r\n    pass\r\n";

} // namespace

class TestRevisionRewriter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("RetortTest");
        QCoreApplication::setApplicationName("RetortRewriterTest");
    }

    void diff()
    {
        QCOMPARE(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", "a/x", "b/x"),
                 QStringLiteral("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"));
        QCOMPARE(unifiedDiff("same\n", "same\n", "a", "b"), QString());
        QCOMPARE(unifiedDiff("", "new\n", "/dev/null", "b/x"),
                 QStringLiteral("--- /dev/null\n+++ b/x\n@@ -0,0 +1,1 @@\n+new\n"));
    }

    void normalizeRewritesEveryReference()
    {
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_add_users_email.py", kFresh);
        // a child on the fresh revision (merge tuple, single quotes) and a dependent
        writeFile(fx.versions(), "004_c.py",
                  "\"\"\"c\n\nRevision ID: 004_c\nRevises: 002_b, 9c1d2e3f4a5b\n\"\"\"\n"
                  "revision = '004_c'\ndown_revision = (\n    '002_b',\n    '9c1d2e3f4a5b',\n)\n");
        writeFile(fx.versions(), "005_d.py",
                  "revision = '005_d'\ndown_revision = '004_c'\ndepends_on = ['9c1d2e3f4a5b']\n");
        const Project p = fx.project();
        auto plan = RevisionRewriter(p).normalize({"9c1d"});
        QVERIFY2(plan, qPrintable(plan.error()));
        QCOMPARE(plan->title,
                 QStringLiteral("Normalize 9c1d2e3f4a5b → 006_add_the_users_email_column"));
        QCOMPARE(plan->edits.size(), 3);
        QVERIFY(plan->warnings.isEmpty());
        const QString diff = plan->diff(fx.dir.path());
        QVERIFY2(diff.contains("rename from m/versions/9c1d2e3f4a5b_add_users_email.py\n"
                               "rename to m/versions/006_add_the_users_email_column.py"),
                 qPrintable(diff));
        QVERIFY(diff.contains("-revision: str = \"9c1d2e3f4a5b\"\n+revision: str = "
                              "\"006_add_the_users_email_column\""));
        auto undo = plan->apply();
        QVERIFY2(undo, qPrintable(undo.error()));

        const QByteArray fresh = readAll(fx.versions("006_add_the_users_email_column.py"));
        QVERIFY(!QFile::exists(fx.versions("9c1d2e3f4a5b_add_users_email.py")));
        QVERIFY(fresh.contains("revision: str = \"006_add_the_users_email_column\"\r\n"));
        QVERIFY(fresh.contains("Revision ID: 006_add_the_users_email_column\r\n"));
        QCOMPARE(fresh.count("\r\n"), kFresh.count("\r\n"));
        QCOMPARE(fresh.count('\n'), kFresh.count('\n'));
        const QByteArray child = readAll(fx.versions("004_c.py"));
        QVERIFY(child.contains(
            "down_revision = (\n    '002_b',\n    '006_add_the_users_email_column',\n)"));
        QVERIFY(child.contains("Revises: 002_b, 006_add_the_users_email_column\n"));
        QVERIFY(readAll(fx.versions("005_d.py"))
                    .contains("depends_on = ['006_add_the_users_email_column']"));
        // the project reads whole again
        const Project after = fx.project();
        QVERIFY(!hasErrors(after.graph.diagnostics()));
        QCOMPARE(after.graph.heads().size(), 1);

        // undo puts every byte and name back
        const auto before = snapshot(fx.dir.path());
        auto redo = undo->apply();
        QVERIFY2(redo, qPrintable(redo.error()));
        QVERIFY(QFile::exists(fx.versions("9c1d2e3f4a5b_add_users_email.py")));
        QCOMPARE(readAll(fx.versions("9c1d2e3f4a5b_add_users_email.py")), kFresh);
        QVERIFY(snapshot(fx.dir.path()) != before);
    }

    void numberAndSlugCanBeChosen()
    {
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        auto plan = RevisionRewriter(fx.project()).normalize({"9c1d2e3f4a5b_x.py"}, 7, "email");
        QVERIFY2(plan, qPrintable(plan.error()));
        QVERIFY(plan->title.endsWith(QStringLiteral("→ 007_email")));
    }

    void idsMustFit_data()
    {
        QTest::addColumn<QString>("slug");
        QTest::addColumn<QString>("error");
        QTest::newRow("33 characters") << "abcdefghijklmnopqrstuvwxyz12345"
                                       << "has 35 characters";
        QTest::newRow("32 fits") << "abcdefghijklmnopqrstuvwxyz12" << QString();
        QTest::newRow("dash") << "add-email"
                              << "@ - + :";
        QTest::newRow("taken") << "b"
                               << "already taken";
        QTest::newRow("space") << "add email"
                               << "may only contain";
    }
    void idsMustFit()
    {
        QFETCH(QString, slug);
        QFETCH(QString, error);
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        const int number = slug == u"b" ? 2 : 3;
        auto plan = RevisionRewriter(fx.project()).normalize({"9c1d2e3f4a5b"}, number, slug);
        if (error.isEmpty()) {
            QVERIFY2(plan, qPrintable(plan.error()));
        } else {
            QVERIFY(!plan);
            QVERIFY2(plan.error().contains(error), qPrintable(plan.error()));
        }
    }

    void longMessagesAreShortenedAtAWord()
    {
        Fixture fx;
        QByteArray src = kFresh;
        src.replace("Add the users' email column",
                    "Add an index on the email column of the users table for lookups");
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", src);
        auto plan = RevisionRewriter(fx.project()).normalize({});
        QVERIFY2(plan, qPrintable(plan.error()));
        QVERIFY(plan->title.endsWith(QStringLiteral("→ 003_add_an_index_on_the_email")));
        QCOMPARE(plan->notes.size(), 1);
        QVERIFY(plan->notes.first().contains("shortened"));
    }

    void aFailureHalfwayLeavesEveryFileAsItWas()
    {
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        writeFile(fx.versions(), "004_c.py",
                  "revision = '004_c'\ndown_revision = '9c1d2e3f4a5b'\n");
        const Project p = fx.project();
        auto plan = RevisionRewriter(p).normalize({});
        QVERIFY(plan);
        QCOMPARE(plan->edits.size(), 2);
        const auto before = snapshot(fx.dir.path());
        // An immutable file cannot be replaced, not even by root.
        const QString locked = fx.versions("004_c.py");
        if (!run("chattr", {"+i", locked}, fx.dir.path()))
            QSKIP("chattr +i is not supported on this file system");
        auto result = plan->apply();
        run("chattr", {"-i", locked}, fx.dir.path());
        QVERIFY(!result);
        QVERIFY2(result.error().contains("004_c.py") &&
                     result.error().contains("Every file is as it was"),
                 qPrintable(result.error()));
        QCOMPARE(snapshot(fx.dir.path()), before);
    }

    void staleOrTakenTargetsRefuseBeforeWriting()
    {
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        auto plan = RevisionRewriter(fx.project()).normalize({});
        QVERIFY(plan);
        writeFile(fx.versions(), "002_b.py",
                  readAll(fx.versions("002_b.py")) + "# edited meanwhile\n");
        // 002_b is not in this plan, so it may change; the fresh file may not
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh + "# edited\r\n");
        const auto before = snapshot(fx.dir.path());
        auto stale = plan->apply();
        QVERIFY(!stale);
        QVERIFY(stale.error().contains("changed since the preview"));
        QCOMPARE(snapshot(fx.dir.path()), before);

        auto fresh = RevisionRewriter(fx.project()).normalize({});
        QVERIFY(fresh);
        writeFile(fx.versions(), "003_add_the_users_email_column.py", "# someone else's file\n");
        auto taken = fresh->apply();
        QVERIFY(!taken);
        QVERIFY(taken.error().contains("already exists"));
    }

    // A file that cannot be read whole may name the renamed id: the plan
    // refuses rather than leave it pointing at an id that no longer exists.
    void unreadableReferrersBlockTheRename_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("blocks");
        QTest::newRow("syntax error naming the id")
            << QByteArray("revision = '006_x'\ndown_revision = '9c1d2e3f4a5b'\ndef f(:\n") << true;
        QTest::newRow("not a literal naming the id")
            << QByteArray("revision = '006_x'\ndown_revision = str('9c1d2e3f4a5b')\n") << true;
        QTest::newRow("unknown encoding naming the id")
            << QByteArray("# coding: klingon\nrevision = '006_x'\ndown_revision = '9c1d2e3f4a5b'\n")
            << true;
        QTest::newRow("broken file that does not name it")
            << QByteArray("revision = '006_x'\ndown_revision = '002_b'\ndef f(:\n") << false;
    }
    void unreadableReferrersBlockTheRename()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, blocks);
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_add_users_email.py", kFresh);
        writeFile(fx.versions(), "006_x.py", content);
        const Project p = fx.project();
        const auto before = snapshot(fx.dir.path());
        auto plan = RevisionRewriter(p).normalize({"9c1d"});
        QCOMPARE(bool(plan), !blocks);
        if (blocks) {
            QVERIFY2(plan.error().contains("006_x.py"), qPrintable(plan.error()));
            QCOMPARE(snapshot(fx.dir.path()), before);
        }
    }

    // The plan reads its own result back and refuses what would not read as
    // intended (here: an id that would end the string literal early).
    void resultsThatDoNotReadBackAreRefused()
    {
        Fixture fx;
        writeFile(fx.versions(), "003_c.py", "revision = '003_c'\ndown_revision = '002_b'\n");
        // 004 names its parent in a raw string with a backslash-free quote style
        writeFile(fx.versions(), "004_d.py", "revision = '004_d'\ndown_revision = '003_c'\n");
        const Project p = fx.project();
        auto plan = RevisionRewriter(p).reparent("004_d", "001_a");
        QVERIFY2(plan, qPrintable(plan.error()));
        // down_revision literal whose quote would be closed by the id itself
        writeFile(fx.versions(), "005_e.py", "revision = \"it's\"\ndown_revision = '002_b'\n");
        writeFile(fx.versions(), "006_f.py", "revision = '006_f'\ndown_revision = '004_d'\n");
        const Project q = fx.project();
        auto bad = RevisionRewriter(q).reparent("006_f", "it's");
        QVERIFY(!bad);
        QVERIFY2(bad.error().contains("read back"), qPrintable(bad.error()));
    }

    void appliedRevisionsNeedConfirmation()
    {
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        QVERIFY(recordVersion(fx.dir.filePath("app.db"), "9c1d2e3f4a5b"));
        auto plan = RevisionRewriter(fx.project()).normalize({});
        QVERIFY(plan);
        QVERIFY(plan->needsConfirmation());
        QVERIFY2(plan->warnings.first().contains("app.db) has applied 9c1d2e3f4a5b"),
                 qPrintable(plan->warnings.first()));
    }

    // Every saved profile's database is looked into too: SQLite read-only
    // at once, a server with a short timeout; one that cannot be read is
    // named with why.
    void savedProfilesAreCheckedToo()
    {
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        QVERIFY(recordVersion(fx.dir.filePath("staging-copy.db"), "9c1d2e3f4a5b"));
        auto staging = ConnectionProfile::fromUrl("sqlite:///staging-copy.db", fx.dir.path());
        staging.value().name = "staging";
        // A closed loopback port: refused at once.
        auto server = ConnectionProfile::fromUrl("postgresql://app@127.0.0.1:1/app");
        server.value().name = "prod";
        ProfileStore::save(fx.dir.filePath("alembic.ini"), {staging.value(), server.value()});
        auto plan = RevisionRewriter(fx.project()).normalize({});
        QVERIFY(plan);
        QVERIFY(plan->needsConfirmation());
        QVERIFY2(plan->warnings.join('\n').contains("The database staging (sqlite:///"),
                 qPrintable(plan->warnings.join('\n')));
        QVERIFY2(plan->notes.join('\n').contains(
                     "could not read prod (postgresql://app@127.0.0.1:1/app)"),
                 qPrintable(plan->notes.join('\n')));
        ProfileStore::save(fx.dir.filePath("alembic.ini"), {});
    }

    // A PostgreSQL profile that has applied the revision: the warning names it.
    void serverProfilesAreReadToo()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server (run under pg_virtualenv)");
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        ConnectionProfile pg = TestUtil::postgresProfile();
        pg.name = "shared-pg";
        pg.versionTable = "retort_rename_check";
        {
            ScopedConnection c(pg);
            QString error;
            QVERIFY2(c.open(&error), qPrintable(error));
            QVERIFY(VersionTable::stamp(c, {"9c1d2e3f4a5b"}));
        }
        ConnectionProfile saved = pg;
        saved.password.clear(); // as saved: the password comes from the environment here
        qputenv("RETORT_DB_PASSWORD", pg.password.toUtf8());
        ProfileStore::save(fx.dir.filePath("alembic.ini"), {saved});
        auto plan = RevisionRewriter(fx.project()).normalize({});
        qunsetenv("RETORT_DB_PASSWORD");
        QVERIFY(plan);
        QVERIFY2(plan->warnings.join('\n').contains("The database shared-pg (postgresql://"),
                 qPrintable(plan->warnings.join('\n') + plan->notes.join('\n')));
        ProfileStore::save(fx.dir.filePath("alembic.ini"), {});
        ScopedConnection c(pg);
        QString error;
        QVERIFY(c.open(&error));
        QSqlQuery(c.database()).exec("DROP TABLE retort_rename_check");
    }

    // The window passes what it last read: nothing is connected to.
    void knownReadingsAreUsedAsGiven()
    {
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        RecordedVersions prod{
            "prod", "postgresql://app@db.internal/app", true, {}, {"9c1d2e3f4a5b"}};
        RecordedVersions dev{"dev", "sqlite:///dev.db", false, "database is locked", {}};
        RecordedVersions ci{"ci", "sqlite:///ci.db", false, {}, {}}; // a reading on its way
        auto plan =
            RevisionRewriter(fx.project(), QList<RecordedVersions>{prod, dev, ci}).normalize({});
        QVERIFY(plan);
        QVERIFY(plan->warnings.join('\n').contains(
            "The database prod (postgresql://app@db.internal/app) has applied 9c1d2e3f4a5b"));
        QVERIFY(plan->notes.join('\n').contains(
            "could not read dev (sqlite:///dev.db): database is locked; if it has applied"));
        QVERIFY(plan->notes.join('\n').contains(
            "Retort is still reading ci (sqlite:///ci.db); if it has applied"));
    }

    void renamesAreGitMovesInAWorkTree()
    {
        Fixture fx;
        writeFile(fx.versions(), "9c1d2e3f4a5b_x.py", kFresh);
        const QString d = fx.dir.path();
        QVERIFY(run("git", {"init", "-q"}, d));
        QVERIFY(run("git", {"add", "-A"}, d));
        QVERIFY(
            run("git", {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init"}, d));
        auto plan = RevisionRewriter(fx.project()).normalize({});
        QVERIFY(plan);
        QVERIFY2(plan->apply(), "apply failed");
        QByteArray status;
        QVERIFY(run("git", {"status", "--porcelain"}, d, &status));
        // staged as a rename (the rewritten lines are left for the user to stage)
        QVERIFY2(
            status.startsWith("R") &&
                status.contains(
                    "m/versions/9c1d2e3f4a5b_x.py -> m/versions/003_add_the_users_email_column.py"),
            status.constData());
    }

    void mergeWritesATupleRevision()
    {
        Fixture fx;
        writeFile(fx.versions(), "003_c.py", TestUtil::revisionSource("003_c", "001_a"));
        auto plan = RevisionRewriter(fx.project()).merge("merge b and c");
        QVERIFY2(plan, qPrintable(plan.error()));
        QCOMPARE(plan->edits.size(), 1);
        QVERIFY(!plan->edits.first().before);
        QCOMPARE(plan->edits.first().path, fx.versions("004_merge_b_and_c.py"));
        QVERIFY(plan->apply());
        const Project after = fx.project();
        QCOMPARE(after.graph.heads().size(), 1);
        const Revision &m = after.graph.revision(after.graph.indexOf("004_merge_b_and_c"));
        QCOMPARE(m.downRevisions, (QStringList{"002_b", "003_c"}));
        QVERIFY(after.lintDiagnostics.isEmpty());
        QVERIFY(!RevisionRewriter(after).merge());
    }

    void reparentMovesARevisionOntoTheOtherHead()
    {
        Fixture fx;
        // two branches each added number 002
        writeFile(fx.versions(), "002_c.py", TestUtil::revisionSource("002_c", "001_a"));
        writeFile(fx.versions(), "003_d.py", TestUtil::revisionSource("003_d", "002_c"));
        auto plan = RevisionRewriter(fx.project()).reparent("002_c", "002_b");
        QVERIFY2(plan, qPrintable(plan.error()));
        QVERIFY(plan->apply());
        const Project after = fx.project();
        QVERIFY2(after.graph.indexOf("004_c") >= 0, "renumbered after everything");
        QCOMPARE(after.graph.revision(after.graph.indexOf("004_c")).downRevisions,
                 QStringList{"002_b"});
        QCOMPARE(after.graph.revision(after.graph.indexOf("003_d")).downRevisions,
                 QStringList{"004_c"});
        QVERIFY(readAll(fx.versions("004_c.py")).contains("Revises: 002_b\n"));
        QVERIFY(!RevisionRewriter(after).reparent("002_b", "003_d")); // would make a cycle
    }
};

QTEST_GUILESS_MAIN(TestRevisionRewriter)
#include "tst_revisionrewriter.moc"
