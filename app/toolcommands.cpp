// `retort doctor` and `retort complete`: the commands that work with or
// without a project here.

#include "clicommon.h"
#include "core/modules.h"

#include "core/db/profilestore.h"
#include "core/doctor.h"
#include "core/project.h"

#include <QCoreApplication>
#include <QLibraryInfo>

namespace Retort::Cli {

int cmdDoctor(const Result<Project> &project)
{
    print(QStringLiteral("Retort %1, Qt %2\n")
              .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    const ProjectConfig *config = project ? &project->config : nullptr;
    QList<ConnectionProfile> profiles;
    if (config) {
        print(QStringLiteral("Project: %1\n\n").arg(config->configFile));
        profiles = ProfileStore::load(project->key());
    } else {
        print(QStringLiteral("No project here (%1): what Retort itself needs.\n\n")
                  .arg(project.error()));
    }
    QList<DoctorCheck> checks = Doctor::check(config, profiles);
    // The window and the drawing module, and git's: beside the executable.
    for (const auto &[module, symbol, what] :
         {std::tuple{"retort-gui", "retortGuiMain", "the window, export and graph --format svg"},
          std::tuple{"retort-git", "retortGitFacts", "git facts: authors, pushed revisions"},
          std::tuple{"retort-keyring", "retortKeyring",
                     "the keyring: saved databases' passwords"}}) {
        DoctorCheck c;
        c.name = QStringLiteral("%1 module").arg(QString::fromLatin1(module));
        c.needed = true;
        c.package = QStringLiteral("retort");
        QString error;
        c.ok = Modules::symbol(QString::fromLatin1(module), symbol, &error) != nullptr;
        c.detail = c.ok ? QString::fromLatin1(what)
                        : QStringLiteral("cannot load (%1): %2 unavailable")
                              .arg(error, QString::fromLatin1(what));
        checks.append(c);
    }
    print(Doctor::report(checks));
    return Doctor::healthy(checks) ? 0 : 1;
}

int cmdComplete(const Result<Project> &project, const QStringList &args,
                const QStringList &commands)
{
    const QString what = args.value(0);
    if (what == u"commands") {
        print(commands.join(u'\n') + u'\n');
        return 0;
    }
    if (!project)
        return 1; // nothing to offer; say nothing (the shell shows no list)
    QStringList out;
    if (what == u"revisions") {
        const RevisionGraph &g = project->graph;
        out = {QStringLiteral("head"), QStringLiteral("heads"), QStringLiteral("base")};
        for (const Revision &r : g.revisions())
            out.append(r.id);
        for (auto it = g.labels().cbegin(); it != g.labels().cend(); ++it)
            out.append(it.key() + QStringLiteral("@head"));
    } else if (what == u"profiles") {
        for (const ConnectionProfile &p : ProfileStore::load(project->key()))
            out.append(p.name);
    } else {
        printError(QStringLiteral("complete: commands, revisions or profiles"));
        return 2;
    }
    print(out.join(u'\n') + u'\n');
    return 0;
}

} // namespace Retort::Cli
