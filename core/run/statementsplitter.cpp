#include "statementsplitter.h"

namespace Retort {

namespace {

using Dialect = StatementSplitter::Dialect;

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c.unicode() >= 0x80;
}

bool is(QStringView word, QLatin1String keyword)
{
    return word.compare(keyword, Qt::CaseInsensitive) == 0;
}

// Transaction control that Alembic writes around its output.
bool isTransactionControl(QStringView statement)
{
    const QString s = statement.toString().simplified().toUpper();
    return s == u"BEGIN" || s == u"BEGIN TRANSACTION" || s == u"START TRANSACTION" ||
           s == u"COMMIT" || s == u"END" || s == u"ROLLBACK" || s == u"BEGIN WORK" ||
           s == u"COMMIT WORK";
}

// One pass over the script, character by character, following the lexical
// rules of the dialect: quotes, comments and the bodies of compound
// statements decide which ';' end a statement.
class Splitter
{
public:
    Splitter(const QString &sql, Dialect dialect)
        : m_sql(sql)
        , m_n(sql.size())
        , m_dialect(dialect)
    {}

    QList<SqlStatement> run();

private:
    QChar at(qsizetype i) const { return i < m_n ? m_sql.at(i) : QChar(); }
    bool mysql() const { return m_dialect == Dialect::MySQL; }
    bool postgres() const { return m_dialect == Dialect::PostgreSQL; }
    void startStatement()
    {
        if (m_startLine == 0) {
            m_startLine = m_line;
            m_start = m_i;
        }
    }
    // Copies [from, to) into the statement, counting lines.
    void take(qsizetype to)
    {
        for (qsizetype k = m_i; k < to; ++k) {
            if (m_sql.at(k) == u'\n')
                ++m_line;
        }
        m_current += QStringView(m_sql).mid(m_i, to - m_i);
        m_i = to;
    }
    void skip(qsizetype to)
    {
        for (qsizetype k = m_i; k < to; ++k) {
            if (m_sql.at(k) == u'\n')
                ++m_line;
        }
        m_i = to;
    }
    void finish();
    qsizetype quotedEnd(qsizetype from, QChar quote, bool backslashes) const;
    qsizetype blockCommentEnd(qsizetype from, bool nested) const;
    void word(QStringView w);
    QStringView nextWord(qsizetype from) const;

    const QString &m_sql;
    const qsizetype m_n;
    const Dialect m_dialect;
    QList<SqlStatement> m_out;
    QString m_current;
    qsizetype m_i = 0;
    qsizetype m_start = 0;
    int m_line = 1;
    int m_startLine = 0;
    // The statement being read: its first word, whether it creates a routine
    // or trigger, the open blocks of its body, and what came last.
    QString m_firstWord;
    bool m_routine = false;
    int m_depth = 0;
    bool m_bodyStatementStart = false; // inside a body, at the start of a statement
    QString m_pendingEnd;              // after END: the word that may name the block
    QString m_previousWord;
};

qsizetype Splitter::quotedEnd(qsizetype from, QChar quote, bool backslashes) const
{
    qsizetype i = from + 1;
    while (i < m_n) {
        const QChar d = m_sql.at(i);
        if (d == u'\\' && backslashes) {
            i += 2;
            continue;
        }
        if (d == quote) {
            if (at(i + 1) == quote) { // doubled quote
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return m_n;
}

qsizetype Splitter::blockCommentEnd(qsizetype from, bool nested) const
{
    int depth = 1;
    qsizetype i = from + 2;
    while (i < m_n) {
        if (nested && m_sql.at(i) == u'/' && at(i + 1) == u'*') {
            ++depth;
            i += 2;
            continue;
        }
        if (m_sql.at(i) == u'*' && at(i + 1) == u'/') {
            i += 2;
            if (--depth == 0)
                return i;
            continue;
        }
        ++i;
    }
    return m_n;
}

QStringView Splitter::nextWord(qsizetype from) const
{
    qsizetype i = from;
    while (i < m_n && m_sql.at(i).isSpace())
        ++i;
    qsizetype j = i;
    while (j < m_n && isWordChar(m_sql.at(j)))
        ++j;
    return QStringView(m_sql).mid(i, j - i);
}

void Splitter::finish()
{
    const QString text = m_current.trimmed();
    if (!text.isEmpty() && !isTransactionControl(text))
        m_out.append({text, m_startLine});
    m_current.clear();
    m_startLine = 0;
    m_firstWord.clear();
    m_routine = false;
    m_depth = 0;
    m_bodyStatementStart = false;
    m_pendingEnd.clear();
    m_previousWord.clear();
}

// Keeps count of the blocks of a compound statement's body: BEGIN ... END
// (PostgreSQL: BEGIN ATOMIC), CASE ... END [CASE], and in MySQL bodies
// IF / WHILE / LOOP / REPEAT ... END IF / WHILE / LOOP / REPEAT.
void Splitter::word(QStringView w)
{
    if (m_firstWord.isEmpty()) {
        m_firstWord = w.toString().toUpper();
        // MariaDB's anonymous block: BEGIN NOT ATOMIC ... END
        if (mysql() && is(w, QLatin1String("BEGIN")) &&
            is(nextWord(m_i + w.size()), QLatin1String("NOT"))) {
            m_routine = true;
        }
    }
    const bool creates = m_firstWord == u"CREATE" || m_firstWord == u"ALTER";
    if (creates && m_depth == 0 &&
        (is(w, QLatin1String("TRIGGER")) || is(w, QLatin1String("PROCEDURE")) ||
         is(w, QLatin1String("FUNCTION")) || is(w, QLatin1String("EVENT"))))
        m_routine = true;
    const QString previous = std::exchange(m_previousWord, w.toString());
    if (!m_routine)
        return;

    const bool statementStart = m_bodyStatementStart;
    m_bodyStatementStart = false;
    if (!m_pendingEnd.isEmpty()) {
        // END IF / END WHILE / END LOOP / END REPEAT / END CASE name the block.
        m_pendingEnd.clear();
        if (is(w, QLatin1String("IF")) || is(w, QLatin1String("WHILE")) ||
            is(w, QLatin1String("LOOP")) || is(w, QLatin1String("REPEAT")) ||
            is(w, QLatin1String("CASE")))
            return;
    }
    if (is(w, QLatin1String("BEGIN"))) {
        if (!postgres() || is(nextWord(m_i + w.size()), QLatin1String("ATOMIC"))) {
            ++m_depth;
            m_bodyStatementStart = true;
        }
        return;
    }
    // A MySQL trigger's body follows FOR EACH ROW, with or without BEGIN.
    if (mysql() && is(w, QLatin1String("ROW")) && is(previous, QLatin1String("EACH"))) {
        m_bodyStatementStart = true;
        return;
    }
    if (m_depth == 0 && !statementStart)
        return;
    if (is(w, QLatin1String("END"))) {
        if (m_depth > 0)
            --m_depth;
        m_pendingEnd = w.toString();
        return;
    }
    if (is(w, QLatin1String("CASE"))) {
        ++m_depth;
        return;
    }
    if (mysql() && statementStart &&
        (is(w, QLatin1String("IF")) || is(w, QLatin1String("WHILE")) ||
         is(w, QLatin1String("LOOP")) || is(w, QLatin1String("REPEAT")))) {
        ++m_depth;
        if (is(w, QLatin1String("LOOP")) || is(w, QLatin1String("REPEAT")))
            m_bodyStatementStart = true;
        return;
    }
    // A body statement starts again after these.
    if (is(w, QLatin1String("THEN")) || is(w, QLatin1String("ELSE")) || is(w, QLatin1String("DO")))
        m_bodyStatementStart = true;
}

QList<SqlStatement> Splitter::run()
{
    while (m_i < m_n) {
        const QChar c = m_sql.at(m_i);
        const QChar next = at(m_i + 1);
        if (c.isSpace()) {
            take(m_i + 1);
            continue;
        }
        // Comments. MySQL's `--` needs a space after it; its /*! ... */ and
        // MariaDB's /*M! ... */ are code and stay in the statement.
        if (c == u'-' && next == u'-' && (!mysql() || at(m_i + 2).isSpace() || m_i + 2 >= m_n)) {
            qsizetype end = m_sql.indexOf(u'\n', m_i);
            skip(end < 0 ? m_n : end);
            continue;
        }
        if (c == u'#' && mysql()) {
            qsizetype end = m_sql.indexOf(u'\n', m_i);
            skip(end < 0 ? m_n : end);
            continue;
        }
        if (c == u'/' && next == u'*') {
            const bool code =
                mysql() && (at(m_i + 2) == u'!' || (at(m_i + 2) == u'M' && at(m_i + 3) == u'!'));
            const qsizetype end = blockCommentEnd(m_i, postgres());
            if (code) {
                startStatement();
                take(end);
            } else {
                skip(end);
                m_current += u' ';
            }
            continue;
        }
        // Quoted text, copied whole.
        if (c == u'\'' || c == u'"' || (c == u'`' && (mysql() || m_dialect == Dialect::SQLite)) ||
            (c == u'[' && m_dialect == Dialect::SQLite)) {
            startStatement();
            // PostgreSQL's E'...' takes backslash escapes; MySQL's strings do.
            const bool escapeString = postgres() && c == u'\'' && m_i > 0 &&
                                      (m_sql.at(m_i - 1) == u'E' || m_sql.at(m_i - 1) == u'e') &&
                                      !(m_i > 1 && isWordChar(m_sql.at(m_i - 2)));
            const bool backslashes = (mysql() && c != u'`') || escapeString;
            take(c == u'[' ? qMax(m_i + 1, m_sql.indexOf(u']', m_i) + 1)
                           : quotedEnd(m_i, c, backslashes));
            if (c == u'[' && m_current.back() != u']')
                take(m_n);
            m_bodyStatementStart = false;
            continue;
        }
        // PostgreSQL dollar quotes: $tag$ ... $tag$, the tag an identifier
        // without '$' (digits allowed after the first character) or empty.
        if (c == u'$' && postgres() && !(m_i > 0 && isWordChar(m_sql.at(m_i - 1)))) {
            qsizetype j = m_i + 1;
            if (j < m_n && (isWordChar(m_sql.at(j)) && !m_sql.at(j).isDigit())) {
                while (j < m_n && isWordChar(m_sql.at(j)))
                    ++j;
            }
            if (j < m_n && m_sql.at(j) == u'$') {
                const QString tag = m_sql.mid(m_i, j - m_i + 1);
                const qsizetype end = m_sql.indexOf(tag, j + 1);
                startStatement();
                take(end < 0 ? m_n : end + tag.size());
                continue;
            }
        }
        if (c == u';') {
            if (m_depth == 0) {
                ++m_i;
                finish();
                continue;
            }
            m_bodyStatementStart = true;
            take(m_i + 1);
            continue;
        }
        if (isWordChar(c)) {
            startStatement();
            qsizetype j = m_i;
            while (j < m_n && isWordChar(m_sql.at(j)))
                ++j;
            const QStringView w = QStringView(m_sql).mid(m_i, j - m_i);
            // A label (`name:`) leaves the body at a statement start.
            const bool label = m_bodyStatementStart && at(j) == u':' && at(j + 1) != u'=';
            if (!label)
                word(w);
            take(j);
            continue;
        }
        startStatement();
        take(m_i + 1);
    }
    finish();
    return m_out;
}

} // namespace

QList<SqlStatement> StatementSplitter::split(const QString &sql, Dialect dialect)
{
    return Splitter(sql, dialect).run();
}

} // namespace Retort
