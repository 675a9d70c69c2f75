#include "plansql.h"

#include "sqlcache.h"

namespace Retort {

Result<QList<StepSql>> PlanSql::prepare(const Project &project, const ConnectionProfile &profile,
                                        const MigrationPlan &plan, bool *fromCache)
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
    Result<QList<SqlSection>> sections = QList<SqlSection>();
    if (!upgrade && current.size() > 1) {
        for (const PlanStep &step : plan.steps) {
            const Revision &r = g.revision(step.revision);
            const QString to =
                r.downRevisions.isEmpty() ? QStringLiteral("base") : r.downRevisions.first();
            auto one = SqlRenderer::render(project.config, profile, r.id + u':' + to, false);
            if (!one)
                return Result<QList<StepSql>>::failure(one.error());
            sections.value().append(one.value());
        }
    } else {
        QString range;
        if (upgrade)
            range =
                (current.size() == 1 ? current.first() : QStringLiteral("base")) + u':' +
                (plan.headsAfter.size() == 1 ? plan.headsAfter.first() : QStringLiteral("heads"));
        else
            range =
                (current.size() == 1 ? current.first() : QStringLiteral("heads")) + u':' +
                (plan.headsAfter.size() == 1 ? plan.headsAfter.first() : QStringLiteral("base"));
        sections = SqlRenderer::render(project.config, profile, range, upgrade);
        if (!sections)
            return Result<QList<StepSql>>::failure(sections.error());
    }
    for (const PlanStep &s : plan.steps) {
        const QString id = g.revision(s.revision).id;
        for (const SqlSection &section : sections.value()) {
            if (s.upgrade ? (section.upgrade && section.to == id)
                          : (!section.upgrade && section.from == QStringList{id}))
                SqlCache::store(keyOf(s), section.sql);
        }
    }
    return PlanExecutor::sqlForPlan(g, plan, sections.value(), profile);
}

} // namespace Retort
