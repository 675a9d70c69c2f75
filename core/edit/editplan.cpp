#include "editplan.h"
#include "unifieddiff.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>

namespace Retort {

namespace {

QString shown(const QString &path, const QString &relativeTo)
{
    return relativeTo.isEmpty() ? path : QDir(relativeTo).relativeFilePath(path);
}

bool readCurrent(const QString &path, std::optional<QByteArray> *out)
{
    QFile f(path);
    if (!f.exists()) {
        out->reset();
        return true;
    }
    if (!f.open(QIODevice::ReadOnly))
        return false;
    *out = f.readAll();
    return true;
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        *error = f.errorString();
        return false;
    }
    return true;
}

// Renames a file, as `git mv` when git tracks it, so history follows.
bool moveFile(const QString &from, const QString &to, QString *error)
{
    const QString dir = QFileInfo(from).absolutePath();
    QProcess tracked;
    tracked.setWorkingDirectory(dir);
    tracked.start(QStringLiteral("git"),
                  {QStringLiteral("ls-files"), QStringLiteral("--error-unmatch"),
                   QStringLiteral("--"), QFileInfo(from).fileName()});
    if (tracked.waitForFinished(10000) && tracked.exitStatus() == QProcess::NormalExit &&
        tracked.exitCode() == 0) {
        QProcess mv;
        mv.setWorkingDirectory(dir);
        mv.start(QStringLiteral("git"),
                 {QStringLiteral("mv"), QStringLiteral("--"), QFileInfo(from).fileName(),
                  QDir(dir).relativeFilePath(to)});
        if (mv.waitForFinished(10000) && mv.exitStatus() == QProcess::NormalExit &&
            mv.exitCode() == 0)
            return true;
        *error = QStringLiteral("git mv failed: %1")
                     .arg(QString::fromUtf8(mv.readAllStandardError()).trimmed());
        return false;
    }
    QFile f(from);
    if (!f.rename(to)) {
        *error = f.errorString();
        return false;
    }
    return true;
}

} // namespace

QString EditPlan::diff(const QString &relativeTo) const
{
    QString out;
    for (const FileEdit &e : edits) {
        const QString from = shown(e.path, relativeTo);
        const QString to = shown(e.newPath, relativeTo);
        QString header = QStringLiteral("diff --git a/%1 b/%2\n").arg(from, to);
        if (!e.before)
            header += QStringLiteral("new file\n");
        else if (!e.after)
            header += QStringLiteral("deleted file\n");
        if (e.renames() && e.before && e.after)
            header += QStringLiteral("rename from %1\nrename to %2\n").arg(from, to);
        const QString body =
            unifiedDiff(e.before.value_or(QByteArray()), e.after.value_or(QByteArray()),
                        e.before ? QStringLiteral("a/") + from : QStringLiteral("/dev/null"),
                        e.after ? QStringLiteral("b/") + to : QStringLiteral("/dev/null"));
        out += header + body;
    }
    return out;
}

Result<EditPlan> EditPlan::apply() const
{
    // 1. Nothing changed since the plan was made, and no target is taken.
    for (const FileEdit &e : edits) {
        std::optional<QByteArray> current;
        if (!readCurrent(e.path, &current))
            return Result<EditPlan>::failure(
                QStringLiteral("Cannot read %1; nothing was changed.").arg(e.path));
        if (current != e.before)
            return Result<EditPlan>::failure(
                QStringLiteral(
                    "%1 changed since the preview was made; nothing was changed. Preview again.")
                    .arg(QDir::toNativeSeparators(e.path)));
        if (e.renames() && QFileInfo::exists(e.newPath))
            return Result<EditPlan>::failure(
                QStringLiteral("%1 already exists; nothing was changed.")
                    .arg(QDir::toNativeSeparators(e.newPath)));
    }

    QList<int> written; // edits whose content is on disk
    QList<int> moved;   // edits whose rename is done
    auto rollback = [&]() {
        QStringList problems;
        for (auto it = moved.crbegin(); it != moved.crend(); ++it) {
            const FileEdit &e = edits.at(*it);
            QString error;
            if (!moveFile(e.newPath, e.path, &error))
                problems << QStringLiteral("%1 (%2)").arg(e.newPath, error);
        }
        for (auto it = written.crbegin(); it != written.crend(); ++it) {
            const FileEdit &e = edits.at(*it);
            QString error;
            if (e.before) {
                if (!writeFile(e.path, *e.before, &error))
                    problems << QStringLiteral("%1 (%2)").arg(e.path, error);
            } else if (!QFile::remove(e.path)) {
                problems << e.path;
            }
        }
        return problems;
    };
    auto fail = [&](const QString &step, const QString &error) {
        const QStringList left = rollback();
        QString message = QStringLiteral("%1 failed: %2.").arg(step, error);
        if (left.isEmpty())
            message += QStringLiteral(" Every file is as it was.");
        else
            message += QStringLiteral(" These could not be put back: %1")
                           .arg(left.join(QStringLiteral(", ")));
        return Result<EditPlan>::failure(message);
    };

    // 2. Contents, each file replaced whole or not at all.
    for (int k = 0; k < edits.size(); ++k) {
        const FileEdit &e = edits.at(k);
        if (e.after == e.before)
            continue;
        QString error;
        if (e.after) {
            if (!writeFile(e.path, *e.after, &error))
                return fail(QStringLiteral("Writing %1").arg(QDir::toNativeSeparators(e.path)),
                            error);
        } else {
            QFile f(e.path);
            if (!f.remove())
                return fail(QStringLiteral("Deleting %1").arg(QDir::toNativeSeparators(e.path)),
                            f.errorString());
        }
        written.append(k);
    }
    // 3. Renames.
    for (int k = 0; k < edits.size(); ++k) {
        const FileEdit &e = edits.at(k);
        if (!e.renames() || !e.after || !e.before)
            continue;
        QString error;
        if (!moveFile(e.path, e.newPath, &error))
            return fail(QStringLiteral("Renaming %1 to %2")
                            .arg(QFileInfo(e.path).fileName(), QFileInfo(e.newPath).fileName()),
                        error);
        moved.append(k);
    }

    EditPlan undo;
    undo.title = QStringLiteral("Undo %1").arg(title);
    undo.focusId = focusId;
    for (auto it = edits.crbegin(); it != edits.crend(); ++it)
        undo.edits.append({it->newPath, it->path, it->after, it->before});
    return undo;
}

} // namespace Retort
