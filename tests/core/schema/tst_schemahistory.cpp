// Schema history against the real thing: every snapshot equals the catalog
// of a twin database the real Alembic upgraded to the same revision (SQLite
// always, PostgreSQL under pg_virtualenv); blame, drift, checkpoints, the
// private PostgreSQL server and the command line.

#include "core/db/scopedconnection.h"
#include "core/project.h"
#include "core/run/sqlrenderer.h"
#include "core/schema/drift.h"
#include "core/schema/introspector.h"
#include "core/schema/privateserver.h"
#include "core/schema/schemadiff.h"
#include "core/schema/schemahistory.h"
#include "core/schema/scratchdatabase.h"
#include "core/schema/snapshotcache.h"
#include "pgtest.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Retort;

namespace {

QString makeProject(const QString &dir, const QString &url = {})
{
    QStringList args{QStringLiteral(RETORT_SOURCE_DIR "/tests/fixtures/schema/make_project.py"),
                     dir};
    if (!url.isEmpty())
        args << QStringLiteral("--url") << url;
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        qFatal("make_project.py failed: %s", p.readAllStandardError().constData());
    return dir + QStringLiteral("/alembic.ini");
}

Project load(const QString &ini)
{
    auto p = Project::open(ini);
    if (!p)
        qFatal("cannot open %s: %s", qPrintable(ini), qPrintable(p.error()));
    return p.value();
}

Schema introspect(const ConnectionProfile &profile)
{
    ScopedConnection c(profile);
    QString error;
    if (!c.open(&error))
        qFatal("%s", qPrintable(error));
    auto s = Introspector(profile.versionTable).read(c.database(), profile.dialect());
    if (!s)
        qFatal("%s", qPrintable(s.error()));
    return s.value();
}

QByteArray json(const Schema &s)
{
    return QJsonDocument(s.toJson()).toJson(QJsonDocument::Indented);
}

// The socket inodes of `pid` that listen on TCP (IPv4 or IPv6).
QStringList tcpListeners(qint64 pid)
{
    QSet<QString> inodes;
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    for (const QFileInfo &fd :
         fds.entryInfoList(QDir::System | QDir::Files | QDir::NoDotAndDotDot)) {
        const QString target = fd.symLinkTarget().isEmpty()
                                   ? QFile::symLinkTarget(fd.absoluteFilePath())
                                   : fd.symLinkTarget();
        const QString name = QFileInfo(target).fileName();
        if (name.startsWith(QLatin1String("socket:[")))
            inodes.insert(name.mid(8).chopped(1));
    }
    QStringList out;
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f(QString::fromLatin1(table));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        f.readLine();
        while (!f.atEnd()) {
            const QStringList cols = QString::fromLatin1(f.readLine()).simplified().split(u' ');
            if (cols.size() > 9 && cols.at(3) == u"0A" && inodes.contains(cols.at(9)))
                out.append(cols.at(1));
        }
    }
    return out;
}

// A MariaDB test server's database as Alembic reaches it: through PyMySQL.
QString mysqlUrl(const ConnectionProfile &server, const QString &database)
{
    return QStringLiteral("mysql+pymysql://%1@%2:%3/%4")
        .arg(server.user, server.host)
        .arg(server.port)
        .arg(database);
}

// Whether a process runs (a zombie does not).
bool alive(qint64 pid)
{
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    return line.at(line.lastIndexOf(')') + 2) != 'Z';
}

} // namespace

class TestSchemaHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir m_cacheHome;

    // Replays the fixture on `scratch` and compares every snapshot with a
    // twin that the real Alembic upgraded from empty (`twinFor` makes one).
    void compareWithAlembic(const QString &ini, ScratchDatabase &scratch,
                            const std::function<ConnectionProfile(const QString &)> &twinFor)
    {
        const Project project = load(ini);
        SchemaHistory history(project, scratch.dialect(), nullptr);
        auto stats = history.replay(scratch);
        QVERIFY2(stats, qPrintable(stats.error()));
        QCOMPARE(stats->snapshots, project.graph.size());
        for (int r : history.order()) {
            const QString id = project.graph.revision(r).id;
            const ConnectionProfile twin = twinFor(id);
            auto ran = SqlRenderer::runOnline(project.config, twin, true, id);
            QVERIFY2(ran, qPrintable(id + u": " + ran.error()));
            const Schema expected = introspect(twin);
            const std::optional<Schema> actual = history.snapshot(r);
            QVERIFY(actual);
            QStringList differences;
            for (const SchemaChange &c : SchemaDiff::compare(expected, *actual))
                differences.append(c.describe());
            if (differences.isEmpty() && !(*actual == expected))
                differences.append(QString::fromUtf8(json(*actual)));
            QVERIFY2(*actual == expected,
                     qPrintable(id + u" (Alembic's twin → Retort's snapshot):\n" +
                                differences.join(u'\n')));
        }
    }

    // The same, with the twins as databases on `server` (dropped afterwards).
    void compareWithAlembicOnServer(const QString &ini, ScratchDatabase &scratch,
                                    const ConnectionProfile &server)
    {
        QStringList twins;
        compareWithAlembic(ini, scratch, [&](const QString &id) {
            const QString name = QStringLiteral("twin_") + id.toLower();
            ScopedConnection admin(server);
            QString error;
            if (!admin.open(&error))
                qFatal("%s", qPrintable(error));
            QSqlQuery q(admin.database());
            q.exec(QStringLiteral("DROP DATABASE IF EXISTS ") + name);
            q.exec(QStringLiteral("CREATE DATABASE ") + name);
            twins.append(name);
            ConnectionProfile twin = server;
            twin.database = name;
            if (!server.url.isEmpty())
                twin.url = mysqlUrl(server, name);
            return twin;
        });
        ScopedConnection admin(server);
        QString error;
        QVERIFY(admin.open(&error));
        for (const QString &t : std::as_const(twins))
            QSqlQuery(admin.database()).exec(QStringLiteral("DROP DATABASE IF EXISTS ") + t);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("XDG_CACHE_HOME", m_cacheHome.path().toUtf8());
        // The command lines this starts keep their profiles here, not in the user's settings.
        qputenv("XDG_CONFIG_HOME", (m_cacheHome.path() + QStringLiteral("/config")).toUtf8());
    }

    // Drift ignores what the database only spells differently.
    void typeSpellingsAreNoDrift()
    {
        const QList<QPair<QString, QString>> same{{"VARCHAR(40)", "character varying(40)"},
                                                  {"varchar(40)", "VARCHAR (40)"},
                                                  {"INTEGER", "int4"},
                                                  {"int(11)", "INT"},
                                                  {"timestamp without time zone", "TIMESTAMP"},
                                                  {"double precision", "float8"},
                                                  {"tinyint(1)", "BOOLEAN"},
                                                  {"numeric(10,2)", "DECIMAL(10,2)"}};
        for (const auto &[a, b] : same)
            QVERIFY2(SchemaDiff::canonicalType(a) == SchemaDiff::canonicalType(b),
                     qPrintable(a + u" / " + b));
        const QList<QPair<QString, QString>> different{{"VARCHAR(40)", "VARCHAR(80)"},
                                                       {"INTEGER", "BIGINT"},
                                                       {"timestamp", "timestamptz"},
                                                       {"char(2)", "varchar(2)"}};
        for (const auto &[a, b] : different)
            QVERIFY2(SchemaDiff::canonicalType(a) != SchemaDiff::canonicalType(b),
                     qPrintable(a + u" / " + b));

        Schema expected;
        expected.tables.append(
            {QString(), "t", {{"a", "VARCHAR(40)", true, {}, false, 1}}, {}, {}, {}, {}, {}});
        Schema live = expected;
        live.tables[0].columns[0].type = "character varying(40)";
        SchemaDiff::Options drift;
        drift.normalizeTypes = true;
        QVERIFY(SchemaDiff::compare(expected, live, drift).isEmpty());
        QCOMPARE(SchemaDiff::compare(expected, live).size(),
                 1); // a diff between revisions does see it
        live.tables[0].columns[0].type = "character varying(41)";
        QCOMPARE(SchemaDiff::compare(expected, live, drift).size(), 1);
    }

    void sqliteMatchesAlembicAtEveryRevision()
    {
        QTemporaryDir dir;
        const QString ini = makeProject(dir.path());
        auto scratch = ScratchDatabase::sqlite();
        QVERIFY(scratch);
        compareWithAlembic(ini, *scratch.value(), [&](const QString &id) {
            return ConnectionProfile::fromUrl(QStringLiteral("sqlite:///") + dir.path() +
                                              QStringLiteral("/twin_") + id + QStringLiteral(".db"))
                .value();
        });
    }

    void postgresMatchesAlembicAtEveryRevision()
    {
        if (!TestUtil::hasPostgres())
            QSKIP("no PostgreSQL (run under pg_virtualenv)");
        QTemporaryDir dir;
        const QString ini = makeProject(dir.path());
        // Replay on Retort's private server; twins on pg_virtualenv's.
        auto scratch = ScratchDatabase::privateServer(true);
        QVERIFY2(scratch, qPrintable(scratch.error()));
        compareWithAlembicOnServer(ini, *scratch.value(), TestUtil::postgresProfile());
    }

    // Any dialect on a server the user marked scratch: Retort's own database
    // there, compared with twins the real Alembic upgraded on the same server.
    void mariadbScratchProfileMatchesAlembic()
    {
        if (!TestUtil::hasMysql())
            QSKIP("no MariaDB (run under scripts/with-mariadb.sh)");
        QTemporaryDir dir;
        const QString ini = makeProject(dir.path());
        ConnectionProfile server = TestUtil::mysqlProfile();
        server.scratch = true;
        // Alembic reaches it through PyMySQL (Debian's python3-pymysql).
        server.url = mysqlUrl(server, QString());
        {
            auto scratch = ScratchDatabase::onServer(server);
            QVERIFY2(scratch, qPrintable(scratch.error()));
            QVERIFY(
                scratch.value()->profile().database.startsWith(QStringLiteral("retort_scratch_")));
            compareWithAlembicOnServer(ini, *scratch.value(), server);
        }
        // Its database (and any checkpoint) is gone with it.
        ScopedConnection admin(server);
        QString error;
        QVERIFY(admin.open(&error));
        QSqlQuery q(admin.database());
        QVERIFY(q.exec(QStringLiteral("SHOW DATABASES LIKE 'retort\\_scratch\\_%'")));
        QVERIFY(!q.next());
    }

    void aBranchHasNothingOfTheOther()
    {
        QTemporaryDir dir;
        const Project project = load(makeProject(dir.path()));
        auto scratch = ScratchDatabase::sqlite();
        SchemaHistory history(project, QStringLiteral("sqlite"), nullptr);
        QVERIFY(history.replay(*scratch.value()));
        const auto a = history.snapshot(project.graph.indexOf(QStringLiteral("004a_a_things")));
        const auto b =
            history.snapshot(project.graph.indexOf(QStringLiteral("005b_alter_nickname")));
        const auto audit =
            history.snapshot(project.graph.indexOf(QStringLiteral("102_audit_index")));
        const auto merge = history.snapshot(project.graph.indexOf(QStringLiteral("006_merge")));
        QVERIFY(a->table(QStringLiteral("a_things")) && !a->table(QStringLiteral("b_things")));
        QVERIFY(b->table(QStringLiteral("b_things")) && !b->table(QStringLiteral("a_things")));
        QCOMPARE(a->table(QStringLiteral("users"))->column(QStringLiteral("nickname"))->type,
                 QStringLiteral("VARCHAR(40)"));
        QCOMPARE(b->table(QStringLiteral("users"))->column(QStringLiteral("nickname"))->type,
                 QStringLiteral("VARCHAR(80)"));
        QVERIFY(merge->table(QStringLiteral("a_things")) &&
                merge->table(QStringLiteral("b_things")));
        QVERIFY(!merge->table(QStringLiteral("audit")));
        QCOMPARE(audit->tables.size(), 1);
        QCOMPARE(audit->tables.first().indexes.first().where, QStringLiteral("kind = 'error'"));
    }

    void diffAndBlame()
    {
        QTemporaryDir dir;
        const Project project = load(makeProject(dir.path()));
        auto scratch = ScratchDatabase::sqlite();
        SchemaHistory history(project, QStringLiteral("sqlite"), nullptr);
        QVERIFY(history.replay(*scratch.value()));
        const int merge = project.graph.indexOf(QStringLiteral("006_merge"));
        const auto changes = SchemaDiff::compare(
            *history.snapshot(project.graph.indexOf(QStringLiteral("003_nickname"))),
            *history.snapshot(merge));
        QStringList described;
        for (const SchemaChange &c : changes)
            described.append(c.describe());
        QVERIFY2(described.contains(QStringLiteral("+ table a_things: (id, team_id)")),
                 qPrintable(described.join(u'\n')));
        QVERIFY(described.contains(
            QStringLiteral("~ column users.nickname: nickname VARCHAR(40)  →  nickname "
                           "VARCHAR(80) NOT NULL DEFAULT ''")));
        QVERIFY(described.contains(QStringLiteral("+ index users.ix_users_nickname: (nickname)")));

        // Blame: made in 003, altered in 005b, indexed in 006.
        auto blame = SchemaBlame::compute(history, merge);
        QVERIFY(blame);
        QStringList column, index, table;
        for (const BlameEntry &e : blame.value()) {
            for (const BlameEvent &ev : e.events) {
                if (e.path() == u"users.nickname" && e.object == SchemaChange::Object::Column)
                    column.append(ev.revision);
                if (e.path() == u"users.ix_users_nickname")
                    index.append(ev.revision);
                if (e.path() == u"teams.ck_teams_size")
                    table.append(ev.revision);
            }
        }
        QCOMPARE(column, (QStringList{"003_nickname", "005b_alter_nickname"}));
        QCOMPARE(index, QStringList{"006_merge"});
        QCOMPARE(table, QStringList{"002_teams"});
    }

    // PostgreSQL: a live database on pg_virtualenv's server against the
    // snapshot replayed on the private server.
    void driftOnALivePostgres()
    {
        if (!TestUtil::hasPostgres() ||
            !PrivateServer::binaryFolder(PrivateServer::Kind::PostgreSQL))
            QSKIP("no PostgreSQL (run under pg_virtualenv)");
        QTemporaryDir dir;
        const Project project = load(makeProject(dir.path()));
        {
            ScopedConnection admin(TestUtil::postgresProfile());
            QString error;
            QVERIFY2(admin.open(&error), qPrintable(error));
            QSqlQuery q(admin.database());
            q.exec(QStringLiteral("DROP DATABASE IF EXISTS retort_live"));
            QVERIFY(q.exec(QStringLiteral("CREATE DATABASE retort_live")));
        }
        const ConnectionProfile live = TestUtil::postgresProfile(QStringLiteral("retort_live"));
        QVERIFY(SqlRenderer::runOnline(project.config, live, true, QStringLiteral("006_merge")));
        auto scratch = ScratchDatabase::privateServer(true);
        QVERIFY2(scratch, qPrintable(scratch.error()));
        SchemaHistory history(project, QStringLiteral("postgresql"), nullptr);
        auto clean = Drift::check(history, *scratch.value(), live);
        QVERIFY2(clean, qPrintable(clean.error()));
        QStringList found;
        for (const SchemaChange &c : clean->differences)
            found.append(c.describe());
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        {
            ScopedConnection c(live);
            QString error;
            QVERIFY(c.open(&error));
            QVERIFY(QSqlQuery(c.database())
                        .exec(QStringLiteral("ALTER TABLE users ALTER COLUMN name TYPE "
                                             "varchar(200)")));
        }
        auto drifted = Drift::check(history, *scratch.value(), live);
        QVERIFY(drifted);
        QCOMPARE(drifted->differences.size(), 1);
        QCOMPARE(drifted->differences.first().kind, SchemaChange::Kind::Changed);
        QCOMPARE(drifted->differences.first().path(), QStringLiteral("users.name"));
        ScopedConnection admin(TestUtil::postgresProfile());
        QString error;
        QVERIFY(admin.open(&error));
        QSqlQuery(admin.database()).exec(QStringLiteral("DROP DATABASE retort_live"));
    }

    void driftOnALiveDatabase()
    {
        QTemporaryDir dir;
        const QString ini = makeProject(dir.path());
        const Project project = load(ini);
        const ConnectionProfile live =
            ConnectionProfile::fromUrl(QStringLiteral("sqlite:///") + dir.path() +
                                       QStringLiteral("/live.db"))
                .value();
        QVERIFY(SqlRenderer::runOnline(project.config, live, true, QStringLiteral("006_merge")));
        auto scratch = ScratchDatabase::sqlite();
        SchemaHistory history(project, QStringLiteral("sqlite"), nullptr);
        auto clean = Drift::check(history, *scratch.value(), live);
        QVERIFY2(clean, qPrintable(clean.error()));
        QCOMPARE(clean->recorded, QStringList{"006_merge"});
        QVERIFY(clean->differences.isEmpty());

        auto exec = [&](const QString &sql) {
            ScopedConnection c(live);
            QString error;
            QVERIFY(c.open(&error));
            QSqlQuery q(c.database());
            QVERIFY2(q.exec(sql), qPrintable(sql));
        };
        exec(QStringLiteral("ALTER TABLE teams ADD COLUMN colour VARCHAR(7)"));
        auto drifted = Drift::check(history, *scratch.value(), live);
        QVERIFY(drifted);
        QCOMPARE(drifted->differences.size(), 1);
        QCOMPARE(drifted->differences.first().kind, SchemaChange::Kind::Added);
        QCOMPARE(drifted->differences.first().path(), QStringLiteral("teams.colour"));
        exec(QStringLiteral("ALTER TABLE teams DROP COLUMN colour"));
        QVERIFY(Drift::check(history, *scratch.value(), live)->differences.isEmpty());

        // Drift reads: the file is not written.
        const QDateTime before = QFileInfo(live.database).lastModified();
        QVERIFY(Drift::check(history, *scratch.value(), live));
        QCOMPARE(QFileInfo(live.database).lastModified(), before);

        exec(QStringLiteral("UPDATE alembic_version SET version_num = 'feedbeef0000'"));
        auto unknown = Drift::check(history, *scratch.value(), live);
        QVERIFY(!unknown);
        QVERIFY2(unknown.error().contains(QStringLiteral("feedbeef0000")) &&
                     unknown.error().contains(QStringLiteral("do not have")),
                 qPrintable(unknown.error()));
    }

    void aFailingStepStopsAndKeepsWhatCameBefore()
    {
        QTemporaryDir dir;
        const QString ini = makeProject(dir.path());
        const QString file = dir.path() + QStringLiteral("/migrations/versions/003_nickname.py");
        QFile f(file);
        QVERIFY(f.open(QIODevice::Append));
        f.write("\n\ndef upgrade():\n    op.execute(\"INSERT INTO no_such_table VALUES (1)\")\n");
        f.close();
        const Project project = load(ini);
        QTemporaryDir cacheDir;
        SnapshotCache cache(project.key(), cacheDir.path());
        QString error;
        QVERIFY(cache.open(&error));
        SchemaHistory history(project, QStringLiteral("sqlite"), &cache);
        auto scratch = ScratchDatabase::sqlite(cache.checkpointFolder());
        auto stats = history.replay(*scratch.value());
        QVERIFY(!stats);
        QVERIFY(history.failure());
        QCOMPARE(history.failure()->revision, QStringLiteral("003_nickname"));
        QVERIFY2(history.failure()->statement.contains(QStringLiteral("no_such_table")),
                 qPrintable(history.failure()->statement));
        QVERIFY2(stats.error().contains(QStringLiteral("003_nickname")) &&
                     stats.error().contains(QStringLiteral("no such table")),
                 qPrintable(stats.error()));
        // What came before is kept, in the cache too.
        SchemaHistory again(project, QStringLiteral("sqlite"), &cache);
        QVERIFY(again.snapshot(project.graph.indexOf(QStringLiteral("002_teams"))));
        QVERIFY(!again.snapshot(project.graph.indexOf(QStringLiteral("003_nickname"))));
    }

    // env.py that connects elsewhere (an environment variable) never gets
    // to run a revision online during a replay.
    void onlineStepsRunOnlyWhereAlembicReachesTheScratch()
    {
        QTemporaryDir dir;
        const QString ini = makeProject(dir.path());
        const QString envPy = dir.path() + QStringLiteral("/migrations/env.py");
        QFile f(envPy);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        text.replace("engine = engine_from_config(config.get_section(config.config_ini_section, "
                     "{}),\n                                prefix=\"sqlalchemy.\", "
                     "poolclass=pool.NullPool)",
                     "import os\n    from sqlalchemy import create_engine\n    engine = "
                     "create_engine(os.environ[\"RETORT_TEST_OTHER_URL\"])");
        QVERIFY(text.contains("RETORT_TEST_OTHER_URL"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        const QString other = dir.path() + QStringLiteral("/precious.db");
        qputenv("RETORT_TEST_OTHER_URL", QByteArray("sqlite:///") + other.toUtf8());
        const Project project = load(ini);
        SchemaHistory history(project, QStringLiteral("sqlite"), nullptr);
        auto scratch = ScratchDatabase::sqlite();
        auto stats = history.replay(*scratch.value());
        qunsetenv("RETORT_TEST_OTHER_URL");
        QVERIFY(!stats);
        QCOMPARE(history.failure()->revision, QStringLiteral("005b_alter_nickname"));
        QVERIFY2(stats.error().contains(QStringLiteral("env.py does not connect")),
                 qPrintable(stats.error()));
        // Everything before the online step was replayed; the other database
        // has no table.
        QVERIFY(history.snapshot(project.graph.indexOf(QStringLiteral("004b_b_things"))));
        const ConnectionProfile precious =
            ConnectionProfile::fromUrl(QStringLiteral("sqlite:///") + other).value();
        if (QFileInfo::exists(other))
            QVERIFY(introspect(precious).tables.isEmpty());
        ScopedConnection c(precious);
        QString error;
        if (QFileInfo::exists(other) && c.open(&error)) {
            QSqlQuery q(c.database());
            QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
    }

    // An edit deep in a long history replays from the nearest checkpoint.
    void anEditReplaysFromTheNearestCheckpoint()
    {
        QTemporaryDir dir;
        QProcess gen;
        gen.start(QStringLiteral("/usr/bin/python3"),
                  {QStringLiteral(RETORT_SOURCE_DIR "/bench/generate_history.py"), dir.path(),
                   QStringLiteral("120"), QStringLiteral("--plain")});
        QVERIFY(gen.waitForFinished(60000) && gen.exitCode() == 0);
        const QString ini = dir.path() + QStringLiteral("/alembic.ini");
        QTemporaryDir cacheDir;
        QString error;
        int total = 0;
        {
            const Project project = load(ini);
            total = project.graph.size();
            SnapshotCache cache(project.key(), cacheDir.path());
            QVERIFY(cache.open(&error));
            SchemaHistory history(project, QStringLiteral("sqlite"), &cache);
            auto scratch = ScratchDatabase::sqlite(cache.checkpointFolder());
            auto cold = history.replay(*scratch.value());
            QVERIFY2(cold, qPrintable(cold.error()));
            QCOMPARE(cold->snapshots, total);
            QVERIFY(cold->checkpoints >= total / SchemaHistory::kCheckpointEvery);
        }
        // Edit the revision at depth ~100 (its descendants change keys too).
        const Project project = load(ini);
        SnapshotCache cache(project.key(), cacheDir.path());
        QVERIFY(cache.open(&error));
        SchemaHistory history(project, QStringLiteral("sqlite"), &cache);
        int edited = -1;
        for (int r : history.order())
            if (history.ancestry(r).size() == 97)
                edited = r;
        QVERIFY(edited >= 0);
        {
            QFile f(project.graph.fileOf(edited).path);
            QVERIFY(f.open(QIODevice::Append));
            f.write("\n# reviewed\n");
        }
        const Project changed = load(ini);
        SchemaHistory after(changed, QStringLiteral("sqlite"), &cache);
        const QList<int> missing = after.missing({});
        int descendants = 0;
        for (int r : after.order())
            descendants += after.isAncestor(edited, r) ? 1 : 0;
        QCOMPARE(int(missing.size()), descendants);
        auto scratch = ScratchDatabase::sqlite(cache.checkpointFolder());
        auto warm = after.replay(*scratch.value());
        QVERIFY2(warm, qPrintable(warm.error()));
        QCOMPARE(warm->snapshots, descendants);
        QCOMPARE(warm->restores, 1);
        // From the checkpoint at depth 80: at most kCheckpointEvery steps
        // before the edited revision, then its descendants.
        QVERIFY2(warm->stepsExecuted <= descendants + SchemaHistory::kCheckpointEvery,
                 qPrintable(QString::number(warm->stepsExecuted)));
        QVERIFY(warm->stepsExecuted < total / 2);
    }

    void privateServersListenOnlyOnASocketAndLeaveNothing_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("postgresql") << int(PrivateServer::Kind::PostgreSQL);
        QTest::newRow("mariadb") << int(PrivateServer::Kind::MariaDB);
    }

    void privateServersListenOnlyOnASocketAndLeaveNothing()
    {
        QFETCH(int, kind);
        const auto k = PrivateServer::Kind(kind);
        if (!PrivateServer::binaryFolder(k))
            QSKIP("no server binaries");
        // The check below sees a TCP listener when there is one.
        const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QVERIFY(::bind(probe, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
        QVERIFY(::listen(probe, 1) == 0);
        QCOMPARE(tcpListeners(QCoreApplication::applicationPid()).size(), 1);
        ::close(probe);
        QVERIFY(tcpListeners(QCoreApplication::applicationPid()).isEmpty());

        QString folder;
        qint64 pid = 0;
        {
            auto server = PrivateServer::start(k);
            QVERIFY2(server, qPrintable(server.error()));
            folder = server.value()->socketFolder();
            pid = server.value()->serverPid();
            QVERIFY(alive(pid));
            QCOMPARE(QFileInfo(folder).permissions() & 0x0077, QFileDevice::Permissions());
            QVERIFY(tcpListeners(pid).isEmpty());
            ScopedConnection c(server.value()->profile(
                k == PrivateServer::Kind::PostgreSQL ? QStringLiteral("postgres") : QString()));
            QString error;
            QVERIFY2(c.open(&error), qPrintable(error));
            QSqlQuery q(c.database());
            if (k == PrivateServer::Kind::PostgreSQL) {
                QVERIFY(q.exec(QStringLiteral("SHOW listen_addresses")) && q.next());
                QCOMPARE(q.value(0).toString(), QString());
            } else {
                QVERIFY(q.exec(QStringLiteral("SELECT @@skip_networking")) && q.next());
                QCOMPARE(q.value(0).toInt(), 1);
            }
        }
        QVERIFY(!alive(pid));
        QVERIFY(!QFileInfo::exists(folder));
    }

    // A MySQL project replays on a private MariaDB server by default.
    void privateMariadbMatchesAlembic()
    {
        if (!TestUtil::hasMysql() || !PrivateServer::binaryFolder(PrivateServer::Kind::MariaDB))
            QSKIP("no MariaDB (run under scripts/with-mariadb.sh)");
        QTemporaryDir dir;
        const QString ini = makeProject(dir.path());
        auto scratch = ScratchDatabase::forDialect(QStringLiteral("mysql"), QString(), nullptr);
        QVERIFY2(scratch, qPrintable(scratch.error()));
        QVERIFY(scratch.value()->describe().contains(QStringLiteral("private MariaDB")));
        ConnectionProfile server = TestUtil::mysqlProfile();
        server.url = mysqlUrl(server, QString());
        compareWithAlembicOnServer(ini, *scratch.value(), server);
    }

    void aKilledRetortsServerGoesAtTheNextStart()
    {
        if (!PrivateServer::binaryFolder(PrivateServer::Kind::PostgreSQL))
            QSKIP("no PostgreSQL server binaries");
        QTemporaryDir dir;
        const QString ini = makeProject(dir.path(), QStringLiteral("postgresql://x@127.0.0.1:1/x"));
        QProcess retort;
        retort.setWorkingDirectory(dir.path());
        retort.start(QStringLiteral(RETORT_BINARY), {QStringLiteral("replay")});
        QVERIFY(retort.waitForStarted());
        const QDir base(PrivateServer::baseFolder());
        const QString mine = QStringLiteral("run-%1-*").arg(retort.processId());
        QString folder;
        QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired() && folder.isEmpty()) {
            for (const QString &e : base.entryList({mine}, QDir::Dirs))
                if (QFileInfo::exists(base.filePath(e) + QStringLiteral("/data/postmaster.pid")))
                    folder = base.filePath(e);
            QThread::msleep(20);
        }
        QVERIFY2(!folder.isEmpty(), "the replay never started its server");
        QThread::msleep(300);
        ::kill(pid_t(retort.processId()), SIGKILL);
        retort.waitForFinished();
        QFile pidFile(folder + QStringLiteral("/data/postmaster.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const qint64 postmaster = pidFile.readLine().trimmed().toLongLong();
        pidFile.close();
        QVERIFY(alive(postmaster)); // left behind by the kill

        QVERIFY(PrivateServer::cleanUpStale() >= 1);
        QVERIFY(!QFileInfo::exists(folder));
        QDeadlineTimer gone(10000);
        while (alive(postmaster) && !gone.hasExpired())
            QThread::msleep(20);
        QVERIFY(!alive(postmaster));
    }

    void theCommandLine()
    {
        QTemporaryDir dir;
        makeProject(dir.path());
        auto run = [&](const QStringList &args, int *code = nullptr) {
            QProcess p;
            p.setWorkingDirectory(dir.path());
            p.start(QStringLiteral(RETORT_BINARY), args);
            p.waitForFinished(120000);
            if (code)
                *code = p.exitCode();
            return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        };
        int code = -1;
        // On a terminal, a replay shows where it is on stderr.
        if (!QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty()) {
            QProcess term;
            term.setWorkingDirectory(dir.path());
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.path() + QStringLiteral("/termcache"));
            term.setProcessEnvironment(env);
            term.start(QStringLiteral("script"),
                       {QStringLiteral("-qec"),
                        QStringLiteral(RETORT_BINARY) + QStringLiteral(" replay"),
                        QStringLiteral("/dev/null")});
            QVERIFY(term.waitForFinished(120000));
            const QString shown = QString::fromUtf8(term.readAll());
            QVERIFY2(shown.contains(QStringLiteral("replaying 9 of 9")) &&
                         shown.contains(QStringLiteral("006_merge")),
                     qPrintable(shown));
        }
        // Only a profile marked scratch is replayed on.
        run({"profile", "add", "mine", "sqlite:///mine.db", "--no-test"}, &code);
        QCOMPARE(code, 0);
        run({"profile", "add", "--scratch", "spare", "sqlite:///spare.db", "--no-test"}, &code);
        QCOMPARE(code, 0);
        const QString listed = run({"profile", "list"});
        QVERIFY2(listed.contains(QStringLiteral("spare  sqlite:///")) &&
                     listed.contains(QStringLiteral("(scratch)")) &&
                     !listed.section(u'\n', 0, 0).contains(QStringLiteral("(scratch)")),
                 qPrintable(listed));
        const QString refused = run({"replay", "--scratch", "mine"}, &code);
        QCOMPARE(code, 1);
        QVERIFY2(refused.contains(QStringLiteral("'mine' is not marked scratch")),
                 qPrintable(refused));
        QVERIFY(!QFileInfo::exists(dir.path() + QStringLiteral("/mine.db")));
        const QString replayed = run({QStringLiteral("replay")}, &code);
        QCOMPARE(code, 0);
        QVERIFY2(replayed.contains(QStringLiteral("9 snapshots")), qPrintable(replayed));
        QVERIFY(run({QStringLiteral("replay")}, &code).contains(QStringLiteral("cached")));

        // The JSON interface keeps its shape.
        const QJsonObject j =
            QJsonDocument::fromJson(run({QStringLiteral("schema"), QStringLiteral("006_merge"),
                                         QStringLiteral("--format"), QStringLiteral("json")})
                                        .toUtf8())
                .object();
        QCOMPARE(j.value("revision").toArray().first().toString(), QStringLiteral("006_merge"));
        QCOMPARE(j.value("dialect").toString(), QStringLiteral("sqlite"));
        QVERIFY(j.value("views").isArray() && j.value("enums").isArray());
        const QJsonArray tables = j.value("tables").toArray();
        QStringList names;
        for (const QJsonValue &t : tables)
            names.append(t.toObject().value("name").toString());
        QCOMPARE(names, (QStringList{"a_things", "b_things", "teams", "users"}));
        const QJsonObject teams = tables.at(2).toObject();
        for (const char *key : {"name", "schema", "columns", "indexes", "unique_constraints",
                                "foreign_keys", "checks"})
            QVERIFY2(teams.contains(QLatin1String(key)), key);
        const QJsonObject column = teams.value("columns").toArray().first().toObject();
        for (const char *key : {"name", "type", "nullable", "default", "primary_key"})
            QVERIFY2(column.contains(QLatin1String(key)), key);
        const QJsonObject fk = teams.value("foreign_keys").toArray().first().toObject();
        QCOMPARE(fk.value("ref_table").toString(), QStringLiteral("users"));
        QCOMPARE(fk.value("on_delete").toString(), QStringLiteral("CASCADE"));
        QCOMPARE(teams.value("checks").toArray().first().toObject().value("name").toString(),
                 QStringLiteral("ck_teams_size"));

        QVERIFY(run({QStringLiteral("schema"), QStringLiteral("002_teams"),
                     QStringLiteral("--format"), QStringLiteral("sql")})
                    .contains(QStringLiteral("CONSTRAINT ck_teams_size CHECK (size > 0)")));
        const QString diff = run({QStringLiteral("schema-diff"), QStringLiteral("001_users"),
                                  QStringLiteral("002_teams")});
        QVERIFY2(diff.startsWith(QStringLiteral("+ table teams")), qPrintable(diff));
        const QString blame = run({QStringLiteral("blame"), QStringLiteral("users.nickname"),
                                   QStringLiteral("--at"), QStringLiteral("006_merge")});
        QVERIFY2(blame.contains(QStringLiteral("created 003_nickname")) &&
                     blame.contains(QStringLiteral("changed 005b_alter_nickname")) &&
                     blame.contains(QStringLiteral("006_merge")),
                 qPrintable(blame));

        // drift: 0 clean, 1 drift, 2 error.
        run({QStringLiteral("drift")}, &code);
        QCOMPARE(code, 2); // app.db does not exist yet
        QProcess up;
        up.setWorkingDirectory(dir.path());
        up.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-m"), QStringLiteral("alembic"), QStringLiteral("upgrade"),
                  QStringLiteral("heads")});
        QVERIFY(up.waitForFinished(60000) && up.exitCode() == 0);
        QString out = run({QStringLiteral("drift")}, &code);
        QVERIFY2(code == 0, qPrintable(out));
        {
            const ConnectionProfile live =
                ConnectionProfile::fromUrl(QStringLiteral("sqlite:///") + dir.path() +
                                           QStringLiteral("/app.db"))
                    .value();
            ScopedConnection c(live);
            QString error;
            QVERIFY(c.open(&error));
            QVERIFY(QSqlQuery(c.database())
                        .exec(QStringLiteral("CREATE INDEX ix_by_hand ON b_things (label)")));
        }
        out = run({QStringLiteral("drift")}, &code);
        QCOMPARE(code, 1);
        QVERIFY2(out.contains(QStringLiteral("+ index b_things.ix_by_hand")), qPrintable(out));
    }

    void mariadbCatalog()
    {
        if (!TestUtil::hasMysql())
            QSKIP("no MariaDB (run under scripts/with-mariadb.sh)");
        ConnectionProfile server = TestUtil::mysqlProfile();
        {
            ScopedConnection c(server);
            QString error;
            QVERIFY2(c.open(&error), qPrintable(error));
            QSqlQuery q(c.database());
            q.exec(QStringLiteral("DROP DATABASE IF EXISTS retort_catalog"));
            QVERIFY(q.exec(QStringLiteral("CREATE DATABASE retort_catalog")));
        }
        server.database = QStringLiteral("retort_catalog");
        ScopedConnection c(server);
        QString error;
        QVERIFY(c.open(&error));
        QSqlQuery q(c.database());
        for (const char *sql :
             {"CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL, CONSTRAINT "
              "uq_email UNIQUE (email))",
              "CREATE TABLE teams (id INT PRIMARY KEY, owner_id INT NOT NULL, size INT NOT NULL "
              "DEFAULT 1, CONSTRAINT fk_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON "
              "DELETE CASCADE, CONSTRAINT ck_size CHECK (size > 0))",
              "CREATE INDEX ix_size ON teams (size)",
              "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"})
            QVERIFY2(q.exec(QString::fromLatin1(sql)), sql);
        auto s = Introspector().read(c.database(), QStringLiteral("mysql"));
        QVERIFY2(s, qPrintable(s.error()));
        QCOMPARE(s->tables.size(), 2);
        const SchemaTable *teams = s->table(QStringLiteral("teams"));
        QVERIFY(teams);
        QCOMPARE(teams->foreignKeys.size(), 1);
        QCOMPARE(teams->foreignKeys.first().name, QStringLiteral("fk_owner"));
        QCOMPARE(teams->foreignKeys.first().onDelete, QStringLiteral("CASCADE"));
        QCOMPARE(teams->checks.first().name, QStringLiteral("ck_size"));
        QVERIFY(std::any_of(teams->indexes.cbegin(), teams->indexes.cend(),
                            [](const SchemaIndex &i) { return i.name == u"ix_size"; }));
        QCOMPARE(s->table(QStringLiteral("users"))->uniques.first().name,
                 QStringLiteral("uq_email"));
        QCOMPARE(s->table(QStringLiteral("users"))->primaryKey(), QStringList{"id"});
        QSqlQuery(c.database()).exec(QStringLiteral("DROP DATABASE retort_catalog"));
    }
};

QTEST_GUILESS_MAIN(TestSchemaHistory)
#include "tst_schemahistory.moc"
