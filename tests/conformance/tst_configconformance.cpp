// Retort's configuration readers against Python's: every alembic.ini form
// (Alembic's own templates as `alembic init` writes them, the demo's, and a
// battery of configparser's corners) read by IniFile and by
// configparser.ConfigParser({"here": ...}) as Alembic sets it up; every
// pyproject.toml form read by TomlTable (toml++) and by tomllib.

#include "core/script/inifile.h"
#include "core/script/tomltable.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Retort;

namespace {

QJsonObject python(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            QStringList{QStringLiteral(RETORT_SOURCE_DIR "/tests/conformance/config_read.py")} +
                args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("config_read.py failed: %s", p.readAllStandardError().constData());
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// configparser's corners, each a whole file.
const QList<QPair<const char *, const char *>> kIniForms = {
    {"plain", "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///x.db\n"},
    {"colon and no spaces", "[alembic]\nscript_location:migrations\nsqlalchemy.url=sqlite://\n"},
    {"first separator wins", "[a]\nk = v:w=x\nj : a=b\n"},
    {"upper-case keys", "[alembic]\nScript_Location = m\nSQLALCHEMY.URL = x\n"},
    {"comments", "# top\n; also\n[alembic]\n# inside\nscript_location = m\n  # indented\n"},
    {"continuation", "[alembic]\nversion_locations = a\n    b\n\tc\nnext = 1\n"},
    {"blank line inside a value", "[a]\nk = one\n\n    two\n\nj = 2\n"},
    {"blank lines at a value's end", "[a]\nk = one\n    two\n\n\n[b]\nx = 1\n"},
    {"comment inside a value", "[a]\nk = one\n    # not a line\n    two\n"},
    {"empty value", "[a]\nk =\nj = \n"},
    {"here and percent", "[alembic]\nscript_location = %(here)s/m\nurl = a%%b\n"},
    {"nested interpolation", "[a]\nx = %(y)s/x\ny = %(z)s/y\nz = root\n"},
    {"DEFAULT section", "[DEFAULT]\nroot = /srv\n[a]\nk = %(root)s/k\n[b]\nj = 1\n"},
    {"DEFAULT overridden", "[DEFAULT]\nk = d\n[a]\nk = a\n[b]\nj = %(k)s\n"},
    {"interpolation of another section's key", "[a]\nk = 1\n[b]\nj = %(k)s\n"},
    {"missing interpolation", "[a]\nk = %(nowhere)s\nj = fine\n"},
    {"bad percent", "[a]\nk = 50% off\nj = fine\n"},
    {"interpolation too deep", "[a]\nx = %(y)s\ny = %(x)s\nj = 1\n"},
    {"upper-case interpolation name", "[a]\nBase = /b\nk = %(BASE)s/k\n"},
    {"CRLF", "[alembic]\r\nscript_location = m\r\nversion_locations = a\r\n  b\r\n"},
    {"section twice", "[a]\nk = 1\n[a]\nj = 2\n"},
    {"key twice", "[a]\nk = 1\nK = 2\n"},
    {"line before any section", "k = 1\n[a]\nj = 2\n"},
    {"key without a value", "[a]\njust a key\n"},
    {"text after a header", "[a] trailing\nk = 1\n"},
    {"spaces in a header", "[ a b ]\nk = 1\n"},
    {"loggers of the generic template",
     "[loggers]\nkeys = root,sqlalchemy,alembic\n\n[handler_console]\nclass = StreamHandler\n"
     "args = (sys.stderr,)\nformat = %%(levelname)-5.5s [%%(name)s] %%(message)s\n"},
    {"post_write_hooks", "[post_write_hooks]\nhooks = black\nblack.type = console_scripts\n"
                         "black.options = -l 79 REVISION_SCRIPT_FILENAME\n"},
    {"unicode", "[alembic]\nscript_location = миграции\nname = café\n"},
};

// pyproject.toml forms; the table read is tool.alembic.
const QList<QPair<const char *, const char *>> kTomlForms = {
    {"plain", "[tool.alembic]\nscript_location = \"%(here)s/alembic\"\n"},
    {"arrays", "[tool.alembic]\nversion_locations = [\"a\", 'b',\n  \"c\", # comment\n]\n"},
    {"strings",
     "[tool.alembic]\na = 'lit\\n'\nb = \"esc\\tx\\u00e9\"\nc = \"\"\"\nmulti\nline\"\"\"\n"
     "d = '''\nraw\\n'''\ne = \"\"\"one \\\n   two\"\"\"\n"},
    {"numbers and booleans", "[tool.alembic]\nn = 1_000\nh = 0x1f\nf = 1.5\nt = true\nz = false\n"},
    {"dotted keys", "[tool]\nalembic.script_location = \"m\"\nalembic.truncate_slug_length = 40\n"},
    {"inline table", "tool = { alembic = { script_location = \"m\" } }\n"},
    {"sub-tables left out", "[tool.alembic]\nscript_location = \"m\"\n[tool.alembic.extra]\nx = 1\n"
                            "[[tool.alembic.post_write_hooks]]\nname = \"black\"\ntype = \"x\"\n"},
    {"dates left out", "[tool.alembic]\nd = 2026-11-28\nk = \"v\"\n"},
    {"quoted keys", "[tool.alembic]\n\"quoted key\" = 1\n'lit key' = 2\n"},
    {"other tables only", "[tool.other]\nscript_location = \"no\"\n"},
    {"unterminated string", "[tool.alembic]\na = \"open\n"},
    {"key twice", "[tool.alembic]\na = 1\na = 2\n"},
    {"table twice", "[tool.alembic]\na = 1\n[tool.alembic]\nb = 2\n"},
    {"bad value", "[tool.alembic]\na = nope\n"},
    {"unicode", "[tool.alembic]\nname = \"миграции\"\n"},
};

} // namespace

class TestConfigConformance : public QObject
{
    Q_OBJECT

private:
    void compareIni(const QString &name, const QString &path)
    {
        const QString here = QFileInfo(path).absolutePath();
        const QJsonObject expected = python({QStringLiteral("ini"), path, here});
        IniFile ini;
        const bool parsed =
            ini.parse(QString::fromUtf8(readAll(path)), {{QStringLiteral("here"), here}});
        if (expected.contains(u"error")) {
            QVERIFY2(!parsed, qPrintable(name + QStringLiteral(": configparser says ") +
                                         expected.value(u"error").toString()));
            QVERIFY2(!ini.error().isEmpty(), qPrintable(name));
            return;
        }
        QVERIFY2(parsed, qPrintable(name + QStringLiteral(": ") + ini.error()));
        QStringList order;
        for (const QJsonValue &s : expected.value(u"order").toArray())
            order.append(s.toString());
        QCOMPARE(ini.sections(), order);
        const QJsonObject sections = expected.value(u"sections").toObject();
        for (auto s = sections.begin(); s != sections.end(); ++s) {
            const QJsonObject values = s.value().toObject();
            QStringList keys = values.keys();
            QStringList ours = ini.keys(s.key());
            keys.sort();
            ours.sort();
            QVERIFY2(ours == keys,
                     qPrintable(name + u' ' + s.key() + QStringLiteral(": ") + ours.join(u',') +
                                QStringLiteral(" vs ") + keys.join(u',')));
            for (auto v = values.begin(); v != values.end(); ++v) {
                QString error;
                const QString value = ini.value(s.key(), v.key(), {}, &error);
                const QString where = name + u' ' + s.key() + u'.' + v.key();
                if (v.value().isObject()) {
                    QVERIFY2(!error.isEmpty(),
                             qPrintable(where + QStringLiteral(": configparser says ") +
                                        v.value().toObject().value(u"error").toString() +
                                        QStringLiteral(", Retort read ") + value));
                } else {
                    QVERIFY2(error.isEmpty(), qPrintable(where + QStringLiteral(": ") + error));
                    QCOMPARE(value, v.value().toString());
                }
            }
        }
    }

private slots:
    void iniFormsReadAsConfigparserReadsThem()
    {
        QTemporaryDir dir;
        for (const auto &[name, text] : kIniForms) {
            const QString path = dir.filePath(QStringLiteral("alembic.ini"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
            f.close();
            compareIni(QString::fromUtf8(name), path);
            if (QTest::currentTestFailed())
                return;
        }
    }

    // What `alembic init` writes for each of its templates, and the demo's.
    void alembicsOwnIniFiles()
    {
        QTemporaryDir dir;
        for (const char *templ : {"generic", "async", "multidb"}) {
            const QString folder = dir.filePath(QString::fromLatin1(templ));
            QVERIFY(QDir().mkpath(folder));
            QProcess init;
            init.setWorkingDirectory(folder);
            init.start(QStringLiteral("alembic"),
                       {QStringLiteral("init"), QStringLiteral("-t"), QString::fromLatin1(templ),
                        QStringLiteral("migrations")});
            QVERIFY(init.waitForFinished(60000));
            QVERIFY2(init.exitCode() == 0, init.readAllStandardError().constData());
            compareIni(QString::fromLatin1(templ), folder + QStringLiteral("/alembic.ini"));
        }
        compareIni(QStringLiteral("demo"),
                   QStringLiteral(RETORT_SOURCE_DIR "/resources/demo/alembic.ini"));
    }

    void tomlFormsReadAsTomllibReadsThem()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pyproject.toml"));
        for (const auto &[name, text] : kTomlForms) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
            f.close();
            const QJsonObject expected =
                python({QStringLiteral("toml"), path, QStringLiteral("tool.alembic")});
            QVariantMap table;
            QString error;
            const bool read = TomlTable::read(QString::fromUtf8(text),
                                              QStringLiteral("tool.alembic"), &table, &error);
            const QString where = QString::fromUtf8(name);
            if (expected.contains(u"error") || expected.contains(u"missing")) {
                QVERIFY2(!read, qPrintable(where));
                QVERIFY2(!error.isEmpty(), qPrintable(where));
                // A syntax error names its line, as tomllib does.
                if (expected.contains(u"error"))
                    QVERIFY2(error.startsWith(u"line ") &&
                                 expected.value(u"error").toString().contains(
                                     QStringLiteral("line %1").arg(
                                         error.section(u' ', 1, 1).chopped(1))),
                             qPrintable(where + QStringLiteral(": ") + error +
                                        QStringLiteral(" vs ") +
                                        expected.value(u"error").toString()));
                continue;
            }
            QVERIFY2(read, qPrintable(where + QStringLiteral(": ") + error));
            QCOMPARE(QJsonObject::fromVariantMap(table), expected.value(u"table").toObject());
        }
    }
};

QTEST_GUILESS_MAIN(TestConfigConformance)
#include "tst_configconformance.moc"
