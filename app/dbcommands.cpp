#include "clicommon.h"
#include "core/modules.h"

#include "core/db/profilestore.h"
#include "core/db/versiontable.h"
#include "core/graph/revisionformat.h"
#include "core/graph/revisionresolver.h"
#include "core/project.h"
#include "core/run/guardfacts.h"
#include "core/run/migrationplan.h"
#include "core/run/planexecutor.h"
#include "core/run/plansql.h"
#include "core/run/runlog.h"
#include "core/run/sqlrenderer.h"
#include "core/vcs/gitfacts.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLibrary>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>
#include <memory>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace Retort::Cli {

Result<ConnectionProfile> resolveProfile(const Project &p, const CommandArgs &c)
{
    ConnectionProfile prof;
    if (!c.profile.isEmpty()) {
        const QList<ConnectionProfile> saved = ProfileStore::load(p.key());
        const ConnectionProfile *found = ProfileStore::find(saved, c.profile);
        if (!found)
            return Result<ConnectionProfile>::failure(
                QStringLiteral("no profile '%1' for this project (retort profile list)")
                    .arg(c.profile));
        prof = *found;
        if (prof.driver != ConnectionProfile::Driver::SQLite) {
            auto password = PasswordStore::read(PasswordStore::keyFor(p.key(), prof.name));
            if (password && !password->isEmpty())
                prof.password = password.value();
            else if (!password && !qEnvironmentVariableIsSet("RETORT_DB_PASSWORD"))
                printError(QStringLiteral(
                               "note: %1; set RETORT_DB_PASSWORD if the database needs a password")
                               .arg(password.error()));
        }
    } else {
        const QString url = c.url.isEmpty() ? p.config.sqlalchemyUrl : c.url;
        if (url.isEmpty() && !p.config.sqlalchemyUrlProblem.isEmpty())
            return Result<ConnectionProfile>::failure(
                QStringLiteral("no database: %1 cannot be read as Alembic reads it: %2; pass "
                               "--url URL")
                    .arg(QStringLiteral("sqlalchemy.url"), p.config.sqlalchemyUrlProblem));
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

namespace {

// Opens the command's database and reads where it stands.
struct OpenDatabase
{
    std::unique_ptr<ScopedConnection> connection;
    DatabaseState state;
};

// The database a command names: a saved profile, --url, or sqlalchemy.url.

// Asks on the terminal, without echo. Empty when stdin is not a terminal.
QString askPassword(const ConnectionProfile &profile)
{
    if (!::isatty(STDIN_FILENO))
        return QString();
    // Echo goes off before the prompt shows, so nothing typed after it echoes.
    termios saved{};
    const bool terminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    const QByteArray prompt =
        QStringLiteral("Password for %1@%2: ").arg(profile.user, profile.host).toUtf8();
    std::fwrite(prompt.constData(), 1, size_t(prompt.size()), stderr);
    std::fflush(stderr);
    std::string line;
    for (int ch = std::getchar(); ch != EOF && ch != '\n'; ch = std::getchar())
        line.push_back(char(ch));
    if (terminal)
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputc('\n', stderr);
    return QString::fromStdString(line);
}

enum class Access
{
    Read, // current, plan: a SQLite file that is not there is at base, and stays not there
    Write
};

Result<OpenDatabase> openDatabase(const Project &p, const CommandArgs &c, Access access)
{
    auto resolved = resolveProfile(p, c);
    if (!resolved)
        return Result<OpenDatabase>::failure(resolved.error());
    ConnectionProfile prof = resolved.value();
    OpenDatabase db;
    db.connection = std::make_unique<ScopedConnection>(prof);
    if (access == Access::Read && ScopedConnection::isMissingFile(prof))
        return db; // at base
    QString error;
    if (!db.connection->open(&error)) {
        // No keyring, no password in the URL or the environment: ask, once.
        // A password that was given and refused is reported as it is.
        if (!prof.password.isEmpty() || !ScopedConnection::wantsPassword(prof, error))
            return Result<OpenDatabase>::failure(error);
        const QString typed = askPassword(prof);
        if (typed.isEmpty())
            return Result<OpenDatabase>::failure(
                error + QStringLiteral("\nThe database wants a password: put it in the URL, set "
                                       "RETORT_DB_PASSWORD, or run from a terminal to be asked."));
        prof.password = typed;
        db.connection.reset();
        db.connection = std::make_unique<ScopedConnection>(prof);
        if (!db.connection->open(&error))
            return Result<OpenDatabase>::failure(error);
        printError(QStringLiteral("note: the password comes from the prompt"));
    }
    auto state = DatabaseState::read(*db.connection, p.graph);
    if (!state)
        return Result<OpenDatabase>::failure(state.error());
    db.state = state.value();
    return db;
}

// After Alembic's "Ambiguous walk": where the history forks and the targets
// that would work, one per branch.
QString ambiguityHint(const Project &p, const QStringList &current, const QString &target)
{
    const RevisionGraph &g = p.graph;
    const bool up = !target.startsWith(u'-') && !target.contains(QLatin1String("@-"));
    QList<int> from;
    for (const QString &id : current)
        from.append(g.indexOf(id));
    QStringList options;
    if (up && from.isEmpty()) {
        for (int b : g.bases())
            options.append(g.revision(b).id);
    }
    for (int f : std::as_const(from)) {
        if (f < 0)
            continue;
        const QList<int> next = up ? g.revision(f).children : g.revision(f).parents;
        if (next.size() < 2)
            continue;
        for (int n : next) {
            const Revision &r = g.revision(n);
            options.append(r.id +
                           (r.declaredLabels.isEmpty()
                                ? QString()
                                : QStringLiteral(" (or %1@%2)")
                                      .arg(r.declaredLabels.first(),
                                           up ? QStringLiteral("+1") : QStringLiteral("-1"))));
        }
    }
    if (options.size() < 2)
        return {};
    return QStringLiteral("\nThe history forks here; name the revision to go to: ") +
           options.join(QStringLiteral(", ")) + u'.';
}

} // namespace

int cmdPlan(const Project &p, const CommandArgs &c)
{
    if (c.positional.size() != 1) {
        printError(QStringLiteral("usage: retort plan TARGET [--url URL]"));
        return 2;
    }
    auto db = openDatabase(p, c, Access::Read);
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
        printError(plan.error() + ambiguityHint(p, state.recorded, target));
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

// GitFacts::of through the retort-git module, loaded only now.
Result<QHash<QString, GitFileFacts>> gitFacts(const QStringList &files)
{
    using Entry = bool (*)(const QStringList &, QHash<QString, GitFileFacts> *, QString *);
    QString why;
    auto entry = reinterpret_cast<Entry>(
        Modules::symbol(QStringLiteral("retort-git"), "retortGitFacts", &why));
    if (!entry)
        return Result<QHash<QString, GitFileFacts>>::failure(
            QStringLiteral("the retort-git module cannot be loaded (%1)").arg(why));
    QHash<QString, GitFileFacts> facts;
    QString error;
    if (!entry(files, &facts, &error))
        return Result<QHash<QString, GitFileFacts>>::failure(error);
    return facts;
}

// The guard on the command line: what would be reverted (and what of it
// destroys data or is already pushed), then the database's name typed at a
// terminal. True: go ahead.
void printGuardFacts(const Project &p, const QList<int> &reverted, const QString &heading)
{
    GuardFacts facts = GuardFacts::of(p.graph, reverted);
    QStringList paths;
    for (const GuardFacts::Reverted &r : facts.reverted)
        paths << r.path;
    const auto git = gitFacts(paths);
    if (git)
        facts.addGitFacts(git.value());
    printError(heading);
    const QStringList lines = facts.describe();
    for (int i = 0; i < lines.size() && i < 25; ++i)
        printError(QStringLiteral("  ") + lines.at(i));
    if (lines.size() > 25)
        printError(QStringLiteral("  … and %1 more").arg(lines.size() - 25));
    if (!git && !paths.isEmpty())
        printError(QStringLiteral("  (git cannot say what is pushed: %1)").arg(git.error()));
}

// Shows `prompt` on stderr and reads one line of the terminal's answer.
QString askLine(const QString &prompt)
{
    const QByteArray text = prompt.toUtf8();
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
    std::fflush(stderr);
    std::string line;
    for (int ch = std::getchar(); ch != EOF && ch != '\n'; ch = std::getchar())
        line.push_back(char(ch));
    return QString::fromStdString(line).trimmed();
}

bool typedNameConfirms(const ConnectionProfile &profile, const QString &verb)
{
    const QString name = GuardFacts::confirmationName(profile);
    return askLine(QStringLiteral("Type the database name (%1) to %2 it, anything else to stop: ")
                       .arg(name, verb)) == name;
}

// Revisions a downgrade to `target` could revert, before the database is
// read: everything the target does not stand on. Empty when the target is
// relative (-1, label@-2) and only the database's position would tell.
QList<int> revertibleTo(const Project &p, const QString &target)
{
    if (target == u"base")
        return p.graph.history();
    auto resolved = RevisionResolver(p.graph).revisions(target);
    if (!resolved)
        return {};
    const auto kept = p.graph.ancestors(resolved.value(), true);
    QList<int> out;
    for (int i : p.graph.history()) {
        if (!kept[size_t(i)])
            out.append(i);
    }
    return out;
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
    const bool askAtTerminal = ::isatty(STDIN_FILENO) != 0;
    const bool guarded = !upgrade && target->isShared() && !c.yesIKnow && !c.sqlOnly;
    if (!upgrade && (target->downgradesForbidden || (guarded && !askAtTerminal))) {
        if (target->downgradesForbidden) {
            printError(QStringLiteral("refusing to downgrade %1: its profile forbids downgrades")
                           .arg(target->displayUrl()));
        } else {
            printError(
                QStringLiteral(
                    "refusing to downgrade %1: it looks shared (%2); downgrading drops what later "
                    "revisions made. Run it from a terminal to confirm with the database's name, "
                    "or pass --yes-i-know if you mean it.")
                    .arg(target->displayUrl(), target->shared
                                                   ? QStringLiteral("marked shared")
                                                   : QStringLiteral("not on this machine")));
            const QList<int> candidates = revertibleTo(p, c.positional.first());
            if (!candidates.isEmpty())
                printGuardFacts(p, candidates,
                                QStringLiteral("Of these, it would revert whichever the database "
                                               "has applied:"));
        }
        return 2;
    }
    auto db = openDatabase(p, c, Access::Write);
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
        printError(plan.error() + ambiguityHint(p, current, c.positional.first()));
        return 1;
    }
    if (guarded && !plan->steps.isEmpty()) {
        QList<int> reverted;
        for (const PlanStep &step : plan->steps)
            reverted << step.revision;
        printGuardFacts(
            p, reverted,
            QStringLiteral("%1 looks shared (%2). Downgrading it reverts:")
                .arg(profile.displayUrl(), profile.shared ? QStringLiteral("marked shared")
                                                          : QStringLiteral("not on this machine")));
        if (!typedNameConfirms(profile, QStringLiteral("downgrade"))) {
            printError(QStringLiteral("nothing was changed"));
            return 2;
        }
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
    if (!sql) {
        printError(sql.error());
        return 1;
    }
    if (timings)
        std::fprintf(stderr, "retort: render  %9.2f ms%s\n", double(phase.nsecsElapsed()) / 1e6,
                     fromCache ? " (cached)" : "");
    if (c.sqlOnly) {
        // Everything Retort will run, its own alembic_version statements
        // included, as SQL.
        if (!db->state.tableExists && !plan->steps.isEmpty())
            print(VersionTable::createStatement(profile) + QStringLiteral(";\n\n"));
        for (int i = 0; i < plan->steps.size(); ++i) {
            print(QStringLiteral("-- step %1 of %2: %3 %4\n")
                      .arg(i + 1)
                      .arg(plan->steps.size())
                      .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                           sql->at(i).revision));
            const StepSql &step = sql->at(i);
            if (step.online) {
                print(QStringLiteral("-- Alembic cannot render this step offline (%1);\n-- it runs "
                                     "through `alembic %2 %3` online, once you agree.\n")
                          .arg(step.offlineWhy,
                               upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                               step.onlineDestination));
                if (step.preview.isEmpty()) {
                    print(QStringLiteral("-- no preview: %1\n\n").arg(step.previewWhy));
                    continue;
                }
                print(QStringLiteral("-- its SQL, as Alembic ran it on a throwaway copy of the "
                                     "database:\n"));
                for (const QString &st : step.preview)
                    print(st + QStringLiteral(";\n"));
                print(
                    QStringLiteral("-- (Alembic updates %1 itself)\n\n").arg(profile.versionTable));
                continue;
            }
            for (const SqlStatement &st : step.statements)
                print(st.text + QStringLiteral(";\n"));
            for (const VersionChange &vc : plan->steps.at(i).changes)
                print(PlanExecutor::bookkeeping(profile, vc, true).sql + QStringLiteral(";\n"));
            print(QStringLiteral("\n"));
        }
        return 0;
    }
    if (profile.driver == ConnectionProfile::Driver::MySQL)
        printError(QStringLiteral(
            "note: MySQL/MariaDB cannot roll back DDL; a step that fails midway can leave "
            "partial changes"));
    // Steps Alembic cannot render offline run through Alembic online, each
    // only with the user's agreement: --online, or a yes at a terminal.
    QStringList onlineSteps;
    for (const StepSql &step : sql.value()) {
        if (step.online)
            onlineSteps << step.revision;
    }
    if (!onlineSteps.isEmpty() && !c.online && !::isatty(STDIN_FILENO)) {
        for (const StepSql &step : sql.value()) {
            if (step.online)
                printError(QStringLiteral("Alembic cannot render %1 offline: %2")
                               .arg(step.revision, step.offlineWhy));
        }
        printError(QStringLiteral("nothing was changed; %1 would have to run through Alembic "
                                  "online: pass --online, or run this at a terminal to be asked "
                                  "at that step (--sql shows its SQL first)")
                       .arg(onlineSteps.join(QStringLiteral(", "))));
        return 1;
    }
    PlanExecutor executor(profile, plan.value(), sql.value());
    executor.setProjectConfig(p.config);
    QObject::connect(&executor, &PlanExecutor::approvalNeeded, [&](int step) {
        const StepSql &s = sql->at(step);
        if (c.online) {
            printError(QStringLiteral("note: %1 runs through `alembic %2 %3` online (%4)")
                           .arg(s.revision,
                                upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                                s.onlineDestination, s.offlineWhy));
            executor.approve(step);
            return;
        }
        printError(
            QStringLiteral("%1 cannot be rendered offline: %2").arg(s.revision, s.offlineWhy));
        if (!s.preview.isEmpty()) {
            printError(QStringLiteral("Its SQL, from a throwaway copy of the database:"));
            for (const QString &st : s.preview)
                printError(QStringLiteral("    ") + st.simplified().left(200) + u';');
        }
        const QString answer =
            askLine(QStringLiteral("Run it through `alembic %1 %2` against the database? [y/N] ")
                        .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                             s.onlineDestination))
                .toLower();
        if (answer == u"y" || answer == u"yes")
            executor.approve(step);
        else
            executor.cancel();
    });
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
    QObject::connect(&executor, &PlanExecutor::finished, [&](bool, bool cancelled) {
        if (cancelled)
            printError(QStringLiteral("stopped; %1 step(s) had committed").arg(done.size()));
    });
    phase.restart();
    const bool ok = executor.run();
    if (timings)
        std::fprintf(stderr, "retort: execute %9.2f ms\n", double(phase.nsecsElapsed()) / 1e6);
    RunLog::append(p.key(), {QDateTime::currentDateTime(),
                             profile.displayUrl(),
                             upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                             c.positional.first(),
                             done,
                             ok,
                             failure,
                             {}});
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
    // A stamp of a shared database is guarded like a downgrade, before
    // anything connects.
    auto target = resolveProfile(p, c);
    if (!target) {
        printError(target.error());
        return 1;
    }
    const bool guarded = target->isShared() && !c.yesIKnow;
    if (guarded && !::isatty(STDIN_FILENO)) {
        printError(QStringLiteral("refusing to stamp %1: it looks shared (%2); a stamp moves where "
                                  "the database says it stands without running anything. Run it "
                                  "from a terminal to confirm with the database's name, or pass "
                                  "--yes-i-know if you mean it.")
                       .arg(target->displayUrl(), target->shared
                                                      ? QStringLiteral("marked shared")
                                                      : QStringLiteral("not on this machine")));
        return 2;
    }
    auto db = openDatabase(p, c, Access::Write);
    if (!db) {
        printError(db.error());
        return 1;
    }
    // A stamp that leaves applied revisions behind is a downgrade in disguise.
    QList<int> before, after;
    for (int i : db->state.revisions)
        before.append(i);
    for (const QString &id : std::as_const(ids))
        after.append(p.graph.indexOf(id));
    const auto applied = p.graph.ancestors(before, true);
    const auto kept = p.graph.ancestors(after, true);
    QStringList reverted;
    for (int i = 0; i < p.graph.size(); ++i) {
        if (applied[i] && !kept[i])
            reverted.append(p.graph.revision(i).id);
    }
    if (!reverted.isEmpty() && target->downgradesForbidden) {
        printError(QStringLiteral("refusing to stamp %1 backwards (it would no longer record %2): "
                                  "its profile forbids downgrades")
                       .arg(target->displayUrl(), reverted.join(QStringLiteral(", "))));
        return 2;
    }
    if (guarded) {
        QList<int> removed;
        for (const QString &id : std::as_const(reverted))
            removed << p.graph.indexOf(id);
        printGuardFacts(
            p, removed,
            removed.isEmpty()
                ? QStringLiteral("%1 looks shared; the stamp records %2 without running "
                                 "anything.")
                      .arg(target->displayUrl(), ids.join(QStringLiteral(", ")))
                : QStringLiteral("%1 looks shared; the stamp would record these as "
                                 "not applied although their changes stay:")
                      .arg(target->displayUrl()));
        if (!typedNameConfirms(target.value(), QStringLiteral("stamp"))) {
            printError(QStringLiteral("nothing was changed"));
            return 2;
        }
    }
    auto stamped = VersionTable::stamp(*db->connection, ids);
    if (!stamped) {
        printError(QStringLiteral("stamp failed and changed nothing: %1").arg(stamped.error()));
        return 1;
    }
    print(QStringLiteral("stamped %1\n")
              .arg(ids.isEmpty() ? QStringLiteral("base") : ids.join(QStringLiteral(", "))));
    return 0;
}

namespace {
int cmdProfileWith(const Project &p, const CommandArgs &c);
}

int cmdProfile(const Project &p, const CommandArgs &c)
{
    CommandArgs args = c;
    // `profile add --scratch NAME URL`: the flag took the name as its value.
    if (!args.scratch.isEmpty() && args.positional.value(0) == u"add") {
        args.positional.insert(1, args.scratch);
        args.scratch.clear();
    }
    return cmdProfileWith(p, args);
}

namespace {
int cmdProfileWith(const Project &p, const CommandArgs &c)
{
    const QString key = p.key();
    QList<ConnectionProfile> profiles = ProfileStore::load(key);
    const QString verb = c.positional.value(0);
    if (verb == u"list" && c.positional.size() == 1) {
        for (const ConnectionProfile &prof : std::as_const(profiles))
            print(
                QStringLiteral("%1  %2%3%4%5\n")
                    .arg(prof.name, prof.displayUrl(),
                         prof.isShared() ? QStringLiteral("  (shared)") : QString(),
                         prof.downgradesForbidden ? QStringLiteral("  (no downgrades)") : QString(),
                         prof.scratch ? QStringLiteral("  (scratch)") : QString()));
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
        prof.scratch = c.scratchFlag;
        // Try it before saving it: a typo is found now, not at the first run.
        if (!c.noTest) {
            ScopedConnection test(prof);
            QString error;
            if (!test.open(&error, 5)) {
                printError(error + QStringLiteral("\nnothing was saved; fix the URL, or save it "
                                                  "untried with --no-test"));
                return 1;
            }
            printError(QStringLiteral("note: connected to %1").arg(test.describe()));
        }
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
                              "[--scratch] [--no-test] "
                              "| list | remove NAME"));
    return 2;
}
} // namespace

int cmdRuns(const Project &p)
{
    const QList<RunLogEntry> runs = RunLog::read(p.key());
    for (const RunLogEntry &e : runs)
        print(e.describe() + u'\n');
    if (runs.isEmpty())
        printError(QStringLiteral("no runs recorded for this project yet"));
    return 0;
}

int cmdCurrent(const Project &p, const CommandArgs &c)
{
    auto db = openDatabase(p, c, Access::Read);
    if (!db) {
        printError(db.error());
        return db.error().startsWith(u"no database") ? 2 : 1;
    }
    print(db->connection->profile().displayUrl() + QStringLiteral(": ") +
          db->state.describe(p.graph) + u'\n');
    return db->state.unknown.isEmpty() ? 0 : 1;
}

} // namespace Retort::Cli
