#include "linter.h"

#include "core/script/operationsummary.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <map>

namespace Retort {

namespace {

class Checker
{
public:
    Checker(const RevisionGraph &graph, const NamingScheme &scheme, const QStringList &disabled)
        : m_graph(graph)
        , m_scheme(scheme)
        , m_disabled(disabled)
    {}

    Diagnostics run()
    {
        if (m_scheme.kind() == NamingScheme::Kind::Sequential)
            naming();
        for (int i = 0; i < m_graph.size(); ++i) {
            docstring(i);
            review(i);
            symmetry(i);
            risky(i);
        }
        return m_out;
    }

private:
    void add(int revision, Severity severity, const char *code, int line, const QString &message)
    {
        const RevisionFile &f = m_graph.fileOf(revision);
        const QString c = QString::fromLatin1(code);
        if (m_disabled.contains(c) || f.ignoredCodes.contains(c))
            return;
        m_out.append({severity, c, f.path, line, message});
    }

    QString stem(int revision) const
    {
        return QFileInfo(m_graph.fileOf(revision).path).completeBaseName();
    }

    void naming();
    void docstring(int i);
    void review(int i);
    void symmetry(int i);
    void risky(int i);

    const RevisionGraph &m_graph;
    const NamingScheme &m_scheme;
    const QStringList &m_disabled;
    Diagnostics m_out;
};

void Checker::naming()
{
    static const QRegularExpression snake(QStringLiteral("^[a-z0-9]+(_[a-z0-9]+)*$"));
    std::map<int, QList<int>> byNumber; // sequential number -> revisions
    for (int i = 0; i < m_graph.size(); ++i) {
        const RevisionFile &f = m_graph.fileOf(i);
        const QString name = f.fileName();
        int digits = 0;
        if (!NamingScheme::hasSequentialPrefix(name, &digits)) {
            add(i, Severity::Warning, "naming-prefix", qMax(1, f.revisionLine),
                QStringLiteral("%1 is not named by the project's scheme (NNN_slug.py); Normalize "
                               "renames it to the next number.")
                    .arg(name));
            continue;
        }
        const int number = name.left(digits).toInt();
        byNumber[number].append(i);
        const QString fileStem = stem(i);
        if (digits != m_scheme.width())
            add(i, Severity::Warning, "naming-width", qMax(1, f.revisionLine),
                QStringLiteral("The number in %1 has %2 digits; the project's files use %3.")
                    .arg(name)
                    .arg(digits)
                    .arg(m_scheme.width()));
        if (m_graph.revision(i).id != fileStem)
            add(i, Severity::Warning, "revision-not-stem", qMax(1, f.revisionLine),
                QStringLiteral(
                    "`revision` is '%1' but the file is %2; the scheme wants them equal.")
                    .arg(m_graph.revision(i).id, name));
        const QString slug = fileStem.mid(digits + 1);
        if (!snake.match(slug).hasMatch())
            add(i, Severity::Info, "slug-not-snake-case", qMax(1, f.revisionLine),
                QStringLiteral("The slug '%1' is not snake_case.").arg(slug));
    }
    int previous = -1;
    for (const auto &[number, revisions] : byNumber) {
        if (revisions.size() > 1) {
            QStringList names;
            for (int r : revisions)
                names.append(m_graph.fileOf(r).fileName());
            for (int r : revisions)
                add(r, Severity::Warning, "naming-duplicate-number",
                    qMax(1, m_graph.fileOf(r).revisionLine),
                    QStringLiteral(
                        "Number %1 is used by %2 files (%3); two branches each added it. "
                        "Re-parent one onto the other.")
                        .arg(number)
                        .arg(revisions.size())
                        .arg(names.join(QStringLiteral(", "))));
        }
        if (previous >= 0 && number > previous + 1)
            add(revisions.first(), Severity::Info, "naming-gap",
                qMax(1, m_graph.fileOf(revisions.first()).revisionLine),
                QStringLiteral("Numbers jump from %1 to %2.").arg(previous).arg(number));
        // A revision made on an older head: its parent is not the previous
        // number, while the previous number is still a head.
        if (previous >= 0 && revisions.size() == 1) {
            const auto prev = byNumber.find(previous);
            const int r = revisions.first();
            const Revision &rev = m_graph.revision(r);
            if (prev->second.size() == 1 && rev.downRevisions.size() == 1) {
                const Revision &before = m_graph.revision(prev->second.first());
                if (rev.downRevisions.first() != before.id && before.isHead() &&
                    !rev.parents.isEmpty())
                    add(r, Severity::Warning, "down-revision-not-previous",
                        m_graph.fileOf(r).downRevision.span.line,
                        QStringLiteral(
                            "down_revision is '%1', but the previous number %2 is a head; "
                            "this revision was made on an older head. Re-parent it onto %2.")
                            .arg(rev.downRevisions.first(), before.id));
            }
        }
        previous = number;
    }
}

void Checker::docstring(int i)
{
    const RevisionFile &f = m_graph.fileOf(i);
    const Revision &r = m_graph.revision(i);
    if (f.docRevisionIdLine > 0 && f.docRevisionId != r.id)
        add(i, Severity::Warning, "docstring-revision-id", f.docRevisionIdLine,
            QStringLiteral("The docstring says Revision ID: %1, but `revision` is '%2'.")
                .arg(f.docRevisionId, r.id));
    const QString revises = r.downRevisions.join(QStringLiteral(", "));
    if (f.docRevisesLine > 0 && f.docRevises != revises)
        add(i, Severity::Warning, "docstring-revises", f.docRevisesLine,
            QStringLiteral("The docstring says Revises: %1, but `down_revision` is %2.")
                .arg(f.docRevises.isEmpty() ? QStringLiteral("(nothing)") : f.docRevises,
                     revises.isEmpty() ? QStringLiteral("None") : u'\'' + revises + u'\''));
}

void Checker::review(int i)
{
    const RevisionFile &f = m_graph.fileOf(i);
    if (f.autogenerateMarkerLine > 0)
        add(i, Severity::Warning, "unreviewed-autogenerate", f.autogenerateMarkerLine,
            QStringLiteral(
                "Alembic's \"commands auto generated\" markers are still here: review the "
                "operations, then delete the marker comments."));
}

// What undoes `op`, as (name, key) pairs any of which will do.
QList<QPair<QString, QString>> inverses(const OperationKey &op)
{
    const QString &n = op.name;
    const QString first = op.literals.value(0);
    if (n == u"add_column")
        return {{QStringLiteral("drop_column"), op.table() + u'.' + op.column()}};
    if (n == u"drop_column")
        return {{QStringLiteral("add_column"), op.table() + u'.' + op.column()}};
    if (n == u"create_table")
        return {{QStringLiteral("drop_table"), first}};
    if (n == u"drop_table")
        return {{QStringLiteral("create_table"), first}};
    if (n == u"create_index")
        return {{QStringLiteral("drop_index"), first}};
    if (n == u"drop_index")
        return {{QStringLiteral("create_index"), first}};
    if (n == u"create_foreign_key" || n == u"create_unique_constraint" ||
        n == u"create_check_constraint" || n == u"create_primary_key" ||
        n == u"create_exclude_constraint")
        return {{QStringLiteral("drop_constraint"), first}};
    if (n == u"rename_table" && op.literals.size() >= 2)
        return {{QStringLiteral("rename_table"),
                 op.literals.at(1) + QStringLiteral("->") + op.literals.at(0)}};
    if (n == u"alter_column")
        return {{QStringLiteral("alter_column"), op.table() + u'.' + op.column()}};
    return {};
}

// The key an operation is known by when it is someone's inverse.
QString keyOf(const OperationKey &op)
{
    const QString &n = op.name;
    if (n == u"add_column" || n == u"drop_column" || n == u"alter_column")
        return op.table() + u'.' + op.column();
    if (n == u"rename_table" && op.literals.size() >= 2)
        return op.literals.at(0) + QStringLiteral("->") + op.literals.at(1);
    return op.literals.value(0);
}

// The tables an operation touches, for telling which orders matter.
QStringList tablesOf(const OperationKey &op)
{
    const QString &n = op.name;
    if (n.endsWith(u"_column"))
        return {op.table()};
    if (n == u"create_table" || n == u"drop_table")
        return {op.literals.value(0)};
    if (n == u"rename_table")
        return op.literals.mid(0, 2);
    // indexes and constraints: (name, table, ...) or the batch's table
    if (op.isBatch())
        return {op.batchTable};
    return op.literals.size() >= 2 ? QStringList{op.literals.at(1)} : QStringList{};
}

// Whether undoing `a` and `b` in either order can give different results:
// they share a table and are not just two different columns or two
// differently named indexes/constraints on it.
bool dependent(const OperationKey &a, const OperationKey &b)
{
    bool shared = false;
    for (const QString &t : tablesOf(a))
        shared = shared || (!t.isEmpty() && tablesOf(b).contains(t));
    if (!shared)
        return false;
    const bool columnA = a.name.endsWith(u"_column");
    const bool columnB = b.name.endsWith(u"_column");
    if (columnA && columnB)
        return a.column() == b.column();
    const bool tableLevel = a.name.endsWith(u"_table") || b.name.endsWith(u"_table");
    if (tableLevel)
        return true;
    if (!columnA && !columnB)
        return a.literals.value(0) == b.literals.value(0);
    // a column and an index/constraint: only when it names that column
    const OperationKey &column = columnA ? a : b;
    const OperationKey &other = columnA ? b : a;
    return other.literals.contains(column.column());
}

void Checker::symmetry(int i)
{
    const RevisionFile &f = m_graph.fileOf(i);
    if (!f.upgrade.present || f.upgrade.isEmpty)
        return;
    if (!f.downgrade.present || f.downgrade.isEmpty || f.downgrade.raisesNotImplemented) {
        const char *how = !f.downgrade.present ? "there is no downgrade()"
                          : f.downgrade.raisesNotImplemented
                              ? "downgrade() raises NotImplementedError"
                              : "downgrade() does nothing";
        add(i, Severity::Warning, "empty-downgrade",
            f.downgrade.present ? f.downgrade.line : f.upgrade.line,
            QStringLiteral(
                "upgrade() changes the schema but %1: this revision cannot be downgraded.")
                .arg(QLatin1String(how)));
        return;
    }
    const QList<OperationKey> down = operationKeys(f.downgrade);
    QHash<QString, int> undone; // inverse key -> its position in downgrade()
    for (int k = 0; k < down.size(); ++k)
        undone.insert(down.at(k).name + u' ' + keyOf(down.at(k)), k);
    QList<QPair<OperationKey, int>> matched; // upgrade operations and where they are undone
    for (const OperationKey &u : operationKeys(f.upgrade)) {
        const auto wanted = inverses(u);
        if (wanted.isEmpty())
            continue;
        int position = -1;
        for (const auto &[name, key] : wanted)
            position = qMax(position, undone.value(name + u' ' + key, -1));
        if (position < 0) {
            add(i, Severity::Warning, "asymmetric-downgrade", u.line,
                QStringLiteral("%1 has no matching op.%2 in downgrade().")
                    .arg(summarizeOperation(u), wanted.first().first));
            continue;
        }
        // What upgrade() does later, downgrade() must undo earlier, where
        // the two depend on each other (a table and its index, ...).
        for (const auto &[earlier, earlierPosition] : std::as_const(matched)) {
            if (position > earlierPosition && dependent(earlier, u)) {
                add(i, Severity::Warning, "downgrade-order", down.at(position).line,
                    QStringLiteral(
                        "downgrade() undoes %1 after %2; undo in the reverse order of upgrade().")
                        .arg(summarizeOperation(u), summarizeOperation(earlier)));
                break;
            }
        }
        matched.append({u, position});
    }
}

void Checker::risky(int i)
{
    static const QRegularExpression dml(QStringLiteral("\\b(INSERT|UPDATE|DELETE)\\b"),
                                        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression notNull(QStringLiteral("nullable\\s*=\\s*False"));
    const RevisionFile &f = m_graph.fileOf(i);
    for (const OperationKey &op : operationKeys(f.upgrade)) {
        const QString what = summarizeOperation(op);
        if (op.name == u"drop_table" || op.name == u"drop_column")
            add(i, Severity::Warning, "data-loss", op.line,
                QStringLiteral(
                    "%1 deletes data on upgrade; make sure it is backed up or no longer needed.")
                    .arg(what));
        if (op.arguments.contains(QLatin1String("Enum(")) ||
            op.arguments.contains(QLatin1String("ENUM("))) {
            if (op.name == u"alter_column")
                add(i, Severity::Warning, "enum-change", op.line,
                    QStringLiteral(
                        "%1 changes an ENUM type; PostgreSQL needs ALTER TYPE, and existing values "
                        "must fit the new type.")
                        .arg(what));
            else
                add(i, Severity::Info, "enum-change", op.line,
                    QStringLiteral(
                        "%1 creates an ENUM type; on PostgreSQL it outlives the column unless "
                        "dropped explicitly.")
                        .arg(what));
        }
        if (op.name == u"alter_column" && op.arguments.contains(QLatin1String("type_")))
            add(i, Severity::Warning, "type-change", op.line,
                QStringLiteral("%1 changes a column type; existing rows must convert.").arg(what));
        if ((op.name == u"execute" && dml.match(op.arguments).hasMatch()) ||
            op.name == u"bulk_insert" || op.name == u"get_bind")
            add(i, Severity::Warning, "data-migration", op.line,
                QStringLiteral(
                    "%1 migrates data; it can be slow on large tables and may not render "
                    "offline.")
                    .arg(what));
        if (op.name == u"add_column" && notNull.match(op.arguments).hasMatch() &&
            !op.arguments.contains(QLatin1String("server_default")))
            add(i, Severity::Warning, "not-null-without-default", op.line,
                QStringLiteral(
                    "%1 adds a NOT NULL column without a server_default; the upgrade fails on "
                    "a table that has rows.")
                    .arg(what));
    }
}

} // namespace

Diagnostics Linter::lint(const RevisionGraph &graph, const NamingScheme &scheme,
                         const QStringList &disabled)
{
    return Checker(graph, scheme, disabled).run();
}

QString Linter::slugOf(const QString &message)
{
    // ASCII only, as revision ids must be: accents are taken off (é -> e),
    // letters with no ASCII form are dropped.
    const QString folded = message.normalized(QString::NormalizationForm_KD);
    QStringList words;
    QString word;
    for (const QChar c : folded) {
        const char16_t u = c.toLower().unicode();
        // Latin letters that do not decompose.
        static const QHash<char16_t, QString> letters{
            {u'ß', QStringLiteral("ss")}, {u'æ', QStringLiteral("ae")},
            {u'œ', QStringLiteral("oe")}, {u'ø', QStringLiteral("o")},
            {u'ł', QStringLiteral("l")},  {u'đ', QStringLiteral("d")},
            {u'þ', QStringLiteral("th")}, {u'ð', QStringLiteral("d")},
            {u'ı', QStringLiteral("i")}};
        if ((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')) {
            word += QChar(u);
        } else if (letters.contains(u)) {
            word += letters.value(u);
        } else if (c.category() != QChar::Mark_NonSpacing && !word.isEmpty()) {
            words.append(std::exchange(word, QString()));
        }
    }
    if (!word.isEmpty())
        words.append(word);
    return words.join(u'_');
}

} // namespace Retort
