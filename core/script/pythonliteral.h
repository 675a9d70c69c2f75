#pragma once

#include <QByteArray>
#include <QString>

namespace Retort::PythonLiteral {

// Decodes one Python string literal (prefix and quotes included) as Python
// would: escapes, raw strings, universal newlines. Returns false, saying why,
// for bytes and for f-strings with replacement fields.
bool decode(const char *data, int size, QString *out, QString *whyNot = nullptr);

// Appends one code point as UTF-8.
void appendUtf8(QByteArray &out, char32_t cp);

// Index of the first byte that breaks UTF-8, or -1.
int firstInvalidUtf8(const QByteArray &bytes);

} // namespace Retort::PythonLiteral
