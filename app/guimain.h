#pragma once

#include <QStringList>
#include <QtGlobal>

#if defined(RETORT_GUI_BUILD)
#define RETORT_GUI_EXPORT Q_DECL_EXPORT
#else
#define RETORT_GUI_EXPORT Q_DECL_IMPORT
#endif

// Runs the window; `retort` resolves this from the retort-gui module.
extern "C" RETORT_GUI_EXPORT int retortGuiMain(int argc, char **argv, const char *version);
using RetortGuiMain = int (*)(int, char **, const char *);

// Commands that draw (export, graph --format svg): a QApplication on the
// offscreen platform, then the command line's own `cli` runs the command.
extern "C" RETORT_GUI_EXPORT int retortPaintingMain(int argc, char **argv, const char *version,
                                                    int (*cli)(const QStringList &));
using RetortPaintingMain = int (*)(int, char **, const char *, int (*)(const QStringList &));

namespace Retort {
struct Project;
struct SchemaSource;
} // namespace Retort
// Draws and writes the export: `format` "html" (target a file), "markdown"
// (a folder) or "graph-svg" (a file, or "-" for stdout). False with `error`.
extern "C" RETORT_GUI_EXPORT bool retortExport(const Retort::Project *project,
                                               const Retort::SchemaSource *schema,
                                               const QString *format, const QString *target,
                                               QString *error);
using RetortExport = bool (*)(const Retort::Project *, const Retort::SchemaSource *,
                              const QString *, const QString *, QString *);
