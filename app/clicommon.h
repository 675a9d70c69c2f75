#pragma once

// What the CLI's command files share: output and the parsed command options.

#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace Retort {

struct Project;
struct ConnectionProfile;
template<typename T> class Result;

namespace Cli {

// Writes UTF-8 to stdout, unchanged.
void print(const QString &text);
// Writes "retort: TEXT" and a newline to stderr.
void printError(const QString &text);

// Prints a failed result's error; true when it failed.
template<typename R> bool failed(const R &result)
{
    if (result)
        return false;
    printError(result.error());
    return true;
}

struct CommandArgs
{
    bool verbose = false;
    bool dryRun = false;
    bool force = false;
    bool sqlOnly = false;
    bool yesIKnow = false;
    bool online = false;
    bool shared = false;
    bool forbidDowngrades = false;
    bool noTest = false;      // profile add: save without trying the connection
    bool scratchFlag = false; // profile add --scratch: Retort may replay there
    QString scratch;          // --scratch NAME: the scratch profile to replay on
    QString at;               // blame --at REV
    QString profile;
    int number = -1;
    QString range;
    QString format;
    QString slug;
    QString message;
    QString onto;
    QString url;
    QString html;     // export --html FILE
    QString markdown; // export --markdown DIR
    QStringList positional;
    QString error;
};

// The database --profile NAME or --url URL (default: the config's
// sqlalchemy.url) names, with its password from the keyring or
// RETORT_DB_PASSWORD (dbcommands.cpp).
Result<ConnectionProfile> resolveProfile(const Project &p, const CommandArgs &c);

// The database commands (dbcommands.cpp). Each returns the exit code.
int cmdCurrent(const Project &p, const CommandArgs &c);
int cmdRuns(const Project &p);
int cmdPlan(const Project &p, const CommandArgs &c);
int cmdMigrate(const Project &p, const CommandArgs &c, bool upgrade);
int cmdStamp(const Project &p, const CommandArgs &c);
int cmdProfile(const Project &p, const CommandArgs &c);

// The schema-history commands (schemacommands.cpp).
int cmdSchema(const Project &p, const CommandArgs &c);
int cmdSchemaDiff(const Project &p, const CommandArgs &c);
int cmdBlame(const Project &p, const CommandArgs &c);
int cmdDrift(const Project &p, const CommandArgs &c);
int cmdReplay(const Project &p, const CommandArgs &c);
// export --html FILE | --markdown DIR, and graph --format svg: drawn by the
// window's module (schemacommands.cpp).
int cmdExport(const Project &p, const CommandArgs &c);

// With or without a project here (toolcommands.cpp): what this machine has
// for Retort (exit 0: all the project needs), and the words a shell
// completes (commands, revisions, profiles).
int cmdDoctor(const Result<Project> &project);
int cmdComplete(const Result<Project> &project, const QStringList &args,
                const QStringList &commands);

} // namespace Cli
} // namespace Retort
