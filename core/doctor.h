#pragma once

#include "core/db/connectionprofile.h"
#include "core/script/projectconfig.h"

#include <QList>
#include <QString>

namespace Retort {

// One thing Retort uses on this machine: whether it is there, what it is
// (version, path, why that one), and the Debian package that provides it.
struct DoctorCheck
{
    QString name;
    bool ok = false;
    bool needed = false; // the project needs it (else: a feature is unavailable)
    QString detail;      // what was found, or what is missing and what for
    QString package;     // Debian's package for it
};

// `retort doctor` and Help → Diagnostics: which Alembic Retort will use and
// why, the Qt SQL drivers, the keyring, scratch-replay servers, git. Slow
// parts (Alembic's version, the keyring) run processes: call it off the GUI
// thread.
class Doctor
{
public:
    // `config`: the project (null: none here); `profiles`: its saved
    // databases (their drivers are needed too).
    static QList<DoctorCheck> check(const ProjectConfig *config,
                                    const QList<ConnectionProfile> &profiles);
    // All the project needs is there.
    static bool healthy(const QList<DoctorCheck> &checks);
    // The checks as lines of text, with the apt command for what is missing.
    static QString report(const QList<DoctorCheck> &checks);
};

} // namespace Retort
