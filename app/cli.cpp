#include "cli.h"

#include "core/db/profilestore.h"
#include "core/db/versiontable.h"
#include "core/edit/revisionrewriter.h"
#include "core/graph/revisionformat.h"
#include "core/graph/revisionresolver.h"
#include "core/project.h"
#include "core/run/migrationplan.h"
#include "core/run/planexecutor.h"
#include "core/run/plansql.h"
#include "core/run/runlog.h"
#include "core/run/sqlrenderer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace Retort {

namespace {

const QStringList kCommands = {
    QStringLiteral("history"),  QStringLiteral("heads"),     QStringLiteral("bases"),
    QStringLiteral("branches"), QStringLiteral("show"),      QStringLiteral("check"),
    QStringLiteral("graph"),    QStringLiteral("normalize"), QStringLiteral("merge"),
    QStringLiteral("reparent"), QStringLiteral("current"),   QStringLiteral("plan"),
    QStringLiteral("upgrade"),  QStringLiteral("downgrade"), QStringLiteral("stamp"),
    QStringLiteral("profile")};

void print(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

void printError(const QString &text)
{
    const QByteArray bytes = (QStringLiteral("retort: ") + text + u'\n').toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
}

QString usage()
{
    return QStringLiteral(
        "usage: retort [-c CONFIG | --versions DIR] [-n SECTION] COMMAND [ARGS]\n"
        "       retort [PATH] [--select REV] [--open FILE[:LINE]] [--normalize REV]\n"
        "                                open the window (PATH: a project or versions folder)\n"
        "       retort --demo            open the window on a fresh copy of the demo project\n"
        "\n"
        "Reads an Alembic project without running Python.\n"
        "\n"
        "options:\n"
        "  -c, --config CONFIG   alembic.ini or pyproject.toml (default: ./alembic.ini)\n"
        "  --versions DIR        a bare versions folder instead of a config\n"
        "  -n, --name SECTION    the ini section to read (default: alembic)\n"
        "  -h, --help            show this help\n"
        "  --version             show Retort's version\n"
        "\n"
        "commands:\n"
        "  history [-r RANGE] [--verbose]   revisions, newest first (RANGE: [start]:[end])\n"
        "  heads [--verbose]                the current heads\n"
        "  bases [--verbose]                the bases\n"
        "  branches [--verbose]             the branch points\n"
        "  show REV                         one revision (or several: heads, label@head...)\n"
        "  check                            every problem, as file:line: severity: code: message;\n"
        "                                   exit 0 clean, 1 warnings only, 2 errors\n"
        "  graph --format dot|json          the whole graph, for tools\n"
        "  normalize [REV|FILE ...] [--number N] [--slug S] [--dry-run] [--force]\n"
        "                                   rename fresh revisions to the NNN_slug scheme (no\n"
        "                                   argument: every revision not named by it yet)\n"
        "  merge [--message M] [--dry-run]  write a merge revision for the heads\n"
        "  reparent REV --onto REV [--dry-run] [--force]\n"
        "                                   point REV at another parent and renumber it\n"
        "  --dry-run prints the change as a diff; --force renames revisions a database applied\n"
        "  current [--url URL]              where the database stands (default: sqlalchemy.url);\n"
        "                                   a password comes from the URL, RETORT_DB_PASSWORD or\n"
        "                                   PGPASSWORD\n"
        "  plan TARGET [--url URL]          the steps from where the database stands to TARGET\n"
        "                                   (head, heads, base, an id, +N, -N, label@head ...)\n"
        "  upgrade TARGET [--url URL] [--sql] [--online]\n"
        "  downgrade TARGET [--url URL] [--sql] [--yes-i-know]\n"
        "                                   step the database, each step in a transaction, with\n"
        "                                   the SQL Alembic renders; --sql prints it instead;\n"
        "                                   --online lets Alembic run revisions it cannot render\n"
        "  stamp REV... [--url URL]         set the version table without running anything\n"
        "  profile add NAME URL [--shared] [--forbid-downgrades] | list | remove NAME\n"
        "                                   saved databases of this project; --profile NAME picks\n"
        "                                   one instead of --url (its password: the keyring or\n"
        "                                   RETORT_DB_PASSWORD)\n");
}

struct Options
{
    QString config;
    QString versions;
    QString section = QStringLiteral("alembic");
    QString command;
    QStringList args;
};

Result<Project> loadProject(const Options &o)
{
    // Only `check` looks inside upgrade()/downgrade(); the rest need headers.
    const auto detail =
        o.command == u"check" ? RevisionReader::Detail::Full : RevisionReader::Detail::Header;
    if (!o.versions.isEmpty()) {
        auto config = ProjectConfig::fromVersionsFolder(o.versions);
        if (!config)
            return Result<Project>::failure(config.error());
        return Project::load(config.value(), detail);
    }
    QString path = o.config;
    if (path.isEmpty()) {
        path = QStringLiteral("alembic.ini");
        if (!QFileInfo::exists(path) && QFileInfo::exists(QStringLiteral("pyproject.toml")))
            path = QStringLiteral("pyproject.toml");
        if (!QFileInfo::exists(path))
            return Result<Project>::failure(
                QStringLiteral("No config file 'alembic.ini' found in %1; pass -c CONFIG or "
                               "--versions DIR.")
                    .arg(QDir::toNativeSeparators(QDir::currentPath())));
    }
    auto config = ProjectConfig::load(path, o.section);
    if (!config)
        return Result<Project>::failure(config.error());
    return Project::load(config.value(), detail);
}

void warnAboutErrors(const Project &project)
{
    int errors = 0;
    for (const Diagnostic &d : project.diagnostics())
        errors += d.severity == Severity::Error ? 1 : 0;
    if (errors > 0)
        printError(QStringLiteral("warning: the project has %1 error(s); run `retort check` to "
                                  "see them")
                       .arg(errors));
}

struct CommandArgs
{
    bool verbose = false;
    bool dryRun = false;
    bool force = false;
    bool sqlOnly = false;
    bool yesIKnow = false;
    bool online = false;
    bool shared = false;
    bool forbidDowngrades = false;
    QString profile;
    int number = -1;
    QString range;
    QString format;
    QString slug;
    QString message;
    QString onto;
    QString url;
    QStringList positional;
    QString error;
};

CommandArgs parseCommandArgs(const QStringList &args)
{
    CommandArgs c;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == u"-v" || a == u"--verbose") {
            c.verbose = true;
        } else if (a == u"--dry-run") {
            c.dryRun = true;
        } else if (a == u"--force") {
            c.force = true;
        } else if (a == u"--sql") {
            c.sqlOnly = true;
        } else if (a == u"--yes-i-know") {
            c.yesIKnow = true;
        } else if (a == u"--online") {
            c.online = true;
        } else if (a == u"--shared") {
            c.shared = true;
        } else if (a == u"--forbid-downgrades") {
            c.forbidDowngrades = true;
        } else if (a == u"-r" || a == u"--rev-range" || a == u"--format" || a == u"--slug" ||
                   a == u"--number" || a == u"-m" || a == u"--message" || a == u"--onto" ||
                   a == u"--url" || a == u"--profile") {
            if (i + 1 >= args.size()) {
                c.error = QStringLiteral("%1 needs a value").arg(a);
                return c;
            }
            const QString v = args.at(++i);
            if (a == u"--format")
                c.format = v;
            else if (a == u"--slug")
                c.slug = v;
            else if (a == u"-m" || a == u"--message")
                c.message = v;
            else if (a == u"--onto")
                c.onto = v;
            else if (a == u"--url")
                c.url = v;
            else if (a == u"--profile")
                c.profile = v;
            else if (a == u"--number") {
                bool ok = false;
                c.number = v.toInt(&ok);
                if (!ok || c.number < 0) {
                    c.error = QStringLiteral("--number takes a whole number, not '%1'").arg(v);
                    return c;
                }
            } else
                c.range = v;
        } else if (a.startsWith(u"--format=")) {
            c.format = a.mid(9);
        } else if (a.startsWith(u"--rev-range=")) {
            c.range = a.mid(12);
        } else if (a.startsWith(u"-r") && a.size() > 2) {
            c.range = a.mid(2);
        } else if (a.startsWith(u'-') && a.size() > 1 && !(a.size() > 1 && a.at(1).isDigit())) {
            c.error = QStringLiteral("unknown option %1").arg(a);
            return c;
        } else {
            c.positional.append(a);
        }
    }
    return c;
}

int cmdHistory(const Project &p, const CommandArgs &c)
{
    const RevisionResolver resolver(p.graph);
    QList<int> order;
    if (c.range.isEmpty()) {
        order = p.graph.history();
    } else {
        if (c.range.contains(QStringLiteral("current"))) {
            printError(QStringLiteral("'current' needs a database connection, which this "
                                      "command does not make"));
            return 1;
        }
        auto r = resolver.historyRange(c.range);
        if (!r) {
            printError(r.error());
            return 1;
        }
        order = r.value();
    }
    QString out;
    const RevisionFormat::LineOptions options{true, true, true, true};
    for (int i : std::as_const(order))
        out += (c.verbose ? RevisionFormat::logEntry(p.graph, i)
                          : RevisionFormat::line(p.graph, i, options)) +
               u'\n';
    print(out);
    return 0;
}

int cmdList(const Project &p, const CommandArgs &c, const QList<int> &revisions)
{
    QString out;
    const RevisionFormat::LineOptions options{true, false, false, false};
    for (int i : revisions)
        out += (c.verbose ? RevisionFormat::logEntry(p.graph, i)
                          : RevisionFormat::line(p.graph, i, options)) +
               u'\n';
    print(out);
    return 0;
}

int cmdBranches(const Project &p, const CommandArgs &c)
{
    QString out;
    for (int i : p.graph.history()) {
        const Revision &r = p.graph.revision(i);
        if (!r.isBranchPoint())
            continue;
        out += c.verbose ? RevisionFormat::logEntry(p.graph, i)
                         : RevisionFormat::line(p.graph, i, {true, false, false, true});
        out += u'\n';
        QStringList lines;
        QList<int> children = r.children;
        std::sort(children.begin(), children.end(),
                  [&](int a, int b) { return p.graph.revision(a).id < p.graph.revision(b).id; });
        for (int child : std::as_const(children))
            lines.append(QString(r.id.size(), u' ') + QStringLiteral(" -> ") +
                         RevisionFormat::line(p.graph, child, {true, c.verbose, false, true}));
        out += lines.join(u'\n') + QStringLiteral("\n\n");
    }
    print(out);
    return 0;
}

int cmdShow(const Project &p, const CommandArgs &c)
{
    if (c.positional.size() != 1) {
        printError(QStringLiteral("show takes one revision expression"));
        return 2;
    }
    if (c.positional.first() == u"current") {
        printError(QStringLiteral("'current' needs a database connection, which this command "
                                  "does not make"));
        return 1;
    }
    auto r = RevisionResolver(p.graph).revisions(c.positional.first());
    if (!r) {
        printError(r.error());
        return 1;
    }
    QString out;
    for (int i : r.value())
        out += RevisionFormat::logEntry(p.graph, i) + u'\n';
    print(out);
    return 0;
}

int cmdCheck(const Project &p)
{
    QString out;
    bool warnings = false;
    bool errors = false;
    for (const Diagnostic &d : p.diagnostics()) {
        out += formatDiagnostic(d) + u'\n';
        warnings = warnings || d.severity == Severity::Warning;
        errors = errors || d.severity == Severity::Error;
    }
    print(out);
    return errors ? 2 : (warnings ? 1 : 0);
}

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

int cmdGraph(const Project &p, const CommandArgs &c)
{
    const RevisionGraph &g = p.graph;
    if (c.format == u"json") {
        QJsonArray revisions;
        for (int i = 0; i < g.size(); ++i) {
            const Revision &r = g.revision(i);
            const RevisionFile &f = g.fileOf(i);
            revisions.append(
                QJsonObject{{QStringLiteral("revision"), r.id},
                            {QStringLiteral("down_revisions"), toArray(r.downRevisions)},
                            {QStringLiteral("depends_on"), toArray(r.dependsOn)},
                            {QStringLiteral("branch_labels"), toArray(r.declaredLabels)},
                            {QStringLiteral("path"), f.path},
                            {QStringLiteral("line"), f.revisionLine},
                            {QStringLiteral("message"), f.message}});
        }
        auto ids = [&](const QList<int> &list) {
            QStringList out;
            for (int i : list)
                out.append(g.revision(i).id);
            out.sort();
            return toArray(out);
        };
        QJsonArray diagnostics;
        for (const Diagnostic &d : p.diagnostics())
            diagnostics.append(QJsonObject{{QStringLiteral("severity"), severityName(d.severity)},
                                           {QStringLiteral("code"), d.code},
                                           {QStringLiteral("file"), d.file},
                                           {QStringLiteral("line"), d.line},
                                           {QStringLiteral("message"), d.message}});
        const QJsonObject root{{QStringLiteral("revisions"), revisions},
                               {QStringLiteral("heads"), ids(g.heads())},
                               {QStringLiteral("bases"), ids(g.bases())},
                               {QStringLiteral("diagnostics"), diagnostics}};
        print(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return 0;
    }
    if (c.format == u"dot") {
        auto quote = [](QString s) -> QString {
            return u'"' +
                   s.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\"")) +
                   u'"';
        };
        QString out = QStringLiteral("digraph revisions {\n  rankdir=BT;\n  node [shape=box];\n");
        for (int i = 0; i < g.size(); ++i) {
            const Revision &r = g.revision(i);
            QString label = r.id + u'\n' + g.fileOf(i).message.section(u'\n', 0, 0);
            out += QStringLiteral("  ") + quote(r.id) + QStringLiteral(" [label=") + quote(label) +
                   (r.isHead() ? QStringLiteral(", peripheries=2") : QString()) +
                   QStringLiteral("];\n");
        }
        for (int i = 0; i < g.size(); ++i) {
            const Revision &r = g.revision(i);
            for (int parent : r.parents)
                out += QStringLiteral("  ") + quote(g.revision(parent).id) +
                       QStringLiteral(" -> ") + quote(r.id) + QStringLiteral(";\n");
            for (int dep : r.dependencyParents) {
                if (!r.parents.contains(dep))
                    out += QStringLiteral("  ") + quote(g.revision(dep).id) +
                           QStringLiteral(" -> ") + quote(r.id) +
                           QStringLiteral(" [style=dashed];\n");
            }
        }
        out += QStringLiteral("}\n");
        print(out);
        return 0;
    }
    printError(QStringLiteral("graph needs --format dot or --format json"));
    return 2;
}

// Opens the command's database and reads where it stands.
struct OpenDatabase
{
    std::unique_ptr<ScopedConnection> connection;
    DatabaseState state;
};

QString projectKey(const Project &p)
{
    return p.config.configFile.isEmpty() ? p.config.projectDir : p.config.configFile;
}

// The database a command names: a saved profile, --url, or sqlalchemy.url.
Result<ConnectionProfile> resolveProfile(const Project &p, const CommandArgs &c)
{
    ConnectionProfile prof;
    if (!c.profile.isEmpty()) {
        const QList<ConnectionProfile> saved = ProfileStore::load(projectKey(p));
        const ConnectionProfile *found = ProfileStore::find(saved, c.profile);
        if (!found)
            return Result<ConnectionProfile>::failure(
                QStringLiteral("no profile '%1' for this project (retort profile list)")
                    .arg(c.profile));
        prof = *found;
        if (prof.driver != ConnectionProfile::Driver::SQLite) {
            auto password = PasswordStore::read(PasswordStore::keyFor(projectKey(p), prof.name));
            if (password && !password->isEmpty())
                prof.password = password.value();
            else if (!password && !qEnvironmentVariableIsSet("RETORT_DB_PASSWORD"))
                printError(QStringLiteral(
                               "note: %1; set RETORT_DB_PASSWORD if the database needs a password")
                               .arg(password.error()));
        }
    } else {
        const QString url = c.url.isEmpty() ? p.config.sqlalchemyUrl : c.url;
        if (url.isEmpty())
            return Result<ConnectionProfile>::failure(
                QStringLiteral("no database: the config has no sqlalchemy.url; pass --url URL"));
        auto profile = ConnectionProfile::fromUrl(url, p.config.projectDir);
        if (!profile)
            return Result<ConnectionProfile>::failure(profile.error());
        prof = profile.value();
    }
    if (prof.password.isEmpty() && prof.driver != ConnectionProfile::Driver::SQLite &&
        qEnvironmentVariableIsSet("RETORT_DB_PASSWORD")) {
        prof.password = qEnvironmentVariable("RETORT_DB_PASSWORD");
        printError(QStringLiteral("note: the password comes from RETORT_DB_PASSWORD"));
    }
    return prof;
}

Result<OpenDatabase> openDatabase(const Project &p, const CommandArgs &c)
{
    auto resolved = resolveProfile(p, c);
    if (!resolved)
        return Result<OpenDatabase>::failure(resolved.error());
    const ConnectionProfile &prof = resolved.value();
    OpenDatabase db;
    db.connection = std::make_unique<ScopedConnection>(prof);
    QString error;
    if (!db.connection->open(&error))
        return Result<OpenDatabase>::failure(error);
    auto recorded = VersionTable::read(*db.connection);
    if (!recorded)
        return Result<OpenDatabase>::failure(recorded.error());
    db.state = DatabaseState::map(VersionTable::exists(*db.connection), recorded.value(), p.graph);
    return db;
}

int cmdPlan(const Project &p, const CommandArgs &c)
{
    if (c.positional.size() != 1) {
        printError(QStringLiteral("usage: retort plan TARGET [--url URL]"));
        return 2;
    }
    auto db = openDatabase(p, c);
    if (!db) {
        printError(db.error());
        return 1;
    }
    const DatabaseState &state = db->state;
    if (!state.unknown.isEmpty()) {
        printError(QStringLiteral(
                       "the database records %1, which this project does not have; Retort cannot "
                       "plan from there")
                       .arg(state.unknown.join(QStringLiteral(", "))));
        return 1;
    }
    const QString target = c.positional.first();
    // Upgrade unless only a downgrade reaches the target.
    auto plan = MigrationPlan::make(p.graph, state.recorded, target, !target.startsWith(u'-'));
    if ((!plan || plan->steps.isEmpty()) && !target.startsWith(u'+')) {
        auto down = MigrationPlan::make(p.graph, state.recorded, target, false);
        if (down && (!plan || !down->steps.isEmpty()))
            plan = down;
    }
    if (!plan) {
        printError(plan.error());
        return 1;
    }
    print(db->connection->profile().displayUrl() + QStringLiteral(": ") + state.describe(p.graph) +
          u'\n');
    if (plan->steps.isEmpty())
        print(QStringLiteral("nothing to do\n"));
    for (const QString &line : plan->describe(p.graph))
        print(line + u'\n');
    return 0;
}

int cmdMigrate(const Project &p, const CommandArgs &c, bool upgrade)
{
    if (c.positional.size() != 1) {
        printError(QStringLiteral("usage: retort %1 TARGET [--url URL] [--sql]")
                       .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade")));
        return 2;
    }
    // A guarded downgrade is refused before anything connects.
    auto target = resolveProfile(p, c);
    if (!target) {
        printError(target.error());
        return 1;
    }
    if (!upgrade &&
        (target->downgradesForbidden || (target->isShared() && !c.yesIKnow && !c.sqlOnly))) {
        if (target->downgradesForbidden)
            printError(QStringLiteral("refusing to downgrade %1: its profile forbids downgrades")
                           .arg(target->displayUrl()));
        else
            printError(
                QStringLiteral(
                    "refusing to downgrade %1: it looks shared (%2); downgrading drops what later "
                    "revisions made. Pass --yes-i-know if you mean it.")
                    .arg(target->displayUrl(), target->shared
                                                   ? QStringLiteral("marked shared")
                                                   : QStringLiteral("not on this machine")));
        return 2;
    }
    auto db = openDatabase(p, c);
    if (!db) {
        printError(db.error());
        return 1;
    }
    const ConnectionProfile profile = db->connection->profile();
    const QStringList current = db->state.recorded;
    db.value().connection.reset(); // the executor opens its own, on its own thread
    if (!db->state.unknown.isEmpty()) {
        printError(QStringLiteral("the database records %1, which this project does not have")
                       .arg(db->state.unknown.join(QStringLiteral(", "))));
        return 1;
    }
    auto plan = MigrationPlan::make(p.graph, current, c.positional.first(), upgrade);
    if (!plan) {
        printError(plan.error());
        return 1;
    }
    if (plan->steps.isEmpty()) {
        print(
            QStringLiteral("nothing to do: the database is %1\n").arg(db->state.describe(p.graph)));
        return 0;
    }
    // RETORT_TIMINGS=1: how long rendering and executing took, for the benchmark.
    const bool timings = qEnvironmentVariableIntValue("RETORT_TIMINGS") != 0;
    QElapsedTimer phase;
    phase.start();
    bool fromCache = false;
    auto sql = PlanSql::prepare(p, profile, plan.value(), &fromCache);
    if (!sql && sql.error().contains(QStringLiteral("offline")) && !c.sqlOnly) {
        if (!c.online) {
            printError(sql.error());
            printError(QStringLiteral("nothing was changed; --online runs `alembic %1 %2` against "
                                      "the database instead "
                                      "(Retort cannot show that SQL first)")
                           .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                                c.positional.first()));
            return 1;
        }
        printError(QStringLiteral("note: %1; running it online through Alembic").arg(sql.error()));
        auto online = SqlRenderer::runOnline(p.config, profile, upgrade, c.positional.first());
        QStringList steps;
        for (const PlanStep &s : plan->steps)
            steps << p.graph.revision(s.revision).id;
        RunLog::append(p.config.configFile.isEmpty() ? p.config.projectDir : p.config.configFile,
                       {QDateTime::currentDateTime(), profile.displayUrl(),
                        (upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade")) +
                            QStringLiteral(" (online)"),
                        c.positional.first(), online ? steps : QStringList(), online.isOk(),
                        online ? QString() : online.error()});
        if (!online) {
            printError(online.error());
            return 1;
        }
        print(online.value());
        return 0;
    }
    if (!sql) {
        printError(sql.error());
        return 1;
    }
    if (timings)
        std::fprintf(stderr, "retort: render  %9.2f ms%s\n", double(phase.nsecsElapsed()) / 1e6,
                     fromCache ? " (cached)" : "");
    if (c.sqlOnly) {
        for (int i = 0; i < plan->steps.size(); ++i) {
            QStringList changes;
            for (const VersionChange &vc : plan->steps.at(i).changes)
                changes << vc.describe();
            print(QStringLiteral("-- step %1 of %2: %3 %4 (%5)\n")
                      .arg(i + 1)
                      .arg(plan->steps.size())
                      .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                           sql->at(i).revision, changes.join(QStringLiteral("; "))));
            for (const SqlStatement &st : sql->at(i).statements)
                print(st.text + QStringLiteral(";\n"));
            print(QStringLiteral("\n"));
        }
        return 0;
    }
    if (profile.driver == ConnectionProfile::Driver::MySQL)
        printError(QStringLiteral(
            "note: MySQL/MariaDB cannot roll back DDL; a step that fails midway can leave "
            "partial changes"));
    PlanExecutor executor(profile, plan.value(), sql.value());
    QObject::connect(&executor, &PlanExecutor::stepFinished, [&](int step, qint64 ms) {
        print(QStringLiteral("%1 %2 ok (%3 ms)\n")
                  .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                       sql->at(step).revision)
                  .arg(ms));
    });
    QObject::connect(
        &executor, &PlanExecutor::failed,
        [&](int, const QString &revision, const QString &statement, const QString &error) {
            if (revision.isEmpty())
                printError(error);
            else
                printError(QStringLiteral("%1 failed and was rolled back%2: %3")
                               .arg(revision,
                                    statement.isEmpty()
                                        ? QString()
                                        : QStringLiteral(" at\n    ") +
                                              statement.simplified().left(300) + u'\n',
                                    error));
        });
    QStringList done;
    QString failure;
    QObject::connect(&executor, &PlanExecutor::stepFinished,
                     [&](int step, qint64) { done << sql->at(step).revision; });
    QObject::connect(&executor, &PlanExecutor::failed,
                     [&](int, const QString &revision, const QString &, const QString &error) {
                         failure =
                             revision.isEmpty() ? error : revision + QStringLiteral(": ") + error;
                     });
    phase.restart();
    const bool ok = executor.run();
    if (timings)
        std::fprintf(stderr, "retort: execute %9.2f ms\n", double(phase.nsecsElapsed()) / 1e6);
    RunLog::append(p.config.configFile.isEmpty() ? p.config.projectDir : p.config.configFile,
                   {QDateTime::currentDateTime(), profile.displayUrl(),
                    upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                    c.positional.first(), done, ok, failure});
    return ok ? 0 : 1;
}

int cmdStamp(const Project &p, const CommandArgs &c)
{
    if (c.positional.isEmpty()) {
        printError(QStringLiteral("usage: retort stamp REV... [--url URL]"));
        return 2;
    }
    QStringList ids;
    const RevisionResolver resolver(p.graph);
    for (const QString &spec : c.positional) {
        auto r = resolver.revisions(spec);
        if (!r) {
            printError(r.error());
            return 1;
        }
        for (int i : r.value())
            ids << p.graph.revision(i).id;
    }
    auto db = openDatabase(p, c);
    if (!db) {
        printError(db.error());
        return 1;
    }
    QSqlDatabase sql = db->connection->database();
    const QString table = VersionTable::qualifiedName(db->connection->profile());
    QSqlQuery q(sql);
    sql.transaction();
    bool ok =
        VersionTable::exists(*db->connection) ||
        q.exec(QStringLiteral(
                   "CREATE TABLE %1 (version_num VARCHAR(32) NOT NULL, CONSTRAINT %2 PRIMARY KEY "
                   "(version_num))")
                   .arg(table, db->connection->profile().versionTable + QStringLiteral("_pkc")));
    ok = ok && q.exec(QStringLiteral("DELETE FROM %1").arg(table));
    for (const QString &id : std::as_const(ids)) {
        q.prepare(QStringLiteral("INSERT INTO %1 (version_num) VALUES (?)").arg(table));
        q.addBindValue(id);
        ok = ok && q.exec();
    }
    if (!ok || !sql.commit()) {
        const QString error = q.lastError().text();
        sql.rollback();
        printError(QStringLiteral("stamp failed and changed nothing: %1").arg(error));
        return 1;
    }
    print(QStringLiteral("stamped %1\n")
              .arg(ids.isEmpty() ? QStringLiteral("base") : ids.join(QStringLiteral(", "))));
    return 0;
}

int cmdProfile(const Project &p, const CommandArgs &c)
{
    const QString key = projectKey(p);
    QList<ConnectionProfile> profiles = ProfileStore::load(key);
    const QString verb = c.positional.value(0);
    if (verb == u"list" && c.positional.size() == 1) {
        for (const ConnectionProfile &prof : std::as_const(profiles))
            print(QStringLiteral("%1  %2%3%4\n")
                      .arg(prof.name, prof.displayUrl(),
                           prof.isShared() ? QStringLiteral("  (shared)") : QString(),
                           prof.downgradesForbidden ? QStringLiteral("  (no downgrades)")
                                                    : QString()));
        return 0;
    }
    if (verb == u"add" && c.positional.size() == 3) {
        auto made = ConnectionProfile::fromUrl(c.positional.at(2), p.config.projectDir);
        if (!made) {
            printError(made.error());
            return 2;
        }
        ConnectionProfile prof = made.value();
        prof.name = c.positional.at(1);
        prof.shared = c.shared;
        prof.downgradesForbidden = c.forbidDowngrades;
        if (!prof.password.isEmpty()) {
            auto stored =
                PasswordStore::write(PasswordStore::keyFor(key, prof.name), prof.password);
            printError(stored ? QStringLiteral("note: the password is in the system keyring")
                              : QStringLiteral(
                                    "note: the password was not saved: %1; use RETORT_DB_PASSWORD")
                                    .arg(stored.error()));
            prof.password.clear();
        }
        profiles.erase(
            std::remove_if(profiles.begin(), profiles.end(),
                           [&](const ConnectionProfile &x) { return x.name == prof.name; }),
            profiles.end());
        profiles.append(prof);
        ProfileStore::save(key, profiles);
        print(QStringLiteral("saved %1: %2\n").arg(prof.name, prof.displayUrl()));
        return 0;
    }
    if (verb == u"remove" && c.positional.size() == 2) {
        const auto before = profiles.size();
        profiles.erase(std::remove_if(profiles.begin(), profiles.end(),
                                      [&](const ConnectionProfile &x) {
                                          return x.name == c.positional.at(1);
                                      }),
                       profiles.end());
        if (profiles.size() == before) {
            printError(QStringLiteral("no profile '%1'").arg(c.positional.at(1)));
            return 1;
        }
        ProfileStore::save(key, profiles);
        PasswordStore::remove(PasswordStore::keyFor(key, c.positional.at(1)));
        return 0;
    }
    printError(QStringLiteral("usage: retort profile add NAME URL [--shared] [--forbid-downgrades] "
                              "| list | remove NAME"));
    return 2;
}

int cmdCurrent(const Project &p, const CommandArgs &c)
{
    auto db = openDatabase(p, c);
    if (!db) {
        printError(db.error());
        return db.error().startsWith(u"no database") ? 2 : 1;
    }
    print(db->connection->profile().displayUrl() + QStringLiteral(": ") +
          db->state.describe(p.graph) + u'\n');
    return db->state.unknown.isEmpty() ? 0 : 1;
}

// Shows or applies a planned edit; the exit codes of `check`.
int runPlan(const Result<EditPlan> &plan, const CommandArgs &c, const Project &p)
{
    if (!plan) {
        printError(plan.error());
        return 2;
    }
    for (const QString &note : plan->notes)
        printError(QStringLiteral("note: ") + note);
    if (c.dryRun) {
        print(plan->diff(p.config.projectDir));
        for (const QString &warning : plan->warnings)
            printError(QStringLiteral("warning: ") + warning);
        return plan->needsConfirmation() ? 1 : 0;
    }
    if (plan->needsConfirmation() && !c.force) {
        for (const QString &warning : plan->warnings)
            printError(QStringLiteral("warning: ") + warning);
        printError(QStringLiteral("nothing was changed; run again with --force to go ahead"));
        return 1;
    }
    auto undo = plan->apply();
    if (!undo) {
        printError(undo.error());
        return 2;
    }
    print(plan->title + u'\n');
    for (const FileEdit &e : plan->edits)
        print(
            QStringLiteral("  %1 %2\n")
                .arg(!e.before     ? QStringLiteral("created")
                     : e.renames() ? QStringLiteral("renamed")
                                   : QStringLiteral("updated"),
                     QDir(p.config.projectDir).relativeFilePath(e.renames() ? e.newPath : e.path)));
    return 0;
}

} // namespace

bool isCliInvocation(const QStringList &arguments)
{
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (kCommands.contains(a) || a == u"-h" || a == u"--help" || a == u"--version" ||
            a == u"-c" || a == u"--config" || a.startsWith(u"--config=") || a == u"--versions" ||
            a.startsWith(u"--versions=") || a == u"-n" || a == u"--name")
            return true;
        // A word that is neither an option nor a path is a mistyped command.
        if (!a.startsWith(u'-') && !QFileInfo::exists(a) &&
            (i == 1 || (arguments.at(i - 1) != u"--select" && arguments.at(i - 1) != u"--open" &&
                        arguments.at(i - 1) != u"--normalize")))
            return true;
    }
    return false;
}

int runCli(const QStringList &arguments)
{
    Options o;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (!o.command.isEmpty()) {
            o.args.append(a);
        } else if (a == u"-h" || a == u"--help") {
            print(usage());
            return 0;
        } else if (a == u"--version") {
            print(QStringLiteral("retort %1\n").arg(QCoreApplication::applicationVersion()));
            return 0;
        } else if (a == u"-c" || a == u"--config" || a == u"--versions" || a == u"-n" ||
                   a == u"--name") {
            if (i + 1 >= arguments.size()) {
                printError(QStringLiteral("%1 needs a value").arg(a));
                return 2;
            }
            const QString v = arguments.at(++i);
            if (a == u"--versions")
                o.versions = v;
            else if (a == u"-n" || a == u"--name")
                o.section = v;
            else
                o.config = v;
        } else if (a.startsWith(u"--config=")) {
            o.config = a.mid(9);
        } else if (a.startsWith(u"--versions=")) {
            o.versions = a.mid(11);
        } else if (kCommands.contains(a)) {
            o.command = a;
        } else {
            printError(QStringLiteral("unknown command or option '%1'\n\n").arg(a) + usage());
            return 2;
        }
    }
    if (o.command.isEmpty()) {
        print(usage());
        return 2;
    }
    const CommandArgs c = parseCommandArgs(o.args);
    if (!c.error.isEmpty()) {
        printError(c.error);
        return 2;
    }
    auto project = loadProject(o);
    if (!project) {
        printError(project.error());
        return o.command == u"check" ? 2 : 1;
    }
    const Project &p = project.value();
    if (o.command != u"check" && o.command != u"graph")
        warnAboutErrors(p);
    int code = 0;
    if (o.command == u"history")
        code = cmdHistory(p, c);
    else if (o.command == u"heads")
        code = cmdList(p, c, p.graph.heads());
    else if (o.command == u"bases")
        code = cmdList(p, c, p.graph.bases());
    else if (o.command == u"branches")
        code = cmdBranches(p, c);
    else if (o.command == u"show")
        code = cmdShow(p, c);
    else if (o.command == u"check")
        code = cmdCheck(p);
    else if (o.command == u"current")
        code = cmdCurrent(p, c);
    else if (o.command == u"plan")
        code = cmdPlan(p, c);
    else if (o.command == u"upgrade" || o.command == u"downgrade")
        code = cmdMigrate(p, c, o.command == u"upgrade");
    else if (o.command == u"stamp")
        code = cmdStamp(p, c);
    else if (o.command == u"profile")
        code = cmdProfile(p, c);
    else if (o.command == u"normalize")
        code = runPlan(RevisionRewriter(p).normalize(c.positional, c.number, c.slug), c, p);
    else if (o.command == u"merge")
        code = runPlan(RevisionRewriter(p).merge(c.message), c, p);
    else if (o.command == u"reparent") {
        if (c.positional.size() != 1 || c.onto.isEmpty()) {
            printError(QStringLiteral("usage: retort reparent REVISION --onto REVISION"));
            code = 2;
        } else {
            code = runPlan(RevisionRewriter(p).reparent(c.positional.first(), c.onto), c, p);
        }
    } else
        code = cmdGraph(p, c);
    // A large project is thousands of small objects; freeing them one by one
    // costs more than many commands themselves. The OS reclaims it all.
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}

} // namespace Retort
