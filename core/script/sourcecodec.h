#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

namespace Retort {

// The encoding of a Python source file as CPython decides it (PEP 263): a
// coding cookie on line 1, or on line 2 when line 1 is blank or a comment;
// UTF-8 otherwise. Decoding and encoding go through glibc's iconv, which
// knows the codecs Python source files use.
class SourceCodec
{
public:
    struct Declaration
    {
        QByteArray name; // as the cookie spells it; empty: none (UTF-8)
        int line = 0;    // 1 or 2
        bool bom = false;
    };
    static Declaration declared(const QByteArray &bytes);

    // A codec by Python name; invalid when neither Python's rules nor iconv
    // know it.
    explicit SourceCodec(const QByteArray &pythonName = {});
    bool isValid() const { return !m_iconvName.isEmpty(); }
    bool isUtf8() const { return m_utf8; }
    QByteArray pythonName() const { return m_pythonName; }

    struct Decoded
    {
        QByteArray utf8;
        // original byte offset of each byte of `utf8`, and one past the end
        std::vector<int> offsets;
        int errorOffset = -1; // first original byte that does not decode
    };
    // The bytes as UTF-8, with where each byte came from.
    Decoded decode(const QByteArray &bytes) const;
    // `text` in this codec; false when a character has no encoding in it.
    bool encode(const QString &text, QByteArray *out) const;

private:
    QByteArray m_pythonName;
    QByteArray m_iconvName;
    bool m_utf8 = false;
};

} // namespace Retort
