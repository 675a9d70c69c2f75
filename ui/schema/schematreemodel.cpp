#include "schematreemodel.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QPalette>

namespace Retort {

namespace {

QColor markColor(const QString &mark, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightnessF() < 0.5;
    if (mark == u"added")
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x1b, 0x5e, 0x20);
    if (mark == u"removed")
        return dark ? QColor(0xef, 0x9a, 0x9a) : QColor(0xb7, 0x1c, 0x1c);
    return dark ? QColor(0xff, 0xcc, 0x80) : QColor(0x9a, 0x5b, 0x00);
}

} // namespace

SchemaTreeModel::SchemaTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void SchemaTreeModel::clear()
{
    m_building.clear();
    m_buildingTop.clear();
}

int SchemaTreeModel::add(int parent, const QString &kind, const QString &table, const QString &name,
                         const QString &text, const QString &detail)
{
    const int id = int(m_building.size());
    Row r;
    r.parent = parent;
    r.kind = kind;
    r.table = table;
    r.name = name;
    r.text = text;
    r.detail = detail;
    QList<int> &siblings = parent < 0 ? m_buildingTop : m_building[size_t(parent)].children;
    r.row = int(siblings.size());
    siblings.append(id);
    m_building.push_back(std::move(r));
    return id;
}

void SchemaTreeModel::publish()
{
    beginResetModel();
    m_rows.swap(m_building);
    m_top.swap(m_buildingTop);
    m_building.clear();
    m_buildingTop.clear();
    endResetModel();
}

const QList<int> &SchemaTreeModel::childrenOf(const QModelIndex &parent) const
{
    return parent.isValid() ? m_rows[size_t(parent.internalId())].children : m_top;
}

QModelIndex SchemaTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column > 1 || (parent.isValid() && parent.column() != 0))
        return {};
    const QList<int> &children = childrenOf(parent);
    if (row < 0 || row >= children.size())
        return {};
    return createIndex(row, column, quintptr(children.at(row)));
}

QModelIndex SchemaTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int p = m_rows[size_t(child.internalId())].parent;
    return p < 0 ? QModelIndex() : createIndex(m_rows[size_t(p)].row, 0, quintptr(p));
}

int SchemaTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(childrenOf(parent).size());
}

int SchemaTreeModel::columnCount(const QModelIndex &) const
{
    return 2;
}

QVariant SchemaTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Row &r = m_rows[size_t(index.internalId())];
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == 0 ? r.text : r.detail;
    case Qt::ToolTipRole:
        if (!r.tip.isEmpty())
            return r.tip;
        return r.detail.isEmpty() ? r.text : r.text + u'\n' + r.detail;
    case Qt::ForegroundRole:
        if (r.mark.isEmpty())
            return {};
        return markColor(r.mark, QApplication::palette());
    case Qt::FontRole: {
        if (r.mark.isEmpty())
            return {};
        QFont f = QApplication::font();
        f.setBold(r.mark != u"removed");
        f.setStrikeOut(r.mark == u"removed");
        return f;
    }
    case KindRole:
        return r.kind;
    case TableRole:
        return r.table;
    case NameRole:
        return r.name;
    case MarkRole:
        return r.mark.isEmpty() ? QVariant() : QVariant(r.mark);
    default:
        return {};
    }
}

QVariant SchemaTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == 0 ? tr("Name") : tr("Definition");
}

} // namespace Retort
