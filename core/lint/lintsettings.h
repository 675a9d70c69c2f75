#pragma once

#include "core/script/projectconfig.h"
#include "namingscheme.h"

#include <QStringList>

namespace Retort {

// A team's choices, in `retort.ini` beside alembic.ini (committed with the
// project):
//
//   [naming]
//   scheme = sequential      ; sequential | hash | date | auto (default)
//   width = 3                ; digits of the sequential number
//   [lint]
//   disable = data-loss, naming-gap
//   [alembic]
//   command = poetry run alembic    ; how to run Alembic for this project
struct LintSettings
{
    bool schemeSet = false;
    NamingScheme::Kind scheme = NamingScheme::Kind::Hash;
    int width = 0; // 0: detect
    QStringList disabled;
    QStringList alembicCommand; // [alembic] command = .venv/bin/alembic (split on spaces)
    QString error;              // a malformed file, said plainly; the defaults apply

    static QString fileFor(const ProjectConfig &config);
    static LintSettings read(const ProjectConfig &config);
};

} // namespace Retort
