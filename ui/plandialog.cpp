#include "plandialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSyntaxHighlighter>
#include <QVBoxLayout>

namespace Retort {

namespace {

// Colours a unified diff: additions, removals, hunk and file headers.
class DiffHighlighter : public QSyntaxHighlighter
{
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString &text) override
    {
        QTextCharFormat f;
        if (text.startsWith(u"+++") || text.startsWith(u"---") || text.startsWith(u"diff ") ||
            text.startsWith(u"rename ") || text.startsWith(u"new file") ||
            text.startsWith(u"deleted file")) {
            f.setFontWeight(QFont::Bold);
        } else if (text.startsWith(u'+')) {
            f.setForeground(QColor(0x2e, 0x9e, 0x4f));
        } else if (text.startsWith(u'-')) {
            f.setForeground(QColor(0xd0, 0x3b, 0x3b));
        } else if (text.startsWith(u"@@")) {
            f.setForeground(QColor(0x3b, 0x82, 0xc4));
        } else {
            return;
        }
        setFormat(0, int(text.size()), f);
    }
};

} // namespace

PlanDialog::PlanDialog(const QString &title, const QString &projectDir, QWidget *parent)
    : QDialog(parent)
    , m_projectDir(projectDir)
    , m_form(new QFormLayout)
    , m_summary(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_diff(new QPlainTextEdit(this))
    , m_confirm(new QCheckBox(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(title);
    resize(900, 640);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold"));
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_diff->setObjectName(QStringLiteral("diff"));
    new DiffHighlighter(m_diff->document());
    m_confirm->hide();
    auto *apply = m_buttons->addButton(tr("&Apply"), QDialogButtonBox::AcceptRole);
    apply->setObjectName(QStringLiteral("apply"));
    apply->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_summary);
    layout->addWidget(m_diff, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_confirm);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_confirm, &QCheckBox::toggled, this, &PlanDialog::updateButtons);
}

void PlanDialog::addRow(const QString &label, QWidget *field)
{
    m_form->addRow(label, field);
}

void PlanDialog::setPlanner(Planner planner)
{
    m_planner = std::move(planner);
    replan();
}

void PlanDialog::replan()
{
    Result<EditPlan> result =
        m_planner ? m_planner() : Result<EditPlan>::failure(tr("Nothing to do."));
    m_confirm->setChecked(false);
    if (!result) {
        m_plan.reset();
        m_summary->clear();
        m_diff->clear();
        m_problem->setText(result.error());
        m_problem->show();
        m_confirm->hide();
        updateButtons();
        return;
    }
    m_plan = result.value();
    QString summary = m_plan->title;
    for (const QString &note : m_plan->notes)
        summary += u'\n' + tr("Note: %1").arg(note);
    m_summary->setText(summary);
    m_diff->setPlainText(m_plan->diff(m_projectDir));
    m_problem->setText(m_plan->warnings.join(u'\n'));
    m_problem->setVisible(m_plan->needsConfirmation());
    m_confirm->setText(tr("I understand; apply anyway"));
    m_confirm->setVisible(m_plan->needsConfirmation());
    updateButtons();
}

bool PlanDialog::canApply() const
{
    return m_plan && (!m_plan->needsConfirmation() || m_confirm->isChecked());
}

void PlanDialog::updateButtons()
{
    for (QAbstractButton *b : m_buttons->buttons()) {
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(canApply());
    }
}

QString PlanDialog::diffText() const
{
    return m_diff->toPlainText();
}

QString PlanDialog::problemText() const
{
    return m_problem->isVisible() ? m_problem->text() : QString();
}

} // namespace Retort
