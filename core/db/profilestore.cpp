#include "profilestore.h"

#include "sqlalchemyurl.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>

#include "core/modules.h"

#include <mutex>

namespace Retort {

namespace {

QString groupFor(const QString &projectPath)
{
    const QByteArray key =
        QCryptographicHash::hash(QFileInfo(projectPath).absoluteFilePath().toUtf8(),
                                 QCryptographicHash::Sha1)
            .toHex();
    return QStringLiteral("profiles/") + QString::fromLatin1(key.left(16));
}

const QString kService = QStringLiteral("Retort database passwords");

// The keyring module's one entry point (app/keyringmodule.cpp).
using KeyringCall = int (*)(int operation, const QString &service, const QString &key,
                            const QString &input, QString *output, QString *error);
enum KeyringOperation
{
    ReadKey = 0,
    WriteKey = 1,
    RemoveKey = 2
};
enum KeyringOutcome
{
    Done = 0,
    NotFound = 1,
    Failed = 2
};

// Loads the module once; a module that cannot be loaded is a keyring that
// is not there, with the reason.
KeyringOutcome callKeyring(KeyringOperation operation, const QString &key, const QString &input,
                           QString *output, QString *error)
{
    static QString loadError;
    static const KeyringCall call = [] {
        return reinterpret_cast<KeyringCall>(
            Modules::symbol(QStringLiteral("retort-keyring"), "retortKeyring", &loadError));
    }();
    if (!call) {
        *error = QStringLiteral("the keyring module cannot be loaded (%1)").arg(loadError);
        return Failed;
    }
    return KeyringOutcome(call(operation, kService, key, input, output, error));
}

// QtKeychain is not made for several threads at once (its jobs share state
// in the thread that first used it): every keyring call, from whichever
// thread, runs on one thread of its own, one at a time. The thread is made
// in a plain function: a static inside the template below would be one
// thread per call site, which is the very thing this avoids.
QObject *keyringWorker()
{
    static QObject *worker = [] {
        auto *thread = new QThread; // lives as long as the process
        thread->setObjectName(QStringLiteral("keyring"));
        thread->start();
        auto *object = new QObject;
        object->moveToThread(thread);
        return object;
    }();
    return worker;
}

template<typename F> auto onKeyringThread(F work) -> decltype(work())
{
    QObject *worker = keyringWorker();
    if (QThread::currentThread() == worker->thread())
        return work();
    decltype(work()) result = decltype(work())::failure(QString());
    QMetaObject::invokeMethod(
        worker, [&] { result = work(); }, Qt::BlockingQueuedConnection);
    return result;
}

} // namespace

QList<ConnectionProfile> ProfileStore::load(const QString &projectPath)
{
    migrateLegacySettings();
    QSettings s;
    QList<ConnectionProfile> out;
    const int n = s.beginReadArray(groupFor(projectPath));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ConnectionProfile p;
        p.name = s.value(QStringLiteral("name")).toString();
        p.driver = ConnectionProfile::Driver(s.value(QStringLiteral("driver")).toInt());
        p.host = s.value(QStringLiteral("host")).toString();
        p.port = s.value(QStringLiteral("port")).toInt();
        p.database = s.value(QStringLiteral("database")).toString();
        p.user = s.value(QStringLiteral("user")).toString();
        p.url = s.value(QStringLiteral("url")).toString();
        const QVariantMap options = s.value(QStringLiteral("options")).toMap();
        for (auto it = options.cbegin(); it != options.cend(); ++it) {
            // Older files may hold a query-string password: it is used, and
            // left out the next time the file is written.
            if (it.key() == u"password" || it.key() == u"passwd")
                p.password = it.value().toString();
            else if (SqlAlchemyUrl::isSecretKey(it.key()))
                p.secretOptions.insert(it.key(), it.value().toString());
            else
                p.options.insert(it.key(), it.value().toString());
        }
        p.versionTable =
            s.value(QStringLiteral("versionTable"), QStringLiteral("alembic_version")).toString();
        p.versionSchema = s.value(QStringLiteral("versionSchema")).toString();
        p.shared = s.value(QStringLiteral("shared")).toBool();
        p.downgradesForbidden = s.value(QStringLiteral("downgradesForbidden")).toBool();
        p.scratch = s.value(QStringLiteral("scratch")).toBool();
        p.tag = s.value(QStringLiteral("tag")).toString();
        p.color = s.value(QStringLiteral("color")).toString();
        out.append(p);
    }
    s.endArray();
    return out;
}

void ProfileStore::save(const QString &projectPath, const QList<ConnectionProfile> &profiles)
{
    migrateLegacySettings();
    QSettings s;
    s.remove(groupFor(projectPath));
    s.beginWriteArray(groupFor(projectPath), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile &p = profiles.at(i);
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), p.name);
        s.setValue(QStringLiteral("driver"), int(p.driver));
        s.setValue(QStringLiteral("host"), p.host);
        s.setValue(QStringLiteral("port"), p.port);
        s.setValue(QStringLiteral("database"), p.database);
        s.setValue(QStringLiteral("user"), p.user);
        s.setValue(QStringLiteral("url"), p.url); // fromUrl() left its secrets out
        QVariantMap options;
        for (auto it = p.options.cbegin(); it != p.options.cend(); ++it) {
            if (!SqlAlchemyUrl::isSecretKey(it.key()))
                options.insert(it.key(), it.value());
        }
        s.setValue(QStringLiteral("options"), options);
        s.setValue(QStringLiteral("versionTable"), p.versionTable);
        s.setValue(QStringLiteral("versionSchema"), p.versionSchema);
        s.setValue(QStringLiteral("shared"), p.shared);
        s.setValue(QStringLiteral("downgradesForbidden"), p.downgradesForbidden);
        s.setValue(QStringLiteral("scratch"), p.scratch);
        s.setValue(QStringLiteral("tag"), p.tag);
        s.setValue(QStringLiteral("color"), p.color);
        // The password is deliberately not written.
    }
    s.endArray();
}

void ProfileStore::migrateLegacySettings()
{
    // Once per process, and only where profiles are used: a command that
    // reads no profile neither opens nor writes the settings file.
    static std::once_flag once;
    std::call_once(once, [] {
        QSettings current;
        if (current.value(QStringLiteral("migration/legacyCliSettings")).toBool())
            return;
        const QString legacy =
            QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
            QStringLiteral("/Unknown Organization/retort.conf");
        if (QFileInfo::exists(legacy)) {
            QSettings old(legacy, QSettings::IniFormat);
            for (const QString &key : old.allKeys()) {
                if (!current.contains(key))
                    current.setValue(key, old.value(key));
            }
        }
        current.setValue(QStringLiteral("migration/legacyCliSettings"), true);
    });
}

const ConnectionProfile *ProfileStore::find(const QList<ConnectionProfile> &profiles,
                                            const QString &name)
{
    for (const ConnectionProfile &p : profiles) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

QString PasswordStore::keyFor(const QString &projectPath, const QString &profileName)
{
    return QFileInfo(projectPath).absoluteFilePath() + u'#' + profileName;
}

Result<QString> PasswordStore::read(const QString &key)
{
    return onKeyringThread([&]() -> Result<QString> {
        QString password, error;
        if (callKeyring(ReadKey, key, {}, &password, &error) != Done)
            return Result<QString>::failure(error);
        return password;
    });
}

Result<bool> PasswordStore::available()
{
    return onKeyringThread([&]() -> Result<bool> {
        QString unused, error;
        if (callKeyring(ReadKey, QStringLiteral("retort-keyring-probe"), {}, &unused, &error) !=
            Failed)
            return true;
        return Result<bool>::failure(error);
    });
}

Result<bool> PasswordStore::write(const QString &key, const QString &password)
{
    return onKeyringThread([&]() -> Result<bool> {
        QString unused, error;
        if (callKeyring(WriteKey, key, password, &unused, &error) != Done)
            return Result<bool>::failure(error);
        return true;
    });
}

Result<bool> PasswordStore::remove(const QString &key)
{
    return onKeyringThread([&]() -> Result<bool> {
        QString unused, error;
        if (callKeyring(RemoveKey, key, {}, &unused, &error) != Done)
            return Result<bool>::failure(error);
        return true;
    });
}

} // namespace Retort
