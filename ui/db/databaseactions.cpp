#include "databaseactions.h"
#include "connectionspanel.h"
#include "guarddialog.h"
#include "runnerpanel.h"
#include "runspanel.h"

#include "core/db/databasemonitor.h"
#include "core/db/scopedconnection.h"
#include "core/project.h"
#include "core/run/guardfacts.h"
#include "core/run/migrationrun.h"
#include "core/run/runlog.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

DatabaseActions::DatabaseActions(QWidget *window, DatabaseMonitor *monitor,
                                 ConnectionsPanel *connections,
                                 std::function<const Project *()> project,
                                 std::function<QString()> selectedRevision)
    : QObject(window)
    , m_window(window)
    , m_monitor(monitor)
    , m_connections(connections)
    , m_project(std::move(project))
    , m_selected(std::move(selectedRevision))
    , m_run(new MigrationRun(this))
    , m_panel(new RunnerPanel(m_run, window))
    , m_runs(new RunsPanel(window))
    , m_upgradeHere(new QAction(tr("&Upgrade to Here…"), this))
    , m_downgradeHere(new QAction(tr("&Downgrade to Here…"), this))
    , m_stampHere(new QAction(tr("&Stamp Here…"), this))
    , m_upOne(new QAction(tr("+1"), this))
    , m_downOne(new QAction(tr("−1"), this))
    , m_head(new QAction(tr("Head"), this))
{
    m_upOne->setToolTip(tr("Upgrade the active database by one revision (Ctrl+Up)"));
    m_downOne->setToolTip(tr("Downgrade the active database by one revision (Ctrl+Down)"));
    m_head->setToolTip(tr("Upgrade the active database to every head"));
    m_upOne->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up));
    m_downOne->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down));
    for (QAction *a : {m_upOne, m_downOne, m_head, m_upgradeHere, m_downgradeHere, m_stampHere})
        a->setShortcutContext(Qt::WindowShortcut);
    m_upOne->setObjectName(QStringLiteral("upgradeOneAction"));
    m_downOne->setObjectName(QStringLiteral("downgradeOneAction"));
    m_head->setObjectName(QStringLiteral("upgradeHeadAction"));
    connect(m_upgradeHere, &QAction::triggered, this, [this] { migrate(m_selected(), true); });
    connect(m_downgradeHere, &QAction::triggered, this, [this] { migrate(m_selected(), false); });
    connect(m_stampHere, &QAction::triggered, this, [this] { stamp(m_selected()); });
    connect(m_upOne, &QAction::triggered, this, [this] { migrate(QStringLiteral("+1"), true); });
    connect(m_downOne, &QAction::triggered, this, [this] { migrate(QStringLiteral("-1"), false); });
    connect(m_head, &QAction::triggered, this, [this] { migrate(QStringLiteral("heads"), true); });
    connect(m_run, &MigrationRun::ended, this, [this] {
        m_badgeTimer.stop();
        m_monitor->refresh(m_run->profile().name);
        m_runs->reload();
        updateActions();
    });
    connect(m_run, &MigrationRun::stateChanged, this, &DatabaseActions::updateActions);
    // Committed steps move the database's badge: read it again at most four
    // times a second while a run goes on (a fast run commits hundreds of
    // steps a second), and once more when it ends.
    m_badgeTimer.setSingleShot(true);
    m_badgeTimer.setInterval(250);
    connect(&m_badgeTimer, &QTimer::timeout, this,
            [this] { m_monitor->refresh(m_run->profile().name); });
    connect(m_run, &MigrationRun::stepChanged, this, [this](int step) {
        if (m_run->steps().value(step).status == MigrationRun::Step::Status::Done &&
            !m_badgeTimer.isActive())
            m_badgeTimer.start();
    });
    connect(m_monitor, &DatabaseMonitor::changed, this, &DatabaseActions::updateActions);
    connect(m_connections, &ConnectionsPanel::activeChanged, this, &DatabaseActions::updateActions);
    updateActions();
}

void DatabaseActions::updateActions()
{
    const MonitoredDatabase *db = m_monitor->find(m_connections->activeName());
    const bool ready = db && db->status == MonitoredDatabase::Status::Ready &&
                       db->state.unknown.isEmpty() && !m_run->isActive() &&
                       m_run->state() != MigrationRun::State::Preparing;
    for (QAction *a : {m_upOne, m_downOne, m_head, m_upgradeHere, m_downgradeHere, m_stampHere})
        a->setEnabled(ready);
    const QString name = db ? db->profile.name : tr("the active database");
    m_upgradeHere->setText(tr("&Upgrade %1 to Here…").arg(name));
    m_downgradeHere->setText(tr("&Downgrade %1 to Here…").arg(name));
    m_stampHere->setText(tr("&Stamp %1 Here…").arg(name));
}

bool DatabaseActions::guardAllows(bool stamp, const QString &from, const QString &to,
                                  const QList<int> &reverted)
{
    const Project *project = m_project();
    const ConnectionProfile profile = m_monitor->connectable(m_connections->activeName());
    if (profile.downgradesForbidden && (!stamp || !reverted.isEmpty())) {
        QMessageBox::warning(
            m_window, tr("Downgrades Forbidden"),
            tr("The profile %1 forbids downgrades%2; Retort will not move it back.\n\nEdit the "
               "profile if that has changed.")
                .arg(profile.name,
                     stamp ? tr(" (and a stamp that moves it back is one)") : QString()));
        return false;
    }
    if (!profile.isShared())
        return true;
    const GuardFacts facts = GuardFacts::of(project->graph, reverted);
    GuardDialog dialog(stamp ? GuardDialog::Action::Stamp : GuardDialog::Action::Downgrade, profile,
                       from, to, facts, m_window);
    // Git's answer (which revisions are pushed) fills in while the dialog shows.
    QStringList paths;
    for (const GuardFacts::Reverted &r : facts.reverted)
        paths << r.path;
    using GitAnswer = Result<QHash<QString, GitFileFacts>>;
    QFutureWatcher<GitAnswer> git;
    connect(&git, &QFutureWatcher<GitAnswer>::finished, &dialog, [&dialog, &git, facts] {
        const GitAnswer answer = git.result();
        if (!answer) {
            dialog.setFacts(facts, tr("Git cannot say what is pushed: %1").arg(answer.error()));
            return;
        }
        GuardFacts withGit = facts;
        withGit.addGitFacts(answer.value());
        const int pushed = withGit.pushedCount();
        dialog.setFacts(withGit, pushed == 0
                                     ? tr("None of these revisions is on a remote branch yet.")
                                     : tr("%n of these revisions are already on a remote branch: "
                                          "others may have applied them.",
                                          nullptr, pushed));
    });
    git.setFuture(QtConcurrent::run([paths] { return GitFacts::of(paths); }));
    const bool confirmed = dialog.exec() == QDialog::Accepted;
    git.disconnect();
    git.waitForFinished();
    return confirmed;
}

bool DatabaseActions::migrate(const QString &target, bool upgrade)
{
    const Project *project = m_project();
    const MonitoredDatabase *db = m_monitor->find(m_connections->activeName());
    if (!project || target.isEmpty())
        return false;
    if (!db || db->status != MonitoredDatabase::Status::Ready) {
        Q_EMIT message(tr("Choose a database in the Databases panel, and let Retort read it "
                          "first."));
        return false;
    }
    if (m_run->isActive()) {
        Q_EMIT message(tr("A migration is running; cancel it or let it finish first."));
        return false;
    }
    const QStringList current = db->state.recorded;
    QString where = target;
    auto plan = MigrationPlan::make(project->graph, current, where, upgrade);
    if (!plan && upgrade && target == u"+1" && plan.error().contains(u"mbiguous")) {
        // At a branch point: which way?
        QStringList choices;
        for (int head :
             db->state.revisions.isEmpty() ? project->graph.bases() : db->state.revisions) {
            const QList<int> next = db->state.revisions.isEmpty()
                                        ? QList<int>{head}
                                        : project->graph.revision(head).children;
            for (int c : next)
                choices << project->graph.revision(c).id;
        }
        bool ok = false;
        where = QInputDialog::getItem(
            m_window, tr("Which Branch?"),
            tr("The history forks here. Upgrade %1 along:").arg(db->profile.name), choices, 0,
            false, &ok);
        if (!ok)
            return false;
        plan = MigrationPlan::make(project->graph, current, where, true);
    }
    if (!plan) {
        QMessageBox::warning(m_window, upgrade ? tr("Cannot Upgrade") : tr("Cannot Downgrade"),
                             plan.error());
        return false;
    }
    if (plan->steps.isEmpty()) {
        Q_EMIT message(tr("%1 is already there.").arg(db->profile.name));
        return false;
    }
    if (!upgrade) {
        QList<int> reverted;
        for (const PlanStep &s : plan->steps)
            reverted << s.revision;
        const QString from = current.join(QStringLiteral(", "));
        const QString to = plan->headsAfter.isEmpty() ? QStringLiteral("base")
                                                      : plan->headsAfter.join(QStringLiteral(", "));
        if (!guardAllows(false, from, to, reverted))
            return false;
    }
    m_run->prepare(*project, m_monitor->connectable(db->profile.name), current, where, upgrade);
    Q_EMIT showRunner();
    return true;
}

bool DatabaseActions::stamp(const QString &revision)
{
    const Project *project = m_project();
    const MonitoredDatabase *db = m_monitor->find(m_connections->activeName());
    if (!project || !db || db->status != MonitoredDatabase::Status::Ready || revision.isEmpty())
        return false;
    const int index = project->graph.indexOf(revision);
    if (index < 0)
        return false;
    const QList<int> removed = GuardFacts::removedBy(project->graph, db->state.revisions, {index});
    const QString from =
        db->state.atBase() ? QStringLiteral("base") : db->state.recorded.join(QStringLiteral(", "));
    if (!guardAllows(true, from, revision, removed))
        return false;
    if (!db->profile.isShared() &&
        QMessageBox::question(m_window, tr("Stamp"),
                              tr("Record %1 in %2 as its only revision, without running "
                                 "anything?")
                                  .arg(revision, db->profile.name)) != QMessageBox::Yes)
        return false;
    const ConnectionProfile profile = m_monitor->connectable(db->profile.name);
    const ProjectConfig config = project->config;
    auto *watcher = new QFutureWatcher<Result<bool>>(this);
    connect(
        watcher, &QFutureWatcher<Result<bool>>::finished, this, [this, watcher, profile, revision] {
            watcher->deleteLater();
            const Result<bool> done = watcher->result();
            Q_EMIT message(done ? tr("Stamped %1 at %2").arg(profile.name, revision)
                                : tr("The stamp of %1 failed: %2").arg(profile.name, done.error()));
            m_monitor->refresh(profile.name);
            m_runs->reload();
        });
    watcher->setFuture(QtConcurrent::run([profile, config, revision] {
        ScopedConnection connection(profile);
        QString error;
        Result<bool> done = connection.open(&error) ? VersionTable::stamp(connection, {revision})
                                                    : Result<bool>::failure(error);
        RunLog::append(config.key(), {QDateTime::currentDateTime(),
                                      profile.displayUrl(),
                                      QStringLiteral("stamp"),
                                      revision,
                                      {revision},
                                      bool(done),
                                      done ? QString() : done.error(),
                                      {}});
        return done;
    }));
    return true;
}

void DatabaseActions::install(QMainWindow *window, QMenu *menu)
{
    menu->addAction(tr("&Add Database…"), m_connections, &ConnectionsPanel::addProfile);
    menu->addAction(tr("&Refresh Databases"), m_monitor, qOverload<>(&DatabaseMonitor::refresh));
    menu->addSeparator();
    menu->addActions({m_upOne, m_downOne, m_head});
    menu->addSeparator();
    auto *databases = new QDockWidget(tr("Databases"), window);
    databases->setObjectName(QStringLiteral("databasesDock"));
    databases->setWidget(m_connections);
    window->addDockWidget(Qt::BottomDockWidgetArea, databases);
    auto *runner = new QDockWidget(tr("Run"), window);
    runner->setObjectName(QStringLiteral("runnerDock"));
    runner->setWidget(m_panel);
    window->tabifyDockWidget(databases, runner);
    auto *runs = new QDockWidget(tr("Runs"), window);
    runs->setObjectName(QStringLiteral("runsDock"));
    runs->setWidget(m_runs);
    window->tabifyDockWidget(runner, runs);
    databases->raise();
    menu->addActions(
        {databases->toggleViewAction(), runner->toggleViewAction(), runs->toggleViewAction()});
    // The run log of whichever project is open.
    connect(m_monitor, &DatabaseMonitor::changed, m_runs, [this] {
        if (m_monitor->projectKey() != m_runsKey) {
            m_runsKey = m_monitor->projectKey();
            m_runs->showProject(m_runsKey);
        }
    });
    connect(this, &DatabaseActions::showRunner, runner, [window, runner] {
        runner->show();
        runner->raise();
        // Room for the plan, the SQL and the log.
        const int wanted = window->height() * 2 / 5;
        if (runner->height() < wanted)
            window->resizeDocks({runner}, {wanted}, Qt::Vertical);
    });
}

bool DatabaseActions::confirmClose()
{
    if (!m_run->isActive())
        return true;
    const auto answer = QMessageBox::question(
        m_window, tr("A Migration Is Running"),
        tr("%1 is being migrated. Cancel the run and wait for the current step to roll back, "
           "then close?")
            .arg(m_run->profile().name),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes)
        return false;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    m_run->cancelAndWait();
    QApplication::restoreOverrideCursor();
    return true;
}

} // namespace Retort
