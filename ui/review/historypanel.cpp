#include "historypanel.h"

#include "ui/historydelegate.h"

#include "core/graph/historymodel.h"

#include <QActionGroup>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QSettings>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace Retort {

HistoryPanel::HistoryPanel(HistoryModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
{
    m_view->setModel(m_model);
    m_view->setItemDelegate(new HistoryDelegate(m_view));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    // Ctrl+click a second revision: the schema panel shows their diff.
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(HistoryModel::GraphColumn, QHeaderView::Fixed);
    m_view->header()->setSectionResizeMode(HistoryModel::MessageColumn, QHeaderView::Stretch);
    // The message takes the spare width; long ids elide in the middle.
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setColumnWidth(HistoryModel::RevisionColumn, 160);
    m_view->setColumnWidth(
        HistoryModel::DateColumn,
        m_view->fontMetrics().horizontalAdvance(QStringLiteral("2026-11-27 10:00")) + 16);
    m_view->setObjectName(QStringLiteral("history"));
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    m_filter->setPlaceholderText(tr("Filter by id, message or file name (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setObjectName(QStringLiteral("filter"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        const QString current = currentRevisionId();
        m_model->setFilter(text.trimmed());
        if (!current.isEmpty())
            selectRevision(current);
        Q_EMIT filterChanged();
    });
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        m_view->setFocus();
        if (!m_view->currentIndex().isValid() && m_model->rowCount() > 0)
            m_view->setCurrentIndex(m_model->index(0, HistoryModel::RevisionColumn));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HistoryPanel::currentRevisionChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryPanel::selectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        // As wide as the widest row's lanes, and never narrower than its title.
        const int title = m_view->header()->fontMetrics().horizontalAdvance(tr("Graph")) + 16;
        m_view->header()->resizeSection(
            HistoryModel::GraphColumn,
            qMax(title, m_model->maxLanes() * HistoryDelegate::kLaneWidth + 8));
    });
    // Where a double-click was comes from its press.
    m_view->viewport()->installEventFilter(this);
    connect(m_view, &QAbstractItemView::doubleClicked, this, &HistoryPanel::doubleClicked);
}

bool HistoryPanel::selectRevision(const QString &id)
{
    const int row = m_model->rowOfRevision(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, HistoryModel::RevisionColumn);
    // This revision alone, whatever modifier keys are held.
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

QString HistoryPanel::currentRevisionId() const
{
    return m_view->currentIndex().data(HistoryModel::RevisionIdRole).toString();
}

QStringList HistoryPanel::selectedRevisionIds() const
{
    QList<int> rows;
    for (const QModelIndex &i :
         m_view->selectionModel()->selectedRows(HistoryModel::RevisionColumn))
        if (!i.data(HistoryModel::IsGhostRole).toBool())
            rows.append(i.row());
    // Older (lower) rows first; with more than two the last two picked count.
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    QStringList ids;
    for (int row : std::as_const(rows))
        ids.append(m_model->index(row, HistoryModel::RevisionColumn)
                       .data(HistoryModel::RevisionIdRole)
                       .toString());
    if (ids.size() > 2)
        ids = {ids.first(), ids.last()};
    if (ids.isEmpty() && !currentRevisionId().isEmpty())
        ids.append(currentRevisionId());
    return ids;
}

void HistoryPanel::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

bool HistoryPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() &&
        (event->type() == QEvent::MouseButtonPress || event->type() == QEvent::MouseButtonDblClick))
        m_lastClick = static_cast<QMouseEvent *>(event)->position().toPoint();
    return QWidget::eventFilter(watched, event);
}

void HistoryPanel::doubleClicked(const QModelIndex &index)
{
    QStyleOptionViewItem option;
    option.initFrom(m_view->viewport());
    option.rect = m_view->visualRect(index);
    const QString badge = HistoryDelegate::badgeAt(option, index, m_lastClick);
    if (!badge.startsWith(u"error:") && !badge.startsWith(u"warning:") &&
        !index.data(HistoryModel::IsGhostRole).toBool())
        return;
    const QString path = index.data(HistoryModel::FilePathRole).toString();
    const int line = index.data(HistoryModel::ProblemLineRole).toInt();
    // After `activated`, which opens the revision at its id.
    QTimer::singleShot(0, this, [this, path, line] { Q_EMIT problemActivated(path, line); });
}

void HistoryPanel::addOrderMenu(QMenu *view)
{
    QMenu *order = view->addMenu(tr("&Order"));
    auto *orders = new QActionGroup(this);
    QAction *alembicOrder = order->addAction(tr("&Alembic's Order"));
    QAction *newestOrder = order->addAction(tr("&Newest First (by Create Date)"));
    alembicOrder->setObjectName(QStringLiteral("alembicOrderAction"));
    newestOrder->setObjectName(QStringLiteral("newestFirstOrderAction"));
    for (QAction *a : {alembicOrder, newestOrder}) {
        a->setCheckable(true);
        orders->addAction(a);
    }
    const bool newest = QSettings().value(QStringLiteral("ui/newestFirst")).toBool();
    (newest ? newestOrder : alembicOrder)->setChecked(true);
    m_model->setOrder(newest ? HistoryModel::Order::NewestFirst : HistoryModel::Order::Alembic);
    connect(orders, &QActionGroup::triggered, this, [this, newestOrder](QAction *a) {
        const QString selected = currentRevisionId();
        const bool byDate = a == newestOrder;
        QSettings().setValue(QStringLiteral("ui/newestFirst"), byDate);
        m_model->setOrder(byDate ? HistoryModel::Order::NewestFirst : HistoryModel::Order::Alembic);
        if (!selected.isEmpty())
            selectRevision(selected);
    });
}

} // namespace Retort
