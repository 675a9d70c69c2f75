#include "revisionrewriter.h"

#include "core/db/connectionprofile.h"
#include "core/db/profilestore.h"
#include "core/db/versiontable.h"
#include "core/graph/revisionresolver.h"
#include "core/lint/linter.h"
#include "core/script/revisionreader.h"
#include "core/script/revisionscanner.h"
#include "core/script/sourcecodec.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUuid>

#include <map>

namespace Retort {

namespace {

constexpr int kMaxIdLength = 32; // alembic_version.version_num is VARCHAR(32)

struct Replacement
{
    int start;
    int end;
    QString text; // encoded in the file's own encoding when applied
};

// The literal `value` written like `original` (same prefix and quote).
QString requote(const QByteArray &original, const QString &value)
{
    int i = 0;
    QString prefix;
    while (i < original.size() && original.at(i) != '\'' && original.at(i) != '"') {
        const char c = char(original.at(i) | 0x20);
        if (c == 'r' || c == 'u')
            prefix.append(QLatin1Char(original.at(i)));
        ++i;
    }
    const QChar quote = QLatin1Char(i < original.size() ? original.at(i) : '"');
    return prefix + quote + value + quote;
}

QString literalFor(const QStringList &ids, char quote)
{
    auto q = [quote](const QString &id) -> QString {
        return QLatin1Char(quote) + id + QLatin1Char(quote);
    };
    if (ids.isEmpty())
        return QStringLiteral("None");
    if (ids.size() == 1)
        return q(ids.first());
    QStringList items;
    for (const QString &id : ids)
        items.append(q(id));
    return u'(' + items.join(QStringLiteral(", ")) + u')';
}

// `message` as the text of a triple-quoted docstring that Python reads back
// as `message`: one line, backslashes and quotes escaped, no control
// characters (Python refuses NUL in source).
QString docstringText(const QString &message)
{
    QString out;
    for (const QChar c : message.simplified()) {
        if (c == u'\\' || c == u'"')
            out += u'\\';
        if (c.unicode() >= 0x20 && c.unicode() != 0x7f)
            out += c;
    }
    return out;
}

// The value bytes after `key` on its line inside [from, to), or {-1, -1}.
QPair<int, int> docstringValue(const QByteArray &src, int from, int to, const QByteArray &key)
{
    const int at = int(src.indexOf(key, from));
    if (at < 0 || at >= to)
        return {-1, -1};
    int start = at + int(key.size());
    while (start < to && (src.at(start) == ' ' || src.at(start) == '\t'))
        ++start;
    int end = start;
    while (end < to && src.at(end) != '\n' && src.at(end) != '\r')
        ++end;
    while (end > start && (src.at(end - 1) == ' ' || src.at(end - 1) == '\t'))
        --end;
    return {start, end};
}

// False when a replacement has no spelling in the file's encoding.
bool applyReplacements(QByteArray *src, QList<Replacement> replacements, const SourceCodec &codec)
{
    std::sort(replacements.begin(), replacements.end(),
              [](const Replacement &a, const Replacement &b) { return a.start > b.start; });
    for (const Replacement &r : replacements) {
        QByteArray bytes;
        if (!codec.encode(r.text, &bytes))
            return false;
        src->replace(r.start, r.end - r.start, bytes);
    }
    return true;
}

// The reader problem that can hide what a file's identifiers say, or null.
const Diagnostic *hidingProblem(const RevisionFile &f)
{
    static const QStringList codes{
        QStringLiteral("unreadable-file"),  QStringLiteral("invalid-encoding"),
        QStringLiteral("unknown-encoding"), QStringLiteral("syntax-error"),
        QStringLiteral("not-literal"),      QStringLiteral("missing-revision"),
        QStringLiteral("invalid-revision"), QStringLiteral("missing-down-revision")};
    for (const Diagnostic &d : f.diagnostics) {
        if (d.severity == Severity::Error && codes.contains(d.code))
            return &d;
    }
    return nullptr;
}

} // namespace

QString RevisionRewriter::invalidIdReason(const QString &id)
{
    if (id.isEmpty())
        return QStringLiteral("A revision id cannot be empty.");
    if (id.size() > kMaxIdLength)
        return QStringLiteral(
                   "The id '%1' has %2 characters; alembic_version.version_num is VARCHAR(32), so "
                   "databases could not record it.")
            .arg(id)
            .arg(id.size());
    static const QRegularExpression bad(QStringLiteral("[@\\-+:]"));
    if (bad.match(id).hasMatch())
        return QStringLiteral(
                   "The id '%1' contains one of @ - + :, which mean something in revision "
                   "expressions.")
            .arg(id);
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_.]+$"));
    if (!safe.match(id).hasMatch())
        return QStringLiteral("The id '%1' may only contain letters, digits, '_' and '.'.").arg(id);
    return {};
}

int RevisionRewriter::nextNumber(const QList<int> &ignoring) const
{
    int highest = 0;
    const RevisionGraph &g = m_project.graph;
    for (int i = 0; i < g.size(); ++i) {
        if (ignoring.contains(i))
            continue;
        const QString name = g.fileOf(i).fileName();
        int digits = 0;
        if (NamingScheme::hasSequentialPrefix(name, &digits))
            highest = qMax(highest, name.left(digits).toInt());
    }
    return highest + 1;
}

Result<int> RevisionRewriter::resolve(const QString &target) const
{
    const RevisionGraph &g = m_project.graph;
    const QString name = QFileInfo(target).fileName();
    for (int i = 0; i < g.size(); ++i) {
        const RevisionFile &f = g.fileOf(i);
        if (f.path == QFileInfo(target).absoluteFilePath() || f.fileName() == name)
            return i;
    }
    auto r = RevisionResolver(g).revision(target);
    if (!r)
        return Result<int>::failure(r.error());
    if (r.value() < 0)
        return Result<int>::failure(QStringLiteral("'%1' names no revision.").arg(target));
    return r.value();
}

QString RevisionRewriter::proposedSlug(int revision) const
{
    const RevisionFile &f = m_project.graph.fileOf(revision);
    QString slug = Linter::slugOf(f.message);
    if (slug.isEmpty()) {
        // From the file name, without the id or number in front of it.
        QString stem = QFileInfo(f.path).completeBaseName();
        const QString id = m_project.graph.revision(revision).id;
        if (stem.startsWith(id))
            stem = stem.mid(id.size());
        int digits = 0;
        if (NamingScheme::hasSequentialPrefix(stem, &digits))
            stem = stem.mid(digits + 1);
        slug = Linter::slugOf(stem);
    }
    return slug.isEmpty() ? QStringLiteral("revision") : slug;
}

QString RevisionRewriter::sequentialId(int number, const QString &slugIn, bool userSlug,
                                       QStringList *notes, QString *error) const
{
    const QString prefix =
        QStringLiteral("%1").arg(number, m_project.scheme.width(), 10, QLatin1Char('0'));
    QString slug = slugIn;
    QString id = prefix + u'_' + slug;
    if (id.size() > kMaxIdLength && !userSlug) {
        // Shorten at a word boundary so the id fits VARCHAR(32).
        QStringList words = slug.split(u'_', Qt::SkipEmptyParts);
        while (words.size() > 1 && (prefix + u'_' + words.join(u'_')).size() > kMaxIdLength)
            words.removeLast();
        slug = words.join(u'_').left(kMaxIdLength - int(prefix.size()) - 1);
        id = prefix + u'_' + slug;
        notes->append(
            QStringLiteral("The slug was shortened to '%1' so that the id fits alembic_version's "
                           "32 characters.")
                .arg(slug));
    }
    *error = invalidIdReason(id);
    return id;
}

void RevisionRewriter::checkDatabases(const QStringList &oldIds, EditPlan *plan) const
{
    if (oldIds.isEmpty())
        return;
    QList<RecordedVersions> readings;
    if (m_known) {
        readings = *m_known;
    } else {
        // Every database the project names: sqlalchemy.url and the saved
        // profiles, each read now (SQLite read-only; a short timeout each).
        QList<ConnectionProfile> databases;
        if (!m_project.config.sqlalchemyUrl.isEmpty()) {
            if (auto p = ConnectionProfile::fromUrl(m_project.config.sqlalchemyUrl,
                                                    m_project.config.projectDir)) {
                p.value().name = QStringLiteral("sqlalchemy.url");
                databases.append(p.value());
            } else {
                plan->notes.append(
                    QStringLiteral("sqlalchemy.url cannot be read: %1").arg(p.error()));
            }
        }
        const QString key = m_project.key();
        for (ConnectionProfile p : ProfileStore::load(key)) {
            if (p.password.isEmpty() && p.driver != ConnectionProfile::Driver::SQLite) {
                if (auto stored = PasswordStore::read(PasswordStore::keyFor(key, p.name));
                    stored && !stored->isEmpty())
                    p.password = stored.value();
                else if (qEnvironmentVariableIsSet("RETORT_DB_PASSWORD"))
                    p.password = qEnvironmentVariable("RETORT_DB_PASSWORD");
            }
            databases.append(p);
        }
        for (ConnectionProfile profile : std::as_const(databases)) {
            RecordedVersions v;
            v.name = profile.name;
            v.where = profile.displayUrl();
            if (profile.driver == ConnectionProfile::Driver::SQLite) {
                // A file that is not there records nothing; one that is is
                // read read-only, without waiting long on a lock.
                if (profile.database == u":memory:" || profile.database.isEmpty() ||
                    ScopedConnection::isMissingFile(profile))
                    continue;
                if (!profile.options.contains(QStringLiteral("uri"))) {
                    profile.database =
                        QStringLiteral("file:") + profile.database + QStringLiteral("?mode=ro");
                    profile.options.insert(QStringLiteral("uri"), QStringLiteral("true"));
                }
                profile.options.insert(QStringLiteral("timeout"), QStringLiteral("0.5"));
            }
            ScopedConnection connection(profile);
            QString error;
            const auto recorded = connection.open(&error, 3) ? VersionTable::read(connection)
                                                             : Result<QStringList>::failure(error);
            v.read = bool(recorded);
            v.error = recorded ? QString() : recorded.error();
            v.recorded = recorded ? recorded.value() : QStringList();
            readings.append(v);
        }
    }
    for (const RecordedVersions &v : std::as_const(readings)) {
        if (!v.read) {
            plan->notes.append(
                (v.error.isEmpty()
                     ? QStringLiteral("Retort is still reading %1 (%2)").arg(v.name, v.where)
                     : QStringLiteral("Retort could not read %1 (%2): %3")
                           .arg(v.name, v.where, v.error)) +
                QStringLiteral("; if it has applied a renamed revision, it will lose its place."));
            continue;
        }
        for (const QString &id : v.recorded) {
            if (oldIds.contains(id))
                plan->warnings.append(
                    QStringLiteral("The database %1 (%2) has applied %3. After the rename it will "
                                   "not find its place in the history: stamp it with the new id, "
                                   "or do not rename an applied revision.")
                        .arg(v.name, v.where, id));
        }
    }
}

Result<EditPlan> RevisionRewriter::normalize(const QStringList &targetsIn, int number,
                                             const QString &slug) const
{
    const RevisionGraph &g = m_project.graph;
    QList<int> targets;
    if (targetsIn.isEmpty()) {
        if (m_project.scheme.kind() != NamingScheme::Kind::Sequential)
            return Result<EditPlan>::failure(QStringLiteral(
                "This project does not name its revisions NNN_slug.py; name the revisions to "
                "normalize, or set `scheme = sequential` under [naming] in retort.ini."));
        for (int i : g.history()) {
            if (m_project.scheme.isUnrenamed(g.fileOf(i)))
                targets.prepend(i); // oldest first, so numbers follow the history
        }
        if (targets.isEmpty())
            return Result<EditPlan>::failure(
                QStringLiteral("Every revision already follows the NNN_slug scheme."));
    } else {
        for (const QString &t : targetsIn) {
            auto r = resolve(t);
            if (!r)
                return Result<EditPlan>::failure(r.error());
            if (!targets.contains(r.value()))
                targets.append(r.value());
        }
    }
    if (targets.size() > 1 && (number >= 0 || !slug.isEmpty()))
        return Result<EditPlan>::failure(
            QStringLiteral("--number and --slug apply to one revision at a time."));

    QStringList notes;
    QList<Change> changes;
    QStringList newIds;
    int next = number >= 0 ? number : nextNumber(targets);
    for (int t : targets) {
        QString error;
        const QString id = sequentialId(next++, slug.isEmpty() ? proposedSlug(t) : slug,
                                        !slug.isEmpty(), &notes, &error);
        if (!error.isEmpty())
            return Result<EditPlan>::failure(error);
        const int taken = g.indexOf(id);
        if ((taken >= 0 && taken != t) || newIds.contains(id))
            return Result<EditPlan>::failure(
                QStringLiteral("The id '%1' is already taken by %2.")
                    .arg(id, taken >= 0 ? g.fileOf(taken).fileName() : id));
        if (id == g.revision(t).id && g.fileOf(t).fileName() == id + QStringLiteral(".py"))
            return Result<EditPlan>::failure(QStringLiteral("%1 is already named %1.py.").arg(id));
        newIds.append(id);
        changes.append({t, id, std::nullopt});
    }
    QString title = QStringLiteral("Normalize ");
    QStringList parts;
    for (const Change &c : std::as_const(changes))
        parts << g.revision(c.revision).id + QStringLiteral(" → ") + c.newId;
    auto plan = build(changes, title + parts.join(QStringLiteral(", ")));
    if (plan) {
        plan.value().notes = notes + plan.value().notes;
        plan.value().focusId = changes.last().newId;
    }
    return plan;
}

Result<EditPlan> RevisionRewriter::reparent(const QString &revision, const QString &onto) const
{
    const RevisionGraph &g = m_project.graph;
    auto r = resolve(revision);
    if (!r)
        return Result<EditPlan>::failure(r.error());
    auto o = resolve(onto);
    if (!o)
        return Result<EditPlan>::failure(o.error());
    const Revision &rev = g.revision(r.value());
    const Revision &target = g.revision(o.value());
    if (r.value() == o.value())
        return Result<EditPlan>::failure(QStringLiteral("A revision cannot follow itself."));
    if (rev.isMergePoint())
        return Result<EditPlan>::failure(
            QStringLiteral("%1 is a merge; re-parent works on single-parent revisions.")
                .arg(rev.id));
    if (g.descendants({r.value()}, true)[o.value()])
        return Result<EditPlan>::failure(
            QStringLiteral("%1 comes after %2; putting %2 after it would make a cycle.")
                .arg(target.id, rev.id));
    if (rev.downRevisions == QStringList{target.id})
        return Result<EditPlan>::failure(
            QStringLiteral("%1 already follows %2.").arg(rev.id, target.id));
    Change change{r.value(), QString(), QStringList{target.id}};
    QStringList notes;
    if (m_project.scheme.kind() == NamingScheme::Kind::Sequential) {
        // Renumber after everything that exists, keeping the slug.
        QString error;
        int digits = 0;
        const QString name = QFileInfo(g.fileOf(r.value()).path).completeBaseName();
        const QString slug = NamingScheme::hasSequentialPrefix(name, &digits)
                                 ? name.mid(digits + 1)
                                 : proposedSlug(r.value());
        change.newId = sequentialId(nextNumber({r.value()}), slug, false, &notes, &error);
        if (!error.isEmpty())
            return Result<EditPlan>::failure(error);
        if (g.indexOf(change.newId) >= 0 && g.indexOf(change.newId) != r.value())
            return Result<EditPlan>::failure(
                QStringLiteral("The id '%1' is already taken.").arg(change.newId));
        if (change.newId == rev.id)
            change.newId.clear();
    }
    auto plan = build({change}, QStringLiteral("Re-parent %1 onto %2").arg(rev.id, target.id));
    if (plan) {
        plan.value().notes = notes + plan.value().notes;
        plan.value().focusId = change.newId.isEmpty() ? rev.id : change.newId;
    }
    return plan;
}

Result<EditPlan> RevisionRewriter::markReviewed(const QString &revision) const
{
    auto r = resolve(revision);
    if (!r)
        return Result<EditPlan>::failure(r.error());
    const RevisionGraph &g = m_project.graph;
    const QString path = g.fileOf(r.value()).path;
    QByteArray bytes;
    QString error;
    if (!RevisionScanner::readBytes(path, &bytes, &error))
        return Result<EditPlan>::failure(QStringLiteral("Cannot read %1: %2.").arg(path, error));
    // Whole lines that hold only a marker comment go; nothing else changes.
    QByteArray after;
    int removed = 0;
    qsizetype start = 0;
    while (start < bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        end = end < 0 ? bytes.size() : end + 1;
        const QByteArray line = bytes.mid(start, end - start);
        const QByteArray text = line.trimmed();
        const bool marker = text.startsWith('#') && text.endsWith("###") &&
                            (text.contains("commands auto generated by Alembic") ||
                             text.contains("end Alembic commands"));
        if (marker)
            ++removed;
        else
            after += line;
        start = end;
    }
    if (removed == 0)
        return Result<EditPlan>::failure(
            QStringLiteral("%1 has no autogenerate markers; it is already marked reviewed.")
                .arg(g.revision(r.value()).id));
    const RevisionFile before = RevisionReader::read(bytes, path, RevisionReader::Detail::Full);
    if (QString why = readsBack(before, after, before.revisionId(), before.downRevision.toList(),
                                before.dependsOn.toList());
        !why.isEmpty())
        return Result<EditPlan>::failure(
            QStringLiteral("Removing the markers would leave %1 unreadable (%2); nothing was "
                           "changed.")
                .arg(QDir::toNativeSeparators(path), why));
    EditPlan plan;
    plan.title = QStringLiteral("Mark %1 reviewed").arg(g.revision(r.value()).id);
    plan.edits.append({path, path, bytes, after});
    plan.focusId = g.revision(r.value()).id;
    return plan;
}

Result<EditPlan> RevisionRewriter::merge(const QString &messageIn) const
{
    const RevisionGraph &g = m_project.graph;
    const QList<int> heads = g.heads();
    if (heads.size() < 2)
        return Result<EditPlan>::failure(
            QStringLiteral("There is only one head; there is nothing to merge."));
    if (m_project.config.versionLocations.isEmpty())
        return Result<EditPlan>::failure(QStringLiteral("The project has no versions folder."));
    QStringList headIds;
    for (int h : heads)
        headIds.append(g.revision(h).id);
    const QString message =
        messageIn.trimmed().isEmpty() ? QStringLiteral("merge heads") : messageIn.trimmed();
    QString slug = Linter::slugOf(message);
    if (slug.isEmpty())
        slug = QStringLiteral("merge_heads");
    EditPlan plan;
    QString id;
    QString fileName;
    if (m_project.scheme.kind() == NamingScheme::Kind::Sequential) {
        QString error;
        id = sequentialId(nextNumber(), slug, false, &plan.notes, &error);
        if (!error.isEmpty())
            return Result<EditPlan>::failure(error);
        fileName = id + QStringLiteral(".py");
    } else {
        // Alembic's own ids: twelve hex digits; the file as file_template says.
        id = QString::number(QRandomGenerator::global()->generate64() & 0xffffffffffffULL, 16)
                 .rightJustified(12, u'0');
        QString stem = m_project.config.fileTemplate;
        const QDateTime now = QDateTime::currentDateTime();
        stem.replace(QStringLiteral("%(rev)s"), id)
            .replace(QStringLiteral("%(slug)s"), slug.left(m_project.config.truncateSlugLength));
        stem.replace(QStringLiteral("%(year)d"), QString::number(now.date().year()))
            .replace(QStringLiteral("%(month).2d"),
                     QStringLiteral("%1").arg(now.date().month(), 2, 10, QLatin1Char('0')))
            .replace(QStringLiteral("%(day).2d"),
                     QStringLiteral("%1").arg(now.date().day(), 2, 10, QLatin1Char('0')))
            .replace(QStringLiteral("%(hour).2d"),
                     QStringLiteral("%1").arg(now.time().hour(), 2, 10, QLatin1Char('0')))
            .replace(QStringLiteral("%(minute).2d"),
                     QStringLiteral("%1").arg(now.time().minute(), 2, 10, QLatin1Char('0')))
            .replace(QStringLiteral("%(second).2d"),
                     QStringLiteral("%1").arg(now.time().second(), 2, 10, QLatin1Char('0')))
            .replace(QStringLiteral("%(epoch)s"), QString::number(now.toSecsSinceEpoch()));
        fileName = stem + QStringLiteral(".py");
    }
    if (g.indexOf(id) >= 0)
        return Result<EditPlan>::failure(QStringLiteral("The id '%1' is already taken.").arg(id));
    const QString path = QDir(m_project.config.versionLocations.first()).filePath(fileName);
    if (QFileInfo::exists(path))
        return Result<EditPlan>::failure(
            QStringLiteral("%1 already exists.").arg(QDir::toNativeSeparators(path)));
    const QString text =
        QStringLiteral("\"\"\"") + docstringText(message) + QStringLiteral("\n\nRevision ID: ") +
        id + QStringLiteral("\nRevises: ") + headIds.join(QStringLiteral(", ")) +
        QStringLiteral("\nCreate Date: ") +
        QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz000")) +
        QStringLiteral("\n\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n\n"
                       "# revision identifiers, used by Alembic.\nrevision = ") +
        literalFor({id}, '\'') + QStringLiteral("\ndown_revision = ") + literalFor(headIds, '\'') +
        QStringLiteral(
            "\nbranch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n");
    RevisionFile none;
    none.path = path;
    if (QString why = readsBack(none, text.toUtf8(), id, headIds, {}); !why.isEmpty())
        return Result<EditPlan>::failure(
            QStringLiteral("Retort would write a merge revision its reader cannot read back "
                           "(%1); nothing was written.")
                .arg(why));
    plan.title = QStringLiteral("Merge %1 into %2").arg(headIds.join(QStringLiteral(", ")), id);
    plan.edits.append({path, path, std::nullopt, text.toUtf8()});
    plan.focusId = id;
    return plan;
}

Result<EditPlan> RevisionRewriter::build(const QList<Change> &changes, const QString &title) const
{
    const RevisionGraph &g = m_project.graph;
    QHash<QString, QString> renamed; // old id -> new id
    QHash<int, const Change *> byRevision;
    for (const Change &c : changes) {
        if (!c.newId.isEmpty())
            renamed.insert(g.revision(c.revision).id, c.newId);
        byRevision.insert(c.revision, &c);
    }
    // Every file that a change touches: the changed revisions and whatever
    // names a renamed id as down_revision or depends_on.
    QList<int> touched;
    QSet<QString> touchedPaths;
    for (int i = 0; i < g.size(); ++i) {
        const Revision &r = g.revision(i);
        bool refers = byRevision.contains(i);
        for (const QString &d : r.downRevisions + r.dependsOn)
            refers = refers || renamed.contains(d);
        if (refers) {
            touched.append(i);
            touchedPaths.insert(g.fileOf(i).path);
        }
    }
    if (auto blocked = unreadableReferrer(renamed.keys(), touchedPaths); !blocked.isEmpty())
        return Result<EditPlan>::failure(blocked);

    EditPlan plan;
    plan.title = title;
    for (int i : std::as_const(touched)) {
        const QString path = g.fileOf(i).path;
        QByteArray bytes;
        QString error;
        if (!RevisionScanner::readBytes(path, &bytes, &error))
            return Result<EditPlan>::failure(
                QStringLiteral("Cannot read %1: %2.").arg(path, error));
        // Spans come from the file as it is now, not as it was loaded.
        const RevisionFile f = RevisionReader::read(bytes, path, RevisionReader::Detail::Full);
        if (f.revisionId() != g.revision(i).id)
            return Result<EditPlan>::failure(
                QStringLiteral("%1 changed since the project was read; re-read it first.")
                    .arg(path));
        QList<Replacement> rep;
        const Change *change = byRevision.value(i, nullptr);
        auto literalAt = [&](const SourceSpan &s) { return bytes.mid(s.start, s.end - s.start); };
        QString newId = g.revision(i).id;
        if (change && !change->newId.isEmpty()) {
            newId = change->newId;
            if (f.revision.itemSpans.size() != 1)
                return Result<EditPlan>::failure(
                    QStringLiteral("%1: `revision` is not a plain string literal.").arg(path));
            const SourceSpan s = f.revision.itemSpans.first();
            rep.append({s.start, s.end, requote(literalAt(s), newId)});
            if (f.docstringSpan.isValid()) {
                const auto v = docstringValue(bytes, f.docstringSpan.start, f.docstringSpan.end,
                                              "Revision ID:");
                if (v.first >= 0)
                    rep.append({v.first, v.second, newId});
            }
        }
        // down_revision: replaced whole on re-parent, item by item on renames
        QStringList down = f.downRevision.toList();
        if (change && change->newDown) {
            down = *change->newDown;
            const char quote = f.downRevision.kind == PythonValue::Kind::String ||
                                       f.downRevision.kind == PythonValue::Kind::Sequence
                                   ? f.downRevision.quote
                                   : '\'';
            if (!f.downRevision.span.isValid())
                return Result<EditPlan>::failure(
                    QStringLiteral("%1 has no down_revision to change.").arg(path));
            rep.append(
                {f.downRevision.span.start, f.downRevision.span.end, literalFor(down, quote)});
        } else {
            for (int k = 0; k < down.size(); ++k) {
                if (renamed.contains(down.at(k))) {
                    const SourceSpan s = f.downRevision.itemSpans.value(k);
                    rep.append({s.start, s.end, requote(literalAt(s), renamed.value(down.at(k)))});
                    down[k] = renamed.value(down.at(k));
                }
            }
        }
        QStringList deps = f.dependsOn.toList();
        for (int k = 0; k < deps.size(); ++k) {
            if (renamed.contains(deps.at(k))) {
                const SourceSpan s = f.dependsOn.itemSpans.value(k);
                rep.append({s.start, s.end, requote(literalAt(s), renamed.value(deps.at(k)))});
                deps[k] = renamed.value(deps.at(k));
            }
        }
        // The docstring's Revises: line says what down_revision now says.
        if (f.docstringSpan.isValid()) {
            const auto v =
                docstringValue(bytes, f.docstringSpan.start, f.docstringSpan.end, "Revises:");
            const QByteArray wanted = down.join(QStringLiteral(", ")).toUtf8();
            if (v.first >= 0 && bytes.mid(v.first, v.second - v.first) != wanted)
                rep.append({v.first, v.second, down.join(QStringLiteral(", "))});
        }
        FileEdit edit;
        edit.path = path;
        edit.newPath = path;
        if (change && !change->newId.isEmpty())
            edit.newPath =
                QDir(QFileInfo(path).absolutePath()).filePath(newId + QStringLiteral(".py"));
        edit.before = bytes;
        QByteArray after = bytes;
        if (!applyReplacements(&after, rep, SourceCodec(f.encoding)))
            return Result<EditPlan>::failure(
                QStringLiteral("%1 is written in %2, which cannot spell the new identifiers.")
                    .arg(path, QString::fromLatin1(f.encoding)));
        edit.after = after;
        if (QString why = readsBack(f, after, newId, down, deps); !why.isEmpty())
            return Result<EditPlan>::failure(
                QStringLiteral("Retort would write %1 in a form its reader cannot read back (%2); "
                               "nothing was changed.")
                    .arg(QDir::toNativeSeparators(path), why));
        if (edit.renames() && QFileInfo::exists(edit.newPath))
            return Result<EditPlan>::failure(
                QStringLiteral("%1 already exists.").arg(QDir::toNativeSeparators(edit.newPath)));
        if (edit.after != edit.before || edit.renames())
            plan.edits.append(edit);
    }
    checkDatabases(renamed.keys(), &plan);
    return plan;
}

QString RevisionRewriter::unreadableReferrer(const QStringList &oldIds,
                                             const QSet<QString> &touched) const
{
    if (oldIds.isEmpty())
        return {};
    for (const RevisionFile &f : m_project.graph.files()) {
        const Diagnostic *problem = hidingProblem(f);
        if (!problem)
            continue;
        if (touched.contains(f.path))
            return QStringLiteral("%1 cannot be read reliably (line %2: %3); fix it first. "
                                  "Nothing was changed.")
                .arg(QDir::toNativeSeparators(f.path))
                .arg(problem->line)
                .arg(problem->message);
        // A file Retort could not read whole may still name a renamed id.
        QByteArray bytes;
        QString error;
        const bool read = RevisionScanner::readBytes(f.path, &bytes, &error);
        for (const QString &id : oldIds) {
            if (!read || bytes.contains(id.toUtf8()))
                return QStringLiteral("%1 cannot be read reliably (%2) and may name %3; fix it "
                                      "first, so that the rename can update it. Nothing was "
                                      "changed.")
                    .arg(QDir::toNativeSeparators(f.path), read ? problem->message : error, id);
        }
    }
    return {};
}

QString RevisionRewriter::readsBack(const RevisionFile &before, const QByteArray &after,
                                    const QString &id, const QStringList &down,
                                    const QStringList &deps)
{
    const RevisionFile f = RevisionReader::read(after, before.path, RevisionReader::Detail::Full);
    if (f.revisionId() != id)
        return QStringLiteral("revision would read as '%1', not '%2'").arg(f.revisionId(), id);
    if (f.downRevision.toList() != down)
        return QStringLiteral("down_revision would read as (%1)")
            .arg(f.downRevision.toList().join(QStringLiteral(", ")));
    if (f.dependsOn.toList() != deps)
        return QStringLiteral("depends_on would read as (%1)")
            .arg(f.dependsOn.toList().join(QStringLiteral(", ")));
    auto errors = [](const RevisionFile &file) {
        QStringList out;
        for (const Diagnostic &d : file.diagnostics) {
            if (d.severity == Severity::Error)
                out.append(d.code);
        }
        return out;
    };
    const QStringList now = errors(f);
    const QStringList was = errors(before);
    for (const QString &code : now) {
        if (now.count(code) > was.count(code))
            return QStringLiteral("it would have a new problem: %1").arg(code);
    }
    return {};
}

} // namespace Retort
