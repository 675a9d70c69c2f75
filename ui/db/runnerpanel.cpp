#include "runnerpanel.h"
#include "sqlview.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Retort {

namespace {

enum Column
{
    NumberColumn,
    RevisionColumn,
    DirectionColumn,
    VersionColumn,
    StatusColumn,
    DurationColumn
};

QString statusText(MigrationRun::Step::Status status)
{
    switch (status) {
    case MigrationRun::Step::Status::Pending:
        return RunnerPanel::tr("pending");
    case MigrationRun::Step::Status::Running:
        return RunnerPanel::tr("running…");
    case MigrationRun::Step::Status::Done:
        return RunnerPanel::tr("done");
    case MigrationRun::Step::Status::Failed:
        return RunnerPanel::tr("failed, rolled back");
    case MigrationRun::Step::Status::RolledBack:
        return RunnerPanel::tr("cancelled, rolled back");
    }
    return {};
}

} // namespace

RunnerPanel::RunnerPanel(MigrationRun *run, QWidget *parent)
    : QWidget(parent)
    , m_run(run)
    , m_title(new QLabel(this))
    , m_plan(new QTreeWidget(this))
    , m_sql(new SqlView(this))
    , m_next(new QPushButton(tr("Run &Next Step"), this))
    , m_all(new QPushButton(tr("Run &All"), this))
    , m_pause(new QPushButton(tr("&Pause After This Step"), this))
    , m_cancel(new QPushButton(tr("&Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_log(new QPlainTextEdit(this))
    , m_clock(new QTimer(this))
{
    setObjectName(QStringLiteral("runnerPanel"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_plan->setObjectName(QStringLiteral("plan"));
    m_plan->setRootIsDecorated(false);
    m_plan->setUniformRowHeights(true);
    m_plan->setHeaderLabels({tr("#"), tr("Revision"), tr("Direction"), tr("alembic_version"),
                             tr("Status"), tr("Time")});
    m_plan->setColumnWidth(NumberColumn, 36);
    m_plan->setColumnWidth(RevisionColumn, 190);
    m_plan->setColumnWidth(DirectionColumn, 80);
    m_plan->setColumnWidth(VersionColumn, 210);
    m_plan->setColumnWidth(StatusColumn, 130);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop after the step that runs now; Run Next Step or Run All goes on"));
    m_cancel->setToolTip(tr("Stop between statements; the current step rolls back"));
    m_progress->setTextVisible(true);
    m_log->setObjectName(QStringLiteral("runLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_next, m_all, m_pause, m_cancel})
        buttons->addWidget(b);
    buttons->addWidget(m_progress, 1);
    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_plan);
    top->addWidget(m_sql);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    auto *body = new QSplitter(Qt::Vertical, this);
    body->addWidget(top);
    body->addWidget(m_log);
    body->setStretchFactor(0, 3);
    body->setStretchFactor(1, 1);
    // Docked below the history it may be a strip of a few lines; it grows
    // when a run opens it (DatabaseActions gives it a share of the height).
    const int line = fontMetrics().height();
    m_plan->setMinimumHeight(line * 3);
    m_sql->setMinimumHeight(line * 3);
    m_log->setMinimumHeight(line * 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addLayout(buttons);
    layout->addWidget(body, 1);

    connect(m_next, &QPushButton::clicked, m_run, &MigrationRun::runNext);
    connect(m_all, &QPushButton::clicked, m_run, &MigrationRun::runAll);
    connect(m_pause, &QPushButton::toggled, m_run, &MigrationRun::setPauseAfterStep);
    connect(m_cancel, &QPushButton::clicked, m_run, &MigrationRun::cancel);
    connect(m_plan, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        showStep(item ? m_plan->indexOfTopLevelItem(item) : -1);
    });
    connect(m_run, &MigrationRun::stateChanged, this, [this](MigrationRun::State state) {
        if (state == MigrationRun::State::Preparing || state == MigrationRun::State::Idle)
            rebuild();
        if (state == MigrationRun::State::Ready) {
            rebuild();
            m_log->appendPlainText(QString()); // keep the rendering lines, start afresh below
        }
        if (state == MigrationRun::State::Running) {
            m_clock->start(200);
        } else {
            m_clock->stop();
            flushLog();
            // Paused or ended: show the step it stopped at.
            const int current = m_run->currentStep();
            if (current >= 0 && m_plan->topLevelItem(current))
                m_plan->setCurrentItem(m_plan->topLevelItem(current));
        }
        updateControls();
        updateProgress();
    });
    connect(m_run, &MigrationRun::stepChanged, this, [this](int step) {
        updateRow(step);
        m_statement = 0;
        m_statements = int(m_run->steps().value(step).statements.size());
        // While it runs fast, the current row follows with the clock.
        if (!m_clock->isActive()) {
            if (m_run->steps().value(step).status == MigrationRun::Step::Status::Running)
                m_plan->setCurrentItem(m_plan->topLevelItem(step));
            updateProgress();
        }
    });
    // A fast run reports thousands of statements a second: the counters
    // change at once, the progress bar and the log catch up every 200 ms.
    connect(m_run, &MigrationRun::statementFinished, this,
            [this](int, int statement, int statements, const QString &, qint64) {
                m_statement = statement + 1;
                m_statements = statements;
            });
    connect(m_run, &MigrationRun::logLine, this, [this](const QString &line) {
        m_pendingLog << line;
        if (m_run->state() != MigrationRun::State::Running)
            flushLog();
    });
    connect(m_clock, &QTimer::timeout, this, [this] {
        flushLog();
        const int current = m_run->currentStep();
        if (current >= 0 && m_plan->currentItem() != m_plan->topLevelItem(current))
            m_plan->setCurrentItem(m_plan->topLevelItem(current));
        updateProgress();
    });
    rebuild();
}

void RunnerPanel::flushLog()
{
    if (m_pendingLog.isEmpty())
        return;
    m_log->appendPlainText(m_pendingLog.join(u'\n'));
    m_pendingLog.clear();
}

void RunnerPanel::rebuild()
{
    m_plan->clear();
    const QList<MigrationRun::Step> &steps = m_run->steps();
    for (int i = 0; i < steps.size(); ++i) {
        auto *item = new QTreeWidgetItem(m_plan);
        item->setText(NumberColumn, QString::number(i + 1));
        item->setText(RevisionColumn, steps.at(i).revision);
        item->setText(DirectionColumn, steps.at(i).upgrade ? tr("upgrade") : tr("downgrade"));
        QStringList changes;
        for (const VersionChange &c : steps.at(i).changes)
            changes << c.describe();
        item->setText(VersionColumn, changes.join(QStringLiteral("; ")));
        updateRow(i);
    }
    const int n = int(steps.size());
    if (m_run->state() == MigrationRun::State::Idle) {
        m_title->setText(tr("No migration planned. Right-click a revision in the history: "
                            "Upgrade to Here, Downgrade to Here; or use +1, −1 and Head."));
    } else {
        m_title->setText(
            tr("<b>%1 %2 to %3</b> — %n step(s)%4", nullptr, n)
                .arg(m_run->upgrade() ? tr("Upgrade") : tr("Downgrade"),
                     m_run->profile().name.toHtmlEscaped(), m_run->target().toHtmlEscaped(),
                     m_run->profile().isShared() ? tr(" · <i>shared database</i>") : QString()));
    }
    if (n > 0)
        m_plan->setCurrentItem(m_plan->topLevelItem(0));
    else
        m_sql->setSql(m_run->state() == MigrationRun::State::Failed
                          ? QStringLiteral("-- ") + m_run->error()
                          : QString());
    updateControls();
    updateProgress();
}

void RunnerPanel::updateRow(int step)
{
    QTreeWidgetItem *item = m_plan->topLevelItem(step);
    if (!item || step >= m_run->steps().size())
        return;
    const MigrationRun::Step &s = m_run->steps().at(step);
    item->setText(StatusColumn, s.online && s.status == MigrationRun::Step::Status::Pending
                                    ? (m_run->awaitingApproval() == step ? tr("waiting for you")
                                                                         : tr("pending · online"))
                                    : statusText(s.status));
    item->setText(DurationColumn, s.milliseconds < 0 ? QString() : tr("%1 ms").arg(s.milliseconds));
    item->setToolTip(StatusColumn, s.error);
    const bool bad = s.status == MigrationRun::Step::Status::Failed ||
                     s.status == MigrationRun::Step::Status::RolledBack;
    item->setForeground(StatusColumn, bad ? QBrush(QColor(0xc6, 0x28, 0x28))
                                      : s.status == MigrationRun::Step::Status::Done
                                          ? QBrush(QColor(0x2e, 0x7d, 0x32))
                                          : QBrush());
}

QString RunnerPanel::sqlOfStep(int step) const
{
    if (step < 0 || step >= m_run->steps().size())
        return {};
    const MigrationRun::Step &s = m_run->steps().at(step);
    QString out =
        QStringLiteral("-- step %1 of %2: %3 %4\n")
            .arg(step + 1)
            .arg(m_run->steps().size())
            .arg(s.upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), s.revision);
    if (step == 0 && !m_run->preamble().isEmpty())
        out += QStringLiteral("\n-- the version table, created first\n") + m_run->preamble() +
               QStringLiteral(";\n");
    if (m_run->state() == MigrationRun::State::Preparing)
        return out + QStringLiteral("\n-- Alembic is rendering the SQL…\n");
    if (m_run->state() == MigrationRun::State::Failed && s.statements.isEmpty() &&
        s.status == MigrationRun::Step::Status::Pending)
        return out + QStringLiteral("\n-- No SQL: ") +
               m_run->error().replace(u'\n', QStringLiteral("\n-- ")) + u'\n';
    out += u'\n';
    if (s.online) {
        out += QStringLiteral("-- Alembic cannot render this step offline:\n--   %1\n-- It runs "
                              "through `alembic %2 %3` against the database itself, in Alembic's "
                              "own transaction, once you agree (Run Next Step or Run All when it "
                              "is next).\n\n")
                   .arg(s.offlineWhy,
                        s.upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                        s.onlineDestination);
        if (s.preview.isEmpty())
            return out + QStringLiteral("-- No preview: %1\n").arg(s.previewWhy);
        out += QStringLiteral(
            "-- Its SQL, as Alembic ran it on a throwaway copy of the database:\n\n");
        for (const QString &st : s.preview)
            out += st + QStringLiteral(";\n\n");
        return out;
    }
    for (const SqlStatement &st : s.statements)
        out += st.text + QStringLiteral(";\n\n");
    if (s.statements.isEmpty() && m_run->state() != MigrationRun::State::Failed)
        out += QStringLiteral("-- no statements: the revision changes nothing\n\n");
    out += QStringLiteral("-- Retort's own bookkeeping, in the same transaction\n");
    for (const QString &b : s.bookkeeping)
        out += b + QStringLiteral(";\n");
    return out;
}

void RunnerPanel::showStep(int step)
{
    m_sql->setSql(sqlOfStep(step));
}

void RunnerPanel::updateControls()
{
    const MigrationRun::State state = m_run->state();
    const bool ready = state == MigrationRun::State::Ready || state == MigrationRun::State::Paused;
    m_next->setEnabled(ready);
    m_all->setEnabled(ready);
    m_pause->setEnabled(state == MigrationRun::State::Running || ready);
    m_cancel->setEnabled(m_run->isActive() || state == MigrationRun::State::Preparing);
    if (!m_run->isActive() && state != MigrationRun::State::Ready) {
        const QSignalBlocker block(m_pause);
        m_pause->setChecked(false);
    }
    if (state == MigrationRun::State::Ready || state == MigrationRun::State::Preparing ||
        state == MigrationRun::State::Failed)
        showStep(m_plan->indexOfTopLevelItem(m_plan->currentItem()));
}

void RunnerPanel::updateProgress()
{
    const int n = int(m_run->steps().size());
    int done = 0;
    for (const MigrationRun::Step &s : m_run->steps())
        done += s.status == MigrationRun::Step::Status::Done ? 1 : 0;
    m_progress->setRange(0, qMax(1, n));
    m_progress->setValue(done);
    const int current = m_run->currentStep();
    const double seconds = double(m_run->elapsed()) / 1000.0;
    switch (m_run->state()) {
    case MigrationRun::State::Running:
        m_progress->setFormat(tr("step %1 of %2 · statement %3 of %4 · %5 s")
                                  .arg(current + 1)
                                  .arg(n)
                                  .arg(m_statement)
                                  .arg(m_statements)
                                  .arg(seconds, 0, 'f', 1));
        break;
    case MigrationRun::State::Paused:
        if (m_run->awaitingApproval() >= 0) {
            m_progress->setFormat(tr("%1 runs online once you agree · %2 of %3 done")
                                      .arg(m_run->steps().at(m_run->awaitingApproval()).revision)
                                      .arg(done)
                                      .arg(n));
            break;
        }
        m_progress->setFormat(
            tr("paused · %1 of %2 done · %3 s").arg(done).arg(n).arg(seconds, 0, 'f', 1));
        break;
    case MigrationRun::State::Preparing:
        m_progress->setFormat(tr("rendering the SQL…"));
        break;
    case MigrationRun::State::Finished:
        m_progress->setFormat(
            tr("done · %1 of %2 · %3 s").arg(done).arg(n).arg(seconds, 0, 'f', 1));
        break;
    case MigrationRun::State::Failed:
        m_progress->setFormat(tr("failed · %1 of %2 committed").arg(done).arg(n));
        break;
    case MigrationRun::State::Cancelled:
        m_progress->setFormat(tr("cancelled · %1 of %2 committed").arg(done).arg(n));
        break;
    default:
        m_progress->setFormat(n > 0 ? tr("%1 of %2").arg(done).arg(n) : QString());
    }
}

} // namespace Retort
