#include "modules.h"

#include <QDir>
#include <QFileInfo>
#include <QLibrary>
#include <QStringList>

namespace Retort::Modules {

QFunctionPointer symbol(const QString &module, const char *symbol, QString *error)
{
    // Beside the executable in a build tree; installed, in its module folder.
    const QString exeDir = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    QStringList errors;
    for (const QString &dir :
         QStringList{exeDir, exeDir + QStringLiteral("/../" RETORT_MODULE_DIR)}) {
        const QString path = dir + u'/' + module + QStringLiteral(".so");
        if (!QFileInfo::exists(path))
            continue;
        QLibrary library(path);
        if (!library.load()) {
            errors.append(library.errorString());
            *error = errors.join(QStringLiteral("; "));
            continue;
        }
        if (QFunctionPointer f = library.resolve(symbol))
            return f;
        errors.append(library.errorString());
        *error = errors.join(QStringLiteral("; "));
    }
    if (errors.isEmpty())
        *error = QStringLiteral("there is no %1.so beside %2 nor in %3")
                     .arg(module, exeDir,
                          QDir::cleanPath(exeDir + QStringLiteral("/../" RETORT_MODULE_DIR)));
    return nullptr;
}

} // namespace Retort::Modules
