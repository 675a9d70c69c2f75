#include "sourcecodec.h"
#include "pythonliteral.h"

#include <QHash>

#include <cerrno>
#include <iconv.h>

namespace Retort {

namespace {

bool isCookieChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

// CPython's get_coding_spec: a comment line holding `coding[:=]\s*name`.
QByteArray cookieOf(QByteArrayView line)
{
    int i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f'))
        ++i;
    if (i >= line.size() || line[i] != '#')
        return {};
    for (qsizetype at = line.indexOf("coding", i); at >= 0; at = line.indexOf("coding", at + 1)) {
        qsizetype p = at + 6;
        if (p >= line.size() || (line[p] != ':' && line[p] != '='))
            continue;
        ++p;
        while (p < line.size() && (line[p] == ' ' || line[p] == '\t'))
            ++p;
        const qsizetype begin = p;
        while (p < line.size() && isCookieChar(line[p]))
            ++p;
        if (p > begin)
            return line.sliced(begin, p - begin).toByteArray();
    }
    return {};
}

bool isBlankOrComment(QByteArrayView line)
{
    for (char c : line) {
        if (c == ' ' || c == '\t' || c == '\f')
            continue;
        return c == '#' || c == '\r' || c == '\n';
    }
    return true;
}

// Python's encodings.normalize_encoding, lower-cased as codecs.lookup does.
QByteArray normalized(const QByteArray &name)
{
    QByteArray out;
    bool punct = false;
    for (char c : name) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || c == '.') {
            if (punct && !out.isEmpty())
                out.append('_');
            out.append(char(c >= 'A' && c <= 'Z' ? c | 0x20 : c));
            punct = false;
        } else {
            punct = true;
        }
    }
    return out;
}

// Python's aliases whose spelling iconv does not take.
const QHash<QByteArray, QByteArray> &pythonAliases()
{
    static const QHash<QByteArray, QByteArray> aliases{
        {"latin_1", "LATIN1"},
        {"latin", "LATIN1"},
        {"iso8859_1", "LATIN1"},
        {"iso_8859_1", "LATIN1"},
        {"8859", "LATIN1"},
        {"iso_ir_100", "LATIN1"},
        {"utf_8", "UTF-8"},
        {"u8", "UTF-8"},
        {"utf", "UTF-8"},
        {"cp65001", "UTF-8"},
        {"utf8_ucs2", "UTF-8"},
        {"utf8_ucs4", "UTF-8"},
        {"646", "ASCII"},
        {"us", "ASCII"},
        {"mac_roman", "MACINTOSH"},
        {"macroman", "MACINTOSH"},
        {"mac_cyrillic", "MAC-CYRILLIC"},
        {"mac_latin2", "MAC-CENTRALEUROPE"},
    };
    return aliases;
}

bool iconvKnows(const QByteArray &name)
{
    iconv_t cd = iconv_open("UTF-8", name.constData());
    if (cd == iconv_t(-1))
        return false;
    iconv_close(cd);
    return true;
}

} // namespace

SourceCodec::Declaration SourceCodec::declared(const QByteArray &bytes)
{
    Declaration d;
    d.bom = bytes.startsWith("\xEF\xBB\xBF");
    const QByteArrayView all(bytes);
    qsizetype start = d.bom ? 3 : 0;
    for (int line = 1; line <= 2 && start < all.size(); ++line) {
        qsizetype end = start;
        while (end < all.size() && all[end] != '\n' && all[end] != '\r')
            ++end;
        if (end < all.size())
            end += (all[end] == '\r' && end + 1 < all.size() && all[end + 1] == '\n') ? 2 : 1;
        const QByteArrayView text = all.sliced(start, end - start);
        const QByteArray cookie = cookieOf(text);
        if (!cookie.isEmpty()) {
            d.name = cookie;
            d.line = line;
            return d;
        }
        if (!isBlankOrComment(text))
            break; // a cookie on line 2 counts only after a blank or comment line
        start = end;
    }
    return d;
}

SourceCodec::SourceCodec(const QByteArray &pythonName)
    : m_pythonName(pythonName)
{
    // No cookie, nearly always: nothing to allocate (a scan makes one
    // codec per file).
    if (pythonName.isEmpty()) {
        m_utf8 = true;
        m_iconvName = QByteArrayLiteral("UTF-8");
        return;
    }
    // CPython's get_normal_name, then codecs.lookup's normalization.
    const QByteArray lower = pythonName.left(12).toLower().replace('_', '-');
    if (lower == "utf-8" || lower.startsWith("utf-8-")) {
        m_utf8 = true;
        m_iconvName = QByteArrayLiteral("UTF-8");
        return;
    }
    for (const char *latin : {"latin-1", "iso-8859-1", "iso-latin-1"}) {
        if (lower == latin || lower.startsWith(QByteArray(QByteArray(latin) + "-"))) {
            m_iconvName = "LATIN1";
            return;
        }
    }
    const QByteArray name = normalized(pythonName);
    if (const auto it = pythonAliases().constFind(name); it != pythonAliases().cend()) {
        m_iconvName = it.value();
        m_utf8 = m_iconvName == "UTF-8";
        return;
    }
    QByteArray dashed = name;
    dashed.replace('_', '-');
    QByteArray joined = name;
    joined.replace("_", "");
    for (const QByteArray &candidate : {dashed, name, joined}) {
        if (!candidate.isEmpty() && iconvKnows(candidate)) {
            m_iconvName = candidate;
            return;
        }
    }
}

SourceCodec::Decoded SourceCodec::decode(const QByteArray &bytes) const
{
    Decoded out;
    out.utf8.reserve(bytes.size() + bytes.size() / 4);
    out.offsets.reserve(size_t(bytes.size()) + 1);
    iconv_t cd = iconv_open("UTF-32LE", m_iconvName.constData());
    if (cd == iconv_t(-1)) {
        out.errorOffset = 0;
        return out;
    }
    char *in = const_cast<char *>(bytes.constData());
    size_t inLeft = size_t(bytes.size());
    // One character at a time, so every output byte knows its input offset.
    while (inLeft > 0) {
        const int from = int(bytes.size() - qsizetype(inLeft));
        char32_t cp = 0;
        char *outPtr = reinterpret_cast<char *>(&cp);
        size_t outLeft = sizeof cp;
        const size_t r = iconv(cd, &in, &inLeft, &outPtr, &outLeft);
        if (outLeft == 0) {
            const qsizetype before = out.utf8.size();
            PythonLiteral::appendUtf8(out.utf8, cp);
            for (qsizetype k = before; k < out.utf8.size(); ++k)
                out.offsets.push_back(from);
            continue;
        }
        if (r == size_t(-1) && errno != E2BIG) {
            out.errorOffset = int(bytes.size() - qsizetype(inLeft));
            break;
        }
        if (r != size_t(-1) && inLeft == 0)
            break; // a trailing shift sequence
    }
    iconv_close(cd);
    out.offsets.push_back(int(bytes.size() - qsizetype(inLeft)));
    return out;
}

bool SourceCodec::encode(const QString &text, QByteArray *out) const
{
    const QByteArray utf8 = text.toUtf8();
    if (m_utf8) {
        *out = utf8;
        return true;
    }
    iconv_t cd = iconv_open(m_iconvName.constData(), "UTF-8");
    if (cd == iconv_t(-1))
        return false;
    QByteArray buffer(utf8.size() * 4 + 16, Qt::Uninitialized);
    char *in = const_cast<char *>(utf8.constData());
    size_t inLeft = size_t(utf8.size());
    char *outPtr = buffer.data();
    size_t outLeft = size_t(buffer.size());
    const size_t r = iconv(cd, &in, &inLeft, &outPtr, &outLeft);
    const bool ok = r != size_t(-1) && iconv(cd, nullptr, nullptr, &outPtr, &outLeft) != size_t(-1);
    iconv_close(cd);
    if (!ok)
        return false;
    buffer.truncate(buffer.size() - qsizetype(outLeft));
    *out = buffer;
    return true;
}

} // namespace Retort
