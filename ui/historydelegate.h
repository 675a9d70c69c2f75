#pragma once

#include <QStyledItemDelegate>

namespace Retort {

// Paints the history's graph column (lanes, forks, merges, node glyphs) and
// the badges before each message, from the model's data only.
class HistoryDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit HistoryDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static constexpr int kLaneWidth = 16;
    static QColor laneColor(int lane);
    // The label and colour of one badge key from HistoryModel::BadgesRole.
    static QString badgeText(const QString &badge);
    static QColor badgeColor(const QString &badge);
    // Where each badge of the message column stands, and which one is at `pos`.
    static QList<QPair<QString, QRectF>> badgeRects(const QStyleOptionViewItem &option,
                                                    const QModelIndex &index);
    static QString badgeAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                           const QPoint &pos);

private:
    static void drawBackground(QPainter *painter, const QStyleOptionViewItem &opt);
    void paintGraph(QPainter *painter, const QStyleOptionViewItem &option,
                    const QModelIndex &index) const;
    void paintMessage(QPainter *painter, const QStyleOptionViewItem &option,
                      const QModelIndex &index) const;
};

} // namespace Retort
