#include "schemapanel.h"

#include "core/schema/schemamonitor.h"

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

namespace {

using Object = SchemaChange::Object;
using Kind = SchemaChange::Kind;

const QList<QPair<Object, QString>> kMembers = {{Object::PrimaryKey, QStringLiteral("primary key")},
                                                {Object::Index, QStringLiteral("index")},
                                                {Object::Unique, QStringLiteral("unique")},
                                                {Object::ForeignKey, QStringLiteral("foreign key")},
                                                {Object::Check, QStringLiteral("check")}};

QString kindName(Object o)
{
    if (o == Object::Column)
        return QStringLiteral("column");
    for (const auto &[object, name] : kMembers)
        if (object == o)
            return name;
    return SchemaChange::objectName(o);
}

QString markKey(const QString &kind, const QString &table, const QString &name)
{
    return kind + u'\x1f' + table + u'\x1f' + name;
}

} // namespace

SchemaPanel::SchemaPanel(SchemaMonitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_caption(new QLabel)
    , m_filter(new QLineEdit)
    , m_view(new QTreeView)
    , m_model(new SchemaTreeModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_caption->setWordWrap(true);
    m_caption->setContentsMargins(4, 2, 4, 2);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_filter->setPlaceholderText(tr("Filter tables and columns…"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->header()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_caption);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        if (!text.isEmpty())
            m_view->expandAll();
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &SchemaPanel::contextMenu);
    auto remember = [this](const QModelIndex &index, bool open) {
        const QString table = index.data(TableRole).toString();
        if (index.data(KindRole).toString() != u"table")
            return;
        m_expanded.removeAll(table);
        if (open)
            m_expanded.append(table);
    };
    connect(m_view, &QTreeView::expanded, this,
            [remember](const QModelIndex &i) { remember(i, true); });
    connect(m_view, &QTreeView::collapsed, this,
            [remember](const QModelIndex &i) { remember(i, false); });
    m_caption->setText(tr("Select a revision to see the schema at it."));
}

QString SchemaPanel::caption() const
{
    return m_caption->text();
}

void SchemaPanel::showRevisions(const QStringList &revisions)
{
    m_revisions = revisions;
    if (revisions.isEmpty()) {
        m_model->clear();
        m_model->publish();
        m_caption->setText(tr("Select a revision to see the schema at it."));
        return;
    }
    const QString target = revisions.last();
    std::optional<Schema> after = m_monitor->snapshot(target);
    std::optional<Schema> before;
    std::optional<QList<SchemaChange>> changes;
    if (revisions.size() > 1) {
        before = m_monitor->snapshot(revisions.first());
        if (before && after)
            changes = SchemaDiff::compare(*before, *after);
    } else {
        changes = m_monitor->changesOf(target);
    }
    if (!after || !changes) {
        const QString waitingFor = !after ? target : revisions.first();
        QString text;
        if (!m_monitor->diagnostics().isEmpty())
            text =
                tr("No schema at %1: the replay stopped before it (see Problems).").arg(waitingFor);
        else if (m_monitor->busy())
            text =
                tr("Waiting for the schema at %1: the history is being replayed…").arg(waitingFor);
        else
            text = tr("No schema at %1.").arg(waitingFor);
        m_model->clear();
        m_model->publish();
        m_caption->setText(text);
        Q_EMIT waiting(text);
        return;
    }
    const QString text =
        revisions.size() > 1
            ? tr("Changes from %1 to %2: %n change(s)", nullptr, int(changes->size()))
                  .arg(revisions.first(), target)
            : tr("Schema at %1: %n table(s); %2", nullptr, int(after->tables.size()))
                  .arg(target, changes->isEmpty()
                                   ? tr("no change to the schema")
                                   : tr("%n change(s) marked", nullptr, int(changes->size())));
    m_caption->setText(text);
    populate(*after, *changes);

    const DiagramMarks marks = DiagramMarks::of(*changes);
    Q_EMIT schemaShown(*after, marks, text);
}

void SchemaPanel::populate(const Schema &schema, const QList<SchemaChange> &changes)
{
    // What changed, by kind, table and member name.
    QHash<QString, const SchemaChange *> marks;
    for (const SchemaChange &c : changes)
        marks.insert(markKey(kindName(c.object), c.table,
                             c.object == Object::Table || c.object == Object::View ||
                                     c.object == Object::Enum || c.object == Object::Sequence
                                 ? QString()
                                 : c.name),
                     &c);
    SchemaTreeModel *model = m_model;
    auto mark = [&](int row, const SchemaChange *c) {
        if (!c)
            return;
        SchemaTreeModel::Row &r = model->at(row);
        r.mark = c->kind == Kind::Added     ? QStringLiteral("added")
                 : c->kind == Kind::Removed ? QStringLiteral("removed")
                                            : QStringLiteral("changed");
        r.tip = c->describe();
        if (c->kind == Kind::Changed)
            r.tip += tr("\nwas: %1\nnow: %2").arg(c->before, c->after);
        r.text += c->kind == Kind::Added     ? QStringLiteral("  +")
                  : c->kind == Kind::Removed ? QStringLiteral("  −")
                                             : QStringLiteral("  ~");
    };

    model->clear();
    QSet<QString> shownTables;
    QSet<QString> touched;
    for (const SchemaChange &c : changes)
        touched.insert(c.table);
    for (const SchemaTable &t : schema.tables) {
        const QString table = t.qualifiedName();
        shownTables.insert(table);
        const int ti = model->add(-1, QStringLiteral("table"), table, QString(), table,
                                  tr("%n column(s)", nullptr, int(t.columns.size())));
        for (const SchemaColumn &c : t.columns) {
            const int ci = model->add(ti, QStringLiteral("column"), table, c.name, c.name,
                                      SchemaText::column(c).section(u' ', 1));
            if (!marks.isEmpty())
                mark(ci, marks.value(markKey(QStringLiteral("column"), table, c.name)));
        }
        for (const auto &[object, kind] : kMembers) {
            const QMap<QString, QString> members = SchemaDiff::members(t, object);
            for (auto m = members.cbegin(); m != members.cend(); ++m) {
                const int mi =
                    model->add(ti, kind, table, m.key(),
                               m.key() == kind ? kind : kind + u' ' + m.key(), m.value());
                if (!marks.isEmpty())
                    mark(mi, marks.value(markKey(kind, table, m.key())));
            }
        }
        if (!touched.contains(table))
            continue;
        // What the revision removed from the table, struck out.
        for (const SchemaChange &c : changes)
            if (c.kind == Kind::Removed && c.table == table && c.object != Object::Table) {
                const QString kind = kindName(c.object);
                mark(model->add(ti, kind, table, c.name,
                                kind == u"column" ? c.name : kind + u' ' + c.name, c.before),
                     &c);
            }
        mark(ti, marks.value(markKey(QStringLiteral("table"), table, QString())));
        if (model->at(ti).mark.isEmpty()) {
            // Not the table itself: its members changed.
            model->at(ti).mark = QStringLiteral("changed");
            model->at(ti).tip = tr("%1: the revision changed its members").arg(table);
        }
    }
    for (const SchemaChange &c : changes)
        if (c.object == Object::Table && c.kind == Kind::Removed && !shownTables.contains(c.table))
            mark(model->add(-1, QStringLiteral("table"), c.table, QString(), c.table, c.before),
                 &c);
    auto group = [&](const QString &title, const QString &kind, Object object,
                     const QList<QPair<QString, QString>> &items) {
        QList<QPair<QString, QString>> all = items;
        for (const SchemaChange &c : changes)
            if (c.object == object && c.kind == Kind::Removed)
                all.append({c.table, c.before});
        if (all.isEmpty())
            return;
        const int g = model->add(-1, QStringLiteral("group"), QString(), QString(), title,
                                 QString::number(all.size()));
        for (const auto &[name, text] : all)
            mark(model->add(g, kind, name, QString(), name, text),
                 marks.value(markKey(kind, name, QString())));
    };
    QList<QPair<QString, QString>> views, enums, sequences;
    for (const SchemaView &v : schema.views)
        views.append({v.qualifiedName(), v.sql.simplified()});
    for (const SchemaEnum &e : schema.enums)
        enums.append({e.qualifiedName(), e.values.join(QStringLiteral(", "))});
    for (const SchemaSequence &s : schema.sequences)
        sequences.append({s.qualifiedName(), s.type});
    group(tr("Views"), kindName(Object::View), Object::View, views);
    group(tr("Enums"), kindName(Object::Enum), Object::Enum, enums);
    group(tr("Sequences"), kindName(Object::Sequence), Object::Sequence, sequences);
    model->publish();

    // Open the tables the user had open and those the revision changed.
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const QModelIndex index = m_proxy->index(r, 0);
        if (m_expanded.contains(index.data(TableRole).toString()) ||
            index.data(MarkRole).toString() == u"changed")
            m_view->setExpanded(index, true);
    }
    m_view->resizeColumnToContents(0);
}

QList<QPair<QString, QString>> SchemaPanel::events(const QList<BlameEntry> &blame,
                                                   const QString &table,
                                                   const QString &column) const
{
    QList<QPair<QString, QString>> out;
    for (const BlameEntry &e : blame) {
        if (e.table != table)
            continue;
        if (!column.isEmpty() && !(e.object == Object::Column && e.name == column))
            continue;
        for (const BlameEvent &ev : e.events)
            out.append({ev.revision, ev.change.describe()});
    }
    // Oldest first, in the history's order (the entries come sorted by key).
    std::stable_sort(out.begin(), out.end(), [&](const auto &a, const auto &b) {
        return m_monitor->orderOf(a.first) < m_monitor->orderOf(b.first);
    });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

QList<QPair<QString, QString>> SchemaPanel::blameOf(const QString &table, const QString &column)
{
    if (m_revisions.isEmpty())
        return {};
    const QString revision = m_revisions.last();
    forgetStaleBlame();
    if (!m_blame.contains(revision)) {
        auto blame = m_monitor->blame(revision);
        if (!blame)
            return {};
        if (m_monitor->busy())
            return events(blame.value(), table, column);
        m_blame.insert(revision, blame.value());
    }
    return events(m_blame.value(revision), table, column);
}

void SchemaPanel::forgetStaleBlame()
{
    if (m_blameGeneration != m_monitor->generation()) {
        m_blame.clear();
        m_blameGeneration = m_monitor->generation();
    }
}

void SchemaPanel::fillBlame(QMenu *menu, const QList<QPair<QString, QString>> &events)
{
    menu->clear();
    if (events.isEmpty())
        menu->addAction(tr("(not known yet: the history is being replayed)"))->setEnabled(false);
    for (const auto &[revision, what] : events) {
        const QString id = revision;
        menu->addAction(QStringLiteral("%1 — %2").arg(revision, what), this,
                        [this, id] { Q_EMIT revisionActivated(id); });
    }
}

void SchemaPanel::blameMenu(QMenu *menu, const QString &table, const QString &column)
{
    if (m_revisions.isEmpty())
        return;
    const QString revision = m_revisions.last();
    forgetStaleBlame();
    if (m_blame.contains(revision)) {
        fillBlame(menu, events(m_blame.value(revision), table, column));
        return;
    }
    menu->addAction(tr("Finding the revisions…"))->setEnabled(false);
    QPointer<SchemaPanel> self(this);
    QPointer<QMenu> open(menu);
    const SchemaSource source = m_monitor->detachedSource();
    const quint64 generation = m_monitor->generation();
    (void)QtConcurrent::run([self, open, source, revision, table, column, generation] {
        auto blame = source.blame(revision);
        QMetaObject::invokeMethod(
            qApp,
            [self, open, blame, revision, table, column, generation] {
                if (!self)
                    return;
                self->forgetStaleBlame();
                // Kept once the replay is over (until then more may come).
                if (blame && generation == self->m_blameGeneration && !self->m_monitor->busy())
                    self->m_blame.insert(revision, blame.value());
                if (open)
                    self->fillBlame(open, blame ? self->events(blame.value(), table, column)
                                                : QList<QPair<QString, QString>>());
            },
            Qt::QueuedConnection);
    });
}

void SchemaPanel::contextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    const QString kind = index.data(KindRole).toString();
    if (kind != u"table" && kind != u"column")
        return;
    const QString table = index.data(TableRole).toString();
    const QString column = kind == u"column" ? index.data(NameRole).toString() : QString();
    QMenu menu(this);
    QMenu *blame =
        menu.addMenu(column.isEmpty() ? tr("Revisions That Made %1").arg(table)
                                      : tr("Revisions That Made %1.%2").arg(table, column));
    blameMenu(blame, table, column);
    menu.addSeparator();
    menu.addAction(tr("Expand All"), m_view, &QTreeView::expandAll);
    menu.addAction(tr("Collapse All"), m_view, &QTreeView::collapseAll);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace Retort
