// reader_dump FILE...: what Retort's reader makes of each file, one JSON
// object per line, for tests/fuzz/differential.py.
#include "core/script/revisionreader.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Retort;

namespace {
QJsonValue valueOf(const PythonValue &v)
{
    switch (v.kind) {
    case PythonValue::Kind::Missing:
        return QJsonValue(QJsonValue::Undefined);
    case PythonValue::Kind::None:
        return QJsonValue();
    case PythonValue::Kind::String:
        return v.items.first();
    case PythonValue::Kind::Sequence:
        return QJsonArray::fromStringList(v.items);
    case PythonValue::Kind::NotLiteral:
        return QJsonObject{{QStringLiteral("not_literal"), true}};
    }
    return {};
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    for (const QString &path : app.arguments().mid(1)) {
        const RevisionFile f = RevisionReader::readFile(path);
        QJsonArray errors;
        for (const Diagnostic &d : f.diagnostics) {
            if (d.severity == Severity::Error)
                errors.append(d.code);
        }
        QJsonObject o{{QStringLiteral("path"), path}, {QStringLiteral("errors"), errors}};
        const char *names[] = {"revision", "down_revision", "branch_labels", "depends_on"};
        const PythonValue *values[] = {&f.revision, &f.downRevision, &f.branchLabels, &f.dependsOn};
        for (int k = 0; k < 4; ++k) {
            const QJsonValue v = valueOf(*values[k]);
            if (!v.isUndefined())
                o.insert(QLatin1String(names[k]), v);
        }
        if (f.docstringSpan.isValid())
            o.insert(QStringLiteral("doc"), f.docstring);
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    }
    return 0;
}
