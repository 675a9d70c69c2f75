#include "cli.h"
#include "clicommon.h"
#include "core/modules.h"
#include "core/workers.h"
#include "guimain.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibrary>

#include <cstdio>

namespace {

// The window lives in a module beside the executable (or in ../lib/retort
// when installed), loaded only when the window is wanted.
template<typename Entry> Entry loadGui(const char *symbol, QString *error)
{
    return reinterpret_cast<Entry>(
        Retort::Modules::symbol(QStringLiteral("retort-gui"), symbol, error));
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (!Retort::isCliInvocation(arguments)) {
        // Qt aborts when it finds no display; say so first, with the way out.
        const bool platformGiven = qEnvironmentVariableIsSet("QT_QPA_PLATFORM") ||
                                   arguments.contains(QStringLiteral("-platform"));
        if (!platformGiven && qEnvironmentVariableIsEmpty("DISPLAY") &&
            qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
            std::fprintf(stderr,
                         "retort: there is no display to open the window on (neither DISPLAY nor "
                         "WAYLAND_DISPLAY is set).\n"
                         "The commands work without one: retort history, heads, check, plan, "
                         "upgrade, ... (see retort --help).\n"
                         "To see the window anyway: xvfb-run retort ..., or "
                         "QT_QPA_PLATFORM=offscreen for no screen at all.\n");
            return 2;
        }
        QString error;
        if (auto gui = loadGui<RetortGuiMain>("retortGuiMain", &error))
            return gui(argc, argv, RETORT_VERSION);
        std::fprintf(stderr, "retort: cannot open the window: %s\n", qPrintable(error));
        return 1;
    }
    // Commands read the project on all cores: the helper threads start now,
    // so that they are running by the time the folder is listed.
    Retort::Workers::prestart();
    if (Retort::needsPainting(arguments)) {
        // Drawing needs Qt Gui: the command runs under the module's QApplication.
        QString error;
        if (auto painting = loadGui<RetortPaintingMain>("retortPaintingMain", &error))
            return painting(argc, argv, RETORT_VERSION, &Retort::runCli);
        std::fprintf(stderr, "retort: cannot load the drawing module: %s\n", qPrintable(error));
        return 1;
    }
    QCoreApplication app(argc, argv);
    // The same settings (profiles) as the window: organization and application "Retort".
    QCoreApplication::setOrganizationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));
    return Retort::runCli(arguments);
}
