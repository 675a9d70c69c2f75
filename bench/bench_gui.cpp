// Opens a project in the real window and measures what a user waits for:
// the time from "open" to the first painted history graph, and the cost of
// painting one screenful of rows while scrolling. The same screenfuls are
// then painted with Qt's plain item delegate, as the reference.
//
//   bench_gui PROJECT [--pages N]     (use QT_QPA_PLATFORM=offscreen or a display)
#include "core/graph/historymodel.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cstdio>

namespace {

struct Stats
{
    double median = 0, p95 = 0, max = 0;
};

Stats stats(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    Stats s;
    if (v.empty())
        return s;
    s.median = v[v.size() / 2];
    s.p95 = v[std::min(v.size() - 1, size_t(v.size() * 0.95))];
    s.max = v.back();
    return s;
}

std::vector<double> scrollPaints(QTreeView *view, int pages)
{
    std::vector<double> out;
    QScrollBar *bar = view->verticalScrollBar();
    const int step = qMax(1, bar->pageStep());
    QElapsedTimer t;
    for (int page = 0; page < pages; ++page) {
        bar->setValue((page * step) % qMax(1, bar->maximum()));
        QCoreApplication::processEvents();
        t.start();
        view->viewport()->repaint();
        out.push_back(t.nsecsElapsed() / 1e6);
    }
    return out;
}

class FirstPaint : public QObject
{
public:
    QElapsedTimer *clock = nullptr;
    double at = -1;
    Retort::HistoryModel *model = nullptr;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && at < 0 && model->rowCount() > 0) {
            // Runs after this paint event has been handled.
            QTimer::singleShot(0, this, [this] {
                if (at < 0)
                    at = clock->nsecsElapsed() / 1e6;
            });
        }
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // leave the user's settings alone
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_gui PROJECT [--pages N]\n");
        return 2;
    }
    const int pages = args.contains(QStringLiteral("--pages"))
                          ? args.at(args.indexOf(QStringLiteral("--pages")) + 1).toInt()
                          : 200;

    Retort::MainWindow window;
    window.resize(1400, 900);
    window.show();
    QCoreApplication::processEvents();
    QTreeView *view = window.historyView();

    FirstPaint first;
    QElapsedTimer clock;
    first.clock = &clock;
    first.model = window.historyModel();
    view->viewport()->installEventFilter(&first);
    QSignalSpy loaded(&window, &Retort::MainWindow::projectLoaded);
    clock.start();
    window.openProject(args.at(1));
    while (first.at < 0 && clock.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (first.at < 0) {
        std::fprintf(stderr, "the history was never painted\n");
        return 1;
    }
    const int rows = window.historyModel()->rowCount();
    const int visible = view->viewport()->height() / qMax(1, view->sizeHintForRow(0));

    const Stats ours = stats(scrollPaints(view, pages));
    QAbstractItemDelegate *delegate = view->itemDelegate();
    QStyledItemDelegate plain;
    view->setItemDelegate(&plain);
    const Stats reference = stats(scrollPaints(view, pages));
    view->setItemDelegate(delegate);

    std::printf("rows: %d, about %d per screenful, %d screenfuls painted\n", rows, visible, pages);
    std::printf("first painted graph after open:  %8.1f ms   (target < 1000 ms)\n", first.at);
    std::printf("screenful, Retort's delegate:   median %6.2f ms, p95 %6.2f ms, max %6.2f ms   "
                "(target < 8 ms)\n",
                ours.median, ours.p95, ours.max);
    std::printf("screenful, Qt's plain delegate: median %6.2f ms, p95 %6.2f ms, max %6.2f ms\n",
                reference.median, reference.p95, reference.max);
    std::printf("ratio Retort / plain (median):  %6.2fx\n",
                ours.median / qMax(0.001, reference.median));
    return 0;
}
