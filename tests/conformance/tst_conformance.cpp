// Differential test: Retort and the real Alembic read the same folders and
// must agree on every revision's parents, dependencies and declared labels,
// on heads and bases, on `history` (order and text), and on how revision
// expressions and ranges resolve, errors included.
#include "core/graph/revisionresolver.h"
#include "core/project.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

namespace {

QByteArray run(const QString &program, const QStringList &args, const QString &workDir = {})
{
    QProcess p;
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    if (!p.waitForFinished(300000))
        qFatal("timed out: %s", qPrintable(program));
    if (p.exitStatus() != QProcess::NormalExit)
        qFatal("crashed: %s", qPrintable(program));
    const QByteArray err = p.readAllStandardError();
    if (p.exitCode() != 0 && !err.isEmpty())
        qWarning("%s: %s", qPrintable(program), err.constData());
    return p.readAllStandardOutput();
}

QStringList toStrings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out.append(x.toString());
    return out;
}

struct Expectation
{
    QStringList specs;
    QStringList ranges;
};

// Revision expressions worth asking both tools about, built from the graph.
Expectation probes(const Project &p)
{
    Expectation e;
    e.specs = {QStringLiteral("heads"), QStringLiteral("head"), QStringLiteral("base"),
               QStringLiteral("-1"),    QStringLiteral("-2"),   QStringLiteral("+1"),
               QStringLiteral("zzzz"),  QStringLiteral("abc"),  QStringLiteral("nope@head")};
    e.ranges = {QStringLiteral(":"),   QStringLiteral("base:heads"), QStringLiteral(":head"),
                QStringLiteral("-3:"), QStringLiteral("base:+2"),    QStringLiteral(":-1")};
    const RevisionGraph &g = p.graph;
    for (auto it = g.labels().cbegin(); it != g.labels().cend(); ++it) {
        e.specs << it.key() + QStringLiteral("@head") << it.key() + QStringLiteral("@base")
                << it.key() << it.key() + QStringLiteral("@-1")
                << it.key() + QStringLiteral("@heads");
        e.ranges << QStringLiteral(":") + it.key() + QStringLiteral("@head")
                 << it.key() + QStringLiteral("@base:") + it.key() + QStringLiteral("@head");
    }
    const int step = qMax(1, g.size() / 12);
    for (int i = 0; i < g.size(); i += step) {
        const QString id = g.revision(i).id;
        e.specs << id << id.left(4) << id.left(3) << id.left(6) + QStringLiteral("+1")
                << id + QStringLiteral("-1");
        e.ranges << id + u':' << u':' + id;
        const int j = (i + step * 3) % g.size();
        e.ranges << id + u':' + g.revision(j).id;
    }
    return e;
}

} // namespace

class TestConformance : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void agree_data();
    void agree();
    void refusesWhatAlembicRefuses_data();
    void refusesWhatAlembicRefuses();

private:
    void compare(const QString &configPath, bool bareVersions);
    QTemporaryDir m_dir;
};

// Folders Alembic cannot load: Retort reports the same kind of problem.
void TestConformance::refusesWhatAlembicRefuses_data()
{
    QTest::addColumn<QStringList>("files"); // name=down_revision|depends_on, ...
    QTest::addColumn<QString>("code");
    QTest::newRow("the only base depends on an empty string")
        << QStringList{"a1=None|''", "b2='a1'|None"} << "cycle";
    QTest::newRow("a second base depends on an empty string")
        << QStringList{"a1=None|None", "b2='a1'|None", "g1=None|''", "g2='g1'|None"} << "cycle";
    QTest::newRow("a cycle") << QStringList{"a1='b2'|None", "b2='a1'|None"} << "cycle";
}

void TestConformance::refusesWhatAlembicRefuses()
{
    QFETCH(QStringList, files);
    QFETCH(QString, code);
    QTemporaryDir dir;
    for (const QString &spec : files) {
        const QString name = spec.section(u'=', 0, 0);
        const QString down = spec.section(u'=', 1).section(u'|', 0, 0);
        const QString deps = spec.section(u'|', 1);
        QFile f(dir.filePath(name + QStringLiteral(".py")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("revision = '%1'\ndown_revision = %2\ndepends_on = %3\n")
                    .arg(name, down, deps)
                    .toUtf8());
    }
    const QJsonObject alembic =
        QJsonDocument::fromJson(
            run(QStringLiteral("/usr/bin/python3"),
                {QStringLiteral(RETORT_SOURCE_DIR "/tests/conformance/alembic_dump.py"),
                 QStringLiteral("--versions"), dir.path()}))
            .object();
    QVERIFY2(alembic.contains(QStringLiteral("error")), "Alembic loaded it");
    auto config = ProjectConfig::fromVersionsFolder(dir.path());
    const Project project = Project::load(config.value());
    bool found = false;
    for (const Diagnostic &d : project.diagnostics())
        found = found || (d.severity == Severity::Error && d.code == code);
    QVERIFY2(found, qPrintable(alembic.value(QStringLiteral("error")).toString()));
}

void TestConformance::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral("/usr/bin/python3")), "python3-alembic is needed");
    // Generated histories: every odd case the generator knows, at several seeds.
    for (int seed : {1, 2, 3, 4, 5}) {
        const QString dest = m_dir.filePath(QStringLiteral("gen%1").arg(seed));
        run(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(RETORT_SOURCE_DIR "/bench/generate_history.py"), dest,
             QString::number(120 + seed * 60), QStringLiteral("--seed"), QString::number(seed)});
        QVERIFY(QFile::exists(dest + QStringLiteral("/alembic.ini")));
    }
    // Large enough that loading splits its work between threads (from
    // 4,096 revisions), narrow and wide.
    for (const bool wide : {false, true}) {
        const QString dest =
            m_dir.filePath(wide ? QStringLiteral("large-wide") : QStringLiteral("large"));
        QStringList args{QStringLiteral(RETORT_SOURCE_DIR "/bench/generate_history.py"), dest,
                         QStringLiteral("4200"), QStringLiteral("--seed"), QStringLiteral("11")};
        if (wide)
            args << QStringLiteral("--wide");
        run(QStringLiteral("/usr/bin/python3"), args);
        QVERIFY(QFile::exists(dest + QStringLiteral("/alembic.ini")));
    }
}

void TestConformance::agree_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("bare");
    QTest::newRow("demo") << QStringLiteral(RETORT_SOURCE_DIR "/resources/demo/alembic.ini")
                          << false;
    for (int seed : {1, 2, 3, 4, 5})
        QTest::newRow(qPrintable(QStringLiteral("generated-%1").arg(seed)))
            << m_dir.filePath(QStringLiteral("gen%1/alembic.ini").arg(seed)) << false;
    QTest::newRow("generated-large")
        << m_dir.filePath(QStringLiteral("large/alembic.ini")) << false;
    QTest::newRow("generated-large-wide")
        << m_dir.filePath(QStringLiteral("large-wide/alembic.ini")) << false;
    QTest::newRow("generated-bare-versions")
        << m_dir.filePath(QStringLiteral("gen2/migrations/versions")) << true;
    // RETORT_EXTRA_PROJECTS: more alembic.ini files or versions folders to
    // compare, separated by ':' (e.g. real projects checked out elsewhere).
    const QStringList extra =
        qEnvironmentVariable("RETORT_EXTRA_PROJECTS").split(u':', Qt::SkipEmptyParts);
    for (const QString &path : extra)
        QTest::newRow(qPrintable(QStringLiteral("extra-") + path))
            << path << QFileInfo(path).isDir();
    const QDir fixtures(QStringLiteral(RETORT_SOURCE_DIR "/tests/fixtures/graphs"));
    for (const QString &name : fixtures.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        QTest::newRow(qPrintable(QStringLiteral("fixture-") + name))
            << fixtures.filePath(name) << true;
}

void TestConformance::agree()
{
    QFETCH(QString, path);
    QFETCH(bool, bare);

    auto config = bare ? ProjectConfig::fromVersionsFolder(path) : ProjectConfig::load(path);
    QVERIFY2(config, qPrintable(config.error()));
    const Project project = Project::load(config.value());
    const Expectation probe = probes(project);

    QStringList harnessArgs{QStringLiteral(RETORT_SOURCE_DIR "/tests/conformance/alembic_dump.py"),
                            bare ? QStringLiteral("--versions") : QStringLiteral("--config"), path};
    if (QString::fromLatin1(QTest::currentDataTag()).startsWith(QStringLiteral("extra-")))
        harnessArgs << QStringLiteral("--stub-imports");
    for (const QString &s : probe.specs)
        harnessArgs << QStringLiteral("--spec=") + s;
    for (const QString &r : probe.ranges)
        harnessArgs << QStringLiteral("--range=") + r;
    const QJsonObject alembic =
        QJsonDocument::fromJson(run(QStringLiteral("/usr/bin/python3"), harnessArgs,
                                    bare ? QString() : QFileInfo(path).absolutePath()))
            .object();
    QVERIFY2(!alembic.isEmpty(), "the Alembic harness printed nothing");
    QVERIFY2(!alembic.contains(QStringLiteral("error")),
             qPrintable(alembic.value(QStringLiteral("error")).toString()));

    // `retort graph --format json`, the documented interface, as a process.
    const QStringList where = bare ? QStringList{QStringLiteral("--versions"), path}
                                   : QStringList{QStringLiteral("-c"), path};
    const QJsonObject retort =
        QJsonDocument::fromJson(
            run(QStringLiteral(RETORT_BINARY),
                where + QStringList{QStringLiteral("graph"), QStringLiteral("--format"),
                                    QStringLiteral("json")}))
            .object();
    QVERIFY(!retort.isEmpty());

    QHash<QString, QJsonObject> ours;
    for (const QJsonValue &v : retort.value(QStringLiteral("revisions")).toArray())
        ours.insert(v[QStringLiteral("revision")].toString(), v.toObject());
    const QJsonArray theirs = alembic.value(QStringLiteral("revisions")).toArray();
    QCOMPARE(ours.size(), theirs.size());
    for (const QJsonValue &v : theirs) {
        const QString id = v[QStringLiteral("revision")].toString();
        QVERIFY2(ours.contains(id), qPrintable(QStringLiteral("Retort lacks ") + id));
        const QJsonObject r = ours.value(id);
        for (const char *key : {"down_revisions", "depends_on", "branch_labels"}) {
            const QString k = QString::fromLatin1(key);
            QVERIFY2(toStrings(r.value(k)) == toStrings(v[k]),
                     qPrintable(id + u' ' + k + QStringLiteral(": retort ") +
                                toStrings(r.value(k)).join(u',') + QStringLiteral(" alembic ") +
                                toStrings(v[k]).join(u',')));
        }
        QCOMPARE(r.value(QStringLiteral("path")).toString(), v[QStringLiteral("path")].toString());
        QCOMPARE(r.value(QStringLiteral("message")).toString(),
                 v[QStringLiteral("message")].toString());
    }
    QCOMPARE(toStrings(retort.value(QStringLiteral("heads"))),
             toStrings(alembic.value(QStringLiteral("heads"))));
    QCOMPARE(toStrings(retort.value(QStringLiteral("bases"))),
             toStrings(alembic.value(QStringLiteral("bases"))));

    // `retort history` prints what `alembic history` prints, line for line.
    const QString history = QString::fromUtf8(
        run(QStringLiteral(RETORT_BINARY), where + QStringList{QStringLiteral("history")}));
    const QStringList expectedLines = toStrings(alembic.value(QStringLiteral("history_lines")));
    QCOMPARE(history, expectedLines.isEmpty() ? QString() : expectedLines.join(u'\n') + u'\n');

    // Revision expressions and history ranges, errors included.
    const RevisionResolver resolver(project.graph);
    auto ids = [&](const QList<int> &list) {
        QStringList out;
        for (int i : list)
            out.append(project.graph.revision(i).id);
        return out;
    };
    int compared = 0;
    // Alembic names overlapping revisions from a Python set of Revision
    // objects, in the order of their addresses: only the set compares.
    auto comparable = [](const QString &message) -> QString {
        static const QString overlaps = QStringLiteral("overlaps with other requested revisions ");
        const qsizetype at = message.indexOf(overlaps);
        if (at < 0)
            return message;
        QStringList ids = message.mid(at + overlaps.size()).split(QStringLiteral(", "));
        ids.sort();
        return message.left(at + overlaps.size()) + ids.join(QStringLiteral(", "));
    };
    auto check = [&](const QString &what, const QJsonObject &expected,
                     const Result<QList<int>> &got) {
        if (expected.contains(QStringLiteral("crash")))
            return; // Alembic itself fails with an internal error here
        ++compared;
        if (expected.contains(QStringLiteral("ok"))) {
            QVERIFY2(got.isOk(),
                     qPrintable(what + QStringLiteral(": Retort failed: ") + got.error()));
            QStringList want = toStrings(expected.value(QStringLiteral("ok")));
            QStringList have = ids(got.value());
            QVERIFY2(have == want, qPrintable(what + QStringLiteral(": retort ") + have.join(u',') +
                                              QStringLiteral(" alembic ") + want.join(u',')));
        } else {
            QVERIFY2(!got.isOk(),
                     qPrintable(what + QStringLiteral(": Retort resolved it, Alembic said ") +
                                expected.value(QStringLiteral("error")).toString()));
            QCOMPARE(comparable(got.error()),
                     comparable(expected.value(QStringLiteral("error")).toString()));
        }
    };
    const QJsonObject specs = alembic.value(QStringLiteral("specs")).toObject();
    for (const QString &spec : probe.specs)
        check(QStringLiteral("spec ") + spec, specs.value(spec).toObject(),
              resolver.revisions(spec));
    const QJsonObject ranges = alembic.value(QStringLiteral("ranges")).toObject();
    for (const QString &range : probe.ranges)
        check(QStringLiteral("range ") + range, ranges.value(range).toObject(),
              resolver.historyRange(range));
    QVERIFY(compared > probe.specs.size() / 2);
}

QTEST_GUILESS_MAIN(TestConformance)
#include "tst_conformance.moc"
