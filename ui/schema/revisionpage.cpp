#include "revisionpage.h"

#include "core/script/operationsummary.h"

#include <QDir>

namespace Retort {

QString RevisionPage::gitLine() const
{
    if (!git)
        return {};
    if (git->committed)
        return QStringLiteral("%1, %2, commit %3: %4")
            .arg(git->author, git->when.toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                 git->commit.left(10), git->subject);
    return git->untracked ? QStringLiteral("untracked") : QStringLiteral("not committed");
}

RevisionPage RevisionPage::of(const Project &project, int revision,
                              const QHash<QString, GitFileFacts> &git)
{
    const RevisionGraph &g = project.graph;
    const Revision &rev = g.revision(revision);
    const RevisionFile &f = g.fileOf(revision);
    RevisionPage page;
    page.id = rev.id;
    page.message = f.message.trimmed();
    page.path = QDir(project.config.projectDir).relativeFilePath(f.path);
    for (int p : rev.parents + rev.dependencyParents)
        page.parents.append(g.revision(p).id);
    page.created = f.docCreateDate;
    page.operations = summarizeOperations(f.upgrade);
    if (auto it = git.constFind(f.path); it != git.cend())
        page.git = *it;
    return page;
}

} // namespace Retort
