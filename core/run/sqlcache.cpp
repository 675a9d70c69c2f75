#include "sqlcache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

namespace Retort {

QString SqlCache::folder()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/sql");
}

QString SqlCache::key(const QString &revisionPath, const QString &dialect, bool upgrade)
{
    QFile f(revisionPath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(f.readAll());
    hash.addData(dialect.toUtf8());
    hash.addData(upgrade ? QByteArrayView("up") : QByteArrayView("down"));
    return QString::fromLatin1(hash.result().toHex());
}

bool SqlCache::lookup(const QString &key, QString *sql)
{
    if (key.isEmpty())
        return false;
    QFile f(QDir(folder()).filePath(key + QStringLiteral(".sql")));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    *sql = QString::fromUtf8(f.readAll());
    return true;
}

void SqlCache::store(const QString &key, const QString &sql)
{
    if (key.isEmpty())
        return;
    QDir().mkpath(folder());
    QSaveFile f(QDir(folder()).filePath(key + QStringLiteral(".sql")));
    if (f.open(QIODevice::WriteOnly)) {
        f.write(sql.toUtf8());
        f.commit();
    }
}

} // namespace Retort
