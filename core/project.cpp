#include "project.h"
#include "script/revisionscanner.h"

#include <QElapsedTimer>

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
    const QStringList paths = RevisionScanner::listFiles(config, &p.listingDiagnostics);
    phase("list");
    QList<RevisionFile> files = RevisionScanner::readFiles(paths, detail);
    phase("read");
    p.graph = RevisionGraph::build(std::move(files));
    phase("graph");
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
