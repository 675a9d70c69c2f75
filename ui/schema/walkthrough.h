#pragma once

#include "core/project.h"
#include "core/vcs/gitfacts.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace Retort {

class ErDiagramView;
class SchemaMonitor;

// View → Walk Through History: the history as a presentation, one revision
// per page from base to head (a branch: up to its head; a range A..B): the
// message, id, date, git author and commit, the operations, the schema
// changes, and the ER diagram with what the revision touched highlighted.
// Right/Space/PageDown and Left/Backspace/PageUp move, Home/End jump,
// Ctrl+plus/minus/0 scale the text, Enter selects the page's revision in the
// history, Esc returns.
class WalkThrough : public QWidget
{
    Q_OBJECT
public:
    explicit WalkThrough(SchemaMonitor *monitor, QWidget *parent = nullptr);
    ~WalkThrough() override;

    void setProject(const Project &project);
    void setGitFacts(const QHash<QString, GitFileFacts> &byPath);
    // The pages from `from` (empty: the base) to `to` (empty: the newest
    // head), both included, in Alembic's upgrade order; the first is shown.
    // False (the reason shown) when `from` is not an ancestor of `to`.
    bool setRange(const QString &from, const QString &to);

    const QStringList &pages() const { return m_pages; }
    int page() const { return m_page; }
    QString currentRevision() const;
    // The page's text as shown (for tests and screen readers).
    QString text() const;
    qreal textScale() const { return m_scale; }
    ErDiagramView *diagram() const { return m_diagram; }

public Q_SLOTS:
    void goTo(int page);
    void next() { goTo(m_page + 1); }
    void previous() { goTo(m_page - 1); }
    // +1 larger, -1 smaller, 0 back to normal.
    void scaleText(int steps);
    // Snapshots arrived: the page shows what it was waiting for.
    void refresh();

Q_SIGNALS:
    void closeRequested();
    void revisionChosen(const QString &id);

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void fillRanges();
    void render();
    void applyScale();

    SchemaMonitor *m_monitor;
    Project m_project;
    QHash<QString, GitFileFacts> m_git;
    QStringList m_pages;
    int m_page = -1;
    bool m_waiting = false; // the page lacks its snapshot
    bool m_stale = false;   // asked for while hidden: drawn when shown
    qreal m_scale = 1.0;
    QFont m_baseFont;
    QComboBox *m_from;
    QComboBox *m_to;
    QLabel *m_position;
    QLabel *m_title;
    QTextBrowser *m_text;
    ErDiagramView *m_diagram;
    QPushButton *m_previous;
    QPushButton *m_next;
};

} // namespace Retort
