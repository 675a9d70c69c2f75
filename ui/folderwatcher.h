#pragma once

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace Retort {

// Watches a project's version folders and config file, and reports one
// `changed()` a short while after a burst of changes has settled, so that a
// generator writing a file in several steps causes one re-read.
class FolderWatcher : public QObject
{
    Q_OBJECT

public:
    explicit FolderWatcher(QObject *parent = nullptr);

    void watch(const QStringList &paths);
    void setDelay(int milliseconds) { m_timer.setInterval(milliseconds); }

Q_SIGNALS:
    void changed();

private:
    QFileSystemWatcher m_watcher;
    QTimer m_timer;
};

} // namespace Retort
