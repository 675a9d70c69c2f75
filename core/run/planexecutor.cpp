#include "planexecutor.h"

#include "core/db/scopedconnection.h"

#include "core/db/versiontable.h"
#include <optional>

#include <QElapsedTimer>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace Retort {

namespace {

StatementSplitter::Dialect splitterDialect(const ConnectionProfile &p)
{
    switch (p.driver) {
    case ConnectionProfile::Driver::SQLite:
        return StatementSplitter::Dialect::SQLite;
    case ConnectionProfile::Driver::PostgreSQL:
        return StatementSplitter::Dialect::PostgreSQL;
    case ConnectionProfile::Driver::MySQL:
        return StatementSplitter::Dialect::MySQL;
    }
    return StatementSplitter::Dialect::Generic;
}

} // namespace

PlanExecutor::PlanExecutor(const ConnectionProfile &profile, const MigrationPlan &plan,
                           const QList<StepSql> &sql, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_plan(plan)
    , m_sql(sql)
{}

Result<QList<StepSql>> PlanExecutor::sqlForPlan(const RevisionGraph &graph,
                                                const MigrationPlan &plan,
                                                const QList<SqlSection> &sections,
                                                const ConnectionProfile &profile,
                                                const QHash<QString, QString> &offline)
{
    QList<StepSql> out;
    for (const PlanStep &step : plan.steps) {
        const QString id = graph.revision(step.revision).id;
        if (offline.contains(id)) {
            StepSql sql;
            sql.revision = id;
            sql.upgrade = step.upgrade;
            sql.dialect = profile.dialect();
            sql.online = true;
            sql.offlineWhy = offline.value(id);
            sql.onlineDestination = onlineDestination(graph, step);
            out.append(sql);
            continue;
        }
        const SqlSection *found = nullptr;
        for (const SqlSection &s : sections) {
            const bool match = step.upgrade ? (s.upgrade && s.to == id)
                                            : (!s.upgrade && s.from == QStringList{id});
            if (match)
                found = &s;
        }
        if (!found)
            return Result<QList<StepSql>>::failure(
                QStringLiteral("Alembic rendered no SQL for %1 %2.")
                    .arg(step.upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                         id));
        StepSql sql;
        sql.revision = id;
        sql.upgrade = step.upgrade;
        sql.dialect = profile.dialect();
        for (const SqlStatement &st :
             StatementSplitter::split(found->sql, splitterDialect(profile))) {
            // Alembic's own bookkeeping, under the table the profile names
            // or Alembic's default (what env.py renders when the profile
            // keeps its versions elsewhere): Retort does it itself.
            if (!SqlRenderer::isVersionBookkeeping(st.text, profile.versionTable) &&
                !SqlRenderer::isVersionBookkeeping(st.text, QStringLiteral("alembic_version")))
                sql.statements.append(st);
        }
        out.append(sql);
    }
    return out;
}

QString PlanExecutor::onlineDestination(const RevisionGraph &graph, const PlanStep &step)
{
    const Revision &r = graph.revision(step.revision);
    if (step.upgrade)
        return r.id;
    return r.downRevisions.isEmpty() ? QStringLiteral("base") : r.downRevisions.first();
}

void PlanExecutor::approve(int step)
{
    QMutexLocker lock(&m_mutex);
    m_approved.insert(step);
    m_resumed.wakeAll();
}

PlanExecutor::Bookkeeping PlanExecutor::bookkeeping(const ConnectionProfile &profile,
                                                    const VersionChange &change, bool literal)
{
    const QString table = VersionTable::qualifiedName(profile);
    QStringList values;
    QString sql;
    switch (change.kind) {
    case VersionChange::Kind::Insert:
        sql = QStringLiteral("INSERT INTO %1 (version_num) VALUES (?)").arg(table);
        values = {change.to};
        break;
    case VersionChange::Kind::Delete:
        sql = QStringLiteral("DELETE FROM %1 WHERE version_num = ?").arg(table);
        values = {change.from};
        break;
    case VersionChange::Kind::Update:
        sql = QStringLiteral("UPDATE %1 SET version_num = ? WHERE version_num = ?").arg(table);
        values = {change.to, change.from};
        break;
    }
    if (!literal)
        return {sql, values};
    // Quoted the way the dialect reads string literals.
    for (QString v : std::as_const(values)) {
        v.replace(u'\'', QStringLiteral("''"));
        if (profile.driver == ConnectionProfile::Driver::MySQL)
            v.replace(u'\\', QStringLiteral("\\\\"));
        sql.replace(sql.indexOf(u'?'), 1, u'\'' + v + u'\'');
    }
    return {sql, {}};
}

void PlanExecutor::resume()
{
    QMutexLocker lock(&m_mutex);
    m_go = true;
    m_resumed.wakeAll();
}

bool PlanExecutor::run()
{
    std::optional<ScopedConnection> own;
    if (!m_connection)
        own.emplace(m_profile);
    ScopedConnection &connection = m_connection ? *m_connection : *own;
    QString error;
    if (own && !connection.open(&error)) {
        Q_EMIT failed(-1, QString(), QString(), error);
        Q_EMIT finished(false, false);
        return false;
    }
    QSqlDatabase db = connection.database();
    auto recorded = VersionTable::read(connection);
    if (!recorded) {
        Q_EMIT failed(-1, QString(), QString(), recorded.error());
        Q_EMIT finished(false, false);
        return false;
    }
    QSet<QString> heads(recorded->cbegin(), recorded->cend());
    if (heads != QSet<QString>(m_plan.headsBefore.cbegin(), m_plan.headsBefore.cend())) {
        Q_EMIT failed(-1, QString(), QString(),
                      QStringLiteral(
                          "The database moved since the plan was made (it records %1); plan again.")
                          .arg(recorded->isEmpty() ? QStringLiteral("nothing")
                                                   : recorded->join(QStringLiteral(", "))));
        Q_EMIT finished(false, false);
        return false;
    }

    for (const StepSql &sql : std::as_const(m_sql)) {
        if (!sql.dialect.isEmpty() && sql.dialect != m_profile.dialect()) {
            Q_EMIT failed(
                -1, sql.revision, QString(),
                QStringLiteral(
                    "The SQL of %1 was rendered for %2; it will not run on a %3 connection.")
                    .arg(sql.revision, sql.dialect, m_profile.dialect()));
            Q_EMIT finished(false, false);
            return false;
        }
    }

    for (int i = 0; i < m_plan.steps.size(); ++i) {
        // Step mode: after each committed step, wait for resume() or cancel().
        if (i > 0 && m_stepMode) {
            Q_EMIT paused(i);
            QMutexLocker lock(&m_mutex);
            while (!m_go && !m_cancel)
                m_resumed.wait(&m_mutex);
            m_go = false;
        }
        if (i > 0 && m_cancel) {
            Q_EMIT finished(false, true);
            return false;
        }
        const PlanStep &step = m_plan.steps.at(i);
        const StepSql &sql = m_sql.at(i);
        QElapsedTimer stepTimer;
        stepTimer.start();
        Q_EMIT stepStarted(i, int(m_plan.steps.size()), sql.revision);
        auto abort = [&](const QString &statement, const QString &message) {
            db.rollback();
            Q_EMIT failed(i, sql.revision, statement, message);
            Q_EMIT finished(false, false);
            return false;
        };
        if (sql.online) {
            // Alembic runs this one itself, in its own transaction, once the
            // user agreed for this step.
            {
                QMutexLocker lock(&m_mutex);
                if (!m_approved.contains(i) && !m_cancel) {
                    lock.unlock();
                    Q_EMIT approvalNeeded(i);
                    lock.relock();
                    while (!m_approved.contains(i) && !m_cancel)
                        m_resumed.wait(&m_mutex);
                }
            }
            if (m_cancel) {
                Q_EMIT finished(false, true);
                return false;
            }
            for (const VersionChange &c : step.changes) {
                if (c.kind != VersionChange::Kind::Insert)
                    heads.remove(c.from);
                if (c.kind != VersionChange::Kind::Delete)
                    heads.insert(c.to);
            }
            auto ran =
                SqlRenderer::runOnline(m_config, m_profile, sql.upgrade, sql.onlineDestination);
            if (!ran) {
                Q_EMIT failed(i, sql.revision, QString(), ran.error());
                Q_EMIT finished(false, false);
                return false;
            }
            for (const QString &line : ran->split(u'\n', Qt::SkipEmptyParts))
                Q_EMIT statementFinished(i, 0, 1, QStringLiteral("alembic: ") + line, 0);
            auto now = VersionTable::read(connection);
            if (!now || QSet<QString>(now->cbegin(), now->cend()) != heads) {
                Q_EMIT failed(i, sql.revision, QString(),
                              QStringLiteral("after Alembic ran %1, %2 says %3, not what the plan "
                                             "expects")
                                  .arg(sql.revision, m_profile.versionTable,
                                       now ? now->join(QStringLiteral(", ")) : now.error()));
                Q_EMIT finished(false, false);
                return false;
            }
            Q_EMIT stepFinished(i, stepTimer.elapsed());
            continue;
        }
        if (!db.transaction())
            return abort(QString(), QStringLiteral("Cannot begin a transaction: %1")
                                        .arg(VersionTable::errorText(m_profile, db.lastError())));
        QSqlQuery q(db);
        for (int k = 0; k < sql.statements.size(); ++k) {
            if (m_cancel) {
                db.rollback();
                Q_EMIT finished(false, true);
                return false;
            }
            const QString &text = sql.statements.at(k).text;
            QElapsedTimer t;
            t.start();
            if (!q.exec(text))
                return abort(text, VersionTable::errorText(m_profile, q.lastError()));
            Q_EMIT statementFinished(i, k, int(sql.statements.size()), text, t.elapsed());
        }
        if (m_cancel) {
            db.rollback();
            Q_EMIT finished(false, true);
            return false;
        }
        // The bookkeeping, in the step's transaction.
        const auto tableExists = VersionTable::exists(connection);
        if (!tableExists)
            return abort(QString(), tableExists.error());
        if (!tableExists.value()) {
            const QString create = VersionTable::createStatement(m_profile);
            if (!q.exec(create))
                return abort(create, VersionTable::errorText(m_profile, q.lastError()));
        }
        for (const VersionChange &c : step.changes) {
            const Bookkeeping b = bookkeeping(m_profile, c);
            const QString &text = b.sql;
            q.prepare(text);
            for (const QString &v : b.values)
                q.addBindValue(v);
            if (c.kind != VersionChange::Kind::Insert)
                heads.remove(c.from);
            if (c.kind != VersionChange::Kind::Delete)
                heads.insert(c.to);
            if (!q.exec())
                return abort(text, VersionTable::errorText(m_profile, q.lastError()));
            if (c.kind != VersionChange::Kind::Insert && q.numRowsAffected() != 1)
                return abort(text,
                             QStringLiteral("expected to change one row of %1 for %2, changed %3")
                                 .arg(m_profile.versionTable, c.from)
                                 .arg(q.numRowsAffected()));
        }
        auto now = VersionTable::read(connection);
        if (!now || QSet<QString>(now->cbegin(), now->cend()) != heads)
            return abort(
                QString(),
                QStringLiteral("%1 does not say what it should after the step (it says %2)")
                    .arg(m_profile.versionTable,
                         now ? now->join(QStringLiteral(", ")) : now.error()));
        if (!db.commit())
            return abort(QString(), QStringLiteral("Commit failed: %1")
                                        .arg(VersionTable::errorText(m_profile, db.lastError())));
        Q_EMIT stepFinished(i, stepTimer.elapsed());
    }
    Q_EMIT finished(true, false);
    return true;
}

} // namespace Retort
