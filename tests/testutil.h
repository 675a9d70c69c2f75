#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>

namespace TestUtil {

// Writes `content` to dir/relativePath, creating folders; returns the path.
inline QString writeFile(const QString &dir, const QString &relativePath, const QByteArray &content)
{
    const QString path = QDir(dir).filePath(relativePath);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
    return path;
}

// Copies a folder tree (without __pycache__ and databases) into `to`.
inline void copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        if (source.contains(QStringLiteral("__pycache__")) ||
            source.endsWith(QStringLiteral(".db")))
            continue;
        const QString target = to + source.mid(from.size());
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(source, target))
            qFatal("cannot copy %s", qPrintable(source));
    }
}

// Runs the real git in `dir` as a fixed author, with no system or user
// configuration; false (with git's message) when it fails.
inline bool git(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : {"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"})
        env.insert(QString::fromLatin1(v), QStringLiteral("Ana Tester"));
    for (const char *v : {"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"})
        env.insert(QString::fromLatin1(v), QStringLiteral("ana@example.invalid"));
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("HOME"), dir);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("git"), args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        qWarning("git %s: %s", qPrintable(args.join(u' ')), p.readAllStandardError().constData());
        return false;
    }
    return true;
}

// A minimal revision file as `alembic revision` writes it.
inline QByteArray revisionSource(const QByteArray &id, const QByteArray &down,
                                 const QByteArray &extra = {})
{
    return "\"\"\"revision " + id + "\n\nRevision ID: " + id + "\nRevises: " + down +
           "\n\"\"\"\nrevision = '" + id +
           "'\ndown_revision = " + (down.isEmpty() ? QByteArray("None") : "'" + down + "'") + "\n" +
           extra + "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n";
}

// Settings, caches and data of a test stay its own: Qt's test paths, and
// an application name of its own.
inline void isolate(const QString &application = QStringLiteral("RetortTest"))
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortTest"));
    QCoreApplication::setApplicationName(application);
}

// The demo project copied into `dir` and committed there to a new git
// repository (author Ana Tester) with `message`.
inline bool demoInGit(const QString &dir, const QString &message)
{
    copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir);
    return git(dir, {QStringLiteral("init"), QStringLiteral("-q")}) &&
           git(dir, {QStringLiteral("add"), QStringLiteral(".")}) &&
           git(dir, {QStringLiteral("commit"), QStringLiteral("-qm"), message});
}

} // namespace TestUtil
