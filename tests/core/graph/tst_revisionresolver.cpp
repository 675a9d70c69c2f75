#include "core/graph/revisionresolver.h"
#include "graphbuilder.h"

#include <QTest>

using namespace Retort;
using TestUtil::graphOf;
using TestUtil::idsOf;

class TestRevisionResolver : public QObject
{
    Q_OBJECT

private:
    // base -> a1 -> a2 (label "alpha" on a1) ; base -> b1 -> b2 ; lone (label "solo")
    RevisionGraph m_graph = graphOf({"base0", "a1aa<-base0 labels=alpha", "a2aa<-a1aa",
                                     "b1bb<-base0", "b2bb<-b1bb", "lone labels=solo"});

    QString resolve(const QString &spec)
    {
        auto r = RevisionResolver(m_graph).revisions(spec);
        return r ? idsOf(m_graph, r.value()).join(u',') : QStringLiteral("ERR: ") + r.error();
    }
    QString range(const QString &spec)
    {
        auto r = RevisionResolver(m_graph).historyRange(spec);
        return r ? idsOf(m_graph, r.value()).join(u',') : QStringLiteral("ERR: ") + r.error();
    }

private slots:
    void expressions_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("id") << "a2aa"
                            << "a2aa";
        QTest::newRow("short prefix of a longer id") << "lon"
                                                     << "lone";
        QTest::newRow("too short") << "xy"
                                   << "ERR: Can't locate revision identified by 'xy'";
        QTest::newRow("ambiguous prefix") << "nope"
                                          << "ERR: Can't locate revision identified by 'nope'";
        QTest::newRow("heads") << "heads"
                               << "a2aa,b2bb,lone";
        QTest::newRow("head with several")
            << "head"
            << "ERR: Multiple head revisions are present for given argument 'head'; "
               "please specify a specific target revision, '<branchname>@head' to "
               "narrow to a specific head, or 'heads' for all heads";
        QTest::newRow("label@head") << "alpha@head"
                                    << "a2aa";
        QTest::newRow("label itself") << "alpha"
                                      << "a1aa";
        QTest::newRow("solo@head") << "solo@head"
                                   << "lone";
        QTest::newRow("revision as branch") << "b1bb@head"
                                            << "b2bb";
        QTest::newRow("base") << "base"
                              << "";
        QTest::newRow("label@base") << "alpha@base"
                                    << "";
        QTest::newRow("unknown branch") << "zeta@head"
                                        << "ERR: Can't locate revision identified by 'zeta'";
        QTest::newRow("label@-1") << "alpha@-1"
                                  << "a1aa";
        QTest::newRow("-1 from every head") << "-1"
                                            << "a1aa,b1bb";
        QTest::newRow("not a member") << "alpha@b1bb"
                                      << "ERR: Can't locate revision identified by 'b1bb'";
    }
    void expressions()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        QCOMPARE(resolve(spec), expected);
    }

    void ranges_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("everything") << ":"
                                    << "a2aa,a1aa,b2bb,b1bb,base0,lone";
        QTest::newRow("from a revision") << "a1aa:"
                                         << "a2aa,a1aa";
        QTest::newRow("up to a label head") << ":alpha@head"
                                            << "a2aa,a1aa,base0";
        QTest::newRow("between") << "base0:b2bb"
                                 << "b2bb,b1bb,base0";
        QTest::newRow("relative upper") << "b1bb:b1bb+1"
                                        << "b2bb,b1bb";
        QTest::newRow("not ancestors")
            << "a2aa:b2bb"
            << "ERR: Requested range a2aa:b2bb does not refer to ancestor/descendant "
               "revisions along the same branch";
        QTest::newRow("no colon")
            << "a2aa"
            << "ERR: History range requires [start]:[end], [start]:, or :[end]";
    }
    void ranges()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        QCOMPARE(range(spec), expected);
    }

    void single()
    {
        const RevisionResolver r(m_graph);
        QCOMPARE(r.revision("alpha@head").value(), m_graph.indexOf("a2aa"));
        QCOMPARE(r.revision("base").value(), -1);
        QVERIFY(!r.revision("heads"));
    }
};

QTEST_GUILESS_MAIN(TestRevisionResolver)
#include "tst_revisionresolver.moc"
