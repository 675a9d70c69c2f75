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

// Splits call arguments at top-level commas, respecting brackets and quotes.
QStringList splitArguments(QStringView text)
{
    QStringList out;
    int depth = 0;
    QChar quote;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == u'\\')
                ++i;
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'\'' || c == u'"')
            quote = c;
        else if (c == u'(' || c == u'[' || c == u'{')
            ++depth;
        else if (c == u')' || c == u']' || c == u'}')
            --depth;
        else if (c == u',' && depth == 0) {
            out.append(text.mid(start, i - start).trimmed().toString());
            start = i + 1;
        }
    }
    const QString last = text.mid(start).trimmed().toString();
    if (!last.isEmpty())
        out.append(last);
    return out;
}

// `sa.Column(...)` / `Column(...)`: the text between its parentheses, or null.
QString columnArguments(const QString &argument)
{
    static const QRegularExpression call(QStringLiteral("^(?:\\w+\\.)*Column\\s*\\((.*)\\)$"),
                                         QRegularExpression::DotMatchesEverythingOption);
    const auto m = call.match(argument.trimmed());
    return m.hasMatch() ? m.captured(1) : QString();
}

ColumnSpec readColumn(const QString &arguments)
{
    static const QRegularExpression module(QStringLiteral("\\b(?:sa|sqlalchemy|postgresql|mysql|"
                                                          "sqlite|types|dialects)\\."));
    static const QRegularExpression foreignKey(
        QStringLiteral("^(?:\\w+\\.)*ForeignKey\\s*\\(\\s*[rRuU]?['\"]([^'\"]+)['\"]"));
    ColumnSpec c;
    for (const QString &arg : splitArguments(arguments)) {
        const qsizetype eq = arg.indexOf(u'=');
        const bool keyword = eq > 0 && !arg.left(eq).contains(u'(') && arg.at(eq + 1) != u'=';
        if (keyword) {
            const QString key = arg.left(eq).trimmed();
            const QString value = arg.mid(eq + 1).trimmed();
            if (key == u"nullable")
                c.notNull = value == u"False";
            else if (key == u"primary_key")
                c.primaryKey = value == u"True";
            else if (key == u"name" && c.name.isEmpty())
                c.name = literals(value).value(0);
            else if (key == u"type_")
                c.type = QString(value).remove(module);
            continue;
        }
        if (c.name.isEmpty() && (arg.startsWith(u'\'') || arg.startsWith(u'"'))) {
            c.name = literals(arg).value(0);
        } else if (const auto fk = foreignKey.match(arg); fk.hasMatch()) {
            c.foreignKey = fk.captured(1);
        } else if (c.type.isEmpty()) {
            c.type = QString(arg).remove(module).simplified();
        }
    }
    if (c.primaryKey)
        c.notNull = true;
    return c;
}

} // namespace

QList<ColumnSpec> columnsOf(const OperationKey &op)
{
    QList<ColumnSpec> out;
    if (op.name != u"create_table" && op.name != u"add_column")
        return out;
    for (const QString &arg : splitArguments(op.arguments)) {
        const QString inner = columnArguments(arg);
        if (!inner.isNull())
            out.append(readColumn(inner));
    }
    return out;
}

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
