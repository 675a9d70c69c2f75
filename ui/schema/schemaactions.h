#pragma once

#include "core/diagnostic.h"
#include "core/vcs/gitfacts.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;
class QProgressBar;

namespace Retort {

struct Project;
class ErDiagramView;
class SchemaMonitor;
class SchemaPanel;
class WalkThrough;

// The onboarding side of the window: the schema history replayed in the
// background (progress in the status bar), the Schema and Diagram docks that
// follow the history's selection, the walk-through and the export.
class SchemaActions : public QObject
{
    Q_OBJECT
public:
    SchemaActions(QMainWindow *window, std::function<const Project *()> project);
    ~SchemaActions() override;

    // Adds the docks to `window`, the dock toggles and the walk-through to
    // `view`, Export History… to `file`, and the progress bar to the status bar.
    void install(QMenu *view, QMenu *file);
    // A project was (re)read: its snapshots are looked up or replayed.
    void setProject(const Project &project);
    // The history's selection: one revision, or two for their diff.
    void showRevisions(const QStringList &revisions);
    Diagnostics diagnostics() const;
    // Git's facts of the revision files (by path), once read.
    const QHash<QString, GitFileFacts> &gitFacts() const { return m_git; }

    SchemaMonitor *monitor() const { return m_monitor; }
    SchemaPanel *panel() const { return m_panel; }
    ErDiagramView *diagram() const { return m_diagram; }
    QDockWidget *schemaDock() const { return m_schemaDock; }
    QDockWidget *diagramDock() const { return m_diagramDock; }
    WalkThrough *walkThrough() const { return m_walk; }

public Q_SLOTS:
    // Covers the window with the walk-through: the two selected revisions'
    // range, else the selected revision's branch from the base.
    void startWalkThrough();
    void endWalkThrough();
    // File → Export History…: asks where, then exports.
    void exportHistoryAs();
    // The whole history (what is replayed so far) as one HTML file, or
    // Markdown with SVG files in a folder: drawn on a worker thread, then
    // exported() says where or why not.
    void exportHistory(const QString &target, bool markdown);

Q_SIGNALS:
    // Blame picked a revision: the history should select it.
    void revisionActivated(const QString &id);
    void diagnosticsChanged();
    void message(const QString &text);
    void gitFactsChanged(const QHash<QString, GitFileFacts> &byPath);
    // An export ended: `error` is empty when it was written.
    void exported(const QString &target, const QString &error);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QMainWindow *m_window;
    std::function<const Project *()> m_project;
    SchemaMonitor *m_monitor;
    SchemaPanel *m_panel;
    ErDiagramView *m_diagram;
    WalkThrough *m_walk = nullptr;
    QPointer<QWidget> m_walkReturn; // where the keyboard focus was
    bool m_walkStale = true;        // the project changed since it was shown
    QAction *m_exportAction = nullptr;
    QDockWidget *m_schemaDock = nullptr;
    QDockWidget *m_diagramDock = nullptr;
    QProgressBar *m_progress = nullptr;
    QStringList m_revisions;
    QHash<QString, GitFileFacts> m_git;
    QString m_gitHead; // the HEAD m_git's adding commits were read at
    quint64 m_gitGeneration = 0;
};

} // namespace Retort
