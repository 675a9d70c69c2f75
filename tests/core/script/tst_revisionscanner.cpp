#include "core/project.h"
#include "core/script/revisionscanner.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

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
