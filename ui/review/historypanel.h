#pragma once

#include <QPoint>
#include <QWidget>

class QLineEdit;
class QMenu;
class QTreeView;

namespace Retort {

class HistoryModel;

// The history: a filter box over the lane-drawn revision list. It keeps the
// selection across filtering, sizes the graph column to the widest row, and
// turns a double-click on a problem badge (or a missing revision's row) into
// "open this file at this line".
class HistoryPanel : public QWidget
{
    Q_OBJECT

public:
    HistoryPanel(HistoryModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    // Selects a revision by id (clearing the filter if it hides it); false if
    // the history does not show it.
    bool selectRevision(const QString &id);
    QString currentRevisionId() const;
    // The selected revisions, the older first (one, or two for a diff).
    QStringList selectedRevisionIds() const;
    // Ctrl+F: into the filter box, its text selected.
    void focusFilter();
    // View → Order: Alembic's, or newest first by create date (the graph
    // still draws every revision above its parents); kept in the settings.
    void addOrderMenu(QMenu *view);

Q_SIGNALS:
    void currentRevisionChanged();
    void filterChanged();
    void selectionChanged();
    void problemActivated(const QString &path, int line);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void doubleClicked(const QModelIndex &index);

    HistoryModel *m_model;
    QLineEdit *m_filter;
    QTreeView *m_view;
    QPoint m_lastClick; // in the view's viewport
};

} // namespace Retort
