#pragma once

#include "core/diagnostic.h"
#include "core/edit/editplan.h"

#include <QFileSystemWatcher>
#include <QPointer>
#include <QSet>
#include <QWidget>

class QLineEdit;
class QTabWidget;
class QToolButton;

namespace Retort {

class RevisionEditor;

// The open revision files, one QScintilla tab each, with a find bar. Tabs
// follow their files on disk: an unmodified tab reloads silently when the
// file changes, a modified one asks first.
class EditorTabs : public QWidget
{
    Q_OBJECT

public:
    explicit EditorTabs(QWidget *parent = nullptr);

    // Opens (or shows) the tab of `path`, at `line` when > 0.
    RevisionEditor *open(const QString &path, int line = 0);
    RevisionEditor *current() const;
    RevisionEditor *editorFor(const QString &path) const;
    QList<RevisionEditor *> editors() const;
    int count() const;

    void setDiagnostics(const Diagnostics &diagnostics);
    // A file that moved on disk (a rename): its tab follows, or, with unsaved
    // edits, remembers where the file went so that saving can ask.
    void fileRenamed(const QString &from, const QString &to);
    // Tabs follow what an applied edit plan did: renames by the plan's old
    // and new paths, rewrites reload, deletions leave a tab that asks.
    void followEdits(const QList<FileEdit> &edits);
    // The absolute, link-free path tabs are keyed by.
    static QString canonical(const QString &path);

    bool saveCurrent();
    bool closeCurrent(); // false when the user kept a modified tab open
    bool closeAll();
    void showFind();
    void goToLine();
    void findNext(bool backwards = false);

Q_SIGNALS:
    void message(const QString &text);
    void currentPathChanged(const QString &path);

private:
    bool closeTab(int index, bool ask = true);
    bool saveEditor(RevisionEditor *editor);
    void fileChangedOnDisk(const QString &path);
    void updateTitle(RevisionEditor *editor);

    QTabWidget *m_tabs;
    QWidget *m_findBar;
    QLineEdit *m_findEdit;
    QFileSystemWatcher m_watcher;
    QSet<QString> m_asking;            // files whose "changed on disk" question is open
    QHash<QString, QString> m_movedTo; // a modified tab's old path -> where the file went
    Diagnostics m_diagnostics;
};

} // namespace Retort
