#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Retort {

enum class TokenType : quint8 {
    Name,
    Number,
    String,
    Op,
    Newline, // end of a logical line
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
    int start = 0; // byte offset into the source
    int end = 0; // one past the last byte
    int line = 1; // 1-based line of the first byte
    int endLine = 1; // line of the last byte
    int depth = 0; // bracket nesting before this token
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

    QList<Token> tokenize();
    const QList<TokenizerError> &errors() const { return m_errors; }

    // Length of a string prefix (r, b, u, f, rb, br, fr, rf in any case)
    // when `pos` starts a string literal, or -1.
    static int stringPrefixLength(const char *data, int size, int pos);

private:
    int newlineLength(int pos) const;
    void addError(int line, const QString &message);
    void scanString(int prefixLength, QList<Token> &tokens);
    bool handleIndentation(QList<Token> &tokens);

    const char *m_data;
    int m_size;
    int m_pos = 0;
    int m_line = 1;
    int m_depth = 0;
    QList<int> m_indents{0};
    QList<TokenizerError> m_errors;
};

} // namespace Retort
