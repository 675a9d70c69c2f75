#include "sqlview.h"

#include "ui/palettes.h"

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
    auto *lexer = qobject_cast<QsciLexerSQL *>(this->lexer());
    Palettes::colorEditor(this, QsciLexerSQL(), QsciLexerSQL::QuotedOperator,
                          {QsciLexerSQL::Default, QsciLexerSQL::Identifier});
    if (Palettes::isDark(palette())) {
        lexer->setColor(QColor(0x7f, 0xb8, 0x7f), QsciLexerSQL::Comment);
        lexer->setColor(QColor(0x7f, 0xb8, 0x7f), QsciLexerSQL::CommentLine);
        lexer->setColor(QColor(0x8a, 0xb4, 0xf8), QsciLexerSQL::Keyword);
        lexer->setColor(QColor(0xe6, 0xb4, 0x6e), QsciLexerSQL::SingleQuotedString);
        lexer->setColor(QColor(0xe6, 0xb4, 0x6e), QsciLexerSQL::DoubleQuotedString);
        lexer->setColor(QColor(0xd8, 0xa0, 0xdf), QsciLexerSQL::Number);
        lexer->setColor(QColor(0xe0, 0xe0, 0xe0), QsciLexerSQL::Operator);
    }
}

} // namespace Retort
