#pragma once

#include "core/db/connectionprofile.h"
#include "core/graph/revisiongraph.h"
#include "core/result.h"
#include "core/script/projectconfig.h"
#include "migrationplan.h"

#include "sqlrenderer.h"
#include "statementsplitter.h"
#include <QHash>
#include <QSet>

#include <QMutex>
#include <QObject>
#include <QWaitCondition>

#include <atomic>

namespace Retort {

class ScopedConnection;

// What one step runs: the migration's statements, without Alembic's own
// version-table bookkeeping (the executor does that itself).
struct StepSql
{
    QString revision;
    bool upgrade = true;
    QList<SqlStatement> statements;
    QString dialect; // what Alembic rendered it for; never run elsewhere
    // A step Alembic cannot render offline runs through `alembic upgrade`
    // (or downgrade) online, only once the user agreed for this step.
    bool online = false;
    QString offlineWhy;        // Alembic's reason
    QString onlineDestination; // what Alembic is told to go to
    QStringList preview;       // its exact SQL from a throwaway copy (SQLite)
    QString previewWhy;        // why there is no preview
};

// Runs a plan's steps on one connection, each step in a transaction where
// the database has transactional DDL: begin, the statements, the version
// table changes, a check that the table now says what it should, commit.
// A failing statement rolls the step back. Cancel takes effect between
// statements and rolls back the current step. Make it and run it on the
// same thread (a worker); it reports by signals.
class PlanExecutor : public QObject
{
    Q_OBJECT

public:
    PlanExecutor(const ConnectionProfile &profile, const MigrationPlan &plan,
                 const QList<StepSql> &sql, QObject *parent = nullptr);

    // Matches rendered sections to the plan's steps; fails when one is missing.
    // The statement that records `change` in the version table: with `?`
    // placeholders and their values, or (literal) with the values quoted in,
    // as `--sql` prints it.
    struct Bookkeeping
    {
        QString sql;
        QStringList values;
    };
    static Bookkeeping bookkeeping(const ConnectionProfile &profile, const VersionChange &change,
                                   bool literal = false);
    // Steps in `offline` (revision id -> Alembic's reason) have no section:
    // they become online steps.
    static Result<QList<StepSql>> sqlForPlan(const RevisionGraph &graph, const MigrationPlan &plan,
                                             const QList<SqlSection> &sections,
                                             const ConnectionProfile &profile,
                                             const QHash<QString, QString> &offline = {});
    // Where Alembic goes for an online step: the revision, or its parent
    // (or base) when it is undone.
    static QString onlineDestination(const RevisionGraph &graph, const PlanStep &step);
    // Runs on `connection` (open, on this thread, outliving run()) instead of
    // opening one of its own: a replay keeps one connection for many plans.
    void useConnection(ScopedConnection *connection) { m_connection = connection; }
    // The project whose Alembic runs online steps.
    void setProjectConfig(const ProjectConfig &config) { m_config = config; }
    // Online steps run only when approved; approve() lets step `step` go.
    void approve(int step);

    void cancel()
    {
        m_cancel = true;
        resume();
    }
    // Step mode: after each committed step, wait for resume() (or cancel()).
    void setStepMode(bool on) { m_stepMode = on; }
    void resume();

public Q_SLOTS:
    // Returns true when every step committed.
    bool run();

Q_SIGNALS:
    void stepStarted(int step, int steps, const QString &revision);
    void statementFinished(int step, int statement, int statements, const QString &text,
                           qint64 milliseconds);
    void stepFinished(int step, qint64 milliseconds);
    void paused(int nextStep); // step mode: waiting for resume()
    // Step `step` must run through Alembic online: waiting for approve(step)
    // (or cancel()).
    void approvalNeeded(int step);
    void failed(int step, const QString &revision, const QString &statement, const QString &error);
    void finished(bool ok, bool cancelled);

private:
    ConnectionProfile m_profile;
    MigrationPlan m_plan;
    QList<StepSql> m_sql;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_stepMode{false};
    QMutex m_mutex;
    QWaitCondition m_resumed;
    bool m_go = false;
    QSet<int> m_approved;
    ProjectConfig m_config;
    ScopedConnection *m_connection = nullptr;
};

} // namespace Retort
