#include "introspector.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Retort {

namespace {

// A token of SQLite's CREATE TABLE text: a word (bare or quoted, unquoted
// here), a string, or one punctuation character.
struct Token
{
    enum Kind
    {
        Word,
        QuotedWord,
        String,
        Punct
    } kind;
    QString text;
    qsizetype begin = 0;
    qsizetype end = 0;
    bool is(QLatin1String keyword) const
    {
        return kind == Word && text.compare(keyword, Qt::CaseInsensitive) == 0;
    }
    bool punct(char16_t c) const { return kind == Punct && text.size() == 1 && text.at(0) == c; }
};

QList<Token> tokenize(const QString &sql)
{
    QList<Token> out;
    const qsizetype n = sql.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = sql.at(i);
        if (c.isSpace()) {
            ++i;
        } else if (c == u'-' && i + 1 < n && sql.at(i + 1) == u'-') {
            while (i < n && sql.at(i) != u'\n')
                ++i;
        } else if (c == u'/' && i + 1 < n && sql.at(i + 1) == u'*') {
            const qsizetype close = sql.indexOf(QStringLiteral("*/"), i + 2);
            i = close < 0 ? n : close + 2;
        } else if (c == u'\'' || c == u'"' || c == u'`' || c == u'[') {
            const QChar closer = c == u'[' ? QChar(u']') : c;
            QString text;
            qsizetype j = i + 1;
            while (j < n) {
                if (sql.at(j) == closer) {
                    if (closer != u']' && j + 1 < n && sql.at(j + 1) == closer) {
                        text += closer;
                        j += 2;
                        continue;
                    }
                    break;
                }
                text += sql.at(j++);
            }
            out.append({c == u'\'' ? Token::String : Token::QuotedWord, text, i, qMin(j + 1, n)});
            i = j + 1;
        } else if (c.isLetterOrNumber() || c == u'_' || c.unicode() >= 0x80) {
            qsizetype j = i;
            while (j < n && (sql.at(j).isLetterOrNumber() || sql.at(j) == u'_' ||
                             sql.at(j) == u'$' || sql.at(j).unicode() >= 0x80))
                ++j;
            out.append({Token::Word, sql.mid(i, j - i), i, j});
            i = j;
        } else {
            out.append({Token::Punct, QString(c), i, i + 1});
            ++i;
        }
    }
    return out;
}

// The names in a parenthesised list starting at tokens[at] ('('); at is left
// after the ')'.
QStringList nameList(const QList<Token> &t, qsizetype &at)
{
    QStringList out;
    if (at >= t.size() || !t.at(at).punct(u'('))
        return out;
    int depth = 0;
    for (; at < t.size(); ++at) {
        if (t.at(at).punct(u'('))
            ++depth;
        else if (t.at(at).punct(u')') && --depth == 0) {
            ++at;
            break;
        } else if (depth == 1 &&
                   (t.at(at).kind == Token::Word || t.at(at).kind == Token::QuotedWord) &&
                   (t.at(at - 1).punct(u'(') || t.at(at - 1).punct(u',')))
            out.append(t.at(at).text);
    }
    return out;
}

// The source text inside the parentheses that start at tokens[at]; at is
// left after the ')'.
QString parenthesised(const QString &sql, const QList<Token> &t, qsizetype &at)
{
    if (at >= t.size() || !t.at(at).punct(u'('))
        return QString();
    const qsizetype begin = t.at(at).end;
    int depth = 0;
    for (; at < t.size(); ++at) {
        if (t.at(at).punct(u'('))
            ++depth;
        else if (t.at(at).punct(u')') && --depth == 0)
            return sql.mid(begin, t.at(at++).begin - begin).trimmed();
    }
    return sql.mid(begin).trimmed();
}

QString quoteIdentifier(const QString &name)
{
    return u'"' + QString(name).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

QString upperRule(const QString &rule)
{
    const QString r = rule.trimmed().toUpper();
    return r == u"NO ACTION" || r == u"A" ? QString() : r;
}

QString postgresRule(const QString &code)
{
    if (code == u"c")
        return QStringLiteral("CASCADE");
    if (code == u"n")
        return QStringLiteral("SET NULL");
    if (code == u"d")
        return QStringLiteral("SET DEFAULT");
    if (code == u"r")
        return QStringLiteral("RESTRICT");
    return QString();
}

QStringList splitUnitSeparated(const QString &s)
{
    return s.isEmpty() ? QStringList() : s.split(QChar(0x1f));
}

// (A NULL reads as an empty string: QVariant::toString() of a null value.)
template<typename F> Result<bool> eachRow(QSqlDatabase db, const QString &sql, F row)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(sql))
        return Result<bool>::failure(
            QStringLiteral("reading the catalog failed: %1").arg(q.lastError().text()));
    while (q.next())
        row(q);
    return true;
}

// Catalog queries in turn; the first that fails is the answer.
struct Catalog
{
    QSqlDatabase db;
    QString failure;
    template<typename F> void query(const QString &sql, const F &row)
    {
        if (failure.isEmpty())
            if (auto done = eachRow(db, sql, row); !done)
                failure = done.error();
    }
};

} // namespace

QList<Introspector::Declared> Introspector::declaredConstraints(const QString &sql)
{
    QList<Declared> out;
    const QList<Token> t = tokenize(sql);
    // The body: after the first '(' that follows the table name.
    qsizetype at = 0;
    while (at < t.size() && !t.at(at).punct(u'('))
        ++at;
    if (at >= t.size())
        return out;
    ++at;
    QString column; // the column whose definition we are in, if any
    bool elementStart = true;
    QString name;
    int depth = 1;
    while (at < t.size() && depth > 0) {
        const Token &tok = t.at(at);
        if (tok.punct(u')')) {
            --depth;
            ++at;
            continue;
        }
        if (tok.punct(u',')) {
            elementStart = true;
            column.clear();
            name.clear();
            ++at;
            continue;
        }
        if (tok.punct(u'(')) {
            // A type's arguments and the like: skip the group.
            parenthesised(sql, t, at);
            elementStart = false;
            continue;
        }
        if (tok.is(QLatin1String("CONSTRAINT")) && at + 1 < t.size()) {
            name = t.at(at + 1).text;
            at += 2;
            elementStart = false;
            continue;
        }
        const bool tableLevel = elementStart;
        if (tok.is(QLatin1String("PRIMARY")) && at + 1 < t.size() &&
            t.at(at + 1).is(QLatin1String("KEY"))) {
            at += 2;
            const QStringList cols =
                tableLevel || column.isEmpty() ? nameList(t, at) : QStringList{column};
            out.append({Declared::Kind::PrimaryKey,
                        name,
                        cols.isEmpty() ? QStringList{column} : cols,
                        {}});
            name.clear();
            elementStart = false;
            continue;
        }
        if (tok.is(QLatin1String("UNIQUE"))) {
            ++at;
            QStringList cols = nameList(t, at);
            if (cols.isEmpty())
                cols = {column};
            out.append({Declared::Kind::Unique, name, cols, {}});
            name.clear();
            elementStart = false;
            continue;
        }
        if (tok.is(QLatin1String("CHECK"))) {
            ++at;
            out.append({Declared::Kind::Check, name, {}, parenthesised(sql, t, at)});
            name.clear();
            elementStart = false;
            continue;
        }
        if (tok.is(QLatin1String("FOREIGN")) && at + 1 < t.size() &&
            t.at(at + 1).is(QLatin1String("KEY"))) {
            at += 2;
            out.append({Declared::Kind::ForeignKey, name, nameList(t, at), {}});
            name.clear();
            elementStart = false;
            continue;
        }
        if (tok.is(QLatin1String("REFERENCES")) && !column.isEmpty()) {
            out.append({Declared::Kind::ForeignKey, name, {column}, {}});
            name.clear();
            ++at;
            elementStart = false;
            continue;
        }
        if (elementStart && (tok.kind == Token::Word || tok.kind == Token::QuotedWord))
            column = tok.text;
        elementStart = false;
        ++at;
    }
    return out;
}

Result<Schema> Introspector::read(QSqlDatabase db, const QString &dialect)
{
    Result<Schema> out =
        dialect == u"sqlite"       ? readSqlite(db)
        : dialect == u"postgresql" ? readPostgres(db)
        : dialect == u"mysql"
            ? readMysql(db)
            : Result<Schema>::failure(QStringLiteral("Retort cannot read the schema "
                                                     "of a %1 database")
                                          .arg(dialect));
    if (out) {
        out.value().dialect = dialect;
        out.value().normalize();
    }
    return out;
}

Result<Schema> Introspector::readSqlite(QSqlDatabase db)
{
    struct Object
    {
        QString type, name, table, sql;
    };
    auto objectOf = [](QSqlQuery &q) {
        return Object{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                      q.value(3).toString()};
    };
    const QString master =
        QStringLiteral("SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE name NOT "
                       "LIKE 'sqlite\\_%' ESCAPE '\\'");
    QList<Object> added, gone;
    const bool incremental = m_incremental && db.connectionName() == m_shadowConnection;
    if (!incremental) {
        m_tableSql.clear();
        m_indexSql.clear();
        m_tables.clear();
        m_views.clear();
        auto listed = eachRow(db, master, [&](QSqlQuery &q) { added.append(objectOf(q)); });
        if (!listed)
            return Result<Schema>::failure(listed.error());
        if (m_incremental) {
            // A copy of the catalog on this connection's temporary schema:
            // the next read asks SQLite what differs from it.
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("DROP TABLE IF EXISTS temp.retort_seen")) ||
                !q.exec(QStringLiteral("CREATE TEMP TABLE retort_seen (type TEXT, name TEXT "
                                       "PRIMARY KEY, tbl_name TEXT, sql TEXT)")) ||
                !q.exec(QStringLiteral("INSERT INTO temp.retort_seen ") + master))
                return Result<Schema>::failure(
                    QStringLiteral("reading the catalog failed: %1").arg(q.lastError().text()));
            m_shadowConnection = db.connectionName();
            m_seen = int(added.size());
        }
    } else {
        // What is new or changed since the last read (by the copy's primary
        // key), and, when the count says something went, what is gone.
        int fresh = 0;
        auto changed = eachRow(
            db,
            QStringLiteral("SELECT m.type, m.name, m.tbl_name, m.sql, s.name IS NULL FROM (%1) m "
                           "LEFT JOIN temp.retort_seen s ON s.name = m.name WHERE s.name IS NULL "
                           "OR s.sql IS NOT m.sql OR s.type IS NOT m.type OR s.tbl_name IS NOT "
                           "m.tbl_name")
                .arg(master),
            [&](QSqlQuery &q) {
                added.append(objectOf(q));
                fresh += q.value(4).toInt();
            });
        if (!changed)
            return Result<Schema>::failure(changed.error());
        int now = 0;
        auto counted = eachRow(db, QStringLiteral("SELECT count(*) FROM (%1)").arg(master),
                               [&](QSqlQuery &q) { now = q.value(0).toInt(); });
        if (!counted)
            return Result<Schema>::failure(counted.error());
        if (now != m_seen + fresh) {
            auto removed = eachRow(
                db,
                QStringLiteral("SELECT s.type, s.name, s.tbl_name, s.sql FROM temp.retort_seen s "
                               "WHERE s.name NOT IN (SELECT name FROM main.sqlite_master)"),
                [&](QSqlQuery &q) { gone.append(objectOf(q)); });
            if (!removed)
                return Result<Schema>::failure(removed.error());
        }
        m_seen = now;
        // A changed object is gone in its old form: what it was is known here.
        for (const Object &o : std::as_const(added)) {
            if (o.type == u"index")
                for (auto it = m_indexSql.cbegin(); it != m_indexSql.cend(); ++it)
                    if (it.key() != o.table && it.value().contains(o.name))
                        gone.append({o.type, o.name, it.key(), QString()});
        }
        if (added.isEmpty() && gone.isEmpty())
            return m_lastSchema;
        QSqlQuery q(db);
        for (const Object &o : std::as_const(gone)) {
            q.prepare(QStringLiteral("DELETE FROM temp.retort_seen WHERE name = ?"));
            q.addBindValue(o.name);
            q.exec();
        }
        for (const Object &o : std::as_const(added)) {
            q.prepare(
                QStringLiteral("INSERT OR REPLACE INTO temp.retort_seen VALUES (?, ?, ?, ?)"));
            q.addBindValue(o.type);
            q.addBindValue(o.name);
            q.addBindValue(o.table);
            q.addBindValue(o.sql);
            if (!q.exec())
                return Result<Schema>::failure(
                    QStringLiteral("reading the catalog failed: %1").arg(q.lastError().text()));
        }
    }
    // Apply what went and came to the catalog as last read, then read again
    // only the tables it touched.
    QSet<QString> touched;
    for (const Object &o : std::as_const(gone)) {
        if (o.type == u"table")
            m_tableSql.remove(o.name);
        else if (o.type == u"index")
            m_indexSql[o.table].remove(o.name);
        else if (o.type == u"view")
            m_views.remove(o.name);
        if (o.type == u"table" || o.type == u"index")
            touched.insert(o.type == u"table" ? o.name : o.table);
    }
    for (const Object &o : std::as_const(added)) {
        if (o.type == u"table")
            m_tableSql.insert(o.name, o.sql);
        else if (o.type == u"index")
            m_indexSql[o.table].insert(o.name, o.sql);
        else if (o.type == u"view")
            m_views.insert(o.name, {QString(), o.name, o.sql});
        if (o.type == u"table" || o.type == u"index")
            touched.insert(o.type == u"table" ? o.name : o.table);
    }
    for (const QString &name : std::as_const(touched)) {
        if (!m_tableSql.contains(name) || name == m_versionTable) {
            m_tables.remove(name);
            continue;
        }
        auto table = readSqliteTable(db, name, m_tableSql.value(name), m_indexSql.value(name));
        if (!table)
            return Result<Schema>::failure(table.error());
        m_tables.insert(name, table.value());
    }
    Schema s;
    s.tables = m_tables.values();
    s.views = m_views.values();
    m_lastSchema = s;
    return s;
}

Result<SchemaTable> Introspector::readSqliteTable(QSqlDatabase db, const QString &name,
                                                  const QString &sql,
                                                  const QHash<QString, QString> &indexSql)
{
    QString key = name + u'\x1f' + sql;
    QStringList indexNames = indexSql.keys();
    indexNames.sort();
    for (const QString &i : indexNames)
        key += u'\x1f' + i + u'\x1f' + indexSql.value(i);
    if (auto it = m_sqliteTables.constFind(key); it != m_sqliteTables.cend())
        return *it;

    SchemaTable t;
    t.name = name;
    const QString q = quoteIdentifier(name);
    auto ok = eachRow(db, QStringLiteral("PRAGMA table_xinfo(%1)").arg(q), [&](QSqlQuery &r) {
        if (r.value(6).toInt() != 0)
            return; // hidden columns of virtual tables
        t.columns.append({r.value(1).toString(), r.value(2).toString(), r.value(3).toInt() == 0,
                          r.value(4).toString(), r.value(5).toInt() > 0, r.value(0).toInt() + 1});
    });
    if (!ok)
        return Result<SchemaTable>::failure(ok.error());

    const QList<Declared> declared = declaredConstraints(sql);
    auto declaredName = [&](Declared::Kind kind, const QStringList &cols) {
        for (const Declared &d : declared)
            if (d.kind == kind && d.columns == cols)
                return d.name;
        return QString();
    };
    for (const Declared &d : declared) {
        if (d.kind == Declared::Kind::Check)
            t.checks.append({d.name, d.sql});
        else if (d.kind == Declared::Kind::PrimaryKey)
            t.primaryKeyName = d.name;
    }

    struct IndexRow
    {
        QString name;
        bool unique;
        QString origin;
    };
    QList<IndexRow> indexes;
    ok = eachRow(db, QStringLiteral("PRAGMA index_list(%1)").arg(q), [&](QSqlQuery &r) {
        indexes.append({r.value(1).toString(), r.value(2).toInt() != 0, r.value(3).toString()});
    });
    if (!ok)
        return Result<SchemaTable>::failure(ok.error());
    for (const IndexRow &ix : indexes) {
        if (ix.origin == u"pk")
            continue;
        QStringList cols;
        bool expression = false;
        ok = eachRow(db, QStringLiteral("PRAGMA index_xinfo(%1)").arg(quoteIdentifier(ix.name)),
                     [&](QSqlQuery &r) {
                         if (r.value(5).toInt() == 0)
                             return; // not a key column
                         if (r.value(2).isNull()) {
                             expression = true;
                             cols.append(QString());
                         } else {
                             cols.append(r.value(2).toString());
                         }
                     });
        if (!ok)
            return Result<SchemaTable>::failure(ok.error());
        if (ix.origin == u"u") {
            t.uniques.append({declaredName(Declared::Kind::Unique, cols), cols});
            continue;
        }
        SchemaIndex index{ix.name, cols, ix.unique, QString()};
        const QString create = indexSql.value(ix.name);
        const QList<Token> tokens = tokenize(create);
        for (qsizetype k = 0; k < tokens.size(); ++k) {
            if (tokens.at(k).punct(u'(') && expression) {
                qsizetype at = k;
                index.columns = {parenthesised(create, tokens, at)};
                expression = false;
            }
            if (tokens.at(k).is(QLatin1String("WHERE"))) {
                index.where = create.mid(tokens.at(k).end).trimmed();
                break;
            }
        }
        t.indexes.append(index);
    }

    QMap<int, SchemaForeignKey> fks;
    ok = eachRow(db, QStringLiteral("PRAGMA foreign_key_list(%1)").arg(q), [&](QSqlQuery &r) {
        SchemaForeignKey &fk = fks[r.value(0).toInt()];
        fk.refTable = r.value(2).toString();
        fk.columns.append(r.value(3).toString());
        if (!r.value(4).isNull())
            fk.refColumns.append(r.value(4).toString());
        fk.onUpdate = upperRule(r.value(5).toString());
        fk.onDelete = upperRule(r.value(6).toString());
    });
    if (!ok)
        return Result<SchemaTable>::failure(ok.error());
    for (SchemaForeignKey fk : std::as_const(fks)) {
        fk.name = declaredName(Declared::Kind::ForeignKey, fk.columns);
        t.foreignKeys.append(fk);
    }
    m_sqliteTables.insert(key, t);
    return t;
}

Result<Schema> Introspector::readPostgres(QSqlDatabase db)
{
    Schema s;
    Catalog catalog{db, {}};
    QString currentSchema = QStringLiteral("public");
    catalog.query(QStringLiteral("SELECT current_schema()"),
                  [&](QSqlQuery &r) { currentSchema = r.value(0).toString(); });
    auto schemaOf = [&](const QString &nsp) { return nsp == currentSchema ? QString() : nsp; };
    const QString userSchemas =
        QStringLiteral("n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname "
                       "NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'");
    QHash<qint64, qsizetype> byOid;
    catalog.query(QStringLiteral("SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN "
                                 "pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN "
                                 "('r', 'p') AND c.relispartition = false AND ") +
                      userSchemas,
                  [&](QSqlQuery &r) {
                      const QString table = r.value(2).toString();
                      const QString nsp = r.value(1).toString();
                      if (table == m_versionTable)
                          return;
                      byOid.insert(r.value(0).toLongLong(), s.tables.size());
                      SchemaTable t;
                      t.schema = schemaOf(nsp);
                      t.name = table;
                      s.tables.append(t);
                  });
    auto tableOf = [&](const QVariant &oid) -> SchemaTable * {
        auto it = byOid.constFind(oid.toLongLong());
        return it == byOid.cend() ? nullptr : &s.tables[*it];
    };
    catalog.query(
        QStringLiteral("SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), "
                       "a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attnum, a.attidentity, "
                       "a.attgenerated FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON "
                       "d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attnum > 0 AND NOT "
                       "a.attisdropped AND c.relkind IN ('r', 'p') AND ") +
            userSchemas,
        [&](QSqlQuery &r) {
            if (SchemaTable *t = tableOf(r.value(0)))
                t->columns.append({r.value(1).toString(), r.value(2).toString(),
                                   !r.value(3).toBool(), r.value(4).toString(), false,
                                   r.value(5).toInt()});
        });
    // Constraints, with their columns by name (unit-separated, in key order).
    const QString keyNames =
        QStringLiteral("array_to_string(ARRAY(SELECT a.attname FROM unnest(%1) WITH ORDINALITY "
                       "k(n, o) JOIN pg_attribute a ON a.attrelid = %2 AND a.attnum = k.n ORDER "
                       "BY k.o), chr(31))");
    catalog.query(
        QStringLiteral("SELECT co.conrelid, co.conname, co.contype, %1, rn.nspname, rc.relname, "
                       "%2, co.confdeltype, co.confupdtype, pg_get_constraintdef(co.oid, true) "
                       "FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN "
                       "pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class rc ON rc.oid "
                       "= co.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
                       "WHERE co.contype IN ('p', 'u', 'f', 'c') AND ")
                .arg(keyNames.arg(QStringLiteral("co.conkey"), QStringLiteral("co.conrelid")),
                     keyNames.arg(QStringLiteral("co.confkey"), QStringLiteral("co.confrelid"))) +
            userSchemas,
        [&](QSqlQuery &r) {
            SchemaTable *t = tableOf(r.value(0));
            if (!t)
                return;
            const QString name = r.value(1).toString();
            const QString type = r.value(2).toString();
            const QStringList cols = splitUnitSeparated(r.value(3).toString());
            if (type == u"p") {
                t->primaryKeyName = name;
                for (SchemaColumn &c : t->columns)
                    if (cols.contains(c.name))
                        c.primaryKey = true;
            } else if (type == u"u") {
                t->uniques.append({name, cols});
            } else if (type == u"f") {
                t->foreignKeys.append(
                    {name, cols, schemaOf(r.value(4).toString()), r.value(5).toString(),
                     splitUnitSeparated(r.value(6).toString()), postgresRule(r.value(7).toString()),
                     postgresRule(r.value(8).toString())});
            } else if (type == u"c") {
                QString def = r.value(9).toString();
                if (def.startsWith(QLatin1String("CHECK ")))
                    def = def.mid(6);
                t->checks.append({name, def});
            }
        });
    catalog.query(
        QStringLiteral(
            "SELECT i.indrelid, ic.relname, i.indisunique, pg_get_expr(i.indpred, i.indrelid, "
            "true), array_to_string(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM "
            "generate_series(1, i.indnkeyatts) k ORDER BY k), chr(31)) FROM pg_index i JOIN "
            "pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid JOIN "
            "pg_namespace n ON n.oid = c.relnamespace WHERE NOT EXISTS (SELECT 1 FROM "
            "pg_constraint co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', "
            "'x')) AND ") +
            userSchemas,
        [&](QSqlQuery &r) {
            if (SchemaTable *t = tableOf(r.value(0)))
                t->indexes.append({r.value(1).toString(), splitUnitSeparated(r.value(4).toString()),
                                   r.value(2).toBool(), r.value(3).toString()});
        });
    catalog.query(QStringLiteral("SELECT n.nspname, c.relname, pg_get_viewdef(c.oid, true) FROM "
                                 "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
                                 "c.relkind IN ('v', 'm') AND ") +
                      userSchemas,
                  [&](QSqlQuery &r) {
                      s.views.append({schemaOf(r.value(0).toString()), r.value(1).toString(),
                                      r.value(2).toString().trimmed()});
                  });
    catalog.query(QStringLiteral("SELECT n.nspname, t.typname, string_agg(e.enumlabel, chr(31) "
                                 "ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON "
                                 "e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = "
                                 "t.typnamespace WHERE ") +
                      userSchemas + QStringLiteral(" GROUP BY n.nspname, t.typname"),
                  [&](QSqlQuery &r) {
                      s.enums.append({schemaOf(r.value(0).toString()), r.value(1).toString(),
                                      splitUnitSeparated(r.value(2).toString())});
                  });
    catalog.query(QStringLiteral("SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL) FROM "
                                 "pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN "
                                 "pg_namespace n ON n.oid = c.relnamespace WHERE ") +
                      userSchemas,
                  [&](QSqlQuery &r) {
                      s.sequences.append({schemaOf(r.value(0).toString()), r.value(1).toString(),
                                          r.value(2).toString()});
                  });
    return s;
}

Result<Schema> Introspector::readMysql(QSqlDatabase db)
{
    Schema s;
    Catalog catalog{db, {}};
    QString database;
    eachRow(db, QStringLiteral("SELECT DATABASE()"),
            [&](QSqlQuery &r) { database = r.value(0).toString(); });
    QHash<QString, qsizetype> byName;
    catalog.query(QStringLiteral("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                                 "WHERE TABLE_SCHEMA = DATABASE()"),
                  [&](QSqlQuery &r) {
                      const QString name = r.value(0).toString();
                      if (name == m_versionTable || r.value(1).toString() != u"BASE TABLE")
                          return;
                      byName.insert(name, s.tables.size());
                      SchemaTable t;
                      t.name = name;
                      s.tables.append(t);
                  });
    auto tableOf = [&](const QVariant &name) -> SchemaTable * {
        auto it = byName.constFind(name.toString());
        return it == byName.cend() ? nullptr : &s.tables[*it];
    };
    catalog.query(QStringLiteral("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, "
                                 "COLUMN_DEFAULT, COLUMN_KEY, ORDINAL_POSITION FROM "
                                 "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"),
                  [&](QSqlQuery &r) {
                      if (SchemaTable *t = tableOf(r.value(0)))
                          t->columns.append({r.value(1).toString(), r.value(2).toString(),
                                             r.value(3).toString() == u"YES", r.value(4).toString(),
                                             r.value(5).toString() == u"PRI", r.value(6).toInt()});
                  });
    // Key columns of constraints, in order.
    QHash<QString, QStringList> keyColumns, refColumns;
    QHash<QString, QString> refTable;
    catalog.query(QStringLiteral("SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, "
                                 "REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM "
                                 "information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = "
                                 "DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME, "
                                 "ORDINAL_POSITION"),
                  [&](QSqlQuery &r) {
                      const QString key = r.value(0).toString() + u'\x1f' + r.value(1).toString();
                      keyColumns[key].append(r.value(2).toString());
                      if (!r.value(3).isNull()) {
                          refTable.insert(key, r.value(3).toString());
                          refColumns[key].append(r.value(4).toString());
                      }
                  });
    QHash<QString, QPair<QString, QString>> rules;
    catalog.query(
        QStringLiteral("SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE FROM "
                       "information_schema.REFERENTIAL_CONSTRAINTS WHERE "
                       "CONSTRAINT_SCHEMA = DATABASE()"),
        [&](QSqlQuery &r) {
            rules.insert(r.value(0).toString() + u'\x1f' + r.value(1).toString(),
                         {upperRule(r.value(2).toString()), upperRule(r.value(3).toString())});
        });
    QSet<QString> uniqueNames;
    catalog.query(QStringLiteral("SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM "
                                 "information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = "
                                 "DATABASE()"),
                  [&](QSqlQuery &r) {
                      SchemaTable *t = tableOf(r.value(0));
                      if (!t)
                          return;
                      const QString name = r.value(1).toString();
                      const QString type = r.value(2).toString();
                      const QString key = t->name + u'\x1f' + name;
                      if (type == u"UNIQUE") {
                          t->uniques.append({name, keyColumns.value(key)});
                          uniqueNames.insert(key);
                      } else if (type == u"FOREIGN KEY") {
                          t->foreignKeys.append({name, keyColumns.value(key), QString(),
                                                 refTable.value(key), refColumns.value(key),
                                                 rules.value(key).first, rules.value(key).second});
                      }
                  });
    // CHECK constraints: MySQL 8.0.16+ and MariaDB 10.2+ have the view.
    eachRow(db,
            QStringLiteral("SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM "
                           "information_schema.CHECK_CONSTRAINTS cc JOIN "
                           "information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = "
                           "cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND "
                           "tc.CONSTRAINT_TYPE = 'CHECK' WHERE cc.CONSTRAINT_SCHEMA = DATABASE()"),
            [&](QSqlQuery &r) {
                if (SchemaTable *t = tableOf(r.value(0)))
                    t->checks.append({r.value(1).toString(), r.value(2).toString()});
            });
    QMap<QString, SchemaIndex> indexes; // table \x1f index
    catalog.query(QStringLiteral("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM "
                                 "information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                                 "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"),
                  [&](QSqlQuery &r) {
                      const QString name = r.value(1).toString();
                      const QString key = r.value(0).toString() + u'\x1f' + name;
                      if (name == u"PRIMARY" || uniqueNames.contains(key) || !tableOf(r.value(0)))
                          return;
                      SchemaIndex &ix = indexes[key];
                      ix.name = name;
                      ix.unique = r.value(2).toInt() == 0;
                      ix.columns.append(r.value(3).toString());
                  });
    for (auto it = indexes.cbegin(); it != indexes.cend(); ++it)
        tableOf(it.key().section(u'\x1f', 0, 0))->indexes.append(it.value());
    catalog.query(QStringLiteral("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                                 "WHERE TABLE_SCHEMA = DATABASE()"),
                  [&](QSqlQuery &r) {
                      // The server spells every table with the database's name:
                      // the same view in another database must read the same.
                      QString sql = r.value(1).toString();
                      if (!database.isEmpty())
                          sql.replace(u'`' + database + QStringLiteral("`."), QString());
                      s.views.append({QString(), r.value(0).toString(), sql});
                  });
    return s;
}

} // namespace Retort
