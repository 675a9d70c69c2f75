#include "tomltable.h"

#include <QStringList>

namespace Retort {

namespace {

class Parser
{
public:
    explicit Parser(const QString &s)
        : m_s(s)
    {}

    void skipSpace(bool newlines)
    {
        while (m_pos < m_s.size()) {
            const QChar c = m_s.at(m_pos);
            if (c == u' ' || c == u'\t' || (newlines && (c == u'\n' || c == u'\r'))) {
                ++m_pos;
            } else if (newlines && c == u'#') {
                while (m_pos < m_s.size() && m_s.at(m_pos) != u'\n')
                    ++m_pos;
            } else {
                break;
            }
        }
    }

    bool value(QVariant *out)
    {
        skipSpace(false);
        if (m_pos >= m_s.size())
            return fail(QStringLiteral("missing value"));
        const QChar c = m_s.at(m_pos);
        if (c == u'"' || c == u'\'') {
            QString str;
            if (!string(&str))
                return false;
            *out = str;
            return true;
        }
        if (c == u'[') {
            ++m_pos;
            QVariantList list;
            for (;;) {
                skipSpace(true);
                if (m_pos >= m_s.size())
                    return fail(QStringLiteral("unterminated array"));
                if (m_s.at(m_pos) == u']') {
                    ++m_pos;
                    break;
                }
                QVariant item;
                if (!value(&item))
                    return false;
                list.append(item);
                skipSpace(true);
                if (m_pos < m_s.size() && m_s.at(m_pos) == u',')
                    ++m_pos;
            }
            *out = list;
            return true;
        }
        if (c == u'{') {
            int depth = 0;
            for (; m_pos < m_s.size(); ++m_pos) {
                if (m_s.at(m_pos) == u'{')
                    ++depth;
                else if (m_s.at(m_pos) == u'}' && --depth == 0) {
                    ++m_pos;
                    break;
                }
            }
            *out = QVariant();
            return true;
        }
        const qsizetype start = m_pos;
        while (m_pos < m_s.size() && !QStringLiteral(",]#\n\r \t").contains(m_s.at(m_pos)))
            ++m_pos;
        const QString word = m_s.mid(start, m_pos - start);
        if (word == u"true" || word == u"false") {
            *out = word == u"true";
            return true;
        }
        bool ok = false;
        const qint64 number = QString(word).remove(u'_').toLongLong(&ok);
        if (ok) {
            *out = number;
            return true;
        }
        *out = word; // dates, floats: kept as text
        return true;
    }

    bool string(QString *out)
    {
        const QChar quote = m_s.at(m_pos);
        const bool multi = m_s.mid(m_pos, 3) == QString(3, quote);
        m_pos += multi ? 3 : 1;
        if (multi && m_pos < m_s.size() && m_s.at(m_pos) == u'\n')
            ++m_pos; // a newline right after the opening quotes is trimmed
        else if (multi && m_s.mid(m_pos, 2) == u"\r\n")
            m_pos += 2;
        QString result;
        while (m_pos < m_s.size()) {
            const QChar c = m_s.at(m_pos);
            if (multi ? m_s.mid(m_pos, 3) == QString(3, quote) : c == quote) {
                m_pos += multi ? 3 : 1;
                *out = result;
                return true;
            }
            if (!multi && c == u'\n')
                break;
            if (c == u'\\' && quote == u'"' && m_pos + 1 < m_s.size()) {
                const QChar e = m_s.at(m_pos + 1);
                m_pos += 2;
                switch (e.unicode()) {
                case 'n':
                    result += u'\n';
                    break;
                case 't':
                    result += u'\t';
                    break;
                case 'r':
                    result += u'\r';
                    break;
                case 'b':
                    result += u'\b';
                    break;
                case 'f':
                    result += u'\f';
                    break;
                case '"':
                    result += u'"';
                    break;
                case '\\':
                    result += u'\\';
                    break;
                case 'u':
                case 'U': {
                    const int n = e == u'u' ? 4 : 8;
                    bool ok = false;
                    const uint cp = m_s.mid(m_pos, n).toUInt(&ok, 16);
                    if (!ok)
                        return fail(QStringLiteral("invalid \\%1 escape").arg(e));
                    result += QString::fromUcs4(reinterpret_cast<const char32_t *>(&cp), 1);
                    m_pos += n;
                    break;
                }
                case '\n':
                case '\r':
                case ' ':
                case '\t':
                    if (multi) {
                        skipSpace(true);
                        break;
                    }
                    Q_FALLTHROUGH();
                default:
                    return fail(QStringLiteral("invalid escape \\%1").arg(e));
                }
                continue;
            }
            result += c;
            ++m_pos;
        }
        return fail(QStringLiteral("unterminated string"));
    }

    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }

    const QString &m_s;
    qsizetype m_pos = 0;
    QString m_error;
};

int lineAt(const QString &s, qsizetype pos)
{
    return int(s.left(pos).count(u'\n')) + 1;
}

QString unquoteKey(QString key)
{
    key = key.trimmed();
    if (key.size() >= 2 && (key.startsWith(u'"') || key.startsWith(u'\'')) &&
        key.endsWith(key.at(0)))
        key = key.mid(1, key.size() - 2);
    return key;
}

} // namespace

bool TomlTable::read(const QString &document, const QString &table, QVariantMap *out,
                     QString *error)
{
    Parser p(document);
    QString current;
    bool found = false;
    while (p.m_pos < document.size()) {
        p.skipSpace(true);
        if (p.m_pos >= document.size())
            break;
        if (document.at(p.m_pos) == u'[') {
            const qsizetype close = document.indexOf(u']', p.m_pos);
            const qsizetype eol = document.indexOf(u'\n', p.m_pos);
            if (close < 0 || (eol >= 0 && close > eol)) {
                *error = QStringLiteral("line %1: unterminated table header")
                             .arg(lineAt(document, p.m_pos));
                return false;
            }
            const bool arrayTable = document.mid(p.m_pos, 2) == u"[[";
            QString name = document.mid(p.m_pos + (arrayTable ? 2 : 1),
                                        close - p.m_pos - (arrayTable ? 2 : 1));
            QStringList parts = name.split(u'.');
            for (QString &part : parts)
                part = unquoteKey(part);
            current = arrayTable ? QString() : parts.join(u'.');
            found = found || current == table;
            p.m_pos = close + (arrayTable ? 2 : 1);
            while (p.m_pos < document.size() && document.at(p.m_pos) != u'\n')
                ++p.m_pos;
            continue;
        }
        const qsizetype eq = document.indexOf(u'=', p.m_pos);
        const qsizetype eol = document.indexOf(u'\n', p.m_pos);
        if (eq < 0 || (eol >= 0 && eq > eol)) {
            *error = QStringLiteral("line %1: expected key = value").arg(lineAt(document, p.m_pos));
            return false;
        }
        QString key = document.mid(p.m_pos, eq - p.m_pos);
        QStringList keyParts = key.split(u'.');
        for (QString &part : keyParts)
            part = unquoteKey(part);
        p.m_pos = eq + 1;
        QVariant v;
        if (!p.value(&v)) {
            *error = QStringLiteral("line %1: %2").arg(lineAt(document, p.m_pos)).arg(p.m_error);
            return false;
        }
        if (current == table && keyParts.size() == 1)
            out->insert(keyParts.first(), v);
        p.skipSpace(false);
        if (p.m_pos < document.size() && document.at(p.m_pos) == u'#')
            p.skipSpace(true);
    }
    if (!found) {
        *error = QStringLiteral("there is no [%1] table").arg(table);
        return false;
    }
    return true;
}

} // namespace Retort
