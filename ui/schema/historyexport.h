#pragma once

#include "core/project.h"
#include "core/result.h"
#include "core/schema/schemasource.h"
#include "core/vcs/gitfacts.h"
#include "revisionpage.h"

#include <QFont>
#include <QHash>
#include <QPalette>

namespace Retort {

// The history to share: one self-contained HTML file (inline CSS and SVG,
// nothing fetched, no scripts), or Markdown with SVG files beside it. The
// history graph is drawn as the window draws it, then per revision its
// message, id, author, date, operations and schema changes, then the schema
// at the newest head with its ER diagram and each table's blame.
class HistoryExport
{
public:
    HistoryExport(const Project &project, SchemaSource schema,
                  const QHash<QString, GitFileFacts> &git, const QPalette &palette,
                  const QFont &font);

    // The history graph through the window's own delegate: GUI thread only.
    // The rest may run on any thread.
    void paintHistory();
    QByteArray historySvg() const { return m_historySvg; }

    QString html();
    // index.md, history.svg and schema.svg in `dir` (made when missing);
    // the files written.
    Result<QStringList> writeMarkdown(const QString &dir);
    Result<QString> writeHtml(const QString &file);

    // The revision shown at the top: the newest head Alembic would upgrade to.
    QString headRevision() const;

private:
    QList<RevisionPage> pages() const;
    QByteArray diagramSvg(Schema *head);
    QList<BlameEntry> blameOf(const QString &table);

    Project m_project;
    SchemaSource m_schema;
    QHash<QString, GitFileFacts> m_git;
    QPalette m_palette;
    QFont m_font;
    QByteArray m_historySvg;
    QHash<QString, QList<BlameEntry>> m_blame; // by head
};

} // namespace Retort
