#pragma once

#include "core/schema/schema.h"
#include "core/schema/schemadiff.h"
#include "diagrampainter.h"
#include "schematreemodel.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QMenu;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace Retort {

class SchemaMonitor;

// The schema at the selected revision: tables with their columns, indexes,
// constraints and foreign keys, then views, enums and sequences; what the
// revision changed is marked (added, removed, changed with the old value in
// the tooltip). Two revisions selected: the changes from the first to the
// second. A table's or column's context menu lists the revisions that made
// and changed it (blame); picking one asks the history to select it.
class SchemaPanel : public QWidget
{
    Q_OBJECT
public:
    enum Role
    {
        KindRole = SchemaTreeModel::KindRole,   // "table", "column", "index", ... "group"
        TableRole = SchemaTreeModel::TableRole, // the qualified table name
        NameRole = SchemaTreeModel::NameRole,   // the member's name
        MarkRole = SchemaTreeModel::MarkRole    // "added", "removed", "changed" or empty
    };

    explicit SchemaPanel(SchemaMonitor *monitor, QWidget *parent = nullptr);

    // Shows the schema at `revisions` (one: marks over its parent; two: the
    // diff from the first to the second). Called on every selection change.
    void showRevisions(const QStringList &revisions);
    // The monitor has more snapshots: show again what is asked for.
    void refresh() { showRevisions(m_revisions); }

    SchemaTreeModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    QString caption() const;
    // The blame menu's entries for a table ("users") or a column
    // ("users.email"): revision id and what it did, oldest first.
    // Computed here when not known yet (see blameMenu for the menu's way).
    QList<QPair<QString, QString>> blameOf(const QString &table, const QString &column = {});
    // Fills `menu` with those entries: at once when the shown revision's
    // blame is known, else once a worker thread has computed it (the
    // ancestry's snapshots are read off the GUI thread).
    void blameMenu(QMenu *menu, const QString &table, const QString &column);

Q_SIGNALS:
    // The schema now shown, what the revision changed, and a caption (for
    // the diagram).
    void schemaShown(const Schema &schema, const DiagramMarks &marks, const QString &caption);
    void waiting(const QString &caption);
    void revisionActivated(const QString &id);

private:
    void populate(const Schema &schema, const QList<SchemaChange> &changes);
    void contextMenu(const QPoint &pos);
    QList<QPair<QString, QString>> events(const QList<BlameEntry> &blame, const QString &table,
                                          const QString &column) const;
    void forgetStaleBlame();
    void fillBlame(QMenu *menu, const QList<QPair<QString, QString>> &events);

    SchemaMonitor *m_monitor;
    QStringList m_revisions;
    QLabel *m_caption;
    QLineEdit *m_filter;
    QTreeView *m_view;
    SchemaTreeModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QStringList m_expanded;                    // tables the user opened, kept across revisions
    QHash<QString, QList<BlameEntry>> m_blame; // by revision, for m_blameGeneration
    quint64 m_blameGeneration = 0;             // the monitor's, when m_blame was made
};

} // namespace Retort
