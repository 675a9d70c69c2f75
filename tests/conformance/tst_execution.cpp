// Twin databases: Retort steps one, the real Alembic the other, revision by
// revision up to the heads and back down to base; after every step both
// have the same tables, columns, indexes (and PostgreSQL ENUM types) and the
// same alembic_version rows. SQLite always; PostgreSQL under pg_virtualenv and
// MariaDB under scripts/with-mariadb.sh (as `./run test` runs the suite).
#include "core/db/scopedconnection.h"
#include "core/project.h"
#include "core/run/migrationplan.h"
#include "pgtest.h"
#include "testutil.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

namespace {

QString runTool(const QString &program, const QStringList &args, const QString &dir, int *exitCode)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, args);
    p.waitForFinished(300000);
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

QStringList rows(const ConnectionProfile &profile, const QString &sql)
{
    ScopedConnection c(profile);
    QString error;
    if (!c.open(&error))
        qFatal("%s", qPrintable(error));
    QSqlQuery q(c.database());
    QStringList out;
    if (!q.exec(sql))
        return {QStringLiteral("<%1>").arg(sql.left(40))};
    while (q.next()) {
        QStringList cells;
        for (int i = 0; i < q.record().count(); ++i)
            cells << q.value(i).toString();
        out << cells.join(u'|');
    }
    out.sort();
    return out;
}

// Everything the two databases must agree on.
QStringList schemaOf(const ConnectionProfile &profile)
{
    QStringList out;
    if (profile.driver == ConnectionProfile::Driver::SQLite) {
        for (const QString &table : rows(profile, "SELECT name FROM sqlite_master WHERE type = "
                                                  "'table' AND name NOT LIKE 'sqlite_%'")) {
            out << "table " + table;
            for (const QString &col : rows(
                     profile, QStringLiteral(
                                  "SELECT name, type, \"notnull\", pk FROM pragma_table_info('%1')")
                                  .arg(table)))
                out << "  column " + table + "." + col;
        }
        for (const QString &index : rows(profile, "SELECT name, tbl_name FROM sqlite_master WHERE "
                                                  "type = 'index' AND name NOT LIKE 'sqlite_%'"))
            out << "index " + index;
    } else if (profile.driver == ConnectionProfile::Driver::MySQL) {
        out << rows(profile, "SELECT table_name, column_name, column_type, is_nullable, "
                             "column_key FROM information_schema.columns "
                             "WHERE table_schema = DATABASE()");
        out << rows(profile, "SELECT index_name, table_name, column_name, non_unique FROM "
                             "information_schema.statistics WHERE table_schema = DATABASE()");
    } else {
        out << rows(profile, "SELECT table_name, column_name, data_type, udt_name, is_nullable "
                             "FROM information_schema.columns "
                             "WHERE table_schema = 'public'");
        out << rows(profile,
                    "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public'");
        out << rows(profile, "SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_enum e JOIN "
                             "pg_type t ON t.oid = e.enumtypid");
    }
    out << "versions: " + rows(profile, "SELECT version_num FROM alembic_version").join(u',');
    return out;
}

void setUrl(const QString &dir, const QString &url)
{
    QFile f(dir + "/alembic.ini");
    QVERIFY(f.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(f.readAll());
    f.close();
    text.replace(QRegularExpression("(?m)^sqlalchemy\\.url = .*$"), "sqlalchemy.url = " + url);
    TestUtil::writeFile(dir, "alembic.ini", text.toUtf8());
}

} // namespace

class TestExecution : public QObject
{
    Q_OBJECT

private:
    // Steps twin projects A (Retort) and B (Alembic) through `targets`.
    void twin(const QString &a, const QString &b, const ConnectionProfile &dbA,
              const ConnectionProfile &dbB)
    {
        auto project = Project::open(a + "/alembic.ini");
        QVERIFY2(project, qPrintable(project.error()));
        const RevisionGraph &g = project->graph;
        auto up = MigrationPlan::make(g, {}, "heads", true);
        QVERIFY(up);
        QStringList targets;
        for (const PlanStep &s : up->steps)
            targets << g.revision(s.revision).id;
        QStringList down;
        for (int i : g.history())
            down << g.revision(i).id;
        down = down.mid(1, 6);
        down << "base";
        int steps = 0;
        for (const QString &target : targets + down) {
            const bool upgrade = steps < targets.size();
            int codeA = 0, codeB = 0;
            // --online: what SQLite cannot render offline (batch ALTER) runs through Alembic
            const QString outA = runTool(
                RETORT_BINARY,
                {upgrade ? "upgrade" : "downgrade", target, "--yes-i-know", "--online"}, a, &codeA);
            const QString outB =
                runTool("/usr/bin/alembic", {upgrade ? "upgrade" : "downgrade", target}, b, &codeB);
            QVERIFY2(codeA == 0, qPrintable(target + ": " + outA));
            QVERIFY2(codeB == 0, qPrintable(target + ": " + outB));
            const QStringList schemaA = schemaOf(dbA);
            const QStringList schemaB = schemaOf(dbB);
            QVERIFY2(!schemaA.join(u'\n').contains(u"<SELECT"), qPrintable(schemaA.join(" / ")));
            if (upgrade)
                QVERIFY2(schemaA.size() > 2, qPrintable(schemaA.join(" / "))); // tables exist
            QVERIFY2(schemaA == schemaB,
                     qPrintable(QStringLiteral("after %1 %2:\n retort:  %3\n alembic: %4")
                                    .arg(upgrade ? "upgrade" : "downgrade", target,
                                         schemaA.join(" / "), schemaB.join(" / "))));
            ++steps;
        }
        QVERIFY(schemaOf(dbA).last() == "versions: "); // back at base
        QVERIFY(steps > 10);
    }

private slots:
    void sqliteGeneratedHistory()
    {
        QTemporaryDir dir;
        QProcess gen;
        gen.start("/usr/bin/python3", {RETORT_SOURCE_DIR "/bench/generate_history.py",
                                       dir.filePath("a"), "30", "--seed", "21"});
        QVERIFY(gen.waitForFinished(60000) && gen.exitCode() == 0);
        TestUtil::copyTree(dir.filePath("a"), dir.filePath("b"));
        auto dbA = ConnectionProfile::fromUrl("sqlite:///synthetic.db", dir.filePath("a"));
        auto dbB = ConnectionProfile::fromUrl("sqlite:///synthetic.db", dir.filePath("b"));
        twin(dir.filePath("a"), dir.filePath("b"), dbA.value(), dbB.value());
    }

    void sqliteDemo()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(RETORT_SOURCE_DIR "/resources/demo", dir.filePath("a"));
        TestUtil::copyTree(RETORT_SOURCE_DIR "/resources/demo", dir.filePath("b"));
        twin(dir.filePath("a"), dir.filePath("b"),
             ConnectionProfile::fromUrl("sqlite:///demo.db", dir.filePath("a")).value(),
             ConnectionProfile::fromUrl("sqlite:///demo.db", dir.filePath("b")).value());
    }

    void postgresql_data() { twinData(); }
    void postgresql()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server: run the tests with ./run test, which starts one with "
                  "pg_virtualenv");
        const ConnectionProfile admin = TestUtil::postgresProfile(QStringLiteral("postgres"));
        serverTwin(
            admin,
            QStringLiteral("postgresql://%1@%2:%3/").arg(admin.user, admin.host).arg(admin.port));
    }

    void mysql_data() { twinData(); }
    void mysql()
    {
        if (!TestUtil::hasMysql())
            QSKIP("no MariaDB server: run the tests with ./run test, which starts one with "
                  "scripts/with-mariadb.sh");
        const ConnectionProfile admin = TestUtil::mysqlProfile();
        serverTwin(admin, QStringLiteral("mysql+pymysql://%1:%2@%3:%4/")
                              .arg(admin.user, admin.password, admin.host)
                              .arg(admin.port));
    }

private:
    void twinData()
    {
        QTest::addColumn<bool>("generated");
        QTest::newRow("demo") << false;
        QTest::newRow("generated history") << true;
    }

    // Twin databases on a server: `admin` creates them, `baseUrl` + name
    // reaches them from Alembic.
    void serverTwin(const ConnectionProfile &admin, const QString &baseUrl)
    {
        QFETCH(bool, generated);
        QTemporaryDir dir;
        if (generated) {
            QProcess gen;
            gen.start("/usr/bin/python3", {RETORT_SOURCE_DIR "/bench/generate_history.py",
                                           dir.filePath("a"), "30", "--seed", "22"});
            QVERIFY(gen.waitForFinished(60000) && gen.exitCode() == 0);
            TestUtil::copyTree(dir.filePath("a"), dir.filePath("b"));
        } else {
            TestUtil::copyTree(RETORT_SOURCE_DIR "/resources/demo", dir.filePath("a"));
            TestUtil::copyTree(RETORT_SOURCE_DIR "/resources/demo", dir.filePath("b"));
        }
        {
            ScopedConnection c(admin);
            QString error;
            QVERIFY2(c.open(&error), qPrintable(error));
            QSqlQuery q(c.database());
            for (const char *db : {"retort_twin_a", "retort_twin_b"}) {
                q.exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(QLatin1String(db)));
                QVERIFY(q.exec(QStringLiteral("CREATE DATABASE %1").arg(QLatin1String(db))));
            }
        }
        setUrl(dir.filePath("a"), baseUrl + "retort_twin_a");
        setUrl(dir.filePath("b"), baseUrl + "retort_twin_b");
        ConnectionProfile dbA = admin, dbB = admin;
        dbA.database = "retort_twin_a";
        dbB.database = "retort_twin_b";
        twin(dir.filePath("a"), dir.filePath("b"), dbA, dbB);
    }
};

QTEST_GUILESS_MAIN(TestExecution)
#include "tst_execution.moc"
