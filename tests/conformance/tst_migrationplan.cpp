// Differential test of plans: for many (database state, target) pairs,
// Retort's steps and version-table changes must be what the real Alembic
// would run (ScriptDirectory._upgrade_revs/_downgrade_revs with Alembic's
// own HeadMaintainer, recording instead of executing).
#include "core/project.h"
#include "core/run/migrationplan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

class TestMigrationPlan : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (int seed : {11, 12}) {
            QProcess gen;
            gen.start("/usr/bin/python3", {RETORT_SOURCE_DIR "/bench/generate_history.py",
                                           m_dir.filePath(QString::number(seed)), "90", "--seed",
                                           QString::number(seed)});
            QVERIFY(gen.waitForFinished(60000) && gen.exitCode() == 0);
        }
    }

    void agree_data()
    {
        QTest::addColumn<QString>("config");
        QTest::newRow("demo") << QStringLiteral(RETORT_SOURCE_DIR "/resources/demo/alembic.ini");
        QTest::newRow("generated-11") << m_dir.filePath("11/alembic.ini");
        QTest::newRow("generated-12") << m_dir.filePath("12/alembic.ini");
    }

    void agree()
    {
        QFETCH(QString, config);
        auto project = Project::open(config);
        QVERIFY2(project, qPrintable(project.error()));
        const RevisionGraph &g = project->graph;

        // Database states: base, single revisions, all heads, and pairs of heads.
        QList<QStringList> states{{}};
        QRandomGenerator rng(7);
        for (int k = 0; k < 10; ++k)
            states.append({g.revision(rng.bounded(g.size())).id});
        QStringList heads;
        for (int h : g.heads())
            heads << g.revision(h).id;
        states.append(heads);
        if (heads.size() > 2)
            states.append(heads.mid(0, 2));
        QStringList targetsUp{"heads", "head", "+1", "+2"};
        QStringList targetsDown{"base", "-1", "-2"};
        for (int k = 0; k < 5; ++k) {
            targetsUp << g.revision(rng.bounded(g.size())).id;
            targetsDown << g.revision(rng.bounded(g.size())).id;
        }
        QStringList queries;
        for (const QStringList &s : states) {
            for (const QString &t : targetsUp)
                queries << s.join(u',') + u'|' + t + QStringLiteral("|up");
            for (const QString &t : targetsDown)
                queries << s.join(u',') + u'|' + t + QStringLiteral("|down");
        }

        QProcess harness;
        harness.start("/usr/bin/python3",
                      QStringList{RETORT_SOURCE_DIR "/tests/conformance/alembic_plan.py",
                                  "--config", config} +
                          queries);
        QVERIFY(harness.waitForFinished(300000));
        const QJsonObject alembic =
            QJsonDocument::fromJson(harness.readAllStandardOutput()).object();
        QVERIFY2(!alembic.isEmpty(), harness.readAllStandardError().constData());

        int compared = 0, planned = 0;
        for (const QString &query : queries) {
            const QJsonObject expected = alembic.value(query).toObject();
            if (expected.contains("crash"))
                continue; // Alembic itself fails internally here
            ++compared;
            const QStringList parts = query.split(u'|');
            const QStringList current = parts.at(0).split(u',', Qt::SkipEmptyParts);
            auto plan = MigrationPlan::make(g, current, parts.at(1), parts.at(2) == u"up");
            if (expected.contains("error")) {
                QVERIFY2(!plan, qPrintable(query + ": Retort planned what Alembic refused: " +
                                           expected.value("error").toString()));
                continue;
            }
            QVERIFY2(plan, qPrintable(query + ": " + plan.error()));
            ++planned;
            const QJsonArray steps = expected.value("steps").toArray();
            QStringList want, have;
            // Each step by its net effect on the version table: the rows it
            // removes and adds. (At a merge Alembic picks which row to update
            // and which to delete in hash order; the rows left are the same.)
            auto net = [](const QStringList &changes) -> QString {
                QStringList removed, added;
                for (const QString &c : changes) {
                    const QStringList w = c.split(u' ');
                    if (w.first() == u"insert")
                        added << w.at(1);
                    else if (w.first() == u"delete")
                        removed << w.at(1);
                    else {
                        removed << w.at(1);
                        added << w.at(3);
                    }
                }
                removed.sort();
                added.sort();
                return "-" + removed.join(",") + " +" + added.join(",");
            };
            for (const QJsonValue &step : steps) {
                QStringList changes;
                for (const QJsonValue &c : step.toArray().at(1).toArray())
                    changes << c.toString();
                want << step.toArray().at(0).toString() + ": " + net(changes);
            }
            for (const PlanStep &s : plan->steps) {
                QStringList changes;
                for (const VersionChange &c : s.changes) {
                    if (c.kind == VersionChange::Kind::Insert)
                        changes << "insert " + c.to;
                    else if (c.kind == VersionChange::Kind::Delete)
                        changes << "delete " + c.from;
                    else
                        changes << "update " + c.from + " -> " + c.to;
                }
                have << g.revision(s.revision).id + ": " + net(changes);
            }
            QVERIFY2(have == want, qPrintable(query + "\n retort:  " + have.join(" | ") +
                                              "\n alembic: " + want.join(" | ")));
            QStringList finalHeads;
            for (const QJsonValue &h : expected.value("heads").toArray())
                finalHeads << h.toString();
            QCOMPARE(plan->headsAfter, finalHeads);
        }
        QVERIFY(compared > queries.size() / 2);
        QVERIFY(planned > 20);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestMigrationPlan)
#include "tst_migrationplan.moc"
