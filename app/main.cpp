#include "cli.h"

#include "ui/mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

namespace {

struct GuiOptions
{
    bool demo = false;
    QString path;
    QString select;    // a revision to select once the project is read
    QString openFile;  // FILE or FILE:LINE to open once the project is read
    QString normalize; // a revision to open the Normalize dialog for
    QString error;
};

GuiOptions parseGuiOptions(const QStringList &arguments)
{
    GuiOptions o;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == u"--demo") {
            o.demo = true;
        } else if ((a == u"--select" || a == u"--open" || a == u"--normalize") &&
                   i + 1 < arguments.size()) {
            (a == u"--select" ? o.select
             : a == u"--open" ? o.openFile
                              : o.normalize) = arguments.at(++i);
        } else if (a.startsWith(u'-') && a != u"-") {
            // Qt's own options (-platform, -style, ...) were taken by QApplication.
            o.error = QStringLiteral("unknown option '%1' (see retort --help)").arg(a);
        } else if (o.path.isEmpty()) {
            o.path = a;
        } else {
            o.error = QStringLiteral("open one project at a time");
        }
    }
    return o;
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (Retort::isCliInvocation(arguments)) {
        // The CLI never needs a display, and skips the GUI's start-up cost.
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("retort"));
        QCoreApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));
        return Retort::runCli(arguments);
    }

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));
    const GuiOptions options = parseGuiOptions(QCoreApplication::arguments());
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "retort: %s\n", qPrintable(options.error));
        return 2;
    }

    Retort::MainWindow window;
    window.show();
    if (!options.select.isEmpty() || !options.openFile.isEmpty() || !options.normalize.isEmpty()) {
        QObject::connect(
            &window, &Retort::MainWindow::projectLoaded, &window,
            [&window, options] {
                if (!options.select.isEmpty())
                    window.selectRevision(options.select);
                if (!options.openFile.isEmpty()) {
                    const qsizetype colon = options.openFile.lastIndexOf(u':');
                    bool ok = false;
                    const int line = colon > 0 ? options.openFile.mid(colon + 1).toInt(&ok) : 0;
                    window.openFile(ok ? options.openFile.left(colon) : options.openFile,
                                    ok ? line : 0);
                }
                if (!options.normalize.isEmpty())
                    QTimer::singleShot(0, &window, [&window, options] {
                        window.normalizeRevision(options.normalize);
                    });
            },
            Qt::SingleShotConnection);
    }
    if (options.demo)
        QTimer::singleShot(0, &window, &Retort::MainWindow::openDemoProject);
    else if (!options.path.isEmpty())
        window.openProject(options.path);
    return app.exec();
}
