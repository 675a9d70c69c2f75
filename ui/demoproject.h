#pragma once

#include <QString>

namespace Retort {

// The bundled demo project (compiled into the binary) copied to a fresh,
// writable folder, so it can be renamed, edited and migrated freely.
// Returns the path of its alembic.ini, or an empty string with `error` set.
QString materializeDemoProject(QString *error);

} // namespace Retort
