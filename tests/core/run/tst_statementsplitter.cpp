#include "core/run/statementsplitter.h"

#include <QTest>

using namespace Retort;
using Dialect = StatementSplitter::Dialect;

Q_DECLARE_METATYPE(StatementSplitter::Dialect)

class TestStatementSplitter : public QObject
{
    Q_OBJECT

private slots:
    void split_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<Dialect>("dialect");
        QTest::addColumn<QStringList>("statements");
        QTest::newRow("plain") << "CREATE TABLE a (id INT);\nDROP TABLE b;" << Dialect::Generic
                               << QStringList{"CREATE TABLE a (id INT)", "DROP TABLE b"};
        QTest::newRow("no final semicolon")
            << "SELECT 1" << Dialect::Generic << QStringList{"SELECT 1"};
        QTest::newRow("single quotes")
            << "INSERT INTO t VALUES ('a;b', 'it''s');" << Dialect::Generic
            << QStringList{"INSERT INTO t VALUES ('a;b', 'it''s')"};
        QTest::newRow("double quotes")
            << "CREATE TABLE \"we;ird\" (\"a\"\"b\" INT);" << Dialect::Generic
            << QStringList{"CREATE TABLE \"we;ird\" (\"a\"\"b\" INT)"};
        QTest::newRow("backslash in mysql")
            << "INSERT INTO t VALUES ('a\\';b');SELECT 2;" << Dialect::MySQL
            << QStringList{"INSERT INTO t VALUES ('a\\';b')", "SELECT 2"};
        QTest::newRow("backticks in mysql") << "ALTER TABLE `a;b` ADD c INT;" << Dialect::MySQL
                                            << QStringList{"ALTER TABLE `a;b` ADD c INT"};
        QTest::newRow("dollar quoting")
            << "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.x := 1;\n  RETURN "
               "NEW;\nEND;\n$body$ LANGUAGE plpgsql;\nSELECT 1;"
            << Dialect::PostgreSQL
            << QStringList{"CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.x := 1;\n  "
                           "RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql",
                           "SELECT 1"};
        QTest::newRow("empty dollar tag") << "DO $$ BEGIN PERFORM 1; END $$;" << Dialect::PostgreSQL
                                          << QStringList{"DO $$ BEGIN PERFORM 1; END $$"};
        QTest::newRow("parameters are not dollar quotes")
            << "SELECT $1; SELECT $2;" << Dialect::PostgreSQL
            << QStringList{"SELECT $1", "SELECT $2"};
        QTest::newRow("line comments") << "-- Running upgrade  -> 001\nCREATE TABLE a (x INT); -- "
                                          "trailing; comment\n-- only a comment;\n"
                                       << Dialect::Generic << QStringList{"CREATE TABLE a (x INT)"};
        QTest::newRow("block comments")
            << "/* a; b */ SELECT /* c; */ 1;" << Dialect::Generic << QStringList{"SELECT   1"};
        QTest::newRow("transaction lines")
            << "BEGIN;\n\nCREATE TABLE a (x INT);\n\nCOMMIT;\n"
            << Dialect::SQLite << QStringList{"CREATE TABLE a (x INT)"};
        QTest::newRow("sqlite trigger")
            << "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM "
               "c;\nEND;\nSELECT 1;"
            << Dialect::SQLite
            << QStringList{"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  "
                           "DELETE FROM c;\nEND",
                           "SELECT 1"};
        QTest::newRow("trigger with case")
            << "CREATE TEMP TRIGGER t BEFORE UPDATE ON a BEGIN SELECT CASE WHEN 1 THEN "
               "RAISE(ABORT, 'x;y') END; END;"
            << Dialect::SQLite
            << QStringList{"CREATE TEMP TRIGGER t BEFORE UPDATE ON a BEGIN SELECT CASE WHEN 1 THEN "
                           "RAISE(ABORT, 'x;y') END; END"};
        // The families the servers accept as one statement (tst_splitterservers
        // runs them on real PostgreSQL and MariaDB).
        QTest::newRow("dollar tag with digits")
            << "CREATE FUNCTION f() RETURNS int AS $fn1$ BEGIN RETURN 1; END; $fn1$ LANGUAGE "
               "plpgsql;SELECT 1;"
            << Dialect::PostgreSQL
            << QStringList{"CREATE FUNCTION f() RETURNS int AS $fn1$ BEGIN RETURN 1; END; $fn1$ "
                           "LANGUAGE plpgsql",
                           "SELECT 1"};
        QTest::newRow("E string with escaped quote")
            << "INSERT INTO t VALUES (E'it\\'s; x');SELECT 2;" << Dialect::PostgreSQL
            << QStringList{"INSERT INTO t VALUES (E'it\\'s; x')", "SELECT 2"};
        QTest::newRow("plain string keeps backslash in postgres")
            << "INSERT INTO t VALUES ('a\\');SELECT 2;" << Dialect::PostgreSQL
            << QStringList{"INSERT INTO t VALUES ('a\\')", "SELECT 2"};
        QTest::newRow("nested comments in postgres")
            << "/* a /* b; */ c; */ SELECT 1;" << Dialect::PostgreSQL << QStringList{"SELECT 1"};
        QTest::newRow("begin atomic")
            << "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE "
               "WHEN true THEN 2 END; END;\nSELECT 3;"
            << Dialect::PostgreSQL
            << QStringList{"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
                           "SELECT CASE WHEN true THEN 2 END; END",
                           "SELECT 3"};
        QTest::newRow("mysql procedure with loops")
            << "CREATE PROCEDURE p() BEGIN lbl: LOOP IF x THEN LEAVE lbl; END IF; END LOOP lbl; "
               "WHILE y DO SET y = 0; END WHILE; REPEAT SET z = 1; UNTIL z END REPEAT; END;SELECT "
               "1;"
            << Dialect::MySQL
            << QStringList{"CREATE PROCEDURE p() BEGIN lbl: LOOP IF x THEN LEAVE lbl; END IF; END "
                           "LOOP lbl; WHILE y DO SET y = 0; END WHILE; REPEAT SET z = 1; UNTIL z "
                           "END REPEAT; END",
                           "SELECT 1"};
        QTest::newRow("mysql trigger without begin")
            << "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW IF NEW.x < 0 THEN SET NEW.x = 0; "
               "END IF;SELECT 1;"
            << Dialect::MySQL
            << QStringList{"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW IF NEW.x < 0 THEN SET "
                           "NEW.x = 0; END IF",
                           "SELECT 1"};
        QTest::newRow("mysql IF() function is not a block")
            << "CREATE FUNCTION f() RETURNS INT BEGIN RETURN IF(1, 2, 3); END;SELECT 1;"
            << Dialect::MySQL
            << QStringList{"CREATE FUNCTION f() RETURNS INT BEGIN RETURN IF(1, 2, 3); END",
                           "SELECT 1"};
        QTest::newRow("mysql conditional comments are code")
            << "/*!50100 CREATE TABLE a (x INT) */;/*M!100100 SELECT 1 */;" << Dialect::MySQL
            << QStringList{"/*!50100 CREATE TABLE a (x INT) */", "/*M!100100 SELECT 1 */"};
        QTest::newRow("mysql -- needs a space")
            << "SELECT 5 --1;\nSELECT 2; -- gone;\n"
            << Dialect::MySQL << QStringList{"SELECT 5 --1", "SELECT 2"};
        QTest::newRow("mariadb anonymous block")
            << "BEGIN NOT ATOMIC DECLARE v INT; SET v = 1; END;\nSELECT 1;" << Dialect::MySQL
            << QStringList{"BEGIN NOT ATOMIC DECLARE v INT; SET v = 1; END", "SELECT 1"};
        QTest::newRow("sqlite bracket identifiers")
            << "CREATE TABLE [a;b] (x INT);SELECT 1;" << Dialect::SQLite
            << QStringList{"CREATE TABLE [a;b] (x INT)", "SELECT 1"};
        QTest::newRow("begin as a word elsewhere")
            << "UPDATE t SET note = 'x' WHERE begin_at IS NULL;" << Dialect::Generic
            << QStringList{"UPDATE t SET note = 'x' WHERE begin_at IS NULL"};
    }
    void split()
    {
        QFETCH(QString, sql);
        QFETCH(Dialect, dialect);
        QFETCH(QStringList, statements);
        QStringList texts;
        for (const SqlStatement &s : StatementSplitter::split(sql, dialect))
            texts << s.text;
        QCOMPARE(texts, statements);
    }

    void lines()
    {
        const auto s = StatementSplitter::split("-- header\n\nCREATE TABLE a (\n  x TEXT DEFAULT "
                                                "'l1\nl2'\n);\n\n  INSERT INTO a VALUES ('z');\n");
        QCOMPARE(s.size(), 2);
        QCOMPARE(s.at(0).line, 3);
        QCOMPARE(s.at(1).line, 8);
    }
};

QTEST_GUILESS_MAIN(TestStatementSplitter)
#include "tst_statementsplitter.moc"
