#include "core/db/profilestore.h"
#include "core/modules.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

using namespace Retort;

class TestProfileStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("RetortTest");
        QCoreApplication::setApplicationName("RetortProfiles");
        QSettings().clear();
    }

    void roundTripWithoutPasswords()
    {
        auto prod = ConnectionProfile::fromUrl(
            "postgresql://app:s3cret@db.example.com:6432/sales?sslmode=require");
        ConnectionProfile p = prod.value();
        p.name = "production";
        p.shared = true;
        p.downgradesForbidden = true;
        p.versionSchema = "migrations";
        ConnectionProfile local =
            ConnectionProfile::fromUrl("sqlite:///dev.db", "/srv/app").value();
        local.name = "local";
        ProfileStore::save("/srv/app/alembic.ini", {p, local});
        ProfileStore::save("/srv/other/alembic.ini", {local});

        const QList<ConnectionProfile> loaded = ProfileStore::load("/srv/app/alembic.ini");
        QCOMPARE(loaded.size(), 2);
        const ConnectionProfile *back = ProfileStore::find(loaded, "production");
        QVERIFY(back);
        QCOMPARE(back->driver, ConnectionProfile::Driver::PostgreSQL);
        QCOMPARE(back->host, QStringLiteral("db.example.com"));
        QCOMPARE(back->port, 6432);
        QCOMPARE(back->user, QStringLiteral("app"));
        QCOMPARE(back->options.value("sslmode"), QStringLiteral("require"));
        QCOMPARE(back->versionSchema, QStringLiteral("migrations"));
        QVERIFY(back->shared);
        QVERIFY(back->downgradesForbidden);
        QVERIFY(back->password.isEmpty());
        QCOMPARE(ProfileStore::find(loaded, "local")->database, QStringLiteral("/srv/app/dev.db"));
        QCOMPARE(ProfileStore::load("/srv/other/alembic.ini").size(), 1);
        QVERIFY(!ProfileStore::find(loaded, "staging"));

        // The password is nowhere in the settings file.
        QSettings s;
        s.sync();
        QFile f(s.fileName());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("s3cret"));
    }

    void keyringModuleLoads()
    {
        // QtKeychain is a module of its own (not linked into every start);
        // it is found beside the executable, as in an installed tree.
        QString error;
        QVERIFY2(Modules::symbol("retort-keyring", "retortKeyring", &error), qPrintable(error));
        QVERIFY(!Modules::symbol("retort-keyring", "noSuchSymbol", &error));
        QVERIFY(!error.isEmpty());
    }

    void keyringSaysWhenItIsMissing()
    {
        const QString key = PasswordStore::keyFor("/srv/app/alembic.ini", "production");
        auto written = PasswordStore::write(key, "s3cret");
        if (!written) {
            // CI and bare servers have no keyring service: the sentence says so.
            QVERIFY2(written.error().contains("keyring") || written.error().contains("D-Bus"),
                     qPrintable(written.error()));
            // ... and it is the service that is missing, not Retort's module.
            QVERIFY2(!written.error().contains("module"), qPrintable(written.error()));
            auto read = PasswordStore::read(key);
            QVERIFY(!read);
            return;
        }
        auto read = PasswordStore::read(key);
        QVERIFY(read);
        QCOMPARE(read.value(), QStringLiteral("s3cret"));
        QVERIFY(PasswordStore::remove(key));
    }

    // QtKeychain keeps state in the thread that first used it: every kind of
    // keyring call, from any thread, must share one keyring thread (it was one
    // per call site once, and ASan saw a double free between two of them).
    void oneKeyringThreadForEveryCall()
    {
        const QString key = PasswordStore::keyFor("/srv/app/alembic.ini", "threads");
        PasswordStore::available();
        PasswordStore::write(key, "x");
        PasswordStore::read(key);
        QThread *other = QThread::create([&] {
            PasswordStore::read(key);
            PasswordStore::available();
        });
        other->start();
        QVERIFY(other->wait(30000));
        delete other;
        PasswordStore::remove(key);
        QCOMPARE(threadsNamed("keyring"), 1);
    }

private:
    // The threads of this process whose name (QThread's objectName) is given.
    static int threadsNamed(const QByteArray &name)
    {
        int n = 0;
        const QDir tasks("/proc/self/task");
        for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile comm(tasks.filePath(tid + "/comm"));
            if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == name)
                ++n;
        }
        return n;
    }
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
