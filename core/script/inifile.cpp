#include "inifile.h"

namespace Retort {

namespace {
const QString kDefault = QStringLiteral("DEFAULT");
}

bool IniFile::parse(const QString &text, const QHash<QString, QString> &defaults)
{
    m_sections.clear();
    m_order.clear();
    m_error.clear();
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it)
        m_sections[kDefault].insert(it.key(), {it.value(), 0});

    QString section;
    QString key;
    int keyIndent = 0;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        if (line.endsWith(u'\r'))
            line.chop(1);
        const QString stripped = line.trimmed();
        int indent = 0;
        while (indent < line.size() && line.at(indent).isSpace())
            ++indent;
        if (stripped.startsWith(u'#') || stripped.startsWith(u';'))
            continue;
        if (stripped.isEmpty()) {
            continue;
        }
        if (!key.isEmpty() && indent > keyIndent) {
            Entry &e = m_sections[section][key];
            e.value += u'\n' + stripped;
            continue;
        }
        key.clear();
        if (stripped.startsWith(u'[') && stripped.endsWith(u']')) {
            section = stripped.mid(1, stripped.size() - 2);
            if (!m_sections.contains(section) || section == kDefault)
                m_order.append(section);
            m_sections[section];
            continue;
        }
        if (section.isEmpty()) {
            m_error = QStringLiteral("line %1 comes before any [section] header").arg(i + 1);
            m_errorLine = i + 1;
            return false;
        }
        const qsizetype eq = stripped.indexOf(u'=');
        const qsizetype colon = stripped.indexOf(u':');
        qsizetype sep = eq;
        if (colon >= 0 && (eq < 0 || colon < eq))
            sep = colon;
        if (sep <= 0) {
            m_error = QStringLiteral("line %1 is neither a [section], a key = value pair nor a "
                                     "comment")
                          .arg(i + 1);
            m_errorLine = i + 1;
            return false;
        }
        key = stripped.left(sep).trimmed().toLower();
        keyIndent = indent;
        m_sections[section].insert(key, {stripped.mid(sep + 1).trimmed(), i + 1});
    }
    m_order.removeAll(kDefault);
    return true;
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

QString IniFile::value(const QString &section, const QString &key, const QString &fallback) const
{
    if (!contains(section, key))
        return fallback;
    return interpolate(section, rawValue(section, key), 0);
}

QString IniFile::interpolate(const QString &section, const QString &value, int depth) const
{
    if (depth > 10 || !value.contains(u'%'))
        return value;
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c != u'%' || i + 1 >= value.size()) {
            out += c;
            continue;
        }
        if (value.at(i + 1) == u'%') {
            out += u'%';
            ++i;
            continue;
        }
        if (value.at(i + 1) == u'(') {
            const qsizetype close = value.indexOf(u')', i + 2);
            if (close > 0 && close + 1 < value.size() && value.at(close + 1) == u's') {
                const QString name = value.mid(i + 2, close - i - 2).toLower();
                out += interpolate(section, rawValue(section, name), depth + 1);
                i = close + 1;
                continue;
            }
        }
        out += c;
    }
    return out;
}

} // namespace Retort
