#pragma once

#include <QStringList>

namespace Retort {

// The `retort COMMAND` front end. It parses arguments, calls core, prints.
// Returns the exit code for usage errors; after a command has run it ends
// the process itself (see the end of runCli()).
int runCli(const QStringList &arguments);

// True when the arguments name a CLI command (or --help/--version) rather
// than asking for the window.
bool isCliInvocation(const QStringList &arguments);
// Commands that draw (export, graph --format svg): they run inside the
// window's module, under a QApplication on the offscreen platform.
bool needsPainting(const QStringList &arguments);

} // namespace Retort
