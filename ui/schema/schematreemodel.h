#pragma once

#include <QAbstractItemModel>
#include <QList>
#include <QString>

#include <vector>

namespace Retort {

// The Schema dock's tree: tables with their columns and keys, then views,
// enums and sequences, each row two columns (name, definition) and a mark
// ("added", "removed", "changed"). Rows live in one vector, so a schema of
// hundreds of tables is shown in a few milliseconds (an item per cell costs
// ten times that).
class SchemaTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role
    {
        KindRole = Qt::UserRole + 1, // "table", "column", "index", ... "group"
        TableRole,                   // the qualified table name
        NameRole,                    // the member's name
        MarkRole                     // "added", "removed", "changed" or empty
    };

    struct Row
    {
        int parent = -1; // -1: top level
        int row = 0;     // among its parent's children
        QList<int> children;
        QString kind, table, name, text, detail;
        QString mark;
        QString tip; // empty: the text and the definition
    };

    explicit SchemaTreeModel(QObject *parent = nullptr);

    // Building: add rows, then publish() shows them all at once.
    void clear();
    int add(int parent, const QString &kind, const QString &table, const QString &name,
            const QString &text, const QString &detail);
    Row &at(int row) { return m_building[size_t(row)]; }
    void publish();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    const QList<int> &childrenOf(const QModelIndex &parent) const;

    std::vector<Row> m_rows, m_building;
    QList<int> m_top, m_buildingTop;
};

} // namespace Retort
