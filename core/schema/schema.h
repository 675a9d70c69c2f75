#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Retort {

// A database schema as its catalog reports it: what Retort introspects after
// each replayed step, compares and shows. Value types; members are kept
// sorted by name (see Schema::normalize) so that equal schemas compare equal.

struct SchemaColumn
{
    QString name;
    QString type; // as the database reports it
    bool nullable = true;
    QString defaultValue; // the default's SQL, empty when there is none
    bool primaryKey = false;
    int position = 0; // 1-based, in the table
    friend bool operator==(const SchemaColumn &, const SchemaColumn &) = default;
};

struct SchemaIndex
{
    QString name;
    QStringList columns; // column names, or an expression's SQL
    bool unique = false;
    QString where; // a partial index's condition
    friend bool operator==(const SchemaIndex &, const SchemaIndex &) = default;
};

struct SchemaUnique
{
    QString name;
    QStringList columns;
    friend bool operator==(const SchemaUnique &, const SchemaUnique &) = default;
};

struct SchemaForeignKey
{
    QString name;
    QStringList columns;
    QString refSchema;
    QString refTable;
    QStringList refColumns;
    QString onDelete; // upper case, empty for the default (NO ACTION)
    QString onUpdate;
    friend bool operator==(const SchemaForeignKey &, const SchemaForeignKey &) = default;
};

struct SchemaCheck
{
    QString name;
    QString sql;
    friend bool operator==(const SchemaCheck &, const SchemaCheck &) = default;
};

struct SchemaTable
{
    QString schema; // empty for the default schema
    QString name;
    QList<SchemaColumn> columns;
    QString primaryKeyName;
    QList<SchemaIndex> indexes;
    QList<SchemaUnique> uniques;
    QList<SchemaForeignKey> foreignKeys;
    QList<SchemaCheck> checks;
    friend bool operator==(const SchemaTable &, const SchemaTable &) = default;
    QString qualifiedName() const { return schema.isEmpty() ? name : schema + u'.' + name; }
    const SchemaColumn *column(const QString &name) const;
    QStringList primaryKey() const;
    // Columns in table order, the rest sorted by name.
    void normalize();
    bool isNormal() const;
};

struct SchemaView
{
    QString schema;
    QString name;
    QString sql;
    friend bool operator==(const SchemaView &, const SchemaView &) = default;
    QString qualifiedName() const { return schema.isEmpty() ? name : schema + u'.' + name; }
};

struct SchemaEnum
{
    QString schema;
    QString name;
    QStringList values; // in the type's order
    friend bool operator==(const SchemaEnum &, const SchemaEnum &) = default;
    QString qualifiedName() const { return schema.isEmpty() ? name : schema + u'.' + name; }
};

struct SchemaSequence
{
    QString schema;
    QString name;
    QString type;
    friend bool operator==(const SchemaSequence &, const SchemaSequence &) = default;
    QString qualifiedName() const { return schema.isEmpty() ? name : schema + u'.' + name; }
};

struct Schema
{
    QString dialect; // sqlite, postgresql, mysql
    QList<SchemaTable> tables;
    QList<SchemaView> views;
    QList<SchemaEnum> enums;
    QList<SchemaSequence> sequences;

    friend bool operator==(const Schema &, const Schema &) = default;
    // Sorts tables, views, enums, sequences and each table's indexes,
    // constraints and keys by name; columns stay in table order.
    void normalize();
    const SchemaTable *table(const QString &qualifiedName) const;

    // The interface for tools (`retort schema --format json`): keys are kept,
    // never renamed; `revision` is the ids the snapshot is at.
    QJsonObject toJson(const QStringList &revision = {}) const;
    static Result<Schema> fromJson(const QJsonObject &json);
    static QJsonObject tableToJson(const SchemaTable &t);
    static SchemaTable tableFromJson(const QJsonObject &json);
    QString toText() const;
    QString toMarkdown() const;
};

// One-line descriptions of schema members, for text output and diffs.
struct SchemaText
{
    static QString column(const SchemaColumn &c);
    static QString index(const SchemaIndex &i);
    static QString foreignKey(const SchemaForeignKey &fk);
};

} // namespace Retort
