#include "erdiagramview.h"

#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QCompleter>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QImage>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPointer>
#include <QSaveFile>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace Retort {

namespace {

class TableItem : public QGraphicsItem
{
public:
    TableItem(const DiagramPainter *painter, const SchemaTable &table, const QRectF &rect,
              const DiagramMarks *marks)
        : m_painter(painter)
        , m_table(table)
        , m_rect(rect)
        , m_marks(marks)
    {
        setFlag(ItemIsSelectable);
        setData(0, table.qualifiedName());
        setToolTip(table.qualifiedName());
        setCursor(Qt::PointingHandCursor);
    }
    QRectF boundingRect() const override { return m_rect.adjusted(-2, -2, 2, 2); }
    void paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        m_painter->paintBox(p, m_table, m_rect, *m_marks);
    }
    QString table() const { return m_table.qualifiedName(); }

private:
    const DiagramPainter *m_painter;
    SchemaTable m_table;
    QRectF m_rect;
    const DiagramMarks *m_marks;
};

class EdgeItem : public QGraphicsItem
{
public:
    EdgeItem(const DiagramPainter *painter, const ErEdge &edge, const DiagramMarks *marks)
        : m_painter(painter)
        , m_edge(edge)
        , m_marks(marks)
        , m_bounds(DiagramPainter::path(edge).boundingRect().adjusted(-10, -10, 10, 10))
    {
        setToolTip(QStringLiteral("%1 (%2) → %3 (%4)")
                       .arg(edge.from, edge.columns.join(QStringLiteral(", ")), edge.to,
                            edge.refColumns.join(QStringLiteral(", "))));
        setZValue(-1);
    }
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        const QString &s = m_marks->selected;
        m_painter->paintEdge(p, m_edge, !s.isEmpty() && (m_edge.from == s || m_edge.to == s));
    }

private:
    const DiagramPainter *m_painter;
    ErEdge m_edge;
    const DiagramMarks *m_marks;
    QRectF m_bounds;
};

enum
{
    TableType = QGraphicsItem::UserType + 1
};

} // namespace

struct ErDiagramView::Shared
{
    std::unique_ptr<DiagramPainter> painter;
};

ErDiagramView::ErDiagramView(QWidget *parent)
    : QWidget(parent)
    , m_shared(std::make_shared<Shared>())
{
    m_shared->painter = std::make_unique<DiagramPainter>(palette(), font());
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("Find table…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(110);
    m_search->setToolTip(tr("Type a table's name and press Enter to go to it"));
    m_hops = new QComboBox;
    m_hops->addItem(tr("All tables"), -1);
    for (int h = 1; h <= 3; ++h)
        m_hops->addItem(tr("%n hop(s)", nullptr, h), h);
    m_hops->setToolTip(tr("Show only the tables within N foreign keys of the selected table"));
    auto button = [this, bar](const QString &text, const QString &tip, auto slot) {
        auto *b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        connect(b, &QToolButton::clicked, this, slot);
        bar->addWidget(b);
        return b;
    };
    bar->addWidget(m_search, 1);
    bar->addWidget(m_hops);
    button(tr("−"), tr("Zoom out (-)"), [this] { zoomBy(1 / 1.25); });
    button(tr("+"), tr("Zoom in (+)"), [this] { zoomBy(1.25); });
    button(tr("Fit"), tr("Fit the diagram to the view (F)"), [this] {
        m_autoFit = true;
        fit();
    });
    button(tr("Export…"), tr("Save the diagram as SVG or PNG"), [this] { exportDiagram(); });
    m_caption = new QLabel;
    m_caption->setWordWrap(true);
    m_caption->setContentsMargins(6, 0, 6, 0);
    m_scene = new QGraphicsScene(this);
    m_view = new QGraphicsView(m_scene);
    m_view->setDragMode(QGraphicsView::ScrollHandDrag);
    m_view->setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    m_view->setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->viewport()->installEventFilter(this);
    m_view->installEventFilter(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_bar = new QWidget;
    m_bar->setLayout(bar);
    layout->addWidget(m_bar);
    layout->addWidget(m_caption);
    layout->addWidget(m_view, 1);

    connect(m_search, &QLineEdit::returnPressed, this, &ErDiagramView::search);
    connect(m_hops, &QComboBox::currentIndexChanged, this, [this] {
        m_fitNext = true;
        relayout();
    });
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        const QList<QGraphicsItem *> selected = m_scene->selectedItems();
        if (selected.isEmpty())
            return;
        const QString table = selected.first()->data(0).toString();
        if (table.isEmpty() || table == m_marks.selected)
            return;
        m_marks.selected = table;
        m_focus = table;
        m_scene->update();
        Q_EMIT tableActivated(table);
        if (m_hops->currentData().toInt() >= 0)
            relayout();
    });
}

ErDiagramView::~ErDiagramView() = default;

void ErDiagramView::setSchema(const Schema &schema, const DiagramMarks &marks,
                              const QString &caption)
{
    const bool sameTables = [&] {
        if (schema.tables.size() != m_schema.tables.size())
            return false;
        for (qsizetype i = 0; i < schema.tables.size(); ++i)
            if (schema.tables.at(i).qualifiedName() != m_schema.tables.at(i).qualifiedName())
                return false;
        return true;
    }();
    const QString selected = m_marks.selected;
    m_schema = schema;
    m_marks = marks;
    if (m_marks.selected.isEmpty() && schema.table(selected))
        m_marks.selected = selected;
    if (!schema.table(m_focus))
        m_focus.clear();
    m_caption->setText(caption);
    QStringList names;
    for (const SchemaTable &t : schema.tables)
        names.append(t.qualifiedName());
    auto *completer = new QCompleter(names, m_search);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    delete m_search->completer();
    m_search->setCompleter(completer);
    if (!sameTables)
        m_fitNext = true;
    relayout();
}

void ErDiagramView::clear(const QString &message)
{
    ++m_generation;
    m_pending = false;
    m_schema = Schema();
    m_layout = ErLayout();
    m_caption->setText(message);
    m_scene->clear();
}

void ErDiagramView::focusTable(const QString &table)
{
    if (!m_schema.table(table))
        return;
    m_focus = table;
    m_marks.selected = table;
    if (m_hops->currentData().toInt() >= 0) {
        m_fitNext = true;
        relayout();
    } else {
        rebuild();
    }
}

void ErDiagramView::setHops(int hops)
{
    const int i = m_hops->findData(hops);
    if (i >= 0)
        m_hops->setCurrentIndex(i);
}

void ErDiagramView::showAround(const QStringList &tables, int hops)
{
    m_focusTables = tables;
    m_focusHops = hops;
}

void ErDiagramView::setControlsVisible(bool visible)
{
    m_bar->setVisible(visible);
}

int ErDiagramView::tableItems() const
{
    int n = 0;
    for (QGraphicsItem *item : m_scene->items())
        n += item->data(0).toString().isEmpty() ? 0 : 1;
    return n;
}

int ErDiagramView::edgeItems() const
{
    return int(m_scene->items().size()) - tableItems();
}

void ErDiagramView::relayout()
{
    const quint64 generation = ++m_generation;
    m_pending = true;
    const QStringList tables =
        ErDiagram::neighbourhood(m_schema, m_focus.isEmpty() ? m_focusTables : QStringList{m_focus},
                                 m_focus.isEmpty() ? m_focusHops : m_hops->currentData().toInt());
    const QHash<QString, QSizeF> sizes = m_shared->painter->sizes(m_schema);
    QPointer<ErDiagramView> self(this);
    const Schema schema = m_schema;
    // Graphviz runs on a worker thread; only the newest layout is shown.
    (void)QtConcurrent::run([self, generation, schema, tables, sizes] {
        auto result = ErDiagram::layout(schema, tables, sizes);
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, result] {
                if (!self || self->m_generation != generation)
                    return;
                self->m_pending = false;
                if (!result) {
                    self->m_layout = ErLayout();
                    self->m_scene->clear();
                    self->m_caption->setText(result.error());
                } else {
                    self->m_layout = result.value();
                    self->rebuild();
                }
                Q_EMIT self->laidOut();
            },
            Qt::QueuedConnection);
    });
}

void ErDiagramView::rebuild()
{
    const QSignalBlocker blocker(m_scene);
    m_scene->clear();
    const DiagramPainter *painter = m_shared->painter.get();
    for (const ErEdge &e : std::as_const(m_layout.edges))
        m_scene->addItem(new EdgeItem(painter, e, &m_marks));
    for (const ErBox &b : std::as_const(m_layout.boxes)) {
        if (const SchemaTable *t = m_schema.table(b.table)) {
            auto *item = new TableItem(painter, *t, b.rect, &m_marks);
            m_scene->addItem(item);
            if (b.table == m_marks.selected)
                item->setSelected(true);
        }
    }
    m_scene->setSceneRect(QRectF(QPointF(0, 0), m_layout.size).adjusted(-20, -20, 20, 20));
    m_scene->setBackgroundBrush(painter->background());
    if (m_fitNext || m_autoFit) {
        m_fitNext = false;
        fit();
    }
}

void ErDiagramView::fit()
{
    if (m_scene->items().isEmpty())
        return;
    m_view->fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    // A small schema is not blown up beyond the largest fit.
    if (const qreal scale = m_view->transform().m11(); scale > m_largestFit)
        m_view->scale(m_largestFit / scale, m_largestFit / scale);
}

void ErDiagramView::zoomBy(qreal factor)
{
    m_autoFit = false;
    const qreal scale = m_view->transform().m11() * factor;
    if (scale < 0.05 || scale > 8)
        return;
    m_view->scale(factor, factor);
}

void ErDiagramView::search()
{
    const QString text = m_search->text().trimmed();
    if (text.isEmpty())
        return;
    QString found;
    for (const SchemaTable &t : std::as_const(m_schema.tables)) {
        const QString name = t.qualifiedName();
        if (name.compare(text, Qt::CaseInsensitive) == 0) {
            found = name;
            break;
        }
        if (found.isEmpty() && name.contains(text, Qt::CaseInsensitive))
            found = name;
    }
    if (found.isEmpty()) {
        m_caption->setText(tr("No table matches “%1”.").arg(text));
        return;
    }
    focusTable(found);
    if (const ErBox *b = m_layout.box(found))
        m_view->centerOn(b->rect.center());
    Q_EMIT tableActivated(found);
}

bool ErDiagramView::exportTo(const QString &file, QString *error) const
{
    const bool png = QFileInfo(file).suffix().compare(u"png", Qt::CaseInsensitive) == 0;
    QByteArray bytes;
    if (png) {
        const qreal scale = 2; // sharp on a high-density screen or a slide
        QImage image((m_layout.size * scale).toSize().expandedTo(QSize(1, 1)),
                     QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(scale);
        QPainter p(&image);
        m_shared->painter->paint(&p, m_schema, m_layout, m_marks);
        p.end();
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
    } else {
        bytes = m_shared->painter->svg(m_schema, m_layout, m_marks, m_caption->text());
    }
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        *error = out.errorString();
        return false;
    }
    return true;
}

void ErDiagramView::exportDiagram()
{
    if (m_layout.boxes.isEmpty())
        return;
    QString filter;
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export Diagram"), QStringLiteral("schema.svg"),
                                     tr("SVG image (*.svg);;PNG image (*.png)"), &filter);
    if (file.isEmpty())
        return;
    QString error;
    if (!exportTo(file, &error))
        QMessageBox::warning(this, tr("Export Diagram"),
                             tr("Could not write %1: %2").arg(file, error));
}

bool ErDiagramView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel && watched == m_view->viewport()) {
        auto *wheel = static_cast<QWheelEvent *>(event);
        if (wheel->modifiers() & Qt::ControlModifier) {
            zoomBy(std::pow(1.0015, wheel->angleDelta().y()));
            return true;
        }
    }
    // Until the user zooms, the diagram fits the view whatever its size.
    if (event->type() == QEvent::Resize && watched == m_view && m_autoFit)
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_autoFit)
                    fit();
            },
            Qt::QueuedConnection);
    if (event->type() == QEvent::KeyPress && watched == m_view) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoomBy(1.25);
            return true;
        case Qt::Key_Minus:
            zoomBy(1 / 1.25);
            return true;
        case Qt::Key_F:
        case Qt::Key_0:
            m_autoFit = true;
            fit();
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ErDiagramView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        m_shared->painter = std::make_unique<DiagramPainter>(palette(), font());
        rebuild(); // the items point at the painter
        if (!m_schema.tables.isEmpty())
            relayout();
    }
    QWidget::changeEvent(event);
}

} // namespace Retort
