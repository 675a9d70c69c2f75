#include "core/script/operationsummary.h"
#include "core/script/revisionreader.h"

#include <QTest>

using namespace Retort;

class TestOperationSummary : public QObject
{
    Q_OBJECT

private slots:
    void summaries()
    {
        const RevisionFile f = RevisionReader::read(
            "revision = 'a'\ndown_revision = None\n"
            "def upgrade():\n"
            "    op.add_column('users', sa.Column('email', sa.String(255)))\n"
            "    op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True)\n"
            "    op.create_table('teams', sa.Column('id', sa.Integer()))\n"
            "    op.execute(\"UPDATE users SET email = lower(email)\")\n"
            "    op.create_foreign_key('fk_users_team', 'users', 'teams', ['team_id'], ['id'])\n"
            "    with op.batch_alter_table(\"projects\") as batch_op:\n"
            "        batch_op.drop_column('status')\n"
            "        batch_op.create_index('ix_p', ['x'])\n"
            "    op.drop_table(\"old\")\n"
            "    op.rename_table('a', 'b')\n"
            "    op.get_bind()\n"
            "    op.create_index(None, 'folders', ['role_id'], schema='x')\n"
            "    op.drop_index(INDEX_NAME, table_name='files')\n"
            "    op.bulk_insert(roles_table, [{'name': 'admin'}])\n",
            "/v/a.py");
        QCOMPARE(summarizeOperations(f.upgrade),
                 (QStringList{"op.add_column users.email",
                              "op.create_index ix_users_email on users", "op.create_table teams",
                              "op.execute UPDATE users SET email = lower(email)",
                              "op.create_foreign_key fk_users_team on users",
                              "op.drop_column projects.status", "op.create_index ix_p on projects",
                              "op.drop_table old", "op.rename_table a → b", "op.get_bind",
                              "op.create_index (unnamed) on folders",
                              "op.drop_index INDEX_NAME on files", "op.bulk_insert roles_table"}));
    }
};

QTEST_GUILESS_MAIN(TestOperationSummary)
#include "tst_operationsummary.moc"
