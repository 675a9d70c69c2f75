// The schema-history commands: schema, schema-diff, blame, drift, replay.

#include "clicommon.h"
#include "core/modules.h"
#include "guimain.h"

#include "core/schema/schemasource.h"

#include "core/db/profilestore.h"
#include "core/db/scopedconnection.h"
#include "core/graph/revisionresolver.h"
#include "core/project.h"
#include "core/schema/drift.h"
#include "core/schema/schemadiff.h"
#include "core/schema/schemahistory.h"
#include "core/schema/scratchdatabase.h"
#include "core/schema/snapshotcache.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlQuery>

#include <unistd.h>

namespace Retort::Cli {

namespace {

// Everything a schema command needs: the dialect, the cache, the history,
// and (made when first needed) the scratch database.
struct SchemaContext
{
    const Project &project;
    QString dialect;
    std::optional<ConnectionProfile> scratchServer;
    std::unique_ptr<SnapshotCache> cache;
    std::unique_ptr<SchemaHistory> history;
    std::unique_ptr<ScratchDatabase> scratch;

    Result<ScratchDatabase *> scratchDatabase()
    {
        if (!scratch) {
            auto made =
                ScratchDatabase::forDialect(dialect, cache ? cache->checkpointFolder() : QString(),
                                            scratchServer ? &*scratchServer : nullptr);
            if (!made)
                return Result<ScratchDatabase *>::failure(made.error());
            scratch = std::move(made.value());
        }
        return scratch.get();
    }
};

// The project's dialect: its sqlalchemy.url's, or a scratch profile's;
// SQLite when the config names no database.
Result<std::unique_ptr<SchemaContext>> makeContext(const Project &p, const CommandArgs &c,
                                                   const QString &dialectOverride = {})
{
    using R = Result<std::unique_ptr<SchemaContext>>;
    auto ctx =
        std::make_unique<SchemaContext>(SchemaContext{p, QStringLiteral("sqlite"), {}, {}, {}, {}});
    if (!c.scratch.isEmpty()) {
        CommandArgs named = c;
        named.profile = c.scratch;
        named.url.clear();
        auto profile = resolveProfile(p, named);
        if (!profile)
            return R::failure(profile.error());
        if (!profile->scratch)
            return R::failure(
                QStringLiteral("the profile '%1' is not marked scratch: a replay runs any DDL "
                               "there (retort profile add NAME URL --scratch)")
                    .arg(c.scratch));
        ctx->scratchServer = profile.value();
        ctx->dialect = profile->dialect();
    } else if (!dialectOverride.isEmpty()) {
        ctx->dialect = dialectOverride;
    } else if (!p.config.sqlalchemyUrl.isEmpty()) {
        if (auto url = ConnectionProfile::fromUrl(p.config.sqlalchemyUrl, p.config.projectDir))
            ctx->dialect = url->dialect();
    }
    ctx->cache = std::make_unique<SnapshotCache>(p.key() + u'\x1f' + ctx->dialect);
    QString error;
    if (!ctx->cache->open(&error)) {
        printError(QStringLiteral("note: %1; nothing is kept between runs").arg(error));
        ctx->cache.reset();
    }
    ctx->history = std::make_unique<SchemaHistory>(p, ctx->dialect, ctx->cache.get());
    if (!ctx->history->usable(&error))
        return R::failure(error);
    return ctx;
}

// Progress on stderr while replaying, when stderr is a terminal.
std::function<void(const SchemaHistory::Progress &)> terminalProgress()
{
    if (!::isatty(STDERR_FILENO))
        return {};
    return [](const SchemaHistory::Progress &p) {
        const QString line = QStringLiteral("\rreplaying %1 of %2  %3  %4 s\x1b[K")
                                 .arg(p.done)
                                 .arg(p.total)
                                 .arg(p.revision)
                                 .arg(double(p.milliseconds) / 1000.0, 0, 'f', 1);
        const QByteArray bytes = line.toUtf8();
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
        if (p.done == p.total)
            std::fputs("\n", stderr);
    };
}

Result<Schema> schemaAt(SchemaContext &ctx, const QList<int> &revisions)
{
    if (auto cached = ctx.history->stateAt(revisions))
        return *cached;
    auto scratch = ctx.scratchDatabase();
    if (!scratch)
        return Result<Schema>::failure(scratch.error());
    if (auto replayed = ctx.history->replay(*scratch.value(), revisions, terminalProgress());
        !replayed)
        return Result<Schema>::failure(replayed.error());
    return ctx.history->stateAt(*scratch.value(), revisions);
}

Result<QList<int>> revisionsOf(const Project &p, const QString &spec)
{
    if (spec == u"base")
        return QList<int>();
    auto r = RevisionResolver(p.graph).revisions(spec);
    if (!r)
        return Result<QList<int>>::failure(r.error());
    return QList<int>(r->cbegin(), r->cend());
}

QStringList idsOf(const Project &p, const QList<int> &revisions)
{
    QStringList out;
    for (int r : revisions)
        out.append(p.graph.revision(r).id);
    return out;
}

// The DDL of the scratch database as it stands.
Result<QString> dumpDdl(ScratchDatabase &scratch)
{
    const ConnectionProfile profile = scratch.profile();
    if (profile.driver == ConnectionProfile::Driver::PostgreSQL) {
        QProcess dump;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!profile.password.isEmpty())
            env.insert(QStringLiteral("PGPASSWORD"), profile.password);
        dump.setProcessEnvironment(env);
        QStringList args{QStringLiteral("--schema-only"),
                         QStringLiteral("--no-owner"),
                         QStringLiteral("--no-privileges"),
                         QStringLiteral("-h"),
                         profile.host,
                         QStringLiteral("-U"),
                         profile.user,
                         QStringLiteral("-d"),
                         profile.database,
                         QStringLiteral("-T"),
                         profile.versionTable};
        if (profile.port > 0)
            args << QStringLiteral("-p") << QString::number(profile.port);
        dump.start(QStringLiteral("pg_dump"), args);
        if (!dump.waitForFinished(60000) || dump.exitCode() != 0)
            return Result<QString>::failure(
                QStringLiteral("pg_dump failed: %1")
                    .arg(QString::fromLocal8Bit(dump.readAllStandardError()).trimmed()));
        // pg_dump's \restrict lines carry a random key per run: not DDL.
        QString out;
        for (const QString &line : QString::fromUtf8(dump.readAllStandardOutput()).split(u'\n'))
            if (!line.startsWith(QLatin1String("\\restrict")) &&
                !line.startsWith(QLatin1String("\\unrestrict")))
                out += line + u'\n';
        return QString(out.trimmed() + u'\n');
    }
    ScopedConnection c(profile);
    QString error;
    if (!c.open(&error))
        return Result<QString>::failure(error);
    QSqlQuery q(c.database());
    QString out;
    if (profile.driver == ConnectionProfile::Driver::SQLite) {
        q.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT "
                              "LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name <> '%1' ORDER BY "
                              "CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name")
                   .arg(profile.versionTable));
        while (q.next())
            out += q.value(0).toString() + QStringLiteral(";\n\n");
        return out;
    }
    QStringList tables;
    q.exec(QStringLiteral("SHOW FULL TABLES"));
    while (q.next())
        if (q.value(0).toString() != profile.versionTable)
            tables.append(q.value(0).toString());
    for (const QString &t : std::as_const(tables)) {
        QSqlQuery show(c.database());
        if (show.exec(QStringLiteral("SHOW CREATE TABLE `%1`").arg(t)) && show.next())
            out += show.value(1).toString() + QStringLiteral(";\n\n");
    }
    return out;
}

} // namespace

int cmdSchema(const Project &p, const CommandArgs &c)
{
    const QString format = c.format.isEmpty() ? QStringLiteral("text") : c.format;
    if (!QStringList{QStringLiteral("text"), QStringLiteral("json"), QStringLiteral("markdown"),
                     QStringLiteral("sql")}
             .contains(format)) {
        printError(QStringLiteral("schema: --format is text, json, markdown or sql, not '%1'")
                       .arg(format));
        return 2;
    }
    auto revisions = revisionsOf(p, c.positional.value(0, QStringLiteral("heads")));
    if (failed(revisions))
        return 1;
    auto ctx = makeContext(p, c);
    if (failed(ctx))
        return 1;
    SchemaContext &x = *ctx.value();
    auto schema = schemaAt(x, revisions.value());
    if (failed(schema))
        return 1;
    if (format == u"json") {
        print(QString::fromUtf8(QJsonDocument(schema->toJson(idsOf(p, revisions.value())))
                                    .toJson(QJsonDocument::Indented)));
    } else if (format == u"markdown") {
        print(QStringLiteral("# Schema at %1\n\n")
                  .arg(revisions->isEmpty()
                           ? QStringLiteral("base")
                           : idsOf(p, revisions.value()).join(QStringLiteral(", "))) +
              schema->toMarkdown());
    } else if (format == u"sql") {
        auto scratch = x.scratchDatabase();
        if (failed(scratch))
            return 1;
        auto made = x.history->materialize(*scratch.value(), revisions.value());
        if (failed(made))
            return 1;
        auto ddl = dumpDdl(*scratch.value());
        if (failed(ddl))
            return 1;
        print(ddl.value());
    } else {
        print(schema->toText());
    }
    return 0;
}

int cmdSchemaDiff(const Project &p, const CommandArgs &c)
{
    auto a = revisionsOf(p, c.positional.value(0));
    auto b = revisionsOf(p, c.positional.value(1));
    if (!a || !b) {
        printError(!a ? a.error() : b.error());
        return 1;
    }
    auto ctx = makeContext(p, c);
    if (failed(ctx))
        return 1;
    auto before = schemaAt(*ctx.value(), a.value());
    auto after = before ? schemaAt(*ctx.value(), b.value()) : before;
    if (!before || !after) {
        printError(!before ? before.error() : after.error());
        return 1;
    }
    const QList<SchemaChange> changes = SchemaDiff::compare(before.value(), after.value());
    if (c.format == u"json") {
        QJsonArray out;
        for (const SchemaChange &ch : changes)
            out.append(
                QJsonObject{{QStringLiteral("change"),
                             ch.kind == SchemaChange::Kind::Added     ? QStringLiteral("added")
                             : ch.kind == SchemaChange::Kind::Removed ? QStringLiteral("removed")
                                                                      : QStringLiteral("changed")},
                            {QStringLiteral("object"), SchemaChange::objectName(ch.object)},
                            {QStringLiteral("table"), ch.table},
                            {QStringLiteral("name"), ch.name},
                            {QStringLiteral("before"), ch.before},
                            {QStringLiteral("after"), ch.after}});
        print(QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Indented)));
        return 0;
    }
    QString text;
    for (const SchemaChange &ch : changes)
        text += ch.describe() + u'\n';
    print(text.isEmpty() ? QStringLiteral("no schema changes\n") : text);
    return 0;
}

int cmdBlame(const Project &p, const CommandArgs &c)
{
    const QString object = c.positional.value(0);
    auto at = revisionsOf(p, c.at.isEmpty() ? QStringLiteral("heads") : c.at);
    if (failed(at))
        return 1;
    auto ctx = makeContext(p, c);
    if (failed(ctx))
        return 1;
    SchemaContext &x = *ctx.value();
    // TABLE or TABLE.COLUMN (a schema-qualified table keeps its dot).
    QString table = object;
    QString member;
    // The revision to blame at: the one given, or the head that has the table.
    int revision = -1;
    for (int r : at.value()) {
        auto s = schemaAt(x, {r});
        if (failed(s))
            return 1;
        if (s->table(object)) {
            revision = r;
            table = object;
            member.clear();
            break;
        }
        const qsizetype dot = object.lastIndexOf(u'.');
        if (dot > 0 && s->table(object.left(dot))) {
            revision = r;
            table = object.left(dot);
            member = object.mid(dot + 1);
            break;
        }
    }
    if (revision < 0) {
        printError(QStringLiteral("no table '%1' at %2")
                       .arg(object.section(u'.', 0, 0),
                            at->isEmpty() ? QStringLiteral("base")
                                          : idsOf(p, at.value()).join(QStringLiteral(", "))));
        return 1;
    }
    auto entries = SchemaBlame::compute(*x.history, revision);
    if (failed(entries))
        return 1;
    const std::optional<Schema> snapshot = x.history->snapshot(revision);
    const SchemaTable *t = snapshot ? snapshot->table(table) : nullptr;
    const QString qualified = t ? t->qualifiedName() : table;
    // A column's blame shows the keys and indexes over it too.
    QSet<QString> related{member};
    if (t && !member.isEmpty()) {
        for (const SchemaIndex &i : t->indexes)
            if (i.columns.contains(member))
                related.insert(i.name);
        for (const SchemaUnique &u : t->uniques)
            if (u.columns.contains(member))
                related.insert(u.name.isEmpty() ? u'(' + u.columns.join(QStringLiteral(", ")) + u')'
                                                : u.name);
        for (const SchemaForeignKey &fk : t->foreignKeys)
            if (fk.columns.contains(member))
                related.insert(fk.name.isEmpty()
                                   ? u'(' + fk.columns.join(QStringLiteral(", ")) + u')'
                                   : fk.name);
    }
    QString out;
    bool found = false;
    for (const BlameEntry &e : entries.value()) {
        if (e.table != qualified)
            continue;
        if (!member.isEmpty() &&
            (e.object == SchemaChange::Object::Table || !related.contains(e.name)))
            continue;
        found = true;
        out += SchemaChange::objectName(e.object) + u' ' + e.path() + u'\n';
        for (const BlameEvent &ev : e.events) {
            const int r = p.graph.indexOf(ev.revision);
            const QString message = r >= 0 ? p.graph.fileOf(r).message : QString();
            out += QStringLiteral("  %1 %2  %3%4\n")
                       .arg(ev.change.kind == SchemaChange::Kind::Added ? QStringLiteral("created")
                                                                        : QStringLiteral("changed"),
                            ev.revision, message,
                            ev.change.kind == SchemaChange::Kind::Changed
                                ? QStringLiteral(" (") + ev.change.before + QStringLiteral(" → ") +
                                      ev.change.after + u')'
                                : QString());
        }
    }
    if (!found) {
        printError(QStringLiteral("no column or constraint '%1' in %2 at %3")
                       .arg(member, qualified, p.graph.revision(revision).id));
        return 1;
    }
    print(out);
    return 0;
}

int cmdDrift(const Project &p, const CommandArgs &c)
{
    auto live = resolveProfile(p, c);
    if (failed(live))
        return 2;
    auto ctx = makeContext(p, c, live->dialect());
    if (failed(ctx))
        return 2;
    if (ctx.value()->dialect != live->dialect()) {
        printError(QStringLiteral("the scratch database is %1 and the database is %2: drift "
                                  "compares like with like")
                       .arg(ctx.value()->dialect, live->dialect()));
        return 2;
    }
    auto scratch = ctx.value()->scratchDatabase();
    if (failed(scratch))
        return 2;
    auto report = Drift::check(*ctx.value()->history, *scratch.value(), live.value());
    if (failed(report))
        return 2;
    const QString at = report->recorded.isEmpty() ? QStringLiteral("base")
                                                  : report->recorded.join(QStringLiteral(", "));
    if (report->differences.isEmpty()) {
        print(QStringLiteral("%1 matches the schema at %2\n").arg(report->database, at));
        return 0;
    }
    QString out = QStringLiteral("%1 differs from the schema at %2 (- expected, + found):\n")
                      .arg(report->database, at);
    for (const SchemaChange &ch : report->differences)
        out += QStringLiteral("  ") + ch.describe() + u'\n';
    print(out);
    return 1;
}

int cmdReplay(const Project &p, const CommandArgs &c)
{
    auto ctx = makeContext(p, c);
    if (failed(ctx))
        return 1;
    SchemaContext &x = *ctx.value();
    const int missing = int(x.history->missing({}).size());
    if (missing == 0) {
        print(QStringLiteral("every snapshot of the %1 revisions is cached (%2)\n")
                  .arg(p.graph.size())
                  .arg(x.cache ? x.cache->path() : QString()));
        return 0;
    }
    QElapsedTimer ready;
    ready.start();
    auto scratch = x.scratchDatabase();
    if (failed(scratch))
        return 1;
    if (qEnvironmentVariableIsSet("RETORT_TIMINGS"))
        printError(QStringLiteral("timing: scratch ready %1 ms").arg(ready.elapsed()));
    auto stats = x.history->replay(*scratch.value(), {}, terminalProgress());
    if (failed(stats))
        return 1;
    if (qEnvironmentVariableIsSet("RETORT_TIMINGS"))
        printError(QStringLiteral("timing: render %1 ms, catalog reads %2 ms, snapshots kept %3 ms")
                       .arg(stats->renderMs)
                       .arg(stats->readMs)
                       .arg(stats->storeMs));
    print(QStringLiteral("replayed on %1: %2 snapshots, %3 steps, %4 checkpoints, %5 s\n")
              .arg(scratch.value()->describe())
              .arg(stats->snapshots)
              .arg(stats->stepsExecuted)
              .arg(stats->checkpoints)
              .arg(double(stats->milliseconds) / 1000.0, 0, 'f', 2));
    return 0;
}

int cmdExport(const Project &p, const CommandArgs &c)
{
    QString format, target;
    if (c.format == u"svg") {
        format = QStringLiteral("graph-svg");
        target = QStringLiteral("-");
    } else if (!c.html.isEmpty() && c.markdown.isEmpty()) {
        format = QStringLiteral("html");
        target = c.html;
    } else if (!c.markdown.isEmpty() && c.html.isEmpty()) {
        format = QStringLiteral("markdown");
        target = c.markdown;
    } else {
        printError(QStringLiteral("export needs --html FILE or --markdown DIR"));
        return 2;
    }
    QString error;
    auto entry = reinterpret_cast<RetortExport>(
        Modules::symbol(QStringLiteral("retort-gui"), "retortExport", &error));
    if (!entry) {
        printError(QStringLiteral("cannot load the drawing module: %1").arg(error));
        return 1;
    }
    SchemaSource source;
    std::unique_ptr<SchemaContext> context;
    if (format != u"graph-svg") {
        auto made = makeContext(p, c);
        if (failed(made))
            return 1;
        context = std::move(made.value());
        SchemaHistory &history = *context->history;
        // What the cache lacks is replayed first; a failure is said in the
        // export and the snapshots before it are used.
        if (!history.missing({}).isEmpty()) {
            auto scratch = context->scratchDatabase();
            if (!scratch)
                source.problem = scratch.error();
            else if (auto replayed = history.replay(*scratch.value(), {}, terminalProgress());
                     !replayed)
                source.problem = replayed.error();
            if (!source.problem.isEmpty())
                printError(QStringLiteral("note: %1").arg(source.problem));
        }
        const QString problem = source.problem;
        source = history.source();
        source.problem = problem;
        if (p.graph.heads().size() > 1 && !history.stateAt(p.graph.heads())) {
            // Not kept by the replay: made on the scratch database.
            std::optional<Schema> all;
            if (auto scratch = context->scratchDatabase())
                if (auto made = history.stateAt(*scratch.value(), p.graph.heads()))
                    all = made.value();
            source.atHeads = [all] { return all; };
        }
    }
    if (!entry(&p, &source, &format, &target, &error)) {
        printError(error);
        return 1;
    }
    if (format != u"graph-svg")
        printError(QStringLiteral("wrote %1").arg(QDir::toNativeSeparators(target)));
    return 0;
}

} // namespace Retort::Cli
