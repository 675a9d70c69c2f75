#include "revisionreader.h"
#include "pythontokenizer.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QVarLengthArray>

#include <cstring>

namespace Retort {

namespace {

// Index of the first byte that breaks UTF-8, or -1.
int firstInvalidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const int n = int(bytes.size());
    int i = 0;
    while (i < n) {
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

int lineOfOffset(const QByteArray &bytes, int offset)
{
    int line = 1;
    for (int i = 0; i < offset && i < bytes.size(); ++i) {
        if (bytes[i] == '\n' ||
            (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n')))
            ++line;
    }
    return line;
}

// A PEP 263 coding declaration in the first two lines naming a Latin-1 codec.
bool declaresLatin1(const QByteArray &bytes)
{
    static const QRegularExpression cookie(
        QStringLiteral("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)"),
        QRegularExpression::MultilineOption);
    const QString head = QString::fromLatin1(bytes.left(400));
    const QStringList lines = head.split(u'\n');
    for (int i = 0; i < qMin(2, int(lines.size())); ++i) {
        const auto m = cookie.match(lines.at(i));
        if (m.hasMatch()) {
            const QString codec = m.captured(1).toLower().replace(u'_', u'-');
            return codec == u"latin-1" || codec == u"iso-8859-1" || codec == u"iso-latin-1" ||
                   codec == u"latin1" || codec == u"cp1252";
        }
    }
    return false;
}

void appendUtf8(QByteArray &out, quint32 cp)
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

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = char(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

class Reader
{
public:
    Reader(const QByteArray &content, RevisionFile &result, RevisionReader::Detail detail)
        : m_src(content)
        , m_out(result)
        , m_detail(detail)
    {}

    void run();

private:
    QString text(const Token &t) const
    {
        return QString::fromUtf8(m_src.constData() + t.start, t.end - t.start);
    }
    int tokenCount() const { return int(m_tokens.size()); }
    bool is(int i, TokenType type) const
    {
        return i >= 0 && i < tokenCount() && m_tokens[i].type == type;
    }
    template<int N> bool is(int i, TokenType type, const char (&s)[N]) const
    {
        return is(i, type) && bytesAre(m_tokens[i], s, N - 1);
    }
    bool bytesAre(const Token &t, const char *s, int len) const
    {
        return t.end - t.start == len && std::memcmp(m_src.constData() + t.start, s, len) == 0;
    }
    QByteArrayView bytes(const Token &t) const
    {
        return QByteArrayView(m_src.constData() + t.start, t.end - t.start);
    }
    template<int N> bool isOp(int i, const char (&s)[N]) const { return is(i, TokenType::Op, s); }
    int matchingClose(int open) const;
    int skipBlock(int indentIndex) const;
    void statement(int begin, int end, bool first);
    using Positions = QVarLengthArray<int, 8>;
    void assignment(int begin, int end, const Positions &equals);
    PythonValue parseValue(int begin, int end);
    bool parseItem(int begin, int end, PythonValue &value);
    void function(FunctionBody &body, int defIndex, int headerEnd, int blockEnd);
    void readDocstring(int begin, int end);
    void addDiagnostic(Severity severity, const QString &code, int line, const QString &message)
    {
        m_out.diagnostics.append({severity, code, m_out.path, line, message});
    }

    const QByteArray &m_src;
    RevisionFile &m_out;
    const RevisionReader::Detail m_detail;
    // One token buffer per thread: scanning thousands of files reuses it.
    static thread_local PythonTokenizer::Tokens m_tokens;
};

thread_local PythonTokenizer::Tokens Reader::m_tokens;

int Reader::matchingClose(int open) const
{
    const int depth = m_tokens[open].depth;
    for (int i = open + 1; i < tokenCount(); ++i) {
        const Token &t = m_tokens[i];
        if (t.type == TokenType::Op && t.depth == depth && t.end - t.start == 1) {
            const char c = m_src[t.start];
            if (c == ')' || c == ']' || c == '}')
                return i;
        }
        if (t.type == TokenType::EndMarker)
            break;
    }
    return -1;
}

// Given the index of an Indent token, the index just past its Dedent.
int Reader::skipBlock(int indentIndex) const
{
    int level = 0;
    for (int i = indentIndex; i < tokenCount(); ++i) {
        if (m_tokens[i].type == TokenType::Indent)
            ++level;
        else if (m_tokens[i].type == TokenType::Dedent && --level == 0)
            return i + 1;
    }
    return tokenCount() - 1;
}

void Reader::run()
{
    const QByteArray &src = m_src;
    const char *cr =
        static_cast<const char *>(std::memchr(src.constData(), '\r', size_t(src.size())));
    m_out.crlf = cr && cr + 1 < src.constData() + src.size() && cr[1] == '\n';
    PythonTokenizer tokenizer(src);
    tokenizer.tokenize(m_tokens, m_detail == RevisionReader::Detail::Header
                                     ? PythonTokenizer::TopLevel
                                     : PythonTokenizer::SkipTrivia);
    for (const TokenizerError &e : tokenizer.errors())
        addDiagnostic(Severity::Error, QStringLiteral("syntax-error"), e.line,
                      QStringLiteral("Python syntax error: %1.").arg(e.message));

    bool first = true;
    int i = 0;
    const int n = tokenCount();
    while (i < n && m_tokens[i].type != TokenType::EndMarker) {
        const TokenType type = m_tokens[i].type;
        if (type == TokenType::Indent) {
            // Unexpected indentation at top level: Python refuses the file.
            addDiagnostic(Severity::Error, QStringLiteral("syntax-error"), m_tokens[i].line,
                          QStringLiteral("Python syntax error: unexpected indent."));
            i = skipBlock(i);
            continue;
        }
        if (type == TokenType::Dedent || type == TokenType::Newline) {
            ++i;
            continue;
        }
        int end = i;
        while (end < n && m_tokens[end].type != TokenType::Newline &&
               m_tokens[end].type != TokenType::EndMarker)
            ++end;
        // A compound statement's header ends in ':' and its block follows.
        const bool compound = end > i && isOp(end - 1, ":") && m_tokens[end - 1].depth == 0;
        int blockEnd = end + 1;
        if (blockEnd < n && m_tokens[blockEnd].type == TokenType::Indent) {
            if (!compound)
                addDiagnostic(Severity::Error, QStringLiteral("syntax-error"),
                              m_tokens[blockEnd].line,
                              QStringLiteral("Python syntax error: unexpected indent."));
            blockEnd = skipBlock(blockEnd);
        }
        if (is(i, TokenType::Name, "def") ||
            (is(i, TokenType::Name, "async") && is(i + 1, TokenType::Name, "def"))) {
            const int nameIndex = is(i, TokenType::Name, "async") ? i + 2 : i + 1;
            if (is(nameIndex, TokenType::Name, "upgrade"))
                function(m_out.upgrade, i, end, blockEnd);
            else if (is(nameIndex, TokenType::Name, "downgrade"))
                function(m_out.downgrade, i, end, blockEnd);
        } else if (!compound) {
            statement(i, end, first);
        }
        first = false;
        i = qMax(blockEnd, end + 1);
    }
}

void Reader::statement(int begin, int end, bool first)
{
    if (begin >= end)
        return;
    bool allStrings = true;
    for (int i = begin; i < end; ++i)
        allStrings = allStrings && m_tokens[i].type == TokenType::String;
    if (allStrings) {
        if (first)
            readDocstring(begin, end);
        return;
    }
    // Simple statements separated by ';' on one line.
    int start = begin;
    for (int i = begin; i <= end; ++i) {
        if (i == end || (isOp(i, ";") && m_tokens[i].depth == 0)) {
            Positions equals;
            for (int k = start; k < i; ++k) {
                if (isOp(k, "=") && m_tokens[k].depth == 0)
                    equals.append(k);
            }
            if (!equals.isEmpty())
                assignment(start, i, equals);
            start = i + 1;
        }
    }
}

void Reader::assignment(int begin, int end, const Positions &equals)
{
    // Targets are the segments before each '='; only plain names (the first
    // may carry an annotation) are assignments that Alembic would read.
    enum Target
    {
        None,
        RevisionId,
        DownRevision,
        BranchLabels,
        DependsOn
    };
    auto targetOf = [this](const Token &t) {
        if (bytesAre(t, "revision", 8))
            return RevisionId;
        if (bytesAre(t, "down_revision", 13))
            return DownRevision;
        if (bytesAre(t, "branch_labels", 13))
            return BranchLabels;
        if (bytesAre(t, "depends_on", 10))
            return DependsOn;
        return None;
    };
    QVarLengthArray<Target, 4> targets;
    int segmentStart = begin;
    for (int k = 0; k < equals.size(); ++k) {
        const int eq = equals.at(k);
        const bool plain = is(segmentStart, TokenType::Name) &&
                           (segmentStart + 1 == eq || (isOp(segmentStart + 1, ":") && k == 0));
        const Target t = plain ? targetOf(m_tokens[segmentStart]) : None;
        if (t != None)
            targets.append(t);
        segmentStart = eq + 1;
    }
    const int valueBegin = equals.last() + 1;
    if (targets.isEmpty() || valueBegin >= end)
        return;
    const PythonValue value = parseValue(valueBegin, end);
    for (const Target t : targets) {
        QString name;
        switch (t) {
        case RevisionId:
            m_out.revision = value;
            m_out.revisionLine = m_tokens[begin].line;
            name = QStringLiteral("revision");
            break;
        case DownRevision:
            m_out.downRevision = value;
            name = QStringLiteral("down_revision");
            break;
        case BranchLabels:
            m_out.branchLabels = value;
            name = QStringLiteral("branch_labels");
            break;
        case DependsOn:
            m_out.dependsOn = value;
            name = QStringLiteral("depends_on");
            break;
        case None:
            continue;
        }
        if (value.kind == PythonValue::Kind::NotLiteral)
            addDiagnostic(Severity::Error, QStringLiteral("not-literal"), m_tokens[begin].line,
                          QStringLiteral("`%1` is not a literal Retort can read without running "
                                         "Python (%2); write it as a string, a tuple of strings or "
                                         "None.")
                              .arg(name, value.notLiteralReason));
    }
}

bool Reader::parseItem(int begin, int end, PythonValue &value)
{
    if (begin >= end) {
        value.notLiteralReason = QStringLiteral("empty expression");
        return false;
    }
    if (end - begin == 1 && is(begin, TokenType::Name, "None")) {
        value.items.append(QString());
        if (m_detail == RevisionReader::Detail::Full)
            value.itemSpans.append(
                {m_tokens[begin].start, m_tokens[begin].end, m_tokens[begin].line});
        return true;
    }
    // A parenthesized item: ("abc")
    if (isOp(begin, "(") && matchingClose(begin) == end - 1)
        return parseItem(begin + 1, end - 1, value);
    QString concatenated;
    for (int i = begin; i < end; ++i) {
        const Token &t = m_tokens[i];
        if (t.type != TokenType::String) {
            value.notLiteralReason = QStringLiteral("it contains `%1`").arg(text(t).left(40));
            return false;
        }
        QString piece;
        QString why;
        if (!RevisionReader::decodeStringLiteral(m_src.constData() + t.start, t.end - t.start,
                                                 &piece, &why)) {
            value.notLiteralReason = why;
            return false;
        }
        concatenated += piece;
    }
    if (value.items.isEmpty()) {
        const Token &t = m_tokens[begin];
        const int prefix =
            PythonTokenizer::stringPrefixLength(m_src.constData(), int(m_src.size()), t.start);
        value.quote = m_src[t.start + qMax(0, prefix)];
    }
    value.items.append(concatenated);
    if (m_detail == RevisionReader::Detail::Full)
        value.itemSpans.append(
            {m_tokens[begin].start, m_tokens[end - 1].end, m_tokens[begin].line});
    return true;
}

PythonValue Reader::parseValue(int begin, int end)
{
    PythonValue value;
    value.span = {m_tokens[begin].start, m_tokens[end - 1].end, m_tokens[begin].line};
    int innerBegin = begin;
    int innerEnd = end;
    bool bracketed = false;
    bool list = false;
    if ((isOp(begin, "(") || isOp(begin, "[")) && matchingClose(begin) == end - 1) {
        bracketed = true;
        list = isOp(begin, "[");
        innerBegin = begin + 1;
        innerEnd = end - 1;
    }
    const int depth = m_tokens[innerBegin < innerEnd ? innerBegin : begin].depth;
    Positions commas;
    for (int i = innerBegin; i < innerEnd; ++i) {
        if (isOp(i, ",") && m_tokens[i].depth == depth)
            commas.append(i);
    }
    const bool sequence = list || (bracketed && (commas.size() > 0 || innerBegin == innerEnd)) ||
                          (!bracketed && !commas.isEmpty());
    if (!sequence) {
        if (!parseItem(begin, end, value)) {
            value.kind = PythonValue::Kind::NotLiteral;
            value.items.clear();
            value.itemSpans.clear();
            return value;
        }
        value.kind =
            value.items.first().isNull() ? PythonValue::Kind::None : PythonValue::Kind::String;
        if (value.kind == PythonValue::Kind::None) {
            value.items.clear();
            value.itemSpans.clear();
        }
        return value;
    }
    value.kind = PythonValue::Kind::Sequence;
    value.isTuple = !list;
    int itemStart = innerBegin;
    commas.append(innerEnd);
    for (int comma : std::as_const(commas)) {
        if (itemStart == comma && comma == innerEnd)
            break; // trailing comma, or an empty sequence
        if (!parseItem(itemStart, comma, value) || value.items.last().isNull()) {
            if (value.notLiteralReason.isEmpty())
                value.notLiteralReason = QStringLiteral("a sequence element is None");
            value.kind = PythonValue::Kind::NotLiteral;
            value.items.clear();
            value.itemSpans.clear();
            return value;
        }
        itemStart = comma + 1;
    }
    return value;
}

void Reader::readDocstring(int begin, int end)
{
    QString doc;
    for (int i = begin; i < end; ++i) {
        const Token &t = m_tokens[i];
        QString piece;
        if (!RevisionReader::decodeStringLiteral(m_src.constData() + t.start, t.end - t.start,
                                                 &piece))
            return; // bytes or f-strings are not docstrings
        doc += piece;
    }
    m_out.docstring = doc;
    m_out.docstringSpan = {m_tokens[begin].start, m_tokens[end - 1].end, m_tokens[begin].line};
    // Alembic's `doc`: the first paragraph of the stripped docstring.
    const QString longdoc = doc.trimmed();
    const qsizetype paragraph = longdoc.indexOf(QLatin1String("\n\n"));
    m_out.message = paragraph < 0 ? longdoc : longdoc.left(paragraph);

    if (m_detail == RevisionReader::Detail::Header)
        return;
    // Line numbers: the docstring's text lines map onto source lines when it
    // is a single literal, which is what Alembic writes.
    qsizetype lineStart = 0;
    for (int k = 0; lineStart <= doc.size(); ++k) {
        qsizetype lineEnd = doc.indexOf(u'\n', lineStart);
        if (lineEnd < 0)
            lineEnd = doc.size();
        const QStringView line = QStringView(doc).mid(lineStart, lineEnd - lineStart).trimmed();
        const int sourceLine = m_tokens[begin].line + k;
        if (line.startsWith(u"Revision ID:")) {
            m_out.docRevisionId = line.mid(12).trimmed().toString();
            m_out.docRevisionIdLine = sourceLine;
        } else if (line.startsWith(u"Revises:")) {
            m_out.docRevises = line.mid(8).trimmed().toString();
            m_out.docRevisesLine = sourceLine;
        } else if (line.startsWith(u"Create Date:")) {
            m_out.docCreateDate = line.mid(12).trimmed().toString();
        }
        lineStart = lineEnd + 1;
    }
}

void Reader::function(FunctionBody &body, int defIndex, int headerEnd, int blockEnd)
{
    body = FunctionBody();
    body.present = true;
    body.line = m_tokens[defIndex].line;
    if (m_detail == RevisionReader::Detail::Header)
        return;
    // The body is either the rest of the header line after ':' or the block.
    int colon = -1;
    for (int i = defIndex; i < headerEnd; ++i) {
        if (isOp(i, ":") && m_tokens[i].depth == 0)
            colon = i;
    }
    int bodyBegin = colon + 1;
    int bodyEnd = blockEnd;
    if (colon < 0 || bodyBegin >= headerEnd) {
        bodyBegin = headerEnd + 1;
    } else {
        bodyEnd = headerEnd;
    }
    body.endLine = body.line;
    for (int i = bodyEnd - 1; i >= bodyBegin; --i) {
        const TokenType type = m_tokens[i].type;
        if (type != TokenType::Dedent && type != TokenType::Newline && type != TokenType::Indent &&
            type != TokenType::EndMarker) {
            body.endLine = m_tokens[i].endLine;
            break;
        }
    }
    QVarLengthArray<QByteArrayView, 4> receivers{QByteArrayView("op")};
    for (int i = bodyBegin; i < bodyEnd; ++i) {
        const Token &t = m_tokens[i];
        if (t.type == TokenType::Indent || t.type == TokenType::Dedent ||
            t.type == TokenType::Newline)
            continue;
        const bool trivial = t.type == TokenType::String || is(i, TokenType::Name, "pass");
        if (!trivial)
            body.isEmpty = false;
        if (is(i, TokenType::Name, "raise") && is(i + 1, TokenType::Name, "NotImplementedError"))
            body.raisesNotImplemented = true;
        if (t.type == TokenType::Name && isOp(i + 1, ".") && is(i + 2, TokenType::Name) &&
            isOp(i + 3, "(") && !(i > 0 && isOp(i - 1, "."))) {
            if (!receivers.contains(bytes(t)))
                continue;
            const int close = matchingClose(i + 3);
            if (close < 0)
                continue;
            OperationCall call;
            call.receiver = text(t);
            call.name = text(m_tokens[i + 2]);
            call.line = t.line;
            call.endLine = m_tokens[close].line;
            call.arguments = QString::fromUtf8(m_src.constData() + m_tokens[i + 3].end,
                                               m_tokens[close].start - m_tokens[i + 3].end);
            body.operations.append(call);
            if (call.name == u"batch_alter_table" && is(close + 1, TokenType::Name, "as") &&
                is(close + 2, TokenType::Name))
                receivers.append(bytes(m_tokens[close + 2]));
            i = close;
        }
    }
}

} // namespace

bool RevisionReader::decodeStringLiteral(const char *data, int size, QString *out, QString *whyNot)
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
        *out = QString::fromUtf8(body, qsizetype(bodySize));
        return true;
    }
    QByteArray buf;
    buf.reserve(bodyEnd - bodyBegin);
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
                buf.append(c);
                ++i;
                continue;
            }
            if (whyNot)
                *whyNot = QStringLiteral("it is an f-string with a replacement field");
            return false;
        }
        if (c != '\\' || i + 1 >= bodyEnd) {
            buf.append(c);
            continue;
        }
        const char e = data[i + 1];
        if (raw) {
            buf.append(c);
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
            buf.append(e);
            break;
        case 'a':
            buf.append('\a');
            break;
        case 'b':
            buf.append('\b');
            break;
        case 'f':
            buf.append('\f');
            break;
        case 'n':
            buf.append('\n');
            break;
        case 'r':
            buf.append('\r');
            break;
        case 't':
            buf.append('\t');
            break;
        case 'v':
            buf.append('\v');
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
            appendUtf8(buf, cp);
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
                appendUtf8(buf, cp);
                i += k - 1;
            } else {
                buf.append('\\');
                buf.append(e);
            }
        }
    }
    *out = QString::fromUtf8(buf);
    return true;
}

RevisionFile RevisionReader::read(const QByteArray &content, const QString &path, Detail detail)
{
    RevisionFile result;
    readInto(content, path, detail, &result);
    return result;
}

void RevisionReader::readInto(const QByteArray &content, const QString &path, Detail detail,
                              RevisionFile *out)
{
    RevisionFile &result = *out;
    result.path = path;

    const int bad = firstInvalidUtf8(content);
    if (bad >= 0) {
        if (declaresLatin1(content)) {
            // Re-encode so the rest of the reader sees UTF-8.
            Reader reader(QString::fromLatin1(content).toUtf8(), result, detail);
            reader.run();
        } else {
            result.diagnostics.append(
                {Severity::Error, QStringLiteral("invalid-encoding"), path,
                 lineOfOffset(content, bad),
                 QStringLiteral("The file is not valid UTF-8 (byte 0x%1 at offset %2) and declares "
                                "no other encoding; Python will refuse to import it.")
                     .arg(quint8(content[bad]), 2, 16, QLatin1Char('0'))
                     .arg(bad)});
            Reader reader(content, result, detail);
            reader.run();
        }
    } else {
        Reader reader(content, result, detail);
        reader.run();
    }

    if (result.revision.isMissing()) {
        // Alembic 0.1 files carried the id in the file name only.
        static const QRegularExpression legacy(QStringLiteral("^([a-f0-9]+)\\.py$"));
        const auto m = legacy.match(result.fileName());
        if (m.hasMatch()) {
            result.revision.kind = PythonValue::Kind::String;
            result.revision.items = {m.captured(1)};
        } else {
            result.diagnostics.append(
                {Severity::Error, QStringLiteral("missing-revision"), path, 1,
                 QStringLiteral("No top-level `revision = \"...\"` assignment; Alembic cannot tell "
                                "which revision this file is.")});
        }
    } else if (result.revision.kind == PythonValue::Kind::None ||
               result.revision.kind == PythonValue::Kind::Sequence) {
        result.diagnostics.append({Severity::Error, QStringLiteral("invalid-revision"), path,
                                   result.revisionLine,
                                   QStringLiteral("`revision` must be a single string.")});
    } else if (result.revision.kind == PythonValue::Kind::String && result.revisionId().isEmpty()) {
        result.diagnostics.append({Severity::Error, QStringLiteral("invalid-revision"), path,
                                   result.revisionLine,
                                   QStringLiteral("`revision` is an empty string.")});
    }
    if (result.downRevision.isMissing() && !result.revision.isMissing()) {
        result.diagnostics.append(
            {Severity::Error, QStringLiteral("missing-down-revision"), path,
             qMax(1, result.revisionLine),
             QStringLiteral("No top-level `down_revision` assignment; Alembic fails to load a "
                            "revision without one (use `down_revision = None` for a base).")});
    }
}

RevisionFile RevisionReader::readFile(const QString &path, Detail detail)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return RevisionFile::unreadable(path, file.errorString());
    return read(file.readAll(), path, detail);
}

} // namespace Retort
