#include "statementsplitter.h"

#include <QRegularExpression>

namespace Retort {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

// Transaction control that Alembic writes around its output.
bool isTransactionControl(const QString &statement)
{
    static const QRegularExpression re(
        QStringLiteral("^(BEGIN|BEGIN TRANSACTION|START TRANSACTION|COMMIT|END|ROLLBACK)$"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(statement.simplified()).hasMatch();
}

bool startsTrigger(const QString &statement)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*CREATE\\s+(OR\\s+REPLACE\\s+)?(TEMP\\s+|TEMPORARY\\s+)?(DEFINER\\s*="
                       "\\s*\\S+\\s+)?TRIGGER\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(statement).hasMatch();
}

} // namespace

QList<SqlStatement> StatementSplitter::split(const QString &sql, Dialect dialect)
{
    QList<SqlStatement> out;
    const qsizetype n = sql.size();
    QString current;
    int line = 1;
    int startLine = 0;  // line of the current statement's first real character
    int blockDepth = 0; // BEGIN ... END nesting inside a trigger body
    bool trigger = false;

    auto finish = [&] {
        const QString text = current.trimmed();
        if (!text.isEmpty() && !isTransactionControl(text))
            out.append({text, startLine});
        current.clear();
        startLine = 0;
        blockDepth = 0;
        trigger = false;
    };
    auto begin = [&] {
        if (startLine == 0)
            startLine = line;
    };

    qsizetype i = 0;
    while (i < n) {
        const QChar c = sql.at(i);
        const QChar next = i + 1 < n ? sql.at(i + 1) : QChar();
        if (c == u'\n') {
            ++line;
            current += c;
            ++i;
            continue;
        }
        // Comments: dropped from the statement text.
        if (c == u'-' && next == u'-') {
            while (i < n && sql.at(i) != u'\n')
                ++i;
            continue;
        }
        if (c == u'#' && dialect == Dialect::MySQL) {
            while (i < n && sql.at(i) != u'\n')
                ++i;
            continue;
        }
        if (c == u'/' && next == u'*') {
            i += 2;
            while (i < n && !(sql.at(i) == u'*' && i + 1 < n && sql.at(i + 1) == u'/')) {
                if (sql.at(i) == u'\n')
                    ++line;
                ++i;
            }
            i = qMin(n, i + 2);
            current += u' ';
            continue;
        }
        // Quoted text: copied whole.
        if (c == u'\'' || c == u'"' || (c == u'`' && dialect == Dialect::MySQL)) {
            begin();
            const QChar quote = c;
            current += c;
            ++i;
            while (i < n) {
                const QChar d = sql.at(i);
                current += d;
                ++i;
                if (d == u'\n')
                    ++line;
                if (d == u'\\' && quote == u'\'' && dialect == Dialect::MySQL && i < n) {
                    current += sql.at(i);
                    ++i;
                    continue;
                }
                if (d == quote) {
                    if (i < n && sql.at(i) == quote) { // doubled quote
                        current += sql.at(i);
                        ++i;
                        continue;
                    }
                    break;
                }
            }
            continue;
        }
        if (c == u'$' && dialect != Dialect::MySQL) {
            // $tag$ ... $tag$ (the tag may be empty)
            qsizetype j = i + 1;
            while (j < n && (isWordChar(sql.at(j))) && !sql.at(j).isDigit())
                ++j;
            if (j < n && sql.at(j) == u'$' && !(i > 0 && isWordChar(sql.at(i - 1)))) {
                const QString tag = sql.mid(i, j - i + 1);
                const qsizetype end = sql.indexOf(tag, j + 1);
                const qsizetype stop = end < 0 ? n : end + tag.size();
                begin();
                const QString quoted = sql.mid(i, stop - i);
                line += int(quoted.count(u'\n'));
                current += quoted;
                i = stop;
                continue;
            }
        }
        if (c == u';' && blockDepth == 0) {
            finish();
            ++i;
            continue;
        }
        if (isWordChar(c) && !(i > 0 && isWordChar(sql.at(i - 1)))) {
            begin();
            qsizetype j = i;
            while (j < n && isWordChar(sql.at(j)))
                ++j;
            const QString word = sql.mid(i, j - i);
            if (!trigger && word.compare(QLatin1String("TRIGGER"), Qt::CaseInsensitive) == 0)
                trigger = startsTrigger(current + word);
            if (trigger) {
                if (word.compare(QLatin1String("BEGIN"), Qt::CaseInsensitive) == 0)
                    ++blockDepth;
                else if (word.compare(QLatin1String("CASE"), Qt::CaseInsensitive) == 0 &&
                         blockDepth > 0)
                    ++blockDepth; // CASE ... END inside a trigger body
                else if (word.compare(QLatin1String("END"), Qt::CaseInsensitive) == 0 &&
                         blockDepth > 0)
                    --blockDepth;
            }
            current += word;
            i = j;
            continue;
        }
        if (!c.isSpace())
            begin();
        current += c;
        ++i;
    }
    finish();
    return out;
}

} // namespace Retort
