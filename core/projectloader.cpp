#include "projectloader.h"

#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

ProjectLoader::ProjectLoader(QObject *parent)
    : QObject(parent)
{}

ProjectLoader::~ProjectLoader()
{
    // Results still on their way are for nobody now.
    ++m_generation;
}

void ProjectLoader::load(const QString &path)
{
    start([path] { return Project::open(path); }, path);
}

void ProjectLoader::reload(const ProjectConfig &config)
{
    start([config]() -> Result<Project> { return Project::load(config); }, config.key());
}

void ProjectLoader::start(const std::function<Result<Project>()> &job, const QString &path)
{
    const quint64 generation = ++m_generation;
    if (m_running++ == 0)
        Q_EMIT busyChanged(true);
    auto *watcher = new QFutureWatcher<Result<Project>>(this);
    connect(watcher, &QFutureWatcher<Result<Project>>::finished, this,
            [this, watcher, generation, path] {
                watcher->deleteLater();
                const bool current = generation == m_generation;
                if (--m_running == 0)
                    Q_EMIT busyChanged(false);
                if (!current)
                    return;
                const Result<Project> result = watcher->result();
                if (result)
                    Q_EMIT loaded(result.value());
                else
                    Q_EMIT failed(path, result.error());
            });
    watcher->setFuture(QtConcurrent::run(job));
}

} // namespace Retort
