#pragma once

#include "sourcespan.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Retort {

// The statically read value of a top-level assignment such as
// `down_revision = ("a", "b")`. Only literals are understood; anything else
// is NotLiteral and the reader reports it rather than guessing.
struct PythonValue
{
    enum class Kind : quint8
    {
        Missing,
        None,
        String,
        Sequence,
        NotLiteral
    };

    // (Ordered to pack: a project's files hold four values each.)
    QStringList items;           // one item for String, the elements for Sequence
    QList<SourceSpan> itemSpans; // where each item's literal stands (Detail::Full only)
    QString notLiteralReason;    // for NotLiteral
    SourceSpan span;             // the whole right-hand side
    Kind kind = Kind::Missing;
    bool isTuple = false; // Sequence written as a tuple, not a list
    char quote = '"';     // the quote character of the first string literal

    bool isMissing() const { return kind == Kind::Missing; }
    bool isLiteral() const
    {
        return kind == Kind::None || kind == Kind::String || kind == Kind::Sequence;
    }
    // Alembic's util.to_tuple(): None and missing are empty.
    QStringList toList() const { return isLiteral() ? items : QStringList(); }
    QString first() const { return items.isEmpty() ? QString() : items.first(); }
};

} // namespace Retort
