#include "reviewactions.h"

#include "editortabs.h"
#include "plandialog.h"
#include "revisioneditor.h"

#include "core/edit/revisionrewriter.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QMessageBox>
#include <QSpinBox>

namespace Retort {

ReviewActions::ReviewActions(QWidget *dialogParent, EditorTabs *editors, ProjectGetter project)
    : QObject(dialogParent)
    , m_parent(dialogParent)
    , m_editors(editors)
    , m_project(std::move(project))
{}

bool ReviewActions::apply(const EditPlan &plan)
{
    for (const FileEdit &e : plan.edits) {
        if (RevisionEditor *editor = m_editors->editorFor(e.path); editor && editor->isModified()) {
            QMessageBox::warning(m_parent, plan.title,
                                 tr("%1 has unsaved changes in its tab. Save or close it first; "
                                    "nothing was changed.")
                                     .arg(QFileInfo(e.path).fileName()));
            return false;
        }
    }
    auto undo = plan.apply();
    if (!undo) {
        QMessageBox::critical(m_parent, plan.title, undo.error());
        return false;
    }
    m_editors->followEdits(plan.edits);
    m_undo = undo.value();
    Q_EMIT undoChanged(true, tr("&Undo %1").arg(plan.title));
    Q_EMIT applied(plan.focusId, tr("%1: done (Ctrl+Shift+Z undoes it)").arg(plan.title));
    return true;
}

void ReviewActions::undo()
{
    if (!m_undo)
        return;
    const EditPlan plan = *m_undo;
    auto redo = plan.apply();
    if (!redo) {
        QMessageBox::critical(m_parent, plan.title, redo.error());
        return;
    }
    m_editors->followEdits(plan.edits);
    m_undo.reset();
    Q_EMIT undoChanged(false, tr("&Undo Last Edit"));
    Q_EMIT applied(plan.focusId, tr("%1: done").arg(plan.title));
}

bool ReviewActions::run(PlanDialog &dialog)
{
    // While it is open, a database read anew re-plans it (its warnings and
    // notes come from what the window knows of the databases).
    m_open = &dialog;
    const bool accepted = dialog.exec() == QDialog::Accepted && dialog.plan();
    m_open = nullptr;
    return accepted;
}

void ReviewActions::databasesChanged()
{
    if (m_open)
        m_open->replan();
}

void ReviewActions::normalize(const QString &id)
{
    if (!m_project() || id.isEmpty())
        return;
    auto snapshot = std::make_shared<Project>(*m_project());
    const auto databases = known();
    const int revision = snapshot->graph.indexOf(id);
    if (revision < 0)
        return;
    const RevisionRewriter rewriter(*snapshot, databases);
    PlanDialog dialog(tr("Normalize %1").arg(id), snapshot->config.projectDir, m_parent);
    dialog.setObjectName(QStringLiteral("normalizeDialog"));
    auto *number = new QSpinBox(&dialog);
    number->setObjectName(QStringLiteral("number"));
    number->setRange(0, 9999999);
    number->setValue(rewriter.nextNumber({revision}));
    // The slug field shows what will be written: the proposal as shortened
    // to fit alembic_version's 32 characters.
    QString proposedSlug = rewriter.proposedSlug(revision);
    if (const auto first = rewriter.normalize({id}); first && !first.value().focusId.isEmpty())
        proposedSlug = first.value().focusId.section(u'_', 1);
    auto *slug = new QLineEdit(proposedSlug, &dialog);
    slug->setObjectName(QStringLiteral("slug"));
    dialog.addRow(tr("&Number:"), number);
    dialog.addRow(tr("&Slug:"), slug);
    // What the user leaves as proposed may still be shortened to fit.
    const QString proposed = slug->text();
    dialog.setPlanner([this, snapshot, id, number, slug, proposed] {
        const QString s = slug->text().trimmed();
        return RevisionRewriter(*snapshot, known())
            .normalize({id}, number->value(), s == proposed ? QString() : s);
    });
    connect(number, &QSpinBox::valueChanged, &dialog, &PlanDialog::replan);
    connect(slug, &QLineEdit::textChanged, &dialog, &PlanDialog::replan);
    if (run(dialog))
        apply(*dialog.plan());
}

void ReviewActions::reparent(const QString &id)
{
    if (!m_project() || id.isEmpty())
        return;
    auto snapshot = std::make_shared<Project>(*m_project());
    PlanDialog dialog(tr("Re-parent %1").arg(id), snapshot->config.projectDir, m_parent);
    dialog.setObjectName(QStringLiteral("reparentDialog"));
    auto *onto = new QComboBox(&dialog);
    onto->setObjectName(QStringLiteral("onto"));
    const int revision = snapshot->graph.indexOf(id);
    const auto below = snapshot->graph.descendants({revision}, true);
    // Heads first: re-parenting is usually onto the other branch's head.
    for (const QList<int> &group : {snapshot->graph.heads(), snapshot->graph.history()}) {
        for (int i : group) {
            const QString candidate = snapshot->graph.revision(i).id;
            if (!below[i] && onto->findText(candidate) < 0)
                onto->addItem(candidate);
        }
    }
    dialog.addRow(tr("&Onto:"), onto);
    dialog.setPlanner([this, snapshot, id, onto] {
        return RevisionRewriter(*snapshot, known()).reparent(id, onto->currentText());
    });
    connect(onto, &QComboBox::currentTextChanged, &dialog, &PlanDialog::replan);
    if (run(dialog))
        apply(*dialog.plan());
}

void ReviewActions::markReviewed(const QString &id)
{
    if (!m_project() || id.isEmpty())
        return;
    auto snapshot = std::make_shared<Project>(*m_project());
    PlanDialog dialog(tr("Mark %1 Reviewed").arg(id), snapshot->config.projectDir, m_parent);
    dialog.setObjectName(QStringLiteral("reviewedDialog"));
    dialog.setPlanner(
        [this, snapshot, id] { return RevisionRewriter(*snapshot, known()).markReviewed(id); });
    if (run(dialog))
        apply(*dialog.plan());
}

void ReviewActions::merge()
{
    if (!m_project())
        return;
    auto snapshot = std::make_shared<Project>(*m_project());
    PlanDialog dialog(tr("Merge Heads"), snapshot->config.projectDir, m_parent);
    dialog.setObjectName(QStringLiteral("mergeDialog"));
    auto *message = new QLineEdit(tr("merge heads"), &dialog);
    message->setObjectName(QStringLiteral("message"));
    dialog.addRow(tr("&Message:"), message);
    dialog.setPlanner([this, snapshot, message] {
        return RevisionRewriter(*snapshot, known()).merge(message->text());
    });
    connect(message, &QLineEdit::textChanged, &dialog, &PlanDialog::replan);
    if (run(dialog))
        apply(*dialog.plan());
}

} // namespace Retort
