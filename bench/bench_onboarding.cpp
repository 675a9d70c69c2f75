// Onboarding speed (issue 12), offscreen:
//  - the schema panel's update when a revision is selected, from the cache,
//    against loading the same snapshots alone (the floor);
//  - laying out and drawing a 100-table ER diagram, against Graphviz's own
//    `dot -Tsvg` on the same graph;
//  - `retort export --html` of a 500-revision history, against
//    `alembic history` on it.
//   bench_onboarding PROJECT/alembic.ini RETORT_BINARY
#include "core/diagram/erlayout.h"
#include "core/schema/schemamonitor.h"
#include "ui/schema/diagrampainter.h"
#include "ui/schema/erdiagramview.h"
#include "ui/schema/schemapanel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QGraphicsView>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace Retort;

namespace {

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

double runMs(const QString &program, const QStringList &args, const QString &dir)
{
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, args);
    p.waitForFinished(600000);
    if (p.exitCode() != 0)
        std::fprintf(stderr, "%s failed: %s\n", qPrintable(program),
                     p.readAllStandardError().constData());
    return double(t.nsecsElapsed()) / 1e6;
}

Schema syntheticSchema(int tables)
{
    QRandomGenerator random(7);
    Schema s;
    s.dialect = QStringLiteral("postgresql");
    for (int i = 0; i < tables; ++i) {
        SchemaTable t;
        t.name = QStringLiteral("table_%1").arg(i, 3, 10, QLatin1Char('0'));
        t.columns.append({QStringLiteral("id"), QStringLiteral("INTEGER"), false, {}, true, 1});
        const int columns = 3 + int(random.bounded(8));
        for (int c = 0; c < columns; ++c)
            t.columns.append({QStringLiteral("column_%1").arg(c),
                              QStringLiteral("VARCHAR(120)"),
                              true,
                              {},
                              false,
                              c + 2});
        const int keys = i == 0 ? 0 : 1 + int(random.bounded(2));
        for (int k = 0; k < keys; ++k) {
            const int target = int(random.bounded(i));
            const QString col = QStringLiteral("ref_%1").arg(k);
            t.columns.append(
                {col, QStringLiteral("INTEGER"), true, {}, false, int(t.columns.size()) + 1});
            t.foreignKeys.append({QStringLiteral("fk_%1_%2").arg(i).arg(k),
                                  {col},
                                  {},
                                  QStringLiteral("table_%1").arg(target, 3, 10, QLatin1Char('0')),
                                  {QStringLiteral("id")},
                                  {},
                                  {}});
        }
        s.tables.append(t);
    }
    s.normalize();
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    // The offscreen platform's note about every popup is not a result.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &text) {
        if (type != QtWarningMsg || !text.contains(u"propagateSizeHints"))
            std::fprintf(stderr, "%s\n", qPrintable(text));
    });
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_onboarding PROJECT/alembic.ini RETORT\n");
        return 2;
    }
    const QString ini = QString::fromLocal8Bit(argv[1]);
    const QString retort = QFileInfo(QString::fromLocal8Bit(argv[2])).absoluteFilePath();
    auto project = Project::open(ini);
    if (!project) {
        std::fprintf(stderr, "%s\n", qPrintable(project.error()));
        return 1;
    }
    QTemporaryDir cache;

    // 1. The schema panel, from the cache.
    SchemaMonitor monitor;
    QSignalSpy finished(&monitor, &SchemaMonitor::finished);
    monitor.setProject(project.value(), QString(), cache.path());
    finished.wait(600000);
    SchemaMonitor reference;
    QSignalSpy referenceReady(&reference, &SchemaMonitor::finished);
    reference.setProject(project.value(), QString(), cache.path());
    referenceReady.wait(600000);
    SchemaPanel panel(&monitor);
    panel.resize(500, 700);
    panel.show();
    QList<QString> ids;
    for (const Revision &r : project->graph.revisions())
        ids.append(r.id);
    QRandomGenerator random(3);
    QList<double> update, floor;
    for (int i = 0; i < 200; ++i) {
        const QString id = ids.at(int(random.bounded(qsizetype(ids.size()))));
        QElapsedTimer t;
        t.start();
        panel.showRevisions({id});
        QCoreApplication::processEvents();
        update.append(double(t.nsecsElapsed()) / 1e6);
        // The reference: the two snapshots read through a monitor of its own
        // (its recent snapshots kept as the panel's monitor keeps them).
        t.restart();
        reference.snapshot(id);
        reference.parentSnapshot(id);
        floor.append(double(t.nsecsElapsed()) / 1e6);
    }
    std::printf("onboarding schema panel (%lld revisions): update on selection %.1f ms median, "
                "%.1f ms worst (goal < 30 ms); loading the snapshots alone %.1f ms, ratio %.2fx\n",
                qlonglong(ids.size()), median(update),
                *std::max_element(update.cbegin(), update.cend()), median(floor),
                median(update) / std::max(0.001, median(floor)));

    // 2. A 100-table diagram: Graphviz layout + Retort's drawing.
    const Schema schema = syntheticSchema(100);
    const DiagramPainter painter(app.palette(), app.font());
    QList<double> diagram, dot;
    QTemporaryDir dir;
    QString dotText =
        QStringLiteral("digraph er { rankdir=RL; node [shape=box, fixedsize=true, label=\"\"];\n");
    const auto sizes = painter.sizes(schema);
    for (const SchemaTable &t : schema.tables)
        dotText += QStringLiteral("\"%1\" [width=%2, height=%3];\n")
                       .arg(t.name)
                       .arg(sizes.value(t.name).width() / 72)
                       .arg(sizes.value(t.name).height() / 72);
    for (const SchemaTable &t : schema.tables)
        for (const SchemaForeignKey &fk : t.foreignKeys)
            dotText += QStringLiteral("\"%1\" -> \"%2\" [dir=none];\n").arg(t.name, fk.refTable);
    dotText += u'}';
    QFile dotFile(dir.filePath(QStringLiteral("er.dot")));
    dotFile.open(QIODevice::WriteOnly);
    dotFile.write(dotText.toUtf8());
    dotFile.close();
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer t;
        t.start();
        auto layout = ErDiagram::layout(schema, {}, painter.sizes(schema));
        QImage image(layout->size.toSize(), QImage::Format_ARGB32_Premultiplied);
        QPainter p(&image);
        painter.paint(&p, schema, layout.value(), {});
        p.end();
        diagram.append(double(t.nsecsElapsed()) / 1e6);
        dot.append(runMs(QStringLiteral("dot"),
                         {QStringLiteral("-Tsvg"), QStringLiteral("-o"),
                          dir.filePath(QStringLiteral("er.svg")), dotFile.fileName()},
                         dir.path()));
    }
    ErDiagramView view;
    view.resize(1200, 800);
    view.show();
    QSignalSpy laidOut(&view, &ErDiagramView::laidOut);
    QElapsedTimer shown;
    shown.start();
    view.setSchema(schema, {}, QStringLiteral("100 tables"));
    laidOut.wait(10000);
    view.view()->viewport()->repaint();
    const double inView = double(shown.nsecsElapsed()) / 1e6;
    std::printf("onboarding diagram 100 tables: layout + drawing %.0f ms (goal < 500 ms), in the "
                "view %.0f ms; Graphviz `dot -Tsvg` alone %.0f ms, ratio %.2fx\n",
                median(diagram), inView, median(dot), median(diagram) / median(dot));

    // 3. Export of the whole history (snapshots cached by step 1? no: the
    //    command line's own cache, warmed by a first run).
    const QString projectDir = QFileInfo(ini).absolutePath();
    qputenv("XDG_CACHE_HOME", cache.path().toLocal8Bit());
    const QString html = dir.filePath(QStringLiteral("history.html"));
    const double cold =
        runMs(retort, {QStringLiteral("export"), QStringLiteral("--html"), html}, projectDir);
    QList<double> warm, alembic;
    for (int run = 0; run < 3; ++run) {
        warm.append(
            runMs(retort, {QStringLiteral("export"), QStringLiteral("--html"), html}, projectDir));
        alembic.append(
            runMs(QStringLiteral("/usr/bin/alembic"), {QStringLiteral("history")}, projectDir));
    }
    std::printf(
        "onboarding export --html (%lld revisions): %.2f s with snapshots cached (goal < 5 s), "
        "%.2f s with the replay; `alembic history` %.2f s, ratio %.2fx; %lld KB\n",
        qlonglong(ids.size()), median(warm) / 1000, cold / 1000, median(alembic) / 1000,
        median(warm) / median(alembic), QFileInfo(html).size() / 1024);
    return 0;
}
