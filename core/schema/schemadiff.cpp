#include "schemadiff.h"

#include "schemahistory.h"

#include <QMap>
#include <QRegularExpression>

namespace Retort {

namespace {

using Object = SchemaChange::Object;
using Kind = SchemaChange::Kind;

// key -> description, for one kind of member.
using Members = QMap<QString, QString>;

QString sqlText(const QString &s)
{
    return s.simplified();
}

Members membersOf(const SchemaTable &t, Object o, const SchemaDiff::Options &options)
{
    Members m;
    switch (o) {
    case Object::Column:
        for (SchemaColumn c : t.columns) {
            if (options.normalizeTypes)
                c.type = SchemaDiff::canonicalType(c.type);
            c.defaultValue = sqlText(c.defaultValue);
            m.insert(c.name, SchemaText::column(c));
        }
        break;
    case Object::PrimaryKey:
        if (const QStringList pk = t.primaryKey(); !pk.isEmpty())
            m.insert(QStringLiteral("primary key"), u'(' + pk.join(QStringLiteral(", ")) + u')');
        break;
    case Object::Index:
        for (const SchemaIndex &i : t.indexes)
            m.insert(i.name, SchemaText::index(i));
        break;
    case Object::Unique:
        for (const SchemaUnique &u : t.uniques) {
            const QString cols = u'(' + u.columns.join(QStringLiteral(", ")) + u')';
            m.insert(u.name.isEmpty() ? cols : u.name, cols);
        }
        break;
    case Object::ForeignKey:
        for (const SchemaForeignKey &fk : t.foreignKeys) {
            const QString text = SchemaText::foreignKey(fk);
            m.insert(fk.name.isEmpty() ? u'(' + fk.columns.join(QStringLiteral(", ")) + u')'
                                       : fk.name,
                     text);
        }
        break;
    case Object::Check:
        for (const SchemaCheck &c : t.checks)
            m.insert(c.name.isEmpty() ? sqlText(c.sql) : c.name, sqlText(c.sql));
        break;
    default:
        break;
    }
    return m;
}

void compareMembers(const Members &a, const Members &b, Object o, const QString &table,
                    QList<SchemaChange> &out)
{
    for (auto it = a.cbegin(); it != a.cend(); ++it) {
        auto other = b.constFind(it.key());
        if (other == b.cend())
            out.append({Kind::Removed, o, table, it.key(), it.value(), QString()});
        else if (other.value() != it.value())
            out.append({Kind::Changed, o, table, it.key(), it.value(), other.value()});
    }
    for (auto it = b.cbegin(); it != b.cend(); ++it)
        if (!a.contains(it.key()))
            out.append({Kind::Added, o, table, it.key(), QString(), it.value()});
}

template<typename T, typename F> Members byQualifiedName(const QList<T> &list, F describe)
{
    Members m;
    for (const T &x : list)
        m.insert(x.qualifiedName(), describe(x));
    return m;
}

constexpr Object kMemberKinds[] = {Object::Column, Object::PrimaryKey, Object::Index,
                                   Object::Unique, Object::ForeignKey, Object::Check};

QString tableSummary(const SchemaTable &t)
{
    QStringList cols;
    for (const SchemaColumn &c : t.columns)
        cols.append(c.name);
    return u'(' + cols.join(QStringLiteral(", ")) + u')';
}

} // namespace

QString SchemaChange::objectName(Object o)
{
    switch (o) {
    case Object::Table:
        return QStringLiteral("table");
    case Object::Column:
        return QStringLiteral("column");
    case Object::PrimaryKey:
        return QStringLiteral("primary key");
    case Object::Index:
        return QStringLiteral("index");
    case Object::Unique:
        return QStringLiteral("unique constraint");
    case Object::ForeignKey:
        return QStringLiteral("foreign key");
    case Object::Check:
        return QStringLiteral("check constraint");
    case Object::View:
        return QStringLiteral("view");
    case Object::Enum:
        return QStringLiteral("enum");
    case Object::Sequence:
        return QStringLiteral("sequence");
    }
    return {};
}

QString SchemaChange::path() const
{
    if (object == Object::Table || object == Object::View || object == Object::Enum ||
        object == Object::Sequence || object == Object::PrimaryKey)
        return table;
    return table + u'.' + name;
}

QString SchemaChange::describe() const
{
    const QString sign = kind == Kind::Added     ? QStringLiteral("+")
                         : kind == Kind::Removed ? QStringLiteral("-")
                                                 : QStringLiteral("~");
    QString out = sign + u' ' + objectName(object) + u' ' + path();
    if (kind == Kind::Changed)
        out += QStringLiteral(": ") + before + QStringLiteral("  →  ") + after;
    else if (object != Object::Table || kind == Kind::Added)
        out += QStringLiteral(": ") + (kind == Kind::Added ? after : before);
    return out;
}

QString SchemaDiff::canonicalType(const QString &type)
{
    QString t = type.simplified().toLower();
    t.replace(QStringLiteral(" ("), QStringLiteral("("));
    static const QList<QPair<QRegularExpression, QString>> synonyms = [] {
        QList<QPair<QRegularExpression, QString>> s;
        auto add = [&](const char *pattern, const char *to) {
            s.append({QRegularExpression(QString::fromLatin1(pattern)), QString::fromLatin1(to)});
        };
        add("^character varying", "varchar");
        add("^character(?=\\(|$)", "char");
        add("^(int4|integer)$", "int");
        add("^(int8)$", "bigint");
        add("^(int2)$", "smallint");
        add("^(bool)$", "boolean");
        add("^(float8|double)$", "double precision");
        add("^(float4)$", "real");
        add("^timestamp without time zone", "timestamp");
        add("^timestamp with time zone", "timestamptz");
        add("^time without time zone", "time");
        add("^(decimal)", "numeric");
        add("^int\\(\\d+\\)", "int");
        add("^bigint\\(\\d+\\)", "bigint");
        add("^tinyint\\(1\\)$", "boolean");
        return s;
    }();
    for (const auto &[pattern, to] : synonyms)
        t.replace(pattern, to);
    return t;
}

QList<SchemaChange> SchemaDiff::compare(const Schema &a, const Schema &b, const Options &options)
{
    QList<SchemaChange> out;
    QMap<QString, const SchemaTable *> ta, tb;
    for (const SchemaTable &t : a.tables)
        ta.insert(t.qualifiedName(), &t);
    for (const SchemaTable &t : b.tables)
        tb.insert(t.qualifiedName(), &t);
    for (auto it = ta.cbegin(); it != ta.cend(); ++it) {
        const SchemaTable *other = tb.value(it.key());
        if (!other) {
            out.append({Kind::Removed, Object::Table, it.key(), it.value()->name,
                        tableSummary(*it.value()), QString()});
            continue;
        }
        if (*other == *it.value())
            continue; // the same table (most of them, between a revision and its parent)
        for (Object o : kMemberKinds)
            compareMembers(membersOf(*it.value(), o, options), membersOf(*other, o, options), o,
                           it.key(), out);
    }
    for (auto it = tb.cbegin(); it != tb.cend(); ++it)
        if (!ta.contains(it.key()))
            out.append({Kind::Added, Object::Table, it.key(), it.value()->name, QString(),
                        tableSummary(*it.value())});

    auto compareNamed = [&](const Members &x, const Members &y, Object o) {
        for (auto it = x.cbegin(); it != x.cend(); ++it) {
            auto other = y.constFind(it.key());
            if (other == y.cend())
                out.append({Kind::Removed, o, it.key(), it.key(), it.value(), QString()});
            else if (other.value() != it.value())
                out.append({Kind::Changed, o, it.key(), it.key(), it.value(), other.value()});
        }
        for (auto it = y.cbegin(); it != y.cend(); ++it)
            if (!x.contains(it.key()))
                out.append({Kind::Added, o, it.key(), it.key(), QString(), it.value()});
    };
    auto viewSql = [](const SchemaView &v) { return sqlText(v.sql); };
    auto enumValues = [](const SchemaEnum &e) { return e.values.join(QStringLiteral(", ")); };
    auto sequenceType = [](const SchemaSequence &s) { return s.type; };
    compareNamed(byQualifiedName(a.views, viewSql), byQualifiedName(b.views, viewSql),
                 Object::View);
    compareNamed(byQualifiedName(a.enums, enumValues), byQualifiedName(b.enums, enumValues),
                 Object::Enum);
    compareNamed(byQualifiedName(a.sequences, sequenceType),
                 byQualifiedName(b.sequences, sequenceType), Object::Sequence);
    return out;
}

QMap<QString, QString> SchemaDiff::members(const SchemaTable &table, SchemaChange::Object kind)
{
    return membersOf(table, kind, {});
}

QList<SchemaChange> SchemaDiff::ownChanges(const Schema &after, const QList<Schema> &parents,
                                           const Schema &empty)
{
    QList<SchemaChange> changes = compare(parents.isEmpty() ? empty : parents.first(), after);
    for (qsizetype i = 1; i < parents.size() && !changes.isEmpty(); ++i) {
        const QList<SchemaChange> other = compare(parents.at(i), after);
        changes.removeIf([&](const SchemaChange &c) { return !other.contains(c); });
    }
    return changes;
}

QString BlameEntry::path() const
{
    return SchemaChange{SchemaChange::Kind::Added, object, table, name, {}, {}}.path();
}

Result<QList<BlameEntry>> SchemaBlame::compute(SchemaHistory &history, int revision)
{
    return compute(history.project().graph, history.ancestry(revision), history.empty(),
                   [&history](int r) { return history.snapshot(r); });
}

Result<QList<BlameEntry>> SchemaBlame::compute(const RevisionGraph &g, const QList<int> &ancestry,
                                               const Schema &empty, const SnapshotSource &snapshot)
{
    using R = Result<QList<BlameEntry>>;
    // key: object \x1f table \x1f name
    QMap<QString, BlameEntry> entries;
    auto keyOf = [](Object o, const QString &table, const QString &name) -> QString {
        return QString::number(int(o)) + u'\x1f' + table + u'\x1f' + name;
    };
    for (int x : ancestry) {
        auto after = snapshot(x);
        if (!after)
            return R::failure(
                QStringLiteral("no snapshot of %1 yet: replay first").arg(g.revision(x).id));
        const Revision &rev = g.revision(x);
        QList<int> parents = rev.parents + rev.dependencyParents;
        QList<Schema> before;
        for (int p : parents) {
            auto schema = snapshot(p);
            if (!schema)
                return R::failure(
                    QStringLiteral("no snapshot of %1 yet: replay first").arg(g.revision(p).id));
            before.append(*schema);
        }
        const QList<SchemaChange> changes = SchemaDiff::ownChanges(*after, before, empty);
        for (const SchemaChange &c : std::as_const(changes)) {
            const QString key = keyOf(c.object, c.table, c.name);
            if (c.kind == Kind::Removed) {
                entries.remove(key);
                if (c.object == Object::Table) {
                    // Its members go with it.
                    for (auto it = entries.begin(); it != entries.end();)
                        it = it->table == c.table ? entries.erase(it) : std::next(it);
                }
                continue;
            }
            if (c.kind == Kind::Added) {
                BlameEntry e{c.object, c.table, c.name, {{rev.id, c}}};
                entries.insert(key, e);
                if (c.object == Object::Table) {
                    // Every member of a new table was made with it.
                    const SchemaTable *t = after->table(c.table);
                    for (Object o : kMemberKinds) {
                        if (!t)
                            break;
                        const Members members = membersOf(*t, o, {});
                        for (auto m = members.cbegin(); m != members.cend(); ++m)
                            entries.insert(
                                keyOf(o, c.table, m.key()),
                                {o,
                                 c.table,
                                 m.key(),
                                 {{rev.id,
                                   {Kind::Added, o, c.table, m.key(), QString(), m.value()}}}});
                    }
                }
                continue;
            }
            entries[key].events.append({rev.id, c});
            entries[key].object = c.object;
            entries[key].table = c.table;
            entries[key].name = c.name;
        }
    }
    return entries.values();
}

} // namespace Retort
