// SQL from the real Alembic, rendered offline for the demo project.
#include "core/project.h"
#include "core/run/migrationplan.h"
#include "core/run/plansql.h"
#include "core/run/sqlrenderer.h"
#include "core/run/statementsplitter.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

class TestSqlRenderer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ProjectConfig m_config;

private slots:
    void initTestCase()
    {
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), m_dir.path());
        auto c = ProjectConfig::load(m_dir.filePath("alembic.ini"));
        QVERIFY2(c, qPrintable(c.error()));
        m_config = c.value();
    }

    void findsAlembic()
    {
        QVERIFY(!SqlRenderer::alembicCommand(m_config).isEmpty());
        TestUtil::writeFile(m_dir.path(), ".venv/bin/alembic", "#!/bin/sh\n");
        QFile::setPermissions(m_dir.filePath(".venv/bin/alembic"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(SqlRenderer::alembicCommand(m_config),
                 QStringList{m_dir.filePath(".venv/bin/alembic")});
        // retort.ini can say how this project runs Alembic
        TestUtil::writeFile(m_dir.path(), "retort.ini",
                            "[alembic]\ncommand = tools/alembic --quiet\n");
        QCOMPARE(SqlRenderer::alembicCommand(m_config),
                 (QStringList{m_dir.filePath("tools/alembic"), "--quiet"}));
        QFile::remove(m_dir.filePath("retort.ini"));
        QDir(m_dir.filePath(".venv")).removeRecursively();
    }

    // SQL is never served stale: a change to anything Alembic's output
    // depends on (a module the revision imports, env.py, the config) renders
    // again, within one process as across processes.
    void neverStale()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        TestUtil::writeFile(dir.path(), "appsql.py", "AUDIT = 'SELECT 1'\n");
        QByteArray revision =
            TestUtil::revisionSource("013_audit", "3f9a1c2b7d4e", "import appsql\n");
        revision.replace("def upgrade():\n    pass",
                         "def upgrade():\n    op.execute(appsql.AUDIT)");
        TestUtil::writeFile(dir.path(), "migrations/versions/013_audit.py",
                            "from alembic import op\n" + revision);
        auto project = Project::open(dir.filePath("alembic.ini"));
        QVERIFY(project);
        auto profile = ConnectionProfile::fromUrl("sqlite:///demo.db", dir.path());
        MigrationPlan plan =
            MigrationPlan::make(project->graph, {"3f9a1c2b7d4e"}, "013_audit", true).value();
        auto sqlOf = [&] {
            auto steps = PlanSql::prepare(project.value(), profile.value(), plan);
            if (!steps)
                qFatal("%s", qPrintable(steps.error()));
            QStringList out;
            for (const auto &st : steps->first().statements)
                out << st.text;
            return out.join(u'\n');
        };
        bool cached = true;
        QVERIFY(sqlOf().contains("SELECT 1"));
        PlanSql::prepare(project.value(), profile.value(), plan, &cached);
        QVERIFY(cached); // unchanged: served from this process's cache
        TestUtil::writeFile(dir.path(), "appsql.py", "AUDIT = 'SELECT 2'\n");
        QVERIFY(sqlOf().contains("SELECT 2"));
        QFile env(dir.filePath("migrations/env.py"));
        QVERIFY(env.open(QIODevice::Append));
        env.write("\n# a change to env.py\n");
        env.close();
        PlanSql::prepare(project.value(), profile.value(), plan, &cached);
        QVERIFY(!cached);
    }

    void rendersEveryStep()
    {
        auto pg = ConnectionProfile::fromUrl("postgresql://u@db.example.com/app");
        auto sections = SqlRenderer::render(m_config, pg.value(), "base:heads", true);
        QVERIFY2(sections, qPrintable(sections.error()));
        // the preamble (alembic_version) and one section per revision
        QCOMPARE(sections->size(), 14);
        QVERIFY(sections->first().to.isEmpty());
        QVERIFY(sections->first().sql.contains("CREATE TABLE alembic_version"));
        const SqlSection &first = sections->at(1);
        QCOMPARE(first.from, QStringList{});
        QCOMPARE(first.to, QStringLiteral("001_create_users"));
        QVERIFY(first.sql.contains("CREATE TABLE users"));
        bool merge = false, enumType = false;
        for (const SqlSection &s : sections.value()) {
            if (s.to == u"009_merge_audit_and_avatar") {
                merge = true;
                QCOMPARE(s.from, (QStringList{"007_create_audit_log", "008_add_user_avatar"}));
            }
            // rendered for PostgreSQL, not for the project's SQLite URL
            enumType = enumType || s.sql.contains("ADD COLUMN status project_status");
        }
        QVERIFY(merge);
        QVERIFY(enumType);
        // no rendering files are left beside the config
        QCOMPARE(QDir(m_dir.path()).entryList({".retort-render-*"}, QDir::Hidden | QDir::Files),
                 QStringList{});
        // Alembic's own bookkeeping is recognised, the migration itself is not
        int bookkeeping = 0, work = 0;
        for (const SqlStatement &st :
             StatementSplitter::split(first.sql, StatementSplitter::Dialect::PostgreSQL))
            (SqlRenderer::isVersionBookkeeping(st.text, "alembic_version") ? bookkeeping : work)++;
        QCOMPARE(bookkeeping, 1);
        QCOMPARE(work, 1);
    }

    void rendersDowngradesForSQLite()
    {
        auto sqlite = ConnectionProfile::fromUrl("sqlite:///x.db", m_dir.path());
        auto down = SqlRenderer::render(m_config, sqlite.value(),
                                        "005_index_users_email:003_add_team_members", false);
        QVERIFY2(down, qPrintable(down.error()));
        QStringList steps;
        for (const SqlSection &s : down.value()) {
            if (!s.to.isEmpty())
                steps << s.from.join(u',') + QStringLiteral("->") + s.to;
        }
        QCOMPARE(steps, (QStringList{"005_index_users_email->004_create_projects",
                                     "004_create_projects->003_add_team_members"}));
        for (const SqlSection &s : down.value()) {
            if (s.to == u"004_create_projects") {
                QVERIFY(s.sql.contains("DROP INDEX ix_users_email"));
                QVERIFY(!s.upgrade);
            }
        }
    }

    void revisionsThatCannotRenderOfflineAreNamed()
    {
        // SQLite cannot ALTER a column type: batch mode must reflect the
        // table, which offline mode cannot do.
        auto sqlite = ConnectionProfile::fromUrl("sqlite:///x.db", m_dir.path());
        auto sections = SqlRenderer::render(m_config, sqlite.value(),
                                            "009_merge_audit_and_avatar:012_create_labels", true);
        QVERIFY(!sections);
        QVERIFY2(sections.error().startsWith(
                     "Alembic could not render 011_add_project_paused_status offline: "
                     "This operation cannot proceed in --sql mode"),
                 qPrintable(sections.error()));
    }

    void splitMarkers()
    {
        const auto s =
            SqlRenderer::split("-- header\n\n-- Running downgrade b, c -> a\nDROP TABLE t;\n");
        QCOMPARE(s.size(), 2);
        QVERIFY(!s.at(1).upgrade);
        QCOMPARE(s.at(1).from, (QStringList{"b", "c"}));
        QCOMPARE(s.at(1).to, QStringLiteral("a"));
        QVERIFY(SqlRenderer::isVersionBookkeeping("UPDATE alembic_version SET version_num='x'",
                                                  "alembic_version"));
        QVERIFY(SqlRenderer::isVersionBookkeeping(
            "INSERT INTO migrations.\"alembic_version\" VALUES ('x')", "alembic_version"));
        QVERIFY(!SqlRenderer::isVersionBookkeeping("UPDATE alembic_versions_log SET x=1",
                                                   "alembic_version"));
    }

    // SQLAlchemy's engine log (echo) to the statements a step executed:
    // multi-line statements whole, no parameters, reflection, transaction
    // control or version table bookkeeping.
    void statementsFromEngineLog()
    {
        const QString log = QStringLiteral(
            "2026-11-28 10:31:05,420 INFO sqlalchemy.engine.Engine BEGIN (implicit)\n"
            "2026-11-28 10:31:05,421 INFO sqlalchemy.engine.Engine PRAGMA "
            "main.table_info(\"projects\")\n"
            "2026-11-28 10:31:05,421 INFO sqlalchemy.engine.Engine [raw sql] ()\n"
            "2026-11-28 10:31:05,422 INFO sqlalchemy.engine.Engine SELECT sql FROM sqlite_master\n"
            "2026-11-28 10:31:05,423 INFO sqlalchemy.engine.Engine \n"
            "CREATE TABLE _alembic_tmp_projects (\n"
            "\tid INTEGER NOT NULL\n"
            ")\n"
            "\n"
            "\n"
            "2026-11-28 10:31:05,423 INFO sqlalchemy.engine.Engine [no key 0.00010s] ()\n"
            "2026-11-28 10:31:05,424 INFO sqlalchemy.engine.Engine DROP TABLE projects\n"
            "2026-11-28 10:31:05,425 INFO sqlalchemy.engine.Engine UPDATE alembic_version SET "
            "version_num='011' WHERE alembic_version.version_num = '010'\n"
            "2026-11-28 10:31:05,426 INFO sqlalchemy.engine.Engine COMMIT\n"
            "INFO  [alembic.runtime.migration] Running upgrade 010 -> 011\n");
        const QStringList got =
            SqlRenderer::statementsFromEngineLog(log, QStringLiteral("alembic_version"));
        QCOMPARE(got,
                 (QStringList{QStringLiteral(
                                  "CREATE TABLE _alembic_tmp_projects (\n\tid INTEGER NOT NULL\n)"),
                              QStringLiteral("DROP TABLE projects")}));
    }
};

QTEST_GUILESS_MAIN(TestSqlRenderer)
#include "tst_sqlrenderer.moc"
