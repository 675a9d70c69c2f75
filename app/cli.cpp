#include "cli.h"
#include "clicommon.h"

#include "core/edit/revisionrewriter.h"
#include "core/graph/revisionformat.h"
#include "core/graph/revisionresolver.h"
#include "core/project.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <cstdlib>

namespace Retort {

namespace Cli {

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

} // namespace Cli

namespace {

using namespace Cli;

const QStringList kCommands = {
    QStringLiteral("history"),   QStringLiteral("heads"),       QStringLiteral("bases"),
    QStringLiteral("branches"),  QStringLiteral("show"),        QStringLiteral("check"),
    QStringLiteral("graph"),     QStringLiteral("normalize"),   QStringLiteral("merge"),
    QStringLiteral("reparent"),  QStringLiteral("current"),     QStringLiteral("plan"),
    QStringLiteral("reviewed"),  QStringLiteral("runs"),        QStringLiteral("upgrade"),
    QStringLiteral("downgrade"), QStringLiteral("stamp"),       QStringLiteral("profile"),
    QStringLiteral("schema"),    QStringLiteral("schema-diff"), QStringLiteral("blame"),
    QStringLiteral("drift"),     QStringLiteral("replay"),      QStringLiteral("export"),
    QStringLiteral("doctor"),    QStringLiteral("complete")};

QString usage()
{
    return QStringLiteral(
        "usage: retort [-c CONFIG | --versions DIR] [-n SECTION] COMMAND [ARGS]\n"
        "       retort [PATH] [--select REV] [--open FILE[:LINE]] [--normalize REV]\n"
        "              [--database NAME] [--upgrade TARGET | --downgrade TARGET]\n"
        "                                open the window (PATH: a project or versions folder);\n"
        "                                --upgrade/--downgrade plan it in the runner, not run it\n"
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
        "  graph --format dot|json|svg      the whole graph, for tools (svg: as the window draws "
        "it)\n"
        "  normalize [REV|FILE ...] [--number N] [--slug S] [--dry-run] [--force]\n"
        "                                   rename fresh revisions to the NNN_slug scheme (no\n"
        "                                   argument: every revision not named by it yet)\n"
        "  merge [--message M] [--dry-run]  write a merge revision for the heads\n"
        "  reviewed REV [--dry-run]         remove Alembic's autogenerate markers: the operations\n"
        "                                   were reviewed\n"
        "  reparent REV --onto REV [--dry-run] [--force]\n"
        "                                   point REV at another parent and renumber it\n"
        "  --dry-run prints the change as a diff; --force renames revisions a database applied\n"
        "  runs                             the project's run log: when, database, steps, result, "
        "who\n"
        "  current [--url URL]              where the database stands (default: sqlalchemy.url);\n"
        "                                   a password comes from the URL, RETORT_DB_PASSWORD,\n"
        "                                   PGPASSWORD or, on a terminal, a prompt\n"
        "  plan TARGET [--url URL]          the steps from where the database stands to TARGET\n"
        "                                   (head, heads, base, an id, +N, -N, label@head ...)\n"
        "  upgrade TARGET [--url URL] [--sql] [--online]\n"
        "  downgrade TARGET [--url URL] [--sql] [--yes-i-know]\n"
        "                                   step the database, each step in a transaction, with\n"
        "                                   the SQL Alembic renders; --sql prints it instead;\n"
        "                                   --online lets Alembic run revisions it cannot render\n"
        "  stamp REV... [--url URL]         set the version table without running anything\n"
        "  profile add NAME URL [--shared] [--forbid-downgrades] [--scratch] [--no-test]\n"
        "          | list | remove NAME\n"
        "                                   saved databases of this project; --profile NAME picks\n"
        "                                   one instead of --url (its password: the keyring or\n"
        "                                   RETORT_DB_PASSWORD)\n"
        "\n"
        "schema history (replayed on a scratch database: SQLite in a temporary file, PostgreSQL\n"
        "on a private server Retort starts, others on a profile added with --scratch):\n"
        "  schema [REV] [--format text|json|markdown|sql] [--scratch NAME]\n"
        "                                   the schema at REV (default: heads)\n"
        "  schema-diff A B [--format json]  what changed in the schema from A to B\n"
        "  blame TABLE[.COLUMN] [--at REV]  the revisions that made and changed it\n"
        "  drift [--url URL | --profile NAME]\n"
        "                                   a live database against the schema its version table\n"
        "                                   records (read only); exit 0 none, 1 drift, 2 error\n"
        "  replay [--scratch NAME]          replay the history and keep every snapshot\n"
        "  export --html FILE               the history to share: one self-contained HTML file\n"
        "                                   (graph, every revision's operations and schema\n"
        "                                   changes, the schema at head, its ER diagram, blame)\n"
        "  export --markdown DIR            the same as Markdown, with SVG files beside it\n"
        "\n"
        "this machine:\n"
        "  doctor                           what Retort uses here (Alembic and why that one, Qt "
        "SQL\n"
        "                                   drivers, keyring, servers for replays, git) and the\n"
        "                                   Debian package for what is missing; exit 0 when all\n"
        "                                   the project needs is there, 1 when not\n"
        "  complete commands|revisions|profiles\n"
        "                                   the words shell completion offers, one per line\n"
        "\n"
        "exit status: 0 success; 1 failure (or: check found warnings, drift found drift, doctor\n"
        "found something missing); 2 usage errors and refusals (check: errors)\n");
}

struct Options
{
    QString config;
    QString versions;
    QString section = QStringLiteral("alembic");
    QString command;
    QStringList args;
};

Result<Project> loadProject(const Options &o, bool verbose)
{
    // `check` looks inside upgrade()/downgrade(), and so do the guard's facts
    // (what a downgrade or stamp would drop); the rest need headers.
    // An export lists every revision's operations; `show` and the verbose
    // listings print whole docstrings, which headers do not keep.
    const auto detail = o.command == u"check" || o.command == u"downgrade" ||
                                o.command == u"stamp" || o.command == u"export" ||
                                o.command == u"show" || verbose
                            ? RevisionReader::Detail::Full
                            : RevisionReader::Detail::Header;
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
        } else if (a == u"--no-test") {
            c.noTest = true;
        } else if (a == u"--scratch") {
            // `profile add ... --scratch` marks a profile; elsewhere it names one.
            c.scratchFlag = true;
            if (i + 1 < args.size() && !args.at(i + 1).startsWith(u'-'))
                c.scratch = args.at(++i);
        } else if (a == u"--at") {
            if (i + 1 >= args.size()) {
                c.error = QStringLiteral("--at needs a value");
                return c;
            }
            c.at = args.at(++i);
        } else if (a == u"-r" || a == u"--rev-range" || a == u"--format" || a == u"--slug" ||
                   a == u"--number" || a == u"-m" || a == u"--message" || a == u"--onto" ||
                   a == u"--url" || a == u"--profile" || a == u"--html" || a == u"--markdown") {
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
            else if (a == u"--html")
                c.html = v;
            else if (a == u"--markdown")
                c.markdown = v;
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
                            {QStringLiteral("depends_on"),
                             toArray(r.emptyDependsOn ? QStringList{QString()} : r.dependsOn)},
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

// Why `command` does not take the positional arguments it was given, or empty.
QString unexpectedArguments(const QString &command, const CommandArgs &c)
{
    struct Arity
    {
        const char16_t *command;
        int min;
        int max; // -1: any number
        const char16_t *usage;
    };
    static const Arity arities[] = {
        {u"history", 0, 0, u"retort history [-r RANGE] [--verbose]"},
        {u"heads", 0, 0, u"retort heads [--verbose]"},
        {u"bases", 0, 0, u"retort bases [--verbose]"},
        {u"branches", 0, 0, u"retort branches [--verbose]"},
        {u"check", 0, 0, u"retort check"},
        {u"graph", 0, 0, u"retort graph [--format dot|json|svg]"},
        {u"export", 0, 0, u"retort export --html FILE | --markdown DIR [--scratch NAME]"},
        {u"merge", 0, 0, u"retort merge [-m MESSAGE] [--dry-run]"},
        {u"current", 0, 0, u"retort current [--url URL | --profile NAME]"},
        {u"show", 1, -1, u"retort show REVISION..."},
        {u"reviewed", 1, 1, u"retort reviewed REVISION [--dry-run]"},
        {u"runs", 0, 0, u"retort runs"},
        {u"plan", 1, 1, u"retort plan TARGET [--url URL]"},
        {u"upgrade", 1, 1, u"retort upgrade TARGET [--url URL] [--sql] [--online]"},
        {u"downgrade", 1, 1, u"retort downgrade TARGET [--url URL] [--sql] [--online]"},
        {u"schema", 0, 1, u"retort schema [REV] [--format text|json|markdown|sql]"},
        {u"schema-diff", 2, 2, u"retort schema-diff A B"},
        {u"blame", 1, 1, u"retort blame TABLE[.COLUMN] [--at REV]"},
        {u"drift", 0, 0, u"retort drift [--url URL | --profile NAME]"},
        {u"replay", 0, 0, u"retort replay [--scratch NAME]"},
        {u"doctor", 0, 0, u"retort doctor"},
        {u"complete", 1, 1, u"retort complete commands|revisions|profiles"},
    };
    for (const Arity &a : arities) {
        if (command != QStringView(a.command))
            continue;
        const int n = int(c.positional.size());
        if (n > a.max && a.max >= 0)
            return QStringLiteral("%1: unrecognized argument%2 %3 (usage: %4)")
                .arg(command, n - a.max > 1 ? QStringLiteral("s") : QString(),
                     c.positional.mid(a.max).join(u' '), QString::fromUtf16(a.usage));
        if (n < a.min)
            return QStringLiteral("%1: missing argument (usage: %2)")
                .arg(command, QString::fromUtf16(a.usage));
    }
    return {};
}

bool needsPainting(const QStringList &arguments)
{
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == u"export")
            return true;
        if (a == u"graph") {
            const QStringList rest = arguments.mid(i + 1);
            const qsizetype f = rest.indexOf(QStringLiteral("--format"));
            return rest.contains(QStringLiteral("--format=svg")) ||
                   (f >= 0 && rest.value(f + 1) == u"svg");
        }
        if (kCommands.contains(a))
            return false;
    }
    return false;
}

bool isCliInvocation(const QStringList &arguments)
{
    // The window's options that take a value: the value is no command.
    static const QStringList windowOptions = {
        QStringLiteral("--select"),   QStringLiteral("--open"),    QStringLiteral("--normalize"),
        QStringLiteral("--database"), QStringLiteral("--upgrade"), QStringLiteral("--downgrade")};
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (i > 1 && windowOptions.contains(arguments.at(i - 1)))
            continue;
        if (kCommands.contains(a) || a == u"-h" || a == u"--help" || a == u"--version" ||
            a == u"-c" || a == u"--config" || a.startsWith(u"--config=") || a == u"--versions" ||
            a.startsWith(u"--versions=") || a == u"-n" || a == u"--name")
            return true;
        // A word that is neither an option nor a path is a mistyped command.
        if (!a.startsWith(u'-') && !QFileInfo::exists(a))
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
        } else if (a.startsWith(u"--config=") || a.startsWith(u"--versions=")) {
            const QString v = a.section(u'=', 1);
            if (v.isEmpty()) {
                printError(QStringLiteral("%1 needs a value").arg(a.section(u'=', 0, 0)));
                return 2;
            }
            (a.startsWith(u"--config=") ? o.config : o.versions) = v;
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
    // Like Alembic, refuse what a command does not take rather than ignore it.
    if (const QString why = unexpectedArguments(o.command, c); !why.isEmpty()) {
        printError(why);
        return 2;
    }
    auto project = loadProject(o, c.verbose);
    if (o.command == u"doctor" || o.command == u"complete") {
        const int code = o.command == u"doctor" ? cmdDoctor(project)
                                                : cmdComplete(project, c.positional, kCommands);
        std::fflush(stdout);
        std::_Exit(code);
    }
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
    else if (o.command == u"runs")
        code = cmdRuns(p);
    else if (o.command == u"schema")
        code = cmdSchema(p, c);
    else if (o.command == u"schema-diff")
        code = cmdSchemaDiff(p, c);
    else if (o.command == u"blame")
        code = cmdBlame(p, c);
    else if (o.command == u"drift")
        code = cmdDrift(p, c);
    else if (o.command == u"replay")
        code = cmdReplay(p, c);
    else if (o.command == u"export" || (o.command == u"graph" && c.format == u"svg"))
        code = cmdExport(p, c);
    else if (o.command == u"reviewed")
        code = runPlan(RevisionRewriter(p).markReviewed(c.positional.first()), c, p);
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
