#include "core/db/connectionprofile.h"

#include <QTest>

using namespace Retort;
using Driver = ConnectionProfile::Driver;

class TestConnectionProfile : public QObject
{
    Q_OBJECT

private slots:
    void postgres()
    {
        auto p = ConnectionProfile::fromUrl(
            "postgresql+psycopg2://app%40corp:s%3Acret@db.example.com:6432/"
            "sales?sslmode=require&connect_timeout=5");
        QVERIFY2(p, qPrintable(p.error()));
        QCOMPARE(p->driver, Driver::PostgreSQL);
        QCOMPARE(p->qtDriver(), QStringLiteral("QPSQL"));
        QCOMPARE(p->host, QStringLiteral("db.example.com"));
        QCOMPARE(p->port, 6432);
        QCOMPARE(p->user, QStringLiteral("app@corp"));
        QCOMPARE(p->password, QStringLiteral("s:cret"));
        QCOMPARE(p->database, QStringLiteral("sales"));
        QCOMPARE(p->qtConnectOptions(), QStringLiteral("connect_timeout=5;sslmode=require"));
        QCOMPARE(p->displayUrl(), QStringLiteral("postgresql://app%40corp@db.example.com:6432/"
                                                 "sales?connect_timeout=5&sslmode=require"));
        QVERIFY(!p->displayUrl().contains("cret"));
        QVERIFY(p->isShared()); // not this machine
        QCOMPARE(p->dialect(), QStringLiteral("postgresql"));
    }

    void loopbackIsNotSharedUnlessSaid()
    {
        for (const char *url :
             {"postgresql://u@localhost/db", "postgresql://u@127.0.0.1:5433/db",
              "postgresql://u@[::1]/db", "postgresql:///db?host=/var/run/postgresql"}) {
            auto p = ConnectionProfile::fromUrl(QString::fromLatin1(url));
            QVERIFY2(p, url);
            QVERIFY2(!p->isShared(), url);
            ConnectionProfile marked = p.value();
            marked.shared = true;
            QVERIFY(marked.isShared());
        }
        QCOMPARE(ConnectionProfile::fromUrl("postgresql:///db?host=/var/run/postgresql")->host,
                 QStringLiteral("/var/run/postgresql"));
    }

    void mysql()
    {
        auto p = ConnectionProfile::fromUrl("mysql+pymysql://root@10.0.0.5/app?charset=utf8mb4");
        QVERIFY(p);
        QCOMPARE(p->driver, Driver::MySQL);
        QCOMPARE(p->qtDriver(), QStringLiteral("QMYSQL"));
        QCOMPARE(p->port, 0);
        QVERIFY(p->isShared());
        QCOMPARE(ConnectionProfile::fromUrl("mariadb://u@h/d")->driver, Driver::MySQL);
    }

    void sqlite()
    {
        auto relative = ConnectionProfile::fromUrl("sqlite:///app.db", "/srv/project");
        QVERIFY(relative);
        QCOMPARE(relative->database, QStringLiteral("/srv/project/app.db"));
        QCOMPARE(relative->qtDriver(), QStringLiteral("QSQLITE"));
        QVERIFY(!relative->isShared());
        auto absolute = ConnectionProfile::fromUrl("sqlite:////var/lib/app.db", "/srv/project");
        QCOMPARE(absolute->database, QStringLiteral("/var/lib/app.db"));
        QCOMPARE(ConnectionProfile::fromUrl("sqlite://")->database, QStringLiteral(":memory:"));
        QCOMPARE(ConnectionProfile::fromUrl("sqlite:///:memory:")->database,
                 QStringLiteral(":memory:"));
        QCOMPARE(ConnectionProfile::fromUrl("sqlite+pysqlite:///x.db?timeout=3", "/p")->database,
                 QStringLiteral("/p/x.db"));
        QCOMPARE(absolute->displayUrl(), QStringLiteral("sqlite:////var/lib/app.db"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a url") << "just words"
                                   << "is not a database URL";
        QTest::newRow("oracle") << "oracle://u@h/d"
                                << "not 'oracle'";
        QTest::newRow("sqlite two slashes") << "sqlite://app.db"
                                            << "three slashes";
    }
    void errors()
    {
        QFETCH(QString, url);
        QFETCH(QString, message);
        auto p = ConnectionProfile::fromUrl(url);
        QVERIFY(!p);
        QVERIFY2(p.error().contains(message), qPrintable(p.error()));
    }
};

QTEST_GUILESS_MAIN(TestConnectionProfile)
#include "tst_connectionprofile.moc"
