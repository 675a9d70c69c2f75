#pragma once

#include "revisionfile.h"

#include <QString>

namespace Retort {

// A short reading of one operation for people: "op.add_column users.email",
// "op.create_index ix_users_email on users". Built from the string literals
// among the call's arguments; nothing is evaluated.
QString summarizeOperation(const OperationCall &call, const QString &batchTable = {});

// The operations of a function body, one summary each, batch operations
// attributed to their table.
QStringList summarizeOperations(const FunctionBody &body);

} // namespace Retort
