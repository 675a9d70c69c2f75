#include "gitfacts.h"

#include <QDir>
#include <QFileInfo>

#include <git2.h>

#include <memory>

namespace Retort {

namespace {

// libgit2 wants its global state set up once per process and use.
struct Library
{
    Library() { git_libgit2_init(); }
    ~Library() { git_libgit2_shutdown(); }
};

template<typename T, void (*Free)(T *)> struct Owned
{
    T *p = nullptr;
    ~Owned()
    {
        if (p)
            Free(p);
    }
    T **out() { return &p; }
    T *get() const { return p; }
};

QString lastError(const QString &what)
{
    const git_error *e = git_error_last();
    return QStringLiteral("%1: %2").arg(what, e && e->message ? QString::fromUtf8(e->message)
                                                              : QStringLiteral("unknown error"));
}

bool treeHas(git_tree *tree, const QByteArray &path)
{
    git_tree_entry *entry = nullptr;
    if (git_tree_entry_bypath(&entry, tree, path.constData()) != 0)
        return false;
    git_tree_entry_free(entry);
    return true;
}

} // namespace

Result<QHash<QString, GitFileFacts>> GitFacts::of(const QStringList &files,
                                                  const QHash<QString, GitFileFacts> &known)
{
    using Out = Result<QHash<QString, GitFileFacts>>;
    QHash<QString, GitFileFacts> facts;
    if (files.isEmpty())
        return facts;
    Library library;
    Owned<git_repository, git_repository_free> repo;
    const QByteArray start = QFile::encodeName(QFileInfo(files.first()).absolutePath());
    if (git_repository_open_ext(repo.out(), start.constData(), 0, nullptr) != 0)
        return Out::failure(
            lastError(QStringLiteral("Not in a git work tree (%1)")
                          .arg(QDir::toNativeSeparators(QFileInfo(files.first()).absolutePath()))));
    const char *workdir = git_repository_workdir(repo.get());
    if (!workdir)
        return Out::failure(QStringLiteral("The repository has no work tree."));
    const QDir root(QFile::decodeName(workdir));
    const QString canonicalRoot = QFileInfo(root.absolutePath()).canonicalFilePath();

    // Paths relative to the work tree, as trees name them.
    QHash<QByteArray, QString> pending; // relative path -> the caller's path
    for (const QString &f : files) {
        facts.insert(f, GitFileFacts());
        const QString canonical = QFileInfo(f).canonicalFilePath();
        const QString relative =
            QDir(canonicalRoot).relativeFilePath(canonical.isEmpty() ? f : canonical);
        if (!relative.startsWith(QStringLiteral("..")))
            pending.insert(relative.toUtf8(), f);
    }

    // What the work tree has that HEAD does not: one status scan.
    {
        git_status_options options = GIT_STATUS_OPTIONS_INIT;
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
        Owned<git_status_list, git_status_list_free> status;
        if (git_status_list_new(status.out(), repo.get(), &options) == 0) {
            const size_t n = git_status_list_entrycount(status.get());
            for (size_t i = 0; i < n; ++i) {
                const git_status_entry *e = git_status_byindex(status.get(), i);
                const git_diff_delta *d =
                    e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
                if (!d || !d->new_file.path)
                    continue;
                const auto it = pending.constFind(QByteArray(d->new_file.path));
                if (it == pending.cend())
                    continue;
                GitFileFacts &f = facts[it.value()];
                if (e->status & GIT_STATUS_WT_NEW)
                    f.untracked = true;
                else if (e->status & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_INDEX_MODIFIED |
                                      GIT_STATUS_INDEX_NEW | GIT_STATUS_WT_RENAMED |
                                      GIT_STATUS_INDEX_RENAMED | GIT_STATUS_WT_TYPECHANGE))
                    f.modified = true;
            }
        }
    }

    // The adding commits an earlier call at this HEAD found stay true.
    for (auto it = pending.begin(); it != pending.end();) {
        const auto k = known.constFind(it.value());
        if (k == known.cend() || !k->committed) {
            ++it;
            continue;
        }
        GitFileFacts &f = facts[it.value()];
        f.committed = true;
        f.commit = k->commit;
        f.author = k->author;
        f.when = k->when;
        f.subject = k->subject;
        it = pending.erase(it);
    }

    // Walk from HEAD, newest first: a file is added by the oldest commit
    // whose tree has it while its first parent's does not. (An empty
    // repository, or a detached unborn HEAD, has nothing committed.)
    Owned<git_revwalk, git_revwalk_free> walk;
    if (git_revwalk_new(walk.out(), repo.get()) != 0)
        return Out::failure(lastError(QStringLiteral("Cannot walk the history")));
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
    if (git_revwalk_push_head(walk.get()) != 0)
        return facts; // nothing committed yet
    // What HEAD does not have was never committed (or was deleted): no
    // need to walk the whole history for it.
    {
        Owned<git_object, git_object_free> head;
        if (git_revparse_single(head.out(), repo.get(), "HEAD^{tree}") == 0) {
            auto *tree = reinterpret_cast<git_tree *>(head.get());
            for (auto it = pending.begin(); it != pending.end();)
                it = treeHas(tree, it.key()) ? std::next(it) : pending.erase(it);
        }
    }
    git_oid oid;
    while (!pending.isEmpty() && git_revwalk_next(&oid, walk.get()) == 0) {
        Owned<git_commit, git_commit_free> commit;
        Owned<git_tree, git_tree_free> tree;
        if (git_commit_lookup(commit.out(), repo.get(), &oid) != 0 ||
            git_commit_tree(tree.out(), commit.get()) != 0)
            continue;
        Owned<git_commit, git_commit_free> parent;
        Owned<git_tree, git_tree_free> parentTree;
        const bool hasParent = git_commit_parentcount(commit.get()) > 0 &&
                               git_commit_parent(parent.out(), commit.get(), 0) == 0 &&
                               git_commit_tree(parentTree.out(), parent.get()) == 0;
        for (auto it = pending.begin(); it != pending.end();) {
            if (!treeHas(tree.get(), it.key())) {
                // Not in this commit: not committed at all (if never seen), or
                // added later, already recorded.
                ++it;
                continue;
            }
            if (!hasParent || !treeHas(parentTree.get(), it.key())) {
                GitFileFacts &f = facts[it.value()];
                f.committed = true;
                char hex[GIT_OID_HEXSZ + 1];
                git_oid_tostr(hex, sizeof hex, &oid);
                f.commit = QString::fromLatin1(hex);
                const git_signature *author = git_commit_author(commit.get());
                f.author = QString::fromUtf8(author->name);
                f.when = QDateTime::fromSecsSinceEpoch(author->when.time);
                if (const char *summary = git_commit_summary(commit.get()))
                    f.subject = QString::fromUtf8(summary);
                it = pending.erase(it);
            } else {
                ++it;
            }
        }
    }

    // Which remote-tracking branches contain each adding commit.
    Owned<git_branch_iterator, git_branch_iterator_free> branches;
    if (git_branch_iterator_new(branches.out(), repo.get(), GIT_BRANCH_REMOTE) != 0)
        return facts;
    git_reference *ref = nullptr;
    git_branch_t type;
    while (git_branch_next(&ref, &type, branches.get()) == 0) {
        std::unique_ptr<git_reference, void (*)(git_reference *)> owned(ref, git_reference_free);
        const char *name = nullptr;
        git_branch_name(&name, ref);
        const git_oid *tip = git_reference_target(ref);
        if (!tip || !name || QByteArray(name).endsWith("/HEAD"))
            continue;
        for (const QString &file : files) {
            GitFileFacts &f = facts[file];
            if (!f.committed || f.pushed)
                continue;
            git_oid added;
            git_oid_fromstr(&added, f.commit.toLatin1().constData());
            if (git_oid_equal(tip, &added) ||
                git_graph_descendant_of(repo.get(), tip, &added) == 1) {
                f.pushed = true;
                f.remoteBranch = QString::fromUtf8(name);
            }
        }
    }
    return facts;
}

QString GitFacts::head(const QString &path)
{
    Library library;
    Owned<git_repository, git_repository_free> repo;
    const QByteArray start = QFile::encodeName(QFileInfo(path).absolutePath());
    if (git_repository_open_ext(repo.out(), start.constData(), 0, nullptr) != 0)
        return {};
    git_oid oid;
    if (git_reference_name_to_id(&oid, repo.get(), "HEAD") != 0)
        return {};
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &oid);
    return QString::fromLatin1(hex);
}

} // namespace Retort
