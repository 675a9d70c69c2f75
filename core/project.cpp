#include "project.h"
#include "script/revisionscanner.h"

namespace Retort {

Project Project::load(const ProjectConfig &config)
{
    Project p;
    p.config = config;
    const QStringList paths = RevisionScanner::listFiles(config, &p.listingDiagnostics);
    p.graph = RevisionGraph::build(RevisionScanner::readFiles(paths));
    return p;
}

Result<Project> Project::open(const QString &path)
{
    auto config = ProjectConfig::open(path);
    if (!config)
        return Result<Project>::failure(config.error());
    return load(config.value());
}

} // namespace Retort
