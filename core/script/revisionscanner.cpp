#include "revisionscanner.h"
#include "revisionreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Retort {

namespace {

void listFolder(const QString &dir, bool recursive, QStringList *out)
{
    const QByteArray encoded = QFile::encodeName(dir);
    DIR *d = opendir(encoded.constData());
    if (!d)
        return;
    QStringList files;
    QStringList subdirs;
    while (dirent *e = readdir(d)) {
        const char *name = e->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
            continue;
        const QString qname = QFile::decodeName(name);
        bool isDir = e->d_type == DT_DIR;
        bool isFile = e->d_type == DT_REG;
        if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
            const QFileInfo info(dir + u'/' + qname);
            isDir = info.isDir();
            // A dangling link still names a revision file; reading it will
            // say what is wrong instead of the revision silently vanishing.
            isFile = info.isFile() || (e->d_type == DT_LNK && !isDir);
        }
        if (isFile && RevisionScanner::isRevisionFileName(qname))
            files.append(qname);
        else if (isDir && recursive && qname != u"__pycache__")
            subdirs.append(qname);
    }
    closedir(d);
    std::sort(files.begin(), files.end());
    for (const QString &f : std::as_const(files))
        out->append(dir + u'/' + f);
    std::sort(subdirs.begin(), subdirs.end());
    for (const QString &s : std::as_const(subdirs))
        listFolder(dir + u'/' + s, recursive, out);
}

} // namespace

bool RevisionScanner::isRevisionFileName(QStringView name)
{
    return name.endsWith(u".py") && !name.startsWith(u".#") && !name.startsWith(u"__init__");
}

QStringList RevisionScanner::listFiles(const ProjectConfig &config, Diagnostics *diagnostics)
{
    QStringList out;
    QSet<QString> seenDirs;
    for (const QString &location : config.versionLocations) {
        const QFileInfo info(location);
        if (!info.isDir()) {
            if (diagnostics)
                diagnostics->append({Severity::Error, QStringLiteral("missing-version-location"),
                                     config.configFile, 0,
                                     QStringLiteral("The version location %1 is not a folder.")
                                         .arg(QDir::toNativeSeparators(location))});
            continue;
        }
        const QString canonical = info.canonicalFilePath();
        if (seenDirs.contains(canonical)) {
            if (diagnostics)
                diagnostics->append({Severity::Warning, QStringLiteral("duplicate-version-location"),
                                     config.configFile, 0,
                                     QStringLiteral("The version location %1 is listed twice; its "
                                                    "files are read once.")
                                         .arg(QDir::toNativeSeparators(location))});
            continue;
        }
        seenDirs.insert(canonical);
        listFolder(info.absoluteFilePath(), config.recursiveVersionLocations, &out);
    }
    return out;
}

bool RevisionScanner::readBytes(const QString &path, QByteArray *out, QString *error)
{
    const QByteArray encoded = QFile::encodeName(path);
    const int fd = ::open(encoded.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    struct stat st;
    qint64 expected = (::fstat(fd, &st) == 0 && st.st_size > 0) ? st.st_size : 4096;
    out->resize(expected);
    qint64 total = 0;
    for (;;) {
        if (total == out->size())
            out->resize(out->size() * 2);
        const ssize_t n = ::read(fd, out->data() + total, size_t(out->size() - total));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            return false;
        }
        if (n == 0)
            break;
        total += n;
    }
    ::close(fd);
    out->resize(total);
    return true;
}

QList<RevisionFile> RevisionScanner::readFiles(const QStringList &paths)
{
    auto readOne = [](const QString &path) {
        QByteArray bytes;
        QString error;
        if (!readBytes(path, &bytes, &error)) {
            RevisionFile f;
            f.path = path;
            f.fileName = QFileInfo(path).fileName();
            f.diagnostics.append({Severity::Error, QStringLiteral("unreadable-file"), path, 0,
                                  QStringLiteral("Cannot read the file: %1.").arg(error)});
            return f;
        }
        return RevisionReader::read(bytes, path);
    };
    if (paths.size() < 64) {
        QList<RevisionFile> out;
        out.reserve(paths.size());
        for (const QString &p : paths)
            out.append(readOne(p));
        return out;
    }
    return QtConcurrent::blockingMapped<QList<RevisionFile>>(paths, readOne);
}

} // namespace Retort
