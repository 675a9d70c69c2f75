#include "demoproject.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QStandardPaths>

namespace Retort {

QString materializeDemoProject(QString *error)
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    const QString target = QDir(base).filePath(QStringLiteral("demo-%1").arg(
        QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"))));
    QDirIterator it(QStringLiteral(":/demo"), QDir::Files, QDirIterator::Subdirectories);
    int copied = 0;
    while (it.hasNext()) {
        const QString source = it.next();
        const QString relative = source.mid(QStringLiteral(":/demo/").size());
        const QString destination = QDir(target).filePath(relative);
        QDir().mkpath(QFileInfo(destination).absolutePath());
        QFile::remove(destination);
        if (!QFile::copy(source, destination)) {
            *error = QObject::tr("Cannot write the demo project to %1.")
                         .arg(QDir::toNativeSeparators(target));
            return {};
        }
        QFile::setPermissions(destination, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                               QFile::ReadOther);
        ++copied;
    }
    if (copied == 0) {
        *error = QObject::tr("This build of Retort has no demo project.");
        return {};
    }
    return QDir(target).filePath(QStringLiteral("alembic.ini"));
}

} // namespace Retort
