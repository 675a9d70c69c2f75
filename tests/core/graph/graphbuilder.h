#pragma once

#include "core/graph/revisiongraph.h"
#include "core/script/revisionreader.h"

#include <QStringList>

namespace TestUtil {

// Builds a graph from compact specs "id<-down1,down2 [deps=a,b] [labels=x,y]"
// read through the real reader, so graph tests exercise the same path.
inline Retort::RevisionGraph graphOf(const QStringList &specs)
{
    QList<Retort::RevisionFile> files;
    for (const QString &spec : specs) {
        QStringList parts = spec.split(u' ', Qt::SkipEmptyParts);
        const QString head = parts.takeFirst();
        const QString id = head.section(QStringLiteral("<-"), 0, 0);
        const QStringList downs =
            head.section(QStringLiteral("<-"), 1).split(u',', Qt::SkipEmptyParts);
        auto tuple = [](const QStringList &items) -> QString {
            if (items.isEmpty())
                return QStringLiteral("None");
            QString s = QStringLiteral("(");
            for (const QString &i : items)
                s += u'\'' + i + QStringLiteral("', ");
            return s + u')';
        };
        QString src = QStringLiteral("\"\"\"msg %1\"\"\"\nrevision = '%1'\ndown_revision = %2\n")
                          .arg(id, tuple(downs));
        for (const QString &p : parts) {
            if (p.startsWith(QStringLiteral("deps=")))
                src += QStringLiteral("depends_on = %1\n").arg(tuple(p.mid(5).split(u',')));
            else if (p.startsWith(QStringLiteral("labels=")))
                src += QStringLiteral("branch_labels = %1\n").arg(tuple(p.mid(7).split(u',')));
        }
        files.append(
            Retort::RevisionReader::read(src.toUtf8(), QStringLiteral("/v/%1.py").arg(id)));
    }
    return Retort::RevisionGraph::build(files);
}

inline QStringList idsOf(const Retort::RevisionGraph &g, const QList<int> &indices)
{
    QStringList out;
    for (int i : indices)
        out.append(i >= 0 ? g.revision(i).id : QStringLiteral("<base>"));
    return out;
}

} // namespace TestUtil
