#include "project.h"
#include "lint/linter.h"
#include "lint/lintsettings.h"
#include "script/revisionscanner.h"
#include "workers.h"

#include <QElapsedTimer>

#include <optional>
#include <vector>

#include <cstdio>

namespace Retort {

Project Project::load(const ProjectConfig &config, RevisionReader::Detail detail)
{
    // RETORT_TIMINGS=1 prints how long each phase took, for profiling.
    static const bool timings = qEnvironmentVariableIntValue("RETORT_TIMINGS") != 0;
    QElapsedTimer timer;
    timer.start();
    auto phase = [&](const char *name) {
        if (timings)
            std::fprintf(stderr, "retort: %-6s %7.2f ms\n", name,
                         double(timer.nsecsElapsed()) / 1e6);
    };
    Project p;
    p.config = config;
    // Each file is prepared for the graph, and its name classified for the
    // naming scheme, by the thread that reads it.
    std::optional<RevisionGraph::Builder> builder;
    std::vector<qint8> nameKinds;
    RevisionScanner::Hooks hooks;
    hooks.listed = [&](qsizetype files) {
        builder.emplace(files);
        nameKinds.resize(size_t(files));
    };
    hooks.read = [&](int i, const RevisionFile &file) {
        builder->prepare(i, file);
        nameKinds[size_t(i)] = NamingScheme::classify(file.fileNameView());
    };
    // One set of helper threads for reading and building: between the two
    // they stay awake, so the graph's second thread is there at once.
    std::unique_ptr<Workers> prestarted = Workers::takePrestarted();
    std::optional<Workers> own;
    Workers &workers = prestarted ? *prestarted : own.emplace(Workers::defaultHelpers());
    QList<RevisionFile> files =
        RevisionScanner::scan(config, detail, &p.listingDiagnostics, hooks, &workers);
    phase("read");
    if (!builder)
        builder.emplace(files.size());
    p.graph = builder->build(std::move(files), &workers);
    phase("graph");
    const LintSettings settings = LintSettings::read(config);
    if (!settings.error.isEmpty())
        p.listingDiagnostics.append({Severity::Error, QStringLiteral("settings"),
                                     LintSettings::fileFor(config), 0, settings.error});
    p.scheme = NamingScheme::detect(p.graph, nameKinds);
    if (settings.schemeSet || settings.width > 0)
        p.scheme = p.scheme.overridden(settings.schemeSet ? settings.scheme : p.scheme.kind(),
                                       settings.width);
    phase("scheme");
    if (detail == RevisionReader::Detail::Full) {
        p.lintDiagnostics = Linter::lint(p.graph, p.scheme, settings.disabled);
        phase("lint");
    }
    return p;
}

Result<Project> Project::open(const QString &path, RevisionReader::Detail detail)
{
    auto config = ProjectConfig::open(path);
    if (!config)
        return Result<Project>::failure(config.error());
    return load(config.value(), detail);
}

} // namespace Retort
