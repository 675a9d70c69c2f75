// The window's entry point, in a module that `retort` loads only when it
// opens the window: the command line then never pays for loading Qt Widgets,
// Qt Gui and QScintilla.
#include "guimain.h"

#include "ui/db/connectionspanel.h"
#include "ui/db/databaseactions.h"
#include "ui/mainwindow.h"
#include "ui/schema/historyexport.h"

#include "core/db/databasemonitor.h"

#include "core/db/profilestore.h"

#include <QApplication>
#include <QSaveFile>
#include <QStyle>
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
    QString database;  // the database to make active
    QString migrate;   // plan an upgrade (or downgrade) to this target in the runner
    bool downgrade = false;
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
        } else if ((a == u"--database" || a == u"--upgrade" || a == u"--downgrade") &&
                   i + 1 < arguments.size()) {
            (a == u"--database" ? o.database : o.migrate) = arguments.at(++i);
            o.downgrade = o.downgrade || a == u"--downgrade";
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

extern "C" RETORT_GUI_EXPORT int retortGuiMain(int argc, char **argv, const char *version)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(version));
    Retort::ProfileStore::migrateLegacySettings();
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
                // Any identifier the CLI takes; what does not resolve is said.
                auto report = [](const QString &option, const QString &error) {
                    if (!error.isEmpty())
                        std::fprintf(stderr, "retort: %s: %s\n", qPrintable(option),
                                     qPrintable(error));
                };
                if (!options.select.isEmpty())
                    report(QStringLiteral("--select ") + options.select,
                           window.goToRevision(options.select));
                if (!options.openFile.isEmpty()) {
                    const qsizetype colon = options.openFile.lastIndexOf(u':');
                    bool ok = false;
                    const int line = colon > 0 ? options.openFile.mid(colon + 1).toInt(&ok) : 0;
                    window.openFile(ok ? options.openFile.left(colon) : options.openFile,
                                    ok ? line : 0);
                }
                if (!options.normalize.isEmpty()) {
                    const QString error = window.goToRevision(options.normalize);
                    report(QStringLiteral("--normalize ") + options.normalize, error);
                    if (error.isEmpty())
                        QTimer::singleShot(0, &window, [&window, options] {
                            window.normalizeRevision(
                                window.resolveRevision(options.normalize).value());
                        });
                }
            },
            Qt::SingleShotConnection);
    }
    if (!options.database.isEmpty() || !options.migrate.isEmpty()) {
        // Once the project is read: the database made active, and once that
        // database is read, the migration planned (never run) in the runner.
        QObject::connect(
            &window, &Retort::MainWindow::projectLoaded, &window,
            [&window, options] {
                if (!options.database.isEmpty())
                    window.connectionsPanel()->setActive(options.database);
                if (options.migrate.isEmpty())
                    return;
                auto *pending = new QMetaObject::Connection;
                *pending = QObject::connect(
                    window.databases(), &Retort::DatabaseMonitor::changed, &window,
                    [&window, options, pending] {
                        const auto *db =
                            window.databases()->find(window.connectionsPanel()->activeName());
                        if (!db || db->status == Retort::MonitoredDatabase::Status::Reading)
                            return;
                        QObject::disconnect(*pending);
                        delete pending;
                        QTimer::singleShot(0, &window, [&window, options] {
                            window.databaseActions()->migrate(options.migrate, !options.downgrade);
                        });
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

extern "C" RETORT_GUI_EXPORT int retortPaintingMain(int argc, char **argv, const char *version,
                                                    int (*cli)(const QStringList &))
{
    // Drawing needs no screen: offscreen unless the user chose a platform.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationName(QStringLiteral("Retort"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(version));
    Retort::ProfileStore::migrateLegacySettings();
    // Exports look the same on every desktop: the light palette, Fusion.
    QApplication::setStyle(QStringLiteral("Fusion"));
    return cli(QCoreApplication::arguments());
}

extern "C" RETORT_GUI_EXPORT bool retortExport(const Retort::Project *project,
                                               const Retort::SchemaSource *schema,
                                               const QString *format, const QString *target,
                                               QString *error)
{
    using namespace Retort;
    QStringList files;
    for (const RevisionFile &f : project->graph.files())
        files.append(f.path);
    // Outside a git work tree there are simply no authors.
    const auto git = GitFacts::of(files);
    QPalette palette = QApplication::style()->standardPalette();
    HistoryExport out(*project, *schema, git ? git.value() : QHash<QString, GitFileFacts>(),
                      palette, QApplication::font());
    if (*format == u"graph-svg") {
        out.paintHistory();
        const QByteArray svg = out.historySvg();
        if (*target == u"-" || target->isEmpty()) {
            std::fwrite(svg.constData(), 1, size_t(svg.size()), stdout);
            return true;
        }
        QSaveFile file(*target);
        if (!file.open(QIODevice::WriteOnly) || file.write(svg) != svg.size() || !file.commit()) {
            *error = QStringLiteral("cannot write %1: %2").arg(*target, file.errorString());
            return false;
        }
        return true;
    }
    if (*format == u"markdown") {
        auto written = out.writeMarkdown(*target);
        if (!written)
            *error = written.error();
        return bool(written);
    }
    auto written = out.writeHtml(*target);
    if (!written)
        *error = written.error();
    return bool(written);
}
