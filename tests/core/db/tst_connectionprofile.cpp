#include "core/db/connectionprofile.h"
#include "core/db/sqlalchemyurl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace {

// What SQLAlchemy's make_url() (the version Alembic here uses) reads.
QList<QJsonObject> sqlalchemyRead(const QStringList &urls)
{
    QByteArray input;
    for (const QString &u : urls)
        input +=
            QJsonDocument(QJsonArray{u}).toJson(QJsonDocument::Compact).mid(1).chopped(1) + "\n";
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(RETORT_SOURCE_DIR "/tests/conformance/sqlalchemy_url.py")});
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("sqlalchemy_url.py failed: %s", p.readAllStandardError().constData());
    QList<QJsonObject> out;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        if (!line.isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

QJsonValue opt(const std::optional<QString> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

// URLs of every shape people write, odd ones included.
const QStringList kUrls{
    "postgresql://u:p@h/db",
    "postgresql+psycopg2://app%40corp:s%3Acret@db.example.com:6432/sales?sslmode=require",
    "postgresql://u:p w%d@h/db",
    "postgresql://u:p%zz@h/db",
    "postgresql://u:p%41@h/db",
    "postgresql://u:pa@ss@h/db",
    "postgresql://u:pa:ss@h/db",
    "postgresql://u:p/ss@h/db",
    "postgresql://u@h:5432",
    "postgresql://:secret@h/db",
    "postgresql://@h/db",
    "postgresql://h",
    "postgresql://[::1]:5433/db",
    "postgresql://[fe80::1%25eth0]/db",
    "postgresql:///db?host=/var/run/postgresql",
    "postgresql:///db?host=/a&host=/b",
    "postgresql://u@h/db?password=qs&sslmode=verify-full",
    "postgresql://u@h/db?options=-c%20search_path%3Dapp&application_name=a+b",
    "postgresql://u@h/db?a=&b&c=1",
    "postgresql://u@h/d%20b/x?y=1",
    "postgresql://u@h:abc/db",
    "postgresql://u@h:/db",
    "postgresql://ünï:çødé@hôst/dß",
    "mysql+pymysql://u:p@h/db?charset=utf8mb4&passwd=x",
    "mysql://u@h/db?unix_socket=/run/mysqld/mysqld.sock",
    "mariadb+mariadbconnector://u:p@h:3307/db",
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:///app.db",
    "sqlite:///a%20b.db",
    "sqlite:////abs/path/app.db",
    "sqlite:///file:app.db?mode=ro&uri=true",
    "sqlite:///app.db?timeout=30",
    "sqlite:///app.db?mode=ro",
    "sqlite+pysqlite:///x.db",
    "not a url",
    "postgres ql://u:p@h/db",
    "://u:p@h/db",
    "postgresql:/u:p@h/db",
};

} // namespace

using namespace Retort;
using Driver = ConnectionProfile::Driver;

class TestConnectionProfile : public QObject
{
    Q_OBJECT

private slots:
    // Differential: every part of every URL as SQLAlchemy reads it.
    void parsesLikeSqlAlchemy()
    {
        const QList<QJsonObject> expected = sqlalchemyRead(kUrls);
        QCOMPARE(expected.size(), kUrls.size());
        for (int i = 0; i < kUrls.size(); ++i) {
            const QString &url = kUrls.at(i);
            const QJsonObject &py = expected.at(i);
            auto u = SqlAlchemyUrl::parse(url);
            QVERIFY2(bool(u) == py.value("ok").toBool(),
                     qPrintable(url + ": " + (u ? QString("parsed") : u.error())));
            if (!u) {
                QVERIFY2(!u.error().contains("secret") && !u.error().contains(":p@"),
                         qPrintable(u.error()));
                continue;
            }
            QCOMPARE(u->drivername, py.value("drivername").toString());
            QCOMPARE(opt(u->username), py.value("username"));
            QCOMPARE(opt(u->password), py.value("password"));
            QCOMPARE(opt(u->host), py.value("host"));
            QCOMPARE(u->port ? QJsonValue(*u->port) : QJsonValue(), py.value("port"));
            QCOMPARE(opt(u->database), py.value("database"));
            QJsonObject query;
            for (const auto &[k, v] : u->query) {
                if (!query.contains(k))
                    query.insert(k, v);
                else if (query.value(k).isArray())
                    query.insert(k, QJsonArray(query.value(k).toArray()) << v);
                else
                    query.insert(k, QJsonArray{query.value(k), v});
            }
            QVERIFY2(query == py.value("query").toObject(), qPrintable(url));
            // Rendering and reading again gives the same URL.
            auto again = SqlAlchemyUrl::parse(u->render(SqlAlchemyUrl::Secrets::Show));
            QVERIFY(again);
            QCOMPARE(opt(again->password), opt(u->password));
            QCOMPARE(opt(again->username), opt(u->username));
        }
    }

    // A password anywhere in a URL is a password: never displayed, never
    // in what is saved or handed on without it, never in an error.
    void secretsNeverShow_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("secret");
        QTest::newRow("in the user part") << "postgresql://u:Hunter2x@h/db"
                                          << "Hunter2x";
        QTest::newRow("with a space") << "postgresql://u:Hun ter2x@h/db"
                                      << "Hun ter2x";
        QTest::newRow("with a percent") << "postgresql://u:Hun%ter2x@h/db"
                                        << "Hun%ter2x";
        QTest::newRow("query password") << "postgresql://u@h/db?password=Hunter2x"
                                        << "Hunter2x";
        QTest::newRow("mysql passwd") << "mysql+pymysql://u@h/db?passwd=Hunter2x"
                                      << "Hunter2x";
        QTest::newRow("sslpassword") << "postgresql://u@h/db?sslpassword=Hunter2x"
                                     << "Hunter2x";
        QTest::newRow("unparseable") << "postgresql://u:Hunter2x@h:port/db"
                                     << "Hunter2x";
        QTest::newRow("no scheme") << "u:Hunter2x@h/db"
                                   << "Hunter2x";
    }
    void secretsNeverShow()
    {
        QFETCH(QString, url);
        QFETCH(QString, secret);
        auto p = ConnectionProfile::fromUrl(url);
        if (!p) {
            QVERIFY2(!p.error().contains(secret), qPrintable(p.error()));
            return;
        }
        QVERIFY(!p->displayUrl().contains(secret));
        QVERIFY(!p->alembicUrl().contains(secret));
        QVERIFY(!p->url.contains(secret));
        for (const QString &v : p->options)
            QVERIFY(!v.contains(secret));
        QVERIFY(p->password == secret || p->secretOptions.values().contains(secret));
    }

    // What SQLAlchemy hands the drivers: libpq options with spaces, SQLite
    // paths as written, SQLite URIs and timeouts, and the URL itself for Alembic.
    void driverArgumentsFollowSqlAlchemy()
    {
        auto pg = ConnectionProfile::fromUrl(
            "postgresql+psycopg2://u@h/db?options=-c%20search_path%3Dapp");
        QVERIFY(pg);
        QCOMPARE(pg->qtConnectOptions(), QStringLiteral("options='-c search_path=app'"));
        QCOMPARE(pg->alembicUrl(),
                 QStringLiteral("postgresql+psycopg2://u@h/db?options=-c%20search_path%3Dapp"));
        auto my = ConnectionProfile::fromUrl("mysql+pymysql://u:p@h/db?charset=utf8mb4");
        QVERIFY(my);
        QVERIFY(my->alembicUrl().startsWith("mysql+pymysql://u@h/db"));
        auto file = ConnectionProfile::fromUrl("sqlite:///a%20b.db", "/base");
        QVERIFY(file);
        QCOMPARE(file->database, QStringLiteral("/base/a%20b.db"));
        auto uri = ConnectionProfile::fromUrl("sqlite:///file:app.db?mode=ro&uri=true", "/base");
        QVERIFY(uri);
        QCOMPARE(uri->database, QStringLiteral("file:/base/app.db?mode=ro"));
        QVERIFY(uri->qtConnectOptions().contains("QSQLITE_OPEN_URI"));
        auto timeout = ConnectionProfile::fromUrl("sqlite:///app.db?timeout=30", "/base");
        QVERIFY(timeout);
        QVERIFY(timeout->qtConnectOptions().contains("QSQLITE_BUSY_TIMEOUT=30000"));
        QVERIFY(!ConnectionProfile::fromUrl("sqlite://user@host/app.db"));
    }

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
