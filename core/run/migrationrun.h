#pragma once

#include "core/db/connectionprofile.h"
#include "core/project.h"
#include "migrationplan.h"
#include "planexecutor.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QThread;

namespace Retort {

// One migration of one database, as the window runs it: plan, render the
// SQL off the GUI thread, then run it step by step (or all at once) on a
// worker thread, with pause after a step and cancel. Every step's status,
// timing and error is kept; the run is appended to the project's run log
// when it ends.
class MigrationRun : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Idle,
        Preparing, // rendering the SQL
        Ready,     // planned, nothing ran yet
        Running,
        Paused, // between steps, waiting for Run Next or Run All
        Finished,
        Failed, // planning, rendering or a step failed
        Cancelled
    };
    struct Step
    {
        enum class Status
        {
            Pending,
            Running,
            Done,
            Failed,
            RolledBack
        };
        QString revision;
        bool upgrade = true;
        QList<VersionChange> changes;
        QList<SqlStatement> statements;
        QStringList bookkeeping; // the alembic_version statements, as SQL
        // Alembic cannot render it offline: it runs through Alembic online,
        // once the user agrees (Run Next Step or Run All when it is next).
        bool online = false;
        QString offlineWhy;
        QString onlineDestination;
        QStringList preview; // its SQL from a throwaway copy (SQLite)
        QString previewWhy;
        Status status = Status::Pending;
        qint64 milliseconds = -1;
        QString error;
    };

    explicit MigrationRun(QObject *parent = nullptr);
    // Cancels a running step and waits for it to roll back.
    ~MigrationRun() override;

    // Plans from where the database stands (its recorded heads) to `target`
    // and renders the SQL off the GUI thread; prepared() or failed() follows.
    void prepare(const Project &project, const ConnectionProfile &profile,
                 const QStringList &currentHeads, const QString &target, bool upgrade);
    void runNext();
    void runAll();
    // Stop after the step that runs now (or the next one).
    void setPauseAfterStep(bool on);
    bool pauseAfterStep() const { return m_pauseAfterStep; }
    void cancel();
    // Cancels what runs and waits until the worker let go of the database.
    void cancelAndWait();

    State state() const { return m_state; }
    bool isActive() const { return m_state == State::Running || m_state == State::Paused; }
    const QList<Step> &steps() const { return m_steps; }
    const ConnectionProfile &profile() const { return m_profile; }
    QString target() const { return m_target; }
    bool upgrade() const { return m_upgrade; }
    QString error() const { return m_error; }
    // The online step waiting for the user's agreement, -1 when none.
    int awaitingApproval() const { return m_awaiting; }
    // The step running now (or the next to run), -1 when none.
    int currentStep() const { return m_current; }
    qint64 elapsed() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }
    // The CREATE TABLE Retort runs first when the database has no version table.
    QString preamble() const { return m_preamble; }

Q_SIGNALS:
    void stateChanged(MigrationRun::State state);
    void stepChanged(int step);
    void statementFinished(int step, int statement, int statements, const QString &text,
                           qint64 milliseconds);
    void logLine(const QString &text);
    // The run ended (finished, failed or cancelled): the database moved.
    void ended(bool ok);

private:
    void setState(State state);
    void start(bool stepMode);
    void go(bool stepMode);
    void executorFinished(bool ok, bool cancelled);

    Project m_project;
    ConnectionProfile m_profile;
    MigrationPlan m_plan;
    QList<StepSql> m_sql;
    QList<Step> m_steps;
    QString m_target;
    bool m_upgrade = true;
    QString m_error;
    QString m_preamble;
    State m_state = State::Idle;
    int m_current = -1;
    int m_awaiting = -1;
    bool m_pauseAfterStep = false;
    quint64 m_generation = 0;
    QElapsedTimer m_clock;
    QThread *m_thread = nullptr;
    QPointer<PlanExecutor> m_executor;
};

} // namespace Retort
