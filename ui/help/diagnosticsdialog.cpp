#include "diagnosticsdialog.h"

#include "core/db/profilestore.h"
#include "core/project.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

DiagnosticsDialog::DiagnosticsDialog(std::optional<ProjectConfig> config,
                                     QList<ConnectionProfile> profiles, QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(tr("Checking what this machine has for Retort…")))
    , m_list(new QTreeWidget)
{
    setWindowTitle(tr("Diagnostics"));
    setObjectName(QStringLiteral("diagnosticsDialog"));
    m_header = tr("Retort %1, Qt %2\n%3\n")
                   .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                        config ? tr("Project: %1").arg(config->configFile) : tr("No project open"));
    auto *header = new QLabel(m_header.trimmed());
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_list->setHeaderLabels({tr("State"), tr("What"), tr("Details"), tr("Debian package")});
    m_list->setRootIsDecorated(false);
    m_list->setWordWrap(true);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *copy = buttons->addButton(tr("&Copy Report"), QDialogButtonBox::ActionRole);
    copy->setEnabled(false);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(report()); });
    connect(this, &DiagnosticsDialog::checked, copy, [copy] { copy->setEnabled(true); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(header);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(900, 420);

    QPointer<DiagnosticsDialog> self(this);
    (void)QtConcurrent::run([self, config, profiles] {
        const QList<DoctorCheck> checks = Doctor::check(config ? &*config : nullptr, profiles);
        QMetaObject::invokeMethod(
            qApp,
            [self, checks] {
                if (self)
                    self->showChecks(checks);
            },
            Qt::QueuedConnection);
    });
}

void DiagnosticsDialog::showChecks(const QList<DoctorCheck> &checks)
{
    m_checks = checks;
    m_list->clear();
    for (const DoctorCheck &c : checks) {
        auto *item = new QTreeWidgetItem({c.ok       ? tr("ok")
                                          : c.needed ? tr("missing")
                                                     : tr("absent"),
                                          c.name, c.detail, c.ok ? QString() : c.package});
        item->setToolTip(2, c.detail);
        if (!c.ok)
            item->setForeground(0, c.needed ? QColor(0xb7, 0x1c, 0x1c) : QColor(0x9a, 0x5b, 0x00));
        QFont bold = item->font(0);
        bold.setBold(true);
        item->setFont(0, bold);
        m_list->addTopLevelItem(item);
    }
    for (int column : {0, 1, 3})
        m_list->resizeColumnToContents(column);
    m_summary->setText(Doctor::report(checks).section(u'\n', -3).trimmed());
    Q_EMIT checked();
}

QString DiagnosticsDialog::report() const
{
    return m_header + u'\n' + Doctor::report(m_checks);
}

void DiagnosticsDialog::addTo(QMenu *help, QWidget *parent,
                              std::function<const Project *()> project)
{
    QAction *action = help->addAction(tr("&Diagnostics"), parent, [parent, project] {
        const Project *p = project();
        auto *dialog = new DiagnosticsDialog(
            p ? std::optional<ProjectConfig>(p->config) : std::nullopt,
            p ? ProfileStore::load(p->key()) : QList<ConnectionProfile>(), parent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    action->setObjectName(QStringLiteral("diagnosticsAction"));
    action->setToolTip(tr("What Retort uses on this machine, and what is missing"));
}

} // namespace Retort
