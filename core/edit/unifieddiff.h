#pragma once

#include <QByteArray>
#include <QString>

namespace Retort {

// A unified diff of two texts, as `diff -u` / `git diff` print it, with
// three lines of context. Empty when the texts are equal.
QString unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &fromName,
                    const QString &toName);

} // namespace Retort
