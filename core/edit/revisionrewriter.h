#pragma once

#include "core/project.h"
#include "editplan.h"

#include "core/db/versiontable.h"

#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace Retort {

// Plans the review workflow's mechanical edits as previewable, all-or-nothing
// EditPlans: normalize fresh revisions to the project's NNN_slug scheme,
// write a merge revision for the heads, and re-parent a revision that was
// made on an older head. Plans read the files afresh; nothing is written
// until EditPlan::apply().
class RevisionRewriter
{
public:
    // `known`: what the project's databases were last read to record (the
    // window passes its own readings, so a preview never connects). Without
    // it, every database is read here, with short timeouts.
    explicit RevisionRewriter(const Project &project,
                              std::optional<QList<RecordedVersions>> known = {})
        : m_project(project)
        , m_known(std::move(known))
    {}

    // `targets`: revision ids, prefixes or file names; empty means every
    // revision not named by the scheme yet. `number` and `slug` (for one
    // target) override the proposal.
    Result<EditPlan> normalize(const QStringList &targets, int number = -1,
                               const QString &slug = {}) const;
    Result<EditPlan> merge(const QString &message = {}) const;
    Result<EditPlan> reparent(const QString &revision, const QString &onto) const;
    // Removes Alembic's "### commands auto generated ... ###" and "### end
    // Alembic commands ###" marker lines: the operations were reviewed.
    Result<EditPlan> markReviewed(const QString &revision) const;

    // The next free sequential number, ignoring the given revisions.
    int nextNumber(const QList<int> &ignoring = {}) const;
    // Why `id` cannot be a revision id, or empty when it can.
    static QString invalidIdReason(const QString &id);
    // The slug normalize proposes: from the message, else the file name.
    QString proposedSlug(int revision) const;

private:
    struct Change
    {
        int revision = -1;
        QString newId;                      // empty: keep
        std::optional<QStringList> newDown; // set: replace down_revision
    };
    Result<EditPlan> build(const QList<Change> &changes, const QString &title) const;
    Result<int> resolve(const QString &target) const;
    // Why a file that a rename of `oldIds` might have to change cannot be
    // trusted, or empty.
    QString unreadableReferrer(const QStringList &oldIds, const QSet<QString> &touched) const;
    // Why `after` does not read back with the intended identifiers, or empty.
    static QString readsBack(const RevisionFile &before, const QByteArray &after, const QString &id,
                             const QStringList &down, const QStringList &deps);
    void checkDatabases(const QStringList &oldIds, EditPlan *plan) const;
    QString sequentialId(int number, const QString &slug, bool userSlug, QStringList *notes,
                         QString *error) const;

    const Project &m_project;
    std::optional<QList<RecordedVersions>> m_known;
};

} // namespace Retort
