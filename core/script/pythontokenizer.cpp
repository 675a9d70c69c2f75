#include "pythontokenizer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace Retort {

namespace {

// 1: may start a name (letters, '_', any non-ASCII byte); 2: may go on one.
constexpr auto kNameClass = [] {
    std::array<quint8, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const bool start =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
        t[size_t(c)] = start ? 3 : (c >= '0' && c <= '9') ? 2 : 0;
    }
    return t;
}();

bool isNameStart(unsigned char c)
{
    return kNameClass[c] & 1;
}

bool isNameChar(unsigned char c)
{
    return kNameClass[c] & 2;
}

bool isDigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

constexpr auto kStringSpecial = [] {
    std::array<bool, 256> t{};
    t[quint8('\\')] = t[quint8('\'')] = t[quint8('"')] = t[quint8('\n')] = t[quint8('\r')] = true;
    return t;
}();

// Length of the operator at `p` (1 when it is a single character).
int operatorLength(const char *p, int available)
{
    const char a = p[0];
    const char b = available > 1 ? p[1] : 0;
    const char c = available > 2 ? p[2] : 0;
    switch (a) {
    case '*':
    case '/':
    case '>':
    case '<':
        if (b == a)
            return c == '=' ? 3 : 2; // **= //= >>= <<= and ** // >> <<
        if (b == '=' || (a == '<' && b == '>'))
            return 2;
        return 1;
    case '.':
        return (b == '.' && c == '.') ? 3 : 1;
    case '-':
        return (b == '>' || b == '=') ? 2 : 1;
    case '=':
    case '!':
    case '+':
    case '%':
    case '&':
    case '|':
    case '^':
    case '@':
    case ':':
        return b == '=' ? 2 : 1;
    default:
        return 1;
    }
}

// Bytes that mean nothing to the block structure: inside an indented block
// TopLevel mode steps over runs of them without making tokens. Everything
// else (line ends, quotes, brackets, '#', '\\') goes the normal way.
constexpr auto kBlockPlain = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[size_t(c)] = true;
    for (const char c : {'\n', '\r', '\'', '"', '(', ')', '[', ']', '{', '}', '#', '\\'})
        t[quint8(c)] = false;
    return t;
}();

constexpr int kMaxDepth = 200;

#if defined(__SSE2__)
// Steps over 16 bytes at a time from `pos` while hit(bytes) marks none of
// them; returns the first marked byte's position, or where fewer than 16
// bytes are left (the caller goes on byte by byte from there).
template<typename Hit> int skipUnmarked(const char *data, int pos, int size, Hit hit)
{
    while (pos + 16 <= size) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + pos));
        if (const unsigned mask = unsigned(_mm_movemask_epi8(hit(v))))
            return pos + std::countr_zero(mask);
        pos += 16;
    }
    return pos;
}
#endif

} // namespace

PythonTokenizer::PythonTokenizer(const QByteArray &source)
    : m_data(source.constData())
    , m_size(int(source.size()))
{}

int PythonTokenizer::stringPrefixLength(const char *data, int size, int pos)
{
    switch (data[pos] | 0x20) {
    case 'r':
    case 'b':
    case 'u':
    case 'f':
        break;
    default:
        return -1;
    }
    int n = 0;
    bool r = false, b = false, u = false, f = false;
    for (; pos + n < size && n < 2; ++n) {
        const char raw = data[pos + n];
        if (raw == '\'' || raw == '"')
            break;
        const char c = char(raw | 0x20);
        if (c == 'r' && !r && !u)
            r = true;
        else if (c == 'b' && !b && !u && !f)
            b = true;
        else if (c == 'u' && n == 0)
            u = true;
        else if (c == 'f' && !f && !b && !u)
            f = true;
        else
            return -1;
    }
    if (n == 0 || pos + n >= size)
        return -1;
    return (data[pos + n] == '\'' || data[pos + n] == '"') ? n : -1;
}

void PythonTokenizer::addError(int line, const QString &message)
{
    m_errors.append({line, message});
}

void PythonTokenizer::scanString(int prefixLength, Tokens &tokens)
{
    const int start = m_pos;
    const int startLine = m_line;
    int pos = m_pos + prefixLength;
    const char quote = m_data[pos];
    const bool triple = pos + 2 < m_size && m_data[pos + 1] == quote && m_data[pos + 2] == quote;
    pos += triple ? 3 : 1;
    bool closed = false;
    while (pos < m_size) {
        // Skip the plain run quickly: only quotes, backslashes and line ends matter.
#if defined(__SSE2__)
        // Sixteen bytes at a time where the source has them (a docstring is
        // mostly such runs); the rest byte by byte.
        pos = skipUnmarked(m_data, pos, m_size, [quote](__m128i v) {
            auto is = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
            return _mm_or_si128(_mm_or_si128(is(quote), is('\\')),
                                _mm_or_si128(is('\n'), is('\r')));
        });
#endif
        while (pos < m_size && !kStringSpecial[quint8(m_data[pos])])
            ++pos;
        if (pos >= m_size)
            break;
        const char c = m_data[pos];
        if (c == '\\') {
            // A backslash escapes the next character even in raw strings,
            // as far as finding the end of the literal is concerned.
            ++pos;
            if (const int nl = newlineLength(pos)) {
                pos += nl;
                ++m_line;
            } else if (pos < m_size) {
                ++pos;
            }
            continue;
        }
        if (const int nl = newlineLength(pos)) {
            if (!triple)
                break;
            pos += nl;
            ++m_line;
            continue;
        }
        if (c == quote) {
            if (!triple) {
                ++pos;
                closed = true;
                break;
            }
            if (pos + 2 < m_size && m_data[pos + 1] == quote && m_data[pos + 2] == quote) {
                pos += 3;
                closed = true;
                break;
            }
        }
        ++pos;
    }
    if (!closed) {
        addError(startLine, triple ? QStringLiteral("unterminated triple-quoted string")
                                   : QStringLiteral("unterminated string literal"));
        pushToken(tokens, Token{TokenType::Error, start, pos, startLine, m_line, m_depth});
    } else {
        pushToken(tokens, Token{TokenType::String, start, pos, startLine, m_line, m_depth});
    }
    m_pos = pos;
}

bool PythonTokenizer::handleIndentation(Tokens &tokens)
{
    // Measure the indentation of the line starting at m_pos. Returns false
    // for blank and comment-only lines, which do not change indentation.
    int col = 0;
    int altCol = 0; // tabs as one column: CPython compares both to catch TabError
    int pos = m_pos;
    int continuationCol = 0;
    int continuationAltCol = 0;
    for (;;) {
        while (pos < m_size) {
            const char c = m_data[pos];
            if (c == ' ') {
                ++col;
                ++altCol;
            } else if (c == '\t') {
                col = (col / 8 + 1) * 8;
                ++altCol;
            } else if (c == '\f') {
                col = altCol = 0;
            } else {
                break;
            }
            ++pos;
        }
        // CPython 3.10+: a backslash continuation in the indentation carries
        // on to the next line; the first one's column, if not 0, counts.
        if (pos < m_size && m_data[pos] == '\\' && newlineLength(pos + 1)) {
            if (continuationCol == 0) {
                continuationCol = col;
                continuationAltCol = altCol;
            }
            pos += 1 + newlineLength(pos + 1);
            ++m_line;
            continue;
        }
        break;
    }
    if (continuationCol != 0) {
        col = continuationCol;
        altCol = continuationAltCol;
    }
    m_pos = pos;
    if (pos >= m_size || newlineLength(pos) || m_data[pos] == '#')
        return false;
    auto tabError = [this] {
        addError(m_line, QStringLiteral("inconsistent use of tabs and spaces in indentation"));
    };
    if (col == m_indents.last()) {
        if (altCol != m_altIndents.last())
            tabError();
    } else if (col > m_indents.last()) {
        if (altCol <= m_altIndents.last())
            tabError();
        m_indents.append(col);
        m_altIndents.append(altCol);
        tokens.push_back(Token{TokenType::Indent, pos, pos, m_line, m_line, 0});
    } else {
        while (m_indents.size() > 1 && col < m_indents.last()) {
            m_indents.removeLast();
            m_altIndents.removeLast();
            tokens.push_back(Token{TokenType::Dedent, pos, pos, m_line, m_line, 0});
        }
        if (col != m_indents.last()) {
            addError(m_line, QStringLiteral("unindent does not match any outer indentation level"));
            // Read on as a block of its own, in every mode alike.
            m_indents.append(col);
            m_altIndents.append(altCol);
            tokens.push_back(Token{TokenType::Indent, pos, pos, m_line, m_line, 0});
        } else if (altCol != m_altIndents.last()) {
            tabError();
        }
    }
    return true;
}

// TopLevel mode inside an indented block: nothing there is kept, so only
// what changes strings, brackets or lines is looked at. (Names, numbers and
// operators only make the line "have content"; a string prefix does not
// change where its literal ends.) Stops at a line end, a backslash or the
// end, which the caller handles as ever.
void PythonTokenizer::skipInBlock(bool &lineHasContent, Tokens &tokens)
{
    for (;;) {
        const int run = m_pos;
#if defined(__SSE2__)
        // Sixteen bytes at a time: the bytes that are not plain are two
        // single ones and three short ranges (see kBlockPlain).
        m_pos = skipUnmarked(m_data, m_pos, m_size, [](__m128i v) {
            auto is = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
            auto within = [&v](char low, char high) {
                const __m128i offset = _mm_sub_epi8(v, _mm_set1_epi8(low));
                return _mm_cmpeq_epi8(_mm_subs_epu8(offset, _mm_set1_epi8(char(high - low))),
                                      _mm_setzero_si128());
            };
            return _mm_or_si128(
                _mm_or_si128(_mm_or_si128(is('\n'), is('\r')), _mm_or_si128(is('{'), is('}'))),
                _mm_or_si128(within('"', '#'), _mm_or_si128(within('\'', ')'), within('[', ']'))));
        });
#endif
        while (m_pos < m_size && kBlockPlain[quint8(m_data[m_pos])])
            ++m_pos;
        if (m_pos != run)
            lineHasContent = true;
        if (m_pos >= m_size)
            return;
        const char c = m_data[m_pos];
        switch (c) {
        case '\'':
        case '"':
            lineHasContent = true;
            scanString(0, tokens);
            break;
        case '(':
        case '[':
        case '{':
            lineHasContent = true;
            if (++m_depth == kMaxDepth + 1)
                addError(m_line, QStringLiteral("too many nested parentheses"));
            ++m_pos;
            break;
        case ')':
        case ']':
        case '}':
            lineHasContent = true;
            if (m_depth == 0)
                addError(m_line, QStringLiteral("unmatched '%1'").arg(QLatin1Char(c)));
            else
                --m_depth;
            ++m_pos;
            break;
        case '#':
            while (m_pos < m_size && !newlineLength(m_pos))
                ++m_pos;
            break;
        default:
            return; // a line end or a backslash
        }
    }
}

PythonTokenizer::Tokens PythonTokenizer::tokenize(Mode mode)
{
    Tokens tokens;
    tokenize(tokens, mode);
    return tokens;
}

// flatten: push_back and the scanners inlined, 16% faster (bench_reader).
__attribute__((flatten)) void PythonTokenizer::tokenize(Tokens &tokens, Mode mode)
{
    tokens.clear();
    tokens.reserve(m_size / 5 + 16);
    const bool trivia = mode == AllTokens;
    m_topLevelOnly = mode == TopLevel;
    // CPython refuses NUL bytes anywhere in source.
    if (const void *nul = std::memchr(m_data, 0, size_t(m_size))) {
        const int at = int(static_cast<const char *>(nul) - m_data);
        addError(int(std::count(m_data, m_data + at, '\n')) + 1,
                 QStringLiteral("source code cannot contain null bytes"));
    }
    if (m_size >= 3 && quint8(m_data[0]) == 0xEF && quint8(m_data[1]) == 0xBB &&
        quint8(m_data[2]) == 0xBF)
        m_pos = 3;

    bool atLineStart = true;
    bool lineHasContent = false;
    while (m_pos < m_size) {
        if (atLineStart) {
            // Lines inside brackets carry no indentation meaning.
            atLineStart = false;
            if (m_depth == 0) {
                handleIndentation(tokens);
                if (m_pos >= m_size)
                    break;
            }
        }
        if (m_topLevelOnly && m_indents.size() > 1) {
            skipInBlock(lineHasContent, tokens);
            if (m_pos >= m_size)
                break;
        }
        const unsigned char c = quint8(m_data[m_pos]);
        if (const int nl = newlineLength(m_pos)) {
            const bool logical = lineHasContent && m_depth == 0;
            if (logical || trivia)
                pushToken(tokens, Token{logical ? TokenType::Newline : TokenType::NonLogicalNewline,
                                        m_pos, m_pos + nl, m_line, m_line, m_depth});
            m_pos += nl;
            ++m_line;
            atLineStart = true;
            if (logical)
                lineHasContent = false;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\f') {
            do
                ++m_pos;
            while (m_pos < m_size &&
                   (m_data[m_pos] == ' ' || m_data[m_pos] == '\t' || m_data[m_pos] == '\f'));
            continue;
        }
        if (c == '#') {
            const int start = m_pos;
            while (m_pos < m_size && !newlineLength(m_pos))
                ++m_pos;
            if (trivia)
                pushToken(tokens, Token{TokenType::Comment, start, m_pos, m_line, m_line, m_depth});
            continue;
        }
        if (c == '\\') {
            if (const int nl = newlineLength(m_pos + 1)) {
                m_pos += 1 + nl;
                ++m_line;
                continue;
            }
            addError(m_line, QStringLiteral("unexpected character after line continuation"));
            pushToken(tokens, Token{TokenType::Error, m_pos, m_pos + 1, m_line, m_line, m_depth});
            ++m_pos;
            continue;
        }
        lineHasContent = true;
        if (c == '\'' || c == '"') {
            scanString(0, tokens);
            continue;
        }
        if (isNameStart(c)) {
            const int prefix = stringPrefixLength(m_data, m_size, m_pos);
            if (prefix > 0) {
                scanString(prefix, tokens);
                continue;
            }
            const int start = m_pos;
            while (m_pos < m_size && isNameChar(quint8(m_data[m_pos])))
                ++m_pos;
            pushToken(tokens, Token{TokenType::Name, start, m_pos, m_line, m_line, m_depth});
            continue;
        }
        if (isDigit(c) || (c == '.' && m_pos + 1 < m_size && isDigit(quint8(m_data[m_pos + 1])))) {
            const int start = m_pos;
            while (m_pos < m_size) {
                const unsigned char d = quint8(m_data[m_pos]);
                if (isNameChar(d) || d == '.') {
                    ++m_pos;
                } else if ((d == '+' || d == '-') && m_pos > start &&
                           (m_data[m_pos - 1] | 0x20) == 'e' &&
                           !(m_pos - start >= 2 && (m_data[start + 1] | 0x20) == 'x')) {
                    ++m_pos;
                } else {
                    break;
                }
            }
            pushToken(tokens, Token{TokenType::Number, start, m_pos, m_line, m_line, m_depth});
            continue;
        }
        // Operators and brackets.
        const int len = operatorLength(m_data + m_pos, m_size - m_pos);
        if (len == 1 && (c == ')' || c == ']' || c == '}')) {
            if (m_depth == 0)
                addError(m_line, QStringLiteral("unmatched '%1'").arg(QLatin1Char(char(c))));
            else
                --m_depth;
            pushToken(tokens, Token{TokenType::Op, m_pos, m_pos + 1, m_line, m_line, m_depth});
            ++m_pos;
            continue;
        }
        pushToken(tokens, Token{TokenType::Op, m_pos, m_pos + len, m_line, m_line, m_depth});
        if (len == 1 && (c == '(' || c == '[' || c == '{')) {
            // CPython's MAXLEVEL: it refuses deeper nesting, and so do we.
            if (++m_depth == kMaxDepth + 1)
                addError(m_line, QStringLiteral("too many nested parentheses"));
        }
        m_pos += len;
    }
    if (m_depth > 0)
        addError(m_line, QStringLiteral("unclosed bracket at end of file"));
    if (lineHasContent)
        pushToken(tokens, Token{TokenType::Newline, m_size, m_size, m_line, m_line, 0});
    while (m_indents.size() > 1) {
        m_indents.removeLast();
        m_altIndents.removeLast();
        tokens.push_back(Token{TokenType::Dedent, m_size, m_size, m_line, m_line, 0});
    }
    tokens.push_back(Token{TokenType::EndMarker, m_size, m_size, m_line, m_line, 0});
}

} // namespace Retort
