// The INI and TOML readers on arbitrary text: no crash, no endless
// interpolation, every section readable.
#include "core/script/inifile.h"
#include "core/script/tomltable.h"

using namespace Retort;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    IniFile ini;
    if (ini.parse(text, {{QStringLiteral("here"), QStringLiteral("/p")}})) {
        for (const QString &section : ini.sections()) {
            ini.value(section, QStringLiteral("script_location"));
            ini.value(section, QStringLiteral("sqlalchemy.url"));
            ini.value(section, QStringLiteral("version_locations"));
        }
    }
    QVariantMap out;
    QString error;
    TomlTable::read(text, QStringLiteral("tool.alembic"), &out, &error);
    return 0;
}
