// The `retort` executable as a user runs it: exit codes, stdout, stderr.
#include "core/db/scopedconnection.h"
#include "pgtest.h"
#include "testutil.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using TestUtil::revisionSource;
using TestUtil::writeFile;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run retort(const QStringList &args, const QString &workDir = {},
           const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(QStringLiteral(RETORT_BINARY), args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
        qFatal("retort did not finish");
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// `retort ARGS` on a terminal (a pty from script(1)): each time a prompt
// (a line ending in "? [y/N] " or ": ") shows, the next of `answers` is typed.
Run retortAtTerminal(const QStringList &args, const QString &workDir,
                     const QProcessEnvironment &env, const QStringList &answers)
{
    QStringList quoted;
    for (const QString &a : QStringList{QStringLiteral(RETORT_BINARY)} + args)
        quoted << u'\'' + a + u'\'';
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(workDir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("script"),
            {QStringLiteral("-qec"), quoted.join(u' '), QStringLiteral("/dev/null")});
    p.waitForStarted();
    QString out;
    int answered = 0;
    QElapsedTimer clock;
    clock.start();
    while (p.state() != QProcess::NotRunning && clock.elapsed() < 120000) {
        p.waitForReadyRead(100);
        out += QString::fromUtf8(p.readAll());
        const int prompts = int(out.count(QStringLiteral("[y/N] ")) +
                                out.count(QStringLiteral("anything else to stop: ")));
        if (prompts > answered && answered < answers.size())
            p.write((answers.at(answered++) + u'\n').toUtf8());
    }
    if (p.state() != QProcess::NotRunning && !p.waitForFinished(1000))
        qFatal("retort did not finish");
    out += QString::fromUtf8(p.readAll());
    return {p.exitCode(), out, QString()};
}

using Retort::ScopedConnection;

// The environment with settings and data in `dir`, never the user's own.
QProcessEnvironment isolated(const QTemporaryDir &dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_CONFIG_HOME", dir.filePath("config"));
    env.insert("XDG_DATA_HOME", dir.filePath("data"));
    return env;
}

const QString kDemo = QStringLiteral(RETORT_SOURCE_DIR "/resources/demo/alembic.ini");

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    // What this machine has: the real Alembic and drivers, and a project
    // whose chosen Alembic does not exist (exit 1, the package named).
    void doctorSaysWhatIsThereAndWhatIsMissing()
    {
        const Run ok = retort({"-c", kDemo, "doctor"});
        QCOMPARE(ok.exitCode, 0);
        QProcess alembic;
        alembic.start(QStringLiteral("alembic"), {QStringLiteral("--version")});
        QVERIFY(alembic.waitForFinished(30000));
        const QString version = QString::fromUtf8(alembic.readAll()).trimmed();
        QVERIFY2(ok.out.contains(QStringLiteral("ok       Alembic")) && ok.out.contains(version),
                 qPrintable(ok.out));
        QVERIFY2(ok.out.contains(u"SQLite driver") && ok.out.contains(u"retort-gui module") &&
                     ok.out.contains(u"All the project needs is here."),
                 qPrintable(ok.out));

        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        writeFile(dir.path(), "retort.ini", "[alembic]\ncommand = tools/no-such-alembic\n");
        const Run missing = retort({"doctor"}, dir.path());
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.out.contains(u"MISSING  Alembic") &&
                     missing.out.contains(u"no-such-alembic") &&
                     missing.out.contains(u"sudo apt install alembic"),
                 qPrintable(missing.out));

        // No project here: what Retort itself needs, exit 0.
        QTemporaryDir empty;
        const Run none = retort({"doctor"}, empty.path());
        QCOMPARE(none.exitCode, 0);
        QVERIFY(none.out.contains(u"No project here"));
    }

    // What bash completion asks for: fast, one word per line.
    void completeOffersCommandsRevisionsAndProfiles()
    {
        const Run commands = retort({"complete", "commands"});
        QCOMPARE(commands.exitCode, 0);
        for (const char *c : {"history", "upgrade", "doctor", "schema-diff", "export"})
            QVERIFY2(commands.out.split(u'\n').contains(QString::fromLatin1(c)), c);
        const Run revisions = retort({"-c", kDemo, "complete", "revisions"});
        QCOMPARE(revisions.exitCode, 0);
        const QStringList words = revisions.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(words.contains(u"head") && words.contains(u"009_merge_audit_and_avatar") &&
                words.contains(u"3f9a1c2b7d4e"));
        QCOMPARE(retort({"-c", kDemo, "complete", "nonsense"}).exitCode, 2);
    }

    void historyOfDemo()
    {
        const Run r = retort({"-c", kDemo, "history"});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 13);
        QCOMPARE(lines.first(),
                 QStringLiteral("012_create_labels -> 3f9a1c2b7d4e (head), add invitations"));
        QCOMPARE(lines.last(), QStringLiteral("<base> -> 001_create_users, create users"));
        QVERIFY(r.out.contains("007_create_audit_log, 008_add_user_avatar -> "
                               "009_merge_audit_and_avatar (mergepoint)"));
    }

    void defaultConfigIsInWorkingFolder()
    {
        const Run r = retort({"heads"}, QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("3f9a1c2b7d4e (head)\n"));
    }

    void verboseAndShow()
    {
        const Run v = retort({"-c", kDemo, "history", "--verbose", "-r", "008:009"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("Rev: 009_merge_audit_and_avatar (mergepoint)\nMerges: "
                                 "007_create_audit_log, 008_add_user_avatar\n"));
        const Run s = retort({"-c", kDemo, "show", "006"});
        QCOMPARE(s.exitCode, 0);
        QVERIFY(s.out.contains("Branches into: 007_create_audit_log, 008_add_user_avatar"));
        const Run bad = retort({"-c", kDemo, "show", "00"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.out.isEmpty());
        QCOMPARE(bad.err, QStringLiteral("retort: Can't locate revision identified by '00'\n"));
    }

    void basesAndBranches()
    {
        QCOMPARE(retort({"-c", kDemo, "bases"}).out, QStringLiteral("001_create_users\n"));
        QCOMPARE(retort({"-c", kDemo, "branches"}).out,
                 QStringLiteral("006_add_project_status (branchpoint)\n"
                                "                       -> 007_create_audit_log\n"
                                "                       -> 008_add_user_avatar\n\n"));
    }

    void checkExitCodes()
    {
        // the demo's fresh revision is not reviewed or renamed yet: warnings
        const Run demo = retort({"-c", kDemo, "check"});
        QCOMPARE(demo.exitCode, 1);
        QVERIFY(demo.out.contains(
            "3f9a1c2b7d4e_add_invitations.py:20: warning: unreviewed-autogenerate: "));
        QVERIFY(demo.out.contains("3f9a1c2b7d4e_add_invitations.py:13: warning: naming-prefix: "));
        QVERIFY(!demo.out.contains("data-migration")); // silenced by a comment in 010
        QTemporaryDir clean;
        writeFile(clean.path(), "a.py", revisionSource("a001", ""));
        QCOMPARE(retort({"--versions", clean.path(), "check"}).exitCode, 0);
        QTemporaryDir dir;
        writeFile(dir.path(), "warn/a.py", revisionSource("a001", ""));
        writeFile(dir.path(), "warn/b.py", revisionSource("b002", ""));
        const Run w = retort({"--versions", dir.filePath("warn"), "check"});
        QCOMPARE(w.exitCode, 1);
        QVERIFY(w.out.startsWith("<project>: warning: multiple-heads: "));
        writeFile(dir.path(), "err/a.py", revisionSource("a001", "missing1"));
        const Run e = retort({"--versions", dir.filePath("err"), "check"});
        QCOMPARE(e.exitCode, 2);
        QCOMPARE(e.out, dir.filePath("err/a.py") +
                            QStringLiteral(":7: error: unknown-down-revision: down_revision "
                                           "names 'missing1', which no file in the versions "
                                           "folder declares.\n"));
        // Other commands still work on a project with errors, and say so.
        const Run h = retort({"--versions", dir.filePath("err"), "heads"});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.err.contains("1 error(s)"));
    }

    void normalizeAndMergeEndToEndWithAlembic()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const Run preview = retort({"normalize", "--dry-run"}, dir.path());
        QCOMPARE(preview.exitCode, 0);
        QVERIFY(preview.out.contains("rename to migrations/versions/013_add_invitations.py\n"));
        QVERIFY(QFile::exists(dir.filePath("migrations/versions/3f9a1c2b7d4e_add_invitations.py")));
        const Run normalize = retort({"normalize"}, dir.path());
        QCOMPARE(normalize.exitCode, 0);
        QCOMPARE(normalize.out,
                 QStringLiteral("Normalize 3f9a1c2b7d4e → 013_add_invitations\n"
                                "  renamed migrations/versions/013_add_invitations.py\n"));

        // The real Alembic reads the renamed history whole.
        auto alembic = [&](const QStringList &args) {
            QProcess p;
            p.setWorkingDirectory(dir.path());
            p.start("/usr/bin/alembic", args);
            p.waitForFinished(60000);
            return QString::fromUtf8(p.readAllStandardOutput());
        };
        QCOMPARE(alembic({"heads"}), QStringLiteral("013_add_invitations (head)\n"));
        const QStringList history = alembic({"history"}).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(history.size(), 13);
        QCOMPARE(
            history.first(),
            QStringLiteral("012_create_labels -> 013_add_invitations (head), add invitations"));
        QCOMPARE(history.filter("<base> -> ").size(), 1);
        QFile renamed(dir.filePath("migrations/versions/013_add_invitations.py"));
        QVERIFY(renamed.open(QIODevice::ReadOnly));
        const QByteArray text = renamed.readAll();
        QVERIFY(text.contains("Revision ID: 013_add_invitations\nRevises: 012_create_labels\n"));
        QVERIFY(text.contains("revision = '013_add_invitations'\n"));
        QVERIFY(!retort({"check"}, dir.path()).out.contains("naming-prefix"));
        QCOMPARE(retort({"normalize"}, dir.path()).exitCode, 2); // nothing left to rename

        // Two heads, merged: Alembic agrees there is one head again.
        writeFile(dir.path(), "migrations/versions/014_add_tags.py",
                  TestUtil::revisionSource("014_add_tags", "012_create_labels"));
        QCOMPARE(alembic({"heads"}).split(u'\n', Qt::SkipEmptyParts).size(), 2);
        const Run merge = retort({"merge", "-m", "merge tags"}, dir.path());
        QCOMPARE(merge.exitCode, 0);
        QCOMPARE(alembic({"heads"}), QStringLiteral("015_merge_tags (head)\n"));
    }

    void currentAndPlanOnSQLite()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        QCOMPARE(retort({"current"}, dir.path()).out,
                 "sqlite:///" + dir.filePath("demo.db") + ": at base (no version table yet)\n");
        // Reading a database that is not there yet leaves no file behind.
        const Run fromBase = retort({"plan", "002"}, dir.path());
        QCOMPARE(fromBase.exitCode, 0);
        QVERIFY2(fromBase.out.contains("upgrade  -> 001_"), qPrintable(fromBase.out));
        QVERIFY(!QFileInfo::exists(dir.filePath("demo.db")));
        QProcess alembic;
        alembic.setWorkingDirectory(dir.path());
        alembic.start("/usr/bin/alembic", {"upgrade", "006_add_project_status"});
        QVERIFY(alembic.waitForFinished(60000) && alembic.exitCode() == 0);
        QCOMPARE(retort({"current"}, dir.path()).out,
                 "sqlite:///" + dir.filePath("demo.db") + ": at 006_add_project_status\n");
        const Run plan = retort({"plan", "009"}, dir.path());
        QCOMPARE(plan.exitCode, 0);
        QCOMPARE(
            plan.out.split(u'\n', Qt::SkipEmptyParts).mid(1),
            (QStringList{
                "upgrade 006_add_project_status -> 008_add_user_avatar  (update "
                "006_add_project_status → 008_add_user_avatar)",
                "upgrade 006_add_project_status -> 007_create_audit_log  (insert "
                "007_create_audit_log)",
                "upgrade 007_create_audit_log, 008_add_user_avatar -> 009_merge_audit_and_avatar  "
                "(delete "
                "007_create_audit_log; update 008_add_user_avatar → 009_merge_audit_and_avatar)"}));
        QVERIFY(retort({"plan", "-1"}, dir.path())
                    .out.contains("downgrade 006_add_project_status -> 005_index_users_email"));
        // A database that records a revision this project lacks is named, and nothing is planned.
        QProcess sqlite;
        sqlite.start("sqlite3", {dir.filePath("demo.db"),
                                 "INSERT INTO alembic_version VALUES ('renamed_elsewhere')"});
        QVERIFY(sqlite.waitForFinished(10000) && sqlite.exitCode() == 0);
        const Run unknown = retort({"plan", "heads"}, dir.path());
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(
            unknown.err.contains("records renamed_elsewhere, which this project does not have"));
        QVERIFY(retort({"current"}, dir.path()).out.contains("records renamed_elsewhere"));
        QCOMPARE(retort({"upgrade", "heads"}, dir.path()).exitCode, 1);
        QProcess undo;
        undo.start("sqlite3",
                   {dir.filePath("demo.db"),
                    "DELETE FROM alembic_version WHERE version_num = 'renamed_elsewhere'"});
        QVERIFY(undo.waitForFinished(10000) && undo.exitCode() == 0);
        QCOMPARE(retort({"plan", "nope"}, dir.path()).exitCode, 1);
        const Run unreachable =
            retort({"current", "--url", "postgresql://x@127.0.0.1:1/db"}, dir.path());
        QCOMPARE(unreachable.exitCode, 1);
        QVERIFY(unreachable.err.contains("x@127.0.0.1:1"));
    }

    // SQLite cannot ALTER a column type offline (the demo's 011 uses batch
    // mode): only that step goes to Alembic online, and only when asked; every
    // other step keeps its own preview and transaction; --sql shows 011's SQL
    // from a throwaway copy of the database.
    void revisionsThatCannotRenderOfflineRunOnlineWhenAsked()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QProcessEnvironment env = isolated(dir);
        const Run sql = retort({"upgrade", "heads", "--sql"}, dir.path(), env);
        QCOMPARE(sql.exitCode, 0);
        QVERIFY2(sql.out.contains("-- step 11 of 13: upgrade 011_add_project_paused_status"),
                 qPrintable(sql.out));
        QVERIFY(sql.out.contains("CREATE TABLE _alembic_tmp_projects"));
        QVERIFY(sql.out.contains("ALTER TABLE _alembic_tmp_projects RENAME TO projects"));
        QVERIFY(sql.out.contains("CREATE TABLE labels")); // 012, after it, rendered offline
        // The preview ran on a copy: the database itself is untouched.
        QVERIFY(
            retort({"current"}, dir.path(), env).out.contains("at base (no version table yet)"));

        // Off a terminal, without --online: refused before anything runs.
        const Run refused = retort({"upgrade", "heads"}, dir.path(), env);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY(
            refused.err.contains("Alembic cannot render 011_add_project_paused_status offline"));
        QVERIFY(refused.err.contains("--online"));
        QVERIFY(retort({"current"}, dir.path(), env).out.contains("at base"));

        // At a terminal, "no" at 011: the ten steps before it committed.
        const Run declined = retortAtTerminal({"upgrade", "heads"}, dir.path(), env, {"n"});
        QCOMPARE(declined.exitCode, 1);
        QVERIFY2(
            declined.out.contains("Run it through `alembic upgrade 011_add_project_paused_status`"),
            qPrintable(declined.out));
        QVERIFY(retort({"current"}, dir.path(), env).out.endsWith("at 010_add_project_slug\n"));

        // --online: 011 alone goes to Alembic; the rest run step by step.
        const Run online = retort({"upgrade", "heads", "--online"}, dir.path(), env);
        QCOMPARE(online.exitCode, 0);
        QCOMPARE(online.err.count("runs through `alembic"), 1);
        QVERIFY(online.err.contains("011_add_project_paused_status runs through"));
        QVERIFY(online.out.contains("upgrade 012_create_labels ok"));
        QVERIFY(retort({"current"}, dir.path(), env).out.endsWith("at 3f9a1c2b7d4e (head)\n"));
        // And back, at a terminal, saying yes at 011.
        const Run back =
            retortAtTerminal({"downgrade", "base"}, dir.path(), env, QStringList(10, "y"));
        QVERIFY2(back.exitCode == 0, qPrintable(back.out));
        QVERIFY(retort({"current"}, dir.path(), env).out.contains("at base"));
    }

    void profilesAndGuardedDowngrades()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QProcessEnvironment env = isolated(dir);
        QCOMPARE(
            retort({"profile", "add", "local", "sqlite:///local.db"}, dir.path(), env).exitCode, 0);
        // Never contacted: --no-test saves it untried.
        QCOMPARE(retort({"profile", "add", "prod", "postgresql://app@db.example.com/app",
                         "--no-test", "--shared", "--forbid-downgrades"},
                        dir.path(), env)
                     .exitCode,
                 0);
        const Run list = retort({"profile", "list"}, dir.path(), env);
        QVERIFY(list.out.contains("local  sqlite:///" + dir.filePath("local.db")));
        QVERIFY(list.out.contains(
            "prod  postgresql://app@db.example.com/app  (shared)  (no downgrades)"));
        QCOMPARE(retort({"upgrade", "005", "--profile", "local"}, dir.path(), env).exitCode, 0);
        QVERIFY(retort({"current", "--profile", "local"}, dir.path(), env)
                    .out.endsWith("at 005_index_users_email\n"));
        // Refused before anything connects (db.example.com is never contacted).
        const Run forbidden =
            retort({"downgrade", "base", "--profile", "prod", "--yes-i-know"}, dir.path(), env);
        QCOMPARE(forbidden.exitCode, 2);
        QVERIFY(forbidden.err.contains("its profile forbids downgrades"));
        const Run shared = retort(
            {"downgrade", "base", "--url", "postgresql://x@db.example.com/db"}, dir.path(), env);
        QCOMPARE(shared.exitCode, 2);
        QVERIFY(shared.err.contains("it looks shared (not on this machine)"));
        QCOMPARE(retort({"current", "--profile", "nope"}, dir.path(), env).exitCode, 1);
        QCOMPARE(retort({"profile", "remove", "prod"}, dir.path(), env).exitCode, 0);
        QVERIFY(!retort({"profile", "list"}, dir.path(), env).out.contains("prod"));
    }

    // A database another program holds is an error that says so, never "at
    // base" (which would plan everything from scratch).
    void lockedDatabaseIsNotBase()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        QCOMPARE(retort({"stamp", "005"}, dir.path()).exitCode, 0);
        // sqlite3 holds an exclusive lock while it sleeps in a recursive CTE
        QProcess holder;
        holder.start("sqlite3", {dir.filePath("demo.db")});
        QVERIFY(holder.waitForStarted());
        holder.write("BEGIN EXCLUSIVE;\nSELECT 1;\n");
        QTRY_VERIFY_WITH_TIMEOUT(holder.canReadLine() || holder.bytesAvailable() > 0, 5000);
        const QString locked = "sqlite:///demo.db?timeout=0.3";
        for (const QStringList &cmd : {QStringList{"current"}, QStringList{"plan", "head"},
                                       QStringList{"upgrade", "head"}}) {
            const Run r = retort(cmd + QStringList{"--url", locked}, dir.path());
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("locked"), qPrintable(r.err));
            QVERIFY2(!r.out.contains("at base") && !r.out.contains("001_create_users"),
                     qPrintable(r.out));
        }
        holder.write("ROLLBACK;\n.quit\n");
        holder.closeWriteChannel();
        QVERIFY(holder.waitForFinished(5000));
        QVERIFY(retort({"current"}, dir.path()).out.contains("at 005_index_users_email"));
        // a database SQLite opens read-only refuses the stamp, in its own words
        const Run ro = retort({"stamp", "006", "--url", "sqlite:///file:demo.db?mode=ro&uri=true"},
                              dir.path());
        QCOMPARE(ro.exitCode, 1);
        QVERIFY2(ro.err.contains("readonly"), qPrintable(ro.err));
    }

    // Passwords, wherever they stand in a URL, appear nowhere: not in
    // output, errors, or the settings file.
    void passwordsNeverShow()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QProcessEnvironment env = isolated(dir);
        const QString secret = "Sw0rdf1sh";
        const QStringList urls{
            "postgresql://app:" + secret + "@127.0.0.1:1/db?sslmode=disable",
            "postgresql://app@127.0.0.1:1/db?password=" + secret,
            "mysql+pymysql://app@127.0.0.1:1/db?passwd=" + secret,
            "postgresql://app:" + secret + " x@127.0.0.1:1/db",
            "postgresql://app:" + secret + "@127.0.0.1:port/db",
        };
        int n = 0;
        for (const QString &url : urls) {
            const QString name = QString("p%1").arg(n++);
            const Run add = retort({"profile", "add", name, url, "--no-test"}, dir.path(), env);
            QVERIFY2(!add.out.contains(secret) && !add.err.contains(secret),
                     qPrintable(add.out + add.err));
            for (const QStringList &cmd :
                 {QStringList{"current", "--url", url}, QStringList{"plan", "head", "--url", url},
                  QStringList{"current", "--profile", name}}) {
                const Run r = retort(cmd, dir.path(), env);
                QVERIFY2(!r.out.contains(secret) && !r.err.contains(secret),
                         qPrintable(cmd.join(' ') + ": " + r.out + r.err));
            }
        }
        const Run list = retort({"profile", "list"}, dir.path(), env);
        QVERIFY(!list.out.contains(secret));
        QDirIterator files(dir.filePath("config"), QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(files.hasNext());
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(secret.toUtf8()), qPrintable(f.fileName()));
        }
    }

    void upgradeCachesSqlAndLogsRuns()
    {
        QTemporaryDir dir;
        QProcess gen;
        gen.start("/usr/bin/python3", {RETORT_SOURCE_DIR "/bench/generate_history.py",
                                       dir.filePath("p"), "12", "--seed", "3", "--plain"});
        QVERIFY(gen.waitForFinished(60000) && gen.exitCode() == 0);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("RETORT_TIMINGS", "1");
        env.insert("XDG_CACHE_HOME", dir.filePath("cache"));
        env.insert("XDG_DATA_HOME", dir.filePath("data"));
        const QString project = dir.filePath("p");
        const Run first = retort({"upgrade", "heads"}, project, env);
        QCOMPARE(first.exitCode, 0);
        QVERIFY(!first.err.contains("(cached)"));
        QCOMPARE(first.out.count(" ok ("), 12);
        QCOMPARE(retort({"downgrade", "base"}, project, env).exitCode, 0);
        // Each run asks Alembic afresh: nothing rendered earlier is reused.
        const Run again = retort({"upgrade", "heads"}, project, env);
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(!again.err.contains("(cached)"), qPrintable(again.err));
        QCOMPARE(retort({"downgrade", "base"}, project, env).exitCode, 0);
        QVERIFY(!retort({"upgrade", "heads"}, project, env).err.contains("(cached)"));
        // Every run is in the project's log.
        QDirIterator logs(dir.filePath("data"), {"*.jsonl"}, QDir::Files,
                          QDirIterator::Subdirectories);
        QVERIFY(logs.hasNext());
        QFile log(logs.next());
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = log.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 5);
        QVERIFY(lines.first().contains("\"command\":\"upgrade\"") &&
                lines.first().contains("\"ok\":true"));
        // `retort runs` reads it back, one line a run.
        const Run runs = retort({"runs"}, project, env);
        QCOMPARE(runs.exitCode, 0);
        const QStringList shown = runs.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(shown.size(), 5);
        QVERIFY2(shown.first().contains("upgrade heads") && shown.first().contains("  ok  12 step"),
                 qPrintable(shown.first()));
        QVERIFY(shown.at(1).contains("downgrade base"));
    }

    void graphJson()
    {
        const Run r = retort({"-c", kDemo, "graph", "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonArray revisions = root.value("revisions").toArray();
        QCOMPARE(revisions.size(), 13);
        QCOMPARE(root.value("heads").toArray(), QJsonArray{"3f9a1c2b7d4e"});
        QCOMPARE(root.value("bases").toArray(), QJsonArray{"001_create_users"});
        QVERIFY(root.value("diagnostics").isArray());
        QJsonObject merge;
        for (const QJsonValue &v : revisions) {
            if (v["revision"] == "009_merge_audit_and_avatar")
                merge = v.toObject();
        }
        QCOMPARE(merge.value("down_revisions").toArray(),
                 (QJsonArray{"007_create_audit_log", "008_add_user_avatar"}));
        QCOMPARE(merge.value("message").toString(),
                 QStringLiteral("merge audit log and avatar branches"));
        QCOMPARE(merge.value("line").toInt(), 13);
        QVERIFY(merge.value("path").toString().endsWith("/versions/009_merge_audit_and_avatar.py"));
        for (const char *key : {"depends_on", "branch_labels"})
            QVERIFY(merge.value(QLatin1String(key)).isArray());
    }

    void graphDot()
    {
        const Run r = retort({"-c", kDemo, "graph", "--format", "dot"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("digraph revisions {"));
        QVERIFY(r.out.contains("\"007_create_audit_log\" -> \"009_merge_audit_and_avatar\";"));
    }

    void usageErrors()
    {
        const Run unknown = retort({"frobnicate"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("unknown command or option 'frobnicate'"));
        const Run noFormat = retort({"-c", kDemo, "graph"});
        QCOMPARE(noFormat.exitCode, 2);
        QTemporaryDir empty;
        const Run noConfig = retort({"heads"}, empty.path());
        QCOMPARE(noConfig.exitCode, 1);
        QVERIFY(noConfig.err.contains("No config file 'alembic.ini' found in " + empty.path()));
        const Run badRange = retort({"-c", kDemo, "history", "-r", "zzzz:"});
        QCOMPARE(badRange.exitCode, 1);
        QVERIFY(badRange.err.contains("Can't locate revision identified by 'zzzz'"));
        QCOMPARE(retort({"--help"}).exitCode, 0);
        // A file is not a versions folder; an empty --versions= is no value.
        const Run file = retort({"--versions", kDemo, "heads"});
        QCOMPARE(file.exitCode, 1);
        QVERIFY2(file.err.contains("is a file, not a versions folder"), qPrintable(file.err));
        const Run blank = retort({"--versions=", "heads"}, empty.path());
        QCOMPARE(blank.exitCode, 2);
        QVERIFY(blank.err.contains("--versions needs a value"));
        // Extra arguments are refused, as Alembic refuses them.
        for (const QStringList &extra :
             {QStringList{"heads", "x"}, QStringList{"history", "x"}, QStringList{"check", "x"},
              QStringList{"plan", "head", "x"}, QStringList{"merge", "x"}}) {
            const Run r = retort(QStringList{"-c", kDemo} + extra);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("unrecognized argument x"), qPrintable(r.err));
        }
        QCOMPARE(retort({"-c", kDemo, "show"}).exitCode, 2);
    }

    // `retort reviewed` removes Alembic's autogenerate markers and nothing
    // else; the file still imports and the review warning is gone.
    void reviewedRemovesTheMarkers()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QString file = dir.filePath("migrations/versions/3f9a1c2b7d4e_add_invitations.py");
        QFile before(file);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray original = before.readAll();
        QVERIFY(original.contains("### commands auto generated by Alembic"));
        QVERIFY(retort({"check"}, dir.path()).out.contains("unreviewed-autogenerate"));
        const Run dry = retort({"reviewed", "3f9a", "--dry-run"}, dir.path());
        QCOMPARE(dry.exitCode, 0);
        QVERIFY(dry.out.contains("-    # ### commands auto generated by Alembic"));
        const Run r = retort({"reviewed", "3f9a"}, dir.path());
        QCOMPARE(r.exitCode, 0);
        QFile after(file);
        QVERIFY(after.open(QIODevice::ReadOnly));
        const QByteArray now = after.readAll();
        QVERIFY(!now.contains("###"));
        QCOMPARE(now.count('\n'), original.count('\n') - 4);
        QVERIFY(!retort({"check"}, dir.path()).out.contains("unreviewed-autogenerate"));
        QProcess py;
        py.start("/usr/bin/python3", {RETORT_SOURCE_DIR "/tests/conformance/python_read.py", file});
        QVERIFY(py.waitForFinished(30000));
        QVERIFY(py.readAllStandardOutput().contains("\"ok\": true"));
        const Run again = retort({"reviewed", "3f9a"}, dir.path());
        QCOMPARE(again.exitCode, 2);
        QVERIFY(again.err.contains("already marked reviewed"));
    }

    // profile add tries the connection first, and saves nothing that fails.
    void profileAddTestsTheConnection()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QProcessEnvironment env = isolated(dir);
        const Run bad =
            retort({"profile", "add", "closed", "postgresql://x@127.0.0.1:1/db"}, dir.path(), env);
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("127.0.0.1:1") && bad.err.contains("nothing was saved"),
                 qPrintable(bad.err));
        QVERIFY(!retort({"profile", "list"}, dir.path(), env).out.contains("closed"));
        const Run good = retort({"profile", "add", "local", "sqlite:///local.db"}, dir.path(), env);
        QCOMPARE(good.exitCode, 0);
        QVERIFY(good.err.contains("connected to"));
        QVERIFY(retort({"profile", "list"}, dir.path(), env).out.contains("local"));
    }

    // The command line and the window share one settings file; a file an
    // earlier command line wrote under "Unknown Organization" is taken over.
    void settingsAreSharedWithTheWindow()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QProcessEnvironment env = isolated(dir);
        const QString shared = dir.filePath("config/Retort/Retort.conf");
        // A command that uses no profile leaves the settings alone.
        QCOMPARE(retort({"heads"}, dir.path(), env).exitCode, 0);
        QVERIFY(!QFile::exists(shared));
        QCOMPARE(
            retort({"profile", "add", "local", "sqlite:///local.db"}, dir.path(), env).exitCode, 0);
        QVERIFY2(QFile::exists(shared), "not the window's settings file");
        // Pretend an earlier version wrote it under the old name.
        QDir().mkpath(dir.filePath("config/Unknown Organization"));
        QVERIFY(QFile::rename(shared, dir.filePath("config/Unknown Organization/retort.conf")));
        QVERIFY(retort({"profile", "list"}, dir.path(), env).out.contains("local  sqlite:///"));
        QVERIFY(QFile::exists(shared));
    }

    // A stamp of a shared database goes through the guard; a stamp that
    // moves it backwards is a downgrade, which "no downgrades" refuses.
    void stampIsGuarded()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QProcessEnvironment env = isolated(dir);
        QCOMPARE(retort({"profile", "add", "prod", "sqlite:///prod.db", "--shared",
                         "--forbid-downgrades"},
                        dir.path(), env)
                     .exitCode,
                 0);
        QCOMPARE(
            retort({"profile", "add", "team", "sqlite:///team.db", "--shared"}, dir.path(), env)
                .exitCode,
            0);
        const Run unflagged = retort({"stamp", "005", "--profile", "prod"}, dir.path(), env);
        QCOMPARE(unflagged.exitCode, 2);
        QVERIFY(unflagged.err.contains("refusing to stamp"));
        QCOMPARE(
            retort({"stamp", "005", "--profile", "prod", "--yes-i-know"}, dir.path(), env).exitCode,
            0);
        const Run backwards =
            retort({"stamp", "003", "--profile", "prod", "--yes-i-know"}, dir.path(), env);
        QCOMPARE(backwards.exitCode, 2);
        QVERIFY2(backwards.err.contains("forbids downgrades") &&
                     backwards.err.contains("005_index_users_email"),
                 qPrintable(backwards.err));
        QVERIFY(retort({"current", "--profile", "prod"}, dir.path(), env)
                    .out.contains("at 005_index_users_email"));
        // shared but downgrades allowed: the flag is enough
        QCOMPARE(
            retort({"stamp", "005", "--profile", "team", "--yes-i-know"}, dir.path(), env).exitCode,
            0);
        QCOMPARE(
            retort({"stamp", "003", "--profile", "team", "--yes-i-know"}, dir.path(), env).exitCode,
            0);
    }

    // A downgrade of a shared database: off a terminal it is refused with
    // the facts; at a terminal the database's name typed exactly lets it go.
    void guardedDowngradeShowsTheFactsAndAsks()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QProcessEnvironment env = isolated(dir);
        QCOMPARE(
            retort({"profile", "add", "team", "sqlite:///team.db", "--shared"}, dir.path(), env)
                .exitCode,
            0);
        QCOMPARE(retort({"upgrade", "005", "--profile", "team"}, dir.path(), env).exitCode, 0);
        const Run refused = retort({"downgrade", "003", "--profile", "team"}, dir.path(), env);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("004_create_projects") &&
                     refused.err.contains("drop_table projects") &&
                     refused.err.contains("005_index_users_email"),
                 qPrintable(refused.err));
        QVERIFY(!refused.err.contains("002_create_teams"));

        const Run wrong =
            retortAtTerminal({"downgrade", "003", "--profile", "team"}, dir.path(), env, {"team"});
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY2(wrong.out.contains("Type the database name (team.db)"), qPrintable(wrong.out));
        QVERIFY(wrong.out.contains("drop_table projects"));
        QVERIFY(retort({"current", "--profile", "team"}, dir.path(), env)
                    .out.contains("at 005_index_users_email"));
        const Run typed = retortAtTerminal({"downgrade", "003", "--profile", "team"}, dir.path(),
                                           env, {"team.db"});
        QVERIFY2(typed.exitCode == 0, qPrintable(typed.out));
        QVERIFY(retort({"current", "--profile", "team"}, dir.path(), env)
                    .out.contains("at 003_add_team_members"));
        // A stamp asks the same way.
        const Run stamp =
            retortAtTerminal({"stamp", "001", "--profile", "team"}, dir.path(), env, {"nope"});
        QCOMPARE(stamp.exitCode, 2);
        QVERIFY2(stamp.out.contains("003_add_team_members"), qPrintable(stamp.out));
        QVERIFY(retort({"current", "--profile", "team"}, dir.path(), env)
                    .out.contains("at 003_add_team_members"));
    }

    // An ambiguous +1 at a fork names the revisions that would work.
    void ambiguousStepNamesTheBranches()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        QCOMPARE(retort({"stamp", "006"}, dir.path()).exitCode, 0);
        for (const char *cmd : {"upgrade", "plan"}) {
            const Run r = retort({cmd, "+1"}, dir.path());
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("Ambiguous walk") &&
                         r.err.contains("007_create_audit_log, 008_add_user_avatar"),
                     qPrintable(r.err));
        }
        QCOMPARE(retort({"upgrade", "007"}, dir.path()).exitCode, 0);
    }

    // --sql prints everything Retort will run, its own alembic_version
    // statements included, as SQL: the script alone brings a database there.
    void sqlIncludesTheBookkeeping()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const Run sql = retort({"upgrade", "006", "--sql"}, dir.path());
        QCOMPARE(sql.exitCode, 0);
        QVERIFY(sql.out.startsWith("CREATE TABLE \"alembic_version\""));
        QVERIFY(sql.out.contains("UPDATE \"alembic_version\" SET version_num = "
                                 "'006_add_project_status' WHERE version_num = "
                                 "'005_index_users_email';"));
        QProcess sqlite;
        sqlite.start("sqlite3", {dir.filePath("from-script.db")});
        sqlite.write(sql.out.toUtf8() + "SELECT version_num FROM alembic_version;\n");
        sqlite.closeWriteChannel();
        QVERIFY(sqlite.waitForFinished(30000));
        QCOMPARE(sqlite.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(sqlite.readAllStandardOutput()).trimmed(),
                 QStringLiteral("006_add_project_status"));
    }

    // The window needs a display; without one Retort says so and which
    // commands work, instead of Qt's abort.
    void noDisplaySaysSo()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY");
        env.remove("WAYLAND_DISPLAY");
        env.remove("QT_QPA_PLATFORM");
        const Run r = retort({QStringLiteral(RETORT_SOURCE_DIR "/resources/demo")}, {}, env);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("there is no display"), qPrintable(r.err));
        QVERIFY(r.err.contains("retort --help"));
    }

    // Merge when the name it would write is taken: said as it is.
    void mergeOntoATakenName()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), "v/001_a.py", revisionSource("001_a", ""));
        writeFile(dir.path(), "v/002_b.py", revisionSource("002_b", "001_a"));
        writeFile(dir.path(), "v/003_c.py", revisionSource("003_c", "001_a"));
        writeFile(dir.path(), "v/004_merge_heads.py", "not a revision, but the name is taken\n");
        const Run r = retort({"--versions", dir.filePath("v"), "merge"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("004_merge_heads.py already exists") ||
                     r.err.contains("already taken"),
                 qPrintable(r.err));
    }

    // Without a keyring or a password anywhere, a terminal is asked; without
    // a terminal the error says where a password can come from.
    void passwordPromptOnTerminal()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server: run the tests with ./run test, which starts one with "
                  "pg_virtualenv");
        const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
        if (script.isEmpty())
            QSKIP("no `script` (util-linux) to give retort a terminal");
        {
            ScopedConnection admin(TestUtil::postgresProfile());
            QString error;
            QVERIFY2(admin.open(&error), qPrintable(error));
            QSqlQuery q(admin.database());
            q.exec(QStringLiteral("DROP ROLE IF EXISTS retort_prompt"));
            QVERIFY(q.exec(QStringLiteral("CREATE ROLE retort_prompt LOGIN PASSWORD 'sesame'")));
        }
        const QString url = QStringLiteral("postgresql://retort_prompt@%1:%2/postgres")
                                .arg(qEnvironmentVariable("PGHOST"))
                                .arg(qEnvironmentVariableIntValue("PGPORT"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("PGPASSWORD"));
        env.remove(QStringLiteral("RETORT_DB_PASSWORD"));

        const Run noTerminal = retort({"-c", kDemo, "current", "--url", url}, {}, env);
        QCOMPARE(noTerminal.exitCode, 1);
        QVERIFY2(noTerminal.err.contains("no password supplied") &&
                     noTerminal.err.contains("run from a terminal to be asked"),
                 qPrintable(noTerminal.err));

        QString withWrongPassword = url;
        withWrongPassword.replace(QStringLiteral("retort_prompt@"),
                                  QStringLiteral("retort_prompt:wrong@"));
        const Run refused = retort({"-c", kDemo, "current", "--url", withWrongPassword}, {}, env);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("password authentication failed") &&
                     !refused.err.contains("to be asked"),
                 qPrintable(refused.err));

        for (const QString &typed : {QStringLiteral("sesame"), QStringLiteral("wrong")}) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(script, {"-qec",
                             QStringLiteral("%1 -c %2 current --url %3")
                                 .arg(QStringLiteral(RETORT_BINARY), kDemo, url),
                             "/dev/null"});
            QByteArray seen;
            while (!seen.contains("Password for retort_prompt@") && p.waitForReadyRead(30000))
                seen += p.readAll();
            QVERIFY2(seen.contains("Password for retort_prompt@"), seen.constData());
            p.write(typed.toUtf8() + '\n');
            QVERIFY(p.waitForFinished(30000));
            seen += p.readAll();
            QVERIFY2(!seen.contains(typed.toUtf8()), seen.constData()); // not echoed
            if (typed == u"sesame") {
                QCOMPARE(p.exitCode(), 0);
                QVERIFY2(seen.contains("note: the password comes from the prompt") &&
                             seen.contains("retort_prompt@") && seen.contains(": at base"),
                         seen.constData());
            } else {
                QCOMPARE(p.exitCode(), 1);
                QVERIFY2(seen.contains("password authentication failed"), seen.constData());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
