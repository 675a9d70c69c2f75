#include "core/script/pythonliteral.h"
#include "core/script/revisionreader.h"

#include <QTest>

using namespace Retort;

Q_DECLARE_METATYPE(PythonValue::Kind)

namespace {

QStringList codes(const RevisionFile &f)
{
    QStringList out;
    for (const Diagnostic &d : f.diagnostics)
        out << d.code;
    return out;
}

} // namespace

class TestRevisionReader : public QObject
{
    Q_OBJECT

private slots:
    void values_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<PythonValue::Kind>("kind");
        QTest::addColumn<QStringList>("items");
        QTest::addColumn<bool>("isTuple");
        using K = PythonValue::Kind;
        QTest::newRow("single quotes")
            << QByteArray("down_revision = 'abc'") << K::String << QStringList{"abc"} << false;
        QTest::newRow("double quotes")
            << QByteArray("down_revision = \"abc\"") << K::String << QStringList{"abc"} << false;
        QTest::newRow("none") << QByteArray("down_revision = None") << K::None << QStringList{}
                              << false;
        QTest::newRow("tuple") << QByteArray("down_revision = ('a', \"b\")") << K::Sequence
                               << QStringList{"a", "b"} << true;
        QTest::newRow("bare tuple") << QByteArray("down_revision = 'a', 'b'") << K::Sequence
                                    << QStringList{"a", "b"} << true;
        QTest::newRow("one-tuple")
            << QByteArray("down_revision = ('a',)") << K::Sequence << QStringList{"a"} << true;
        QTest::newRow("empty tuple")
            << QByteArray("down_revision = ()") << K::Sequence << QStringList{} << true;
        QTest::newRow("list") << QByteArray("down_revision = ['a', 'b',]") << K::Sequence
                              << QStringList{"a", "b"} << false;
        QTest::newRow("parenthesized string")
            << QByteArray("down_revision = (('a'))") << K::String << QStringList{"a"} << false;
        QTest::newRow("multi-line tuple")
            << QByteArray("down_revision = (\n    'a',  # first\n    'b',\n)") << K::Sequence
            << QStringList{"a", "b"} << true;
        QTest::newRow("implicit concatenation") << QByteArray("down_revision = 'ab' \"cd\" r'e'")
                                                << K::String << QStringList{"abcde"} << false;
        QTest::newRow("concatenation over lines") << QByteArray("down_revision = ('ab'\n 'cd')")
                                                  << K::String << QStringList{"abcd"} << false;
        QTest::newRow("escapes") << QByteArray("down_revision = 'a\\x62\\u0063\\144\\n'")
                                 << K::String << QStringList{"abcd\n"} << false;
        QTest::newRow("raw keeps backslashes") << QByteArray("down_revision = r'a\\x62'")
                                               << K::String << QStringList{"a\\x62"} << false;
        QTest::newRow("plain f-string")
            << QByteArray("down_revision = f'a{{b}}'") << K::String << QStringList{"a{b}"} << false;
        QTest::newRow("annotated") << QByteArray("down_revision: Union[str, None] = 'a'")
                                   << K::String << QStringList{"a"} << false;
        QTest::newRow("annotated tuple type")
            << QByteArray("down_revision: tuple[str, ...] | None = ('a', 'b')") << K::Sequence
            << QStringList{"a", "b"} << true;
        QTest::newRow("last assignment wins")
            << QByteArray("down_revision = 'a'\ndown_revision = 'b'") << K::String
            << QStringList{"b"} << false;
        QTest::newRow("chained") << QByteArray("x = down_revision = 'a'") << K::String
                                 << QStringList{"a"} << false;
        QTest::newRow("semicolons") << QByteArray("revision = 'r'; down_revision = 'a'")
                                    << K::String << QStringList{"a"} << false;
        QTest::newRow("continuation")
            << QByteArray("down_revision = \\\n  'a'") << K::String << QStringList{"a"} << false;
        QTest::newRow("inside function ignored")
            << QByteArray("down_revision = 'a'\ndef upgrade():\n    down_revision = 'x'")
            << K::String << QStringList{"a"} << false;
        QTest::newRow("inside class ignored")
            << QByteArray("class A:\n    down_revision = 'x'\ndown_revision = 'a'") << K::String
            << QStringList{"a"} << false;
        QTest::newRow("inside if ignored")
            << QByteArray("down_revision = 'a'\nif x:\n    down_revision = 'x'") << K::String
            << QStringList{"a"} << false;
        QTest::newRow("inside string ignored")
            << QByteArray("\"\"\"\ndown_revision = 'x'\n\"\"\"\ndown_revision = 'a'") << K::String
            << QStringList{"a"} << false;
        QTest::newRow("inside comment ignored")
            << QByteArray("down_revision = 'a'\n# down_revision = 'x'") << K::String
            << QStringList{"a"} << false;
        QTest::newRow("augmented is not an assignment")
            << QByteArray("down_revision = 'a'\ndown_revision += 'x'") << K::String
            << QStringList{"a"} << false;
        QTest::newRow("attribute")
            << QByteArray("down_revision = cli.EXPAND") << K::NotLiteral << QStringList{} << false;
        QTest::newRow("name in tuple") << QByteArray("down_revision = (cli.EXPAND,)")
                                       << K::NotLiteral << QStringList{} << false;
        QTest::newRow("bytes") << QByteArray("down_revision = b'a'") << K::NotLiteral
                               << QStringList{} << false;
        QTest::newRow("f-string field")
            << QByteArray("down_revision = f'{x}'") << K::NotLiteral << QStringList{} << false;
        QTest::newRow("call") << QByteArray("down_revision = str('a')") << K::NotLiteral
                              << QStringList{} << false;
    }
    void values()
    {
        QFETCH(QByteArray, source);
        QFETCH(PythonValue::Kind, kind);
        QFETCH(QStringList, items);
        QFETCH(bool, isTuple);
        const RevisionFile f =
            RevisionReader::read("revision = 'r'\n" + source + "\n", QStringLiteral("/p/r.py"));
        QCOMPARE(f.downRevision.kind, kind);
        QCOMPARE(f.downRevision.items, items);
        if (kind == PythonValue::Kind::Sequence)
            QCOMPARE(f.downRevision.isTuple, isTuple);
        QCOMPARE(codes(f).contains(QStringLiteral("not-literal")),
                 kind == PythonValue::Kind::NotLiteral);
    }

    void notLiteralNamesFileAndLine()
    {
        const RevisionFile f = RevisionReader::read(
            "revision = 'r'\ndown_revision = None\n\nbranch_labels = (cli.EXPAND_BRANCH,)\n",
            QStringLiteral("/p/r.py"));
        QCOMPARE(f.diagnostics.size(), 1);
        const Diagnostic &d = f.diagnostics.first();
        QCOMPARE(d.code, QStringLiteral("not-literal"));
        QCOMPARE(d.file, QStringLiteral("/p/r.py"));
        QCOMPARE(d.line, 4);
        QVERIFY(d.message.contains(QStringLiteral("branch_labels")));
        QVERIFY(d.message.contains(QStringLiteral("cli")));
    }

    void spansCoverExactBytes()
    {
        const QByteArray src = "revision: str = \"abc\"  # id\r\ndown_revision = (\r\n    "
                               "'x1',\r\n    \"x2\",\r\n)\r\n";
        const RevisionFile f = RevisionReader::read(src, QStringLiteral("r.py"));
        QVERIFY(f.crlf);
        QCOMPARE(src.mid(f.revision.span.start, f.revision.span.end - f.revision.span.start),
                 QByteArray("\"abc\""));
        QCOMPARE(f.revision.quote, '"');
        QCOMPARE(f.revisionLine, 1);
        QCOMPARE(f.downRevision.itemSpans.size(), 2);
        const SourceSpan s0 = f.downRevision.itemSpans.at(0);
        const SourceSpan s1 = f.downRevision.itemSpans.at(1);
        QCOMPARE(src.mid(s0.start, s0.end - s0.start), QByteArray("'x1'"));
        QCOMPARE(src.mid(s1.start, s1.end - s1.start), QByteArray("\"x2\""));
        QCOMPARE(s0.line, 3);
        QCOMPARE(s1.line, 4);
        QCOMPARE(f.downRevision.quote, '\'');
    }

    void docstring()
    {
        const QByteArray src =
            "\"\"\"add users email\n\nmore words\n\nRevision ID: abc123\nRevises: def456\n"
            "Create Date: 2026-01-02 03:04:05.000006\n\n\"\"\"\nrevision = 'abc123'\n"
            "down_revision = 'def456'\n";
        const RevisionFile f = RevisionReader::read(src, QStringLiteral("r.py"));
        QCOMPARE(f.message, QStringLiteral("add users email"));
        QCOMPARE(f.docRevisionId, QStringLiteral("abc123"));
        QCOMPARE(f.docRevisionIdLine, 5);
        QCOMPARE(f.docRevises, QStringLiteral("def456"));
        QCOMPARE(f.docRevisesLine, 6);
        QCOMPARE(f.docCreateDate, QStringLiteral("2026-01-02 03:04:05.000006"));
        QCOMPARE(f.docstringSpan.line, 1);
        QVERIFY(f.diagnostics.isEmpty());
    }

    void docstringOnlyWhenFirst()
    {
        const RevisionFile f = RevisionReader::read(
            "import os\n'''not a docstring'''\nrevision = 'a'\ndown_revision = None\n",
            QStringLiteral("r.py"));
        QVERIFY(f.docstring.isEmpty());
        QVERIFY(f.message.isEmpty());
        const RevisionFile g = RevisionReader::read(
            "# comment\n\n'single line' 'joined'\nrevision = 'a'\ndown_revision = None\n",
            QStringLiteral("r.py"));
        QCOMPARE(g.message, QStringLiteral("single linejoined"));
    }

    void operations()
    {
        const QByteArray src = "revision = 'a'\ndown_revision = None\n\n"
                               "def upgrade() -> None:\n"
                               "    # ### commands auto generated by Alembic - please adjust! ###\n"
                               "    op.create_table('users',\n"
                               "        sa.Column('id', sa.Integer()),\n"
                               "    )\n"
                               "    op.create_index(op.f('ix_users_email'), 'users', ['email'])\n"
                               "    with op.batch_alter_table('users') as batch_op:\n"
                               "        batch_op.add_column(sa.Column('x', sa.Integer()))\n"
                               "    other.thing(1)\n\n"
                               "def downgrade():\n"
                               "    raise NotImplementedError()\n";
        const RevisionFile f = RevisionReader::read(src, QStringLiteral("r.py"));
        QVERIFY(f.upgrade.present);
        QCOMPARE(f.upgrade.line, 4);
        QCOMPARE(f.upgrade.endLine, 12);
        QStringList names;
        for (const OperationCall &op : f.upgrade.operations)
            names << op.receiver + u'.' + op.name + u'@' + QString::number(op.line) + u'-' +
                         QString::number(op.endLine);
        QCOMPARE(names, (QStringList{"op.create_table@6-8", "op.create_index@9-9",
                                     "op.batch_alter_table@10-10", "batch_op.add_column@11-11"}));
        QCOMPARE(f.upgrade.operations.at(1).arguments,
                 QStringLiteral("op.f('ix_users_email'), 'users', ['email']"));
        QVERIFY(!f.upgrade.isEmpty);
        QVERIFY(f.downgrade.present);
        QVERIFY(f.downgrade.raisesNotImplemented);
        QCOMPARE(f.downgrade.line, 14);
    }

    void emptyBodies()
    {
        const RevisionFile f =
            RevisionReader::read("revision = 'a'\ndown_revision = None\ndef upgrade():\n    "
                                 "\"\"\"Nothing.\"\"\"\n    pass\n"
                                 "def downgrade(): pass\n",
                                 QStringLiteral("r.py"));
        QVERIFY(f.upgrade.isEmpty);
        QVERIFY(f.downgrade.present);
        QVERIFY(f.downgrade.isEmpty);
        QCOMPARE(f.downgrade.endLine, 6);
    }

    void problems_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("line");
        QTest::newRow("missing revision")
            << QByteArray("down_revision = None\n") << QStringLiteral("x_y.py")
            << QStringLiteral("missing-revision") << 1;
        QTest::newRow("missing down_revision")
            << QByteArray("\n\nrevision = 'a'\n") << QStringLiteral("a.py")
            << QStringLiteral("missing-down-revision") << 3;
        QTest::newRow("revision None")
            << QByteArray("revision = None\ndown_revision = None\n") << QStringLiteral("a.py")
            << QStringLiteral("invalid-revision") << 1;
        QTest::newRow("revision tuple")
            << QByteArray("revision = ('a', 'b')\ndown_revision = None\n") << QStringLiteral("a.py")
            << QStringLiteral("invalid-revision") << 1;
        QTest::newRow("invalid utf-8")
            << QByteArray("revision = 'a'\ndown_revision = None\nX = 'caf\xE9'\n")
            << QStringLiteral("a.py") << QStringLiteral("invalid-encoding") << 3;
        QTest::newRow("syntax") << QByteArray("revision = 'a\ndown_revision = None\n")
                                << QStringLiteral("a.py") << QStringLiteral("syntax-error") << 1;
        QTest::newRow("unexpected indent")
            << QByteArray("revision = 'a'\n  down_revision = None\n") << QStringLiteral("a.py")
            << QStringLiteral("syntax-error") << 2;
    }
    void problems()
    {
        QFETCH(QByteArray, source);
        QFETCH(QString, fileName);
        QFETCH(QString, code);
        QFETCH(int, line);
        const RevisionFile f = RevisionReader::read(source, QStringLiteral("/v/") + fileName);
        bool found = false;
        for (const Diagnostic &d : f.diagnostics) {
            if (d.code == code) {
                found = true;
                QCOMPARE(d.line, line);
                QCOMPARE(d.file, QStringLiteral("/v/") + fileName);
                QCOMPARE(d.severity, Severity::Error);
                QVERIFY(!d.message.isEmpty());
            }
        }
        QVERIFY2(found, qPrintable(codes(f).join(u',')));
    }

    void headerDetailReadsTheSameIdentifiers()
    {
        const QByteArray src =
            "\"\"\"msg\n\nRevision ID: b\nRevises: a\n\"\"\"\nrevision = 'b'\n"
            "down_revision = ('a',\n    'c')\nbranch_labels = 'x'\ndepends_on = None\n"
            "def upgrade():\n    revision = 'decoy'\n    op.drop_table('t')\n"
            "class K:\n    down_revision = 'decoy'\ndepends_on = ['d']\n";
        const RevisionFile full =
            RevisionReader::read(src, "/v/b.py", RevisionReader::Detail::Full);
        const RevisionFile header =
            RevisionReader::read(src, "/v/b.py", RevisionReader::Detail::Header);
        QCOMPARE(header.revision.items, full.revision.items);
        QCOMPARE(header.downRevision.items, (QStringList{"a", "c"}));
        QCOMPARE(header.downRevision.items, full.downRevision.items);
        QCOMPARE(header.branchLabels.items, full.branchLabels.items);
        QCOMPARE(header.dependsOn.items, (QStringList{"d"}));
        QCOMPARE(header.message, full.message);
        QVERIFY(!full.docstring.isEmpty());
        QVERIFY(header.docstring.isEmpty()); // headers keep the message only
        QCOMPARE(header.revisionLine, full.revisionLine);
        QVERIFY(header.upgrade.present);
        QVERIFY(header.upgrade.operations.isEmpty());
        QCOMPARE(full.upgrade.operations.size(), 1);
        QCOMPARE(full.docRevises, QStringLiteral("a"));
    }

    void legacyIdFromFileName()
    {
        const RevisionFile f =
            RevisionReader::read("down_revision = None\n", QStringLiteral("/v/1f2e3d.py"));
        QCOMPARE(f.revisionId(), QStringLiteral("1f2e3d"));
        QVERIFY(f.diagnostics.isEmpty());
    }

    void latin1Declared()
    {
        const RevisionFile f =
            RevisionReader::read("# -*- coding: latin-1 -*-\n\"\"\"caf\xE9\"\"\"\nrevision = "
                                 "'a'\ndown_revision = None\n",
                                 QStringLiteral("a.py"));
        QCOMPARE(f.message, QStringLiteral("café"));
        QVERIFY(f.diagnostics.isEmpty());
    }

    void decodeLiteral_data()
    {
        QTest::addColumn<QByteArray>("literal");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << QByteArray("'a'") << true << QStringLiteral("a");
        QTest::newRow("triple") << QByteArray("'''a\r\nb'''") << true << QStringLiteral("a\nb");
        QTest::newRow("line continuation inside")
            << QByteArray("'a\\\nb'") << true << QStringLiteral("ab");
        QTest::newRow("unicode") << QByteArray("u'\\u00e9\\U0001F600'") << true
                                 << QStringLiteral("é😀");
        QTest::newRow("unknown escape kept")
            << QByteArray("'\\d'") << true << QStringLiteral("\\d");
        QTest::newRow("bytes") << QByteArray("b'a'") << false << QString();
        QTest::newRow("named escape") << QByteArray("'\\N{DASH}'") << false << QString();
        QTest::newRow("empty triple") << QByteArray("\"\"\"\"\"\"") << true << QString();
    }
    void decodeLiteral()
    {
        QFETCH(QByteArray, literal);
        QFETCH(bool, ok);
        QFETCH(QString, value);
        QString out;
        QCOMPARE(PythonLiteral::decode(literal.constData(), int(literal.size()), &out), ok);
        if (ok)
            QCOMPARE(out, value);
    }
};

QTEST_GUILESS_MAIN(TestRevisionReader)
#include "tst_revisionreader.moc"
