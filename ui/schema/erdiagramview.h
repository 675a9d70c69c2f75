#pragma once

#include "core/diagram/erlayout.h"
#include "diagrampainter.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QLineEdit;

namespace Retort {

// The ER diagram of one schema: boxes and foreign keys laid out by Graphviz
// on a worker thread, drawn in a QGraphicsView (Ctrl+wheel or +/- zoom, drag
// to pan, F or 0 fits). For a large schema: search a table, show only its
// neighbourhood (N foreign-key hops). Exports SVG and PNG.
class ErDiagramView : public QWidget
{
    Q_OBJECT
public:
    explicit ErDiagramView(QWidget *parent = nullptr);
    ~ErDiagramView() override;

    // Shows `schema` with `marks` (what the revision touched); `caption` says
    // which revision it is.
    void setSchema(const Schema &schema, const DiagramMarks &marks, const QString &caption);
    void clear(const QString &message);
    // The table whose neighbourhood is shown (empty: every table).
    void focusTable(const QString &table);
    void setHops(int hops); // -1: all tables
    // Without a focus table: only the tables within `hops` keys of any of
    // `tables` (a presentation's "what this revision touched"); hops < 0 or
    // no tables: every table. Applies from the next setSchema.
    void showAround(const QStringList &tables, int hops);
    // The search, hops, zoom and export bar (hidden in a presentation).
    void setControlsVisible(bool visible);
    // How far fitting may enlarge a small diagram (1: never beyond its size).
    void setLargestFit(qreal scale) { m_largestFit = scale; }

    // What is on screen, for tests and exports.
    const ErLayout &layout() const { return m_layout; }
    int tableItems() const;
    int edgeItems() const;
    bool layoutPending() const { return m_pending; }
    QGraphicsView *view() const { return m_view; }

    bool exportTo(const QString &file, QString *error) const;

public Q_SLOTS:
    void fit();
    void zoomBy(qreal factor);
    void exportDiagram();

Q_SIGNALS:
    void tableActivated(const QString &table);
    void laidOut();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void relayout();
    void rebuild();
    void search();

    QLineEdit *m_search = nullptr;
    QComboBox *m_hops = nullptr;
    QLabel *m_caption = nullptr;
    QGraphicsView *m_view = nullptr;
    QGraphicsScene *m_scene = nullptr;
    Schema m_schema;
    DiagramMarks m_marks;
    ErLayout m_layout;
    QString m_focus;
    QStringList m_focusTables; // showAround()
    int m_focusHops = -1;
    QWidget *m_bar = nullptr;
    qreal m_largestFit = 1.0;
    quint64 m_generation = 0;
    bool m_pending = false;
    bool m_fitNext = true;
    bool m_autoFit = true; // until the user zooms
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

} // namespace Retort
