#include "sqlcache.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QMutex>

#include <algorithm>

namespace Retort {

namespace {

constexpr qint64 kMaxHashedBytes = 64 * 1024 * 1024;
constexpr int kMaxHashedFiles = 20000;

QMutex g_mutex;
QHash<QString, QString> g_sql;

bool addFile(QCryptographicHash &hash, const QString &path)
{
    QFile f(path);
    hash.addData(path.toUtf8());
    if (!f.open(QIODevice::ReadOnly))
        return true; // absent is part of the state too
    return hash.addData(&f);
}

bool insideAny(const QString &path, const QStringList &folders)
{
    for (const QString &folder : folders) {
        if (path.startsWith(folder + u'/'))
            return true;
    }
    return false;
}

} // namespace

QByteArray SqlCache::projectFingerprint(const ProjectConfig &config)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!config.configFile.isEmpty())
        addFile(hash, config.configFile);
    // The project's Python files (env.py, the models and helpers revisions
    // import), its template and retort.ini; revision files key on their own.
    QStringList files;
    qint64 bytes = 0;
    QDirIterator it(config.projectDir,
                    {QStringLiteral("*.py"), QStringLiteral("*.mako"), QStringLiteral("*.ini"),
                     QStringLiteral("*.toml")},
                    QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        // Installed packages are fixed for the life of the process; what can
        // change under a running window is the project's own source.
        static const QStringList skipped{
            QStringLiteral("/.git/"),          QStringLiteral("/__pycache__/"),
            QStringLiteral("/node_modules/"),  QStringLiteral("/site-packages/"),
            QStringLiteral("/dist-packages/"), QStringLiteral("/.venv/"),
            QStringLiteral("/venv/"),          QStringLiteral("/.tox/"),
            QStringLiteral("/.mypy_cache/")};
        if (insideAny(path, config.versionLocations) ||
            std::any_of(skipped.cbegin(), skipped.cend(),
                        [&](const QString &s) { return path.contains(s); }))
            continue;
        files.append(path);
        bytes += it.fileInfo().size();
        if (files.size() > kMaxHashedFiles || bytes > kMaxHashedBytes)
            return {};
    }
    files.sort();
    for (const QString &path : std::as_const(files))
        addFile(hash, path);
    return hash.result();
}

QString SqlCache::key(const QByteArray &fingerprint, const QString &revisionPath,
                      const QString &dialect, bool upgrade)
{
    if (fingerprint.isEmpty())
        return {};
    QFile f(revisionPath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(fingerprint);
    hash.addData(f.readAll());
    hash.addData(dialect.toUtf8());
    hash.addData(upgrade ? QByteArrayView("up") : QByteArrayView("down"));
    return QString::fromLatin1(hash.result().toHex());
}

bool SqlCache::lookup(const QString &key, QString *sql)
{
    if (key.isEmpty())
        return false;
    QMutexLocker lock(&g_mutex);
    const auto it = g_sql.constFind(key);
    if (it == g_sql.cend())
        return false;
    *sql = it.value();
    return true;
}

void SqlCache::store(const QString &key, const QString &sql)
{
    if (key.isEmpty())
        return;
    QMutexLocker lock(&g_mutex);
    g_sql.insert(key, sql);
}

void SqlCache::clear()
{
    QMutexLocker lock(&g_mutex);
    g_sql.clear();
}

} // namespace Retort
