#pragma once

#include "core/db/connectionprofile.h"
#include "core/run/guardfacts.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QTreeWidget;
class QPushButton;

namespace Retort {

// In front of every downgrade and every stamp of a shared database: what
// will be reverted, which of it destroys data, which downgrades are empty
// or raise, which revisions are already pushed. The confirm button stays
// disabled until the database's name is typed exactly.
class GuardDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Action
    {
        Downgrade,
        Stamp
    };
    GuardDialog(Action action, const ConnectionProfile &profile, const QString &from,
                const QString &to, const GuardFacts &facts, QWidget *parent = nullptr);

    // What has to be typed: the database's name (a SQLite file's name).
    static QString nameToType(const ConnectionProfile &profile);
    // Shows the facts again, with what git said (or why it could not say).
    void setFacts(const GuardFacts &facts, const QString &gitNote);
    QLineEdit *nameEdit() const { return m_name; }
    QPushButton *confirmButton() const { return m_confirm; }

private:
    QTreeWidget *m_list;
    QLabel *m_git;
    QLineEdit *m_name;
    QPushButton *m_confirm;
};

} // namespace Retort
