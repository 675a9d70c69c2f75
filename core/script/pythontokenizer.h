#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVarLengthArray>

#include <vector>

namespace Retort {

enum class TokenType : quint8
{
    Name,
    Number,
    String,
    Op,
    Newline,           // end of a logical line
    NonLogicalNewline, // blank line, comment line, or a line break inside brackets
    Comment,
    Indent,
    Dedent,
    EndMarker,
    Error,
};

struct Token
{
    TokenType type = TokenType::Error;
    int start = 0;   // byte offset into the source
    int end = 0;     // one past the last byte
    int line = 1;    // 1-based line of the first byte
    int endLine = 1; // line of the last byte
    int depth = 0;   // bracket nesting before this token
};

struct TokenizerError
{
    int line = 0;
    QString message;
};

// A tokenizer for Python source that follows CPython's rules closely enough
// to find statement boundaries, strings and brackets in real files: all
// string prefixes and quote forms, continuations, CRLF/CR line endings,
// tabs, a UTF-8 byte order mark. It works on bytes; positions are offsets.
class PythonTokenizer
{
public:
    explicit PythonTokenizer(const QByteArray &source);

    enum Mode
    {
        AllTokens,
        SkipTrivia,
        TopLevel
    };
    // SkipTrivia leaves out comments and non-logical newlines; TopLevel
    // also leaves out everything inside indented blocks but their
    // Indent/Dedent tokens (the blocks are still scanned, for strings and
    // brackets that decide where they end).
    using Tokens = std::vector<Token>;
    Tokens tokenize(Mode mode = AllTokens);
    // The same into `tokens` (cleared first), reusing its capacity.
    void tokenize(Tokens &tokens, Mode mode);
    const QList<TokenizerError> &errors() const { return m_errors; }

    // Length of a string prefix (r, b, u, f, rb, br, fr, rf in any case)
    // when `pos` starts a string literal, or -1.
    static int stringPrefixLength(const char *data, int size, int pos);

private:
    int newlineLength(int pos) const
    {
        if (pos >= m_size)
            return 0;
        const char c = m_data[pos];
        if (c == '\n')
            return 1;
        if (c == '\r')
            return (pos + 1 < m_size && m_data[pos + 1] == '\n') ? 2 : 1;
        return 0;
    }
    void addError(int line, const QString &message);
    // Appends a token unless TopLevel mode is inside an indented block.
    Q_ALWAYS_INLINE void pushToken(Tokens &tokens, const Token &token) const
    {
        if (!m_topLevelOnly || m_indents.size() == 1)
            tokens.push_back(token);
    }
    void scanString(int prefixLength, Tokens &tokens);
    void skipInBlock(bool &lineHasContent, Tokens &tokens);
    bool handleIndentation(Tokens &tokens);

    const char *m_data;
    int m_size;
    int m_pos = 0;
    int m_line = 1;
    int m_depth = 0;
    QVarLengthArray<int, 16> m_indents{0};
    QVarLengthArray<int, 16> m_altIndents{0};
    bool m_topLevelOnly = false;
    QList<TokenizerError> m_errors;
};

} // namespace Retort
