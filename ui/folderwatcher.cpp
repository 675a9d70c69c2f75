#include "folderwatcher.h"

namespace Retort {

FolderWatcher::FolderWatcher(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &FolderWatcher::changed);
    auto poke = [this] { m_timer.start(); };
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, poke);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, poke);
}

void FolderWatcher::watch(const QStringList &paths)
{
    const QStringList old = m_watcher.files() + m_watcher.directories();
    if (!old.isEmpty())
        m_watcher.removePaths(old);
    if (!paths.isEmpty())
        m_watcher.addPaths(paths);
}

} // namespace Retort
