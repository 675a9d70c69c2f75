#pragma once

#include "core/run/migrationrun.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace Retort {

class SqlView;

// The runner: a migration's plan (each step's revision, direction, version
// table change, status, duration), the selected step's SQL, Run Next Step,
// Run All, Pause After This Step, Cancel, a progress bar and a log.
class RunnerPanel : public QWidget
{
    Q_OBJECT

public:
    RunnerPanel(MigrationRun *run, QWidget *parent = nullptr);

    QTreeWidget *planTable() const { return m_plan; }
    SqlView *sqlView() const { return m_sql; }
    QPushButton *runNextButton() const { return m_next; }
    QPushButton *runAllButton() const { return m_all; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progress() const { return m_progress; }
    QPlainTextEdit *log() const { return m_log; }
    // The SQL of step `step` as it is shown: the statements, then Retort's
    // own alembic_version statements.
    QString sqlOfStep(int step) const;

private:
    void rebuild();
    void updateRow(int step);
    void updateControls();
    void showStep(int step);
    void updateProgress();
    void flushLog();

    MigrationRun *m_run;
    QLabel *m_title;
    QTreeWidget *m_plan;
    SqlView *m_sql;
    QPushButton *m_next;
    QPushButton *m_all;
    QPushButton *m_pause;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QPlainTextEdit *m_log;
    QTimer *m_clock;
    QStringList m_pendingLog;
    int m_statement = 0;
    int m_statements = 0;
};

} // namespace Retort
