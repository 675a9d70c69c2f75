#pragma once

#include "core/edit/editplan.h"

#include <QDialog>

#include <functional>
#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;

namespace Retort {

// Previews an edit plan before anything is written: the fields that shape
// it, the whole change as a diff, notes, and warnings that must be
// acknowledged. Accepting the dialog means "apply this plan".
class PlanDialog : public QDialog
{
    Q_OBJECT

public:
    using Planner = std::function<Result<EditPlan>()>;

    PlanDialog(const QString &title, const QString &projectDir, QWidget *parent = nullptr);

    // Adds an input row; call replan() when it changes.
    void addRow(const QString &label, QWidget *field);
    void setPlanner(Planner planner);
    void replan();

    const std::optional<EditPlan> &plan() const { return m_plan; }
    QString diffText() const;
    QString problemText() const;
    bool canApply() const;

private:
    void updateButtons();

    QString m_projectDir;
    Planner m_planner;
    std::optional<EditPlan> m_plan;
    QFormLayout *m_form;
    QLabel *m_summary;
    QLabel *m_problem;
    QPlainTextEdit *m_diff;
    QCheckBox *m_confirm;
    QDialogButtonBox *m_buttons;
};

} // namespace Retort
