// The window as a user drives it, under the offscreen platform: open the demo
// project, read the history and details, open revisions, see problems, and
// watch the folder change underneath.
#include "testutil.h"

#include "core/graph/historymodel.h"
#include "core/problemsmodel.h"
#include "ui/detailsview.h"
#include "ui/editortabs.h"
#include "ui/folderwatcher.h"
#include "ui/historydelegate.h"
#include "ui/mainwindow.h"
#include "ui/plandialog.h"
#include "ui/revisioneditor.h"

#include <Qsci/qscilexerpython.h>

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QLineEdit>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace Retort;
using TestUtil::writeFile;

namespace {

// Answers the next modal dialog with `button` once it shows. Polls without
// blocking, because the dialog runs its own event loop.
void answerNextDialog(QMessageBox::StandardButton button)
{
    auto *timer = new QTimer(qApp);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, button] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            timer->deleteLater();
            timer->stop();
            box->button(button)->click();
        }
    });
    timer->start(20);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        TestUtil::isolate();
        QSettings().clear();
    }

    void init()
    {
        m_dir.reset(new QTemporaryDir);
        QVERIFY(m_dir->isValid());
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), m_dir->path());
        m_versions = m_dir->filePath(QStringLiteral("migrations/versions"));
        m_window.reset(new MainWindow);
        m_window->folderWatcher()->setDelay(50);
        m_window->show();
        m_historyTester.reset(new QAbstractItemModelTester(
            m_window->historyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest));
        m_problemsTester.reset(new QAbstractItemModelTester(
            m_window->problemsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest));
    }

    void cleanup()
    {
        m_historyTester.reset();
        m_problemsTester.reset();
        m_window->editorTabs()->closeAll();
        m_window.reset();
        m_dir.reset();
    }

    void opensTheDemoInHistoryOrder()
    {
        openDemo();
        HistoryModel *model = m_window->historyModel();
        QCOMPARE(model->rowCount(), 13);
        QCOMPARE(idAt(0), QStringLiteral("3f9a1c2b7d4e"));
        QCOMPARE(idAt(4), QStringLiteral("009_merge_audit_and_avatar"));
        QCOMPARE(idAt(12), QStringLiteral("001_create_users"));
        QVERIFY(model->index(0, 0).data(HistoryModel::IsNewRole).toBool());
        // the demo's review findings: the fresh revision, and two ENUM changes
        QStringList codes;
        for (int r = 0; r < m_window->problemsModel()->rowCount(); ++r)
            codes
                << m_window->problemsModel()->index(r, ProblemsModel::CodeColumn).data().toString();
        codes.sort();
        QCOMPARE(codes, (QStringList{"enum-change", "enum-change", "naming-prefix", "type-change",
                                     "unreviewed-autogenerate"}));
        QVERIFY(m_window->windowTitle().contains(m_dir->filePath("alembic.ini")));
        // the head is selected and described
        QCOMPARE(m_window->historyView()->currentIndex().row(), 0);
        QVERIFY(m_window->detailsView()->toPlainText().contains("add invitations"));
        QVERIFY(QSettings()
                    .value("recentProjects")
                    .toStringList()
                    .contains(m_dir->filePath("alembic.ini")));
    }

    void selectingShowsDetailsAndLinksJump()
    {
        openDemo();
        QVERIFY(m_window->selectRevision("009_merge_audit_and_avatar"));
        const QString text = m_window->detailsView()->toPlainText();
        QVERIFY2(text.contains("merge audit log and avatar branches"), qPrintable(text));
        QVERIFY(text.contains("Merges"));
        QVERIFY(text.contains("007_create_audit_log, 008_add_user_avatar"));
        QVERIFY(text.contains("010_add_project_slug"));
        QVERIFY(text.contains("2026-03-12 12:00:31"));
        Q_EMIT m_window->detailsView()->anchorClicked(QUrl("rev:006_add_project_status"));
        QCOMPARE(
            m_window->historyView()->currentIndex().data(HistoryModel::RevisionIdRole).toString(),
            QStringLiteral("006_add_project_status"));
        QVERIFY(m_window->detailsView()->toPlainText().contains("op.add_column projects.status"));
        // arrows move through the history
        QTest::keyClick(m_window->historyView(), Qt::Key_Down);
        QCOMPARE(
            m_window->historyView()->currentIndex().data(HistoryModel::RevisionIdRole).toString(),
            QStringLiteral("005_index_users_email"));
    }

    void enterOpensTheRevisionInAnEditor()
    {
        openDemo();
        QVERIFY(m_window->selectRevision("010_add_project_slug"));
        m_window->historyView()->setFocus();
        QTest::keyClick(m_window->historyView(), Qt::Key_Return);
        RevisionEditor *editor = m_window->editorTabs()->current();
        QVERIFY(editor);
        const QString path = m_versions + "/010_add_project_slug.py";
        QCOMPARE(editor->path(), path);
        QCOMPARE(editor->text().toUtf8(), readAll(path));
        int line = 0, index = 0;
        editor->getCursorPosition(&line, &index);
        QCOMPARE(line + 1, 13); // the `revision =` line
        // opening again shows the same tab
        QTest::keyClick(m_window->historyView(), Qt::Key_Return);
        QCOMPARE(m_window->editorTabs()->count(), 1);
    }

    // The editor takes room only while a file is open: the history has it
    // until then, and gets it back when the last tab closes.
    void editorTakesRoomOnlyWhileAFileIsOpen()
    {
        m_window->resize(1024, 700);
        openDemo();
        auto *central = m_window->findChild<QSplitter *>(QStringLiteral("centralSplitter"));
        QVERIFY(central);
        auto below = [central] {
            const QList<int> sizes = central->sizes();
            return 100 * sizes.value(1) / qMax(1, sizes.value(0) + sizes.value(1));
        };
        QVERIFY(!m_window->editorTabs()->isVisible());
        QVERIFY2(below() <= 30, qPrintable(QString::number(below())));
        QVERIFY(m_window->selectRevision("010_add_project_slug"));
        m_window->historyView()->setFocus();
        QTest::keyClick(m_window->historyView(), Qt::Key_Return);
        QTRY_VERIFY(m_window->editorTabs()->isVisible());
        QVERIFY2(below() >= 50, qPrintable(QString::number(below())));
        QVERIFY(m_window->editorTabs()->height() > m_window->problemsView()->height());
        m_window->editorTabs()->closeAll();
        QTRY_VERIFY(!m_window->editorTabs()->isVisible());
        QVERIFY2(below() <= 30, qPrintable(QString::number(below())));
    }

    void problemsOpenTheFileAtTheLineWithMarkers()
    {
        writeFile(m_versions, "900_broken.py",
                  "\"\"\"broken chain\"\"\"\nrevision = '900_broken'\n\n"
                  "down_revision = 'no_such_revision'\n");
        openDemo();
        ProblemsModel *problems = m_window->problemsModel();
        int row = -1;
        for (int r = 0; r < problems->rowCount(); ++r) {
            if (problems->index(r, ProblemsModel::CodeColumn).data().toString() ==
                u"unknown-down-revision")
                row = r;
        }
        QVERIFY(row >= 0);
        QCOMPARE(problems->index(row, 0).data(ProblemsModel::LineRole).toInt(), 4);
        Q_EMIT m_window->problemsView()->activated(
            problems->index(row, ProblemsModel::MessageColumn));
        RevisionEditor *editor = m_window->editorTabs()->current();
        QVERIFY(editor);
        QCOMPARE(editor->path(), m_versions + "/900_broken.py");
        QCOMPARE(editor->markedLines(), QList<int>{4});
        int line = 0, index = 0;
        editor->getCursorPosition(&line, &index);
        QCOMPARE(line + 1, 4);
        QVERIFY(editor->annotation(3).contains("unknown-down-revision"));
    }

    void newFilesAppearAndGoneFilesDisappear()
    {
        openDemo();
        const QString fresh = m_versions + "/4b5c6d7e8f90_add_comments.py";
        writeFile(m_versions, "4b5c6d7e8f90_add_comments.py",
                  TestUtil::revisionSource("4b5c6d7e8f90", "3f9a1c2b7d4e"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 14, 5000);
        QCOMPARE(idAt(0), QStringLiteral("4b5c6d7e8f90"));
        QVERIFY(m_window->historyModel()->index(0, 0).data(HistoryModel::IsNewRole).toBool());
        QVERIFY(m_window->historyModel()
                    ->index(0, 0)
                    .data(HistoryModel::BadgesRole)
                    .toStringList()
                    .contains("new"));
        // a revision in the scheme that appears while open is new too
        writeFile(m_versions, "013_add_tags.py",
                  TestUtil::revisionSource("013_add_tags", "4b5c6d7e8f90"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 15, 5000);
        QVERIFY(m_window->historyModel()->index(0, 0).data(HistoryModel::IsNewRole).toBool());
        QVERIFY(QFile::remove(fresh));
        QVERIFY(QFile::remove(m_versions + "/013_add_tags.py"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->historyModel()->rowCount(), 13, 5000);
        QCOMPARE(idAt(0), QStringLiteral("3f9a1c2b7d4e"));
    }

    void renamedFilesMoveTheirTab()
    {
        openDemo();
        m_window->openFile(m_versions + "/002_create_teams.py");
        QVERIFY(m_window->selectRevision("002_create_teams"));
        QVERIFY(QFile::rename(m_versions + "/002_create_teams.py", m_versions + "/002_teams.py"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->editorTabs()->editorFor(m_versions + "/002_teams.py"),
                                 5000);
        QCOMPARE(m_window->historyModel()->rowCount(), 13);
        // the selection stayed on the revision
        QCOMPARE(
            m_window->historyView()->currentIndex().data(HistoryModel::FilePathRole).toString(),
            m_versions + "/002_teams.py");
    }

    void externalChangesReloadOrAsk()
    {
        openDemo();
        const QString path = m_versions + "/012_create_labels.py";
        RevisionEditor *editor = m_window->editorTabs()->open(path);
        QVERIFY(editor);
        writeFile(m_versions, "012_create_labels.py", readAll(path) + "# changed outside\n");
        QTRY_VERIFY_WITH_TIMEOUT(editor->text().contains("# changed outside"), 5000);
        QVERIFY(!editor->isModified());

        // unsaved edits: the user is asked, and here keeps them
        editor->append("# my edit\n");
        QVERIFY(editor->isModified());
        answerNextDialog(QMessageBox::No);
        writeFile(m_versions, "012_create_labels.py", readAll(path) + "# second change\n");
        QTRY_VERIFY_WITH_TIMEOUT(
            !QApplication::activeModalWidget() && readAll(path).contains("# second change"), 5000);
        QTest::qWait(300);
        QVERIFY(editor->text().contains("# my edit"));
        QVERIFY(!editor->text().contains("# second change"));
        // saving writes the editor's text to disk
        QVERIFY(m_window->editorTabs()->saveCurrent());
        QCOMPARE(readAll(path), editor->text().toUtf8());
        QVERIFY(!editor->isModified());
    }

    void filterNarrowsTheHistory()
    {
        openDemo();
        m_window->filterEdit()->setText("avatar");
        QCOMPARE(m_window->historyModel()->rowCount(), 2);
        QCOMPARE(idAt(0), QStringLiteral("009_merge_audit_and_avatar"));
        QCOMPARE(idAt(1), QStringLiteral("008_add_user_avatar"));
        m_window->filterEdit()->clear();
        QCOMPARE(m_window->historyModel()->rowCount(), 13);
    }

    void normalizeDialogPreviewsRenamesAndUndoes()
    {
        openDemo();
        QVERIFY(m_window->selectRevision("3f9a1c2b7d4e"));
        QStringList seen;
        auto *driver = new QTimer(this);
        connect(driver, &QTimer::timeout, this, [&seen, driver] {
            auto *dialog = qobject_cast<PlanDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            driver->stop();
            auto *number = dialog->findChild<QSpinBox *>("number");
            auto *slug = dialog->findChild<QLineEdit *>("slug");
            seen << QString::number(number->value()) << slug->text();
            seen << (dialog->diffText().contains(
                         "rename to migrations/versions/013_add_invitations.py")
                         ? "diff"
                         : "no diff");
            slug->setText("this_slug_is_far_too_long_to_fit");
            seen << (dialog->canApply() ? "can apply" : "refused")
                 << dialog->problemText().section(';', 1);
            slug->setText("invites");
            seen << (dialog->diffText().contains("+revision = '013_invites'") ? "updated"
                                                                              : "stale");
            dialog->accept();
        });
        driver->start(20);
        m_window->normalizeRevision("3f9a1c2b7d4e");
        QCOMPARE(
            seen,
            (QStringList{
                "13", "add_invitations", "diff", "refused",
                " alembic_version.version_num is VARCHAR(32), so databases could not record it.",
                "updated"}));
        QVERIFY(QFile::exists(m_versions + "/013_invites.py"));
        QVERIFY(!QFile::exists(m_versions + "/3f9a1c2b7d4e_add_invitations.py"));
        QTRY_COMPARE_WITH_TIMEOUT(idAt(0), QStringLiteral("013_invites"), 5000);
        QCOMPARE(
            m_window->historyView()->currentIndex().data(HistoryModel::RevisionIdRole).toString(),
            QStringLiteral("013_invites"));
        QVERIFY(!m_window->historyModel()->index(0, 0).data(HistoryModel::IsNewRole).toBool());
        QVERIFY(m_window->canUndo());
        m_window->undoLastEdit();
        QVERIFY(QFile::exists(m_versions + "/3f9a1c2b7d4e_add_invitations.py"));
        QTRY_COMPARE_WITH_TIMEOUT(idAt(0), QStringLiteral("3f9a1c2b7d4e"), 5000);
        QVERIFY(!m_window->canUndo());
    }

    void mergeHeadsFromTheWindow()
    {
        openDemo();
        writeFile(m_versions, "013_add_tags.py",
                  TestUtil::revisionSource("013_add_tags", "012_create_labels"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->project().graph.heads().size(), 2, 5000);
        auto *driver = new QTimer(this);
        connect(driver, &QTimer::timeout, this, [driver] {
            if (auto *dialog = qobject_cast<PlanDialog *>(QApplication::activeModalWidget())) {
                driver->stop();
                dialog->findChild<QLineEdit *>("message")->setText("merge tags");
                dialog->accept();
            }
        });
        driver->start(20);
        m_window->mergeHeads();
        QTRY_COMPARE_WITH_TIMEOUT(m_window->project().graph.heads().size(), 1, 5000);
        QCOMPARE(idAt(0), QStringLiteral("014_merge_tags"));
    }

    // Tabs follow every rename an edit plan makes, by path, and reload.
    void openTabsFollowNormalizeAndUndo()
    {
        openDemo();
        const QString fresh = m_versions + "/3f9a1c2b7d4e_add_invitations.py";
        RevisionEditor *editor = m_window->editorTabs()->open(fresh);
        QVERIFY(editor);
        acceptNextPlanDialog();
        m_window->normalizeRevision("3f9a1c2b7d4e");
        const QString renamed = m_versions + "/013_add_invitations.py";
        QVERIFY(QFile::exists(renamed));
        QCOMPARE(m_window->editorTabs()->count(), 1);
        QCOMPARE(editor->path(), EditorTabs::canonical(renamed));
        QVERIFY(editor->text().contains("revision = '013_add_invitations'"));
        // saving the tab writes the new file; the old one does not come back
        editor->append("# reviewed\n");
        QVERIFY(m_window->editorTabs()->saveCurrent());
        QVERIFY(!QFile::exists(fresh));
        QVERIFY(readAll(renamed).endsWith("# reviewed\n"));
        QTRY_COMPARE_WITH_TIMEOUT(idAt(0), QStringLiteral("013_add_invitations"), 5000);
        QCOMPARE(m_window->project().graph.heads().size(), 1);
        // undo is refused while the file differs from what the plan wrote
        // (the saved comment); take the comment out and undo
        const QByteArray saved = readAll(renamed);
        writeFile(m_versions, "013_add_invitations.py", saved.left(saved.size() - 11));
        QTRY_VERIFY_WITH_TIMEOUT(!editor->text().contains("# reviewed"), 5000);
        m_window->undoLastEdit();
        QVERIFY(QFile::exists(fresh));
        QCOMPARE(editor->path(), EditorTabs::canonical(fresh));
        QVERIFY(editor->text().contains("revision = '3f9a1c2b7d4e'") ||
                editor->text().contains("revision = \"3f9a1c2b7d4e\""));
    }

    // A tab whose file is gone never saves silently.
    void savingATabWhoseFileIsGoneAsks()
    {
        openDemo();
        const QString path = m_versions + "/012_create_labels.py";
        RevisionEditor *editor = m_window->editorTabs()->open(path);
        QVERIFY(editor);
        editor->append("# my edit\n");
        QVERIFY(QFile::rename(path, m_dir->filePath("elsewhere.py")));
        bool asked = false;
        auto *driver = new QTimer(this);
        connect(driver, &QTimer::timeout, this, [&asked, driver] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box || box->objectName() != "fileGoneBox")
                return;
            driver->stop();
            asked = true;
            for (QAbstractButton *b : box->buttons()) {
                if (b->text().startsWith("Discard"))
                    b->click();
            }
        });
        driver->start(20);
        QVERIFY(m_window->editorTabs()->saveCurrent());
        QVERIFY(asked);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(m_window->editorTabs()->count(), 0);
    }

    // Keyed by canonical path: a relative --open and the history share a tab,
    // with the problem markers, and the revision is selected.
    void oneTabPerFileHoweverItIsNamed()
    {
        openDemo();
        const QString saved = QDir::currentPath();
        QDir::setCurrent(m_dir->path());
        m_window->openFile("migrations/versions/../versions/3f9a1c2b7d4e_add_invitations.py");
        QDir::setCurrent(saved);
        QCOMPARE(m_window->editorTabs()->count(), 1);
        QVERIFY(!m_window->editorTabs()->current()->markedLines().isEmpty());
        QCOMPARE(currentId(), QStringLiteral("3f9a1c2b7d4e"));
        QVERIFY(m_window->selectRevision("3f9a1c2b7d4e"));
        QTest::keyClick(m_window->historyView(), Qt::Key_Return);
        QCOMPARE(m_window->editorTabs()->count(), 1);
        m_window->openFile(m_versions + "/010_add_project_slug.py");
        QCOMPARE(currentId(), QStringLiteral("010_add_project_slug"));
    }

    // --select and --normalize take any identifier the CLI takes.
    void identifiersResolveLikeTheCli()
    {
        openDemo();
        QCOMPARE(m_window->goToRevision("010"), QString());
        QCOMPARE(currentId(), QStringLiteral("010_add_project_slug"));
        QCOMPARE(m_window->goToRevision("3f9a"), QString());
        QCOMPARE(currentId(), QStringLiteral("3f9a1c2b7d4e"));
        QCOMPARE(m_window->goToRevision("head"), QString());
        QVERIFY(m_window->goToRevision("00").contains("not") ||
                !m_window->goToRevision("00").isEmpty());
        const QString unknown = m_window->goToRevision("zzzz");
        QVERIFY2(unknown.contains("zzzz"), qPrintable(unknown));
        QVERIFY(m_window->statusBar()->currentMessage().contains("zzzz"));
        QCOMPARE(currentId(), QStringLiteral("3f9a1c2b7d4e"));
    }

    // View > Dark Palette reaches everything at once: details links, open
    // editors and their annotations.
    void darkPaletteReachesEverything()
    {
        openDemo();
        RevisionEditor *editor =
            m_window->editorTabs()->open(m_versions + "/3f9a1c2b7d4e_add_invitations.py");
        QVERIFY(editor);
        auto *dark = m_window->findChild<QAction *>("darkPaletteAction");
        QVERIFY(dark);
        const QColor lightPaper = editor->lexer()->defaultPaper();
        dark->setChecked(true);
        QTRY_VERIFY(editor->palette().color(QPalette::Base).lightness() < 128);
        QCOMPARE(editor->lexer()->defaultPaper(), editor->palette().color(QPalette::Base));
        QVERIFY(editor->lexer()->defaultPaper() != lightPaper);
        QVERIFY(editor->lexer()->color(QsciLexerPython::Default).lightness() > 128);
        const QString links = m_window->detailsView()->document()->defaultStyleSheet();
        QVERIFY2(links.contains(m_window->detailsView()->palette().color(QPalette::Link).name()),
                 qPrintable(links));
        dark->setChecked(false);
        QTRY_VERIFY(editor->palette().color(QPalette::Base).lightness() > 128);
        QCOMPARE(editor->lexer()->defaultPaper(), editor->palette().color(QPalette::Base));
    }

    // The details show create_table's columns and add_column's type.
    void detailsShowColumns()
    {
        openDemo();
        QVERIFY(m_window->selectRevision("001_create_users"));
        const QString text = m_window->detailsView()->toPlainText();
        QVERIFY2(text.contains("op.create_table users"), qPrintable(text));
        QVERIFY2(text.contains(QRegularExpression("id\\s+Integer\\(\\)\\s+PK")), qPrintable(text));
        QVERIFY(m_window->selectRevision("008_add_user_avatar"));
        QVERIFY2(m_window->detailsView()->toPlainText().contains(
                     "op.add_column users.avatar_url String"),
                 qPrintable(m_window->detailsView()->toPlainText()));
    }

    // The Normalize dialog's slug field holds the slug that will be written.
    void normalizeShowsTheSlugItWrites()
    {
        openDemo();
        writeFile(m_versions, "5d6e7f8a9b0c_long.py",
                  TestUtil::revisionSource("5d6e7f8a9b0c", "3f9a1c2b7d4e")
                      .replace("\"\"\"revision 5d6e7f8a9b0c",
                               "\"\"\"add the customer billing address history table"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->selectRevision("5d6e7f8a9b0c"), 5000);
        QString field, diff;
        auto *driver = new QTimer(this);
        connect(driver, &QTimer::timeout, this, [&field, &diff, driver] {
            auto *dialog = qobject_cast<PlanDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            driver->stop();
            field = dialog->findChild<QLineEdit *>("slug")->text();
            diff = dialog->diffText();
            dialog->reject();
        });
        driver->start(20);
        m_window->normalizeRevision("5d6e7f8a9b0c");
        QVERIFY(field.size() < QString("add_the_customer_billing_address_history_table").size());
        QVERIFY2(diff.contains("+revision = '013_" + field + "'"), qPrintable(field + "\n" + diff));
    }

    // Mark Reviewed goes through the previewed, undoable edit plan.
    void markReviewedIsPreviewedAndUndoable()
    {
        openDemo();
        const QString file = m_versions + "/3f9a1c2b7d4e_add_invitations.py";
        const QByteArray original = readAll(file);
        acceptNextPlanDialog();
        m_window->markReviewed("3f9a1c2b7d4e");
        QVERIFY(!readAll(file).contains("###"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_window->problemsModel()->index(0, 0).isValid() ||
                [this] {
                    for (int r = 0; r < m_window->problemsModel()->rowCount(); ++r) {
                        if (m_window->problemsModel()
                                ->index(r, ProblemsModel::CodeColumn)
                                .data()
                                .toString() == "unreviewed-autogenerate")
                            return false;
                    }
                    return true;
                }(),
            5000);
        QVERIFY(m_window->canUndo());
        m_window->undoLastEdit();
        QCOMPARE(readAll(file), original);
    }

    // Ctrl+Home goes to the head created last; the order can be by date.
    void goToHeadAndOrder()
    {
        openDemo();
        QVERIFY(m_window->selectRevision("001_create_users"));
        QTest::keyClick(m_window->historyView(), Qt::Key_Home, Qt::ControlModifier);
        QCOMPARE(currentId(), QStringLiteral("3f9a1c2b7d4e"));
        auto *newest = m_window->findChild<QAction *>("newestFirstOrderAction");
        QVERIFY(newest);
        newest->trigger();
        QCOMPARE(idAt(0), QStringLiteral("3f9a1c2b7d4e"));
        QCOMPARE(currentId(), QStringLiteral("3f9a1c2b7d4e"));
        m_window->findChild<QAction *>("alembicOrderAction")->trigger();
        QCOMPARE(m_window->historyModel()->order(), HistoryModel::Order::Alembic);
    }

    // Double-clicking a row's problem badge opens the file at the problem.
    void problemBadgeOpensTheProblem()
    {
        m_window->resize(1400, 900);
        openDemo();
        QCoreApplication::processEvents();
        const int row = m_window->historyModel()->rowOfRevision("3f9a1c2b7d4e");
        const QModelIndex message =
            m_window->historyModel()->index(row, HistoryModel::MessageColumn);
        QStyleOptionViewItem option;
        option.initFrom(m_window->historyView()->viewport());
        option.rect = m_window->historyView()->visualRect(message);
        const auto badges = HistoryDelegate::badgeRects(option, message);
        QVERIFY(!badges.isEmpty());
        QVERIFY(badges.first().first.startsWith("warning:"));
        const QPoint at = badges.first().second.center().toPoint();
        QTest::mouseClick(m_window->historyView()->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(m_window->historyView()->viewport(), Qt::LeftButton, {}, at);
        const int wanted = message.data(HistoryModel::ProblemLineRole).toInt();
        QTRY_VERIFY(m_window->editorTabs()->current());
        auto cursorLine = [this] {
            int line = 0, column = 0;
            m_window->editorTabs()->current()->getCursorPosition(&line, &column);
            return line + 1;
        };
        QTRY_COMPARE(cursorLine(), wanted);
    }

    void unreadableProjectsSayWhy()
    {
        QSignalSpy failed(m_window.get(), &MainWindow::projectFailed);
        answerNextDialog(QMessageBox::Ok);
        m_window->openProject(m_dir->filePath("nowhere"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);
        QVERIFY(failed.first().first().toString().contains(m_dir->filePath("nowhere")));
        QVERIFY(!m_window->hasProject());
        QVERIFY(m_window->detailsView()->toPlainText().contains("No project is open"));
    }

private:
    void openDemo()
    {
        QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
        m_window->openProject(m_dir->filePath("alembic.ini"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    }
    QString currentId() const
    {
        return m_window->historyView()
            ->currentIndex()
            .data(HistoryModel::RevisionIdRole)
            .toString();
    }
    void acceptNextPlanDialog()
    {
        auto *driver = new QTimer(this);
        connect(driver, &QTimer::timeout, this, [driver] {
            if (auto *dialog = qobject_cast<PlanDialog *>(QApplication::activeModalWidget())) {
                driver->stop();
                driver->deleteLater();
                dialog->accept();
            }
        });
        driver->start(20);
    }
    QString idAt(int row) const
    {
        return m_window->historyModel()->index(row, HistoryModel::RevisionColumn).data().toString();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_historyTester;
    std::unique_ptr<QAbstractItemModelTester> m_problemsTester;
    QString m_versions;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
