#include "revisionscanner.h"
#include "revisionreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace Retort {

namespace {

// RevisionScanner::isRevisionFileName() on the bytes readdir gives.
bool isRevisionFileName(const char *name, size_t len)
{
    return len >= 3 && std::memcmp(name + len - 3, ".py", 3) == 0 &&
           std::strncmp(name, ".#", 2) != 0 && std::strncmp(name, "__init__", 8) != 0;
}

// One path as a QString in a single allocation; names are almost always
// ASCII, which needs no decoding.
QString joinPath(const QString &prefix, const char *name, qsizetype len)
{
    for (qsizetype i = 0; i < len; ++i) {
        if (quint8(name[i]) >= 0x80)
            return prefix + QFile::decodeName(QByteArray(name, len));
    }
    QString out(prefix.size() + len, Qt::Uninitialized);
    QChar *d = out.data();
    std::copy(prefix.cbegin(), prefix.cend(), d);
    d += prefix.size();
    for (qsizetype i = 0; i < len; ++i)
        d[i] = QLatin1Char(name[i]);
    return out;
}

// Lists like Alembic's os.walk(followlinks=False): files in name order,
// then subfolders in name order, never into a folder reached through a
// symbolic link (a link loop would otherwise be walked forever). A folder
// that cannot be listed is an error naming it, not an empty folder.
void listFolder(const QString &dir, bool recursive, QStringList *out, Diagnostics *diagnostics,
                const QString &configFile)
{
    const QByteArray encoded = QFile::encodeName(dir);
    DIR *d = opendir(encoded.constData());
    if (!d) {
        if (diagnostics)
            diagnostics->append({Severity::Error, QStringLiteral("unreadable-version-location"),
                                 configFile, 0,
                                 QStringLiteral("Cannot list the folder %1: %2.")
                                     .arg(QDir::toNativeSeparators(dir),
                                          QString::fromLocal8Bit(std::strerror(errno)))});
        return;
    }
    // Names are kept as bytes in one arena until sorted; only then do the
    // survivors become QStrings.
    std::string arena;
    std::vector<std::pair<size_t, size_t>> files; // offset, length into arena
    std::vector<QByteArray> subdirs;
    while (dirent *e = readdir(d)) {
        const char *name = e->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
            continue;
        const size_t len = std::strlen(name);
        bool isDir = e->d_type == DT_DIR;
        bool isFile = e->d_type == DT_REG;
        bool isLink = e->d_type == DT_LNK;
        if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
            const QFileInfo info(dir + u'/' + QFile::decodeName(name));
            isDir = info.isDir();
            isLink = info.isSymLink();
            // A dangling link still names a revision file; reading it will
            // say what is wrong instead of the revision silently vanishing.
            isFile = info.isFile() || (isLink && !isDir);
        }
        if (isFile && isRevisionFileName(name, len)) {
            files.emplace_back(arena.size(), len);
            arena.append(name, len);
        } else if (isDir && !isLink && recursive && std::strcmp(name, "__pycache__") != 0) {
            subdirs.emplace_back(name, qsizetype(len));
        }
    }
    closedir(d);
    const char *base = arena.data();
    std::sort(files.begin(), files.end(), [base](const auto &a, const auto &b) {
        const int c = std::memcmp(base + a.first, base + b.first, std::min(a.second, b.second));
        return c != 0 ? c < 0 : a.second < b.second;
    });
    const QString prefix = dir + u'/';
    out->reserve(out->size() + qsizetype(files.size()));
    for (const auto &[offset, len] : files)
        out->append(joinPath(prefix, base + offset, qsizetype(len)));
    std::sort(subdirs.begin(), subdirs.end());
    for (const QByteArray &sub : subdirs)
        listFolder(prefix + QFile::decodeName(sub), recursive, out, diagnostics, configFile);
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
                diagnostics->append({Severity::Warning,
                                     QStringLiteral("duplicate-version-location"),
                                     config.configFile, 0,
                                     QStringLiteral("The version location %1 is listed twice; its "
                                                    "files are read once.")
                                         .arg(QDir::toNativeSeparators(location))});
            continue;
        }
        seenDirs.insert(canonical);
        listFolder(info.absoluteFilePath(), config.recursiveVersionLocations, &out, diagnostics,
                   config.configFile);
    }
    return out;
}

namespace {

// Opens `path` relative to a descriptor of its folder, kept open per thread
// while consecutive paths share the folder: the kernel then resolves one
// name per file instead of walking the whole path each time.
class FolderHandle
{
public:
    ~FolderHandle() { close(); }
    int open(const QString &path)
    {
        // The same folder as the last file: compare the prefix, then copy
        // the name (ASCII, no further '/') into a C string.
        const qsizetype prefix = m_folder.size();
        if (m_fd >= 0 && path.size() > prefix + 1 && path.at(prefix) == u'/' &&
            QStringView(path).left(prefix) == m_folder) {
            char name[NAME_MAX + 1];
            const QChar *c = path.constData() + prefix + 1;
            const qsizetype len = path.size() - prefix - 1;
            qsizetype k = 0;
            for (; k < len && k < NAME_MAX && c[k].unicode() < 0x80 && c[k] != u'/'; ++k)
                name[k] = char(c[k].unicode());
            if (k == len) {
                name[k] = 0;
                return ::openat(m_fd, name, O_RDONLY | O_CLOEXEC);
            }
        }
        const qsizetype slash = path.lastIndexOf(u'/');
        if (slash <= 0)
            return ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
        const QStringView folder = QStringView(path).left(slash);
        if (m_fd < 0 || folder != m_folder) {
            close();
            m_folder = folder.toString();
            m_fd =
                ::open(QFile::encodeName(m_folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (m_fd < 0) {
                m_folder.clear();
                return ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
            }
        }
        return ::openat(m_fd, QFile::encodeName(path.mid(slash + 1)).constData(),
                        O_RDONLY | O_CLOEXEC);
    }

private:
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    QString m_folder;
    int m_fd = -1;
};

bool readFrom(int fd, QByteArray *out, QString *error);

} // namespace

bool RevisionScanner::readBytes(const QString &path, QByteArray *out, QString *error)
{
    const QByteArray encoded = QFile::encodeName(path);
    const int fd = ::open(encoded.constData(), O_RDONLY | O_CLOEXEC);
    return readFrom(fd, out, error);
}

namespace {

bool readFrom(int fd, QByteArray *out, QString *error)
{
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    // No fstat: read into what the buffer already holds (callers reuse one
    // per thread), growing it only for a file larger than any before.
    if (out->capacity() < 16384)
        out->reserve(16384);
    out->resize(out->capacity());
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
        // A regular file returns less than asked for only at its end: that
        // saves the second read (and its syscall) for nearly every file.
        if (total < out->size())
            break;
    }
    ::close(fd);
    out->resize(total);
    return true;
}

} // namespace

QList<RevisionFile> RevisionScanner::readFiles(const QStringList &paths,
                                               RevisionReader::Detail detail)
{
    const int n = int(paths.size());
    // The list's storage is allocated here but each result is constructed by
    // the thread that reads it: constructing ten thousand results up front
    // (and faulting in their pages) would be serial work before any reading.
    QArrayDataPointer<RevisionFile> storage(QTypedArrayData<RevisionFile>::allocate(n));
    RevisionFile *results = storage.data();
    // Threads take batches of files from a shared counter and write each
    // result into its own slot, so nothing is copied or merged afterwards.
    constexpr int kBatch = 32;
    std::atomic<int> next{0};
    auto work = [&] {
        static thread_local QByteArray bytes;
        FolderHandle folder;
        QString error;
        for (;;) {
            const int begin = next.fetch_add(kBatch);
            if (begin >= n)
                return;
            for (int i = begin; i < qMin(n, begin + kBatch); ++i) {
                if (readFrom(folder.open(paths.at(i)), &bytes, &error))
                    RevisionReader::readInto(bytes, paths.at(i), detail,
                                             new (results + i) RevisionFile);
                else
                    new (results + i) RevisionFile(RevisionFile::unreadable(paths.at(i), error));
            }
        }
    };
    // RETORT_THREADS caps the reading threads (for measurements); by default
    // every core reads, except for folders too small to be worth it.
    int threads = QThread::idealThreadCount();
    if (qEnvironmentVariableIsSet("RETORT_THREADS"))
        threads = qEnvironmentVariableIntValue("RETORT_THREADS");
    const int helpers = n < 4 * kBatch ? 0 : qBound(0, threads - 1, 63);
    QList<QFuture<void>> running;
    for (int t = 0; t < helpers; ++t)
        running.append(QtConcurrent::run(work));
    work();
    for (QFuture<void> &f : running)
        f.waitForFinished();
    storage.size = n; // every slot is constructed now
    return QList<RevisionFile>(std::move(storage));
}

} // namespace Retort
