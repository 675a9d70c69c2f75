#include "core/edit/revisionrewriter.h"
#include "core/lint/linter.h"
#include "core/lint/lintsettings.h"
#include "core/project.h"
#include "core/script/revisionreader.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

namespace {

struct File
{
    QString name;
    QByteArray source;
};

// A file in the house template: docstring, identifiers, upgrade, downgrade.
QByteArray revisionFile(const QByteArray &id, const QByteArray &down, const QByteArray &upgrade,
                        const QByteArray &downgrade, const QByteArray &extra = {})
{
    return "\"\"\"" + id + "\n\nRevision ID: " + id + "\nRevises: " + down +
           "\nCreate Date: 2026-01-01\n\n\"\"\"\n" +
           "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '" + id +
           "'\ndown_revision = " + (down.isEmpty() ? QByteArray("None") : "'" + down + "'") + "\n" +
           extra + "\n\ndef upgrade():\n" + upgrade + "\n\ndef downgrade():\n" + downgrade + "\n";
}

Diagnostics lint(const QList<File> &files, const QStringList &disabled = {})
{
    QList<RevisionFile> read;
    for (const File &f : files)
        read.append(RevisionReader::read(f.source, "/v/" + f.name));
    const RevisionGraph graph = RevisionGraph::build(read);
    return Linter::lint(graph, NamingScheme::detect(graph), disabled);
}

// "code@file:line" for each finding.
QStringList findings(const Diagnostics &ds)
{
    QStringList out;
    for (const Diagnostic &d : ds)
        out << QStringLiteral("%1@%2:%3").arg(d.code, QFileInfo(d.file).fileName()).arg(d.line);
    return out;
}

const QByteArray kPass = "    pass";

} // namespace

class TestLinter : public QObject
{
    Q_OBJECT

private slots:
    void cleanHistoryHasNoFindings()
    {
        const auto ds =
            lint({{"001_a.py",
                   revisionFile("001_a", "", "    op.create_table('a')", "    op.drop_table('a')")},
                  {"002_b.py", revisionFile("002_b", "001_a",
                                            "    op.add_column('a', sa.Column('x', sa.Integer()))",
                                            "    op.drop_column('a', 'x')")}});
        QCOMPARE(findings(ds), QStringList{});
    }

    void naming()
    {
        const auto ds = lint(
            {{"001_a.py", revisionFile("001_a", "", kPass, kPass)},
             {"002_b.py", revisionFile("002_b", "001_a", kPass, kPass)},
             {"002_c.py", revisionFile("002_c", "002_b", kPass, kPass)},
             {"0005_d.py", revisionFile("0005_d", "002_c", kPass, kPass)},
             {"006_Bad-Slug.py", revisionFile("006_Bad-Slug", "0005_d", kPass, kPass)},
             {"007_e.py", revisionFile("007_wrong", "006_Bad-Slug", kPass, kPass)},
             {"ab12cd34ef56_new.py", revisionFile("ab12cd34ef56", "007_wrong", kPass, kPass)}});
        const QStringList f = findings(ds);
        QVERIFY2(f.contains("naming-prefix@ab12cd34ef56_new.py:11"), qPrintable(f.join(u' ')));
        QVERIFY(f.contains("naming-duplicate-number@002_b.py:11"));
        QVERIFY(f.contains("naming-duplicate-number@002_c.py:11"));
        QVERIFY(f.contains("naming-width@0005_d.py:11"));
        QVERIFY(f.contains("naming-gap@0005_d.py:11"));
        QVERIFY(f.contains("slug-not-snake-case@006_Bad-Slug.py:11"));
        QVERIFY(f.contains("revision-not-stem@007_e.py:11"));
        QVERIFY(!f.contains("revision-not-stem@001_a.py:11"));
    }

    // Numbered files whose ids are their own (001_<hash>_slug.py): that is
    // the project's convention, not a mistake in every file.
    void numberedFilesWithTheirOwnIds()
    {
        const auto own = lint(
            {{"001_1a2b3c4d5e6f_a.py", revisionFile("1a2b3c4d5e6f", "", kPass, kPass)},
             {"002_6f5e4d3c2b1a_b.py", revisionFile("6f5e4d3c2b1a", "1a2b3c4d5e6f", kPass, kPass)},
             {"003_c.py", revisionFile("003_c", "6f5e4d3c2b1a", kPass, kPass)}});
        QVERIFY2(!findings(own).join(u' ').contains(u"revision-not-stem"),
                 qPrintable(findings(own).join(u' ')));
        // Where the stems are the ids, the odd one out is told.
        const auto stems =
            lint({{"001_a.py", revisionFile("001_a", "", kPass, kPass)},
                  {"002_b.py", revisionFile("002_b", "001_a", kPass, kPass)},
                  {"003_c.py", revisionFile("9f8e7d6c5b4a", "002_b", kPass, kPass)}});
        QVERIFY(findings(stems).contains("revision-not-stem@003_c.py:11"));
    }

    void hashProjectsAreNotFlooded()
    {
        const auto ds = lint(
            {{"1a2b3c4d5e6f_a.py", revisionFile("1a2b3c4d5e6f", "", kPass, kPass)},
             {"6f5e4d3c2b1a_b.py", revisionFile("6f5e4d3c2b1a", "1a2b3c4d5e6f", kPass, kPass)}});
        QCOMPARE(findings(ds), QStringList{});
    }

    void revisionMadeOnAnOlderHead()
    {
        // 003 was generated while 002 existed on another branch: both point at 001
        const auto ds = lint({{"001_a.py", revisionFile("001_a", "", kPass, kPass)},
                              {"002_b.py", revisionFile("002_b", "001_a", kPass, kPass)},
                              {"003_c.py", revisionFile("003_c", "001_a", kPass, kPass)}});
        QVERIFY(findings(ds).contains("down-revision-not-previous@003_c.py:12"));
        QVERIFY(ds.last().message.contains("Re-parent it onto 002_b"));
    }

    void docstringLines()
    {
        QByteArray src = revisionFile("002_b", "001_a", kPass, kPass);
        src.replace("Revision ID: 002_b", "Revision ID: 9f8e7d6c5b4a")
            .replace("Revises: 001_a", "Revises: 000_x");
        const auto ds =
            lint({{"001_a.py", revisionFile("001_a", "", kPass, kPass)}, {"002_b.py", src}});
        QCOMPARE(findings(ds),
                 (QStringList{"docstring-revision-id@002_b.py:3", "docstring-revises@002_b.py:4"}));
        QVERIFY(ds.first().message.contains("9f8e7d6c5b4a"));
    }

    void docstringRevisesForms_data()
    {
        QTest::addColumn<QByteArray>("revises");
        QTest::addColumn<bool>("flagged");
        QTest::newRow("as Alembic writes it") << QByteArray("001_a, 002_b") << false;
        QTest::newRow("an old template's tuple") << QByteArray("('001_a', '002_b')") << false;
        QTest::newRow("double quotes") << QByteArray("(\"001_a\", \"002_b\")") << false;
        QTest::newRow("one of two") << QByteArray("001_a") << true;
        QTest::newRow("other order") << QByteArray("002_b, 001_a") << true;
        QTest::newRow("another id") << QByteArray("('001_a', '009_z')") << true;
    }
    void docstringRevisesForms()
    {
        QFETCH(QByteArray, revises);
        QFETCH(bool, flagged);
        QByteArray merge = revisionFile("003_m", "", kPass, kPass);
        merge.replace("down_revision = None", "down_revision = ('001_a', '002_b')")
            .replace("Revises: \n", QByteArray("Revises: " + revises + "\n"));
        QVERIFY(merge.contains(QByteArray("Revises: " + revises)));
        const auto ds = lint({{"001_a.py", revisionFile("001_a", "", kPass, kPass)},
                              {"002_b.py", revisionFile("002_b", "", kPass, kPass)},
                              {"003_m.py", merge}});
        QCOMPARE(findings(ds).contains("docstring-revises@003_m.py:4"), flagged);
    }

    void autogenerateMarker()
    {
        const auto ds = lint(
            {{"001_a.py",
              revisionFile("001_a", "",
                           "    # ### commands auto generated by Alembic - please adjust! ###\n"
                           "    op.create_table('a')\n    # ### end Alembic commands ###",
                           "    op.drop_table('a')")}});
        QCOMPARE(findings(ds), QStringList{"unreviewed-autogenerate@001_a.py:16"});
    }

    void symmetry_data()
    {
        QTest::addColumn<QByteArray>("upgrade");
        QTest::addColumn<QByteArray>("downgrade");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("column") << QByteArray(
                                       "    op.add_column('t', sa.Column('c', sa.Integer()))")
                                << QByteArray("    op.drop_column('t', 'c')") << QStringList{};
        QTest::newRow("column missing")
            << QByteArray("    op.add_column('t', sa.Column('c', sa.Integer()))")
            << QByteArray("    op.drop_column('t', 'other')")
            << QStringList{"asymmetric-downgrade@001_a.py:16"};
        QTest::newRow("batch column")
            << QByteArray("    with op.batch_alter_table('t') as b:\n        "
                          "b.add_column(sa.Column('c', sa.Integer()))")
            << QByteArray("    op.drop_column('t', 'c')") << QStringList{};
        QTest::newRow("table") << QByteArray("    op.create_table('t', sa.Column('id'))")
                               << QByteArray("    op.drop_table(\"t\")") << QStringList{};
        QTest::newRow("index") << QByteArray("    op.create_index(op.f('ix_t_c'), 't', ['c'])")
                               << QByteArray("    op.drop_index(op.f('ix_t_c'), table_name='t')")
                               << QStringList{};
        QTest::newRow("foreign key")
            << QByteArray("    op.create_foreign_key('fk_a', 't', 'u', ['u_id'], ['id'])")
            << QByteArray("    op.drop_constraint('fk_a', 't', type_='foreignkey')")
            << QStringList{};
        QTest::newRow("foreign key missing")
            << QByteArray("    op.create_foreign_key('fk_a', 't', 'u', ['u_id'], ['id'])")
            << QByteArray("    op.drop_table('t')")
            << QStringList{"asymmetric-downgrade@001_a.py:16"};
        QTest::newRow("rename") << QByteArray("    op.rename_table('a', 'b')")
                                << QByteArray("    op.rename_table('b', 'a')") << QStringList{};
        QTest::newRow("rename not back") << QByteArray("    op.rename_table('a', 'b')")
                                         << QByteArray("    op.rename_table('a', 'b')")
                                         << QStringList{"asymmetric-downgrade@001_a.py:16"};
        QTest::newRow("alter back")
            << QByteArray("    op.alter_column('t', 'c', nullable=True)")
            << QByteArray("    op.alter_column('t', 'c', nullable=False)") << QStringList{};
        QTest::newRow("pass downgrade") << QByteArray("    op.create_table('t')") << kPass
                                        << QStringList{"empty-downgrade@001_a.py:18"};
        QTest::newRow("not implemented") << QByteArray("    op.create_table('t')")
                                         << QByteArray("    raise NotImplementedError()")
                                         << QStringList{"empty-downgrade@001_a.py:18"};
        QTest::newRow("empty both") << kPass << kPass << QStringList{};
        QTest::newRow("reverse order")
            << QByteArray("    op.create_table('t')\n    op.create_index('ix', 't', ['c'])")
            << QByteArray("    op.drop_index('ix')\n    op.drop_table('t')") << QStringList{};
        QTest::newRow("independent order")
            << QByteArray("    op.add_column('a', sa.Column('x'))\n    op.add_column('b', "
                          "sa.Column('y'))\n"
                          "    op.create_index('ix_a_z', 'a', ['z'])")
            << QByteArray("    op.drop_column('a', 'x')\n    op.drop_column('b', 'y')\n    "
                          "op.drop_index('ix_a_z')")
            << QStringList{};
        QTest::newRow("column before its index")
            << QByteArray("    op.add_column('a', sa.Column('x'))\n    op.create_index('ix_a_x', "
                          "'a', ['x'])")
            << QByteArray("    op.drop_column('a', 'x')\n    op.drop_index('ix_a_x')")
            << QStringList{"downgrade-order@001_a.py:21"};
        // What upgrade() itself creates is undone with it (real projects:
        // quay, indico, polar, privacyidea, aiida).
        QTest::newRow("index on a new table")
            << QByteArray("    op.create_table('t', sa.Column('c'))\n"
                          "    op.create_index('ix_t_c', 't', ['c'])")
            << QByteArray("    op.drop_table('t')") << QStringList{};
        QTest::newRow("unnamed index on a new column")
            << QByteArray("    op.add_column('t', sa.Column('c', sa.Integer()))\n"
                          "    op.create_index(None, 't', ['c'])\n"
                          "    op.create_foreign_key(None, 't', 'u', ['c'], ['id'])")
            << QByteArray("    op.drop_column('t', 'c')") << QStringList{};
        QTest::newRow("check on a new column")
            << QByteArray("    op.add_column('t', sa.Column('c', sa.String()))\n"
                          "    op.create_check_constraint('c_not_empty', 't', \"c != ''\")")
            << QByteArray("    op.drop_column('t', 'c')") << QStringList{};
        QTest::newRow("default on a new column")
            << QByteArray("    op.add_column('t', sa.Column('c', sa.Boolean()))\n"
                          "    op.alter_column('t', 'c', server_default=None)")
            << QByteArray("    op.drop_column('t', 'c')") << QStringList{};
        QTest::newRow("unnamed index on an old column")
            << QByteArray("    op.create_index(None, 't', ['c'])")
            << QByteArray("    pass\n    x = 1") << QStringList{"asymmetric-downgrade@001_a.py:16"};
        QTest::newRow("index rebuilt")
            << QByteArray("    op.drop_index('ix_a', table_name='t', if_exists=True)\n"
                          "    op.create_index('ix_a', 't', ['c'])")
            << QByteArray("    op.drop_index('ix_a', table_name='t')") << QStringList{};
        QTest::newRow("names in a constant")
            << QByteArray("    op.drop_index(INDEX_NAME, table_name='t', if_exists=True)\n"
                          "    op.create_index(INDEX_NAME, 't', ['c'])")
            << QByteArray("    op.drop_index(INDEX_NAME, table_name='t')") << QStringList{};
        QTest::newRow("constant not undone")
            << QByteArray("    op.create_index(INDEX_NAME, 't', ['c'])")
            << QByteArray("    op.drop_index(OTHER_NAME, table_name='u')")
            << QStringList{"asymmetric-downgrade@001_a.py:16"};
        QTest::newRow("names in a loop")
            << QByteArray("    op.add_column('t', sa.Column('a'))\n"
                          "    op.add_column('t', sa.Column('b'))")
            << QByteArray("    for col in ['b', 'a']:\n        op.drop_column('t', col)")
            << QStringList{};
        QTest::newRow("table rebuilt")
            << QByteArray("    op.create_table('t_new', sa.Column('id'))\n"
                          "    op.drop_table('t')\n    op.rename_table('t_new', 't')")
            << QByteArray("    op.alter_column('t', 'id', nullable=True)") << QStringList{};
        QTest::newRow("column rebuilt")
            << QByteArray("    op.add_column('user', sa.Column('new_id', sa.Uuid()))\n"
                          "    op.drop_column('user', 'id')\n"
                          "    op.alter_column('user', 'new_id', new_column_name='id')\n"
                          "    op.create_primary_key('user_pkey', 'user', ['id'])")
            << QByteArray("    op.add_column('user', sa.Column('old_id', sa.Integer()))\n"
                          "    op.drop_column('user', 'id')\n"
                          "    op.alter_column('user', 'old_id', new_column_name='id')")
            << QStringList{};
        QTest::newRow("naming convention")
            << QByteArray("    op.create_check_constraint('not_empty', 'rooms', \"name != ''\")")
            << QByteArray("    op.drop_constraint('ck_rooms_not_empty', 'rooms')") << QStringList{};
        QTest::newRow("column renamed back")
            << QByteArray("    op.alter_column('t', 'roles', new_column_name='permissions')")
            << QByteArray("    op.alter_column('t', 'permissions', new_column_name='roles')")
            << QStringList{};
        QTest::newRow("column not renamed back")
            << QByteArray("    op.alter_column('t', 'roles', new_column_name='permissions')")
            << QByteArray("    op.alter_column('t', 'roles', nullable=True)")
            << QStringList{"asymmetric-downgrade@001_a.py:16"};
        QTest::newRow("same order")
            << QByteArray("    op.create_table('t')\n    op.create_index('ix', 't', ['c'])")
            << QByteArray("    op.drop_table('t')\n    op.drop_index('ix')")
            << QStringList{"downgrade-order@001_a.py:21"};
    }
    void symmetry()
    {
        QFETCH(QByteArray, upgrade);
        QFETCH(QByteArray, downgrade);
        QFETCH(QStringList, expected);
        const auto ds =
            lint({{"001_a.py", revisionFile("001_a", "", upgrade, downgrade)}}, {"data-loss"});
        QCOMPARE(findings(ds), expected);
    }

    void risky_data()
    {
        QTest::addColumn<QByteArray>("upgrade");
        QTest::addColumn<QString>("code");
        QTest::newRow("drop table") << QByteArray("    op.drop_table('t')") << "data-loss";
        QTest::newRow("drop column") << QByteArray("    op.drop_column('t', 'c')") << "data-loss";
        QTest::newRow("enum alter")
            << QByteArray("    op.alter_column('t', 'c', type_=sa.Enum('a', 'b', name='e'))")
            << "enum-change";
        QTest::newRow("type change")
            << QByteArray("    op.alter_column('t', 'c', type_=sa.BigInteger())") << "type-change";
        QTest::newRow("update") << QByteArray("    op.execute(\"update t set c = 1\")")
                                << "data-migration";
        QTest::newRow("bulk insert")
            << QByteArray("    op.bulk_insert(table, [{'id': 1}])") << "data-migration";
        QTest::newRow("get_bind") << QByteArray("    conn = op.get_bind()") << "data-migration";
        QTest::newRow("not null")
            << QByteArray("    op.add_column('t', sa.Column('c', sa.Integer(), nullable=False))")
            << "not-null-without-default";
    }
    void risky()
    {
        QFETCH(QByteArray, upgrade);
        QFETCH(QString, code);
        const auto ds =
            lint({{"001_a.py", revisionFile("001_a", "", upgrade, kPass)}}, {"empty-downgrade"});
        QVERIFY2(findings(ds).contains(code + "@001_a.py:16"), qPrintable(findings(ds).join(u' ')));
        // silenced for this revision by a comment
        const auto quiet =
            lint({{"001_a.py", revisionFile("001_a", "", upgrade, kPass,
                                            "# retort: ignore[" + code.toUtf8() + "]")}},
                 {"empty-downgrade"});
        QVERIFY(!findings(quiet).contains(code + "@001_a.py:16"));
    }

    void safeOperationsAreQuiet()
    {
        const auto ds = lint(
            {{"001_a.py", revisionFile("001_a", "",
                                       "    op.add_column('t', sa.Column('c', sa.Integer(), "
                                       "nullable=False, server_default='0'))\n"
                                       "    op.execute('CREATE EXTENSION IF NOT EXISTS citext')",
                                       "    op.drop_column('t', 'c')")}});
        QCOMPARE(findings(ds), QStringList{});
    }

    void slug()
    {
        QCOMPARE(Linter::slugOf("Add users.email (unique)!"),
                 QStringLiteral("add_users_email_unique"));
        QCOMPARE(Linter::slugOf("  "), QString());
        // Only what a revision id may hold: accents folded, other scripts dropped.
        QCOMPARE(Linter::slugOf("Ajouté le café, Straße"),
                 QStringLiteral("ajoute_le_cafe_strasse"));
        QCOMPARE(Linter::slugOf("テーブル add ＡＢＣ"), QStringLiteral("add_abc"));
        QCOMPARE(Linter::slugOf("таблица"), QString());
        QVERIFY(
            RevisionRewriter::invalidIdReason("001_" + Linter::slugOf("ﬁx Ω ½ naïve_x")).isEmpty());
    }

    void settingsFile()
    {
        QTemporaryDir dir;
        TestUtil::writeFile(dir.path(), "alembic.ini", "[alembic]\nscript_location = m\n");
        TestUtil::writeFile(dir.path(), "m/versions/1a2b3c4d5e6f_a.py",
                            revisionFile("1a2b3c4d5e6f", "", "    op.drop_table('t')", kPass));
        auto p = Project::open(dir.filePath("alembic.ini"));
        QVERIFY(p);
        QCOMPARE(p->scheme.kind(), NamingScheme::Kind::Hash);
        QVERIFY(findings(p->lintDiagnostics).contains("data-loss@1a2b3c4d5e6f_a.py:16"));
        TestUtil::writeFile(dir.path(), "retort.ini",
                            "[naming]\nscheme = sequential\nwidth = 4\n[lint]\ndisable = "
                            "data-loss, empty-downgrade\n");
        p = Project::open(dir.filePath("alembic.ini"));
        QCOMPARE(p->scheme.kind(), NamingScheme::Kind::Sequential);
        QCOMPARE(p->scheme.width(), 4);
        QCOMPARE(findings(p->lintDiagnostics), QStringList{"naming-prefix@1a2b3c4d5e6f_a.py:11"});
        TestUtil::writeFile(dir.path(), "retort.ini", "[naming]\nscheme = numbered\n");
        p = Project::open(dir.filePath("alembic.ini"));
        QCOMPARE(p->listingDiagnostics.size(), 1);
        QVERIFY(p->listingDiagnostics.first().message.contains("numbered"));
    }
};

QTEST_GUILESS_MAIN(TestLinter)
#include "tst_linter.moc"
