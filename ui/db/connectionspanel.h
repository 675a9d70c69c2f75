#pragma once

#include "core/graph/historymodel.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace Retort {

class DatabaseMonitor;
class RevisionGraph;
struct ConnectionProfile;

// The Databases panel: the project's saved connection profiles and its own
// sqlalchemy.url, each with where it stands. Add, Edit, Remove, Test; the
// current row is the active database, whose applied and pending revisions
// the history tells apart.
class ConnectionsPanel : public QWidget
{
    Q_OBJECT

public:
    ConnectionsPanel(DatabaseMonitor *monitor, QWidget *parent = nullptr);

    // The graph the databases are placed on (the monitor's summaries need it).
    void setGraph(const RevisionGraph *graph);
    QString activeName() const;
    void setActive(const QString &name);
    // Every database that was read, as badges for the history.
    QList<HistoryModel::DatabaseMark> marks() const;
    // What the active database has applied (empty: none active or unread).
    std::vector<bool> activeApplied() const;
    // "prod: 3 behind head", for the status bar.
    QString activeSummary() const;

    void addProfile();
    void editProfile(const QString &name);
    void removeProfile(const QString &name);
    void testProfile(const QString &name);
    // Saves a profile made elsewhere (a test, a dialog) and its password.
    void saveProfile(const ConnectionProfile &profile, const QString &replacing = {});
    QTreeWidget *list() const { return m_list; }

Q_SIGNALS:
    void activeChanged();
    void message(const QString &text);

private:
    void rebuild();
    void updateButtons();
    void storePassword(const QString &name, const QString &password);

    DatabaseMonitor *m_monitor;
    const RevisionGraph *m_graph = nullptr;
    QTreeWidget *m_list;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_test;
    QPushButton *m_refresh;
    QLabel *m_note;
    QString m_active;
};

} // namespace Retort
