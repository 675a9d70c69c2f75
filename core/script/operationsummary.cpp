#include "operationsummary.h"
#include "pythonliteral.h"
#include "revisionreader.h"

#include <QRegularExpression>

namespace Retort {

namespace {

// The string literals among the arguments, in order.
QStringList literals(const QString &arguments)
{
    static const QRegularExpression re(QStringLiteral(
        "(?<![\\w.])([rRuU]?)('(?:[^'\\\\\\n]|\\\\.)*'|\"(?:[^\"\\\\\\n]|\\\\.)*\")"));
    QStringList out;
    auto it = re.globalMatch(arguments);
    while (it.hasNext()) {
        const auto m = it.next();
        const QByteArray literal = (m.captured(1) + m.captured(2)).toUtf8();
        QString value;
        if (PythonLiteral::decode(literal.constData(), int(literal.size()), &value))
            out.append(value);
    }
    return out;
}

} // namespace

QList<OperationKey> operationKeys(const FunctionBody &body)
{
    QList<OperationKey> out;
    QString batchTable; // the table of the latest `with op.batch_alter_table(...)`
    for (const OperationCall &call : body.operations) {
        if (call.name == u"batch_alter_table" && call.receiver == u"op") {
            batchTable = literals(call.arguments).value(0);
            continue;
        }
        OperationKey key;
        key.name = call.name;
        key.literals = literals(call.arguments);
        key.arguments = call.arguments;
        key.line = call.line;
        if (call.receiver != u"op")
            key.batchTable = batchTable.isNull() ? QStringLiteral("") : batchTable;
        out.append(key);
    }
    return out;
}

QString summarizeOperation(const OperationKey &op)
{
    const QString head = QStringLiteral("op.") + op.name;
    QStringList lits = op.literals;
    if (op.isBatch())
        lits.prepend(op.batchTable);
    const QString &name = op.name;
    if (lits.isEmpty())
        return head;
    if (name.endsWith(u"_index") || name.endsWith(u"_constraint") ||
        name.endsWith(u"_foreign_key") || name == u"create_primary_key") {
        // (name, table, ...) — batch operations know the table already
        if (op.isBatch() && lits.size() >= 2)
            return head + u' ' + lits.at(1) + QStringLiteral(" on ") + lits.at(0);
        if (lits.size() >= 2)
            return head + u' ' + lits.at(0) + QStringLiteral(" on ") + lits.at(1);
        return head + u' ' + lits.at(0);
    }
    if (name == u"rename_table" && lits.size() >= 2)
        return head + u' ' + lits.at(0) + QStringLiteral(" → ") + lits.at(1);
    if (name == u"execute")
        return head + u' ' + lits.at(0).simplified().left(60);
    if (name.endsWith(u"_table") || name == u"bulk_insert" || lits.size() == 1)
        return head + u' ' + lits.at(0);
    return head + u' ' + lits.at(0) + u'.' + lits.at(1);
}

QStringList summarizeOperations(const FunctionBody &body)
{
    QStringList out;
    for (const OperationKey &op : operationKeys(body))
        out.append(summarizeOperation(op));
    return out;
}

} // namespace Retort
