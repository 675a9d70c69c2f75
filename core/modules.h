#pragma once

#include <QString>
#include <QtGlobal>

namespace Retort::Modules {

// A symbol of one of Retort's modules (retort-gui, retort-git,
// retort-keyring) beside the executable, or in its module folder when
// installed; null with `error` set.
QFunctionPointer symbol(const QString &module, const char *symbol, QString *error);

} // namespace Retort::Modules
