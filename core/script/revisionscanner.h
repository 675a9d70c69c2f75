#pragma once

#include "core/diagnostic.h"
#include "projectconfig.h"
#include "revisionfile.h"
#include "revisionreader.h"

#include <QList>
#include <QStringList>

#include <atomic>
#include <functional>

namespace Retort {

class Workers;

// Finds a project's revision files the way Alembic does and reads them on
// all cores.
class RevisionScanner
{
public:
    // Alembic's rule: "*.py", but not __init__ and not editor droppings (.#x.py).
    static bool isRevisionFileName(QStringView name);

    // Every revision file of the project's version locations, each location
    // in name order, a file reached twice (through links) listed once.
    static QStringList listFiles(const ProjectConfig &config, Diagnostics *diagnostics);

    // Reads the files in parallel; the result keeps the order of `paths`.
    static QList<RevisionFile>
    readFiles(const QStringList &paths,
              RevisionReader::Detail detail = RevisionReader::Detail::Full);

    // What a caller may do alongside a scan: `listed` is told how many files
    // there are before any is read; `read` gets each file on the thread that
    // has just read it (several threads at once, each index once), so work
    // on one file alone is done while the file is still in that core's cache.
    struct Hooks
    {
        std::function<void(qsizetype files)> listed;
        std::function<void(int index, const RevisionFile &file)> read;
    };

    // listFiles() and readFiles() in one: what a project load does. The
    // paths are made by the reading threads, not one by one before them.
    // The files are read by `workers` and this thread (by workers of its
    // own when none are given); the workers' descriptor tables are their
    // own afterwards (see RevisionScanner::read), so they must not open files
    // for anyone else after the scan.
    static QList<RevisionFile> scan(const ProjectConfig &config, RevisionReader::Detail detail,
                                    Diagnostics *diagnostics, const Hooks &hooks = {},
                                    Workers *workers = nullptr);

    // Reads one file's bytes, faster than QFile for many small files.
    static bool readBytes(const QString &path, QByteArray *out, QString *error);

    struct Listing;
    class EarlyReading;

private:
    static Listing list(const ProjectConfig &config, Diagnostics *diagnostics, EarlyReading *early);
    static QList<RevisionFile> read(const Listing &listing, RevisionReader::Detail detail,
                                    const Hooks &hooks = {}, Workers *workers = nullptr,
                                    const EarlyReading *early = nullptr);
};

} // namespace Retort
