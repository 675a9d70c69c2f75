#include "schema.h"

#include <QJsonArray>

#include <algorithm>

namespace Retort {

namespace {

// Sorts only what is out of order: a schema read again shares its lists with
// the last one, and sorting a shared list copies it.
template<typename T, typename Less> void sortIfNeeded(QList<T> &list, Less less)
{
    if (!std::is_sorted(list.cbegin(), list.cend(), less))
        std::sort(list.begin(), list.end(), less);
}

template<typename T> bool byNameThenColumns(const T &a, const T &b)
{
    return a.name != b.name ? a.name < b.name : a.columns < b.columns;
}

template<typename T> bool byQualifiedName(const T &a, const T &b)
{
    return a.qualifiedName() < b.qualifiedName();
}

bool byPosition(const SchemaColumn &a, const SchemaColumn &b)
{
    return a.position != b.position ? a.position < b.position : a.name < b.name;
}

bool byNameThenSql(const SchemaCheck &a, const SchemaCheck &b)
{
    return a.name != b.name ? a.name < b.name : a.sql < b.sql;
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out.append(s.toString());
    return out;
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QString describeColumn(const SchemaColumn &c)
{
    QString out = c.name + u' ' + c.type;
    if (!c.nullable)
        out += QStringLiteral(" NOT NULL");
    if (!c.defaultValue.isEmpty())
        out += QStringLiteral(" DEFAULT ") + c.defaultValue;
    if (c.primaryKey)
        out += QStringLiteral(" (primary key)");
    return out;
}

QString describeForeignKey(const SchemaForeignKey &fk)
{
    QString out = u'(' + fk.columns.join(QStringLiteral(", ")) + QStringLiteral(") → ") +
                  (fk.refSchema.isEmpty() ? fk.refTable : fk.refSchema + u'.' + fk.refTable) +
                  u'(' + fk.refColumns.join(QStringLiteral(", ")) + u')';
    if (!fk.onDelete.isEmpty())
        out += QStringLiteral(" ON DELETE ") + fk.onDelete;
    if (!fk.onUpdate.isEmpty())
        out += QStringLiteral(" ON UPDATE ") + fk.onUpdate;
    return out;
}

QString describeIndex(const SchemaIndex &i)
{
    return (i.unique ? QStringLiteral("unique ") : QString()) + u'(' +
           i.columns.join(QStringLiteral(", ")) + u')' +
           (i.where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + i.where);
}

} // namespace

const SchemaColumn *SchemaTable::column(const QString &columnName) const
{
    for (const SchemaColumn &c : columns)
        if (c.name == columnName)
            return &c;
    return nullptr;
}

QStringList SchemaTable::primaryKey() const
{
    QStringList out;
    for (const SchemaColumn &c : columns)
        if (c.primaryKey)
            out.append(c.name);
    return out;
}

void SchemaTable::normalize()
{
    sortIfNeeded(columns, byPosition);
    sortIfNeeded(indexes, byNameThenColumns<SchemaIndex>);
    sortIfNeeded(uniques, byNameThenColumns<SchemaUnique>);
    sortIfNeeded(foreignKeys, byNameThenColumns<SchemaForeignKey>);
    sortIfNeeded(checks, byNameThenSql);
}

bool SchemaTable::isNormal() const
{
    return std::is_sorted(columns.cbegin(), columns.cend(), byPosition) &&
           std::is_sorted(indexes.cbegin(), indexes.cend(), byNameThenColumns<SchemaIndex>) &&
           std::is_sorted(uniques.cbegin(), uniques.cend(), byNameThenColumns<SchemaUnique>) &&
           std::is_sorted(foreignKeys.cbegin(), foreignKeys.cend(),
                          byNameThenColumns<SchemaForeignKey>) &&
           std::is_sorted(checks.cbegin(), checks.cend(), byNameThenSql);
}

void Schema::normalize()
{
    sortIfNeeded(tables, byQualifiedName<SchemaTable>);
    for (qsizetype i = 0; i < tables.size(); ++i)
        if (!tables.at(i).isNormal())
            tables[i].normalize();
    sortIfNeeded(views, byQualifiedName<SchemaView>);
    sortIfNeeded(enums, byQualifiedName<SchemaEnum>);
    sortIfNeeded(sequences, byQualifiedName<SchemaSequence>);
}

const SchemaTable *Schema::table(const QString &qualifiedName) const
{
    for (const SchemaTable &t : tables)
        if (t.qualifiedName() == qualifiedName || (t.name == qualifiedName))
            return &t;
    return nullptr;
}

QJsonObject Schema::tableToJson(const SchemaTable &t)
{
    QList<SchemaColumn> byName = t.columns;
    std::sort(byName.begin(), byName.end(),
              [](const SchemaColumn &a, const SchemaColumn &b) { return a.name < b.name; });
    QJsonArray columnsOut;
    for (const SchemaColumn &c : byName)
        columnsOut.append(QJsonObject{{QStringLiteral("name"), c.name},
                                      {QStringLiteral("type"), c.type},
                                      {QStringLiteral("nullable"), c.nullable},
                                      {QStringLiteral("default"), orNull(c.defaultValue)},
                                      {QStringLiteral("primary_key"), c.primaryKey},
                                      {QStringLiteral("position"), c.position}});
    QJsonArray indexesOut;
    for (const SchemaIndex &i : t.indexes)
        indexesOut.append(QJsonObject{{QStringLiteral("name"), i.name},
                                      {QStringLiteral("columns"), strings(i.columns)},
                                      {QStringLiteral("unique"), i.unique},
                                      {QStringLiteral("where"), orNull(i.where)}});
    QJsonArray uniquesOut;
    for (const SchemaUnique &u : t.uniques)
        uniquesOut.append(QJsonObject{{QStringLiteral("name"), orNull(u.name)},
                                      {QStringLiteral("columns"), strings(u.columns)}});
    QJsonArray fksOut;
    for (const SchemaForeignKey &fk : t.foreignKeys)
        fksOut.append(QJsonObject{{QStringLiteral("name"), orNull(fk.name)},
                                  {QStringLiteral("columns"), strings(fk.columns)},
                                  {QStringLiteral("ref_schema"), orNull(fk.refSchema)},
                                  {QStringLiteral("ref_table"), fk.refTable},
                                  {QStringLiteral("ref_columns"), strings(fk.refColumns)},
                                  {QStringLiteral("on_delete"), orNull(fk.onDelete)},
                                  {QStringLiteral("on_update"), orNull(fk.onUpdate)}});
    QJsonArray checksOut;
    for (const SchemaCheck &c : t.checks)
        checksOut.append(
            QJsonObject{{QStringLiteral("name"), orNull(c.name)}, {QStringLiteral("sql"), c.sql}});
    return QJsonObject{{QStringLiteral("name"), t.name},
                       {QStringLiteral("schema"), orNull(t.schema)},
                       {QStringLiteral("columns"), columnsOut},
                       {QStringLiteral("primary_key_name"), orNull(t.primaryKeyName)},
                       {QStringLiteral("indexes"), indexesOut},
                       {QStringLiteral("unique_constraints"), uniquesOut},
                       {QStringLiteral("foreign_keys"), fksOut},
                       {QStringLiteral("checks"), checksOut}};
}

QJsonObject Schema::toJson(const QStringList &revision) const
{
    QJsonArray tablesOut;
    for (const SchemaTable &t : tables)
        tablesOut.append(tableToJson(t));
    QJsonArray viewsOut;
    for (const SchemaView &v : views)
        viewsOut.append(QJsonObject{{QStringLiteral("name"), v.name},
                                    {QStringLiteral("schema"), orNull(v.schema)},
                                    {QStringLiteral("sql"), v.sql}});
    QJsonArray enumsOut;
    for (const SchemaEnum &e : enums)
        enumsOut.append(QJsonObject{{QStringLiteral("name"), e.name},
                                    {QStringLiteral("schema"), orNull(e.schema)},
                                    {QStringLiteral("values"), strings(e.values)}});
    QJsonArray sequencesOut;
    for (const SchemaSequence &s : sequences)
        sequencesOut.append(QJsonObject{{QStringLiteral("name"), s.name},
                                        {QStringLiteral("schema"), orNull(s.schema)},
                                        {QStringLiteral("type"), s.type}});
    return QJsonObject{{QStringLiteral("revision"), strings(revision)},
                       {QStringLiteral("dialect"), dialect},
                       {QStringLiteral("tables"), tablesOut},
                       {QStringLiteral("views"), viewsOut},
                       {QStringLiteral("enums"), enumsOut},
                       {QStringLiteral("sequences"), sequencesOut}};
}

SchemaTable Schema::tableFromJson(const QJsonObject &json)
{
    SchemaTable t;
    t.name = json.value(QStringLiteral("name")).toString();
    t.schema = json.value(QStringLiteral("schema")).toString();
    t.primaryKeyName = json.value(QStringLiteral("primary_key_name")).toString();
    for (const QJsonValue &cv : json.value(QStringLiteral("columns")).toArray()) {
        const QJsonObject co = cv.toObject();
        t.columns.append({co.value(QStringLiteral("name")).toString(),
                          co.value(QStringLiteral("type")).toString(),
                          co.value(QStringLiteral("nullable")).toBool(),
                          co.value(QStringLiteral("default")).toString(),
                          co.value(QStringLiteral("primary_key")).toBool(),
                          co.value(QStringLiteral("position")).toInt()});
    }
    for (const QJsonValue &iv : json.value(QStringLiteral("indexes")).toArray()) {
        const QJsonObject io = iv.toObject();
        t.indexes.append({io.value(QStringLiteral("name")).toString(),
                          stringList(io.value(QStringLiteral("columns"))),
                          io.value(QStringLiteral("unique")).toBool(),
                          io.value(QStringLiteral("where")).toString()});
    }
    for (const QJsonValue &uv : json.value(QStringLiteral("unique_constraints")).toArray()) {
        const QJsonObject uo = uv.toObject();
        t.uniques.append({uo.value(QStringLiteral("name")).toString(),
                          stringList(uo.value(QStringLiteral("columns")))});
    }
    for (const QJsonValue &fv : json.value(QStringLiteral("foreign_keys")).toArray()) {
        const QJsonObject fo = fv.toObject();
        t.foreignKeys.append({fo.value(QStringLiteral("name")).toString(),
                              stringList(fo.value(QStringLiteral("columns"))),
                              fo.value(QStringLiteral("ref_schema")).toString(),
                              fo.value(QStringLiteral("ref_table")).toString(),
                              stringList(fo.value(QStringLiteral("ref_columns"))),
                              fo.value(QStringLiteral("on_delete")).toString(),
                              fo.value(QStringLiteral("on_update")).toString()});
    }
    for (const QJsonValue &kv : json.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject ko = kv.toObject();
        t.checks.append({ko.value(QStringLiteral("name")).toString(),
                         ko.value(QStringLiteral("sql")).toString()});
    }
    return t;
}

Result<Schema> Schema::fromJson(const QJsonObject &json)
{
    if (!json.contains(QStringLiteral("tables")) || !json.contains(QStringLiteral("dialect")))
        return Result<Schema>::failure(QStringLiteral("not a schema snapshot"));
    Schema s;
    s.dialect = json.value(QStringLiteral("dialect")).toString();
    for (const QJsonValue &tv : json.value(QStringLiteral("tables")).toArray())
        s.tables.append(tableFromJson(tv.toObject()));
    for (const QJsonValue &vv : json.value(QStringLiteral("views")).toArray()) {
        const QJsonObject vo = vv.toObject();
        s.views.append({vo.value(QStringLiteral("schema")).toString(),
                        vo.value(QStringLiteral("name")).toString(),
                        vo.value(QStringLiteral("sql")).toString()});
    }
    for (const QJsonValue &ev : json.value(QStringLiteral("enums")).toArray()) {
        const QJsonObject eo = ev.toObject();
        s.enums.append({eo.value(QStringLiteral("schema")).toString(),
                        eo.value(QStringLiteral("name")).toString(),
                        stringList(eo.value(QStringLiteral("values")))});
    }
    for (const QJsonValue &qv : json.value(QStringLiteral("sequences")).toArray()) {
        const QJsonObject qo = qv.toObject();
        s.sequences.append({qo.value(QStringLiteral("schema")).toString(),
                            qo.value(QStringLiteral("name")).toString(),
                            qo.value(QStringLiteral("type")).toString()});
    }
    s.normalize();
    return s;
}

QString Schema::toText() const
{
    QString out;
    for (const SchemaTable &t : tables) {
        out += QStringLiteral("table ") + t.qualifiedName() + u'\n';
        for (const SchemaColumn &c : t.columns)
            out += QStringLiteral("  ") + describeColumn(c) + u'\n';
        for (const SchemaIndex &i : t.indexes)
            out += QStringLiteral("  index ") + i.name + u' ' + describeIndex(i) + u'\n';
        for (const SchemaUnique &u : t.uniques)
            out += QStringLiteral("  unique ") + (u.name.isEmpty() ? QString() : u.name + u' ') +
                   u'(' + u.columns.join(QStringLiteral(", ")) + QStringLiteral(")\n");
        for (const SchemaForeignKey &fk : t.foreignKeys)
            out += QStringLiteral("  foreign key ") +
                   (fk.name.isEmpty() ? QString() : fk.name + u' ') + describeForeignKey(fk) +
                   u'\n';
        for (const SchemaCheck &c : t.checks)
            out += QStringLiteral("  check ") + (c.name.isEmpty() ? QString() : c.name + u' ') +
                   c.sql + u'\n';
    }
    for (const SchemaView &v : views)
        out += QStringLiteral("view ") + v.qualifiedName() + QStringLiteral(": ") +
               v.sql.simplified() + u'\n';
    for (const SchemaEnum &e : enums)
        out += QStringLiteral("enum ") + e.qualifiedName() + QStringLiteral(": ") +
               e.values.join(QStringLiteral(", ")) + u'\n';
    for (const SchemaSequence &s : sequences)
        out += QStringLiteral("sequence ") + s.qualifiedName() + u' ' + s.type + u'\n';
    if (out.isEmpty())
        out = QStringLiteral("(no tables)\n");
    return out;
}

QString Schema::toMarkdown() const
{
    auto cell = [](QString s) { return s.replace(u'|', QStringLiteral("\\|")); };
    QString out;
    for (const SchemaTable &t : tables) {
        out +=
            QStringLiteral("## ") + t.qualifiedName() +
            QStringLiteral("\n\n| column | type | null | default | key |\n|---|---|---|---|---|\n");
        for (const SchemaColumn &c : t.columns)
            out += QStringLiteral("| ") + cell(c.name) + QStringLiteral(" | ") + cell(c.type) +
                   QStringLiteral(" | ") +
                   (c.nullable ? QStringLiteral("yes") : QStringLiteral("no")) +
                   QStringLiteral(" | ") + cell(c.defaultValue) + QStringLiteral(" | ") +
                   (c.primaryKey ? QStringLiteral("PK") : QString()) + QStringLiteral(" |\n");
        out += u'\n';
        for (const SchemaIndex &i : t.indexes)
            out += QStringLiteral("- index `") + i.name + QStringLiteral("` ") + describeIndex(i) +
                   u'\n';
        for (const SchemaUnique &u : t.uniques)
            out += QStringLiteral("- unique `") + u.name + QStringLiteral("` (") +
                   u.columns.join(QStringLiteral(", ")) + QStringLiteral(")\n");
        for (const SchemaForeignKey &fk : t.foreignKeys)
            out += QStringLiteral("- foreign key `") + fk.name + QStringLiteral("` ") +
                   describeForeignKey(fk) + u'\n';
        for (const SchemaCheck &c : t.checks)
            out += QStringLiteral("- check `") + c.name + QStringLiteral("` ") + c.sql + u'\n';
        out += u'\n';
    }
    for (const SchemaView &v : views)
        out += QStringLiteral("## view ") + v.qualifiedName() + QStringLiteral("\n\n```sql\n") +
               v.sql.trimmed() + QStringLiteral("\n```\n\n");
    for (const SchemaEnum &e : enums)
        out += QStringLiteral("- enum `") + e.qualifiedName() + QStringLiteral("`: ") +
               e.values.join(QStringLiteral(", ")) + u'\n';
    return out;
}

QString SchemaText::column(const SchemaColumn &c)
{
    return describeColumn(c);
}
QString SchemaText::index(const SchemaIndex &i)
{
    return describeIndex(i);
}
QString SchemaText::foreignKey(const SchemaForeignKey &fk)
{
    return describeForeignKey(fk);
}

} // namespace Retort
