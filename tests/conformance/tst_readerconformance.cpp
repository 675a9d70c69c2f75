// Differential test: the static reader against CPython (python_read.py parses
// with Python's own compiler) on files in other encodings, with coding
// cookies in every PEP 263 form, and on the edits Retort makes to them:
// wherever Python reads the four identifiers, Retort reads the same; where
// Python refuses a file, Retort reports an error.
#include "core/edit/revisionrewriter.h"
#include "core/project.h"
#include "core/script/revisionreader.h"
#include "core/script/sourcecodec.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

namespace {

QList<QJsonObject> pythonRead(const QStringList &paths)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            QStringList{QStringLiteral(RETORT_SOURCE_DIR "/tests/conformance/python_read.py")} +
                paths);
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        qFatal("python_read.py failed: %s", p.readAllStandardError().constData());
    QList<QJsonObject> out;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        if (!line.isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

QStringList pyList(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return {};
    if (v.isString())
        return {v.toString()};
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out.append(x.toString());
    return out;
}

bool hasError(const RevisionFile &f)
{
    for (const Diagnostic &d : f.diagnostics) {
        if (d.severity == Severity::Error)
            return true;
    }
    return false;
}

QString describe(const RevisionFile &f)
{
    QStringList out;
    for (const Diagnostic &d : f.diagnostics)
        out << QStringLiteral("%1:%2 %3").arg(d.code).arg(d.line).arg(d.message);
    return out.join(u'\n');
}

// A revision file in `codec` whose docstring and a string hold `text`.
QByteArray encodedRevision(const QByteArray &cookieLines, const QString &text, const char *codec,
                           int padding = 0)
{
    QByteArray body = "\"\"\"" + text.toUtf8() +
                      "\n\nRevision ID: abc123\nRevises: \n\"\"\"\nrevision = 'abc123'\n"
                      "down_revision = None\nbranch_labels = None\ndepends_on = None\n"
                      "NOTE = '" +
                      text.toUtf8() + "'\n";
    for (int i = 0; i < padding; ++i)
        body += "# " + text.toUtf8() + " padding line to make the file large\n";
    body += "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n";
    QByteArray encoded;
    if (!SourceCodec(codec).encode(QString::fromUtf8(body), &encoded))
        qFatal("cannot encode test text in %s", codec);
    return cookieLines + encoded;
}

} // namespace

class TestReaderConformance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesCPython_data()
    {
        QTest::addColumn<QByteArray>("content");
        const QString accents = QStringLiteral("café déjà vu");
        QTest::newRow("emacs cookie latin-1")
            << encodedRevision("# -*- coding: latin-1 -*-\n", accents, "latin-1");
        QTest::newRow("plain coding= cookie")
            << encodedRevision("# coding=iso-8859-1\n", accents, "latin-1");
        QTest::newRow("vim cookie")
            << encodedRevision("# vim: set fileencoding=latin-1 :\n", accents, "latin-1");
        QTest::newRow("cookie on line 2 after a shebang") << encodedRevision(
            "#!/usr/bin/env python\n# -*- coding: latin-1 -*-\n", accents, "latin-1");
        QTest::newRow("cookie on line 2 after code is ignored")
            << encodedRevision("x = 1\n# -*- coding: latin-1 -*-\n", accents, "latin-1");
        QTest::newRow("cookie on line 3 is ignored")
            << encodedRevision("#\n#\n# -*- coding: latin-1 -*-\n", accents, "latin-1");
        QTest::newRow("cp1252 euro") << encodedRevision(
            "# coding: cp1252\n", QStringLiteral("price in € — “quoted”"), "cp1252");
        QTest::newRow("windows_1252 spelling")
            << encodedRevision("# coding: windows_1252\n", QStringLiteral("€ sign"), "cp1252");
        QTest::newRow("iso8859_15")
            << encodedRevision("# coding: iso8859_15\n", QStringLiteral("€ œ Ÿ"), "iso8859-15");
        QTest::newRow("koi8-r") << encodedRevision("# -*- coding: koi8-r -*-\n",
                                                   QStringLiteral("таблица"), "koi8-r");
        QTest::newRow("cp1251") << encodedRevision("# coding: cp1251\n", QStringLiteral("миграция"),
                                                   "cp1251");
        QTest::newRow("shift_jis") << encodedRevision(
            "# coding: shift_jis\n", QStringLiteral("テーブルを追加"), "shift_jis");
        QTest::newRow("euc_jp") << encodedRevision("# coding: euc_jp\n", QStringLiteral("テーブル"),
                                                   "euc-jp");
        QTest::newRow("gbk") << encodedRevision("# coding: gbk\n", QStringLiteral("添加表"), "gbk");
        QTest::newRow("big5") << encodedRevision("# coding: big5\n", QStringLiteral("新增資料表"),
                                                 "big5");
        QTest::newRow("mac_roman")
            << encodedRevision("# coding: mac_roman\n", QStringLiteral("Ä ø"), "mac_roman");
        QTest::newRow("utf-8 cookie")
            << encodedRevision("# -*- coding: utf-8 -*-\n", accents, "utf-8");
        QTest::newRow("utf8 with BOM")
            << "\xEF\xBB\xBF" + encodedRevision("# coding: utf-8\n", accents, "utf-8");
        QTest::newRow("BOM with latin-1 cookie")
            << "\xEF\xBB\xBF" +
                   encodedRevision("# coding: latin-1\n", QStringLiteral("x"), "latin-1");
        QTest::newRow("unknown codec")
            << encodedRevision("# coding: klingon\n", QStringLiteral("x"), "utf-8");
        QTest::newRow("bytes invalid in the declared codec") << QByteArray(
            "# coding: shift_jis\nrevision = 'a'\ndown_revision = None\nX = '\x82'\n");
        QTest::newRow("invalid utf-8 in a comment only")
            << QByteArray("revision = 'a'\ndown_revision = None\n# caf\xE9\n");
        QTest::newRow("invalid utf-8 in a string")
            << QByteArray("revision = 'a'\ndown_revision = None\nX = 'caf\xE9'\n");
        QTest::newRow("large latin-1 file")
            << encodedRevision("# -*- coding: latin-1 -*-\n", accents, "latin-1", 4000);
        // Tokenizer corners, against CPython 3.11.
        const QByteArray ids = "revision = 'a1'\ndown_revision = None\n";
        QTest::newRow("backslash-only line opening a block")
            << ids + "def upgrade():\n\\\n    pass\nx = 1\n";
        QTest::newRow("indented backslash line opening a block")
            << ids + "def upgrade():\n  \\\n  pass\n";
        QTest::newRow("byte order mark inside a string")
            << QByteArray("revision = '\xEF\xBB\xBF"
                          "a1'\ndown_revision = None\n");
        QTest::newRow("escaped byte order mark")
            << QByteArray("revision = '\\ufeffa1'\ndown_revision = None\n");
        QTest::newRow("NUL byte") << ids + QByteArray("x = 1\0\n", 7);
        QTest::newRow("NUL byte in a comment") << ids + QByteArray("# x\0\n", 6);
        QTest::newRow("tabs and spaces mixed in a function")
            << ids + "def upgrade():\n        x = 1\n\ty = 2\n";
        QTest::newRow("tab then spaces consistently") << ids + "def upgrade():\n\tx = 1\n\ty = 2\n";
        QTest::newRow("199 nested brackets")
            << ids + "x = " + QByteArray(199, '(') + "1" + QByteArray(199, ')') + "\n";
        QTest::newRow("200 nested brackets")
            << ids + "x = " + QByteArray(200, '(') + "1" + QByteArray(200, ')') + "\n";
        QTest::newRow("201 nested brackets")
            << ids + "x = " + QByteArray(201, '(') + "1" + QByteArray(201, ')') + "\n";
        QTest::newRow("20000 nested brackets around the id")
            << "revision = " + QByteArray(20000, '(') + "'a1'" + QByteArray(20000, ')') +
                   "\ndown_revision = None\n";
        QTest::newRow("parenthesized id")
            << QByteArray("revision = ((('a1')))\ndown_revision = None\n");
        QTest::newRow("unclosed calls")
            << ids + "def upgrade():\n" + QByteArray("    op.f(\n").repeated(20000);
    }
    void matchesCPython()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString path = TestUtil::writeFile(dir.path(), QStringLiteral("abc123.py"), content);
        const QJsonObject py = pythonRead({path}).value(0);
        for (const auto detail : {RevisionReader::Detail::Header, RevisionReader::Detail::Full}) {
            const RevisionFile f = RevisionReader::readFile(path, detail);
            if (!py.value(QStringLiteral("ok")).toBool()) {
                QVERIFY2(hasError(f),
                         qPrintable(QStringLiteral("Python refuses it (%1), Retort "
                                                   "reports nothing")
                                        .arg(py.value(QStringLiteral("error")).toString())));
                continue;
            }
            QVERIFY2(!hasError(f), qPrintable(describe(f)));
            QCOMPARE(f.revisionId(), py.value(QStringLiteral("revision")).toString());
            QCOMPARE(f.downRevision.toList(), pyList(py.value(QStringLiteral("down_revision"))));
            const QString doc = py.value(QStringLiteral("doc")).toString();
            if (detail == RevisionReader::Detail::Full) {
                QCOMPARE(f.docstring, doc);
            } else {
                // Headers keep Alembic's message (the first paragraph) only.
                QVERIFY(f.docstring.isEmpty());
                QCOMPARE(f.message, doc.trimmed().section(QStringLiteral("\n\n"), 0, 0));
            }
        }
    }

    // Normalize rewrites files in their own encoding, at the right bytes, and
    // the result imports in Python with the new identifiers.
    void normalizeKeepsTheEncoding_data()
    {
        QTest::addColumn<QByteArray>("cookie");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("codec");
        QTest::newRow("latin-1") << QByteArray("# -*- coding: latin-1 -*-\n")
                                 << QStringLiteral("ajouté café") << QByteArray("latin-1");
        QTest::newRow("shift_jis") << QByteArray("# coding: shift_jis\n")
                                   << QStringLiteral("テーブルを追加") << QByteArray("shift_jis");
        QTest::newRow("koi8-r") << QByteArray("# coding: koi8-r\n") << QStringLiteral("таблица")
                                << QByteArray("koi8-r");
    }
    void normalizeKeepsTheEncoding()
    {
        QFETCH(QByteArray, cookie);
        QFETCH(QString, text);
        QFETCH(QByteArray, codec);
        QTemporaryDir dir;
        const QString versions = dir.filePath(QStringLiteral("versions"));
        TestUtil::writeFile(versions, QStringLiteral("001_base.py"),
                            TestUtil::revisionSource("001_base", {}));
        QByteArray fresh = encodedRevision(cookie, text, codec.constData(), 300);
        fresh.replace("abc123", "6f1a2b3c4d5e");
        fresh.replace("down_revision = None", "down_revision = '001_base'");
        const QString path =
            TestUtil::writeFile(versions, QStringLiteral("6f1a2b3c4d5e_add.py"), fresh);
        TestUtil::writeFile(versions, QStringLiteral("002_child.py"),
                            cookie + TestUtil::revisionSource("002_child", "6f1a2b3c4d5e"));
        auto project = Project::open(versions);
        QVERIFY(project);
        auto plan = RevisionRewriter(project.value()).normalize({QStringLiteral("6f1a2b3c4d5e")});
        QVERIFY2(plan, qPrintable(plan.error()));
        QVERIFY2(plan.value().apply(), "apply failed");
        const QString renamed = QDir(versions).filePath(plan.value().focusId + ".py");
        const QJsonObject py = pythonRead({renamed}).value(0);
        QVERIFY2(py.value(QStringLiteral("ok")).toBool(),
                 qPrintable(py.value(QStringLiteral("error")).toString()));
        QCOMPARE(py.value(QStringLiteral("revision")).toString(), plan.value().focusId);
        QVERIFY(py.value(QStringLiteral("doc")).toString().startsWith(text));
        QVERIFY(py.value(QStringLiteral("doc"))
                    .toString()
                    .contains(QStringLiteral("Revision ID: ") + plan.value().focusId));
        const QJsonObject child = pythonRead({QDir(versions).filePath("002_child.py")}).value(0);
        QCOMPARE(child.value(QStringLiteral("down_revision")).toString(), plan.value().focusId);
        QVERIFY(!QFileInfo::exists(path));
    }

    // Every file Retort writes imports in Python: merge messages with
    // backslashes, quotes and control characters.
    void mergeWritesImportableFiles_data()
    {
        QTest::addColumn<QString>("message");
        QTest::newRow("windows path") << QStringLiteral("merge C:\\Users\\new\\x");
        QTest::newRow("triple quotes") << QStringLiteral("say \"\"\"hi\"\"\" \\");
        QTest::newRow("trailing quote") << QStringLiteral("ends with a quote\"");
        QTest::newRow("control characters") << QStringLiteral("tab\there\x01 and\nnewline");
        QTest::newRow("unicode") << QStringLiteral("fusion des têtes ✓");
    }
    void mergeWritesImportableFiles()
    {
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString versions = dir.filePath(QStringLiteral("versions"));
        TestUtil::writeFile(versions, QStringLiteral("001_a.py"),
                            TestUtil::revisionSource("001_a", {}));
        TestUtil::writeFile(versions, QStringLiteral("002_b.py"),
                            TestUtil::revisionSource("002_b", "001_a"));
        TestUtil::writeFile(versions, QStringLiteral("003_c.py"),
                            TestUtil::revisionSource("003_c", "001_a"));
        auto project = Project::open(versions);
        QVERIFY(project);
        auto plan = RevisionRewriter(project.value()).merge(message);
        QVERIFY2(plan, qPrintable(plan.error()));
        QVERIFY(plan.value().apply());
        const QString written = plan.value().edits.first().newPath;
        const QJsonObject py = pythonRead({written}).value(0);
        QVERIFY2(py.value(QStringLiteral("ok")).toBool(),
                 qPrintable(py.value(QStringLiteral("error")).toString()));
        QCOMPARE(pyList(py.value(QStringLiteral("down_revision"))),
                 (QStringList{QStringLiteral("002_b"), QStringLiteral("003_c")}));
        QCOMPARE(py.value(QStringLiteral("doc")).toString().section(u'\n', 0, 0),
                 message.simplified().remove(QChar(1)));
        const RevisionFile f = RevisionReader::readFile(written);
        QCOMPARE(f.message, message.simplified().remove(QChar(1)));
    }
};

QTEST_GUILESS_MAIN(TestReaderConformance)
#include "tst_readerconformance.moc"
