#include "unifieddiff.h"

#include <QList>

#include <vector>

namespace Retort {

namespace {

QList<QByteArray> linesOf(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // the final newline ends the last line
    return lines;
}

QString show(const QByteArray &line)
{
    QString s = QString::fromUtf8(line);
    if (s.endsWith(u'\r'))
        s.chop(1); // CRLF files diff by content
    return s;
}

} // namespace

QString unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &fromName,
                    const QString &toName)
{
    if (before == after)
        return {};
    const QList<QByteArray> a = linesOf(before);
    const QList<QByteArray> b = linesOf(after);
    const int n = int(a.size());
    const int m = int(b.size());
    // Longest common subsequence table, from the end.
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (int i = n - 1; i >= 0; --i) {
        for (int j = m - 1; j >= 0; --j)
            lcs[i][j] =
                a.at(i) == b.at(j) ? lcs[i + 1][j + 1] + 1 : qMax(lcs[i + 1][j], lcs[i][j + 1]);
    }
    struct Line
    {
        char kind;   // ' ', '-', '+'
        int oldLine; // 0-based position in a (for ' ' and '-') or before which (for '+')
        int newLine;
        QString text;
    };
    QList<Line> script;
    int i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(i) == b.at(j)) {
            script.append({' ', i, j, show(a.at(i))});
            ++i;
            ++j;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            script.append({'-', i, j, show(a.at(i))});
            ++i;
        } else {
            script.append({'+', i, j, show(b.at(j))});
            ++j;
        }
    }
    QString out = QStringLiteral("--- %1\n+++ %2\n").arg(fromName, toName);
    constexpr int kContext = 3;
    int k = 0;
    const int total = int(script.size());
    while (k < total) {
        // find the next change
        while (k < total && script.at(k).kind == ' ')
            ++k;
        if (k >= total)
            break;
        int start = qMax(0, k - kContext);
        int end = k;
        // extend the hunk while changes are within 2*context of each other
        int lastChange = k;
        for (int x = k; x < total; ++x) {
            if (script.at(x).kind != ' ')
                lastChange = x;
            else if (x - lastChange > 2 * kContext)
                break;
            end = x;
        }
        end = qMin(total - 1, lastChange + kContext);
        int oldStart = script.at(start).oldLine, newStart = script.at(start).newLine;
        int oldCount = 0, newCount = 0;
        QString body;
        for (int x = start; x <= end; ++x) {
            const Line &l = script.at(x);
            body += QChar::fromLatin1(l.kind) + l.text + u'\n';
            if (l.kind != '+')
                ++oldCount;
            if (l.kind != '-')
                ++newCount;
        }
        out += QStringLiteral("@@ -%1,%2 +%3,%4 @@\n")
                   .arg(oldCount ? oldStart + 1 : oldStart)
                   .arg(oldCount)
                   .arg(newCount ? newStart + 1 : newStart)
                   .arg(newCount);
        out += body;
        k = end + 1;
    }
    return out;
}

} // namespace Retort
