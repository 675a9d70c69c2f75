// Reading where a database stands, on a real SQLite file and, when the test
// runs under pg_virtualenv (as `./run test` does), a real PostgreSQL server.
#include "core/db/versiontable.h"
#include "core/graph/graphbuilder.h"

#include "pgtest.h"
#include <QElapsedTimer>

#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

namespace {

bool exec(const ScopedConnection &c, const QString &sql)
{
    QSqlQuery q(c.database());
    return q.exec(sql);
}

} // namespace

class TestVersionTable : public QObject
{
    Q_OBJECT

private:
    RevisionGraph m_graph = TestUtil::graphOf({"a001", "b002<-a001", "c003<-b002"});

    void standsWhereRecorded(const ConnectionProfile &profile, const QString &createTable)
    {
        ScopedConnection c(profile);
        QString error;
        QVERIFY2(c.open(&error), qPrintable(error));
        exec(c,
             QStringLiteral("DROP TABLE IF EXISTS %1").arg(VersionTable::qualifiedName(profile)));
        QCOMPARE(VersionTable::exists(c).value(), false);
        auto empty = VersionTable::read(c);
        QVERIFY(empty);
        QVERIFY(empty->isEmpty());
        QCOMPARE(DatabaseState::map(false, {}, m_graph).describe(m_graph),
                 QStringLiteral("at base (no version table yet)"));

        QVERIFY(exec(c, createTable.arg(VersionTable::qualifiedName(profile))));
        QCOMPARE(VersionTable::exists(c).value(), true);
        QVERIFY(exec(c, QStringLiteral("INSERT INTO %1 VALUES ('b002')")
                            .arg(VersionTable::qualifiedName(profile))));
        auto one = VersionTable::read(c);
        QVERIFY(one);
        QCOMPARE(one.value(), QStringList{"b002"});
        const DatabaseState state = DatabaseState::map(true, one.value(), m_graph);
        QCOMPARE(state.revisions, QList<int>{m_graph.indexOf("b002")});
        QCOMPARE(state.describe(m_graph), QStringLiteral("at b002"));

        QVERIFY(exec(c, QStringLiteral("INSERT INTO %1 VALUES ('renamed_away')")
                            .arg(VersionTable::qualifiedName(profile))));
        const DatabaseState two = DatabaseState::map(true, VersionTable::read(c).value(), m_graph);
        QCOMPARE(two.unknown, QStringList{"renamed_away"});
        QVERIFY(two.describe(m_graph).contains(
            "records renamed_away, which this project does not have"));
        exec(c, QStringLiteral("DROP TABLE %1").arg(VersionTable::qualifiedName(profile)));
    }

private slots:
    // Whatever keeps the version table from being read is an error with the
    // driver's words, never "at base".
    void unreadableIsAnErrorNotBase_data()
    {
        QTest::addColumn<QString>("failure");
        QTest::newRow("locked by another connection") << "locked";
        QTest::newRow("not a database") << "corrupt";
        QTest::newRow("connection gone") << "closed";
    }
    void unreadableIsAnErrorNotBase()
    {
        QFETCH(QString, failure);
        QTemporaryDir dir;
        auto profile = ConnectionProfile::fromUrl("sqlite:///app.db?timeout=0.2", dir.path());
        QVERIFY(profile);
        {
            ScopedConnection setup(profile.value());
            QString error;
            QVERIFY(setup.open(&error));
            QVERIFY(exec(setup, VersionTable::createStatement(profile.value())));
            QVERIFY(exec(setup, "INSERT INTO alembic_version VALUES ('b002')"));
        }
        ScopedConnection holder(profile.value());
        QString error;
        QVERIFY(holder.open(&error));
        if (failure == "locked") {
            QVERIFY(exec(holder, "BEGIN EXCLUSIVE"));
        } else if (failure == "corrupt") {
            QFile f(dir.filePath("app.db"));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QByteArray(8192, 'x'));
        }
        ScopedConnection c(profile.value());
        QVERIFY(c.open(&error));
        if (failure == "closed")
            c.database().close();
        QElapsedTimer waited;
        waited.start();
        const auto exists = VersionTable::exists(c);
        QVERIFY(!exists);
        QVERIFY2(!exists.error().isEmpty(), "an empty message");
        if (failure == "locked") {
            QVERIFY2(exists.error().contains("locked"), qPrintable(exists.error()));
            QVERIFY2(exists.error().contains("waited 0.2 s"), qPrintable(exists.error()));
            QVERIFY(waited.elapsed() >= 150);
        }
        if (failure == "corrupt")
            QVERIFY2(exists.error().contains("not a database"), qPrintable(exists.error()));
        QVERIFY(!VersionTable::read(c));
        QVERIFY(!VersionTable::stamp(c, {"c003"}));
        if (failure == "locked")
            exec(holder, "ROLLBACK");
    }

    // A stamp that the database refuses says why, in the driver's words.
    void refusedStampSaysWhy()
    {
        QTemporaryDir dir;
        {
            auto rw = ConnectionProfile::fromUrl("sqlite:///app.db", dir.path());
            ScopedConnection c(rw.value());
            QString error;
            QVERIFY(c.open(&error));
            QVERIFY(VersionTable::stamp(c, {"a001"}));
        }
        auto ro = ConnectionProfile::fromUrl("sqlite:///file:app.db?mode=ro&uri=true", dir.path());
        QVERIFY(ro);
        ScopedConnection c(ro.value());
        QString error;
        QVERIFY2(c.open(&error), qPrintable(error));
        QCOMPARE(VersionTable::read(c).value(), QStringList{"a001"});
        auto stamped = VersionTable::stamp(c, {"b002"});
        QVERIFY(!stamped);
        QVERIFY2(stamped.error().contains("readonly"), qPrintable(stamped.error()));
        QCOMPARE(VersionTable::read(c).value(), QStringList{"a001"});
    }

    void sqlite()
    {
        QTemporaryDir dir;
        auto profile = ConnectionProfile::fromUrl("sqlite:///app.db", dir.path());
        QVERIFY(profile);
        standsWhereRecorded(profile.value(),
                            "CREATE TABLE %1 (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
        ConnectionProfile custom = profile.value();
        custom.versionTable = "schema_versions";
        standsWhereRecorded(custom,
                            "CREATE TABLE %1 (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
    }

    void sqliteInAMissingFolder()
    {
        auto profile = ConnectionProfile::fromUrl("sqlite:////nonexistent/folder/app.db");
        ScopedConnection c(profile.value());
        QString error;
        QVERIFY(!c.open(&error));
        QVERIFY(error.contains("/nonexistent/folder"));
    }

    void postgresql()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server: run the tests with ./run test, which starts one with "
                  "pg_virtualenv");
        standsWhereRecorded(TestUtil::postgresProfile(),
                            "CREATE TABLE %1 (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
        // a project that keeps its version table in its own schema
        ConnectionProfile custom = TestUtil::postgresProfile();
        custom.versionSchema = "migrations";
        custom.versionTable = "alembic_version_app";
        {
            ScopedConnection c(custom);
            QString error;
            QVERIFY2(c.open(&error), qPrintable(error));
            QVERIFY(exec(c, "CREATE SCHEMA IF NOT EXISTS migrations"));
        }
        standsWhereRecorded(custom,
                            "CREATE TABLE %1 (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
    }

    void postgresqlWrongPassword()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL server: run the tests with ./run test, which starts one with "
                  "pg_virtualenv");
        {
            ScopedConnection admin(TestUtil::postgresProfile());
            QString error;
            QVERIFY2(admin.open(&error), qPrintable(error));
            exec(admin, "DROP ROLE IF EXISTS retort_test");
            QVERIFY(exec(admin, "CREATE ROLE retort_test LOGIN PASSWORD 'right'"));
        }
        ConnectionProfile p = TestUtil::postgresProfile();
        p.user = "retort_test";
        p.password = "wrong";
        ScopedConnection c(p);
        QString error;
        QVERIFY(!c.open(&error));
        QVERIFY2(error.contains("retort_test@") && error.contains("password authentication failed"),
                 qPrintable(error));
    }

    void unreachableHostFailsFastAndSaysWhich()
    {
        auto profile = ConnectionProfile::fromUrl("postgresql://someone@127.0.0.1:1/db");
        ScopedConnection c(profile.value());
        QString error;
        QElapsedTimer t;
        t.start();
        QVERIFY(!c.open(&error, 3));
        QVERIFY(t.elapsed() < 5000);
        QVERIFY2(error.contains("someone@127.0.0.1:1"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestVersionTable)
#include "tst_versiontable.moc"
