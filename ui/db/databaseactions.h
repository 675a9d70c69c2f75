#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

class QAction;
class QMainWindow;
class QMenu;
class QWidget;

namespace Retort {

class ConnectionsPanel;
class DatabaseMonitor;
class MigrationRun;
class RunnerPanel;
class RunsPanel;
struct Project;

// What a DBA does to the active database from the window: upgrade or
// downgrade to a revision (+1, −1, Head, or Here from the history), stamp
// a revision, each planned and shown in the runner before anything runs; a
// guard in front of every downgrade and stamp of a shared database; a
// profile that forbids downgrades refuses.
class DatabaseActions : public QObject
{
    Q_OBJECT

public:
    DatabaseActions(QWidget *window, DatabaseMonitor *monitor, ConnectionsPanel *connections,
                    std::function<const Project *()> project,
                    std::function<QString()> selectedRevision);

    QAction *upgradeHereAction() const { return m_upgradeHere; }
    QAction *downgradeHereAction() const { return m_downgradeHere; }
    QAction *stampHereAction() const { return m_stampHere; }
    QAction *upOneAction() const { return m_upOne; }
    QAction *downOneAction() const { return m_downOne; }
    QAction *headAction() const { return m_head; }
    MigrationRun *run() const { return m_run; }
    RunnerPanel *panel() const { return m_panel; }
    RunsPanel *runs() const { return m_runs; }

    // Plans `target` for the active database and shows it in the runner;
    // a guarded downgrade asks first. False when refused or not possible.
    bool migrate(const QString &target, bool upgrade);
    bool stamp(const QString &revision);
    // Closing the window during a run: asks, cancels and waits for the step
    // to roll back. False: keep the window open.
    bool confirmClose();
    // Puts the Databases and Run docks into `window` (tabbed, below) and
    // fills `menu`: Add Database, Refresh, +1, −1, Head, the docks.
    void install(QMainWindow *window, QMenu *menu);
    void updateActions();

Q_SIGNALS:
    void message(const QString &text);
    void showRunner();

private:
    bool guardAllows(bool stamp, const QString &from, const QString &to,
                     const QList<int> &reverted);

    QWidget *m_window;
    DatabaseMonitor *m_monitor;
    ConnectionsPanel *m_connections;
    std::function<const Project *()> m_project;
    std::function<QString()> m_selected;
    MigrationRun *m_run;
    RunnerPanel *m_panel;
    RunsPanel *m_runs;
    QString m_runsKey;
    QTimer m_badgeTimer;
    QAction *m_upgradeHere;
    QAction *m_downgradeHere;
    QAction *m_stampHere;
    QAction *m_upOne;
    QAction *m_downOne;
    QAction *m_head;
};

} // namespace Retort
