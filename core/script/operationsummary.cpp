#include "operationsummary.h"
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
        if (RevisionReader::decodeStringLiteral(literal.constData(), int(literal.size()), &value))
            out.append(value);
    }
    return out;
}

} // namespace

QString summarizeOperation(const OperationCall &call, const QString &batchTable)
{
    const QString head =
        (batchTable.isEmpty() ? call.receiver : QStringLiteral("op")) + u'.' + call.name;
    QStringList lits = literals(call.arguments);
    if (!batchTable.isEmpty())
        lits.prepend(batchTable);
    const QString &name = call.name;
    if (lits.isEmpty())
        return head;
    if (name.endsWith(u"_index") || name.endsWith(u"_constraint") ||
        name.endsWith(u"_foreign_key") || name == u"create_primary_key" ||
        name == u"create_unique_constraint" || name == u"create_check_constraint") {
        // (name, table, ...) — batch operations know the table already
        if (!batchTable.isEmpty() && lits.size() >= 2)
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
    QString batchTable; // the table of the latest `with op.batch_alter_table(...)`
    for (const OperationCall &call : body.operations) {
        if (call.name == u"batch_alter_table" && call.receiver == u"op") {
            batchTable = literals(call.arguments).value(0);
            continue;
        }
        out.append(summarizeOperation(call, call.receiver == u"op" ? QString() : batchTable));
    }
    return out;
}

} // namespace Retort
