// The git facts as a module the command line loads only when a command asks
// git (a guarded downgrade or stamp): linking libgit2 into `retort` itself
// would cost every command's start.
#include "core/vcs/gitfacts.h"

extern "C" __attribute__((visibility("default"))) bool
retortGitFacts(const QStringList &files, QHash<QString, Retort::GitFileFacts> *facts,
               QString *error)
{
    auto result = Retort::GitFacts::of(files);
    if (!result) {
        *error = result.error();
        return false;
    }
    *facts = result.value();
    return true;
}
