#pragma once

#include <QWidget>

class QTreeWidget;

namespace Retort {

// The project's run log read back: when, which database, what ran, the
// steps, the result and who ran it; newest first. `retort runs` prints the
// same.
class RunsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RunsPanel(QWidget *parent = nullptr);
    // Reads the log of the project whose config (or versions folder) is `key`.
    void showProject(const QString &key);
    void reload();
    QTreeWidget *list() const { return m_list; }

private:
    QString m_key;
    QTreeWidget *m_list;
};

} // namespace Retort
