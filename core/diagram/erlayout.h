#pragma once

#include "core/result.h"
#include "core/schema/schema.h"

#include <QHash>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QStringList>

namespace Retort {

// Where one table's box stands, in points, origin at the top left, y down.
struct ErBox
{
    QString table; // qualified name
    QRectF rect;
};

// One foreign key: from the referencing table to the referenced one. `curve`
// is a cubic Bézier spline as Graphviz routes it: a start point, then three
// points per segment; it runs from `from`'s box to `to`'s box.
struct ErEdge
{
    QString from;
    QString to;
    QString name; // the key's name, or its columns when unnamed
    QStringList columns;
    QStringList refColumns;
    QList<QPointF> curve;
};

struct ErLayout
{
    QSizeF size;
    QList<ErBox> boxes;
    QList<ErEdge> edges;
    const ErBox *box(const QString &table) const;
};

// The entity-relationship diagram of a schema, laid out by Graphviz (dot,
// through cgraph and gvc): Retort decides how big each box is and draws it;
// Graphviz places the boxes and routes the foreign keys between them.
class ErDiagram
{
public:
    // The tables within `hops` foreign-key steps (either direction) of any
    // table in `focus`; every table when none of `focus` is in the schema,
    // or hops < 0.
    static QStringList neighbourhood(const Schema &schema, const QStringList &focus, int hops);

    // Lays out `tables` (qualified names; all of the schema's when empty)
    // and the foreign keys among them. `sizes` gives each box's size in
    // points. Safe from any thread (Graphviz is not; calls are serialised).
    static Result<ErLayout> layout(const Schema &schema, const QStringList &tables,
                                   const QHash<QString, QSizeF> &sizes);
};

} // namespace Retort
