#pragma once

#include "project.h"

#include <QFutureWatcher>
#include <QObject>

namespace Retort {

// Loads projects off the GUI thread. Each request gets a generation number;
// a result that arrives after a newer request has started is dropped.
class ProjectLoader : public QObject
{
    Q_OBJECT

public:
    explicit ProjectLoader(QObject *parent = nullptr);
    ~ProjectLoader() override;

    // Reads `path` (a config file, a project folder or a versions folder).
    void load(const QString &path);
    // Reads the same configuration again (after files changed).
    void reload(const ProjectConfig &config);
    bool isBusy() const { return m_running > 0; }

Q_SIGNALS:
    void busyChanged(bool busy);
    void loaded(const Retort::Project &project);
    void failed(const QString &path, const QString &error);

private:
    void start(const std::function<Result<Project>()> &job, const QString &path);

    quint64 m_generation = 0;
    int m_running = 0;
};

} // namespace Retort
