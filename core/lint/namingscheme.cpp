#include "namingscheme.h"

#include <QHash>

namespace Retort {

namespace {
// "2024_01_31", "20240131", "2024-01-31": a date in front of the name.
bool hasDatePrefix(QStringView name)
{
    int pos = 0;
    auto digits = [&](int n) {
        for (int k = 0; k < n; ++k, ++pos) {
            if (pos >= name.size() || !name.at(pos).isDigit())
                return false;
        }
        return true;
    };
    auto separator = [&] {
        if (pos < name.size() && (name.at(pos) == u'_' || name.at(pos) == u'-'))
            ++pos;
    };
    if (!digits(4))
        return false;
    separator();
    if (!digits(2))
        return false;
    separator();
    return digits(2);
}
} // namespace

bool NamingScheme::hasSequentialPrefix(QStringView fileName, int *digits)
{
    int n = 0;
    while (n < fileName.size() && fileName.at(n).isDigit())
        ++n;
    if (digits)
        *digits = n;
    return n > 0 && n < 8 && n < fileName.size() && fileName.at(n) == u'_';
}

qint8 NamingScheme::classify(QStringView name)
{
    int digits = 0;
    if (hasDatePrefix(name))
        return -1;
    if (hasSequentialPrefix(name, &digits))
        return qint8(digits);
    return 0;
}

NamingScheme NamingScheme::detect(const RevisionGraph &graph)
{
    std::vector<qint8> kinds;
    kinds.reserve(size_t(graph.files().size()));
    for (const RevisionFile &f : graph.files())
        kinds.push_back(classify(f.fileNameView()));
    return detect(graph, kinds);
}

NamingScheme NamingScheme::detect(const RevisionGraph &graph, const std::vector<qint8> &kinds)
{
    if (kinds.size() != size_t(graph.files().size()))
        return detect(graph);
    NamingScheme scheme;
    int sequential = 0;
    int dated = 0;
    QHash<int, int> widths;
    for (const Revision &r : graph.revisions()) {
        const qint8 kind = kinds[size_t(r.file)];
        if (kind < 0) {
            ++dated;
        } else if (kind > 0) {
            ++sequential;
            ++widths[kind];
        }
    }
    const int total = graph.size();
    if (total > 0 && sequential * 2 >= total) {
        scheme.m_kind = Kind::Sequential;
        int best = 0;
        for (auto it = widths.cbegin(); it != widths.cend(); ++it) {
            if (it.value() > best) {
                best = it.value();
                scheme.m_width = it.key();
            }
        }
    } else if (total > 0 && dated * 2 >= total) {
        scheme.m_kind = Kind::DatePrefixed;
    }
    return scheme;
}

NamingScheme NamingScheme::overridden(Kind kind, int width) const
{
    NamingScheme s = *this;
    s.m_kind = kind;
    if (width > 0)
        s.m_width = width;
    return s;
}

bool NamingScheme::isUnrenamed(const RevisionFile &file) const
{
    return m_kind == Kind::Sequential && !hasSequentialPrefix(file.fileName());
}

} // namespace Retort
