// View → Walk Through History under the offscreen platform, on the real demo
// with its schema history really replayed: one page per revision from base
// to head and back with the keys, what each page says and highlights, a
// branch and a range, text scaling, and Esc back to where the user was.

#include "core/graph/historymodel.h"
#include "core/schema/schemamonitor.h"
#include "testutil.h"
#include "ui/mainwindow.h"
#include "ui/review/historypanel.h"
#include "ui/schema/erdiagramview.h"
#include "ui/schema/schemaactions.h"
#include "ui/schema/walkthrough.h"

#include <QAction>
#include <QApplication>
#include <QDomDocument>
#include <QFileInfo>
#include <QGraphicsView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>

using namespace Retort;

namespace {

// What `alembic upgrade head` runs, in its order (it runs 008 before 007).
const QStringList kDemoOrder = {QStringLiteral("001_create_users"),
                                QStringLiteral("002_create_teams"),
                                QStringLiteral("003_add_team_members"),
                                QStringLiteral("004_create_projects"),
                                QStringLiteral("005_index_users_email"),
                                QStringLiteral("006_add_project_status"),
                                QStringLiteral("008_add_user_avatar"),
                                QStringLiteral("007_create_audit_log"),
                                QStringLiteral("009_merge_audit_and_avatar"),
                                QStringLiteral("010_add_project_slug"),
                                QStringLiteral("011_add_project_paused_status"),
                                QStringLiteral("012_create_labels"),
                                QStringLiteral("3f9a1c2b7d4e")};

} // namespace

class TestWalkThrough : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        TestUtil::isolate();
        QVERIFY(m_dir.isValid());
        QVERIFY(TestUtil::demoInGit(m_dir.path(), QStringLiteral("Schema as of the demo")));
        m_window.reset(new MainWindow);
        m_window->resize(1024, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy finished(m_window->schemaActions()->monitor(), &SchemaMonitor::finished);
        m_window->openProject(m_dir.filePath(QStringLiteral("alembic.ini")));
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.last().first().toBool(), true);
        m_walk = m_window->schemaActions()->walkThrough();
        QVERIFY(m_walk);
        QVERIFY(!m_walk->isVisible());
    }

    void cleanupTestCase() { m_window.reset(); }

    void stepsFromBaseToHeadAndBack()
    {
        // Where the user was: a revision selected, the history focused.
        QVERIFY(m_window->selectRevision(QStringLiteral("005_index_users_email")));
        QTreeView *history = m_window->findChild<HistoryPanel *>()->view();
        history->setFocus();
        QTRY_VERIFY(history->hasFocus());
        QAction *start = m_window->findChild<QAction *>(QStringLiteral("walkThroughAction"));
        QVERIFY(start);
        QCOMPARE(start->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_F5));
        start->trigger();
        QVERIFY(m_walk->isVisible());
        QCOMPARE(m_walk->geometry(), m_window->rect());
        QTRY_VERIFY(m_walk->hasFocus());
        // The selected revision's branch: the whole history, base first.
        QCOMPARE(m_walk->pages(), kDemoOrder);
        QCOMPARE(m_walk->page(), 0);
        // The first page is drawn as the walk-through shows.
        QVERIFY2(m_walk->text().contains(u"create users") &&
                     m_walk->text().contains(u"001_create_users"),
                 qPrintable(m_walk->text()));

        // Every page, with the keys, in Alembic's order.
        QStringList seen{m_walk->currentRevision()};
        for (int i = 1; i < kDemoOrder.size(); ++i) {
            QTest::keyClick(QApplication::focusWidget(), i % 2 ? Qt::Key_Right : Qt::Key_Space);
            seen.append(m_walk->currentRevision());
        }
        QCOMPARE(seen, kDemoOrder);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right); // stays at the end
        QCOMPARE(m_walk->page(), int(kDemoOrder.size()) - 1);
        QStringList back;
        for (int i = 0; i < kDemoOrder.size(); ++i) {
            back.prepend(m_walk->currentRevision());
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Left);
        }
        QCOMPARE(back, kDemoOrder);
        QCOMPARE(m_walk->page(), 0);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_End);
        QCOMPARE(m_walk->currentRevision(), kDemoOrder.last());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Home);
        QCOMPARE(m_walk->currentRevision(), kDemoOrder.first());

        // Esc: back where the user was, nothing else changed.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QVERIFY(!m_walk->isVisible());
        QTRY_VERIFY(history->hasFocus());
        QCOMPARE(m_window->findChild<HistoryPanel *>()->currentRevisionId(),
                 QStringLiteral("005_index_users_email"));
    }

    void aPageTellsWhatItsRevisionDid()
    {
        m_window->schemaActions()->startWalkThrough();
        m_walk->goTo(int(kDemoOrder.indexOf(QStringLiteral("008_add_user_avatar"))));
        const QString text = m_walk->text();
        QVERIFY2(text.contains(u"008_add_user_avatar") && text.contains(u"006_add_project_status"),
                 qPrintable(text));
        QVERIFY2(text.contains(u"add_column") && text.contains(u"avatar_url"), qPrintable(text));
        QVERIFY2(text.contains(u"Schema changes"), qPrintable(text));
        // Who added it, from git.
        QTRY_VERIFY2(m_walk->text().contains(u"Schema as of the demo"), qPrintable(m_walk->text()));
        // The diagram: the schema at 008, users highlighted.
        ErDiagramView *diagram = m_walk->diagram();
        QTRY_VERIFY(!diagram->layoutPending() && diagram->tableItems() > 0);
        QCOMPARE(diagram->tableItems(), int(m_window->schemaActions()
                                                ->monitor()
                                                ->snapshot(QStringLiteral("008_add_user_avatar"))
                                                ->tables.size()));

        // A create_table page names the new table among its changes.
        m_walk->goTo(1);
        QVERIFY2(m_walk->text().contains(u"teams"), qPrintable(m_walk->text()));
        QTRY_VERIFY(!diagram->layoutPending());
        QCOMPARE(diagram->tableItems(), 2);

        // Enter: that revision selected in the history, the walk-through closed.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QVERIFY(!m_walk->isVisible());
        QCOMPARE(m_window->findChild<HistoryPanel *>()->currentRevisionId(),
                 QStringLiteral("002_create_teams"));
    }

    void aBranchAndARange()
    {
        m_window->schemaActions()->startWalkThrough();
        // A branch: up to 007 from the base, without the other branch's 008.
        QVERIFY(m_walk->setRange({}, QStringLiteral("007_create_audit_log")));
        QCOMPARE(m_walk->pages(),
                 kDemoOrder.mid(0, 6) + QStringList{QStringLiteral("007_create_audit_log")});
        // A range A..B, both included, only what leads from A to B.
        QVERIFY(m_walk->setRange(QStringLiteral("006_add_project_status"),
                                 QStringLiteral("010_add_project_slug")));
        QCOMPARE(m_walk->pages(), kDemoOrder.mid(5, 5));
        QVERIFY(m_walk->setRange(QStringLiteral("006_add_project_status"),
                                 QStringLiteral("008_add_user_avatar")));
        QCOMPARE(m_walk->pages(), (QStringList{QStringLiteral("006_add_project_status"),
                                               QStringLiteral("008_add_user_avatar")}));
        // Not a range: said, no pages.
        QVERIFY(!m_walk->setRange(QStringLiteral("008_add_user_avatar"),
                                  QStringLiteral("007_create_audit_log")));
        QVERIFY(m_walk->pages().isEmpty());
        QVERIFY2(m_walk->text().contains(u"another branch"), qPrintable(m_walk->text()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right); // nothing to move to
        QVERIFY(m_walk->currentRevision().isEmpty());

        // Two revisions selected in the history: their range.
        m_walk->hide();
        QVERIFY(m_window->selectRevision(QStringLiteral("003_add_team_members")));
        QTreeView *history = m_window->findChild<HistoryPanel *>()->view();
        const int row = [&] {
            for (int r = 0; r < history->model()->rowCount(); ++r)
                if (history->model()->index(r, 0).data(HistoryModel::RevisionIdRole).toString() ==
                    u"005_index_users_email")
                    return r;
            return -1;
        }();
        QVERIFY(row >= 0);
        history->selectionModel()->select(history->model()->index(row, 0),
                                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        m_window->schemaActions()->startWalkThrough();
        QCOMPARE(m_walk->pages(), kDemoOrder.mid(2, 3));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    }

    void textScalesForAProjector()
    {
        m_window->schemaActions()->startWalkThrough();
        QTextBrowser *text = m_walk->findChild<QTextBrowser *>();
        const qreal before = text->font().pointSizeF();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Plus, Qt::ControlModifier);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Plus, Qt::ControlModifier);
        QVERIFY(m_walk->textScale() > 1.2);
        QVERIFY(text->font().pointSizeF() > before * 1.2);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(text->font().pointSizeF() < before * 1.2);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(text->font().pointSizeF(), before);
        // The window's own size follows: the walk-through covers it.
        m_window->resize(1200, 820);
        QTRY_COMPARE(m_walk->geometry(), m_window->rect());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QVERIFY(!m_walk->isVisible());
    }

    // File → Export History…: the same export as the command line's, from
    // the window's snapshots, drawn off the GUI thread.
    void exportsTheHistoryFromTheWindow()
    {
        QAction *action = m_window->findChild<QAction *>(QStringLiteral("exportHistoryAction"));
        QVERIFY(action && action->isEnabled());
        QTemporaryDir out;
        SchemaActions *actions = m_window->schemaActions();
        QSignalSpy exported(actions, &SchemaActions::exported);
        const QString html = out.filePath(QStringLiteral("history.html"));
        actions->exportHistory(html, false);
        QVERIFY(!action->isEnabled()); // one export at a time
        QVERIFY(exported.wait(60000));
        QCOMPARE(exported.first().at(1).toString(), QString());
        QVERIFY(action->isEnabled());
        QFile file(html);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QDomDocument dom;
        QString error;
        QVERIFY2(dom.setContent(&file, &error), qPrintable(error));
        const QString text = dom.documentElement().text();
        for (const QString &id : kDemoOrder)
            QVERIFY2(text.contains(id), qPrintable(id));
        const auto head = actions->monitor()->snapshot(kDemoOrder.last());
        QVERIFY(head);
        for (const SchemaTable &t : head->tables)
            QVERIFY2(text.contains(t.name), qPrintable(t.name));
        // Each revision's changes, from the window's snapshots; git's author.
        QVERIFY(text.contains(u"avatar_url"));
        QVERIFY(!text.contains(u"not known (the replay did not reach it)"));
        QVERIFY(text.contains(u"Schema as of the demo"));

        // Markdown into a new folder.
        const QString folder = out.filePath(QStringLiteral("md"));
        actions->exportHistory(folder, true);
        QVERIFY(exported.wait(60000));
        QCOMPARE(exported.last().at(1).toString(), QString());
        for (const char *name : {"index.md", "history.svg", "schema.svg"})
            QVERIFY2(QFileInfo::exists(folder + u'/' + QLatin1String(name)), name);

        // Where it cannot be written: said, nothing else happens.
        QFile blocker(out.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        // The warning box it shows: closed as a user would, and counted.
        int warnings = 0;
        QTimer closer;
        connect(&closer, &QTimer::timeout, this, [&warnings] {
            if (QWidget *box = QApplication::activeModalWidget()) {
                ++warnings;
                QTest::keyClick(box, Qt::Key_Escape);
            }
        });
        closer.start(50);
        actions->exportHistory(out.filePath(QStringLiteral("file/sub/x.html")), false);
        QVERIFY(exported.wait(60000));
        QVERIFY2(exported.last().at(1).toString().contains(u"x.html"),
                 qPrintable(exported.last().at(1).toString()));
        QTRY_COMPARE(warnings, 1);
        QVERIFY(action->isEnabled());
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    WalkThrough *m_walk = nullptr;
};

QTEST_MAIN(TestWalkThrough)
#include "tst_walkthrough.moc"
