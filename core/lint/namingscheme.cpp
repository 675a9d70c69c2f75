#include "namingscheme.h"

#include <QHash>
#include <QRegularExpression>

namespace Retort {

namespace {
const QRegularExpression &datePrefix()
{
    static const QRegularExpression re(QStringLiteral("^\\d{4}[-_]?\\d{2}[-_]?\\d{2}"));
    return re;
}
} // namespace

bool NamingScheme::hasSequentialPrefix(const QString &fileName, int *digits)
{
    int n = 0;
    while (n < fileName.size() && fileName.at(n).isDigit())
        ++n;
    if (digits)
        *digits = n;
    return n > 0 && n < 8 && n < fileName.size() && fileName.at(n) == u'_';
}

NamingScheme NamingScheme::detect(const RevisionGraph &graph)
{
    NamingScheme scheme;
    int sequential = 0;
    int dated = 0;
    QHash<int, int> widths;
    for (const Revision &r : graph.revisions()) {
        const QString name = graph.files().at(r.file).fileName();
        int digits = 0;
        if (datePrefix().match(name).hasMatch()) {
            ++dated;
        } else if (hasSequentialPrefix(name, &digits)) {
            ++sequential;
            ++widths[digits];
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
