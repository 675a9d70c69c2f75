#pragma once

#include "core/db/connectionprofile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Retort {

// Adds or edits one connection profile: driver-specific fields or a pasted
// SQLAlchemy URL, the shared and downgrades-forbidden flags, a tag and its
// colour. Test connects off the GUI thread, with a timeout, and says what
// the database answered. The password is handed back to the caller, which
// puts it in the keyring (it is never part of the saved profile).
class ProfileDialog : public QDialog
{
    Q_OBJECT

public:
    // `taken`: names other profiles already use. `projectDir`: what a
    // relative SQLite path is relative to.
    ProfileDialog(const ConnectionProfile &profile, const QStringList &taken,
                  const QString &projectDir, QWidget *parent = nullptr);

    // The profile as the fields say, password included; or why not.
    Result<ConnectionProfile> profile() const;
    // Fills the fields from a SQLAlchemy URL; false (and says why) if it
    // does not parse.
    bool fillFromUrl(const QString &url);
    void startTest();
    // Whether the keyring keeps passwords here (known once it answered).
    void setKeyringAvailable(bool available, const QString &why);

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *sharedBox() const { return m_shared; }
    QCheckBox *forbidBox() const { return m_forbid; }
    QLabel *testResult() const { return m_testResult; }
    QPushButton *testButton() const { return m_test; }
    QString color() const { return m_color; }
    void setColor(const QString &color);

Q_SIGNALS:
    void testFinished(bool ok, const QString &text);

public Q_SLOTS:
    void accept() override;

private:
    void driverChanged();
    QStringList connectionFields() const;

    QString m_projectDir;
    QStringList m_taken;
    QString m_color;
    QString m_filledUrl;        // the URL the fields came from
    QStringList m_filledFields; // the fields as that URL filled them
    QLineEdit *m_name;
    QLineEdit *m_url;
    QComboBox *m_driver;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_database;
    QPushButton *m_browse;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_keyring;
    QLineEdit *m_options;
    QLineEdit *m_versionTable;
    QCheckBox *m_shared;
    QCheckBox *m_forbid;
    QLineEdit *m_tag;
    QPushButton *m_colorButton;
    QPushButton *m_test;
    QLabel *m_testResult;
    QLabel *m_error;
    quint64 m_testGeneration = 0;
};

} // namespace Retort
