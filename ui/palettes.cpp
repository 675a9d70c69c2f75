#include "palettes.h"

#include <Qsci/qscilexer.h>
#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QPalette>
#include <QSettings>

namespace Retort::Palettes {

void applyDark(bool dark)
{
    static const QPalette original = QApplication::palette();
    if (!dark) {
        QApplication::setPalette(original);
        return;
    }
    QApplication::setStyle(QStringLiteral("Fusion"));
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::PlaceholderText, QColor(0x86, 0x8a, 0x91));
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ButtonText, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Highlight, QColor(0x2e, 0x5f, 0x9e));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ToolTipText, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6c, 0x70, 0x76));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6c, 0x70, 0x76));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6c, 0x70, 0x76));
    QApplication::setPalette(p);
}

void addDarkToggle(QMenu *menu)
{
    // For desktops whose theme does not reach Qt applications.
    QAction *dark = menu->addAction(QObject::tr("&Dark Palette"));
    dark->setObjectName(QStringLiteral("darkPaletteAction"));
    dark->setCheckable(true);
    dark->setChecked(QSettings().value(QStringLiteral("ui/darkPalette")).toBool());
    QObject::connect(dark, &QAction::toggled, menu, [](bool on) {
        QSettings().setValue(QStringLiteral("ui/darkPalette"), on);
        applyDark(on);
    });
    if (dark->isChecked())
        applyDark(true);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

void colorEditor(QsciScintilla *editor, const QsciLexer &defaults, int lastStyle,
                 std::initializer_list<int> plainStyles)
{
    const QPalette pal = editor->palette();
    QsciLexer *lexer = editor->lexer();
    lexer->setDefaultPaper(pal.color(QPalette::Base));
    lexer->setDefaultColor(pal.color(QPalette::Text));
    for (int style = 0; style <= lastStyle; ++style) {
        lexer->setPaper(pal.color(QPalette::Base), style);
        lexer->setColor(defaults.color(style), style);
    }
    for (int style : plainStyles)
        lexer->setColor(pal.color(QPalette::Text), style);
    editor->setMarginsBackgroundColor(pal.color(QPalette::Window));
    editor->setMarginsForegroundColor(pal.color(QPalette::PlaceholderText));
    editor->setSelectionBackgroundColor(pal.color(QPalette::Highlight));
    editor->setSelectionForegroundColor(pal.color(QPalette::HighlightedText));
    editor->setCaretForegroundColor(pal.color(QPalette::Text));
}

} // namespace Retort::Palettes
