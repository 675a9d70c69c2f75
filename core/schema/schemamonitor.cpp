#include "schemamonitor.h"

#include "schemahistory.h"
#include "scratchdatabase.h"
#include "snapshotcache.h"

#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

namespace {

QString projectDialect(const Project &project)
{
    if (!project.config.sqlalchemyUrl.isEmpty())
        if (auto url =
                ConnectionProfile::fromUrl(project.config.sqlalchemyUrl, project.config.projectDir))
            return url->dialect();
    return QStringLiteral("sqlite");
}

Schema emptySchema(const QString &dialect)
{
    Schema s;
    s.dialect = dialect;
    return s;
}

// The line of the operation in `file`'s upgrade() that most likely rendered
// `statement` (the one naming most of its identifiers), else upgrade()'s own.
int statementLine(const RevisionFile &file, const QString &statement)
{
    static const QRegularExpression word(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*"));
    QSet<QString> words;
    for (auto it = word.globalMatch(statement); it.hasNext();)
        words.insert(it.next().captured().toLower());
    int best = file.upgrade.line, bestScore = 0;
    for (const OperationCall &op : file.upgrade.operations) {
        int score = 0;
        for (auto it = word.globalMatch(op.arguments); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            const qsizetype at = m.capturedStart();
            const bool quoted =
                at > 0 && (op.arguments.at(at - 1) == u'\'' || op.arguments.at(at - 1) == u'"');
            if (quoted && words.contains(m.captured().toLower()))
                ++score;
        }
        if (score > bestScore) {
            best = op.line;
            bestScore = score;
        }
    }
    return best;
}

QString cacheName(const QString &projectKey, const QString &dialect)
{
    return projectKey + u'\x1f' + dialect;
}

} // namespace

SchemaMonitor::SchemaMonitor(QObject *parent)
    : QObject(parent)
{}

SchemaMonitor::~SchemaMonitor()
{
    if (m_cancel)
        m_cancel->store(true);
    m_work.waitForFinished();
}

void SchemaMonitor::setProject(const Project &project, const QString &dialect,
                               const QString &cacheFolder)
{
    if (m_cancel)
        m_cancel->store(true); // the replay under way stops between steps
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_generation;
    m_dialect = dialect.isEmpty() ? projectDialect(project) : dialect;
    m_projectKey = project.key();
    m_cacheFolder = cacheFolder;
    m_projectFile = project.config.configFile;
    m_source = {};
    m_cache.reset();
    m_keys.clear();
    m_order.clear();
    m_position.clear();
    m_graph = project.graph;
    m_diagnostics.clear();
    m_running = true;

    QPointer<SchemaMonitor> self(this);
    const auto cancel = m_cancel;
    const QString dialectName = m_dialect;
    // The previous replay (if any) is told to stop; this one waits for it,
    // so that two never share the cache's writes.
    QFuture<void> previous = m_work;
    m_work = QtConcurrent::run(
        [self, cancel, generation, project, dialectName, cacheFolder, previous]() mutable {
            previous.waitForFinished();
            auto post = [&](auto f) {
                QMetaObject::invokeMethod(self.data(), f, Qt::QueuedConnection);
            };
            Outcome outcome;
            outcome.generation = generation;
            SnapshotCache cache(cacheName(project.key(), dialectName), cacheFolder);
            QString error;
            const bool cached = cache.open(&error);
            SchemaHistory history(project, dialectName, cached ? &cache : nullptr);
            outcome.order = history.order();
            for (int r : history.order()) {
                const Revision &rev = project.graph.revision(r);
                outcome.keys.insert(rev.id, history.keyOf(r));
            }
            if (project.graph.heads().size() > 1)
                outcome.headsKey = history.keyOf(project.graph.heads());
            if (!cached) {
                outcome.error = error;
            } else if (!history.usable(&error)) {
                outcome.error = error;
            } else if (!history.missing({}).isEmpty() && !cancel->load()) {
                // What is cached can be shown at once, while the rest replays.
                const Outcome early = outcome;
                if (self)
                    post([self, early] {
                        if (self)
                            self->deliver(early);
                    });
                auto scratch =
                    ScratchDatabase::forDialect(dialectName, cache.checkpointFolder(), nullptr);
                if (!scratch) {
                    outcome.error = scratch.error();
                } else {
                    auto stats = history.replay(
                        *scratch.value(), {},
                        [&](const SchemaHistory::Progress &p) {
                            if (self)
                                post([self, generation, p] {
                                    if (self && self->m_generation == generation)
                                        Q_EMIT self->progress(p.done, p.total, p.revision);
                                });
                        },
                        cancel.get());
                    if (!stats) {
                        outcome.error = stats.error();
                        if (history.failure()) {
                            outcome.failedRevision = history.failure()->revision;
                            outcome.failedStatement = history.failure()->statement;
                        }
                    }
                }
            }
            outcome.final = true;
            if (self)
                post([self, outcome] {
                    if (self)
                        self->deliver(outcome);
                });
        });
}

void SchemaMonitor::deliver(const Outcome &outcome)
{
    if (outcome.generation != m_generation)
        return; // an older project's
    m_keys = outcome.keys;
    m_order = outcome.order;
    m_headsKey = outcome.headsKey;
    m_position.clear();
    for (int i = 0; i < m_order.size(); ++i)
        m_position.insert(m_graph.revision(m_order.at(i)).id, i);
    // The panel asks for a revision's snapshot, its parents' and its
    // ancestry's (blame): the recent ones are kept.
    m_source = SchemaSource::over(
        m_graph, m_order, emptySchema(m_dialect),
        [this](int r) -> std::optional<Schema> {
            const QString key = m_keys.value(m_graph.revision(r).id);
            if (key.isEmpty() || !openCache())
                return std::nullopt;
            return m_cache->load(key);
        },
        SchemaHistory::kKeptInMemory);
    if (!outcome.error.isEmpty()) {
        const int r = m_graph.indexOf(outcome.failedRevision);
        const QString file = r < 0 ? m_projectFile : m_graph.fileOf(r).path;
        const int line = r < 0 ? 0 : statementLine(m_graph.fileOf(r), outcome.failedStatement);
        m_diagnostics = {
            {Severity::Error, QStringLiteral("schema-replay"), file, line,
             QStringLiteral("The schema history could not be replayed: %1").arg(outcome.error)}};
    }
    if (outcome.final) {
        m_running = false;
        Q_EMIT finished(outcome.error.isEmpty());
    }
}

bool SchemaMonitor::openCache()
{
    if (!m_cache) {
        m_cache =
            std::make_unique<SnapshotCache>(cacheName(m_projectKey, m_dialect), m_cacheFolder);
        QString error;
        if (!m_cache->open(&error))
            m_cache.reset();
    }
    return bool(m_cache);
}

std::optional<Schema> SchemaMonitor::snapshot(const QString &revision)
{
    if (!m_keys.contains(revision) || !m_source.snapshot)
        return std::nullopt;
    return m_source.snapshot(revision);
}

std::optional<Schema> SchemaMonitor::parentSnapshot(const QString &revision)
{
    if (!m_keys.contains(revision))
        return std::nullopt;
    const Revision &r = m_graph.revision(m_graph.indexOf(revision));
    const QList<int> parents = r.parents + r.dependencyParents;
    if (parents.isEmpty())
        return emptySchema(m_dialect);
    return snapshot(m_graph.revision(parents.first()).id);
}

std::optional<QList<SchemaChange>> SchemaMonitor::changesOf(const QString &revision)
{
    if (!m_keys.contains(revision) || !m_source.changes)
        return std::nullopt;
    return m_source.changes(revision);
}

Result<QList<BlameEntry>> SchemaMonitor::blame(const QString &revision)
{
    if (!m_keys.contains(revision) || !m_source.blame)
        return Result<QList<BlameEntry>>::failure(
            QStringLiteral("no schema history for %1 yet").arg(revision));
    return m_source.blame(revision);
}

SchemaSource SchemaMonitor::detachedSource() const
{
    struct Reader
    {
        QString name, folder;
        QHash<int, QString> keys;
        QString headsKey;
        std::unique_ptr<SnapshotCache> cache;
        bool tried = false;
        std::optional<Schema> load(const QString &key)
        {
            if (!tried) {
                tried = true;
                cache = std::make_unique<SnapshotCache>(name, folder);
                QString error;
                if (!cache->open(&error))
                    cache.reset();
            }
            if (!cache || key.isEmpty())
                return std::nullopt;
            return cache->load(key);
        }
    };
    auto reader = std::make_shared<Reader>();
    reader->name = cacheName(m_projectKey, m_dialect);
    reader->folder = m_cacheFolder;
    reader->headsKey = m_headsKey;
    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it)
        reader->keys.insert(m_graph.indexOf(it.key()), it.value());
    SchemaSource out =
        SchemaSource::over(m_graph, m_order, emptySchema(m_dialect),
                           [reader](int r) { return reader->load(reader->keys.value(r)); });
    if (!m_headsKey.isEmpty())
        out.atHeads = [reader] { return reader->load(reader->headsKey); };
    if (!m_diagnostics.isEmpty())
        out.problem = m_diagnostics.first().message;
    return out;
}

} // namespace Retort
