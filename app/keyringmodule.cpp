// The system keyring (QtKeychain) as a module that Retort loads when a
// password is read or kept: QtKeychain brings Qt DBus, libdbus, libsystemd
// and libgcrypt, which cost every command line start about a millisecond.
#include <QEventLoop>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace {

// Runs a keychain job to its end, with a timeout for a keyring that hangs.
bool finish(QKeychain::Job &job, QString *error)
{
    QEventLoop loop;
    bool done = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    job.start();
    if (!done)
        loop.exec();
    if (!done) {
        *error = QStringLiteral("the keyring did not answer within 10 seconds");
        return false;
    }
    if (job.error() != QKeychain::NoError) {
        *error =
            job.error() == QKeychain::NoBackendAvailable || job.error() == QKeychain::OtherError
                ? QStringLiteral("no keyring service is available (%1)").arg(job.errorString())
                : job.errorString();
        return false;
    }
    return true;
}

} // namespace

// operation: 0 read `key` into *output, 1 write `input` under `key`,
// 2 remove `key`. Returns 0 when done, 1 when there is no such entry, 2 on
// any other failure; `error` says why. The caller runs every call on one
// thread of its own (QtKeychain is not made for several at once).
extern "C" __attribute__((visibility("default"))) int
retortKeyring(int operation, const QString &service, const QString &key, const QString &input,
              QString *output, QString *error)
{
    auto run = [&](QKeychain::Job &job) {
        job.setAutoDelete(false);
        job.setKey(key);
        if (finish(job, error))
            return 0;
        return job.error() == QKeychain::EntryNotFound ? 1 : 2;
    };
    switch (operation) {
    case 0: {
        QKeychain::ReadPasswordJob job(service);
        const int code = run(job);
        if (code == 0)
            *output = job.textData();
        return code;
    }
    case 1: {
        QKeychain::WritePasswordJob job(service);
        job.setTextData(input);
        return run(job);
    }
    case 2: {
        QKeychain::DeletePasswordJob job(service);
        return run(job);
    }
    default:
        *error = QStringLiteral("unknown keyring operation %1").arg(operation);
        return 2;
    }
}
