#pragma once

#include <QPalette>

#include <initializer_list>

class QMenu;
class QsciLexer;
class QsciScintilla;

namespace Retort::Palettes {

// View > Dark Palette: a dark Fusion palette for desktops whose theme does
// not reach Qt applications; false puts back the palette Retort started with.
void applyDark(bool dark);
// Adds View > Dark Palette to `menu`, kept in the settings and applied now.
void addDarkToggle(QMenu *menu);

// A QScintilla editor in its widget's palette: the lexer's styles on the
// Base colour with the lexer's own colours (`defaults`, styles 0 to
// `lastStyle`), plain text in Text, margins, selection and caret to match.
// Callers lift their lexer's colours for a dark palette afterwards.
void colorEditor(QsciScintilla *editor, const QsciLexer &defaults, int lastStyle,
                 std::initializer_list<int> plainStyles);
bool isDark(const QPalette &palette);

} // namespace Retort::Palettes
