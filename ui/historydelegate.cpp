#include "historydelegate.h"

#include "core/graph/historymodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QVarLengthArray>

namespace Retort {

HistoryDelegate::HistoryDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

QColor HistoryDelegate::laneColor(int lane)
{
    // Mid-saturation hues that read on light and dark palettes alike.
    static const QColor colors[] = {QColor(0x3b, 0x82, 0xc4), QColor(0xd9, 0x7a, 0x2b),
                                    QColor(0x4a, 0xa8, 0x5c), QColor(0xb8, 0x4f, 0xb0),
                                    QColor(0xc9, 0x4a, 0x4a), QColor(0x2f, 0xa3, 0xa3),
                                    QColor(0x9a, 0x8a, 0x2e), QColor(0x7a, 0x6c, 0xd8)};
    return colors[lane % 8];
}

QString HistoryDelegate::badgeText(const QString &badge)
{
    if (badge == u"head")
        return tr("head");
    if (badge == u"effective-head")
        return tr("effective head");
    if (badge == u"base")
        return tr("base");
    if (badge == u"merge")
        return tr("merge");
    if (badge == u"branch")
        return tr("branch point");
    if (badge == u"new")
        return tr("new: not yet renamed");
    if (badge.startsWith(u"label:"))
        return badge.mid(6);
    if (badge.startsWith(u"db:")) // db:COLOR:NAME
        return badge.section(u':', 2);
    if (badge.startsWith(u"error:"))
        return tr("%n error(s)", nullptr, badge.mid(6).toInt());
    if (badge.startsWith(u"warning:"))
        return tr("%n warning(s)", nullptr, badge.mid(8).toInt());
    if (badge == u"ghost")
        return tr("missing");
    if (badge == u"untracked")
        return tr("untracked");
    if (badge == u"uncommitted")
        return tr("uncommitted");
    if (badge.startsWith(u"depends:"))
        return tr("depends on %1").arg(badge.mid(8).left(12));
    if (badge.startsWith(u"needed-by:"))
        return tr("needed by %1").arg(badge.mid(10).left(12));
    return badge;
}

QColor HistoryDelegate::badgeColor(const QString &badge)
{
    if (badge.startsWith(u"db:"))
        return QColor(badge.section(u':', 1, 1));
    if (badge.startsWith(u"error:") || badge == u"ghost")
        return QColor(0xc6, 0x28, 0x28);
    if (badge.startsWith(u"warning:"))
        return QColor(0xb0, 0x6a, 0x00);
    if (badge == u"head" || badge == u"effective-head")
        return QColor(0x2e, 0x9e, 0x4f);
    if (badge == u"base")
        return QColor(0x80, 0x80, 0x80);
    if (badge == u"merge")
        return QColor(0x8e, 0x5b, 0xc9);
    if (badge == u"branch")
        return QColor(0x3b, 0x82, 0xc4);
    if (badge == u"new")
        return QColor(0xe0, 0x7b, 0x1a);
    if (badge == u"untracked" || badge == u"uncommitted")
        return QColor(0x6d, 0x6f, 0x9e);
    if (badge.startsWith(u"label:"))
        return QColor(0x1f, 0x95, 0x95);
    return QColor(0x8a, 0x8a, 0x8a);
}

void HistoryDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    if (index.column() == HistoryModel::GraphColumn)
        paintGraph(painter, option, index);
    else if (index.column() == HistoryModel::MessageColumn)
        paintMessage(painter, option, index);
    else if (index.data(HistoryModel::PendingRole).toBool() &&
             !(option.state & QStyle::State_Selected)) {
        QStyleOptionViewItem dim = option;
        dim.palette.setColor(QPalette::Text, option.palette.color(QPalette::PlaceholderText));
        QStyledItemDelegate::paint(painter, dim, index);
    } else {
        QStyledItemDelegate::paint(painter, option, index);
    }
}

void HistoryDelegate::drawBackground(QPainter *painter, const QStyleOptionViewItem &opt)
{
    // The style's row background (selection, hover, alternate rows), no text.
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
}

void HistoryDelegate::paintGraph(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    drawBackground(painter, opt);

    const LaneRow lanes = index.data(HistoryModel::LaneRole).value<LaneRow>();
    const QRect r = option.rect;
    const qreal top = r.top();
    const qreal bottom = r.bottom() + 1;
    const qreal cy = r.center().y() + 0.5;
    auto x = [&](int lane) { return r.left() + kLaneWidth / 2.0 + lane * kLaneWidth; };

    painter->save();
    // Only what the paint event exposes: in a wide history most lanes of a
    // row lie outside the visible part of the column.
    const QRectF visible =
        (painter->hasClipping() ? painter->clipBoundingRect() : QRectF(r)).intersected(QRectF(r));
    painter->setClipRect(r, Qt::IntersectClip);
    const qreal left = visible.left() - kLaneWidth;
    const qreal right = visible.right() + kLaneWidth;
    auto shown = [&](int from, int to) {
        return qMax(x(from), x(to)) >= left && qMin(x(from), x(to)) <= right;
    };
    // Straight lane lines, batched per colour and drawn without
    // antialiasing (they are vertical); curves as antialiased S-paths that
    // leave and arrive vertically.
    QVarLengthArray<QLineF, 16> straight[8];
    auto edge = [&](int from, int to, qreal y0, qreal y1, int colorLane) {
        if (!shown(from, to))
            return;
        if (from == to) {
            straight[colorLane % 8].append(QLineF(x(from), y0, x(to), y1));
            return;
        }
        QPainterPath path(QPointF(x(from), y0));
        path.cubicTo(x(from), y1, x(to), y0, x(to), y1);
        painter->setRenderHint(QPainter::Antialiasing, true);
        painter->setPen(QPen(laneColor(colorLane), 2.0, Qt::SolidLine, Qt::RoundCap));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(path);
    };
    for (const LaneEdge &e : lanes.upper)
        edge(e.from, e.to, top, cy, e.from);
    for (const LaneEdge &e : lanes.lower)
        edge(e.from, e.to, cy, bottom, e.to);
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (int c = 0; c < 8; ++c) {
        if (straight[c].isEmpty())
            continue;
        painter->setPen(QPen(laneColor(c), 2.0, Qt::SolidLine, Qt::FlatCap));
        painter->drawLines(straight[c].constData(), int(straight[c].size()));
    }
    painter->setRenderHint(QPainter::Antialiasing, true);

    const QStringList badges = index.data(HistoryModel::BadgesRole).toStringList();
    const bool isNew = index.data(HistoryModel::IsNewRole).toBool();
    const bool merge = badges.contains(QStringLiteral("merge"));
    const bool dependency = std::any_of(badges.cbegin(), badges.cend(), [](const QString &b) {
        return b.startsWith(u"depends:") || b.startsWith(u"needed-by:");
    });
    const QPointF centre(x(lanes.node), cy);
    if (index.data(HistoryModel::IsGhostRole).toBool()) {
        // A placeholder: a hollow dashed ring where the missing revision would be.
        painter->setPen(QPen(badgeColor(QStringLiteral("ghost")), 1.5, Qt::DashLine));
        painter->setBrush(opt.palette.color(QPalette::Base));
        painter->drawEllipse(centre, 5.0, 5.0);
        painter->restore();
        return;
    }
    const QColor color = isNew ? badgeColor(QStringLiteral("new")) : laneColor(lanes.node);
    if (dependency) {
        // A dashed ring marks both ends of a depends_on link.
        painter->setPen(QPen(opt.palette.color(QPalette::Text), 1.2, Qt::DashLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(centre, 6.5, 6.5);
    }
    const bool selected = opt.state & QStyle::State_Selected;
    if (index.data(HistoryModel::PendingRole).toBool()) {
        // Not applied to the active database yet: a hollow node.
        painter->setPen(QPen(selected ? opt.palette.color(QPalette::HighlightedText) : color, 1.8));
        painter->setBrush(opt.palette.color(QPalette::Base));
        painter->drawEllipse(centre, 4.5, 4.5);
        painter->restore();
        return;
    }
    // On a selected row the highlight can match a lane colour: invert the glyph.
    painter->setPen(QPen(selected ? color.darker(130) : opt.palette.color(QPalette::Base), 1.5));
    painter->setBrush(selected ? opt.palette.color(QPalette::HighlightedText) : color);
    painter->drawEllipse(centre, merge ? 5.0 : 4.5, merge ? 5.0 : 4.5);
    if (merge) {
        painter->setBrush(selected ? color : opt.palette.color(QPalette::Base));
        painter->setPen(Qt::NoPen);
        painter->drawEllipse(centre, 2.0, 2.0);
    }
    painter->restore();
}

QList<QPair<QString, QRectF>> HistoryDelegate::badgeRects(const QStyleOptionViewItem &opt,
                                                          const QModelIndex &index)
{
    QFont small = opt.font;
    small.setPointSizeF(qMax(6.0, small.pointSizeF() * 0.85));
    const QFontMetrics sfm(small);
    QRect r = opt.rect.adjusted(4, 0, -4, 0);
    QList<QPair<QString, QRectF>> out;
    for (const QString &badge : index.data(HistoryModel::BadgesRole).toStringList()) {
        const int w = sfm.horizontalAdvance(badgeText(badge)) + 10;
        if (w > r.width() - 60)
            break; // leave room for the message itself
        out.append({badge, QRectF(r.left(), r.center().y() - sfm.height() / 2.0 - 1, w,
                                  sfm.height() + 2)});
        r.setLeft(r.left() + w + 4);
    }
    return out;
}

QString HistoryDelegate::badgeAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                 const QPoint &pos)
{
    for (const auto &[badge, rect] : badgeRects(option, index)) {
        if (rect.contains(pos))
            return badge;
    }
    return {};
}

void HistoryDelegate::paintMessage(QPainter *painter, const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    drawBackground(painter, opt);

    painter->save();
    QFont small = opt.font;
    small.setPointSizeF(qMax(6.0, small.pointSizeF() * 0.85));
    QRect r = opt.rect.adjusted(4, 0, -4, 0);
    painter->setRenderHint(QPainter::Antialiasing);
    for (const auto &[badge, box] : badgeRects(opt, index)) {
        const QString label = badgeText(badge);
        const QColor c = badgeColor(badge);
        const bool outline = badge.startsWith(u"depends:") || badge.startsWith(u"needed-by:");
        painter->setPen(outline ? QPen(c, 1, Qt::DashLine) : QPen(c.darker(115), 1));
        painter->setBrush(outline ? QBrush(Qt::NoBrush) : QBrush(c));
        painter->drawRoundedRect(box, 4, 4);
        painter->setFont(small);
        const bool selectedRow = opt.state & QStyle::State_Selected;
        // Outlined badges take the row's text colour: light on a selected row.
        painter->setPen(
            outline ? opt.palette.color(selectedRow ? QPalette::HighlightedText : QPalette::Text)
                    : QColor(Qt::white));
        painter->drawText(box, Qt::AlignCenter, label);
        r.setLeft(int(box.right()) + 5);
    }
    QFont font = opt.font;
    font.setBold(index.data(HistoryModel::IsNewRole).toBool());
    painter->setFont(font);
    const bool selected = opt.state & QStyle::State_Selected;
    // Pending on the active database: dimmed.
    const bool pending = index.data(HistoryModel::PendingRole).toBool();
    painter->setPen(opt.palette.color(selected  ? QPalette::HighlightedText
                                      : pending ? QPalette::PlaceholderText
                                                : QPalette::Text));
    painter->drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetrics(font).elidedText(text, Qt::ElideRight, r.width()));
    painter->restore();
}

QSize HistoryDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(qMax(size.height(), 22));
    if (index.column() == HistoryModel::GraphColumn) {
        const int lanes =
            index.model()->headerData(0, Qt::Horizontal, HistoryModel::MaxLanesRole).toInt();
        size.setWidth(qMax(1, lanes) * kLaneWidth + 6);
    }
    return size;
}

} // namespace Retort
