#pragma once

#include "core/diagram/erlayout.h"
#include "core/schema/schema.h"
#include "core/schema/schemadiff.h"

#include <QColor>
#include <QFont>
#include <QHash>
#include <QPainterPath>
#include <QSet>

class QPainter;
class QPalette;

namespace Retort {

// What a revision did to the diagram's tables, to highlight them.
struct DiagramMarks
{
    QSet<QString> addedTables;
    QSet<QString> changedTables;
    QSet<QString> changedColumns; // "table.column"
    QString selected;             // the table the user picked
    // What `changes` did: added tables, tables whose columns, keys, indexes
    // or constraints changed, and the columns added or changed.
    static DiagramMarks of(const QList<SchemaChange> &changes);
    QStringList touchedTables() const;
    bool touches(const QString &table) const
    {
        return addedTables.contains(table) || changedTables.contains(table);
    }
};

// How Retort draws an ER diagram: the same boxes and curves in the window
// (QGraphicsView items), in SVG and PNG exports and in the HTML export.
// Paints on any QPainter and from any thread.
class DiagramPainter
{
public:
    explicit DiagramPainter(const QPalette &palette, const QFont &font = QFont());

    // Each table's box size, in points, to hand to Graphviz.
    QHash<QString, QSizeF> sizes(const Schema &schema) const;
    QSizeF boxSize(const SchemaTable &table) const;

    void paintBox(QPainter *p, const SchemaTable &table, const QRectF &rect,
                  const DiagramMarks &marks) const;
    void paintEdge(QPainter *p, const ErEdge &edge, bool highlighted) const;
    static QPainterPath path(const ErEdge &edge);
    // The whole diagram on a background, at the layout's own size.
    void paint(QPainter *p, const Schema &schema, const ErLayout &layout,
               const DiagramMarks &marks) const;
    QByteArray svg(const Schema &schema, const ErLayout &layout, const DiagramMarks &marks,
                   const QString &title) const;

    QColor background() const { return m_background; }
    // The most columns a box lists; the rest are summed up in one line.
    static constexpr int kMaxRows = 24;

private:
    QFont m_font;
    QFont m_bold;
    qreal m_line = 0;
    qreal m_tagWidth = 0;
    QColor m_background, m_box, m_header, m_text, m_muted, m_border, m_edge, m_added, m_changed,
        m_selected;
};

} // namespace Retort
