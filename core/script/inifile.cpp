#include "inifile.h"

#include <QSet>

namespace Retort {

namespace {
const QString kDefault = QStringLiteral("DEFAULT");
}

bool IniFile::parse(const QString &text, const QHash<QString, QString> &defaults)
{
    // configparser's _read, line for line: full-line comments (# ;) are
    // skipped, an empty line inside a value is kept (trailing ones are
    // not), a line indented deeper than its option's continues it, the
    // first of = and : separates, keys are lower-cased, a section or key
    // given twice is an error (strict), as is a line before any section.
    m_sections.clear();
    m_order.clear();
    m_error.clear();
    m_errorLine = 0;
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it)
        m_sections[kDefault].insert(it.key(), {it.value(), 0});

    auto fail = [this](int line, const QString &message) {
        m_error = QStringLiteral("line %1: %2").arg(line).arg(message);
        m_errorLine = line;
        return false;
    };
    QSet<QString> added; // sections, and "section\x1fkey", given in this text
    bool inSection = false;
    QString section;
    QString key;
    int keyIndent = 0;
    int pendingEmpty = 0; // empty lines inside the value being continued
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        if (line.endsWith(u'\r'))
            line.chop(1);
        const QString stripped = line.trimmed();
        if (stripped.startsWith(u'#') || stripped.startsWith(u';'))
            continue;
        if (stripped.isEmpty()) {
            if (!key.isEmpty())
                ++pendingEmpty; // kept if the value goes on
            continue;
        }
        int indent = 0;
        while (indent < line.size() && line.at(indent).isSpace())
            ++indent;
        if (inSection && !key.isEmpty() && indent > keyIndent) {
            Entry &e = m_sections[section][key];
            e.value += QString(pendingEmpty + 1, u'\n') + stripped;
            pendingEmpty = 0;
            continue;
        }
        pendingEmpty = 0;
        keyIndent = indent;
        key.clear();
        // A header is "[" up to the last "]"; what follows it is ignored.
        if (stripped.startsWith(u'[')) {
            const qsizetype close = stripped.lastIndexOf(u']');
            if (close > 1) {
                section = stripped.mid(1, close - 1);
                if (section != kDefault) {
                    if (added.contains(section))
                        return fail(i + 1,
                                    QStringLiteral("the section [%1] is given twice").arg(section));
                    added.insert(section);
                    if (!m_sections.contains(section))
                        m_order.append(section);
                }
                m_sections[section];
                inSection = true;
                continue;
            }
        }
        if (!inSection)
            return fail(i + 1, QStringLiteral("this line comes before any [section] header"));
        const qsizetype eq = stripped.indexOf(u'=');
        const qsizetype colon = stripped.indexOf(u':');
        qsizetype sep = eq;
        if (colon >= 0 && (eq < 0 || colon < eq))
            sep = colon;
        const QString name = sep < 0 ? QString() : stripped.left(sep).trimmed().toLower();
        if (name.isEmpty())
            return fail(i + 1,
                        QStringLiteral("this line is neither a [section], a key = value pair "
                                       "nor a comment"));
        if (added.contains(section + u'\x1f' + name))
            return fail(i + 1,
                        QStringLiteral("the key %1 is given twice in [%2]").arg(name, section));
        added.insert(section + u'\x1f' + name);
        key = name;
        m_sections[section].insert(key, {stripped.mid(sep + 1).trimmed(), i + 1});
    }
    return true;
}

QStringList IniFile::keys(const QString &section) const
{
    QStringList out = m_sections.value(section).keys();
    for (const QString &k : m_sections.value(kDefault).keys())
        if (!out.contains(k))
            out.append(k);
    return out;
}

bool IniFile::hasSection(const QString &section) const
{
    return section != kDefault && m_sections.contains(section);
}

bool IniFile::contains(const QString &section, const QString &key) const
{
    return m_sections.value(section).contains(key) || m_sections.value(kDefault).contains(key);
}

QString IniFile::rawValue(const QString &section, const QString &key) const
{
    const auto s = m_sections.constFind(section);
    if (s != m_sections.cend()) {
        const auto e = s->constFind(key);
        if (e != s->cend())
            return e->value;
    }
    return m_sections.value(kDefault).value(key).value;
}

int IniFile::line(const QString &section, const QString &key) const
{
    return m_sections.value(section).value(key).line;
}

QString IniFile::value(const QString &section, const QString &key, const QString &fallback,
                       QString *error) const
{
    if (!contains(section, key))
        return fallback;
    const QString raw = rawValue(section, key);
    QString problem;
    const QString out = interpolate(section, raw, 0, &problem);
    if (!problem.isEmpty()) {
        if (error)
            *error = QStringLiteral("[%1] %2: %3").arg(section, key, problem);
        return raw;
    }
    return out;
}

QString IniFile::interpolate(const QString &section, const QString &value, int depth,
                             QString *error) const
{
    // configparser's BasicInterpolation: %% is %, %(name)s is name's value
    // (interpolated in turn, at most 10 deep); any other % is an error.
    if (depth > 10) {
        *error = QStringLiteral("the interpolation goes more than 10 deep (a loop?)");
        return {};
    }
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c != u'%') {
            out += c;
            continue;
        }
        const QChar next = i + 1 < value.size() ? value.at(i + 1) : QChar();
        if (next == u'%') {
            out += u'%';
            ++i;
            continue;
        }
        const qsizetype close = next == u'(' ? value.indexOf(u')', i + 2) : -1;
        if (close < 0 || close == i + 2 || close + 1 >= value.size() ||
            value.at(close + 1) != u's') {
            // Where, not what: the value may hold a password.
            *error =
                next == u'('
                    ? QStringLiteral("the %(name)s at character %1 is not closed by )s").arg(i + 1)
                    : QStringLiteral("the % at character %1 is followed by neither % nor (")
                          .arg(i + 1);
            return {};
        }
        const QString name = value.mid(i + 2, close - i - 2).toLower();
        if (!contains(section, name)) {
            *error = QStringLiteral("%(%1)s names no key of [%2] or [DEFAULT]").arg(name, section);
            return {};
        }
        const QString v = rawValue(section, name);
        out += v.contains(u'%') ? interpolate(section, v, depth + 1, error) : v;
        if (!error->isEmpty())
            return {};
        i = close + 1;
    }
    return out;
}

} // namespace Retort
