#include "guarddialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Retort {

void GuardDialog::setFacts(const GuardFacts &facts, const QString &gitNote)
{
    m_list->clear();
    for (const GuardFacts::Reverted &r : facts.reverted) {
        QStringList notes;
        if (!r.destroys.isEmpty())
            notes << tr("destroys data: %1").arg(r.destroys.join(QStringLiteral(", ")));
        if (r.raisesDowngrade)
            notes << tr("downgrade raises NotImplementedError");
        else if (r.emptyDowngrade)
            notes << tr("downgrade is empty: nothing is undone");
        if (r.pushed == 1)
            notes << tr("already pushed (%1)").arg(r.pushedWhere);
        else if (r.pushed == 0)
            notes << tr("not pushed yet");
        auto *item =
            new QTreeWidgetItem(m_list, {r.id, r.message, notes.join(QStringLiteral("; "))});
        item->setToolTip(2, notes.join(u'\n'));
        if (!r.destroys.isEmpty() || r.raisesDowngrade || r.pushed == 1)
            item->setForeground(2, QColor(0xc6, 0x28, 0x28));
    }
    m_git->setText(gitNote);
}

QString GuardDialog::nameToType(const ConnectionProfile &profile)
{
    return GuardFacts::confirmationName(profile);
}

GuardDialog::GuardDialog(Action action, const ConnectionProfile &profile, const QString &from,
                         const QString &to, const GuardFacts &facts, QWidget *parent)
    : QDialog(parent)
    , m_list(new QTreeWidget(this))
    , m_git(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_confirm(new QPushButton(this))
{
    const bool stamp = action == Action::Stamp;
    const QString name = nameToType(profile);
    setWindowTitle(stamp ? tr("Stamp %1?").arg(profile.name)
                         : tr("Downgrade %1?").arg(profile.name));
    setObjectName(QStringLiteral("guardDialog"));
    const QString why = profile.shared ? tr("it is marked shared")
                                       : tr("it is not on this machine (%1)").arg(profile.host);
    auto *intro = new QLabel(this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    const int n = int(facts.reverted.size());
    intro->setText(
        (stamp ? tr("<p><b>%1</b> (%2) is a shared database: %3.</p><p>A stamp moves where it says "
                    "it stands from <b>%4</b> to <b>%5</b> without running anything. %n "
                    "revision(s) will be recorded as not applied although their changes stay in "
                    "the database.</p>",
                    nullptr, n)
               : tr("<p><b>%1</b> (%2) is a shared database: %3.</p><p>Downgrading it from "
                    "<b>%4</b> to <b>%5</b> reverts %n revision(s), newest first; what they "
                    "created is dropped, with its data.</p>",
                    nullptr, n))
            .arg(profile.name.toHtmlEscaped(), profile.displayUrl().toHtmlEscaped(), why,
                 from.toHtmlEscaped(), to.toHtmlEscaped()));

    m_list->setObjectName(QStringLiteral("reverted"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Revision"), tr("Message"), tr("What undoing it means")});
    m_list->setColumnWidth(0, 190);
    m_list->setColumnWidth(1, 150);
    m_list->setWordWrap(true);
    m_list->header()->setStretchLastSection(true);
    m_git->setObjectName(QStringLiteral("gitNote"));
    m_git->setWordWrap(true);
    setFacts(facts, tr("Asking git which of these revisions are already pushed…"));

    auto *prompt = new QLabel(tr("Type <b>%1</b> to confirm:").arg(name.toHtmlEscaped()), this);
    m_name->setObjectName(QStringLiteral("confirmName"));
    m_name->setPlaceholderText(name);
    m_confirm->setText(stamp ? tr("Stamp %1").arg(profile.name)
                             : tr("Downgrade %1").arg(profile.name));
    m_confirm->setEnabled(false);
    m_confirm->setAutoDefault(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_confirm, QDialogButtonBox::DestructiveRole);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(m_name, &QLineEdit::textChanged, this,
            [this, name](const QString &typed) { m_confirm->setEnabled(typed == name); });
    connect(m_confirm, &QPushButton::clicked, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_git);
    layout->addWidget(prompt);
    layout->addWidget(m_name);
    layout->addWidget(buttons);
    resize(880, 440);
}

} // namespace Retort
