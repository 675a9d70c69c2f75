// The statement splitter against the servers, which are the authority: SQL
// that uses each dialect's lexical corners goes through the real Alembic
// (offline, op.execute), is split by Retort and run statement by statement
// on a real PostgreSQL (pg_virtualenv) and MariaDB (scripts/with-mariadb.sh);
// every statement must run and the objects must behave as written.
#include "core/db/scopedconnection.h"
#include "core/project.h"
#include "core/run/sqlrenderer.h"
#include "core/run/statementsplitter.h"
#include "pgtest.h"
#include "testutil.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Retort;

namespace {

struct Case
{
    QString sql;   // one op.execute() each, in order
    QString check; // a query whose first value must be `expected`
    QString expected;
};

const QList<QList<Case>> kPostgres{
    {{"CREATE FUNCTION f_digits() RETURNS int AS $fn1$ BEGIN RETURN 1; END; $fn1$ LANGUAGE plpgsql",
      "SELECT f_digits()", "1"}},
    {{"CREATE FUNCTION f_under() RETURNS text AS $_a1$ SELECT 'x;y'::text; $_a1$ LANGUAGE sql",
      "SELECT f_under()", "x;y"}},
    {{"CREATE TABLE t_e (s text)", {}, {}},
     {"INSERT INTO t_e VALUES (E'it\\'s; here\\\\')", "SELECT s FROM t_e", "it's; here\\"}},
    {{"CREATE FUNCTION f_atomic() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
      "SELECT f_atomic()", "2"}},
    {{"CREATE FUNCTION f_case(x int) RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > "
      "0 THEN 'p;' ELSE 'n' END; END",
      "SELECT f_case(1)", "p;"}},
    {{"/* outer /* inner; */ still; */ CREATE TABLE t_c (x int)", "SELECT count(*) FROM t_c", "0"}},
    {{"DO $$ BEGIN PERFORM 1; END $$", {}, {}}},
    {{"CREATE TABLE t$1 (x int)", {}, {}},
     {"INSERT INTO t$1 VALUES (1); INSERT INTO t$1 VALUES (2)", "SELECT sum(x) FROM t$1", "3"}},
    {{"CREATE TABLE t_q (s text)", {}, {}},
     {"INSERT INTO t_q VALUES ('a;b''c'), (U&'d\\0061;')",
      "SELECT string_agg(s, '|' ORDER BY s) FROM t_q", "a;b'c|da;"}},
};

const QList<QList<Case>> kMysql{
    {{"CREATE PROCEDURE p_loop(OUT r INT) BEGIN DECLARE i INT DEFAULT 0; lbl: LOOP SET i = i + 1; "
      "IF i > 3 THEN LEAVE lbl; END IF; END LOOP lbl; SET r = i; END",
      "SELECT COUNT(*) FROM information_schema.routines WHERE routine_name = 'p_loop' AND "
      "routine_schema = DATABASE()",
      "1"}},
    {{"CREATE FUNCTION f_while(n INT) RETURNS INT DETERMINISTIC BEGIN DECLARE s INT DEFAULT 0; "
      "WHILE n > 0 DO SET s = s + n; SET n = n - 1; END WHILE; RETURN s; END",
      "SELECT f_while(3)", "6"}},
    {{"CREATE FUNCTION f_repeat(n INT) RETURNS INT DETERMINISTIC BEGIN DECLARE s INT DEFAULT 0; "
      "REPEAT SET s = s + 1; UNTIL s >= n END REPEAT; RETURN s; END",
      "SELECT f_repeat(4)", "4"}},
    {{"CREATE TABLE tt (x INT)", {}, {}},
     {"CREATE TRIGGER trg BEFORE INSERT ON tt FOR EACH ROW IF NEW.x < 0 THEN SET NEW.x = 0; "
      "ELSEIF NEW.x > 9 THEN SET NEW.x = 9; END IF",
      {},
      {}},
     {"INSERT INTO tt VALUES (-5), (50)", "SELECT SUM(x) FROM tt", "9"}},
    {{"CREATE FUNCTION f_case(n INT) RETURNS TEXT DETERMINISTIC BEGIN CASE WHEN n > 0 THEN RETURN "
      "'p;'; ELSE RETURN CASE n WHEN 0 THEN 'z;' ELSE 'n' END; END CASE; END",
      "SELECT CONCAT(f_case(1), f_case(0))", "p;z;"}},
    {{"/*!50100 CREATE TABLE t_cond (x INT) */", "SELECT COUNT(*) FROM t_cond", "0"}},
    {{"CREATE TABLE t_m (x INT)", {}, {}},
     {"INSERT INTO t_m VALUES (5 --1)", "SELECT x FROM t_m", "6"}},
    {{"CREATE TABLE t_n (x INT)", {}, {}},
     {"BEGIN NOT ATOMIC DECLARE v INT DEFAULT 7; INSERT INTO t_n VALUES (v); END",
      "SELECT x FROM t_n", "7"}},
    {{"CREATE TABLE t_s (s TEXT)", {}, {}},
     {"INSERT INTO t_s VALUES ('a\\';b'), (\"c\"\";d\")",
      "SELECT GROUP_CONCAT(s ORDER BY s SEPARATOR '|') FROM t_s", "a';b|c\";d"}},
    {{"CREATE TABLE `we;ird` (x INT)", {}, {}},
     {"INSERT INTO `we;ird` VALUES (1) /* a comment; here */", "SELECT x FROM `we;ird`", "1"}},
};

// A project whose revisions op.execute() the cases, one revision each.
QString writeProject(const QString &dir, const QList<QList<Case>> &cases)
{
    TestUtil::writeFile(dir, "alembic.ini",
                        "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = "
                        "sqlite:///%(here)s/x.db\n");
    TestUtil::writeFile(dir, "m/script.py.mako", "");
    TestUtil::writeFile(dir, "m/env.py",
                        "from alembic import context\n"
                        "context.configure(url=context.config.get_main_option('sqlalchemy.url'), "
                        "literal_binds=True, transactional_ddl=False)\n"
                        "with context.begin_transaction():\n    context.run_migrations()\n");
    QString down;
    for (int i = 0; i < cases.size(); ++i) {
        const QString id = QStringLiteral("r%1").arg(i, 3, 10, QLatin1Char('0'));
        QByteArray body = "from alembic import op\n\nrevision = '" + id.toUtf8() +
                          "'\ndown_revision = " +
                          (down.isEmpty() ? QByteArray("None") : "'" + down.toUtf8() + "'") +
                          "\n\n\ndef upgrade():\n";
        for (const Case &c : cases.at(i))
            body += "    op.execute(" +
                    QByteArray(QString(u'"' +
                                       QString(c.sql)
                                           .replace(u'\\', QStringLiteral("\\\\"))
                                           .replace(u'"', QStringLiteral("\\\"")) +
                                       u'"')
                                   .toUtf8()) +
                    ")\n";
        body += "\n\ndef downgrade():\n    pass\n";
        TestUtil::writeFile(dir, "m/versions/" + id + ".py", body);
        down = id;
    }
    return dir + "/alembic.ini";
}

} // namespace

class TestSplitterServers : public QObject
{
    Q_OBJECT

private:
    void runOn(ConnectionProfile profile, StatementSplitter::Dialect dialect,
               const QList<QList<Case>> &cases, const QString &setup)
    {
        QTemporaryDir dir;
        auto config = ProjectConfig::load(writeProject(dir.path(), cases));
        QVERIFY2(config, qPrintable(config.error()));
        auto sections = SqlRenderer::render(config.value(), profile, "base:heads", true);
        QVERIFY2(sections, qPrintable(sections.error()));
        const QString db = "retort_split_" + QUuid::createUuid().toString(QUuid::Id128).left(12);
        {
            ScopedConnection admin(profile);
            QString error;
            QVERIFY2(admin.open(&error), qPrintable(error));
            QSqlQuery q(admin.database());
            QVERIFY2(q.exec(setup.arg(db)), qPrintable(q.lastError().text()));
        }
        profile.database = db;
        ScopedConnection c(profile);
        QString error;
        QVERIFY2(c.open(&error), qPrintable(error));
        int index = 0;
        for (const SqlSection &section : sections.value()) {
            if (section.to.isEmpty())
                continue; // the preamble
            QSqlQuery q(c.database());
            for (const SqlStatement &st : StatementSplitter::split(section.sql, dialect)) {
                if (SqlRenderer::isVersionBookkeeping(st.text, "alembic_version"))
                    continue;
                QVERIFY2(q.exec(st.text),
                         qPrintable(section.to + ": " + st.text + "\n→ " + q.lastError().text()));
            }
            for (const Case &k : cases.at(index)) {
                if (k.check.isEmpty())
                    continue;
                QVERIFY2(q.exec(k.check) && q.next(),
                         qPrintable(k.check + ": " + q.lastError().text()));
                QCOMPARE(q.value(0).toString(), k.expected);
            }
            ++index;
        }
        QCOMPARE(index, cases.size());
    }

private slots:
    void postgresql()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server: run the tests with ./run test (pg_virtualenv)");
        runOn(TestUtil::postgresProfile(), StatementSplitter::Dialect::PostgreSQL, kPostgres,
              "CREATE DATABASE %1");
    }

    void mariadb()
    {
        if (!TestUtil::hasMysql())
            QSKIP("no MariaDB server: run the tests with ./run test (scripts/with-mariadb.sh)");
        runOn(TestUtil::mysqlProfile(), StatementSplitter::Dialect::MySQL, kMysql,
              "CREATE DATABASE %1");
    }
};

QTEST_GUILESS_MAIN(TestSplitterServers)
#include "tst_splitterservers.moc"
