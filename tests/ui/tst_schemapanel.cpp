// The onboarding panels under the offscreen platform: the schema panel follows
// the history's selection and marks what a revision changed, shows the diff
// of two revisions, blame selects a revision; the ER diagram has one item per
// table and one per foreign key, laid out by Graphviz, and exports.

#include "core/graph/historymodel.h"
#include "core/schema/schemamonitor.h"
#include "testutil.h"
#include "ui/mainwindow.h"
#include "ui/review/historypanel.h"
#include "ui/schema/erdiagramview.h"
#include "ui/schema/schemaactions.h"
#include "ui/schema/schemapanel.h"

#include <QApplication>
#include <QDomDocument>
#include <QGraphicsView>
#include <QImage>
#include <QMenu>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Retort;

namespace {

// The model's row for `kind` `name` (a table, or a member under `table`).
QModelIndex findRow(const QAbstractItemModel *model, const QString &table, const QString &kind = {},
                    const QString &name = {})
{
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex t = model->index(r, 0);
        if (t.data(SchemaPanel::TableRole).toString() != table ||
            t.data(SchemaPanel::KindRole).toString() != u"table")
            continue;
        if (kind.isEmpty())
            return t;
        for (int c = 0; c < model->rowCount(t); ++c) {
            const QModelIndex m = model->index(c, 0, t);
            if (m.data(SchemaPanel::KindRole).toString() == kind &&
                m.data(SchemaPanel::NameRole).toString() == name)
                return m;
        }
    }
    return {};
}

QString markOf(const QModelIndex &row)
{
    return row.isValid() ? row.data(SchemaPanel::MarkRole).toString() : QStringLiteral("(no row)");
}

int foreignKeys(const Schema &s)
{
    int n = 0;
    for (const SchemaTable &t : s.tables)
        n += int(t.foreignKeys.size());
    return n;
}

} // namespace

class TestSchemaPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        TestUtil::isolate();
        QVERIFY(m_dir.isValid());
        // A git work tree: every file committed, then one revision edited.
        QVERIFY(TestUtil::demoInGit(m_dir.path(), QStringLiteral("The demo schema")));
        QFile edited(m_dir.filePath(QStringLiteral("migrations/versions/010_add_project_slug.py")));
        QVERIFY(edited.open(QIODevice::Append));
        edited.write("# reviewed\n");
        edited.close();
        m_window.reset(new MainWindow);
        m_window->resize(1280, 800);
        m_window->show();
        QSignalSpy finished(m_window->schemaActions()->monitor(), &SchemaMonitor::finished);
        m_window->openProject(m_dir.filePath(QStringLiteral("alembic.ini")));
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.last().first().toBool(), true);
        m_panel = m_window->schemaActions()->panel();
    }

    void cleanupTestCase() { m_window.reset(); }

    void followsTheSelectionAndMarksAnAddedColumn()
    {
        QVERIFY(m_window->selectRevision(QStringLiteral("008_add_user_avatar")));
        QVERIFY2(m_panel->caption().contains(u"008_add_user_avatar"),
                 qPrintable(m_panel->caption()));
        const SchemaTreeModel *model = m_panel->model();
        QCOMPARE(markOf(findRow(model, QStringLiteral("users"))), QStringLiteral("changed"));
        const QModelIndex avatar = findRow(model, QStringLiteral("users"), QStringLiteral("column"),
                                           QStringLiteral("avatar_url"));
        QCOMPARE(markOf(avatar), QStringLiteral("added"));
        QVERIFY(avatar.data(Qt::ToolTipRole).toString().contains(u"avatar_url"));
        // Untouched tables and columns carry no mark.
        QCOMPARE(markOf(findRow(model, QStringLiteral("teams"))), QString());
        QCOMPARE(markOf(findRow(model, QStringLiteral("users"), QStringLiteral("column"),
                                QStringLiteral("email"))),
                 QString());
        // The column is there at the next revision, unmarked.
        QVERIFY(m_window->selectRevision(QStringLiteral("009_merge_audit_and_avatar")));
        QCOMPARE(markOf(findRow(m_panel->model(), QStringLiteral("users"), QStringLiteral("column"),
                                QStringLiteral("avatar_url"))),
                 QString());
    }

    void marksACreatedTable()
    {
        QVERIFY(m_window->selectRevision(QStringLiteral("002_create_teams")));
        QCOMPARE(markOf(findRow(m_panel->model(), QStringLiteral("teams"))),
                 QStringLiteral("added"));
        QCOMPARE(markOf(findRow(m_panel->model(), QStringLiteral("users"))), QString());
        QVERIFY(!findRow(m_panel->model(), QStringLiteral("projects")).isValid());
        // The diagram follows: the new table is highlighted.
        ErDiagramView *diagram = m_window->schemaActions()->diagram();
        QTRY_VERIFY(!diagram->layoutPending());
        QCOMPARE(diagram->tableItems(), 2);
    }

    void ctrlClickShowsTheDiffOfTwoRevisions()
    {
        QVERIFY(m_window->selectRevision(QStringLiteral("001_create_users")));
        QTreeView *history = m_window->findChild<HistoryPanel *>()->view();
        const int row =
            m_window->historyModel()->rowOfRevision(QStringLiteral("004_create_projects"));
        const QRect rect =
            history->visualRect(m_window->historyModel()->index(row, HistoryModel::MessageColumn));
        QTest::mouseClick(history->viewport(), Qt::LeftButton, Qt::ControlModifier, rect.center());
        QVERIFY2(
            m_panel->caption().startsWith(u"Changes from 001_create_users to 004_create_projects"),
            qPrintable(m_panel->caption()));
        QCOMPARE(markOf(findRow(m_panel->model(), QStringLiteral("teams"))),
                 QStringLiteral("added"));
        QCOMPARE(markOf(findRow(m_panel->model(), QStringLiteral("projects"))),
                 QStringLiteral("added"));
        QCOMPARE(markOf(findRow(m_panel->model(), QStringLiteral("users"))), QString());
    }

    void blameSelectsTheRevisionThatMadeAColumn()
    {
        // The context menu's way: computed on a worker, the open menu filled.
        QVERIFY(m_window->selectRevision(QStringLiteral("011_add_project_paused_status")));
        QMenu menu;
        m_panel->blameMenu(&menu, QStringLiteral("users"), QStringLiteral("avatar_url"));
        QCOMPARE(menu.actions().size(), 1);
        QVERIFY(!menu.actions().first()->isEnabled()); // "Finding the revisions…"
        QTRY_VERIFY(menu.actions().first()->isEnabled());
        QVERIFY2(menu.actions().first()->text().startsWith(u"008_add_user_avatar"),
                 qPrintable(menu.actions().first()->text()));
        menu.actions().first()->trigger();
        QCOMPARE(m_window->findChild<HistoryPanel *>()->currentRevisionId(),
                 QStringLiteral("008_add_user_avatar"));
        // Known now: the next menu is filled at once.
        QVERIFY(m_window->selectRevision(QStringLiteral("011_add_project_paused_status")));
        QMenu again;
        m_panel->blameMenu(&again, QStringLiteral("users"), QString());
        QVERIFY(again.actions().size() >= 2);
        QVERIFY(again.actions().first()->text().startsWith(u"001_create_users"));

        QVERIFY(m_window->selectRevision(QStringLiteral("012_create_labels")));
        const auto events = m_panel->blameOf(QStringLiteral("users"), QStringLiteral("avatar_url"));
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.first().first, QStringLiteral("008_add_user_avatar"));
        const auto table = m_panel->blameOf(QStringLiteral("users"));
        QCOMPARE(table.first().first, QStringLiteral("001_create_users"));
        QVERIFY(std::any_of(table.cbegin(), table.cend(),
                            [](const auto &e) { return e.first == u"008_add_user_avatar"; }));
        // Picking an entry selects its revision in the history.
        Q_EMIT m_panel->revisionActivated(events.first().first);
        QCOMPARE(m_window->findChild<HistoryPanel *>()->currentRevisionId(),
                 QStringLiteral("008_add_user_avatar"));
    }

    void theDiagramHasATableItemPerTableAndAnEdgePerForeignKey()
    {
        QVERIFY(m_window->selectRevision(QStringLiteral("012_create_labels")));
        const auto schema =
            m_window->schemaActions()->monitor()->snapshot(QStringLiteral("012_create_labels"));
        QVERIFY(schema);
        QVERIFY(foreignKeys(*schema) >= 3);
        ErDiagramView *diagram = m_window->schemaActions()->diagram();
        QTRY_VERIFY(!diagram->layoutPending());
        QCOMPARE(diagram->tableItems(), int(schema->tables.size()));
        QCOMPARE(diagram->edgeItems(), foreignKeys(*schema));
        // Graphviz placed every box apart from the others.
        const QList<ErBox> boxes = diagram->layout().boxes;
        for (qsizetype i = 0; i < boxes.size(); ++i)
            for (qsizetype j = i + 1; j < boxes.size(); ++j)
                QVERIFY2(!boxes.at(i).rect.intersects(boxes.at(j).rect),
                         qPrintable(boxes.at(i).table + u' ' + boxes.at(j).table));
        for (const ErEdge &e : diagram->layout().edges)
            QVERIFY(e.curve.size() >= 4);

        // The neighbourhood of one table: it and the tables one key away.
        diagram->focusTable(QStringLiteral("teams"));
        diagram->setHops(1);
        QTRY_VERIFY(!diagram->layoutPending());
        const QStringList near = ErDiagram::neighbourhood(*schema, {QStringLiteral("teams")}, 1);
        QVERIFY(near.contains(QStringLiteral("team_members")) &&
                !near.contains(QStringLiteral("labels")));
        QCOMPARE(diagram->tableItems(), int(near.size()));
        diagram->setHops(-1);
        QTRY_VERIFY(!diagram->layoutPending());
        QCOMPARE(diagram->tableItems(), int(schema->tables.size()));

        // Exports: SVG with every table's name, a PNG of the diagram's size.
        QTemporaryDir out;
        QString error;
        QVERIFY2(diagram->exportTo(out.filePath(QStringLiteral("d.svg")), &error),
                 qPrintable(error));
        QFile svg(out.filePath(QStringLiteral("d.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QDomDocument doc;
        QVERIFY(doc.setContent(text));
        for (const SchemaTable &t : schema->tables)
            QVERIFY2(text.contains(t.name.toUtf8()), qPrintable(t.name));
        QVERIFY(diagram->exportTo(out.filePath(QStringLiteral("d.png")), &error));
        const QImage png(out.filePath(QStringLiteral("d.png")));
        QVERIFY(!png.isNull());
        QVERIFY(png.width() >= int(diagram->layout().size.width()));
    }

    void theHistoryKnowsWhoAddedEachFile()
    {
        HistoryModel *model = m_window->historyModel();
        QTRY_VERIFY(!model->gitFacts().isEmpty());
        const QModelIndex slug =
            model->index(model->rowOfRevision(QStringLiteral("010_add_project_slug")),
                         HistoryModel::MessageColumn);
        QVERIFY(slug.data(HistoryModel::BadgesRole).toStringList().contains(u"uncommitted"));
        const QModelIndex users = model->index(
            model->rowOfRevision(QStringLiteral("001_create_users")), HistoryModel::MessageColumn);
        QVERIFY(!users.data(HistoryModel::BadgesRole).toStringList().contains(u"uncommitted"));
        const QString tip = users.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(u"Added by Ana Tester") && tip.contains(u"The demo schema"),
                 qPrintable(tip));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    SchemaPanel *m_panel = nullptr;
};

QTEST_MAIN(TestSchemaPanel)
#include "tst_schemapanel.moc"
