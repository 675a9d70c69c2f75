#include "diagnosticsdialog.h"

#include "core/db/profilestore.h"
#include "core/project.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

DiagnosticsDialog::DiagnosticsDialog(std::optional<ProjectConfig> config,
                                     QList<ConnectionProfile> profiles, QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(tr("Checking what this machine has for Retort…")))
    , m_list(new QTextBrowser)
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
    m_list->setOpenLinks(false);
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
    // A table whose details wrap: a long path or message stays readable.
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QString missing = dark ? QStringLiteral("#ff8a80") : QStringLiteral("#b71c1c");
    const QString absent = dark ? QStringLiteral("#ffcc66") : QStringLiteral("#9a5b00");
    QString h = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"4\" width=\"100%\">");
    h += QStringLiteral("<tr><th align=\"left\">%1</th><th align=\"left\">%2</th>"
                        "<th align=\"left\">%3</th></tr>")
             .arg(tr("State"), tr("What"), tr("Details"));
    for (const DoctorCheck &c : checks) {
        const QString state = c.ok ? tr("ok") : c.needed ? tr("missing") : tr("absent");
        const QString colour = c.ok ? QString() : c.needed ? missing : absent;
        QString detail = c.detail.toHtmlEscaped();
        if (!c.ok)
            detail += QStringLiteral("<br/><i>%1</i>")
                          .arg(tr("Install: sudo apt install %1").arg(c.package).toHtmlEscaped());
        h += QStringLiteral("<tr><td valign=\"top\"><b%1>%2</b></td>"
                            "<td valign=\"top\" style=\"white-space:nowrap\">%3</td>"
                            "<td valign=\"top\">%4</td></tr>")
                 .arg(colour.isEmpty() ? QString()
                                       : QStringLiteral(" style=\"color:%1\"").arg(colour),
                      state, c.name.toHtmlEscaped(), detail);
    }
    h += QStringLiteral("</table>");
    m_list->setHtml(h);
    m_summary->setText(Doctor::report(checks).section(u'\n', -3).trimmed());
    Q_EMIT checked();
}

QString DiagnosticsDialog::shownText() const
{
    return m_list->toPlainText();
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
