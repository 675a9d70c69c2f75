#include "sqlview.h"

#include <Qsci/qscilexersql.h>

#include <QEvent>
#include <QFontDatabase>

namespace Retort {

SqlView::SqlView(QWidget *parent)
    : QsciScintilla(parent)
{
    setObjectName(QStringLiteral("sqlView"));
    auto *lexer = new QsciLexerSQL(this);
    lexer->setDefaultFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    lexer->setFoldComments(true);
    setLexer(lexer);
    setReadOnly(true);
    setWrapMode(QsciScintilla::WrapWord);
    setMarginWidth(1, 0);
    setMarginLineNumbers(0, true);
    setMarginWidth(0, QStringLiteral("0000"));
    applyColors();
}

void SqlView::setSql(const QString &sql)
{
    setReadOnly(false);
    setText(sql);
    setReadOnly(true);
}

void SqlView::changeEvent(QEvent *event)
{
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
}

void SqlView::applyColors()
{
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    auto *lexer = qobject_cast<QsciLexerSQL *>(this->lexer());
    QsciLexerSQL defaults;
    lexer->setDefaultPaper(pal.color(QPalette::Base));
    lexer->setDefaultColor(pal.color(QPalette::Text));
    for (int style = 0; style <= QsciLexerSQL::QuotedOperator; ++style) {
        lexer->setPaper(pal.color(QPalette::Base), style);
        lexer->setColor(defaults.color(style), style);
    }
    lexer->setColor(pal.color(QPalette::Text), QsciLexerSQL::Default);
    lexer->setColor(pal.color(QPalette::Text), QsciLexerSQL::Identifier);
    if (dark) {
        lexer->setColor(QColor(0x7f, 0xb8, 0x7f), QsciLexerSQL::Comment);
        lexer->setColor(QColor(0x7f, 0xb8, 0x7f), QsciLexerSQL::CommentLine);
        lexer->setColor(QColor(0x8a, 0xb4, 0xf8), QsciLexerSQL::Keyword);
        lexer->setColor(QColor(0xe6, 0xb4, 0x6e), QsciLexerSQL::SingleQuotedString);
        lexer->setColor(QColor(0xe6, 0xb4, 0x6e), QsciLexerSQL::DoubleQuotedString);
        lexer->setColor(QColor(0xd8, 0xa0, 0xdf), QsciLexerSQL::Number);
        lexer->setColor(QColor(0xe0, 0xe0, 0xe0), QsciLexerSQL::Operator);
    }
    setMarginsBackgroundColor(pal.color(QPalette::Window));
    setMarginsForegroundColor(pal.color(QPalette::PlaceholderText));
    setSelectionBackgroundColor(pal.color(QPalette::Highlight));
    setSelectionForegroundColor(pal.color(QPalette::HighlightedText));
    setCaretForegroundColor(pal.color(QPalette::Text));
}

} // namespace Retort
