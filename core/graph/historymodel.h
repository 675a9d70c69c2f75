#pragma once

#include "core/lint/namingscheme.h"
#include "core/project.h"
#include "core/vcs/gitfacts.h"
#include "lanelayout.h"

#include <QAbstractTableModel>
#include <QSet>

namespace Retort {

// The history as a table, newest first, with a graph column laid out by
// LaneLayout. A filter keeps the graph's shape for the rows it shows:
// a shown revision links to its nearest shown ancestors.
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        GraphColumn,
        RevisionColumn,
        MessageColumn,
        DateColumn,
        ColumnCount
    };
    enum Role
    {
        LaneRole = Qt::UserRole + 1, // LaneRow
        BadgesRole,                  // QStringList: error:N, warning:N, ghost, head,
                                     // effective-head, base, merge, branch, new,
                                     // label:NAME, depends:ID, needed-by:ID
        RevisionIndexRole,           // int, index into the graph
        RevisionIdRole,              // QString
        FilePathRole,                // QString
        IsNewRole,                   // bool: not renamed to the project's scheme, or just appeared
        MaxLanesRole,                // int, on the header: the widest row
        ProblemLineRole,             // int: the line of the row's first error (or warning), 0
        IsGhostRole,                 // bool: a placeholder for a down_revision no file declares
        PendingRole,                 // bool: the active database has not applied this revision
    };

    // A database's position: its recorded revisions carry a badge
    // "db:COLOR:NAME" (first on the row) in the database's colour.
    struct DatabaseMark
    {
        QString name;
        QString color; // #rrggbb
        QList<int> revisions;
    };
    void setDatabaseMarks(const QList<DatabaseMark> &marks);
    // What git knows of each revision file (by path): who added it, when, in
    // which commit; untracked and uncommitted files get a badge.
    void setGitFacts(const QHash<QString, GitFileFacts> &byPath);
    const QHash<QString, GitFileFacts> &gitFacts() const { return m_git; }
    // The revisions the active database has applied; the others are
    // pending. Empty: no active database, nothing is pending.
    void setApplied(const std::vector<bool> &applied);

    explicit HistoryModel(QObject *parent = nullptr);

    // `fresh`: revision ids that appeared since the previous project was shown.
    void setProject(const Project &project, const QSet<QString> &fresh = {});
    const Project &project() const { return m_project; }
    const NamingScheme &scheme() const { return m_scheme; }

    // Alembic's order (`alembic history`), or newest first by create date,
    // every revision still above its parents so the graph draws right.
    enum class Order
    {
        Alembic,
        NewestFirst
    };
    void setOrder(Order order);
    Order order() const { return m_order; }
    // The head created last (by create date), or -1.
    int newestHead() const;

    void setFilter(const QString &text);
    QString filter() const { return m_filter; }

    int rowOfRevision(const QString &id) const;
    // The revision of a row; -1 for a ghost row.
    int revisionAt(int row) const { return qMax(-1, m_rows.value(row, -1)); }
    int maxLanes() const { return m_maxLanes; }
    // Rows that are revisions (not placeholders for missing ones).
    int revisionRowCount() const { return int(m_rows.size()) - m_ghostRows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void rebuild();
    bool matches(int revision) const;
    QStringList badges(int revision) const;
    QVariant ghostData(int ghost, const QModelIndex &index, int role) const;
    void countProblems();
    QList<int> ordered() const;

    // A down_revision that no file declares, shown as a row of its own
    // (m_rows holds -1 - its index) below the revisions that name it.
    struct Ghost
    {
        QString id;
        QList<int> children; // revisions naming it
    };
    struct Problems
    {
        int errors = 0;
        int warnings = 0;
        int line = 0; // the first error's line, else the first warning's
    };
    Project m_project;
    NamingScheme m_scheme;
    QSet<QString> m_fresh;
    QString m_filter;
    Order m_order = Order::Alembic;
    QList<int> m_history; // every revision, newest first
    QList<int> m_rows;    // shown revisions, newest first (ghosts: -1 - index)
    QList<Ghost> m_ghosts;
    int m_ghostRows = 0;
    QHash<QString, Problems> m_problems; // by file path
    QList<LaneRow> m_lanes;
    QHash<QString, int> m_rowOfId;
    QHash<int, QStringList> m_databaseBadges; // by revision index
    QHash<QString, GitFileFacts> m_git;       // by file path
    std::vector<bool> m_applied;
    int m_maxLanes = 1;
};

} // namespace Retort
