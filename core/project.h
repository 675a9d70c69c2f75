#pragma once

#include "graph/revisiongraph.h"
#include "lint/namingscheme.h"
#include "result.h"
#include "script/projectconfig.h"
#include "script/revisionreader.h"

namespace Retort {

// A loaded project: its configuration and its revision graph.
struct Project
{
    ProjectConfig config;
    RevisionGraph graph;
    Diagnostics listingDiagnostics; // version locations that could not be read
    Diagnostics lintDiagnostics;    // review checks; read with Detail::Full only
    NamingScheme scheme;            // detected, or as retort.ini says

    // Every problem of the project: listing, then the graph's, then lint's.
    Diagnostics diagnostics() const
    {
        return listingDiagnostics + graph.diagnostics() + lintDiagnostics;
    }

    // The id of the revision `path` declares, or empty.
    QString revisionOfFile(const QString &path) const
    {
        for (const Revision &r : graph.revisions()) {
            if (graph.files().at(r.file).path == path)
                return r.id;
        }
        return {};
    }
    // The key its connection profiles and run log go by: the config file,
    // or the versions folder.
    QString key() const { return config.key(); }

    // Lists and reads every revision file of `config` and builds the graph.
    static Project load(const ProjectConfig &config,
                        RevisionReader::Detail detail = RevisionReader::Detail::Full);
    // ProjectConfig::open() followed by load().
    static Result<Project> open(const QString &path,
                                RevisionReader::Detail detail = RevisionReader::Detail::Full);
};

} // namespace Retort
