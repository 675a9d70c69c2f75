#include "cli.h"
#include "guimain.h"

#include "core/db/profilestore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibrary>

#include <cstdio>

namespace {

// The window lives in a module beside the executable (or in ../lib/retort
// when installed), loaded only when the window is wanted.
RetortGuiMain loadGui(QString *error)
{
    const QString exeDir = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    for (const QString &dir : QStringList{exeDir, exeDir + QStringLiteral("/../lib/retort")}) {
        QLibrary library(dir + QStringLiteral("/retort-gui"));
        if (library.load()) {
            if (auto entry = reinterpret_cast<RetortGuiMain>(library.resolve("retortGuiMain")))
                return entry;
        }
        *error = library.errorString();
    }
    return nullptr;
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
        if (RetortGuiMain gui = loadGui(&error))
            return gui(argc, argv, RETORT_VERSION);
        std::fprintf(stderr, "retort: cannot open the window: %s\n", qPrintable(error));
        return 1;
    }
    QCoreApplication app(argc, argv);
    // The same settings (profiles) as the window: organization and application "Retort".
    QCoreApplication::setOrganizationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));
    Retort::ProfileStore::migrateLegacySettings();
    return Retort::runCli(arguments);
}
