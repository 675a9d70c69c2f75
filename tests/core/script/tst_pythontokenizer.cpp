#include "core/script/pythontokenizer.h"

#include <QTest>

using namespace Retort;

namespace {

// "Name:revision Op:= String:'x' Newline" style summary of significant tokens.
QString summary(const QByteArray &source)
{
    PythonTokenizer t(source);
    QStringList parts;
    for (const Token &tok : t.tokenize()) {
        const QString text = QString::fromUtf8(source.mid(tok.start, tok.end - tok.start));
        switch (tok.type) {
        case TokenType::Name:
            parts << QStringLiteral("N:") + text;
            break;
        case TokenType::Number:
            parts << QStringLiteral("#:") + text;
            break;
        case TokenType::String:
            parts << QStringLiteral("S:") + text;
            break;
        case TokenType::Op:
            parts << QStringLiteral("O:") + text;
            break;
        case TokenType::Newline:
            parts << QStringLiteral("NEWLINE");
            break;
        case TokenType::NonLogicalNewline:
            parts << QStringLiteral("NL");
            break;
        case TokenType::Comment:
            parts << QStringLiteral("C:") + text;
            break;
        case TokenType::Indent:
            parts << QStringLiteral("INDENT");
            break;
        case TokenType::Dedent:
            parts << QStringLiteral("DEDENT");
            break;
        case TokenType::EndMarker:
            parts << QStringLiteral("END");
            break;
        case TokenType::Error:
            parts << QStringLiteral("ERR:") + text;
            break;
        }
    }
    return parts.join(u' ');
}

} // namespace

class TestPythonTokenizer : public QObject
{
    Q_OBJECT

private slots:
    void tokens_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QString>("expected");
        QTest::newRow("assignment") << QByteArray("revision = 'ab'\n")
                                    << QStringLiteral("N:revision O:= S:'ab' NEWLINE END");
        QTest::newRow("no final newline")
            << QByteArray("x = 1") << QStringLiteral("N:x O:= #:1 NEWLINE END");
        QTest::newRow("prefixes")
            << QByteArray("a = rb'x' BR\"y\" u'z' F'w' Rb'v' fr\"q\"\n")
            << QStringLiteral(
                   "N:a O:= S:rb'x' S:BR\"y\" S:u'z' S:F'w' S:Rb'v' S:fr\"q\" NEWLINE END");
        QTest::newRow("not a prefix")
            << QByteArray("ur'x'\n") << QStringLiteral("N:ur S:'x' NEWLINE END");
        QTest::newRow("name starting like a prefix")
            << QByteArray("branch = bf\n") << QStringLiteral("N:branch O:= N:bf NEWLINE END");
        QTest::newRow("triple quotes holding quotes and newlines")
            << QByteArray("\"\"\"a \"b\" ''' \n\"\"\"\n")
            << QStringLiteral("S:\"\"\"a \"b\" ''' \n\"\"\" NEWLINE END");
        QTest::newRow("escaped quote")
            << QByteArray("'it\\'s'\n") << QStringLiteral("S:'it\\'s' NEWLINE END");
        QTest::newRow("raw string keeps escaped quote")
            << QByteArray("r'\\''\n") << QStringLiteral("S:r'\\'' NEWLINE END");
        QTest::newRow("brackets hide newlines")
            << QByteArray("x = (\n 'a',  # c\n)\n")
            << QStringLiteral("N:x O:= O:( NL S:'a' O:, C:# c NL O:) NEWLINE END");
        QTest::newRow("backslash continuation")
            << QByteArray("x = \\\n  None\n") << QStringLiteral("N:x O:= N:None NEWLINE END");
        QTest::newRow("crlf") << QByteArray("a = 1\r\nb = 2\r\n")
                              << QStringLiteral("N:a O:= #:1 NEWLINE N:b O:= #:2 NEWLINE END");
        QTest::newRow("cr only") << QByteArray("a = 1\rb = 2\r")
                                 << QStringLiteral("N:a O:= #:1 NEWLINE N:b O:= #:2 NEWLINE END");
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBFx = 1\n")
                             << QStringLiteral("N:x O:= #:1 NEWLINE END");
        QTest::newRow("blocks")
            << QByteArray("def f():\n\tif x:\n\t\treturn 1\n\n    # c\n\treturn 2\ny = 3\n")
            << QStringLiteral("N:def N:f O:( O:) O:: NEWLINE INDENT N:if N:x O:: NEWLINE INDENT "
                              "N:return #:1 NEWLINE NL C:# c NL DEDENT N:return #:2 NEWLINE DEDENT "
                              "N:y O:= #:3 NEWLINE END");
        QTest::newRow("bracket closing on its own line")
            << QByteArray("def f():\n    if (\n        a\n    ):\n        return 1\n    return 2\n")
            << QStringLiteral(
                   "N:def N:f O:( O:) O:: NEWLINE INDENT N:if O:( NL N:a NL O:) O:: NEWLINE "
                   "INDENT N:return #:1 NEWLINE DEDENT N:return #:2 NEWLINE DEDENT END");
        QTest::newRow("operators") << QByteArray("a: int = b ** 2 // c -> d ...\n")
                                   << QStringLiteral("N:a O:: N:int O:= N:b O:** #:2 O:// N:c O:-> "
                                                     "N:d O:... NEWLINE END");
        QTest::newRow("numbers")
            << QByteArray("x = 1_000 + 0x1F + 1e-5 + .5j\n")
            << QStringLiteral("N:x O:= #:1_000 O:+ #:0x1F O:+ #:1e-5 O:+ #:.5j NEWLINE END");
        QTest::newRow("unicode name")
            << QByteArray("caf\xC3\xA9 = 1\n") << QStringLiteral("N:café O:= #:1 NEWLINE END");
    }
    void tokens()
    {
        QFETCH(QByteArray, source);
        QFETCH(QString, expected);
        QCOMPARE(summary(source), expected);
    }

    void lines()
    {
        const QByteArray src("a = '''x\ny'''\nb = (\n1)\r\nc = 2\n");
        PythonTokenizer t(src);
        const PythonTokenizer::Tokens tokens = t.tokenize();
        QList<int> nameLines;
        for (const Token &tok : tokens) {
            if (tok.type == TokenType::Name)
                nameLines << tok.line;
            if (tok.type == TokenType::String) {
                QCOMPARE(tok.line, 1);
                QCOMPARE(tok.endLine, 2);
            }
        }
        QCOMPARE(nameLines, (QList<int>{1, 3, 5}));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("unterminated") << QByteArray("x = 1\ny = 'abc\n") << 2
                                      << QStringLiteral("unterminated string literal");
        QTest::newRow("unterminated triple") << QByteArray("\n\n'''abc\n") << 3
                                             << QStringLiteral("unterminated triple-quoted string");
        QTest::newRow("unclosed bracket")
            << QByteArray("x = (1,\n") << 2 << QStringLiteral("unclosed bracket at end of file");
        QTest::newRow("bad dedent")
            << QByteArray("if x:\n    a = 1\n  b = 2\n") << 3
            << QStringLiteral("unindent does not match any outer indentation level");
        QTest::newRow("unmatched")
            << QByteArray("x = 1)\n") << 1 << QStringLiteral("unmatched ')'");
    }
    void errors()
    {
        QFETCH(QByteArray, source);
        QFETCH(int, line);
        QFETCH(QString, message);
        PythonTokenizer t(source);
        t.tokenize();
        QVERIFY(!t.errors().isEmpty());
        QCOMPARE(t.errors().first().line, line);
        QCOMPARE(t.errors().first().message, message);
    }

    // TopLevel mode steps over the inside of blocks without making tokens;
    // it must still end blocks, strings and brackets where the full
    // tokenizer does, report the same errors, and give the same top-level
    // tokens.
    void topLevelAgreesWithFullTokenizing_data()
    {
        QTest::addColumn<QByteArray>("source");
        const QByteArray after("\nrevision = 'a1'\ndown_revision = ('b2',\n    'c3')\n");
        auto row = [&](const char *name, const QByteArray &block) {
            QTest::newRow(name) << QByteArray("def upgrade():\n") + block + after;
        };
        row("prefixed strings", "    x = rb'\\'' + f\"{a['k']}\" + Rb'''(''' + u'#'\n");
        row("name touching a quote", "    x = abc'def' + 1e5'x'\n");
        row("brackets over lines, dedented", "    op.f(\nx,\n  [1,\n2])\n    y = 1\n");
        row("comment with quotes and brackets", "    x = 1  # don't ( [ {\n    # \"\n");
        row("backslash continuation", "    x = 1 + \\\n2\n    y = \\\n    3\n");
        row("triple string with a fake def", "    '''\ndef downgrade():\n    (\n'''\n");
        row("unterminated string", "    x = 'abc\n");
        row("unterminated triple string", "    x = '''abc\n");
        row("unmatched close", "    x = 1)]\n");
        row("unclosed bracket", "    x = (1,\n");
        row("bad continuation", "    x = 1 \\ 2\n");
        row("non-ASCII names", "    caf\xc3\xa9 = 'na\xc3\xafve'\n    x = caf\xc3\xa9\n");
        row("tabs and spaces", "\tx = 1\n        y = 2\n");
        row("bad dedent", "    if x:\n        a = 1\n      b = 2\n");
        row("CR line ends", "    x = (1,\r    2)\r    y = 'a'\r");
        row("nested blocks", "    if a:\n        for b in c:\n            d(')')\n    e = 1\n");
        // Every byte value at every place of a run longer than the sixteen
        // bytes the scanners look at at once, in code and in strings.
        for (int c = 0; c < 256; ++c) {
            QByteArray block;
            for (int k = 0; k < 18; ++k) {
                const QByteArray run = QByteArray(k, 'a') + char(c) + QByteArray(20 - k, 'b');
                block += "    x = " + run + "  # end\n";
                block += "    s = '" + run + "'\n";
                block += "    t = \"\"\"" + run + "\"\"\"\n";
            }
            QTest::addRow("byte %d in runs", c) << QByteArray("def upgrade():\n") + block + after;
        }
    }
    void topLevelAgreesWithFullTokenizing()
    {
        QFETCH(QByteArray, source);
        auto errorsOf = [](const PythonTokenizer &t) {
            QStringList out;
            for (const TokenizerError &e : t.errors())
                out << QStringLiteral("%1: %2").arg(e.line).arg(e.message);
            return out;
        };
        PythonTokenizer full(source);
        PythonTokenizer::Tokens all;
        full.tokenize(all, PythonTokenizer::SkipTrivia);
        // The full token stream's top-level part: what is not inside a block.
        QStringList expected;
        int level = 0;
        for (const Token &t : all) {
            if (t.type == TokenType::Indent)
                ++level;
            if (level == 0 || t.type == TokenType::Indent || t.type == TokenType::Dedent)
                expected << QStringLiteral("%1@%2:%3").arg(int(t.type)).arg(t.start).arg(t.end);
            if (t.type == TokenType::Dedent)
                --level;
        }
        PythonTokenizer top(source);
        PythonTokenizer::Tokens topTokens;
        top.tokenize(topTokens, PythonTokenizer::TopLevel);
        QStringList actual;
        for (const Token &t : topTokens)
            actual << QStringLiteral("%1@%2:%3").arg(int(t.type)).arg(t.start).arg(t.end);
        QCOMPARE(errorsOf(top), errorsOf(full));
        QCOMPARE(actual, expected);
    }

    // An escaped quote or line end at every place of a string longer than
    // the sixteen bytes the scanner looks at at once: the literal ends at
    // its real closing quote, not at the escaped one. (The comparison above
    // cannot see this: both tokenizings scan strings alike.)
    void escapesInLongStrings()
    {
        for (const QByteArray quote : {"'", "\"", "'''", "\"\"\""}) {
            for (const QByteArray escaped :
                 {QByteArray(QByteArray("\\") + quote.at(0)), QByteArray("\\\n")}) {
                for (int k = 0; k < 18; ++k) {
                    const QByteArray literal =
                        quote + QByteArray(k, 'a') + escaped + QByteArray(20 - k, 'b') + quote;
                    const QByteArray source = "x = " + literal + "\n";
                    PythonTokenizer t(source);
                    const PythonTokenizer::Tokens tokens = t.tokenize(PythonTokenizer::SkipTrivia);
                    QVERIFY2(t.errors().isEmpty(), source.constData());
                    QCOMPARE(tokens.size(), size_t(5)); // x = '...' NEWLINE END
                    QCOMPARE(tokens[2].type, TokenType::String);
                    QCOMPARE(tokens[2].start, 4);
                    QCOMPARE(tokens[2].end, 4 + int(literal.size()));
                }
            }
        }
    }

    void stringPrefix()
    {
        const QByteArray s("rb'x'");
        QCOMPARE(PythonTokenizer::stringPrefixLength(s.constData(), int(s.size()), 0), 2);
        const QByteArray n("rbx'");
        QCOMPARE(PythonTokenizer::stringPrefixLength(n.constData(), int(n.size()), 0), -1);
        const QByteArray q("'x'");
        QCOMPARE(PythonTokenizer::stringPrefixLength(q.constData(), int(q.size()), 0), -1);
    }
};

QTEST_GUILESS_MAIN(TestPythonTokenizer)
#include "tst_pythontokenizer.moc"
