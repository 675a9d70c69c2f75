#include "runspanel.h"

#include "core/run/runlog.h"

#include <QHeaderView>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Retort {

RunsPanel::RunsPanel(QWidget *parent)
    : QWidget(parent)
    , m_list(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("runsPanel"));
    m_list->setObjectName(QStringLiteral("runs"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels(
        {tr("When"), tr("Database"), tr("What"), tr("Steps"), tr("Result"), tr("Who")});
    m_list->setColumnWidth(0, 150);
    m_list->setColumnWidth(1, 260);
    m_list->setColumnWidth(2, 220);
    m_list->setColumnWidth(3, 60);
    m_list->setColumnWidth(4, 220);
    m_list->header()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_list);
}

void RunsPanel::showProject(const QString &key)
{
    m_key = key;
    reload();
}

void RunsPanel::reload()
{
    m_list->clear();
    if (m_key.isEmpty())
        return;
    const QList<RunLogEntry> entries = RunLog::read(m_key);
    for (auto it = entries.crbegin(); it != entries.crend(); ++it) {
        const RunLogEntry &e = *it;
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, QLocale().toString(e.when.toLocalTime(), QLocale::ShortFormat));
        item->setText(1, e.database);
        item->setText(2, e.command + u' ' + e.target);
        item->setText(3, QString::number(e.steps.size()));
        item->setToolTip(3, e.steps.join(u'\n'));
        item->setText(4, e.ok ? tr("ok") : e.error.isEmpty() ? tr("failed") : e.error);
        item->setToolTip(4, e.error);
        if (!e.ok)
            item->setForeground(4, QColor(0xc6, 0x28, 0x28));
        item->setText(5, e.user);
    }
    if (entries.isEmpty()) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, tr("No run yet for this project."));
        item->setFirstColumnSpanned(true);
    }
}

} // namespace Retort
