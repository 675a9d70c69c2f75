#include "schemahistory.h"

#include "core/db/scopedconnection.h"
#include "core/db/versiontable.h"
#include "core/graph/revisionresolver.h"
#include "core/run/migrationplan.h"
#include "core/run/planexecutor.h"
#include "core/run/plansql.h"
#include "core/run/sqlcache.h"
#include "core/run/sqlrenderer.h"
#include "introspector.h"
#include "scratchdatabase.h"
#include "snapshotcache.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

namespace {

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("\0unreadable", 11);
}

// Whether every revision of `a` is in `b`.
bool subsetOf(const QBitArray &a, const QBitArray &b)
{
    return (a & ~b).count(true) == 0;
}

} // namespace

QString SchemaHistory::Failure::describe() const
{
    QString out = QStringLiteral("the replay stopped at %1: %2").arg(revision, error);
    if (!statement.isEmpty())
        out += QStringLiteral("\n  in: ") + statement.simplified().left(300);
    return out;
}

SchemaHistory::SchemaHistory(const Project &project, const QString &dialect, SnapshotCache *cache)
    : m_project(project)
    , m_dialect(dialect)
    , m_cache(cache)
{
    const RevisionGraph &g = project.graph;
    if (g.size() == 0) {
        return;
    }
    if (g.hasCycles()) {
        m_unusable = QStringLiteral("the history has a cycle, so it has no upgrade order");
        return;
    }
    auto plan = MigrationPlan::make(g, {}, QStringLiteral("heads"), true);
    if (!plan) {
        m_unusable = plan.error();
        return;
    }
    m_fullPlan = plan.value();
    QByteArray base = SqlCache::projectFingerprint(project.config);
    if (base.isEmpty())
        base = fileBytes(project.config.configFile) +
               fileBytes(project.config.scriptLocation + QStringLiteral("/env.py"));
    base += dialect.toUtf8();
    const int n = g.size();
    for (const PlanStep &step : plan->steps) {
        const int r = step.revision;
        m_order.append(r);
        const Revision &rev = g.revision(r);
        QBitArray ancestors(n);
        ancestors.setBit(r);
        QStringList parentKeys;
        for (const QList<int> *parents : {&rev.parents, &rev.dependencyParents}) {
            for (int p : *parents) {
                ancestors |= m_ancestors.value(p, QBitArray(n));
                parentKeys.append(m_keys.value(p));
            }
        }
        parentKeys.sort();
        parentKeys.removeDuplicates();
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(base);
        hash.addData(rev.id.toUtf8());
        hash.addData(fileBytes(g.fileOf(r).path));
        hash.addData(parentKeys.join(u',').toLatin1());
        m_keys.insert(r, QString::fromLatin1(hash.result().toHex()));
        m_depth.insert(r, int(ancestors.count(true)));
        m_ancestors.insert(r, ancestors);
    }
}

SchemaHistory::~SchemaHistory()
{
    // A probe still asking Alembic finishes before its file's folder goes.
    if (m_probe.isValid())
        m_probe.waitForFinished();
}

bool SchemaHistory::usable(QString *why) const
{
    if (!m_unusable.isEmpty()) {
        *why = m_unusable;
        return false;
    }
    return true;
}

QList<int> SchemaHistory::ancestry(int revision) const
{
    QList<int> out;
    const QBitArray set = m_ancestors.value(revision);
    for (int r : m_order)
        if (set.size() > r && set.testBit(r))
            out.append(r);
    return out;
}

Schema SchemaHistory::empty() const
{
    Schema s;
    s.dialect = m_dialect;
    return s;
}

std::optional<Schema> SchemaHistory::snapshot(int revision)
{
    if (auto it = m_memory.constFind(revision); it != m_memory.cend())
        return *it;
    if (!m_cache || !m_keys.contains(revision))
        return std::nullopt;
    auto s = m_cache->load(m_keys.value(revision));
    if (s)
        remember(revision, *s);
    return s;
}

QList<int> SchemaHistory::missing(const QList<int> &targets)
{
    QBitArray wanted(m_project.graph.size(), targets.isEmpty());
    for (int t : targets)
        wanted |= m_ancestors.value(t, QBitArray(m_project.graph.size()));
    const QSet<QString> stored = m_cache ? m_cache->keys() : QSet<QString>();
    QList<int> out;
    for (int r : m_order)
        if (wanted.testBit(r) && !m_memory.contains(r) && !stored.contains(m_keys.value(r)))
            out.append(r);
    return out;
}

void SchemaHistory::remember(int revision, const Schema &schema)
{
    // With a cache on disk, memory holds the latest snapshots only (a
    // replay needs the parent's; the rest are a read away).
    if (!m_memory.contains(revision))
        m_recent.append(revision);
    m_memory.insert(revision, schema);
    while (m_cache && m_recent.size() > kKeptInMemory)
        m_memory.remove(m_recent.takeFirst());
}

void SchemaHistory::keep(int revision, const Schema &schema)
{
    // A delta over the parent's snapshot while the deltas since the last
    // full one add up to less than the schema itself (so keeping costs about
    // one table per changed table, and a read applies a bounded chain); else
    // a full snapshot.
    const Revision &r = m_project.graph.revision(revision);
    const QList<int> parents = r.parents + r.dependencyParents;
    const Schema *base = nullptr;
    int chain = 0;
    if (!parents.isEmpty()) { // a merge: a delta over its first parent
        auto it = m_memory.constFind(parents.first());
        chain = m_chainCost.value(parents.first(), -1);
        if (it != m_memory.cend() && chain >= 0 &&
            chain < std::max<qsizetype>(kCheckpointEvery, schema.tables.size()))
            base = &*it;
    }
    const int written = m_cache->store(m_keys.value(revision), r.id, schema,
                                       base ? m_keys.value(parents.first()) : QString(), base);
    m_chainCost.insert(revision, base ? chain + std::max(1, written) : 0);
}

bool SchemaHistory::wantsCheckpoint(int revision) const
{
    // A branch point: its other branches start there. (A merge needs none:
    // the database at one parent is on the way to it.) And every
    // kCheckpointEvery revisions of depth, for edits.
    return m_project.graph.revision(revision).isRealBranchPoint() ||
           m_depth.value(revision) % kCheckpointEvery == 0;
}

Result<SchemaHistory::Stats>
SchemaHistory::replay(ScratchDatabase &scratch, const QList<int> &targets,
                      const std::function<void(const Progress &)> &progress,
                      const std::atomic<bool> *cancel)
{
    using R = Result<Stats>;
    QElapsedTimer timer;
    timer.start();
    m_failure.reset();
    Stats stats;
    QString why;
    if (!usable(&why))
        return R::failure(why);
    if (scratch.dialect() != m_dialect)
        return R::failure(QStringLiteral("the scratch database is %1, the snapshots are %2")
                              .arg(scratch.dialect(), m_dialect));
    const QList<int> needed = missing(targets);
    if (needed.isEmpty())
        return stats;
    const RevisionGraph &g = m_project.graph;
    const int n = g.size();

    QElapsedTimer phase;
    phase.start();
    probeAhead(scratch.profile());
    // Whatever happens, the probe ends with the replay: its file lives beside
    // the scratch database.
    const auto settle = qScopeGuard([this] {
        if (m_probe.isValid())
            m_probe.waitForFinished();
    });
    auto sqlReady = render(scratch.profile());
    if (!sqlReady)
        return R::failure(sqlReady.error());
    stats.renderMs = phase.elapsed();
    QBitArray wanted(n);
    for (int r : needed)
        wanted.setBit(r);
    Introspector introspector(scratch.profile().versionTable);
    introspector.setIncremental(scratch.dialect() == u"sqlite");
    const ConnectionProfile profile = scratch.profile();

    auto fresh = scratch.reset();
    if (!fresh)
        return R::failure(fresh.error());
    QBitArray applied(n);
    QStringList heads;
    int done = 0;
    // One connection to the working database for the whole replay (opening
    // one makes SQLite parse the whole schema): closed only while the
    // database is replaced, or copied where that needs it alone.
    std::optional<ScopedConnection> working;
    QString connectError;
    auto connection = [&]() -> ScopedConnection * {
        if (!working) {
            working.emplace(profile);
            if (!working->open(&connectError)) {
                working.reset();
                return nullptr;
            }
        }
        return &*working;
    };

    for (int target : needed) {
        if (!wanted.testBit(target))
            continue; // made on the way to an earlier target
        if (cancel && cancel->load())
            break;
        const QBitArray &goal = m_ancestors.value(target);
        // Start from what the database holds, or from the largest checkpoint
        // on the way, or from empty.
        int bestCheckpoint = -1;
        int bestSize = subsetOf(applied, goal) ? int(applied.count(true)) : -1;
        const bool onTheWay = bestSize > 0; // the usual case: the next revision of a chain
        for (int r : m_order) {
            if (onTheWay)
                break;
            if (goal.testBit(r) && m_depth.value(r) > bestSize &&
                scratch.hasCheckpoint(m_keys.value(r))) {
                bestCheckpoint = r;
                bestSize = m_depth.value(r);
            }
        }
        if (bestCheckpoint >= 0) {
            working.reset();
            // A checkpoint that cannot be restored (its file went with a
            // cleared cache) is no loss: start from empty instead.
            if (!scratch.restore(m_keys.value(bestCheckpoint))) {
                bestCheckpoint = -1;
                bestSize = -1;
            }
        }
        if (bestCheckpoint >= 0) {
            ++stats.restores;
            applied = m_ancestors.value(bestCheckpoint);
            ScopedConnection *c = connection();
            if (!c)
                return R::failure(connectError);
            auto recorded = VersionTable::read(*c);
            if (!recorded)
                return R::failure(recorded.error());
            heads = recorded.value();
        } else if (bestSize < 0) {
            working.reset();
            auto again = scratch.reset();
            if (!again)
                return R::failure(again.error());
            applied = QBitArray(n);
            heads.clear();
        }

        auto plan = MigrationPlan::make(g, heads, g.revision(target).id, true);
        if (!plan)
            return R::failure(plan.error());
        ScopedConnection *c = connection();
        if (!c)
            return R::failure(connectError);
        QString readError;
        auto afterStep = [&](int i) {
            const int r = plan->steps.at(i).revision;
            applied.setBit(r);
            ++stats.stepsExecuted;
            if (applied.count(true) != m_depth.value(r) || !wanted.testBit(r))
                return true;
            phase.restart();
            auto schema = introspector.read(c->database(), m_dialect);
            if (!schema) {
                readError = schema.error();
                return false;
            }
            stats.readMs += phase.restart();
            remember(r, schema.value());
            if (m_cache)
                keep(r, schema.value());
            stats.storeMs += phase.elapsed();
            wanted.clearBit(r);
            ++stats.snapshots;
            if (progress)
                progress({++done, int(needed.size()), g.revision(r).id, timer.elapsed()});
            return !(cancel && cancel->load());
        };
        if (m_cache)
            m_cache->begin();
        runPlan(profile, plan.value(), afterStep, c);
        if (m_cache)
            m_cache->commit();
        if (!readError.isEmpty())
            return R::failure(
                QStringLiteral("reading the scratch schema failed: %1").arg(readError));
        if (m_failure)
            return R::failure(m_failure->describe());
        if (cancel && cancel->load())
            break;
        heads = plan->headsAfter;
        // Checkpoint where later work will want to come back.
        if (wantsCheckpoint(target) && !scratch.hasCheckpoint(m_keys.value(target))) {
            if (scratch.checkpointNeedsTheDatabaseAlone())
                working.reset();
            auto kept = scratch.checkpoint(m_keys.value(target));
            if (kept)
                ++stats.checkpoints;
        }
    }
    working.reset();
    // A database upgraded to every head (`retort schema` shows heads by
    // default) is one more state worth keeping.
    auto resolved = RevisionResolver(g).revisions(QStringLiteral("heads"));
    const QList<int> allHeads =
        resolved ? QList<int>(resolved->cbegin(), resolved->cend()) : QList<int>();
    if (targets.isEmpty() && allHeads.size() > 1 && !(cancel && cancel->load()) &&
        !stateAt(allHeads)) {
        auto all = stateAt(scratch, allHeads);
        if (!all)
            return R::failure(all.error());
    }
    stats.milliseconds = timer.elapsed();
    return stats;
}

Result<bool> SchemaHistory::render(const ConnectionProfile &profile)
{
    if (m_sqlFor == profile.dialect() && !m_sqlOf.isEmpty())
        return true;
    if (QString why; !usable(&why))
        return Result<bool>::failure(why);
    // Every step's SQL, rendered by Alembic in one run: the plan from empty
    // to every head, made once in the constructor.
    const MigrationPlan &full = m_fullPlan;
    auto rendered = PlanSql::prepare(m_project, profile, full, nullptr, false);
    if (!rendered)
        return Result<bool>::failure(
            QStringLiteral("Alembic could not render the history: %1").arg(rendered.error()));
    m_sqlOf.clear();
    for (int i = 0; i < full.steps.size(); ++i)
        m_sqlOf.insert(full.steps.at(i).revision, rendered->at(i));
    m_sqlFor = profile.dialect();
    return true;
}

namespace {

// Alembic runs env.py, which may connect wherever it likes (an environment
// variable, the application's settings) instead of the URL Retort hands it.
// Before any revision runs through Alembic online, a scratch database's
// version table holds a one-off id; `alembic current`, handed that database,
// must name it, or Alembic is looking at another database.
Result<bool> alembicReaches(const ProjectConfig &config, ScopedConnection &connection)
{
    auto before = VersionTable::read(connection);
    if (!before)
        return Result<bool>::failure(before.error());
    const QString probe =
        QStringLiteral("retort_probe_") + QUuid::createUuid().toString(QUuid::Id128).left(12);
    auto stamped = VersionTable::stamp(connection, {probe});
    if (!stamped)
        return Result<bool>::failure(stamped.error());
    bool ok = false;
    auto said = SqlRenderer::runOnlineCommand(config, connection.profile(),
                                              {QStringLiteral("current")}, &ok);
    auto back = VersionTable::stamp(connection, before.value());
    if (!back)
        return Result<bool>::failure(back.error());
    if (said && said->contains(probe))
        return true;
    return Result<bool>::failure(
        QStringLiteral("Alembic, given the scratch database, looked at another one: env.py does "
                       "not connect to the sqlalchemy.url Retort hands it (Alembic said: %1). A "
                       "replay runs no revision through Alembic online unless it reaches the "
                       "scratch database.")
            .arg(said ? said->trimmed().section(u'\n', -1) : said.error()));
}

} // namespace

void SchemaHistory::probeAhead(const ConnectionProfile &scratch)
{
    // SQLite: the same question, asked of a file of its own beside the
    // scratch database while Alembic renders (another core, another
    // process), so an online step later need not wait for it.
    if (scratch.driver != ConnectionProfile::Driver::SQLite || m_probe.isValid() ||
        m_onlineVerified == scratch.alembicUrl())
        return;
    ConnectionProfile probe = scratch;
    probe.database = QFileInfo(scratch.database).absolutePath() + QStringLiteral("/probe.db");
    probe.url = QStringLiteral("sqlite:///") + probe.database;
    m_probeFor = scratch.alembicUrl();
    m_probe = QtConcurrent::run([config = m_project.config, probe]() -> Result<bool> {
        Result<bool> out = Result<bool>::failure(QString());
        {
            ScopedConnection c(probe);
            QString error;
            out = c.open(&error) ? alembicReaches(config, c) : Result<bool>::failure(error);
        }
        QFile::remove(probe.database);
        return out;
    });
}

Result<bool> SchemaHistory::verifyOnlineReachesScratch(const ConnectionProfile &profile,
                                                       ScopedConnection &connection)
{
    if (m_probe.isValid() && m_probeFor == profile.alembicUrl())
        return m_probe.result();
    return alembicReaches(m_project.config, connection);
}

bool SchemaHistory::runPlan(const ConnectionProfile &profile, const MigrationPlan &plan,
                            const std::function<bool(int)> &afterStep, ScopedConnection *connection)
{
    QList<StepSql> sql;
    bool online = false;
    for (const PlanStep &step : plan.steps) {
        sql.append(m_sqlOf.value(step.revision));
        online = online || sql.last().online;
    }
    if (online && m_onlineVerified != profile.alembicUrl()) {
        std::optional<ScopedConnection> own;
        if (!connection) {
            own.emplace(profile);
            QString error;
            if (!own->open(&error)) {
                m_failure = Failure{QString(), QString(), error};
                return false;
            }
        }
        auto verified = verifyOnlineReachesScratch(profile, connection ? *connection : *own);
        if (!verified) {
            const auto first =
                std::find_if(sql.cbegin(), sql.cend(), [](const StepSql &s) { return s.online; });
            m_failure = Failure{first->revision, QString(),
                                QStringLiteral("it cannot be rendered offline (%1), and %2")
                                    .arg(first->offlineWhy.trimmed(), verified.error())};
            return false;
        }
        m_onlineVerified = profile.alembicUrl();
    }
    PlanExecutor executor(profile, plan, sql);
    executor.setProjectConfig(m_project.config);
    executor.useConnection(connection);
    for (int i = 0; i < plan.steps.size(); ++i)
        executor.approve(i); // scratch: online steps need no question
    QObject::connect(&executor, &PlanExecutor::stepFinished, [&](int i, qint64) {
        if (afterStep && !afterStep(i))
            executor.cancel();
    });
    QObject::connect(
        &executor, &PlanExecutor::failed,
        [&](int, const QString &revision, const QString &statement, const QString &error) {
            m_failure = Failure{revision, statement, error};
        });
    return executor.run();
}

QString SchemaHistory::keyOf(const QList<int> &heads) const
{
    if (heads.size() == 1)
        return keyOf(heads.first());
    QStringList keys;
    for (int h : heads)
        keys.append(keyOf(h));
    keys.sort();
    return QString::fromLatin1(
        QCryptographicHash::hash(keys.join(u',').toLatin1(), QCryptographicHash::Sha256).toHex());
}

Result<bool> SchemaHistory::materialize(ScratchDatabase &scratch, const QList<int> &heads)
{
    auto sqlReady = render(scratch.profile());
    if (!sqlReady)
        return sqlReady;
    // From the largest checkpoint under one of the heads, else from empty.
    int best = -1;
    for (int r : m_order) {
        bool under = false;
        for (int h : heads)
            under = under || isAncestor(r, h);
        if (under && (best < 0 || m_depth.value(r) > m_depth.value(best)) &&
            scratch.hasCheckpoint(m_keys.value(r)))
            best = r;
    }
    QStringList current;
    if (best >= 0) {
        auto back = scratch.restore(m_keys.value(best));
        if (!back)
            return back;
        current = {m_project.graph.revision(best).id};
    } else {
        auto fresh = scratch.reset();
        if (!fresh)
            return fresh;
    }
    m_failure.reset();
    for (int head : heads) {
        auto plan =
            MigrationPlan::make(m_project.graph, current, m_project.graph.revision(head).id, true);
        if (!plan)
            return Result<bool>::failure(plan.error());
        if (!runPlan(scratch.profile(), plan.value(), {}))
            return Result<bool>::failure(m_failure ? m_failure->describe()
                                                   : QStringLiteral("the replay did not finish"));
        current = plan->headsAfter;
    }
    return true;
}

Result<Schema> SchemaHistory::stateAt(ScratchDatabase &scratch, const QList<int> &heads)
{
    using R = Result<Schema>;
    if (heads.isEmpty())
        return empty();
    if (auto cached = stateAt(heads))
        return *cached;
    auto replayed = replay(scratch, heads);
    if (!replayed)
        return R::failure(replayed.error());
    if (heads.size() == 1) {
        auto s = snapshot(heads.first());
        return s ? R(*s) : R::failure(QStringLiteral("no snapshot was made"));
    }
    // Several heads: Alembic upgraded to each, one after the other.
    auto made = materialize(scratch, heads);
    if (!made)
        return R::failure(made.error());
    ScopedConnection c(scratch.profile());
    QString error;
    if (!c.open(&error))
        return R::failure(error);
    auto schema = Introspector(scratch.profile().versionTable).read(c.database(), m_dialect);
    if (schema && m_cache) {
        QStringList ids;
        for (int h : heads)
            ids.append(m_project.graph.revision(h).id);
        m_cache->store(keyOf(heads), ids.join(u' '), schema.value());
    }
    return schema;
}

std::optional<Schema> SchemaHistory::stateAt(const QList<int> &heads)
{
    if (heads.isEmpty())
        return empty();
    if (heads.size() == 1)
        return snapshot(heads.first());
    return m_cache ? m_cache->load(keyOf(heads)) : std::nullopt;
}

SchemaSource SchemaHistory::source()
{
    SchemaSource out = SchemaSource::over(m_project.graph, m_order, empty(),
                                          [this](int r) { return snapshot(r); });
    const QList<int> heads = m_project.graph.heads();
    if (heads.size() > 1)
        out.atHeads = [this, heads] { return stateAt(heads); };
    return out;
}

} // namespace Retort
