#include "plansql.h"

#include "sqlcache.h"

#include <algorithm>

namespace Retort {

Result<QList<StepSql>> PlanSql::prepare(const Project &project, const ConnectionProfile &profile,
                                        const MigrationPlan &plan, bool *fromCache,
                                        bool previewOnlineSteps)
{
    const RevisionGraph &g = project.graph;
    const bool upgrade = plan.steps.isEmpty() || plan.steps.first().upgrade;
    const QString dialect = profile.dialect();
    const QByteArray fingerprint = SqlCache::projectFingerprint(project.config);
    auto keyOf = [&](const PlanStep &s) {
        return SqlCache::key(fingerprint, g.fileOf(s.revision).path, dialect, s.upgrade);
    };
    auto sectionFor = [&](const PlanStep &s, const QString &sql) {
        const QString id = g.revision(s.revision).id;
        SqlSection section;
        section.upgrade = s.upgrade;
        section.sql = sql;
        if (s.upgrade)
            section.to = id;
        else
            section.from = {id};
        return section;
    };

    QList<SqlSection> cached;
    for (const PlanStep &s : plan.steps) {
        QString sql;
        if (!SqlCache::lookup(keyOf(s), &sql))
            break;
        cached.append(sectionFor(s, sql));
    }
    if (cached.size() == plan.steps.size()) {
        if (fromCache)
            *fromCache = true;
        return PlanExecutor::sqlForPlan(g, plan, cached, profile);
    }
    if (fromCache)
        *fromCache = false;

    const QStringList &current = plan.headsBefore;
    QList<SqlSection> sections;
    QHash<QString, QString> offline; // revision -> why Alembic cannot render it offline
    // Renders start:end; a step Alembic cannot render offline is noted and
    // the rest rendered from just after it, so that every other step keeps
    // its own SQL.
    // Whether every step of the plan has its SQL, or is known to need Alembic online.
    auto covered = [&] {
        for (const PlanStep &step : plan.steps) {
            const QString id = g.revision(step.revision).id;
            const bool found =
                offline.contains(id) ||
                std::any_of(sections.cbegin(), sections.cend(), [&](const SqlSection &section) {
                    return step.upgrade ? (section.upgrade && section.to == id)
                                        : (!section.upgrade && section.from == QStringList{id});
                });
            if (!found)
                return false;
        }
        return true;
    };
    auto renderRange = [&](QString start, const QString &end) -> Result<bool> {
        for (int attempt = 0; attempt <= plan.steps.size() + 1; ++attempt) {
            auto part =
                SqlRenderer::renderPartial(project.config, profile, start + u':' + end, upgrade);
            if (!part)
                return Result<bool>::failure(part.error());
            sections += part->sections;
            if (part->failed.isEmpty())
                return true;
            offline.insert(part->failed, part->why);
            if (covered())
                return true; // what follows is not part of this plan
            QString next = part->failed;
            if (!upgrade) {
                const int i = g.indexOf(part->failed);
                next = i < 0 || g.revision(i).downRevisions.isEmpty()
                           ? QStringLiteral("base")
                           : g.revision(i).downRevisions.first();
            }
            if (next == end)
                return true;
            if (next == start)
                break; // no progress
            start = next;
        }
        return Result<bool>::failure(
            QStringLiteral("Alembic could not render the plan offline, step after step"));
    };
    if (!upgrade && current.size() > 1) {
        for (const PlanStep &step : plan.steps) {
            const Revision &r = g.revision(step.revision);
            auto one = renderRange(r.id, PlanExecutor::onlineDestination(g, step));
            if (!one)
                return Result<QList<StepSql>>::failure(one.error());
        }
    } else {
        const QString start =
            upgrade ? (current.size() == 1 ? current.first() : QStringLiteral("base"))
                    : (current.size() == 1 ? current.first() : QStringLiteral("heads"));
        const QString end =
            upgrade
                ? (plan.headsAfter.size() == 1 ? plan.headsAfter.first() : QStringLiteral("heads"))
                : (plan.headsAfter.size() == 1 ? plan.headsAfter.first() : QStringLiteral("base"));
        auto all = renderRange(start, end);
        if (!all)
            return Result<QList<StepSql>>::failure(all.error());
    }
    for (const PlanStep &s : plan.steps) {
        const QString id = g.revision(s.revision).id;
        for (const SqlSection &section : std::as_const(sections)) {
            if (s.upgrade ? (section.upgrade && section.to == id)
                          : (!section.upgrade && section.from == QStringList{id}))
                SqlCache::store(keyOf(s), section.sql);
        }
    }
    auto steps = PlanExecutor::sqlForPlan(g, plan, sections, profile, offline);
    if (!steps)
        return steps;
    // The exact SQL of each online step, from a throwaway copy (SQLite).
    for (int i = 0; i < plan.steps.size(); ++i) {
        StepSql &sql = steps.value()[i];
        if (!sql.online || !previewOnlineSteps)
            continue;
        const Revision &r = g.revision(plan.steps.at(i).revision);
        const QStringList before = sql.upgrade ? r.downRevisions : QStringList{r.id};
        auto preview = SqlRenderer::previewOnline(project.config, profile, before, sql.upgrade,
                                                  sql.onlineDestination);
        if (preview)
            sql.preview = preview.value();
        else
            sql.previewWhy = preview.error();
    }
    return steps;
}

} // namespace Retort
