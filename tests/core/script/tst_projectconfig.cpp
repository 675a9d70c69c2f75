#include "core/script/inifile.h"
#include "core/script/projectconfig.h"
#include "core/script/tomltable.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Retort;
using TestUtil::writeFile;

class TestProjectConfig : public QObject
{
    Q_OBJECT

private slots:
    void iniInterpolation()
    {
        IniFile ini;
        QVERIFY(ini.parse("[DEFAULT]\nroot = /srv\n[alembic]\nscript_location = %(here)s/mig\n"
                          "file_template = %%(rev)s_%%(slug)s\nurl = %(root)s/db ; not a comment\n"
                          "multi = a\n  b\n\n  c\n# comment\nkey: colon\n",
                          {{"here", "/p"}}));
        QCOMPARE(ini.value("alembic", "script_location"), QStringLiteral("/p/mig"));
        QCOMPARE(ini.value("alembic", "file_template"), QStringLiteral("%(rev)s_%(slug)s"));
        QCOMPARE(ini.value("alembic", "url"), QStringLiteral("/srv/db ; not a comment"));
        // configparser keeps an empty line inside a value.
        QCOMPARE(ini.value("alembic", "multi"), QStringLiteral("a\nb\n\nc"));
        QCOMPARE(ini.value("alembic", "key"), QStringLiteral("colon"));
        QCOMPARE(ini.value("alembic", "missing", "fb"), QStringLiteral("fb"));
        QCOMPARE(ini.line("alembic", "script_location"), 4);
        QVERIFY(ini.hasSection("alembic"));
        QVERIFY(!ini.hasSection("DEFAULT"));
    }

    void iniErrors()
    {
        IniFile ini;
        QVERIFY(!ini.parse("key = before section\n"));
        QCOMPARE(ini.errorLine(), 1);
        QVERIFY(!ini.parse("[a]\njust words\n"));
        QCOMPARE(ini.errorLine(), 2);
    }

    void alembicIni()
    {
        QTemporaryDir dir;
        writeFile(
            dir.path(), "alembic.ini",
            "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///%(here)s/x.db\n"
            "file_template = %%(year)d_%%(rev)s\ntruncate_slug_length = 20\n");
        QDir(dir.path()).mkpath("migrations/versions");
        auto c = ProjectConfig::load(dir.path());
        QVERIFY2(c, qPrintable(c.error()));
        QCOMPARE(c->source, ProjectConfig::Source::AlembicIni);
        QCOMPARE(c->configFile, dir.filePath("alembic.ini"));
        QCOMPARE(c->scriptLocation, dir.filePath("migrations"));
        QCOMPARE(c->versionLocations, QStringList{dir.filePath("migrations/versions")});
        QCOMPARE(c->sqlalchemyUrl, "sqlite:///" + dir.path() + "/x.db");
        QCOMPARE(c->fileTemplate, QStringLiteral("%(year)d_%(rev)s"));
        QCOMPARE(c->truncateSlugLength, 20);
    }

    void versionLocations_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("legacy commas and spaces")
            << "version_locations = %(here)s/a, %(here)s/b %(here)s/c"
            << QStringList{"a", "b", "c"};
        QTest::newRow("os separator")
            << "version_locations = %(here)s/a:%(here)s/b\nversion_path_separator = os"
            << QStringList{"a", "b"};
        QTest::newRow("semicolon")
            << "version_locations = a;b\nversion_path_separator = ;" << QStringList{"a", "b"};
        QTest::newRow("space") << "version_locations = a b\nversion_path_separator = space"
                               << QStringList{"a", "b"};
        QTest::newRow("newline")
            << "version_locations =\n  a\n  b\nversion_path_separator = newline"
            << QStringList{"a", "b"};
        QTest::newRow("missing ones are skipped")
            << "version_locations = a missing b" << QStringList{"a", "b"};
    }
    void versionLocations()
    {
        QFETCH(QString, setting);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        writeFile(dir.path(), "alembic.ini",
                  ("[alembic]\nscript_location = m\n" + setting + "\n").toUtf8());
        for (const char *d : {"m", "a", "b", "c"})
            QDir(dir.path()).mkpath(QString::fromLatin1(d));
        auto c = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY2(c, qPrintable(c.error()));
        QStringList want;
        for (const QString &e : expected)
            want << dir.filePath(e);
        QCOMPARE(c->versionLocations, want);
    }

    void badSeparator()
    {
        QTemporaryDir dir;
        writeFile(
            dir.path(), "alembic.ini",
            "[alembic]\nscript_location = .\nversion_locations = a\nversion_path_separator = |\n");
        auto c = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY(!c);
        QVERIFY(c.error().contains("version_path_separator"));
    }

    void errorsNameThePath()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), "alembic.ini", "[other]\nx = 1\n");
        auto noSection = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY(!noSection);
        QVERIFY(noSection.error().contains(dir.filePath("alembic.ini")));
        QVERIFY(noSection.error().contains("[alembic]"));

        writeFile(dir.path(), "alembic.ini", "[alembic]\nsqlalchemy.url = x\n");
        auto noLocation = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY(!noLocation);
        QVERIFY(noLocation.error().contains("script_location"));

        writeFile(dir.path(), "alembic.ini", "[alembic]\nscript_location = nowhere\n");
        auto missing = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY(!missing);
        QVERIFY(missing.error().contains(dir.filePath("nowhere")));

        QDir(dir.path()).mkpath("m");
        writeFile(dir.path(), "alembic.ini", "[alembic]\nscript_location = m\n");
        auto noVersions = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY(!noVersions);
        QVERIFY(noVersions.error().contains(dir.filePath("m/versions")));

        auto absent = ProjectConfig::open(dir.filePath("absent"));
        QVERIFY(!absent);
        QVERIFY(absent.error().contains("absent"));
    }

    // Alembic's `package.module:path` resource form, read as the package's
    // folder under the project; what only looks like one stays a path.
    void resourceLocations_data()
    {
        QTest::addColumn<QString>("location");
        QTest::addColumn<QString>("expected"); // relative to the project
        QTest::newRow("package") << "myapp.db:migrations"
                                 << "myapp/db/migrations";
        QTest::newRow("underscore and digits") << "_app2.sub_1:mig"
                                               << "_app2/sub_1/mig";
        QTest::newRow("non-ASCII is no package") << "appé.db:mig"
                                                 << "appé.db:mig";
        QTest::newRow("one letter is a drive") << "C:mig"
                                               << "C:mig";
        QTest::newRow("digit first") << "1app:mig"
                                     << "1app:mig";
        QTest::newRow("dash in package") << "my-app:mig"
                                         << "my-app:mig";
        QTest::newRow("plain path") << "mig"
                                    << "mig";
    }
    void resourceLocations()
    {
        QFETCH(QString, location);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QDir(dir.path()).mkpath(expected + "/versions");
        writeFile(dir.path(), "alembic.ini",
                  ("[alembic]\nscript_location = " + location + "\n").toUtf8());
        auto config = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY2(config, qPrintable(config ? QString() : config.error()));
        QCOMPARE(config.value().scriptLocation, QDir::cleanPath(dir.filePath(expected)));
    }

    void pyproject()
    {
        QTemporaryDir dir;
        writeFile(
            dir.path(), "pyproject.toml",
            "[project]\nname = \"app\"\n\n[tool.alembic]\n# where revisions live\n"
            "script_location = \"%(here)s/alembic\"\n"
            "version_locations = [\n  \"%(here)s/alembic/versions\",\n  'extra', # second\n]\n"
            "recursive_version_locations = true\nfile_template = \"%%(rev)s\"\n"
            "[[tool.alembic.post_write_hooks]]\nname = \"black\"\n[tool.other]\nscript_location = "
            "\"no\"\n");
        writeFile(dir.path(), "alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://h/db\n");
        QDir(dir.path()).mkpath("alembic/versions");
        QDir(dir.path()).mkpath("extra");
        auto c = ProjectConfig::load(dir.filePath("pyproject.toml"));
        QVERIFY2(c, qPrintable(c.error()));
        QCOMPARE(c->source, ProjectConfig::Source::PyProject);
        QCOMPARE(c->scriptLocation, dir.filePath("alembic"));
        QCOMPARE(c->versionLocations,
                 (QStringList{dir.filePath("alembic/versions"), dir.filePath("extra")}));
        QVERIFY(c->recursiveVersionLocations);
        QCOMPARE(c->fileTemplate, QStringLiteral("%%(rev)s"));
        QCOMPARE(c->sqlalchemyUrl, QStringLiteral("postgresql://h/db"));
    }

    // What configparser refuses, Alembic stops at: so does Retort, naming the line.
    void anInterpolationAlembicRefusesIsAnError()
    {
        QTemporaryDir dir;
        QDir(dir.path()).mkpath("m/versions");
        writeFile(dir.path(), "alembic.ini",
                  "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = "
                  "postgresql://u:50%@h/db\n");
        // A URL env.py could not get: the history still reads (Alembic's
        // history commands do not need it), the URL is empty and says why.
        auto bad = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY2(bad, qPrintable(bad.error()));
        QVERIFY(bad->sqlalchemyUrl.isEmpty());
        QVERIFY2(bad->sqlalchemyUrlProblem.contains("line 3") &&
                     bad->sqlalchemyUrlProblem.contains("%%"),
                 qPrintable(bad->sqlalchemyUrlProblem));
        QVERIFY(!bad->sqlalchemyUrlProblem.contains("u:50")); // the password stays out
        writeFile(dir.path(), "alembic.ini", "[alembic]\nscript_location = %(nowhere)s/m\n");
        auto missing = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY(!missing);
        QVERIFY2(missing.error().contains("nowhere") && missing.error().contains("line 2"),
                 qPrintable(missing.error()));
        writeFile(dir.path(), "alembic.ini",
                  "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = "
                  "postgresql://u:50%%@h/db\n");
        auto escaped = ProjectConfig::load(dir.filePath("alembic.ini"));
        QVERIFY2(escaped, qPrintable(escaped.error()));
        QCOMPARE(escaped->sqlalchemyUrl, QStringLiteral("postgresql://u:50%@h/db"));
    }

    void tomlValues()
    {
        QVariantMap m;
        QString error;
        QVERIFY(TomlTable::read("[t]\na = 'lit\\n'\nb = \"esc\\tx\\u00e9\"\nc = 12\nd = false\n"
                                "e = \"\"\"\nmulti\nline\"\"\"\n\"quoted key\" = 1\n",
                                "t", &m, &error));
        QCOMPARE(m.value("a").toString(), QStringLiteral("lit\\n"));
        QCOMPARE(m.value("b").toString(), QStringLiteral("esc\txé"));
        QCOMPARE(m.value("c").toLongLong(), 12);
        QCOMPARE(m.value("d").toBool(), false);
        QCOMPARE(m.value("e").toString(), QStringLiteral("multi\nline"));
        QVERIFY(m.contains("quoted key"));
        QVERIFY(!TomlTable::read("[x]\na = 1\n", "t", &m, &error));
        QVERIFY(error.contains("[t]"));
        QVERIFY(!TomlTable::read("[t]\na = \"open\n", "t", &m, &error));
        QVERIFY(error.contains("line 2"));
    }

    void openDetectsKind()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), "proj/alembic.ini", "[alembic]\nscript_location = %(here)s/m\n");
        QDir(dir.path()).mkpath("proj/m/versions");
        auto project = ProjectConfig::open(dir.filePath("proj"));
        QVERIFY2(project, qPrintable(project.error()));
        QCOMPARE(project->source, ProjectConfig::Source::AlembicIni);
        auto bare = ProjectConfig::open(dir.filePath("proj/m/versions"));
        QVERIFY(bare);
        QCOMPARE(bare->source, ProjectConfig::Source::VersionsFolder);
        QCOMPARE(bare->versionLocations, QStringList{dir.filePath("proj/m/versions")});
        writeFile(dir.path(), "proj/m/env.py", "");
        auto scriptDir = ProjectConfig::open(dir.filePath("proj/m"));
        QVERIFY(scriptDir);
        QCOMPARE(scriptDir->versionLocations, QStringList{dir.filePath("proj/m/versions")});
    }
};

QTEST_GUILESS_MAIN(TestProjectConfig)
#include "tst_projectconfig.moc"
