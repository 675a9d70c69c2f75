#pragma once

#include <QString>
#include <QVariantMap>

namespace Retort {

// Reads the key/value pairs of one table (e.g. "tool.alembic") from a TOML
// document: strings (basic, literal, multi-line), booleans, integers and
// arrays of those. Enough for pyproject.toml's [tool.alembic]; sub-tables
// and inline tables are skipped.
class TomlTable
{
public:
    static bool read(const QString &document, const QString &table, QVariantMap *out,
                     QString *error);
};

} // namespace Retort
