#include "migrationrun.h"
#include "plansql.h"
#include "runlog.h"

#include "core/db/versiontable.h"

#include <QFutureWatcher>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

MigrationRun::MigrationRun(QObject *parent)
    : QObject(parent)
{}

MigrationRun::~MigrationRun()
{
    cancelAndWait();
}

void MigrationRun::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void MigrationRun::prepare(const Project &project, const ConnectionProfile &profile,
                           const QStringList &currentHeads, const QString &target, bool upgrade)
{
    if (isActive())
        return;
    const quint64 generation = ++m_generation;
    m_project = project;
    m_profile = profile;
    m_target = target;
    m_upgrade = upgrade;
    m_error.clear();
    m_steps.clear();
    m_sql.clear();
    m_current = -1;
    m_awaiting = -1;
    m_clock.invalidate();
    m_preamble.clear();
    auto plan = MigrationPlan::make(project.graph, currentHeads, target, upgrade);
    if (!plan) {
        m_error = plan.error();
        setState(State::Failed);
        return;
    }
    m_plan = plan.value();
    for (const PlanStep &s : m_plan.steps) {
        Step step;
        step.revision = project.graph.revision(s.revision).id;
        step.upgrade = s.upgrade;
        step.changes = s.changes;
        for (const VersionChange &c : s.changes)
            step.bookkeeping << PlanExecutor::bookkeeping(profile, c, true).sql;
        m_steps.append(step);
    }
    if (m_steps.isEmpty()) {
        setState(State::Finished);
        Q_EMIT logLine(tr("Nothing to do: the database is already there."));
        return;
    }
    setState(State::Preparing);
    Q_EMIT logLine(
        tr("Rendering the SQL of %n step(s) with Alembic…", nullptr, int(m_steps.size())));
    auto *watcher = new QFutureWatcher<Result<QList<StepSql>>>(this);
    connect(watcher, &QFutureWatcher<Result<QList<StepSql>>>::finished, this,
            [this, watcher, generation] {
                watcher->deleteLater();
                if (generation != m_generation)
                    return;
                const Result<QList<StepSql>> sql = watcher->result();
                if (!sql) {
                    m_error = sql.error();
                    Q_EMIT logLine(m_error);
                    setState(State::Failed);
                    return;
                }
                m_sql = sql.value();
                for (int i = 0; i < m_steps.size() && i < m_sql.size(); ++i) {
                    const StepSql &sql = m_sql.at(i);
                    Step &step = m_steps[i];
                    step.statements = sql.statements;
                    step.online = sql.online;
                    step.offlineWhy = sql.offlineWhy;
                    step.onlineDestination = sql.onlineDestination;
                    step.preview = sql.preview;
                    step.previewWhy = sql.previewWhy;
                    if (sql.online)
                        Q_EMIT logLine(tr("%1 cannot be rendered offline (%2); it will run "
                                          "through Alembic online, once you agree.")
                                           .arg(step.revision, sql.offlineWhy));
                }
                m_current = 0;
                Q_EMIT logLine(tr("Ready: %n step(s).", nullptr, int(m_steps.size())));
                setState(State::Ready);
            });
    watcher->setFuture(QtConcurrent::run(
        [project, profile, plan = m_plan] { return PlanSql::prepare(project, profile, plan); }));
    // Whether Retort creates the version table first (read off the GUI thread
    // along with everything else would be tidier; the executor checks again).
    if (currentHeads.isEmpty())
        m_preamble = VersionTable::createStatement(profile);
}

void MigrationRun::runNext()
{
    go(true);
}

void MigrationRun::runAll()
{
    go(m_pauseAfterStep);
}

void MigrationRun::go(bool stepMode)
{
    if (m_state == State::Ready) {
        start(stepMode);
        return;
    }
    if (m_state != State::Paused || !m_executor)
        return;
    m_executor->setStepMode(stepMode);
    setState(State::Running);
    // Waiting at a step that runs online: going on is the user's agreement.
    if (m_awaiting >= 0)
        m_executor->approve(std::exchange(m_awaiting, -1));
    else
        m_executor->resume();
}

void MigrationRun::setPauseAfterStep(bool on)
{
    m_pauseAfterStep = on;
    if (m_executor && m_state == State::Running)
        m_executor->setStepMode(on);
}

void MigrationRun::cancel()
{
    if (m_executor && isActive()) {
        Q_EMIT logLine(tr("Cancelling: the current step rolls back…"));
        m_executor->cancel();
    } else if (m_state == State::Preparing || m_state == State::Ready) {
        ++m_generation;
        setState(State::Cancelled);
    }
}

void MigrationRun::cancelAndWait()
{
    if (!m_thread)
        return;
    if (m_executor)
        m_executor->cancel();
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void MigrationRun::start(bool stepMode)
{
    cancelAndWait(); // a previous run's thread, already done
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("migration"));
    auto *executor = new PlanExecutor(m_profile, m_plan, m_sql);
    executor->setStepMode(stepMode || m_pauseAfterStep);
    executor->setProjectConfig(m_project.config);
    executor->moveToThread(m_thread);
    m_executor = executor;
    connect(m_thread, &QThread::finished, executor, &QObject::deleteLater);
    connect(executor, &PlanExecutor::stepStarted, this, [this](int step, int, const QString &) {
        m_current = step;
        m_steps[step].status = Step::Status::Running;
        if (m_state == State::Paused)
            setState(State::Running);
        Q_EMIT logLine(
            tr("%1 %2…").arg(m_steps.at(step).upgrade ? tr("Upgrading to") : tr("Downgrading"),
                             m_steps.at(step).revision));
        Q_EMIT stepChanged(step);
    });
    connect(executor, &PlanExecutor::statementFinished, this,
            [this](int step, int statement, int statements, const QString &text, qint64 ms) {
                Q_EMIT logLine(
                    QStringLiteral("  %1 ms  %2").arg(ms, 5).arg(text.simplified().left(160)));
                Q_EMIT statementFinished(step, statement, statements, text, ms);
            });
    connect(executor, &PlanExecutor::stepFinished, this, [this](int step, qint64 ms) {
        m_steps[step].status = Step::Status::Done;
        m_steps[step].milliseconds = ms;
        m_current = step + 1 < m_steps.size() ? step + 1 : -1;
        Q_EMIT logLine(tr("  committed in %1 ms").arg(ms));
        Q_EMIT stepChanged(step);
    });
    connect(executor, &PlanExecutor::paused, this, [this](int next) {
        m_current = next;
        setState(State::Paused);
        Q_EMIT logLine(tr("Paused before %1.").arg(m_steps.at(next).revision));
    });
    connect(executor, &PlanExecutor::approvalNeeded, this, [this](int step) {
        m_current = step;
        m_awaiting = step;
        setState(State::Paused);
        Q_EMIT logLine(tr("%1 has to run through `alembic %2 %3` against %4. Run Next Step or Run "
                          "All lets it; Cancel stops here.")
                           .arg(m_steps.at(step).revision,
                                m_steps.at(step).upgrade ? QStringLiteral("upgrade")
                                                         : QStringLiteral("downgrade"),
                                m_steps.at(step).onlineDestination, m_profile.name));
        Q_EMIT stepChanged(step);
    });
    connect(executor, &PlanExecutor::failed, this,
            [this](int step, const QString &, const QString &statement, const QString &error) {
                m_error = error;
                if (step >= 0) {
                    m_steps[step].status = Step::Status::Failed;
                    m_steps[step].error = error;
                    Q_EMIT stepChanged(step);
                }
                Q_EMIT logLine(
                    statement.isEmpty()
                        ? tr("Failed: %1").arg(error)
                        : tr("Failed at %1: %2").arg(statement.simplified().left(200), error));
            });
    connect(executor, &PlanExecutor::finished, this, &MigrationRun::executorFinished);
    m_thread->start();
    m_clock.start();
    setState(State::Running);
    QMetaObject::invokeMethod(executor, &PlanExecutor::run, Qt::QueuedConnection);
}

void MigrationRun::executorFinished(bool ok, bool cancelled)
{
    if (cancelled && m_current >= 0 && m_current < m_steps.size() &&
        m_steps.at(m_current).status == Step::Status::Running) {
        m_steps[m_current].status = Step::Status::RolledBack;
        Q_EMIT stepChanged(m_current);
    }
    QStringList done;
    for (const Step &s : std::as_const(m_steps)) {
        if (s.status == Step::Status::Done)
            done << s.revision;
    }
    RunLog::append(m_project.key(),
                   {QDateTime::currentDateTime(),
                    m_profile.displayUrl(),
                    m_upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                    m_target,
                    done,
                    ok,
                    cancelled ? tr("cancelled") : m_error,
                    {}});
    Q_EMIT logLine(
        ok ? tr("Done: %n step(s) in %1 ms.", nullptr, int(done.size())).arg(m_clock.elapsed())
        : cancelled ? tr("Cancelled; %n step(s) had committed.", nullptr, int(done.size()))
                    : tr("Stopped; %n step(s) had committed.", nullptr, int(done.size())));
    m_thread->quit();
    setState(ok ? State::Finished : cancelled ? State::Cancelled : State::Failed);
    Q_EMIT ended(ok);
}

} // namespace Retort
