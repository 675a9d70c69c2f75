// `retort export` and `retort graph --format svg` as a user runs them: the
// demo and a generated 500-revision history; every revision id and every
// table appears, the HTML is well-formed and self-contained, and a real
// headless Chromium renders it without a request leaving the file.

#include "testutil.h"

#include <QDomDocument>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Run retort(const QString &dir, const QStringList &args, const QString &cache)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CACHE_HOME"), cache);
    env.remove(QStringLiteral("DISPLAY"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(RETORT_BINARY), args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every revision id the project declares (from `retort graph --format json`).
QStringList revisionIds(const QString &dir, const QString &cache)
{
    const Run r = retort(
        dir, {QStringLiteral("graph"), QStringLiteral("--format"), QStringLiteral("json")}, cache);
    QStringList ids;
    for (const QJsonValue &v :
         QJsonDocument::fromJson(r.out).object().value(u"revisions").toArray())
        ids.append(v.toObject().value(u"revision").toString());
    return ids;
}

// The tables at the heads (from `retort schema --format json`).
QStringList headTables(const QString &dir, const QString &cache)
{
    const Run r = retort(
        dir, {QStringLiteral("schema"), QStringLiteral("--format"), QStringLiteral("json")}, cache);
    QStringList names;
    for (const QJsonValue &v : QJsonDocument::fromJson(r.out).object().value(u"tables").toArray())
        names.append(v.toObject().value(u"name").toString());
    return names;
}

void checkSelfContained(const QByteArray &html)
{
    QDomDocument doc;
    QString error;
    int line = 0;
    QVERIFY2(doc.setContent(html, &error, &line),
             qPrintable(QStringLiteral("%1 at line %2").arg(error).arg(line)));
    QCOMPARE(doc.documentElement().tagName(), QStringLiteral("html"));
    QVERIFY(!html.contains("<script"));
    QVERIFY(!html.contains("<link"));
    QVERIFY(!html.contains("@import"));
    QVERIFY(!html.contains("url("));
    QVERIFY(!QRegularExpression(QStringLiteral("\\ssrc\\s*="))
                 .match(QString::fromUtf8(html))
                 .hasMatch());
    // Links only within the page.
    const QRegularExpression href(QStringLiteral("href=\"([^\"]*)\""));
    for (auto it = href.globalMatch(QString::fromUtf8(html)); it.hasNext();) {
        const QString target = it.next().captured(1);
        QVERIFY2(target.startsWith(u'#'), qPrintable(target));
    }
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_cache.isValid()); }

    void exportsTheDemo()
    {
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        QByteArray text;
        QStringList ids;
        exportAndCheck(dir.path(), 13, &text, &ids);
        if (QTest::currentTestFailed())
            return;
        const QStringList tables = headTables(dir.path(), m_cache.path());
        QVERIFY(tables.contains(QStringLiteral("labels")));
        for (const QString &t : tables)
            QVERIFY2(text.contains(QByteArray(">" + t.toUtf8() + "</h3>")), qPrintable(t));
        // What the add_column revision changed, and the blame of the table.
        QVERIFY(text.contains("+ column users.avatar_url"));
        QVERIFY(text.contains("op.add_column users.avatar_url"));
        // Two inline SVGs: the history graph and the ER diagram.
        QCOMPARE(text.count("<svg"), 2);

        // Markdown: index.md with the same revisions, two SVG files that parse.
        const QString md = dir.filePath(QStringLiteral("md"));
        QCOMPARE(retort(dir.path(), {QStringLiteral("export"), QStringLiteral("--markdown"), md},
                        m_cache.path())
                     .code,
                 0);
        const QByteArray index = readAll(md + QStringLiteral("/index.md"));
        for (const QString &id : ids)
            QVERIFY2(index.contains(QByteArray("`" + id.toUtf8() + "`")), qPrintable(id));
        // Each table's blame: users made by 001, its avatar_url by 008.
        const QByteArray users = index.mid(index.indexOf("### users\n"));
        QVERIFY2(users.contains("`001_create_users`") &&
                     users.contains("`008_add_user_avatar` \\+ column users\\.avatar\\_url"),
                 users.left(600).constData());
        for (const char *svg : {"/history.svg", "/schema.svg"}) {
            QDomDocument doc;
            QVERIFY2(doc.setContent(readAll(md + QString::fromLatin1(svg))), svg);
            QCOMPARE(doc.documentElement().tagName(), QStringLiteral("svg"));
        }

        // graph --format svg: the history as the window draws it, to stdout.
        const Run graph =
            retort(dir.path(),
                   {QStringLiteral("graph"), QStringLiteral("--format"), QStringLiteral("svg")},
                   m_cache.path());
        QCOMPARE(graph.code, 0);
        QDomDocument doc;
        QVERIFY(doc.setContent(graph.out));
        for (const QString &id : ids)
            QVERIFY2(graph.out.contains(id.toUtf8()), qPrintable(id));
        // Neither option: a usage error.
        QCOMPARE(retort(dir.path(), {QStringLiteral("export")}, m_cache.path()).code, 2);
    }

    void exportsA500RevisionHistory()
    {
        QTemporaryDir dir;
        QProcess gen;
        gen.start(QStringLiteral("python3"),
                  {QStringLiteral(RETORT_SOURCE_DIR "/bench/generate_history.py"), dir.path(),
                   QStringLiteral("500"), QStringLiteral("--seed"), QStringLiteral("5"),
                   QStringLiteral("--plain")});
        QVERIFY(gen.waitForFinished(120000) && gen.exitCode() == 0);
        QByteArray text;
        QStringList ids;
        exportAndCheck(dir.path(), 500, &text, &ids);
        if (QTest::currentTestFailed())
            return;
        const QStringList tables = headTables(dir.path(), m_cache.path());
        QVERIFY(!tables.isEmpty());
        for (const QString &t : tables)
            QVERIFY2(text.contains(QByteArray(">" + t.toUtf8() + "</h3>")), qPrintable(t));
    }

    void chromiumRendersItWithNoRequestLeavingTheFile()
    {
        const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
        if (chromium.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("chromium is not installed (scripts/setup-debian.sh installs it)");
            QSKIP("chromium is not installed");
        }
        QTemporaryDir dir;
        TestUtil::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/resources/demo"), dir.path());
        const QString html = dir.filePath(QStringLiteral("history.html"));
        QCOMPARE(retort(dir.path(), {QStringLiteral("export"), QStringLiteral("--html"), html},
                        m_cache.path())
                     .code,
                 0);
        const QString shot = dir.filePath(QStringLiteral("shot.png"));
        const QString netlog = dir.filePath(QStringLiteral("net.json"));
        QProcess browser;
        // The browser's own services are kept on this machine: every host
        // resolves to nothing and any proxy use goes to a closed loopback port.
        browser.start(
            chromium,
            {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"),
             QStringLiteral("--disable-gpu"), QStringLiteral("--disable-background-networking"),
             QStringLiteral("--disable-component-update"), QStringLiteral("--disable-sync"),
             QStringLiteral("--no-first-run"), QStringLiteral("--disable-extensions"),
             QStringLiteral("--proxy-server=127.0.0.1:9"),
             QStringLiteral("--host-resolver-rules=MAP * ~NOTFOUND"),
             QStringLiteral("--user-data-dir=") + dir.filePath(QStringLiteral("profile")),
             QStringLiteral("--log-net-log=") + netlog, QStringLiteral("--screenshot=") + shot,
             QStringLiteral("--window-size=1200,1400"), QUrl::fromLocalFile(html).toString()});
        QVERIFY(browser.waitForFinished(120000));
        const QImage image(shot);
        QVERIFY2(!image.isNull(), browser.readAllStandardError().constData());
        // The graph's lanes are drawn in the window's lane colours: some
        // pixels are neither white nor grey.
        int coloured = 0;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2) {
                const QColor c = image.pixelColor(x, y);
                coloured += c.saturation() > 80 && c.value() > 60 ? 1 : 0;
            }
        QVERIFY2(coloured > 200, qPrintable(QString::number(coloured)));
        // No request the page made: every URL request a document initiated is
        // a file or data URL (the browser's own service requests have no
        // initiating origin).
        const QJsonObject log = QJsonDocument::fromJson(readAll(netlog)).object();
        QVERIFY(!log.isEmpty());
        QHash<int, QString> urls;
        for (const QJsonValue &v : log.value(u"events").toArray()) {
            const QJsonObject e = v.toObject();
            const QJsonObject params = e.value(u"params").toObject();
            const int source = e.value(u"source").toObject().value(u"id").toInt();
            if (params.contains(u"url"))
                urls.insert(source, params.value(u"url").toString());
            if (params.contains(u"initiator")) {
                const QString initiator = params.value(u"initiator").toString();
                if (initiator != u"not an origin") {
                    const QString url = urls.value(source);
                    QVERIFY2(url.startsWith(u"file:") || url.startsWith(u"data:"), qPrintable(url));
                }
            }
        }
    }

private:
    // `retort export --html` in `dir`: exit 0, well-formed and self-contained,
    // `revisions` revisions, each id in the text.
    void exportAndCheck(const QString &dir, int revisions, QByteArray *text, QStringList *ids)
    {
        const QString html = dir + QStringLiteral("/history.html");
        const Run r =
            retort(dir, {QStringLiteral("export"), QStringLiteral("--html"), html}, m_cache.path());
        QVERIFY2(r.code == 0, r.err.constData());
        *text = readAll(html);
        checkSelfContained(*text);
        *ids = revisionIds(dir, m_cache.path());
        QCOMPARE(ids->size(), revisions);
        for (const QString &id : std::as_const(*ids))
            QVERIFY2(text->contains(QByteArray("<code>" + id.toUtf8() + "</code>")),
                     qPrintable(id));
    }

    QTemporaryDir m_cache;
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
