#pragma once

#include "revisionfile.h"

#include <QString>
#include <QStringList>

namespace Retort {

// One operation with what can be read of its arguments without running
// them: the string literals among them, and the table of the enclosing
// `with op.batch_alter_table(...)` for batch operations.
struct OperationKey
{
    QString name;       // "add_column"
    QString batchTable; // set for batch_op.* calls
    QStringList literals;
    QString arguments; // raw text
    int line = 0;

    bool isBatch() const { return !batchTable.isNull(); }
    // (table, column) for column operations, batch or not.
    QString table() const { return isBatch() ? batchTable : literals.value(0); }
    QString column() const { return isBatch() ? literals.value(0) : literals.value(1); }
};

// What an operation acts on, read from its positional and keyword arguments
// as Alembic's signatures name them. A part given as an expression rather
// than a string literal is that expression after '=' ("=INDEX_NAME"); None
// or a missing part stays empty, and `known` says whether the parts that
// identify the operation (the table; the column; the index's or
// constraint's name) were all there.
struct OperationSubject
{
    QString table;
    QString column;      // column operations
    QString name;        // indexes and constraints: their name; rename_table: the new name;
                         // alter_column: new_column_name
    QStringList columns; // indexes and constraints: the column names given
    bool known = false;

    // Whether a part is an expression, which may stand for any name.
    bool hasExpression() const
    {
        return table.startsWith(u'=') || column.startsWith(u'=') || name.startsWith(u'=');
    }
};
OperationSubject subjectOf(const OperationKey &op);

// The operations of a function body, batch operations attributed to their
// table; the batch_alter_table calls themselves are left out.
QList<OperationKey> operationKeys(const FunctionBody &body);

// A column as `sa.Column(...)` declares it, read from the source text.
struct ColumnSpec
{
    QString name;
    QString type; // "Integer", "String(100)", "Enum('a', 'b', name='x')"
    bool notNull = false;
    bool primaryKey = false;
    QString foreignKey; // "teams.id"
};
// The columns of a create_table, or the one column of add_column.
QList<ColumnSpec> columnsOf(const OperationKey &op);

// A short reading for people: "op.add_column users.email",
// "op.create_index ix_users_email on users".
QString summarizeOperation(const OperationKey &op);
QStringList summarizeOperations(const FunctionBody &body);

} // namespace Retort
