#include "operationsummary.h"
#include "pythonliteral.h"
#include "revisionreader.h"

#include <QHash>
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

// The value of an argument that is one string literal (or Alembic's
// `op.f('name')`, a name taken as is), else a null string.
QString literalArgument(const QString &argument)
{
    static const QRegularExpression wrapped(
        QStringLiteral("^(?:op\\.f|sa\\.text|text)\\s*\\((.*)\\)$"),
        QRegularExpression::DotMatchesEverythingOption);
    QString text = argument.trimmed();
    if (const auto m = wrapped.match(text); m.hasMatch())
        text = m.captured(1).trimmed();
    const QStringList found = literals(text);
    if (found.size() != 1)
        return QString();
    // The whole argument must be that literal, not an expression using it.
    const QChar first = text.isEmpty() ? QChar() : text.at(0);
    const bool quoted = first == u'\'' || first == u'"' ||
                        (text.size() > 1 && QStringLiteral("rRuU").contains(first) &&
                         (text.at(1) == u'\'' || text.at(1) == u'"'));
    return quoted && (text.endsWith(u'\'') || text.endsWith(u'"')) ? found.first() : QString();
}

// What identifies an object in an argument: the literal's value, else the
// expression itself marked by a leading '=' (the same variable names the same
// object throughout one file), or empty for None and a missing argument.
QString identity(const QString &argument)
{
    const QString value = literalArgument(argument);
    if (!value.isNull())
        return value;
    const QString text = argument.simplified();
    return text.isEmpty() || text == u"None" ? QString() : u'=' + text;
}

} // namespace

OperationSubject subjectOf(const OperationKey &op)
{
    // Positional arguments in order, keyword arguments by name.
    QStringList positional;
    QHash<QString, QString> keyword;
    static const QRegularExpression keywordArg(QStringLiteral("^([A-Za-z_]\\w*)\\s*=(?!=)"));
    for (const QString &arg : splitArguments(op.arguments)) {
        if (const auto m = keywordArg.match(arg); m.hasMatch())
            keyword.insert(m.captured(1), arg.mid(m.capturedEnd()).trimmed());
        else if (!arg.startsWith(u'*'))
            positional.append(arg);
    }
    // The argument at `position` (counted without the table a batch
    // operation leaves out) or under one of `names`.
    auto argument = [&](int position, std::initializer_list<const char *> names) {
        if (position >= 0 && position < positional.size())
            return positional.at(position);
        for (const char *n : names) {
            const auto it = keyword.constFind(QLatin1String(n));
            if (it != keyword.constEnd())
                return it.value();
        }
        return QString();
    };
    const bool batch = op.isBatch();
    const int shift = batch ? -1 : 0; // batch operations take no table argument
    const QString &n = op.name;
    OperationSubject s;
    if (n == u"create_table" || n == u"drop_table") {
        s.table = identity(argument(0, {"table_name", "name"}));
        s.known = !s.table.isEmpty();
    } else if (n == u"add_column" || n == u"drop_column" || n == u"alter_column") {
        s.table = batch ? op.batchTable : identity(argument(0, {"table_name"}));
        const QString columnArg = argument(1 + shift, {"column_name", "column"});
        const QString inner = columnArguments(columnArg);
        s.column = inner.isNull() ? identity(columnArg) : readColumn(inner).name;
        if (n == u"alter_column")
            s.name = literalArgument(argument(-1, {"new_column_name"}));
        s.known = !s.table.isEmpty() && !s.column.isEmpty();
    } else if (n == u"rename_table") {
        s.table = identity(argument(0, {"old_table_name"}));
        s.name = identity(argument(1, {"new_table_name"}));
        s.known = !s.table.isEmpty() && !s.name.isEmpty();
    } else if (n.endsWith(u"_index") || n.endsWith(u"_constraint") || n == u"create_foreign_key" ||
               n == u"create_primary_key") {
        s.name = identity(argument(0, {"index_name", "constraint_name", "name"}));
        s.table =
            batch ? op.batchTable : identity(argument(1, {"table_name", "source_table", "source"}));
        s.columns = literals(argument(n == u"create_foreign_key" ? 3 + shift : 2 + shift,
                                      {"columns", "local_cols"}));
        s.known = !s.name.isEmpty();
    }
    return s;
}

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
        // (name, table, ...) by position or keyword; a name left to the
        // naming convention (None) or held in a variable is said so.
        const OperationSubject s = subjectOf(op);
        const QString what = s.name.isEmpty()          ? QStringLiteral("(unnamed)")
                             : s.name.startsWith(u'=') ? s.name.mid(1)
                                                       : s.name;
        if (s.table.isEmpty())
            return head + u' ' + what;
        return head + u' ' + what + QStringLiteral(" on ") +
               (s.table.startsWith(u'=') ? s.table.mid(1) : s.table);
    }
    if (name == u"bulk_insert") {
        // bulk_insert(table, rows): the table is an object, not a literal;
        // the literals are the rows' keys.
        const QString table = splitArguments(op.arguments).value(0).simplified();
        return table.isEmpty() ? head : head + u' ' + table.left(40);
    }
    if (name == u"rename_table" && lits.size() >= 2)
        return head + u' ' + lits.at(0) + QStringLiteral(" → ") + lits.at(1);
    if (name == u"execute")
        return head + u' ' + lits.at(0).simplified().left(60);
    if (name.endsWith(u"_table") || lits.size() == 1)
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
