// Git facts through libgit2 on a real repository with a bare "remote": the
// commit that added each revision file, and whether it is pushed.
#include "testutil.h"

#include "core/run/guardfacts.h"
#include "core/vcs/gitfacts.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

class TestGitFacts : public QObject
{
    Q_OBJECT

private slots:
    void pushedAndNot()
    {
        QTemporaryDir dir;
        const QString remote = dir.filePath(QStringLiteral("remote.git"));
        const QString work = dir.filePath(QStringLiteral("work"));
        QVERIFY(TestUtil::git(dir.path(), {QStringLiteral("init"), QStringLiteral("-q"),
                                           QStringLiteral("--bare"), remote}));
        QVERIFY(TestUtil::git(dir.path(), {QStringLiteral("init"), QStringLiteral("-q"),
                                           QStringLiteral("-b"), QStringLiteral("main"), work}));
        const QString a = TestUtil::writeFile(work, QStringLiteral("versions/001_a.py"),
                                              TestUtil::revisionSource("001_a", ""));
        QVERIFY(TestUtil::git(work, {QStringLiteral("add"), QStringLiteral(".")}));
        QVERIFY(TestUtil::git(
            work, {QStringLiteral("commit"), QStringLiteral("-qm"), QStringLiteral("a")}));
        QVERIFY(TestUtil::git(work, {QStringLiteral("remote"), QStringLiteral("add"),
                                     QStringLiteral("origin"), remote}));
        QVERIFY(TestUtil::git(work, {QStringLiteral("push"), QStringLiteral("-q"),
                                     QStringLiteral("origin"), QStringLiteral("main")}));
        const QString b = TestUtil::writeFile(work, QStringLiteral("versions/002_b.py"),
                                              TestUtil::revisionSource("002_b", "001_a"));
        QVERIFY(TestUtil::git(work, {QStringLiteral("add"), QStringLiteral(".")}));
        QVERIFY(TestUtil::git(
            work, {QStringLiteral("commit"), QStringLiteral("-qm"), QStringLiteral("b")}));
        // A later commit that only edits a: a still counts as added by the first.
        TestUtil::writeFile(work, QStringLiteral("versions/001_a.py"),
                            TestUtil::revisionSource("001_a", "", "# edited"));
        QVERIFY(TestUtil::git(
            work, {QStringLiteral("commit"), QStringLiteral("-qam"), QStringLiteral("edit")}));
        const QString c = TestUtil::writeFile(work, QStringLiteral("versions/003_c.py"),
                                              TestUtil::revisionSource("003_c", "002_b"));

        const auto facts = GitFacts::of({a, b, c});
        QVERIFY2(bool(facts), qPrintable(facts ? QString() : facts.error()));
        QVERIFY(facts->value(a).committed);
        QVERIFY(facts->value(a).pushed);
        QCOMPARE(facts->value(a).remoteBranch, QStringLiteral("origin/main"));
        QCOMPARE(facts->value(a).author, QStringLiteral("Ana Tester"));
        QVERIFY(facts->value(b).committed);
        QVERIFY(!facts->value(b).pushed);
        QVERIFY(!facts->value(c).committed);
        QVERIFY(!facts->value(c).pushed);
        // The subject of the commit that added it; what the work tree has.
        QCOMPARE(facts->value(a).subject, QStringLiteral("a"));
        QCOMPARE(facts->value(b).subject, QStringLiteral("b"));
        QVERIFY(facts->value(c).untracked);
        QVERIFY(!facts->value(a).untracked && !facts->value(a).modified);
        TestUtil::writeFile(work, QStringLiteral("versions/002_b.py"),
                            TestUtil::revisionSource("002_b", "001_a", "# changed"));
        QVERIFY(GitFacts::of({b})->value(b).modified);
        QVERIFY(!GitFacts::of({a})->value(a).modified);
        QCOMPARE(GitFacts::head(b).size(), 40);
        QVERIFY(TestUtil::git(
            work, {QStringLiteral("commit"), QStringLiteral("-qam"), QStringLiteral("b2")}));
        QVERIFY(!GitFacts::of({b})->value(b).modified);
        QCOMPARE(GitFacts::of({b})->value(b).subject, QStringLiteral("b"));

        // Pushed later: now it is.
        QVERIFY(TestUtil::git(work, {QStringLiteral("push"), QStringLiteral("-q"),
                                     QStringLiteral("origin"), QStringLiteral("main")}));
        QVERIFY(GitFacts::of({b})->value(b).pushed);
    }

    void notARepository()
    {
        QTemporaryDir dir;
        const QString f =
            TestUtil::writeFile(dir.path(), QStringLiteral("001_a.py"), "revision = 'a'\n");
        const auto facts = GitFacts::of({f});
        QVERIFY(!facts);
        QVERIFY(facts.error().contains(u"git"));
        QVERIFY(GitFacts::head(f).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestGitFacts)
#include "tst_gitfacts.moc"
