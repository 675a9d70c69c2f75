#include "core/lint/namingscheme.h"
#include "core/script/revisionreader.h"

#include <QTest>

using namespace Retort;

namespace {
RevisionGraph graphOfFiles(const QStringList &names)
{
    QList<RevisionFile> files;
    QString previous;
    for (const QString &name : names) {
        const QString id = name.chopped(3);
        const QString down = previous.isEmpty() ? QStringLiteral("None") : u'\'' + previous + u'\'';
        files << RevisionReader::read(
            QStringLiteral("revision = '%1'\ndown_revision = %2\n").arg(id, down).toUtf8(),
            "/v/" + name);
        previous = id;
    }
    return RevisionGraph::build(files);
}
} // namespace

class TestNamingScheme : public QObject
{
    Q_OBJECT

private slots:
    void detect()
    {
        const RevisionGraph seq =
            graphOfFiles({"001_a.py", "002_b.py", "003_c.py", "3f9a1c2b7d4e_new.py"});
        const NamingScheme s = NamingScheme::detect(seq);
        QCOMPARE(s.kind(), NamingScheme::Kind::Sequential);
        QCOMPARE(s.width(), 3);
        QVERIFY(s.isUnrenamed(seq.fileOf(seq.indexOf("3f9a1c2b7d4e_new"))));
        QVERIFY(!s.isUnrenamed(seq.fileOf(seq.indexOf("002_b"))));

        const RevisionGraph hashes = graphOfFiles({"1a2b3c4d_a.py", "5e6f7a8b_b.py", "0001_c.py"});
        QCOMPARE(NamingScheme::detect(hashes).kind(), NamingScheme::Kind::Hash);
        QVERIFY(!NamingScheme::detect(hashes).isUnrenamed(hashes.fileOf(0)));

        const RevisionGraph dated = graphOfFiles({"2024_01_02_1010_a.py", "2024_02_03_1111_b.py"});
        QCOMPARE(NamingScheme::detect(dated).kind(), NamingScheme::Kind::DatePrefixed);
    }
};

QTEST_GUILESS_MAIN(TestNamingScheme)
#include "tst_namingscheme.moc"
