#include "linter.h"

#include "core/script/operationsummary.h"

#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

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
    // Whether the project sets `revision` to the file's stem: where most
    // numbered files keep an id of their own (001_<hash>_slug.py, as CKAN
    // does), that is its convention and no file is told otherwise.
    int stemIds = 0, ownIds = 0;
    for (int i = 0; i < m_graph.size(); ++i) {
        if (NamingScheme::hasSequentialPrefix(m_graph.fileOf(i).fileNameView()))
            ++(m_graph.revision(i).id == stem(i) ? stemIds : ownIds);
    }
    const bool idsAreStems = stemIds >= ownIds;
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
        if (idsAreStems && m_graph.revision(i).id != fileStem)
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
    // "a, b" as Alembic writes it; older templates wrote the tuple itself,
    // "('a', 'b')", and people write "None" for a base.
    QStringList said;
    for (const QString &part : QString(f.docRevises).remove(u'(').remove(u')').split(u',')) {
        QString id = part.trimmed();
        if (id.size() >= 2 && (id.front() == u'\'' || id.front() == u'"') &&
            id.back() == id.front())
            id = id.mid(1, id.size() - 2);
        if (!id.isEmpty() && id != u"None")
            said.append(id);
    }
    if (f.docRevisesLine > 0 && said != r.downRevisions)
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

// The names of the operations that undo `name` ("" when none).
QString inverseName(const QString &n)
{
    static const QHash<QString, QString> inverse{
        {QStringLiteral("add_column"), QStringLiteral("drop_column")},
        {QStringLiteral("drop_column"), QStringLiteral("add_column")},
        {QStringLiteral("create_table"), QStringLiteral("drop_table")},
        {QStringLiteral("drop_table"), QStringLiteral("create_table")},
        {QStringLiteral("create_index"), QStringLiteral("drop_index")},
        {QStringLiteral("drop_index"), QStringLiteral("create_index")},
        {QStringLiteral("create_foreign_key"), QStringLiteral("drop_constraint")},
        {QStringLiteral("create_unique_constraint"), QStringLiteral("drop_constraint")},
        {QStringLiteral("create_check_constraint"), QStringLiteral("drop_constraint")},
        {QStringLiteral("create_primary_key"), QStringLiteral("drop_constraint")},
        {QStringLiteral("create_exclude_constraint"), QStringLiteral("drop_constraint")},
        {QStringLiteral("rename_table"), QStringLiteral("rename_table")},
        {QStringLiteral("alter_column"), QStringLiteral("alter_column")},
    };
    return inverse.value(n);
}

// The key an operation is known by: table.column, the table, the index's or
// constraint's name, or old->new for a rename.
QString keyOf(const OperationKey &op, const OperationSubject &s)
{
    const QString &n = op.name;
    if (n == u"add_column" || n == u"drop_column" || n == u"alter_column")
        return s.table + u'.' + s.column;
    if (n == u"rename_table")
        return s.table + QStringLiteral("->") + s.name;
    if (n.endsWith(u"_table"))
        return s.table;
    return s.name;
}

// The key of the operation that undoes `op`.
QString inverseKeyOf(const OperationKey &op, const OperationSubject &s)
{
    if (op.name == u"rename_table")
        return s.name + QStringLiteral("->") + s.table;
    if (op.name == u"alter_column" && !s.name.isEmpty())
        return s.table + u'.' + s.name; // a renamed column is renamed back under its new name
    return keyOf(op, s);
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
    QHash<QString, int> undone; // name + key -> its position in downgrade()
    // Downgrade operations by name and table: any of them may be the one
    // where either side names its object with something other than a literal.
    QSet<QString> unreadable, anyOnTable;
    QList<OperationSubject> downSubjects;
    for (int k = 0; k < down.size(); ++k) {
        const OperationSubject &s = downSubjects.emplace_back(subjectOf(down.at(k)));
        const QString &name = down.at(k).name;
        if (s.known)
            undone.insert(name + u' ' + keyOf(down.at(k), s), k);
        // An expression (a loop variable, a constant) may be any name.
        if (!s.known || s.hasExpression())
            unreadable.insert(name + u' ' + (s.table.startsWith(u'=') ? QString() : s.table));
        anyOnTable.insert(name + u' ' + s.table);
        anyOnTable.insert(name);
    }
    const QList<OperationKey> up = operationKeys(f.upgrade);
    QList<OperationSubject> subjects;
    for (const OperationKey &u : up)
        subjects.append(subjectOf(u));
    // What upgrade() itself creates: undoing the creation undoes whatever
    // upgrade() did to it afterwards (an index on a new table, a default
    // set on a new column).
    QSet<QString> createdTables;
    QHash<QString, QStringList> addedColumns; // table -> its new columns
    // Keys upgrade() creates again after dropping them (a rebuilt index), or
    // a table or column made under another name and renamed into place: the
    // drop needs no undoing of its own. One made and then renamed is undone
    // under its new name, which the rename's own check does not see either.
    auto recreatedLater = [&](int k) {
        const QString &name = up.at(k).name;
        const bool drop = name.startsWith(u"drop_");
        if (!(drop || name == u"create_table" || name == u"add_column") || !subjects.at(k).known)
            return false;
        const QString again = inverseName(name);
        const QString key = keyOf(up.at(k), subjects.at(k));
        for (int later = k + 1; later < up.size(); ++later) {
            const OperationKey &l = up.at(later);
            const OperationSubject &ls = subjects.at(later);
            if (drop && l.name == again && ls.known && keyOf(l, ls) == key)
                return true;
            // A rename of a table, or of a column (alter_column with
            // new_column_name), from `from` to `to`.
            QString from, to;
            if (l.name == u"rename_table" && name.endsWith(u"_table")) {
                from = ls.table;
                to = ls.name;
            } else if (l.name == u"alter_column" && name.endsWith(u"_column") &&
                       !ls.name.isEmpty()) {
                from = ls.table + u'.' + ls.column;
                to = ls.table + u'.' + ls.name;
            }
            if (!from.isEmpty() && (drop ? to : from) == key)
                return true;
        }
        return false;
    };
    auto onSomethingNew = [&](const OperationKey &u, const OperationSubject &s) {
        if (u.name == u"create_table" || s.table.isEmpty())
            return false;
        const QStringList added = addedColumns.value(s.table);
        if (createdTables.contains(s.table) || added.contains(s.column))
            return true;
        // An index or constraint that names a new column, in its column
        // list or its condition.
        for (const QString &c : added) {
            const QRegularExpression word(u"\\b" + QRegularExpression::escape(c) + u"\\b");
            if (s.columns.contains(c) || (s.column.isEmpty() && word.match(u.arguments).hasMatch()))
                return true;
        }
        return false;
    };
    QList<QPair<OperationKey, int>> matched; // upgrade operations and where they are undone
    for (int k = 0; k < up.size(); ++k) {
        const OperationKey &u = up.at(k);
        const OperationSubject &s = subjects.at(k);
        const QString wanted = inverseName(u.name);
        if (wanted.isEmpty())
            continue;
        int position = s.known ? undone.value(wanted + u' ' + inverseKeyOf(u, s), -1) : -1;
        // A naming convention (ck_%(table_name)s_%(constraint_name)s ...) makes
        // the name downgrade() drops longer than the one upgrade() gave.
        for (int d = 0; position < 0 && s.known && !s.name.isEmpty() && d < down.size(); ++d) {
            const OperationSubject &ds = downSubjects.at(d);
            if (down.at(d).name == wanted && ds.name.endsWith(u'_' + s.name) &&
                ds.name.contains(s.table))
                position = d;
        }
        const bool covered =
            position < 0 &&
            (onSomethingNew(u, s) || recreatedLater(k) ||
             // a downgrade operation whose name Retort cannot read may be it
             unreadable.contains(wanted + u' ' + s.table) || unreadable.contains(wanted + u' ') ||
             (!s.known &&
              anyOnTable.contains(s.table.isEmpty() ? wanted : wanted + u' ' + s.table)));
        if (u.name == u"create_table" && !s.table.isEmpty())
            createdTables.insert(s.table);
        if (u.name == u"add_column" && s.known)
            addedColumns[s.table].append(s.column);
        // A new column renamed is still new under its new name.
        if (u.name == u"alter_column" && !s.name.isEmpty() &&
            addedColumns.value(s.table).contains(s.column))
            addedColumns[s.table].append(s.name);
        if (covered)
            continue;
        if (position < 0) {
            add(i, Severity::Warning, "asymmetric-downgrade", u.line,
                QStringLiteral("%1 has no matching op.%2 in downgrade().")
                    .arg(summarizeOperation(u), wanted));
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
