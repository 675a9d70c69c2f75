#include "tomltable.h"

#include <toml++/toml.h>

#include <QVariantList>

namespace Retort {

namespace {

QString fromStd(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// A TOML value as Qt holds it; a sub-table is skipped (invalid QVariant).
QVariant toVariant(const toml::node &node)
{
    if (const auto *s = node.as_string())
        return fromStd(s->get());
    if (const auto *b = node.as_boolean())
        return b->get();
    if (const auto *i = node.as_integer())
        return qlonglong(i->get());
    if (const auto *f = node.as_floating_point())
        return f->get();
    if (const auto *a = node.as_array()) {
        QVariantList out;
        for (const toml::node &item : *a)
            if (QVariant v = toVariant(item); v.isValid())
                out.append(v);
        return out;
    }
    if (const auto *t = node.as_table()) {
        // Inside an array (an array of tables): kept as a map.
        QVariantMap out;
        for (const auto &[key, value] : *t)
            if (QVariant v = toVariant(value); v.isValid())
                out.insert(fromStd(key.str()), v);
        return out;
    }
    return {}; // dates and times: nothing Alembic reads
}

} // namespace

bool TomlTable::read(const QString &document, const QString &table, QVariantMap *out,
                     QString *error)
{
    const QByteArray utf8 = document.toUtf8();
    toml::table root;
    try {
        root = toml::parse(std::string_view(utf8.constData(), size_t(utf8.size())));
    } catch (const toml::parse_error &e) {
        *error =
            QStringLiteral("line %1: %2").arg(e.source().begin.line).arg(fromStd(e.description()));
        return false;
    }
    const toml::node_view<toml::node> found = root.at_path(table.toStdString());
    const toml::table *t = found.as_table();
    if (!t) {
        *error = QStringLiteral("there is no [%1] table").arg(table);
        return false;
    }
    out->clear();
    for (const auto &[key, value] : *t) {
        if (value.is_table())
            continue; // a sub-table, such as [tool.alembic.something]
        if (QVariant v = toVariant(value); v.isValid())
            out->insert(fromStd(key.str()), v);
    }
    return true;
}

} // namespace Retort
