#include "connectionspanel.h"
#include "profiledialog.h"

#include "core/db/databasemonitor.h"
#include "core/db/profilestore.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

namespace {

enum Column
{
    NameColumn,
    StateColumn,
    WhereColumn
};

QIcon swatch(const QString &color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QColor(color).darker(130));
    p.setBrush(QColor(color));
    p.drawRoundedRect(QRectF(0.5, 0.5, 11, 11), 3, 3);
    return QIcon(pixmap);
}

} // namespace

ConnectionsPanel::ConnectionsPanel(DatabaseMonitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_list(new QTreeWidget(this))
    , m_add(new QPushButton(tr("&Add…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_test(new QPushButton(tr("&Test"), this))
    , m_refresh(new QPushButton(tr("Re&fresh"), this))
    , m_note(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionsPanel"));
    m_list->setObjectName(QStringLiteral("databases"));
    m_list->setColumnCount(3);
    m_list->setHeaderLabels({tr("Database"), tr("Where it stands"), tr("Connection")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->setStretchLastSection(true);
    m_list->setColumnWidth(NameColumn, 170);
    m_list->setColumnWidth(StateColumn, 260);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refresh->setToolTip(tr("Read every database's version table again (F5)"));

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_add, m_edit, m_remove, m_test, m_refresh})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_note);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &ConnectionsPanel::addProfile);
    connect(m_edit, &QPushButton::clicked, this, [this] { editProfile(activeName()); });
    connect(m_remove, &QPushButton::clicked, this, [this] { removeProfile(activeName()); });
    connect(m_test, &QPushButton::clicked, this, [this] { testProfile(activeName()); });
    connect(m_refresh, &QPushButton::clicked, m_monitor, qOverload<>(&DatabaseMonitor::refresh));
    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        editProfile(item->data(NameColumn, Qt::UserRole).toString());
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        const QString name = item ? item->data(NameColumn, Qt::UserRole).toString() : QString();
        if (name == m_active)
            return;
        m_active = name;
        updateButtons();
        Q_EMIT activeChanged();
    });
    connect(m_monitor, &DatabaseMonitor::changed, this, &ConnectionsPanel::rebuild);
    rebuild();
}

void ConnectionsPanel::setGraph(const RevisionGraph *graph)
{
    m_graph = graph;
    rebuild();
}

QString ConnectionsPanel::activeName() const
{
    return m_active;
}

void ConnectionsPanel::setActive(const QString &name)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(NameColumn, Qt::UserRole).toString() == name)
            m_list->setCurrentItem(m_list->topLevelItem(i));
    }
}

void ConnectionsPanel::rebuild()
{
    const QString keep = m_active;
    const QSignalBlocker block(m_list);
    m_list->clear();
    QTreeWidgetItem *current = nullptr;
    for (const MonitoredDatabase &db : m_monitor->databases()) {
        auto *item = new QTreeWidgetItem(m_list);
        const QString name = db.profile.name;
        item->setData(NameColumn, Qt::UserRole, name);
        QString title = db.implicit ? tr("%1 (alembic.ini)").arg(name) : name;
        if (!db.profile.tag.isEmpty())
            title += QStringLiteral(" · ") + db.profile.tag;
        item->setText(NameColumn, title);
        item->setIcon(NameColumn, swatch(db.color));
        QString state = m_graph ? db.summary(*m_graph) : QString();
        state = state.mid(name.size() + 2); // without the leading "name: "
        if (db.profile.isShared())
            state += tr(" · shared");
        if (db.profile.downgradesForbidden)
            state += tr(" · no downgrades");
        item->setText(StateColumn, state);
        item->setText(WhereColumn, db.profile.url.isEmpty() && db.profile.database.isEmpty()
                                       ? tr("(the URL cannot be read)")
                                       : db.profile.displayUrl());
        if (db.status == MonitoredDatabase::Status::Failed) {
            item->setToolTip(StateColumn, db.error);
            item->setForeground(StateColumn, QColor(0xc6, 0x28, 0x28));
        } else if (db.status == MonitoredDatabase::Status::Ready && m_graph) {
            item->setToolTip(StateColumn, db.state.describe(*m_graph));
        }
        if (name == keep)
            current = item;
    }
    if (!current && m_list->topLevelItemCount() > 0)
        current = m_list->topLevelItem(0);
    m_list->setCurrentItem(current);
    const QString now = current ? current->data(NameColumn, Qt::UserRole).toString() : QString();
    const MonitoredDatabase *active = m_monitor->find(now);
    m_note->setText(active && active->status == MonitoredDatabase::Status::Failed ? active->error
                    : m_monitor->databases().isEmpty()
                        ? tr("No database yet: Add… saves a connection for this project.")
                        : QString());
    m_note->setVisible(!m_note->text().isEmpty());
    const bool changed = now != m_active;
    m_active = now;
    updateButtons();
    if (changed)
        Q_EMIT activeChanged();
}

void ConnectionsPanel::updateButtons()
{
    const MonitoredDatabase *db = m_monitor->find(m_active);
    m_add->setEnabled(!m_monitor->projectKey().isEmpty());
    m_edit->setEnabled(db && !db->implicit);
    m_remove->setEnabled(db && !db->implicit);
    m_test->setEnabled(db != nullptr);
    m_refresh->setEnabled(!m_monitor->databases().isEmpty());
}

QList<HistoryModel::DatabaseMark> ConnectionsPanel::marks() const
{
    QList<HistoryModel::DatabaseMark> out;
    for (const MonitoredDatabase &db : m_monitor->databases()) {
        if (db.status == MonitoredDatabase::Status::Ready && !db.state.revisions.isEmpty())
            out.append({db.profile.name, db.color, db.state.revisions});
    }
    return out;
}

std::vector<bool> ConnectionsPanel::activeApplied() const
{
    const MonitoredDatabase *db = m_monitor->find(m_active);
    if (!db || !m_graph || db->status != MonitoredDatabase::Status::Ready)
        return {};
    return db->state.applied(*m_graph);
}

QString ConnectionsPanel::activeSummary() const
{
    const MonitoredDatabase *db = m_monitor->find(m_active);
    return db && m_graph ? db->summary(*m_graph) : QString();
}

void ConnectionsPanel::addProfile()
{
    QStringList taken;
    for (const MonitoredDatabase &db : m_monitor->databases())
        taken << db.profile.name;
    ConnectionProfile fresh;
    ProfileDialog dialog(fresh, taken, m_monitor->projectDir(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    saveProfile(dialog.profile().value());
}

void ConnectionsPanel::editProfile(const QString &name)
{
    const MonitoredDatabase *db = m_monitor->find(name);
    if (!db || db->implicit)
        return;
    QStringList taken;
    for (const MonitoredDatabase &other : m_monitor->databases()) {
        if (other.profile.name != name)
            taken << other.profile.name;
    }
    ConnectionProfile profile = db->profile;
    profile.color = db->color;
    ProfileDialog dialog(profile, taken, m_monitor->projectDir(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    saveProfile(dialog.profile().value(), name);
}

void ConnectionsPanel::saveProfile(const ConnectionProfile &profile, const QString &replacing)
{
    const QString key = m_monitor->projectKey();
    QList<ConnectionProfile> saved = ProfileStore::load(key);
    ConnectionProfile kept = profile;
    kept.password.clear();
    kept.secretOptions.clear();
    bool replaced = false;
    for (ConnectionProfile &p : saved) {
        if (p.name == replacing || p.name == profile.name) {
            p = kept;
            replaced = true;
        }
    }
    if (!replaced)
        saved.append(kept);
    ProfileStore::save(key, saved);
    if (!replacing.isEmpty() && replacing != profile.name)
        PasswordStore::remove(PasswordStore::keyFor(key, replacing));
    m_active = profile.name;
    if (!profile.password.isEmpty()) {
        // Kept for this session at once; the keyring may take its time.
        m_monitor->setSessionPassword(profile.name, profile.password);
        storePassword(profile.name, profile.password);
    }
    m_monitor->reloadProfiles();
    Q_EMIT message(tr("Saved the database %1").arg(profile.name));
}

void ConnectionsPanel::storePassword(const QString &name, const QString &password)
{
    const QString key = PasswordStore::keyFor(m_monitor->projectKey(), name);
    auto *watcher = new QFutureWatcher<Result<bool>>(this);
    connect(watcher, &QFutureWatcher<Result<bool>>::finished, this, [this, watcher, name] {
        watcher->deleteLater();
        const Result<bool> stored = watcher->result();
        Q_EMIT message(stored ? tr("The password of %1 is in the system keyring").arg(name)
                              : tr("The password of %1 was not kept: %2. Retort asks for it "
                                   "again next time it runs.")
                                    .arg(name, stored.error()));
    });
    watcher->setFuture(
        QtConcurrent::run([key, password] { return PasswordStore::write(key, password); }));
}

void ConnectionsPanel::removeProfile(const QString &name)
{
    const MonitoredDatabase *db = m_monitor->find(name);
    if (!db || db->implicit)
        return;
    if (QMessageBox::question(this, tr("Remove Database"),
                              tr("Remove the connection %1 (%2) from this project?\nThe database "
                                 "itself is not touched.")
                                  .arg(name, db->profile.displayUrl())) != QMessageBox::Yes)
        return;
    const QString key = m_monitor->projectKey();
    QList<ConnectionProfile> saved = ProfileStore::load(key);
    saved.erase(std::remove_if(saved.begin(), saved.end(),
                               [&](const ConnectionProfile &p) { return p.name == name; }),
                saved.end());
    ProfileStore::save(key, saved);
    // The keyring may take its time; nobody waits for the answer.
    (void)QtConcurrent::run([k = PasswordStore::keyFor(key, name)] { PasswordStore::remove(k); });
    m_monitor->reloadProfiles();
    Q_EMIT message(tr("Removed the database %1").arg(name));
}

void ConnectionsPanel::testProfile(const QString &name)
{
    const MonitoredDatabase *db = m_monitor->find(name);
    if (!db)
        return;
    if (db->wantsPassword) {
        bool ok = false;
        const QString password = QInputDialog::getText(
            this, tr("Password"), tr("Password for %1 (%2):").arg(name, db->profile.displayUrl()),
            QLineEdit::Password, QString(), &ok);
        if (ok && !password.isEmpty())
            m_monitor->setSessionPassword(name, password);
        return;
    }
    m_monitor->refresh(name);
    Q_EMIT message(tr("Reading %1…").arg(name));
}

} // namespace Retort
