#pragma once

#include <QtGlobal>

#if defined(RETORT_GUI_BUILD)
#define RETORT_GUI_EXPORT Q_DECL_EXPORT
#else
#define RETORT_GUI_EXPORT Q_DECL_IMPORT
#endif

// Runs the window; `retort` resolves this from the retort-gui module.
extern "C" RETORT_GUI_EXPORT int retortGuiMain(int argc, char **argv, const char *version);
using RetortGuiMain = int (*)(int, char **, const char *);
