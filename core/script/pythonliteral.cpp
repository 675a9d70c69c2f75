#include "pythonliteral.h"
#include "pythontokenizer.h"

#include <QStringDecoder>

#include <cstring>

namespace Retort::PythonLiteral {

namespace {

// UTF-8 to QString keeping a leading U+FEFF, which is text inside a literal
// (QString::fromUtf8 would take it for a byte order mark and drop it).
QString utf8(QByteArrayView bytes)
{
    // ASCII, nearly always: widened here, which for a literal of a few
    // bytes costs half of what Qt's decoder spends getting started.
    {
        QString ascii(bytes.size(), Qt::Uninitialized);
        char16_t *to = reinterpret_cast<char16_t *>(ascii.data());
        quint8 high = 0;
        for (const char c : bytes) {
            high |= quint8(c);
            *to++ = char16_t(quint8(c));
        }
        if (!(high & 0x80))
            return ascii;
    }
    const bool bom = bytes.size() >= 3 && quint8(bytes[0]) == 0xEF && quint8(bytes[1]) == 0xBB &&
                     quint8(bytes[2]) == 0xBF;
    if (!bom)
        return QString::fromUtf8(bytes); // a decoder object per literal costs more than the text
    QStringDecoder decoder(QStringConverter::Utf8, QStringConverter::Flag::ConvertInitialBom);
    return decoder.decode(bytes);
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = char(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

} // namespace

namespace {

// appendUtf8() into memory the caller has made room in; returns the end.
char *writeUtf8(char *w, char32_t cp)
{
    if (cp < 0x80) {
        *w++ = char(cp);
    } else if (cp < 0x800) {
        *w++ = char(0xC0 | (cp >> 6));
        *w++ = char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = char(0xE0 | (cp >> 12));
        *w++ = char(0x80 | ((cp >> 6) & 0x3F));
        *w++ = char(0x80 | (cp & 0x3F));
    } else {
        *w++ = char(0xF0 | (cp >> 18));
        *w++ = char(0x80 | ((cp >> 12) & 0x3F));
        *w++ = char(0x80 | ((cp >> 6) & 0x3F));
        *w++ = char(0x80 | (cp & 0x3F));
    }
    return w;
}

} // namespace

void appendUtf8(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xC0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.append(char(0xE0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else {
        out.append(char(0xF0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3F)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    }
}

int firstInvalidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const int n = int(bytes.size());
    int i = 0;
    while (i < n) {
        // ASCII runs, eight bytes at a time: nearly every source file is
        // all ASCII.
        while (i + 8 <= n) {
            quint64 word;
            std::memcpy(&word, p + i, sizeof word);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        quint32 cp = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        for (int k = 1; k <= extra; ++k) {
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += extra + 1;
    }
    return -1;
}

bool decode(const char *data, int size, QString *out, QString *whyNot)
{
    const int prefix = PythonTokenizer::stringPrefixLength(data, size, 0);
    bool raw = false, bytes = false, fstring = false;
    for (int i = 0; i < qMax(0, prefix); ++i) {
        const char c = char(data[i] | 0x20);
        raw = raw || c == 'r';
        bytes = bytes || c == 'b';
        fstring = fstring || c == 'f';
    }
    const int q = qMax(0, prefix);
    if (q >= size) {
        if (whyNot)
            *whyNot = QStringLiteral("not a string literal");
        return false;
    }
    if (bytes) {
        if (whyNot)
            *whyNot = QStringLiteral("it is a bytes literal, not a string");
        return false;
    }
    const char quote = data[q];
    const bool triple =
        q + 2 < size && data[q + 1] == quote && data[q + 2] == quote && size - q >= 6;
    const int open = triple ? 3 : 1;
    const int bodyBegin = q + open;
    const int bodyEnd = size - open;
    if (bodyEnd < bodyBegin) {
        if (whyNot)
            *whyNot = QStringLiteral("unterminated string");
        return false;
    }
    // Most literals need no decoding at all: no escapes, no CR, no braces.
    const char *body = data + bodyBegin;
    const size_t bodySize = size_t(bodyEnd - bodyBegin);
    if (!std::memchr(body, '\\', bodySize) && !std::memchr(body, '\r', bodySize) &&
        !(fstring && (std::memchr(body, '{', bodySize) || std::memchr(body, '}', bodySize)))) {
        *out = utf8(QByteArrayView(body, qsizetype(bodySize)));
        return true;
    }
    // Escapes and line ends only ever shorten the text: the body's size is
    // enough, and the bytes are written through a pointer.
    QByteArray buf(bodyEnd - bodyBegin, Qt::Uninitialized);
    char *w = buf.data();
    auto put = [&w](char c) { *w++ = c; };
    for (int i = bodyBegin; i < bodyEnd; ++i) {
        char c = data[i];
        if (c == '\r') {
            // Python reads source with universal newlines.
            if (i + 1 < bodyEnd && data[i + 1] == '\n')
                ++i;
            c = '\n';
        }
        if (fstring && (c == '{' || c == '}')) {
            if (i + 1 < bodyEnd && data[i + 1] == c) {
                put(c);
                ++i;
                continue;
            }
            if (whyNot)
                *whyNot = QStringLiteral("it is an f-string with a replacement field");
            return false;
        }
        if (c != '\\' || i + 1 >= bodyEnd) {
            put(c);
            continue;
        }
        const char e = data[i + 1];
        if (raw) {
            put(c);
            continue; // the escaped character is appended on the next turn
        }
        i += 1;
        switch (e) {
        case '\n':
            break;
        case '\r':
            if (i + 1 < bodyEnd && data[i + 1] == '\n')
                ++i;
            break;
        case '\\':
        case '\'':
        case '"':
            put(e);
            break;
        case 'a':
            put('\a');
            break;
        case 'b':
            put('\b');
            break;
        case 'f':
            put('\f');
            break;
        case 'n':
            put('\n');
            break;
        case 'r':
            put('\r');
            break;
        case 't':
            put('\t');
            break;
        case 'v':
            put('\v');
            break;
        case 'x':
        case 'u':
        case 'U': {
            const int digits = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
            quint32 cp = 0;
            bool ok = i + digits < bodyEnd;
            for (int k = 1; ok && k <= digits; ++k) {
                const int h = hexValue(data[i + k]);
                ok = h >= 0;
                cp = cp * 16 + quint32(qMax(0, h));
            }
            if (!ok || cp > 0x10FFFF) {
                if (whyNot)
                    *whyNot = QStringLiteral("it has an invalid \\%1 escape").arg(QLatin1Char(e));
                return false;
            }
            w = writeUtf8(w, cp);
            i += digits;
            break;
        }
        case 'N':
            if (whyNot)
                *whyNot = QStringLiteral("it uses a \\N{...} escape");
            return false;
        default:
            if (e >= '0' && e <= '7') {
                quint32 cp = 0;
                int k = 0;
                while (k < 3 && i + k < bodyEnd && data[i + k] >= '0' && data[i + k] <= '7') {
                    cp = cp * 8 + quint32(data[i + k] - '0');
                    ++k;
                }
                w = writeUtf8(w, cp);
                i += k - 1;
            } else {
                put('\\');
                put(e);
            }
        }
    }
    buf.truncate(w - buf.constData());
    *out = utf8(buf);
    return true;
}

} // namespace Retort::PythonLiteral
