#include "diagrampainter.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>
#include <QSvgGenerator>

#include <cmath>

namespace Retort {

namespace {

constexpr qreal kPad = 6;

bool isForeignKeyColumn(const SchemaTable &t, const QString &column)
{
    for (const SchemaForeignKey &fk : t.foreignKeys)
        if (fk.columns.contains(column))
            return true;
    return false;
}

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t,
                            a.greenF() * (1 - t) + b.greenF() * t,
                            a.blueF() * (1 - t) + b.blueF() * t);
}

} // namespace

DiagramMarks DiagramMarks::of(const QList<SchemaChange> &changes)
{
    using Kind = SchemaChange::Kind;
    using Object = SchemaChange::Object;
    DiagramMarks marks;
    for (const SchemaChange &c : changes) {
        if (c.object == Object::Table && c.kind == Kind::Added)
            marks.addedTables.insert(c.table);
        else if (c.object != Object::View && c.object != Object::Enum &&
                 c.object != Object::Sequence && c.object != Object::Table)
            marks.changedTables.insert(c.table);
        if (c.object == Object::Column && c.kind != Kind::Removed)
            marks.changedColumns.insert(c.table + u'.' + c.name);
    }
    return marks;
}

QStringList DiagramMarks::touchedTables() const
{
    QStringList out(addedTables.cbegin(), addedTables.cend());
    for (const QString &t : changedTables)
        if (!addedTables.contains(t))
            out.append(t);
    out.sort();
    return out;
}

DiagramPainter::DiagramPainter(const QPalette &palette, const QFont &font)
    : m_font(font)
    , m_bold(font)
{
    m_bold.setBold(true);
    m_line = QFontMetricsF(m_font).height() + 3;
    // The PK/FK tag column: as wide as the font makes "PK" and a gap.
    m_tagWidth = std::ceil(QFontMetricsF(m_font).horizontalAdvance(QStringLiteral("PK")) + 6);
    m_background = palette.color(QPalette::Base);
    m_box = palette.color(QPalette::Base);
    m_text = palette.color(QPalette::Text);
    m_header = mix(palette.color(QPalette::Base), palette.color(QPalette::Highlight), 0.18);
    m_muted = mix(m_text, m_background, 0.45);
    m_border = mix(m_text, m_background, 0.6);
    m_edge = mix(m_text, m_background, 0.35);
    const bool dark = m_background.lightnessF() < 0.5;
    m_added = dark ? QColor(0x2e, 0x7d, 0x32) : QColor(0x43, 0xa0, 0x47);
    m_changed = dark ? QColor(0xc7, 0x8a, 0x00) : QColor(0xef, 0x9f, 0x00);
    m_selected = palette.color(QPalette::Highlight);
}

QSizeF DiagramPainter::boxSize(const SchemaTable &t) const
{
    const QFontMetricsF fm(m_font), bm(m_bold);
    qreal names = 0, types = 0;
    const int rows = int(std::min<qsizetype>(t.columns.size(), kMaxRows));
    for (int i = 0; i < rows; ++i) {
        names = std::max(names, fm.horizontalAdvance(t.columns.at(i).name));
        types = std::max(types, fm.horizontalAdvance(t.columns.at(i).type.toLower()));
    }
    qreal width = kPad + m_tagWidth + names + 2 * kPad + types + 2 * kPad;
    width = std::max(width, bm.horizontalAdvance(t.qualifiedName()) + 2 * kPad);
    int lines = rows + (t.columns.size() > kMaxRows ? 1 : 0);
    return QSizeF(std::ceil(std::max<qreal>(width, 90)), std::ceil(m_line * (lines + 1) + kPad));
}

QHash<QString, QSizeF> DiagramPainter::sizes(const Schema &schema) const
{
    QHash<QString, QSizeF> out;
    for (const SchemaTable &t : schema.tables)
        out.insert(t.qualifiedName(), boxSize(t));
    return out;
}

void DiagramPainter::paintBox(QPainter *p, const SchemaTable &t, const QRectF &rect,
                              const DiagramMarks &marks) const
{
    const QString name = t.qualifiedName();
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const bool added = marks.addedTables.contains(name);
    const bool changed = marks.changedTables.contains(name);
    QColor frame = added ? m_added : changed ? m_changed : m_border;
    qreal frameWidth = (added || changed) ? 2.5 : 1;
    if (marks.selected == name) {
        frame = m_selected;
        frameWidth = 3;
    }
    p->setPen(Qt::NoPen);
    p->setBrush(m_box);
    p->drawRoundedRect(rect, 4, 4);
    const QRectF header(rect.left(), rect.top(), rect.width(), m_line + kPad / 2);
    QPainterPath headerPath;
    headerPath.addRoundedRect(header, 4, 4);
    headerPath.addRect(header.adjusted(0, header.height() / 2, 0, 0));
    p->setBrush(added     ? mix(m_header, m_added, 0.35)
                : changed ? mix(m_header, m_changed, 0.35)
                          : m_header);
    p->drawPath(headerPath.simplified());
    p->setFont(m_bold);
    p->setPen(m_text);
    p->drawText(header.adjusted(kPad, 0, -kPad, 0), Qt::AlignVCenter | Qt::AlignLeft, name);

    const QFontMetricsF fm(m_font);
    qreal names = 0;
    const int rows = int(std::min<qsizetype>(t.columns.size(), kMaxRows));
    for (int i = 0; i < rows; ++i)
        names = std::max(names, fm.horizontalAdvance(t.columns.at(i).name));
    p->setFont(m_font);
    qreal y = header.bottom() + 1;
    for (int i = 0; i < rows; ++i, y += m_line) {
        const SchemaColumn &c = t.columns.at(i);
        const QRectF row(rect.left(), y, rect.width(), m_line);
        if (marks.changedColumns.contains(name + u'.' + c.name)) {
            p->fillRect(row.adjusted(1, 0, -1, 0),
                        QColor(m_changed.red(), m_changed.green(), m_changed.blue(), 70));
        }
        const QString tag = c.primaryKey                    ? QStringLiteral("PK")
                            : isForeignKeyColumn(t, c.name) ? QStringLiteral("FK")
                                                            : QString();
        p->setPen(m_muted);
        p->drawText(QRectF(row.left() + kPad, y, m_tagWidth, m_line), Qt::AlignVCenter, tag);
        QFont nameFont = m_font;
        nameFont.setUnderline(c.primaryKey);
        nameFont.setItalic(c.nullable && !c.primaryKey);
        p->setFont(nameFont);
        p->setPen(m_text);
        p->drawText(QRectF(row.left() + kPad + m_tagWidth, y, names + kPad, m_line),
                    Qt::AlignVCenter, c.name);
        p->setFont(m_font);
        p->setPen(m_muted);
        p->drawText(QRectF(row.left() + m_tagWidth + names + 3 * kPad, y,
                           rect.right() - (row.left() + m_tagWidth + names + 3 * kPad) - kPad,
                           m_line),
                    Qt::AlignVCenter, c.type.toLower());
    }
    if (t.columns.size() > kMaxRows) {
        p->setPen(m_muted);
        p->drawText(QRectF(rect.left() + kPad, y, rect.width() - 2 * kPad, m_line),
                    Qt::AlignVCenter,
                    QStringLiteral("… %1 more columns").arg(t.columns.size() - kMaxRows));
    }
    p->setBrush(Qt::NoBrush);
    p->setPen(QPen(frame, frameWidth));
    p->drawRoundedRect(rect, 4, 4);
    p->restore();
}

QPainterPath DiagramPainter::path(const ErEdge &e)
{
    QPainterPath path;
    if (e.curve.isEmpty())
        return path;
    path.moveTo(e.curve.first());
    for (qsizetype i = 1; i + 2 < e.curve.size(); i += 3)
        path.cubicTo(e.curve.at(i), e.curve.at(i + 1), e.curve.at(i + 2));
    return path;
}

void DiagramPainter::paintEdge(QPainter *p, const ErEdge &e, bool highlighted) const
{
    if (e.curve.size() < 2)
        return;
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QColor colour = highlighted ? m_selected : m_edge;
    p->setPen(QPen(colour, highlighted ? 2 : 1.2));
    p->setBrush(Qt::NoBrush);
    p->drawPath(path(e));
    // An arrowhead at the referenced table; a bar at the referencing one.
    const QPointF tip = e.curve.last();
    const QPointF from = e.curve.at(e.curve.size() - 2);
    const qreal angle = std::atan2(tip.y() - from.y(), tip.x() - from.x());
    const qreal size = 8;
    QPolygonF head;
    head << tip << tip - QPointF(size * std::cos(angle - 0.4), size * std::sin(angle - 0.4))
         << tip - QPointF(size * std::cos(angle + 0.4), size * std::sin(angle + 0.4));
    p->setBrush(colour);
    p->drawPolygon(head);
    const QPointF start = e.curve.first();
    const QPointF next = e.curve.at(1);
    const qreal back = std::atan2(next.y() - start.y(), next.x() - start.x());
    const QPointF centre = start + QPointF(5 * std::cos(back), 5 * std::sin(back));
    const QPointF across(4 * std::cos(back + M_PI / 2), 4 * std::sin(back + M_PI / 2));
    p->drawLine(centre - across, centre + across);
    p->restore();
}

void DiagramPainter::paint(QPainter *p, const Schema &schema, const ErLayout &layout,
                           const DiagramMarks &marks) const
{
    p->fillRect(QRectF(QPointF(0, 0), layout.size), m_background);
    for (const ErEdge &e : layout.edges)
        paintEdge(p, e,
                  !marks.selected.isEmpty() &&
                      (e.from == marks.selected || e.to == marks.selected));
    for (const ErBox &b : layout.boxes)
        if (const SchemaTable *t = schema.table(b.table))
            paintBox(p, *t, b.rect, marks);
}

QByteArray DiagramPainter::svg(const Schema &schema, const ErLayout &layout,
                               const DiagramMarks &marks, const QString &title) const
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setTitle(title);
    generator.setDescription(QStringLiteral("Drawn by Retort, laid out by Graphviz"));
    const QSizeF size = layout.size.isEmpty() ? QSizeF(1, 1) : layout.size;
    generator.setSize(size.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), size));
    generator.setResolution(72);
    QPainter painter(&generator);
    paint(&painter, schema, layout, marks);
    painter.end();
    return buffer.data();
}

} // namespace Retort
