#pragma once

#include "core/project.h"

#include "core/result.h"

#include <QMainWindow>
#include <QSet>

class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QTableView;
class QTreeView;

namespace Retort {

class CentralLayout;
class ConnectionsPanel;
class DatabaseActions;
class DatabaseMonitor;
class DetailsView;
class EditorTabs;
class FolderWatcher;
class HistoryModel;
class HistoryPanel;
class ProblemsModel;
class ProblemsPanel;
class ProjectLoader;
class ReviewActions;
class SchemaActions;

// Wires the parts of the window together; the parts do the work.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens an alembic.ini, a pyproject.toml, a folder holding one, or a bare
    // versions folder. Reading happens off the GUI thread.
    void openProject(const QString &path);
    void openDemoProject();
    void reload();
    // Selects a revision in the history by id; false if it is not shown.
    bool selectRevision(const QString &id);
    // Any Alembic identifier (an id, a unique prefix, head, label@head, ...)
    // to one revision id, or why not.
    Result<QString> resolveRevision(const QString &spec) const;
    // Resolves and selects; an unknown or ambiguous one is said in the status
    // bar and returned.
    QString goToRevision(const QString &spec);
    // Opens the file in a tab and selects its revision.
    void openFile(const QString &path, int line = 0);

    // The review workflow's edits, each previewed in a dialog first.
    void normalizeRevision(const QString &id);
    void reparentRevision(const QString &id);
    void mergeHeads();
    void markReviewed(const QString &id);
    // Selects the head created last (Ctrl+Home).
    void goToNewestHead();
    void undoLastEdit();
    bool canUndo() const;

    bool hasProject() const { return m_hasProject; }
    bool isLoading() const;
    const Project &project() const;
    HistoryModel *historyModel() const { return m_historyModel; }
    SchemaActions *schemaActions() const { return m_schema; }
    ProblemsModel *problemsModel() const { return m_problemsModel; }
    QTreeView *historyView() const;
    QTableView *problemsView() const;
    QLineEdit *filterEdit() const;
    DetailsView *detailsView() const { return m_details; }
    EditorTabs *editorTabs() const { return m_editors; }
    FolderWatcher *folderWatcher() const { return m_folderWatcher; }
    DatabaseMonitor *databases() const { return m_databases; }
    ConnectionsPanel *connectionsPanel() const { return m_connections; }
    DatabaseActions *databaseActions() const { return m_dbActions; }

Q_SIGNALS:
    void projectLoaded();
    void projectFailed(const QString &error);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void showProject(const Project &project);
    void showFailure(const QString &path, const QString &error);
    void currentRevisionChanged();
    void openCurrentRevision();
    void updateStatus();
    void showDatabases();
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    void restoreSettings();
    void saveSettings() const;
    void find();
    void updateRevisionActions();
    void showHistoryMenu(const QPoint &pos);
    QString currentRevisionId() const;

    ProjectLoader *m_loader;
    FolderWatcher *m_folderWatcher;
    HistoryModel *m_historyModel;
    ProblemsModel *m_problemsModel;
    HistoryPanel *m_history;
    DetailsView *m_details;
    EditorTabs *m_editors;
    ProblemsPanel *m_problemsView;
    CentralLayout *m_central;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_databaseMenu = nullptr;
    DatabaseMonitor *m_databases;
    ConnectionsPanel *m_connections;
    DatabaseActions *m_dbActions;
    QLabel *m_databaseLabel;
    QLabel *m_countLabel;
    QLabel *m_problemLabel;
    QProgressBar *m_busy;
    QString m_requestedPath;
    bool m_hasProject = false;
    QSet<QString> m_fresh; // revisions that appeared while the project was open
    ReviewActions *m_review = nullptr;
    SchemaActions *m_schema = nullptr;
    QString m_selectAfterLoad;
    QAction *m_normalizeAction = nullptr;
    QAction *m_reparentAction = nullptr;
    QAction *m_mergeAction = nullptr;
    QAction *m_reviewedAction = nullptr;
    QAction *m_undoAction = nullptr;
};

} // namespace Retort
