// What a DBA feels in the window while it works:
//  1. responsiveness during a run: a 5 ms timer on the GUI thread while the
//     window upgrades a SQLite database through every step of PROJECT (a
//     generated history); the longest gap between its ticks is the longest
//     time the GUI thread was blocked. Reference: the same probe while idle.
//  2. the history with three databases on it: the screenful paint cost of
//     HISTORY (10,000 revisions) with three databases' badges and the active
//     one's pending rows drawn, next to Qt's plain delegate.
//
//   bench_runner PROJECT HISTORY    (QT_QPA_PLATFORM=offscreen or a display)
#include "core/db/databasemonitor.h"
#include "core/db/profilestore.h"
#include "core/db/scopedconnection.h"
#include "core/db/versiontable.h"
#include "core/graph/historymodel.h"
#include "core/project.h"
#include "core/run/migrationrun.h"
#include "ui/db/connectionspanel.h"
#include "ui/db/databaseactions.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStyledItemDelegate>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cstdio>

using namespace Retort;

namespace {

// Gaps between the ticks of a 5 ms timer on the GUI thread.
class Probe : public QObject
{
public:
    Probe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const double now = m_clock.nsecsElapsed() / 1e6;
            if (m_last >= 0)
                m_gaps.push_back(now - m_last);
            m_last = now;
        });
    }
    void start()
    {
        m_gaps.clear();
        m_last = -1;
        m_clock.start();
        m_timer.start(5);
    }
    std::vector<double> stop()
    {
        m_timer.stop();
        std::sort(m_gaps.begin(), m_gaps.end());
        return m_gaps;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    std::vector<double> m_gaps;
    double m_last = -1;
};

double at(const std::vector<double> &v, double q)
{
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(double(v.size()) * q))];
}

void waitFor(const std::function<bool()> &done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
}

double screenful(QTreeView *view, int pages)
{
    std::vector<double> out;
    QScrollBar *bar = view->verticalScrollBar();
    QElapsedTimer t;
    for (int page = 0; page < pages; ++page) {
        bar->setValue((page * qMax(1, bar->pageStep())) % qMax(1, bar->maximum()));
        QCoreApplication::processEvents();
        t.start();
        view->viewport()->repaint();
        out.push_back(t.nsecsElapsed() / 1e6);
    }
    std::sort(out.begin(), out.end());
    return at(out, 0.5);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // leave the user's settings alone
    QCoreApplication::setOrganizationName(QStringLiteral("RetortBench"));
    QCoreApplication::setApplicationName(QStringLiteral("RetortBench"));
    QSettings().clear();
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: bench_runner PROJECT HISTORY\n");
        return 2;
    }

    // 1. A run of every step of PROJECT, on a fresh SQLite file.
    {
        QTemporaryDir scratch;
        const QString db = scratch.filePath(QStringLiteral("bench.db"));
        auto profile = ConnectionProfile::fromUrl(QStringLiteral("sqlite:///") + db).value();
        profile.name = QStringLiteral("bench");
        ProfileStore::save(QFileInfo(args.at(1)).absoluteFilePath(), {profile});
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        window.openProject(args.at(1));
        waitFor([&] { return window.hasProject(); }, 60000);
        window.connectionsPanel()->setActive(QStringLiteral("bench"));
        waitFor(
            [&] {
                const MonitoredDatabase *d = window.databases()->find(QStringLiteral("bench"));
                return d && d->status == MonitoredDatabase::Status::Ready;
            },
            30000);
        Probe probe;
        probe.start();
        waitFor([] { return false; }, 1000);
        const std::vector<double> idle = probe.stop();

        MigrationRun *run = window.databaseActions()->run();
        if (!window.databaseActions()->migrate(QStringLiteral("heads"), true)) {
            std::fprintf(stderr, "could not plan the run\n");
            return 1;
        }
        waitFor([&] { return run->state() != MigrationRun::State::Preparing; }, 300000);
        if (run->state() != MigrationRun::State::Ready) {
            std::fprintf(stderr, "planning failed: %s\n", qPrintable(run->error()));
            return 1;
        }
        probe.start();
        QElapsedTimer clock;
        clock.start();
        run->runAll();
        waitFor([&] { return !run->isActive(); }, 600000);
        const double seconds = clock.elapsed() / 1000.0;
        const std::vector<double> busy = probe.stop();
        if (run->state() != MigrationRun::State::Finished) {
            std::fprintf(stderr, "the run did not finish: %s\n", qPrintable(run->error()));
            return 1;
        }
        std::printf("run of %lld steps in the window: %.1f s, %zu probe ticks\n",
                    qint64(run->steps().size()), seconds, busy.size());
        std::printf("GUI thread blocked, during the run: max %6.1f ms, p99 %5.1f ms   (target "
                    "max < 50 ms)\n",
                    busy.empty() ? 0 : busy.back(), at(busy, 0.99));
        std::printf("GUI thread blocked, idle window:    max %6.1f ms, p99 %5.1f ms   (ratio max "
                    "%.2fx)\n",
                    idle.empty() ? 0 : idle.back(), at(idle, 0.99),
                    (busy.empty() ? 0 : busy.back()) / qMax(0.001, idle.empty() ? 0 : idle.back()));
    }

    // 2. Three databases on the 10,000-revision history.
    {
        QTemporaryDir scratch;
        auto project = Project::open(args.at(2), RevisionReader::Detail::Header);
        if (!project) {
            std::fprintf(stderr, "%s\n", qPrintable(project.error()));
            return 1;
        }
        const QList<int> order = project->graph.history();
        QList<ConnectionProfile> profiles;
        const char *names[] = {"dev", "staging", "prod"};
        for (int k = 0; k < 3; ++k) {
            auto p = ConnectionProfile::fromUrl(
                         QStringLiteral("sqlite:///") +
                         scratch.filePath(QStringLiteral("%1.db").arg(QLatin1String(names[k]))))
                         .value();
            p.name = QLatin1String(names[k]);
            ScopedConnection c(p);
            QString error;
            if (!c.open(&error))
                return 1;
            // dev near the top, staging a little behind, prod further back
            VersionTable::stamp(c, {project->graph.revision(order.at(10 + k * 25)).id});
            profiles << p;
        }
        ProfileStore::save(project->key(), profiles);
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        window.openProject(args.at(2));
        waitFor([&] { return window.hasProject() && window.historyModel()->rowCount() > 0; },
                60000);
        window.connectionsPanel()->setActive(QStringLiteral("staging"));
        waitFor(
            [&] {
                for (const MonitoredDatabase &d : window.databases()->databases()) {
                    if (d.status != MonitoredDatabase::Status::Ready)
                        return false;
                }
                return true;
            },
            60000);
        QCoreApplication::processEvents();
        QTreeView *view = window.historyView();
        view->scrollToTop();
        const double ours = screenful(view, 100);
        QAbstractItemDelegate *delegate = view->itemDelegate();
        QStyledItemDelegate plain;
        view->setItemDelegate(&plain);
        const double reference = screenful(view, 100);
        view->setItemDelegate(delegate);
        std::printf("10,000 revisions, 3 databases on the history: screenful median %6.2f ms "
                    "(target < 8 ms); Qt's plain delegate %6.2f ms; ratio %.2fx\n",
                    ours, reference, ours / qMax(0.001, reference));
    }
    return 0;
}
