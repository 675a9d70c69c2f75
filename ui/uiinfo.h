#pragma once

#include <QString>

namespace Retort {

// The window arrives with the next issue; this target exists so the build
// already links Widgets and QScintilla where they belong.
QString qscintillaVersion();

} // namespace Retort
