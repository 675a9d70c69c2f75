#pragma once

#include "connectionprofile.h"

#include <QList>
#include <QString>

namespace Retort {

// The connection profiles of one project, kept in the user's settings (not
// in the project: they name the user's databases). Passwords are never
// saved here; see PasswordStore.
class ProfileStore
{
public:
    static QList<ConnectionProfile> load(const QString &projectPath);
    static void save(const QString &projectPath, const QList<ConnectionProfile> &profiles);
    static const ConnectionProfile *find(const QList<ConnectionProfile> &profiles,
                                         const QString &name);
    // The window and the command line share one settings file (organization
    // and application "Retort"). Earlier command lines wrote theirs under
    // "Unknown Organization/retort.conf": its settings are taken over once,
    // without overwriting anything already set (once per process, by load()
    // and save() themselves).
    static void migrateLegacySettings();
};

// Passwords in the system keyring (Secret Service, KWallet) through
// QtKeychain. Where no keyring service runs (CI, a bare server) the calls
// fail with a sentence saying so, and callers fall back to the URL or an
// environment variable.
class PasswordStore
{
public:
    static QString keyFor(const QString &projectPath, const QString &profileName);
    static Result<QString> read(const QString &key);
    static Result<bool> write(const QString &key, const QString &password);
    static Result<bool> remove(const QString &key);
    // Whether a keyring service answers here; why not when it does not.
    static Result<bool> available();
};

} // namespace Retort
