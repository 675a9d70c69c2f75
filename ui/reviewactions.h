#pragma once

#include "core/db/versiontable.h"

#include <optional>

#include "core/edit/editplan.h"
#include "core/project.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QWidget;

namespace Retort {

class EditorTabs;
class PlanDialog;

// The review workflow's edits in the window: each one planned, previewed in
// a PlanDialog, applied all-or-nothing, and undoable (the last one).
class ReviewActions : public QObject
{
    Q_OBJECT

public:
    // The project shown now, or null when none is open.
    using ProjectGetter = std::function<const Project *()>;

    ReviewActions(QWidget *dialogParent, EditorTabs *editors, ProjectGetter project);
    // What the window last read from the project's databases: a rename
    // preview warns from it without connecting anywhere.
    void setDatabases(std::function<QList<RecordedVersions>()> databases)
    {
        m_databases = std::move(databases);
    }

    void normalize(const QString &id);
    void reparent(const QString &id);
    void merge();
    void markReviewed(const QString &id);
    void undo();
    bool canUndo() const { return m_undo.has_value(); }
    // What the window knows of the databases changed: an open preview is
    // made again from it.
    void databasesChanged();

Q_SIGNALS:
    // Files changed on disk: re-read the project and show `focusId`.
    void applied(const QString &focusId, const QString &message);
    void undoChanged(bool available, const QString &text);

private:
    bool apply(const EditPlan &plan);
    // Runs a preview dialog; true when it was accepted with a plan.
    bool run(PlanDialog &dialog);

    QWidget *m_parent;
    EditorTabs *m_editors;
    ProjectGetter m_project;
    std::function<QList<RecordedVersions>()> m_databases;
    std::optional<QList<RecordedVersions>> known() const
    {
        if (!m_databases)
            return std::nullopt;
        return m_databases();
    }
    std::optional<EditPlan> m_undo;
    QPointer<PlanDialog> m_open; // the preview on screen, if any
};

} // namespace Retort
