#include "core/project.h"
#include "core/script/revisionscanner.h"
#include "core/workers.h"
#include "testutil.h"

#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <QTest>
#include <algorithm>
#include <unistd.h>

using namespace Retort;
using TestUtil::revisionSource;
using TestUtil::writeFile;

class TestRevisionScanner : public QObject
{
    Q_OBJECT

private slots:
    void fileNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("counts");
        QTest::newRow("revision") << "1a2b_add_users.py" << true;
        QTest::newRow("hidden but python") << ".hidden.py" << true;
        QTest::newRow("emacs lock") << ".#1a2b_add_users.py" << false;
        QTest::newRow("init") << "__init__.py" << false;
        QTest::newRow("compiled") << "1a2b.pyc" << false;
        QTest::newRow("backup") << "1a2b.py~" << false;
        QTest::newRow("text") << "README.txt" << false;
    }
    void fileNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, counts);
        QCOMPARE(RevisionScanner::isRevisionFileName(name), counts);
    }

    void listsInNameOrder()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), "v/b.py", revisionSource("b", "a"));
        writeFile(dir.path(), "v/a.py", revisionSource("a", ""));
        writeFile(dir.path(), "v/notes.txt", "x");
        writeFile(dir.path(), "v/__pycache__/a.cpython-311.pyc", "x");
        writeFile(dir.path(), "v/sub/c.py", revisionSource("c", "b"));
        auto config = ProjectConfig::fromVersionsFolder(dir.filePath("v"));
        QVERIFY(config);
        Diagnostics d;
        QCOMPARE(RevisionScanner::listFiles(config.value(), &d),
                 (QStringList{dir.filePath("v/a.py"), dir.filePath("v/b.py")}));
        ProjectConfig recursive = config.value();
        recursive.recursiveVersionLocations = true;
        QCOMPARE(RevisionScanner::listFiles(recursive, &d),
                 (QStringList{dir.filePath("v/a.py"), dir.filePath("v/b.py"),
                              dir.filePath("v/sub/c.py")}));
        QVERIFY(d.isEmpty());
    }

    // Like Alembic's os.walk: folders reached through links are not walked,
    // so link loops end at once (two loops would be exponential otherwise).
    // Many names that share long prefixes, differ in one byte anywhere in
    // their first eight or past them, are prefixes of each other or carry
    // non-ASCII letters: listed in Python's order (code points), whatever
    // order the folder gives them in.
    void listsManyNamesInPythonOrder()
    {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("v"));
        const QStringList pieces = {"0", "1", "9", "a", "_", "2026", "ab", "é", "ü", "Z", "-"};
        quint32 state = 12345; // a fixed sequence: the same names every run
        auto next = [&state] {
            state = state * 1103515245u + 12345u;
            return int((state >> 16) & 0x7fff);
        };
        QSet<QString> names;
        while (names.size() < 3000) {
            QString name;
            const int parts = 1 + next() % 9;
            for (int k = 0; k < parts; ++k)
                name += pieces.at(next() % pieces.size());
            names.insert(name + u".py");
        }
        for (const QString &name : names) {
            QFile f(dir.filePath(u"v/" + name));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QStringList expected = names.values();
        std::sort(expected.begin(), expected.end(),
                  [](const QString &a, const QString &b) { return a.toUcs4() < b.toUcs4(); });
        for (QString &name : expected)
            name = dir.filePath(u"v/" + name);
        auto config = ProjectConfig::fromVersionsFolder(dir.filePath("v"));
        QVERIFY(config);
        Diagnostics d;
        QCOMPARE(RevisionScanner::listFiles(config.value(), &d), expected);
    }

    void linkedFoldersAreNotWalked()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), "v/a.py", revisionSource("a", ""));
        writeFile(dir.path(), "v/sub/b.py", revisionSource("b", "a"));
        writeFile(dir.path(), "elsewhere/x.py", revisionSource("x", "b"));
        QVERIFY(QFile::link(dir.filePath("v"), dir.filePath("v/sub/loop")));
        QVERIFY(QFile::link(dir.filePath("v/sub"), dir.filePath("v/loop2")));
        QVERIFY(QFile::link(dir.filePath("elsewhere"), dir.filePath("v/linked")));
        auto config = ProjectConfig::fromVersionsFolder(dir.filePath("v"));
        ProjectConfig c = config.value();
        c.recursiveVersionLocations = true;
        Diagnostics d;
        QCOMPARE(RevisionScanner::listFiles(c, &d),
                 (QStringList{dir.filePath("v/a.py"), dir.filePath("v/sub/b.py")}));
        QVERIFY(d.isEmpty());
    }

    // A folder that cannot be listed is an error naming it, never an empty
    // history. Root reads every folder, so this runs as `nobody`.
    void unlistableFolderIsAnError()
    {
        if (::geteuid() != 0 || QStandardPaths::findExecutable("runuser").isEmpty())
            QSKIP("needs root and runuser to drop to an unprivileged user");
        QTemporaryDir dir;
        writeFile(dir.path(), "v/a.py", revisionSource("a", ""));
        writeFile(dir.path(), "v/locked/b.py", revisionSource("b", "a"));
        for (const QString &p : {dir.path(), dir.filePath("v")})
            QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                         QFile::ReadOther | QFile::ExeOther);
        QFile::setPermissions(dir.filePath("v/locked"), QFile::ExeOther | QFile::ExeOwner);
        TestUtil::writeFile(dir.path(), "alembic.ini",
                            "[alembic]\nscript_location = %(here)s\nversion_locations = "
                            "%(here)s/v\nrecursive_version_locations = true\n");
        QFile::setPermissions(dir.filePath("alembic.ini"), QFile::ReadOwner | QFile::ReadOther);
        QProcess p;
        p.start("runuser",
                {"-u", "nobody", "--", RETORT_BINARY, "-c", dir.filePath("alembic.ini"), "check"});
        QVERIFY(p.waitForFinished(30000));
        const QString err = QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
        QVERIFY2(p.exitCode() != 0, qPrintable(err));
        QVERIFY2(err.contains(dir.filePath("v/locked")) && err.contains("Cannot list"),
                 qPrintable(err));
        QFile::setPermissions(dir.filePath("v/locked"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    void sameFolderTwiceIsReadOnce()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), "v/a.py", revisionSource("a", ""));
        QVERIFY(QFile::link(dir.filePath("v"), dir.filePath("alias")));
        auto config = ProjectConfig::fromVersionsFolder(dir.filePath("v"));
        ProjectConfig c = config.value();
        c.versionLocations << dir.filePath("alias");
        Diagnostics d;
        QCOMPARE(RevisionScanner::listFiles(c, &d).size(), 1);
        QCOMPARE(d.size(), 1);
        QCOMPARE(d.first().code, QStringLiteral("duplicate-version-location"));
    }

    void brokenFilesDoNotStopTheRest()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 100; ++i) {
            // enough files to take the parallel path
            const QByteArray id = "r" + QByteArray::number(i);
            writeFile(dir.path(), QStringLiteral("v/%1.py").arg(i, 3, 10, QLatin1Char('0')),
                      revisionSource(id, i ? "r" + QByteArray::number(i - 1) : QByteArray()));
        }
        writeFile(dir.path(), "v/500_broken.py", "revision = 'unterminated\n");
        QVERIFY(QFile::link(dir.filePath("nowhere.py"), dir.filePath("v/600_dangling.py")));
        auto config = ProjectConfig::fromVersionsFolder(dir.filePath("v"));
        const Project p = Project::load(config.value());
        QCOMPARE(p.graph.size(), 100);
        QCOMPARE(p.graph.heads().size(), 1);
        QStringList codes;
        for (const Diagnostic &d : p.diagnostics())
            codes << d.code + u'@' + QFileInfo(d.file).fileName();
        QVERIFY2(codes.contains("syntax-error@500_broken.py"), qPrintable(codes.join(u' ')));
        QVERIFY2(codes.contains("unreadable-file@600_dangling.py"), qPrintable(codes.join(u' ')));
        // The files keep the listing order after the parallel read.
        QCOMPARE(p.graph.files().first().fileName(), QStringLiteral("000.py"));
        QCOMPARE(p.graph.files().at(99).fileName(), QStringLiteral("099.py"));
    }

    // scan() lists and reads in one go (the reading threads make the paths):
    // the same files in the same order as listFiles() + readFiles(), names
    // that share their first eight bytes, non-ASCII names and subfolders
    // included, and in code point order as Python's sorted() gives.
    void scanAgreesWithListAndRead()
    {
        QTemporaryDir dir;
        QStringList names;
        for (int i = 0; i < 150; ++i) // enough files to take the parallel path
            names << QStringLiteral("2026-08-17-%1_step.py").arg(i, 4, 10, QLatin1Char('0'));
        names << QStringLiteral("2026-08-1.py") << QStringLiteral("2026-08-17.py")
              << QStringLiteral("zz_ümlaut.py") << QStringLiteral("zz_u.py")
              << QStringLiteral("ab.py") << QStringLiteral("abcdefgh.py")
              << QStringLiteral("abcdefgh_.py") << QStringLiteral("abcdefg.py");
        for (int i = 0; i < names.size(); ++i)
            writeFile(dir.path(), u"v/" + names.at(i),
                      revisionSource("r" + QByteArray::number(i), ""));
        writeFile(dir.path(), "v/sub/x.py", revisionSource("sub_x", ""));
        writeFile(dir.path(), "v/a_sub/y.py", revisionSource("sub_y", ""));
        auto config = ProjectConfig::fromVersionsFolder(dir.filePath("v"));
        QVERIFY(config);
        ProjectConfig recursive = config.value();
        recursive.recursiveVersionLocations = true;
        QStringList expected;
        QStringList sorted = names;
        std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) {
            return a.toUcs4() < b.toUcs4(); // Python compares code points
        });
        for (const QString &n : std::as_const(sorted))
            expected << dir.filePath(u"v/" + n);
        expected << dir.filePath("v/a_sub/y.py") << dir.filePath("v/sub/x.py");

        Diagnostics d;
        const QStringList listed = RevisionScanner::listFiles(recursive, &d);
        QCOMPARE(listed, expected);
        const QList<RevisionFile> scanned =
            RevisionScanner::scan(recursive, RevisionReader::Detail::Header, &d);
        const QList<RevisionFile> read =
            RevisionScanner::readFiles(listed, RevisionReader::Detail::Header);
        QCOMPARE(scanned.size(), expected.size());
        QCOMPARE(read.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            QCOMPARE(scanned.at(i).path, expected.at(i));
            QCOMPARE(read.at(i).path, expected.at(i));
            QVERIFY2(scanned.at(i).diagnostics.isEmpty(), qPrintable(expected.at(i)));
            QCOMPARE(scanned.at(i).revisionId(), read.at(i).revisionId());
        }
        QCOMPARE(scanned.last().revisionId(), QStringLiteral("sub_x"));
        QVERIFY(d.isEmpty());
    }

    // The helpers read files while the folders are still being listed (in
    // the order readdir gives them); what they read must end up exactly where
    // reading after the listing would put it, each file once, in folders and
    // subfolders alike, broken files included. A second scan with workers
    // whose descriptor tables the first one made private must not use them
    // for files (they no longer see the folders this thread opens).
    void scanReadsWhileListing()
    {
        QTemporaryDir dir;
        auto fill = [&](const QString &folder, int count, const QString &prefix) {
            for (int i = 0; i < count; ++i)
                writeFile(dir.path(), folder + u'/' + prefix + QString::number(i) + u".py",
                          revisionSource((prefix + QString::number(i)).toUtf8(), ""));
        };
        fill("v", 2500, "top_");
        fill("v/a", 700, "a_");
        fill("v/b/c", 700, "c_");
        writeFile(dir.path(), "v/broken_1.py", "revision = (\n");
        QVERIFY(QFile::link(dir.filePath("nowhere.py"), dir.filePath("v/dangling.py")));
        auto config = ProjectConfig::fromVersionsFolder(dir.filePath("v"));
        QVERIFY(config);
        ProjectConfig recursive = config.value();
        recursive.recursiveVersionLocations = true;
        Diagnostics d;
        const QStringList listed = RevisionScanner::listFiles(recursive, &d);
        QCOMPARE(listed.size(), 2500 + 700 + 700 + 2);
        const QList<RevisionFile> expected =
            RevisionScanner::readFiles(listed, RevisionReader::Detail::Header);
        auto same = [&](const QList<RevisionFile> &scanned) {
            QCOMPARE(scanned.size(), expected.size());
            for (int i = 0; i < expected.size(); ++i) {
                QCOMPARE(scanned.at(i).path, expected.at(i).path);
                QCOMPARE(scanned.at(i).revisionId(), expected.at(i).revisionId());
                QCOMPARE(scanned.at(i).downRevision.items, expected.at(i).downRevision.items);
                QCOMPARE(scanned.at(i).diagnostics.size(), expected.at(i).diagnostics.size());
                for (int k = 0; k < expected.at(i).diagnostics.size(); ++k)
                    QCOMPARE(scanned.at(i).diagnostics.at(k).code,
                             expected.at(i).diagnostics.at(k).code);
            }
        };
        QCOMPARE(
            expected.at(listed.indexOf(dir.filePath("v/dangling.py"))).diagnostics.first().code,
            QStringLiteral("unreadable-file"));
        Workers workers(Workers::defaultHelpers());
        for (int round = 0; round < 4; ++round) {
            std::vector<std::atomic<int>> told(size_t(listed.size()));
            RevisionScanner::Hooks hooks;
            hooks.listed = [&](qsizetype files) { QCOMPARE(files, listed.size()); };
            hooks.read = [&](int i, const RevisionFile &file) {
                told[size_t(i)].fetch_add(1);
                if (file.path != listed.at(i))
                    told[size_t(i)].fetch_add(100); // (QCOMPARE is for this thread only)
            };
            // Round 0 with `workers` (it claims them), round 1 with them
            // again (claimed: the scan takes workers of its own), then alone.
            const QList<RevisionFile> scanned =
                RevisionScanner::scan(recursive, RevisionReader::Detail::Header, &d, hooks,
                                      round < 2 ? &workers : nullptr);
            same(scanned);
            for (size_t i = 0; i < told.size(); ++i)
                QCOMPARE(told[i].load(), 1);
        }
        QVERIFY(!workers.claimFiles());
    }

    void readBytes()
    {
        QTemporaryDir dir;
        QByteArray big(200000, 'x');
        const QString path = writeFile(dir.path(), "big.py", big);
        QByteArray out;
        QString error;
        QVERIFY(RevisionScanner::readBytes(path, &out, &error));
        QCOMPARE(out, big);
        QVERIFY(!RevisionScanner::readBytes(dir.filePath("absent.py"), &out, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRevisionScanner)
#include "tst_revisionscanner.moc"
