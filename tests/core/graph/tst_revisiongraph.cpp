#include "core/graph/revisionformat.h"
#include "core/graph/revisiongraph.h"
#include "core/workers.h"
#include "graphbuilder.h"

#include <QTest>

using namespace Retort;
using TestUtil::graphOf;
using TestUtil::idsOf;

namespace {

// One small history, `k` making its ids its own: a base, a labelled
// branch, a sibling that depends on it, their merge, and every few
// components a revision with an unknown parent, a duplicate id, a file
// without a readable id, and an id Alembic refuses.
QList<RevisionFile> component(int k)
{
    QList<RevisionFile> out;
    auto add = [&](const QString &name, const QString &text) {
        out.append(
            RevisionReader::read(text.toUtf8(), QStringLiteral("/v/%1_%2.py").arg(name).arg(k)));
    };
    const QString n = QString::number(k);
    add("r", "revision = 'r" + n + "'\ndown_revision = None\n");
    add("a",
        "revision = 'a" + n + "'\ndown_revision = 'r" + n + "'\nbranch_labels = ('l" + n + "',)\n");
    add("b", "revision = 'b" + n + "'\ndown_revision = 'r" + n + "'\ndepends_on = 'l" + n + "'\n");
    add("m", "revision = 'm" + n + "'\ndown_revision = ('a" + n + "', 'b" + n +
                 "')\ndepends_on = ('r" + n + "', 'a" + n + "')\n");
    if (k % 7 == 0)
        add("x", "revision = 'x" + n + "'\ndown_revision = 'gone" + n + "'\n");
    if (k % 11 == 0)
        add("d", "\"\"\"again\"\"\"\nrevision = 'r" + n + "'\ndown_revision = None\n");
    if (k % 13 == 0)
        add("u", "revision = cli.NAME\ndown_revision = 'r" + n + "'\n");
    if (k % 17 == 0)
        add("s", "revision = 's-" + n + "'\ndown_revision = 'm" + n + "'\n");
    if (k % 5 == 0) {
        // Ids about as long as what the build keeps beside its index (31
        // UTF-16 units), longer, non-ASCII, and a parent that is only the
        // first 31 units of an id.
        auto sized = [&](const QString &head, int length) -> QString {
            return head + QString(length - head.size() - n.size(), u'x') + n;
        };
        const QString id31 = sized("long_", 31), id32 = sized("long_", 32),
                      id40 = sized("long_ü_", 40);
        add("l1", "revision = '" + id31 + "'\ndown_revision = 'm" + n + "'\n");
        add("l2", "revision = '" + id32 + "'\ndown_revision = '" + id31 + "'\n");
        add("l3", "revision = '" + id40 + "'\ndown_revision = '" + id32 + "'\n");
        add("l4", "revision = 'after" + n + "'\ndown_revision = '" + id40 + "'\n");
        add("l5", "revision = 'cut" + n + "'\ndown_revision = '" + id40.left(31) + "'\n");
    }
    return out;
}

// What a graph says of each revision, by ids (indices differ between graphs).
QStringList describe(const RevisionGraph &g)
{
    QStringList out;
    for (const Revision &r : g.revisions()) {
        out << QStringLiteral("%1 p[%2] n[%3] d[%4] c[%5] e[%6] l[%7] nd[%8] f=%9")
                   .arg(r.id, idsOf(g, r.parents).join(u','),
                        idsOf(g, r.normalizedParents).join(u','),
                        idsOf(g, r.dependencyParents).join(u','), idsOf(g, r.children).join(u','),
                        idsOf(g, r.dependents).join(u','), r.branchLabels.join(u','),
                        r.normalizedDependencies.join(u','), g.fileOf(g.indexOf(r.id)).path);
    }
    return out;
}

QStringList diagnosticsOf(const RevisionGraph &g, const QString &code)
{
    QStringList out;
    for (const Diagnostic &d : g.diagnostics()) {
        if (d.code == code)
            out << d.file + u':' + QString::number(d.line) + u' ' + d.message;
    }
    return out;
}

QStringList codes(const RevisionGraph &g)
{
    QStringList out;
    for (const Diagnostic &d : g.diagnostics())
        out << d.code;
    return out;
}

} // namespace

class TestRevisionGraph : public QObject
{
    Q_OBJECT

private slots:
    void linear()
    {
        const RevisionGraph g = graphOf({"a001", "b002<-a001", "c003<-b002"});
        QCOMPARE(idsOf(g, g.heads()), QStringList{"c003"});
        QCOMPARE(idsOf(g, g.bases()), QStringList{"a001"});
        QCOMPARE(idsOf(g, g.history()), (QStringList{"c003", "b002", "a001"}));
        QVERIFY(g.diagnostics().isEmpty());
        QCOMPARE(idsOf(g, g.revision(g.indexOf("a001")).children), QStringList{"b002"});
    }

    void branchAndMerge()
    {
        const RevisionGraph g =
            graphOf({"root", "left<-root", "right<-root", "merge<-left,right", "tip<-merge"});
        const Revision &root = g.revision(g.indexOf("root"));
        QVERIFY(root.isBranchPoint());
        QVERIFY(g.revision(g.indexOf("merge")).isMergePoint());
        QCOMPARE(idsOf(g, g.heads()), QStringList{"tip"});
        QCOMPARE(idsOf(g, g.history()), (QStringList{"tip", "merge", "left", "right", "root"}));
        QCOMPARE(RevisionFormat::line(g, g.indexOf("merge"), {true, true, true, true}),
                 QStringLiteral("left, right -> merge (mergepoint), msg merge"));
        QCOMPARE(RevisionFormat::line(g, g.indexOf("root"), {true, true, true, true}),
                 QStringLiteral("<base> -> root (branchpoint), msg root"));
    }

    void multipleHeadsAndBases()
    {
        const RevisionGraph g = graphOf({"a001", "b002<-a001", "c003<-a001", "z001"});
        QCOMPARE(idsOf(g, g.heads()), (QStringList{"b002", "c003", "z001"}));
        QCOMPARE(idsOf(g, g.bases()), (QStringList{"a001", "z001"}));
        QCOMPARE(codes(g), QStringList{"multiple-heads"});
        QCOMPARE(g.diagnostics().first().severity, Severity::Warning);
    }

    void dependencies()
    {
        // lib is a separate branch; main2 depends on it by label.
        const RevisionGraph g = graphOf({"main1", "lib1 labels=lib", "lib2<-lib1",
                                         "main2<-main1 deps=lib", "main3<-main2 deps=lib1"});
        const Revision &main2 = g.revision(g.indexOf("main2"));
        QCOMPARE(main2.resolvedDependencies, QStringList{"lib1"});
        QCOMPARE(main2.normalizedDependencies, QStringList{"lib1"});
        // main3's dependency is already one of main2's: normalized away.
        QCOMPARE(g.revision(g.indexOf("main3")).normalizedDependencies, QStringList{});
        const Revision &lib1 = g.revision(g.indexOf("lib1"));
        QCOMPARE(lib1.isRealBranchPoint(), true); // lib2 child, main2 dependent
        QVERIFY(g.revision(g.indexOf("lib2")).isRealHead());
        QVERIFY(!lib1.isRealBase() == false);
        QVERIFY(!main2.isRealBase());
        QCOMPARE(idsOf(g, g.heads()), (QStringList{"lib2", "main3"}));
        QCOMPARE(idsOf(g, g.realHeads()), (QStringList{"lib2", "main3"}));
        QVERIFY(g.diagnostics().size() == 1); // multiple heads
    }

    void effectiveHead()
    {
        // b is a head by down_revision, but c depends on it.
        const RevisionGraph g = graphOf({"a001", "b002<-a001", "c003 deps=b002"});
        QCOMPARE(idsOf(g, g.heads()), (QStringList{"b002", "c003"}));
        QCOMPARE(idsOf(g, g.realHeads()), QStringList{"c003"});
        QCOMPARE(RevisionFormat::line(g, g.indexOf("b002"), {}),
                 QStringLiteral("b002 (effective head)"));
    }

    void labels()
    {
        const RevisionGraph g = graphOf({"a1aa", "b1bb<-a1aa", "c1cc<-a1aa labels=feature",
                                         "c2cc<-c1cc", "c3cc<-c2cc labels=tail"});
        QCOMPARE(g.revision(g.indexOf("c1cc")).declaredLabels, QStringList{"feature"});
        QCOMPARE(g.revision(g.indexOf("c2cc")).branchLabels, (QStringList{"feature", "tail"}));
        QCOMPARE(g.revision(g.indexOf("c3cc")).branchLabels, (QStringList{"feature", "tail"}));
        QCOMPARE(g.revision(g.indexOf("c1cc")).branchLabels, (QStringList{"feature", "tail"}));
        // the branch point and the other branch stay unlabelled
        QCOMPARE(g.revision(g.indexOf("a1aa")).branchLabels, QStringList{});
        QCOMPARE(g.revision(g.indexOf("b1bb")).branchLabels, QStringList{});
        QCOMPARE(g.labelOwner("feature"), g.indexOf("c1cc"));
    }

    void duplicateLabel()
    {
        const RevisionGraph g = graphOf({"a001 labels=x", "b002 labels=x", "c003 labels=a001"});
        QCOMPARE(codes(g).count("duplicate-branch-label"), 2);
        QVERIFY(g.diagnostics().at(0).message.contains(
            "Branch name 'x' in revision b002 already used by revision a001"));
    }

    void problems_data()
    {
        QTest::addColumn<QStringList>("specs");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("where");
        QTest::addColumn<int>("loaded");
        QTest::newRow("unknown parent")
            << QStringList{"a001", "b002<-zzzz"} << "unknown-down-revision"
            << "/v/b002.py" << 2;
        QTest::newRow("unknown dependency")
            << QStringList{"a001", "b002<-a001 deps=nope"} << "unknown-dependency"
            << "/v/b002.py" << 2;
        QTest::newRow("cycle") << QStringList{"a001", "b002<-c003", "c003<-b002"} << "cycle"
                               << "/v/b002.py" << 3;
        QTest::newRow("self loop") << QStringList{"a001<-a001"} << "cycle"
                                   << "/v/a001.py" << 1;
        QTest::newRow("illegal character") << QStringList{"a-01"} << "illegal-revision-id"
                                           << "/v/a-01.py" << 1;
        QTest::newRow("colon") << QStringList{"a:01"} << "illegal-revision-id"
                               << "/v/a:01.py" << 1;
        QTest::newRow("33 characters")
            << QStringList{"a23456789012345678901234567890123"} << "revision-id-too-long"
            << "/v/a23456789012345678901234567890123.py" << 1;
    }
    void problems()
    {
        QFETCH(QStringList, specs);
        QFETCH(QString, code);
        QFETCH(QString, where);
        QFETCH(int, loaded);
        const RevisionGraph g = graphOf(specs);
        QCOMPARE(g.size(), loaded);
        bool found = false;
        for (const Diagnostic &d : g.diagnostics()) {
            if (d.code == code) {
                found = true;
                QCOMPARE(d.file, where);
                QCOMPARE(d.severity, Severity::Error);
            }
        }
        QVERIFY2(found, qPrintable(codes(g).join(u',')));
        // Whatever the problem, the history still lists every revision.
        QCOMPARE(g.history().size(), loaded);
    }

    void thirtyTwoCharactersFit()
    {
        const RevisionGraph g = graphOf({"a2345678901234567890123456789012"});
        QVERIFY(g.diagnostics().isEmpty());
    }

    void duplicateIds()
    {
        QList<RevisionFile> files;
        files << RevisionReader::read("revision = 'dup1'\ndown_revision = None\n", "/v/first.py")
              << RevisionReader::read("revision = 'other'\ndown_revision = 'dup1'\n", "/v/other.py")
              << RevisionReader::read(
                     "\"\"\"second\"\"\"\nrevision = 'dup1'\ndown_revision = None\n",
                     "/v/second.py");
        const RevisionGraph g = RevisionGraph::build(files);
        QCOMPARE(g.size(), 2);
        QCOMPARE(g.fileOf(g.indexOf("dup1")).path, QStringLiteral("/v/second.py"));
        QCOMPARE(g.diagnostics().size(), 1);
        const Diagnostic &d = g.diagnostics().first();
        QCOMPARE(d.code, QStringLiteral("duplicate-revision"));
        QCOMPARE(d.file, QStringLiteral("/v/second.py"));
        QVERIFY(d.message.contains("/v/first.py"));
        QCOMPARE(d.line, 2);
    }

    void unreadableRevisionIsSkipped()
    {
        QList<RevisionFile> files;
        files << RevisionReader::read("revision = 'a001'\ndown_revision = None\n", "/v/a.py")
              << RevisionReader::read("revision = cli.NAME\ndown_revision = 'a001'\n", "/v/b.py")
              << RevisionReader::read("revision = 'c003'\ndown_revision = 'a001'\n", "/v/c.py");
        const RevisionGraph g = RevisionGraph::build(files);
        QCOMPARE(g.size(), 2);
        QCOMPARE(codes(g), QStringList{"not-literal"});
    }

    void largeGraphsAreBuiltAsSmallOnes()
    {
        // Past a few thousand revisions the build splits its work between
        // two threads; a large graph of independent small histories must
        // say of each exactly what that history says alone.
        QList<RevisionFile> all;
        QStringList expected;
        QHash<QString, QStringList> expectedDiagnostics;
        const QStringList phases = {"duplicate-revision", "not-literal", "unknown-down-revision",
                                    "illegal-revision-id"};
        for (int k = 0; k < 1300; ++k) {
            const QList<RevisionFile> files = component(k);
            all += files;
            const RevisionGraph alone = RevisionGraph::build(files);
            QVERIFY(alone.size() < 4096);
            expected += describe(alone);
            for (const QString &code : phases)
                expectedDiagnostics[code] += diagnosticsOf(alone, code);
        }
        const RevisionGraph large = RevisionGraph::build(all);
        QVERIFY(large.size() > 5000); // past the size where the work is split
        QCOMPARE(describe(large), expected);
        for (const QString &code : phases) {
            QVERIFY2(!expectedDiagnostics.value(code).isEmpty(), qPrintable(code));
            QCOMPARE(diagnosticsOf(large, code), expectedDiagnostics.value(code));
        }
        QCOMPARE(diagnosticsOf(large, "multiple-heads").size(), 1);

        // The files prepared in any order (as the reading threads do) give
        // the same graph as building from the list.
        RevisionGraph::Builder builder(all.size());
        for (int i = int(all.size()) - 1; i >= 0; i -= 2)
            builder.prepare(i, all.at(i));
        const RevisionGraph prepared = builder.build(all); // the rest prepared by build()
        QCOMPARE(describe(prepared), describe(large));
        // With a waiting helper thread doing the other half.
        Workers workers(1);
        RevisionGraph::Builder helped(all.size());
        const RevisionGraph withHelper = helped.build(all, &workers);
        QCOMPARE(describe(withHelper), describe(large));
        QCOMPARE(prepared.diagnostics().size(), large.diagnostics().size());
        for (qsizetype i = 0; i < large.diagnostics().size(); ++i)
            QCOMPARE(prepared.diagnostics().at(i).message, large.diagnostics().at(i).message);
    }

    void historyMatchesAlembicOrder()
    {
        // Alembic walks the first head's branch down to where it joins another.
        const RevisionGraph g = graphOf({"base", "a1<-base", "b1<-base", "a2<-a1", "b2<-b1"});
        QCOMPARE(idsOf(g, g.history()), (QStringList{"a2", "a1", "b2", "b1", "base"}));
    }

    void logEntry()
    {
        const RevisionGraph g =
            graphOf({"root", "x1<-root labels=feat", "y1<-root", "m1<-x1,y1 deps=root"});
        QCOMPARE(RevisionFormat::logEntry(g, g.indexOf("root")),
                 QStringLiteral("Rev: root (branchpoint)\nParent: <base>\nBranches into: x1, y1\n"
                                "Path: /v/root.py\n\n    msg root\n"));
        QCOMPARE(
            RevisionFormat::logEntry(g, g.indexOf("m1")),
            QStringLiteral("Rev: m1 (head) (mergepoint)\nMerges: x1, y1\nAlso depends on: root\n"
                           "Branch names: feat\nPath: /v/m1.py\n\n    msg m1\n"));
    }
};

QTEST_GUILESS_MAIN(TestRevisionGraph)
#include "tst_revisiongraph.moc"
