// Help → Diagnostics under the offscreen platform: the window's main menu
// opens it; it shows the same checks as `retort doctor`, made off the GUI
// thread, on the real machine (the real Alembic, Qt's real SQL drivers).

#include "core/project.h"
#include "core/schema/schemamonitor.h"
#include "testutil.h"
#include "ui/help/diagnosticsdialog.h"
#include "ui/mainwindow.h"
#include "ui/schema/schemaactions.h"

#include <QAction>
#include <QApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Retort;

class TestDiagnostics : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestUtil::isolate(); }

    void helpMenuShowsTheChecks()
    {
        MainWindow window;
        window.show();
        QSignalSpy loaded(window.schemaActions()->monitor(), &SchemaMonitor::finished);
        window.openProject(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo/alembic.ini"));
        QVERIFY(loaded.wait(120000));
        QAction *action = window.findChild<QAction *>(QStringLiteral("diagnosticsAction"));
        QVERIFY(action);
        action->trigger();
        auto *dialog = window.findChild<DiagnosticsDialog *>();
        QVERIFY(dialog && dialog->isVisible());
        QSignalSpy checked(dialog, &DiagnosticsDialog::checked);
        QVERIFY(checked.wait(60000));
        const QString shown = dialog->shownText();
        for (const DoctorCheck &c : dialog->checks())
            QVERIFY2(shown.contains(c.name) && shown.contains(c.detail), qPrintable(c.name));
        QCOMPARE(dialog->checks().first().name, QStringLiteral("Alembic"));
        QVERIFY(dialog->checks().first().ok);
        QVERIFY(dialog->checks().first().detail.contains(u"alembic"));
        QVERIFY(dialog->report().contains(u"demo/alembic.ini"));
        QVERIFY(dialog->report().contains(u"All the project needs is here."));
        dialog->reject();
    }
};

QTEST_MAIN(TestDiagnostics)
#include "tst_diagnostics.moc"
