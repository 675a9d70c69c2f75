#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace Retort {

// An INI file read the way Python's configparser.ConfigParser reads it,
// with its BasicInterpolation (`%(name)s`, `%%`) and DEFAULT section.
class IniFile
{
public:
    // Parses `text`; `defaults` seed the DEFAULT section (Alembic passes
    // `here`). Returns false with `error` set on a malformed line.
    bool parse(const QString &text, const QHash<QString, QString> &defaults = {});

    bool hasSection(const QString &section) const;
    QStringList sections() const { return m_order; }
    bool contains(const QString &section, const QString &key) const;
    // A section's keys, DEFAULT's included (as configparser's options()).
    QStringList keys(const QString &section) const;
    // The interpolated value, or `fallback` when absent. An interpolation
    // configparser refuses (a missing name, a lone %, a loop) sets `error`
    // (when given) and returns the raw value.
    QString value(const QString &section, const QString &key, const QString &fallback = {},
                  QString *error = nullptr) const;
    QString rawValue(const QString &section, const QString &key) const;
    int line(const QString &section, const QString &key) const;

    QString error() const { return m_error; }
    int errorLine() const { return m_errorLine; }

private:
    QString interpolate(const QString &section, const QString &value, int depth,
                        QString *error) const;

    struct Entry
    {
        QString value;
        int line = 0;
    };
    QHash<QString, QHash<QString, Entry>> m_sections;
    QStringList m_order;
    QString m_error;
    int m_errorLine = 0;
};

} // namespace Retort
