#include "cli.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (Retort::isCliInvocation(arguments) || true) {
        // The CLI never needs a display, and skips the GUI's start-up cost.
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("retort"));
        QCoreApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));
        return Retort::runCli(arguments);
    }
}
