#include "erlayout.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <QMutex>
#include <QSet>

#include <memory>

namespace Retort {

namespace {

QString referenced(const SchemaForeignKey &fk)
{
    return fk.refSchema.isEmpty() ? fk.refTable : fk.refSchema + u'.' + fk.refTable;
}

// Graphviz keeps global state (error handlers, plugin lists): one caller at a
// time, one context for the process.
QMutex &graphvizLock()
{
    static QMutex lock;
    return lock;
}

GVC_t *graphvizContext()
{
    static GVC_t *context = [] {
        agseterr(AGMAX); // errors come back as values, not on stderr
        return gvContext();
    }();
    return context;
}

void set(void *object, const char *name, const QByteArray &value)
{
    agsafeset(object, const_cast<char *>(name), const_cast<char *>(value.constData()),
              const_cast<char *>(""));
}

QByteArray inches(qreal points)
{
    return QByteArray::number(points / 72.0, 'f', 4);
}

} // namespace

const ErBox *ErLayout::box(const QString &table) const
{
    for (const ErBox &b : boxes)
        if (b.table == table)
            return &b;
    return nullptr;
}

QStringList ErDiagram::neighbourhood(const Schema &schema, const QStringList &focus, int hops)
{
    QStringList all;
    for (const SchemaTable &t : schema.tables)
        all.append(t.qualifiedName());
    QSet<QString> seen;
    for (const QString &f : focus)
        if (schema.table(f))
            seen.insert(f);
    if (seen.isEmpty() || hops < 0)
        return all;
    QHash<QString, QSet<QString>> next;
    for (const SchemaTable &t : schema.tables)
        for (const SchemaForeignKey &fk : t.foreignKeys) {
            next[t.qualifiedName()].insert(referenced(fk));
            next[referenced(fk)].insert(t.qualifiedName());
        }
    QList<QString> frontier(seen.cbegin(), seen.cend());
    for (int h = 0; h < hops && !frontier.isEmpty(); ++h) {
        QList<QString> following;
        for (const QString &t : std::as_const(frontier))
            for (const QString &n : next.value(t))
                if (!seen.contains(n)) {
                    seen.insert(n);
                    following.append(n);
                }
        frontier = following;
    }
    QStringList out;
    for (const QString &t : std::as_const(all))
        if (seen.contains(t))
            out.append(t);
    return out;
}

Result<ErLayout> ErDiagram::layout(const Schema &schema, const QStringList &tables,
                                   const QHash<QString, QSizeF> &sizes)
{
    using R = Result<ErLayout>;
    QStringList names = tables;
    if (names.isEmpty())
        for (const SchemaTable &t : schema.tables)
            names.append(t.qualifiedName());
    const QSet<QString> wanted(names.cbegin(), names.cend());
    ErLayout out;
    if (names.isEmpty())
        return out;

    QMutexLocker locker(&graphvizLock());
    GVC_t *gvc = graphvizContext();
    if (!gvc)
        return R::failure(QStringLiteral("Graphviz could not start (no layout plugins?)"));
    std::unique_ptr<Agraph_t, int (*)(Agraph_t *)> graph(
        agopen(const_cast<char *>("er"), Agdirected, nullptr), agclose);
    Agraph_t *g = graph.get();
    set(g, "rankdir", "RL"); // referenced tables to the left of those that refer to them
    set(g, "nodesep", "0.35");
    set(g, "ranksep", "0.8");
    set(g, "splines", "spline");

    QHash<QString, Agnode_t *> nodes;
    int serial = 0;
    for (const QString &name : std::as_const(names)) {
        // Node names are Graphviz's keys only; the table's own name is kept here.
        Agnode_t *n = agnode(g, QByteArray("t" + QByteArray::number(serial++)).data(), 1);
        const QSizeF size = sizes.value(name, QSizeF(120, 40));
        set(n, "shape", "box");
        set(n, "fixedsize", "true");
        set(n, "label", "");
        set(n, "width", inches(size.width()));
        set(n, "height", inches(size.height()));
        nodes.insert(name, n);
    }
    struct Pending
    {
        Agedge_t *edge;
        ErEdge info;
    };
    QList<Pending> pending;
    for (const SchemaTable &t : schema.tables) {
        const QString from = t.qualifiedName();
        if (!wanted.contains(from))
            continue;
        for (const SchemaForeignKey &fk : t.foreignKeys) {
            const QString to = referenced(fk);
            if (!wanted.contains(to))
                continue;
            ErEdge info{from,
                        to,
                        fk.name.isEmpty() ? fk.columns.join(QStringLiteral(", ")) : fk.name,
                        fk.columns,
                        fk.refColumns,
                        {}};
            Agedge_t *e = agedge(g, nodes.value(from), nodes.value(to),
                                 QByteArray("k" + QByteArray::number(serial++)).data(), 1);
            set(e, "dir", "none");
            pending.append({e, info});
        }
    }

    if (gvLayout(gvc, g, "dot") != 0) {
        const char *message = aglasterr();
        return R::failure(QStringLiteral("Graphviz could not lay out the diagram: %1")
                              .arg(message ? QString::fromUtf8(message).trimmed()
                                           : QStringLiteral("unknown error")));
    }
    const boxf bb = GD_bb(g);
    auto at = [&](pointf p) { return QPointF(p.x - bb.LL.x, bb.UR.y - p.y); };
    out.size = QSizeF(bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y);
    for (const QString &name : std::as_const(names)) {
        Agnode_t *n = nodes.value(name);
        const QPointF centre = at(ND_coord(n));
        const qreal w = ND_width(n) * 72.0, h = ND_height(n) * 72.0;
        out.boxes.append({name, QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h)});
    }
    for (Pending &p : pending) {
        const splines *spl = ED_spl(p.edge);
        if (spl && spl->size > 0) {
            const bezier &bz = spl->list[0];
            for (int i = 0; i < bz.size; ++i)
                p.info.curve.append(at(bz.list[i]));
        }
        out.edges.append(p.info);
    }
    gvFreeLayout(gvc, g);
    return out;
}

} // namespace Retort
