#include "problemspanel.h"

#include "core/problemsmodel.h"

#include <QHeaderView>
#include <QMenu>

namespace Retort {

ProblemsPanel::ProblemsPanel(ProblemsModel *model,
                             std::function<QString(const QString &)> revisionOfFile,
                             QWidget *parent)
    : QTableView(parent)
    , m_model(model)
    , m_revisionOfFile(std::move(revisionOfFile))
{
    setModel(model);
    setObjectName(QStringLiteral("problems"));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    setWordWrap(false);
    setColumnWidth(ProblemsModel::SeverityColumn, 70);
    setColumnWidth(ProblemsModel::CodeColumn, 170);
    setColumnWidth(ProblemsModel::FileColumn, 260);
    setColumnWidth(ProblemsModel::LineColumn, 50);
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, &ProblemsPanel::showMenu);
    connect(this, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const QString path = index.data(ProblemsModel::FilePathRole).toString();
        if (!path.isEmpty())
            Q_EMIT openRequested(path, index.data(ProblemsModel::LineRole).toInt());
    });
}

void ProblemsPanel::showMenu(const QPoint &pos)
{
    const QModelIndex index = indexAt(pos);
    if (!index.isValid())
        return;
    const QString id = m_revisionOfFile(index.data(ProblemsModel::FilePathRole).toString());
    QMenu menu(this);
    menu.addAction(tr("&Open at Line"), this, [this, index] { Q_EMIT activated(index); });
    if (!id.isEmpty()) {
        menu.addAction(tr("Show in &History"), this,
                       [this, id] { Q_EMIT showRevisionRequested(id); });
        const QString code =
            m_model->index(index.row(), ProblemsModel::CodeColumn).data().toString();
        if (code.startsWith(u"naming") || code == u"revision-not-stem" ||
            code.startsWith(u"docstring"))
            menu.addAction(tr("&Normalize This Revision…"), this,
                           [this, id] { Q_EMIT normalizeRequested(id); });
        if (code == u"unreviewed-autogenerate")
            menu.addAction(tr("Mark &Reviewed…"), this,
                           [this, id] { Q_EMIT markReviewedRequested(id); });
        if (code == u"down-revision-not-previous" || code == u"naming-duplicate-number")
            menu.addAction(tr("Re-&parent This Revision…"), this,
                           [this, id] { Q_EMIT reparentRequested(id); });
    }
    menu.exec(viewport()->mapToGlobal(pos));
}

} // namespace Retort
