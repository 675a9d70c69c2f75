#include "revisionscanner.h"
#include "revisionreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <sched.h>
#include <string>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

namespace Retort {

// The files of a project as listed: names as the bytes readdir gave, in one
// arena, each with its folder. The reading threads make the paths.
struct RevisionScanner::Listing
{
    struct Entry
    {
        int folder;
        quint32 offset; // into names; each name ends in a NUL
        quint32 length;
    };
    QStringList folders; // absolute, without a trailing '/'
    std::string names;
    std::vector<Entry> entries;

    const char *name(const Entry &e) const { return names.data() + e.offset; }
    QString path(const Entry &e) const
    {
        const QString &folder = folders.at(e.folder);
        const char *n = name(e);
        quint8 high = 0; // (a loop the compiler vectorizes)
        for (quint32 i = 0; i < e.length; ++i)
            high |= quint8(n[i]);
        if (high & 0x80)
            return folder + u'/' + QFile::decodeName(QByteArray(n, e.length));
        // ASCII, nearly always: one allocation, widened by Qt's SIMD Latin-1 path.
        QString out;
        out.reserve(folder.size() + 1 + qsizetype(e.length));
        out.append(folder).append(u'/').append(QLatin1String(n, qsizetype(e.length)));
        return out;
    }
};

namespace {

using Listing = RevisionScanner::Listing;

// RevisionScanner::isRevisionFileName() on the bytes readdir gives.
bool isRevisionFileName(const char *name, size_t len)
{
    return len >= 3 && std::memcmp(name + len - 3, ".py", 3) == 0 &&
           std::strncmp(name, ".#", 2) != 0 && std::strncmp(name, "__init__", 8) != 0;
}

// The first eight bytes of a name as a number that orders like the bytes:
// most names differ there, so sorting rarely compares whole names.
quint64 sortKey(const char *name, size_t len)
{
    unsigned char b[8] = {};
    std::memcpy(b, name, std::min<size_t>(len, 8));
    quint64 k = 0;
    for (unsigned char c : b)
        k = (k << 8) | c;
    return k;
}

// Lists like Alembic's os.walk(followlinks=False): files in name order,
// then subfolders in name order, never into a folder reached through a
// symbolic link (a link loop would otherwise be walked forever). A folder
// that cannot be listed is an error naming it, not an empty folder.
void listFolder(const QString &dir, bool recursive, Listing *out, Diagnostics *diagnostics,
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
    const int folder = int(out->folders.size());
    out->folders.append(dir);
    struct Found
    {
        quint64 key;
        quint32 offset;
        quint32 length;
    };
    std::vector<Found> files;
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
            files.push_back({sortKey(name, len), quint32(out->names.size()), quint32(len)});
            out->names.append(name, len + 1); // with its NUL
        } else if (isDir && !isLink && recursive && std::strcmp(name, "__pycache__") != 0) {
            subdirs.emplace_back(name, qsizetype(len));
        }
    }
    closedir(d);
    const char *base = out->names.data();
    std::sort(files.begin(), files.end(), [base](const Found &a, const Found &b) {
        if (a.key != b.key)
            return a.key < b.key;
        const int c = std::memcmp(base + a.offset, base + b.offset, std::min(a.length, b.length));
        return c != 0 ? c < 0 : a.length < b.length;
    });
    out->entries.reserve(out->entries.size() + files.size());
    for (const Found &f : files)
        out->entries.push_back({folder, f.offset, f.length});
    std::sort(subdirs.begin(), subdirs.end());
    for (const QByteArray &sub : subdirs)
        listFolder(dir + u'/' + QFile::decodeName(sub), recursive, out, diagnostics, configFile);
}

} // namespace

bool RevisionScanner::isRevisionFileName(QStringView name)
{
    return name.endsWith(u".py") && !name.startsWith(u".#") && !name.startsWith(u"__init__");
}

RevisionScanner::Listing RevisionScanner::list(const ProjectConfig &config,
                                               Diagnostics *diagnostics)
{
    Listing out;
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

QStringList RevisionScanner::listFiles(const ProjectConfig &config, Diagnostics *diagnostics)
{
    const Listing listing = list(config, diagnostics);
    QStringList out;
    out.reserve(qsizetype(listing.entries.size()));
    for (const Listing::Entry &e : listing.entries)
        out.append(listing.path(e));
    return out;
}

namespace {

// How many threads help the calling one read. RETORT_THREADS caps all the
// reading threads (for measurements); by default every core reads.
int helperCount()
{
    int threads = QThread::idealThreadCount();
    if (qEnvironmentVariableIsSet("RETORT_THREADS"))
        threads = qEnvironmentVariableIntValue("RETORT_THREADS");
    return qBound(0, threads - 1, 63);
}

} // namespace

// Threads of their own, not the pool's: each takes a private copy of the
// descriptor table (unshare(CLONE_FILES)) once it has its work, so that
// opening and closing thousands of files does not make the threads queue
// on the process's one table lock (measured: 4-5 ms of 75 at 10,000 files
// on 2 cores); a pool thread must not keep such a table after the scan.
// They are started before the folder is listed: the scheduler may take
// milliseconds to first run a new thread (seen: up to 3.5 ms on 2 cores),
// and that wait then overlaps the listing.
class RevisionScanner::ReadingThreads
{
public:
    explicit ReadingThreads(int count)
    {
        for (int t = 0; t < count; ++t) {
            try {
                m_threads.emplace_back([this] {
                    std::function<void()> job;
                    {
                        std::unique_lock lock(m_mutex);
                        m_wake.wait(lock, [this] { return m_started; });
                        job = m_job;
                    }
                    if (job) {
                        (void)::unshare(CLONE_FILES); // without it, only slower
                        job();
                    }
                });
            } catch (const std::system_error &) {
                break; // no thread to be had: the others (and the caller) read it all
            }
        }
    }
    ReadingThreads(const ReadingThreads &) = delete;
    ReadingThreads &operator=(const ReadingThreads &) = delete;
    ~ReadingThreads() { join(); }

    // Every thread runs `job` once (an empty one: nothing).
    void start(std::function<void()> job)
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_started)
                return;
            m_job = std::move(job);
            m_started = true;
        }
        m_wake.notify_all();
    }
    void join()
    {
        start({});
        for (std::thread &t : m_threads) {
            if (t.joinable())
                t.join();
        }
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_started = false;
    std::function<void()> m_job;
    std::vector<std::thread> m_threads;
};

QList<RevisionFile> RevisionScanner::scan(const ProjectConfig &config,
                                          RevisionReader::Detail detail, Diagnostics *diagnostics,
                                          const Hooks &hooks)
{
    ReadingThreads helpers(helperCount());
    const Listing listing = list(config, diagnostics);
    if (hooks.listed)
        hooks.listed(qsizetype(listing.entries.size()));
    return read(listing, detail, hooks, &helpers);
}

namespace {

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
    Listing listing;
    QHash<QStringView, int> folders;
    for (const QString &path : paths) {
        const qsizetype slash = path.lastIndexOf(u'/');
        const QStringView folder = QStringView(path).left(qMax<qsizetype>(slash, 0));
        auto it = folders.constFind(folder);
        if (it == folders.constEnd()) {
            it = folders.insert(folder, int(listing.folders.size()));
            listing.folders.append(folder.toString());
        }
        const QByteArray name = QFile::encodeName(path.mid(slash + 1));
        listing.entries.push_back(
            {it.value(), quint32(listing.names.size()), quint32(name.size())});
        listing.names.append(name.constData(), size_t(name.size()) + 1);
    }
    return read(listing, detail);
}

QList<RevisionFile> RevisionScanner::read(const Listing &listing, RevisionReader::Detail detail,
                                          const Hooks &hooks, ReadingThreads *helpers)
{
    const int n = int(listing.entries.size());
    // Each folder is opened once; every file is opened relative to it, so
    // the kernel resolves one name per file instead of the whole path.
    std::vector<int> folderFds;
    for (const QString &folder : listing.folders)
        folderFds.push_back(
            ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
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
        QString error;
        for (;;) {
            const int begin = next.fetch_add(kBatch);
            if (begin >= n)
                return;
            for (int i = begin; i < qMin(n, begin + kBatch); ++i) {
                const Listing::Entry &e = listing.entries[size_t(i)];
                const QString path = listing.path(e);
                const int dirFd = folderFds[size_t(e.folder)];
                const int fd =
                    dirFd >= 0 ? ::openat(dirFd, listing.name(e), O_RDONLY | O_CLOEXEC)
                               : ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
                if (readFrom(fd, &bytes, &error))
                    RevisionReader::readInto(bytes, path, detail, new (results + i) RevisionFile);
                else
                    new (results + i) RevisionFile(RevisionFile::unreadable(path, error));
                if (hooks.read)
                    hooks.read(i, results[i]);
            }
        }
    };
    // Folders too small to be worth a thread are read by this one alone
    // (threads already started by scan() just take part).
    std::optional<ReadingThreads> own;
    if (!helpers)
        helpers = &own.emplace(n < 4 * kBatch ? 0 : helperCount());
    helpers->start(work);
    work();
    helpers->join();
    for (const int fd : folderFds) {
        if (fd >= 0)
            ::close(fd);
    }
    storage.size = n; // every slot is constructed now
    return QList<RevisionFile>(std::move(storage));
}

} // namespace Retort
