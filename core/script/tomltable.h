#pragma once

#include <QString>
#include <QVariantMap>

namespace Retort {

// Reads the key/value pairs of one table (e.g. "tool.alembic") from a TOML
// document, through toml++ (the whole TOML 1.0 grammar): strings, booleans,
// integers, floats, arrays (an array of tables as maps). Sub-tables are
// skipped. An error names the line.
class TomlTable
{
public:
    static bool read(const QString &document, const QString &table, QVariantMap *out,
                     QString *error);
};

} // namespace Retort
