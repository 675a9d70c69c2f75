#include "connectionprofile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace Retort {

Result<ConnectionProfile> ConnectionProfile::fromUrl(const QString &urlIn, const QString &baseDir)
{
    const QString url = urlIn.trimmed();
    static const QRegularExpression scheme(
        QStringLiteral("^([A-Za-z][\\w]*)(?:\\+([\\w]+))?://(.*)$"));
    const auto m = scheme.match(url);
    if (!m.hasMatch())
        return Result<ConnectionProfile>::failure(
            QStringLiteral("'%1' is not a database URL (expected e.g. postgresql://user@host/db).")
                .arg(url));
    const QString dialect = m.captured(1).toLower();
    ConnectionProfile p;
    if (dialect == u"sqlite") {
        p.driver = Driver::SQLite;
        // sqlite:///relative.db, sqlite:////absolute.db, sqlite:// (memory)
        QString rest = m.captured(3);
        const qsizetype query = rest.indexOf(u'?');
        if (query >= 0)
            rest = rest.left(query);
        if (rest.isEmpty() || rest == u"/" || rest == u"/:memory:") {
            p.database = QStringLiteral(":memory:");
        } else {
            if (!rest.startsWith(u'/'))
                return Result<ConnectionProfile>::failure(
                    QStringLiteral("'%1': SQLite URLs have three slashes before a relative path "
                                   "(sqlite:///app.db) and four before an absolute one.")
                        .arg(url));
            const QString path = QUrl::fromPercentEncoding(rest.mid(1).toUtf8());
            p.database = QFileInfo(path).isAbsolute() || baseDir.isEmpty()
                             ? path
                             : QDir(baseDir).filePath(path);
        }
        p.name = QFileInfo(p.database).fileName();
        return p;
    }
    if (dialect == u"postgresql" || dialect == u"postgres")
        p.driver = Driver::PostgreSQL;
    else if (dialect == u"mysql" || dialect == u"mariadb")
        p.driver = Driver::MySQL;
    else
        return Result<ConnectionProfile>::failure(
            QStringLiteral("Retort connects to SQLite, PostgreSQL and MySQL/MariaDB, not '%1'.")
                .arg(dialect));
    const QUrl parsed(QStringLiteral("db://") + m.captured(3), QUrl::StrictMode);
    if (!parsed.isValid())
        return Result<ConnectionProfile>::failure(
            QStringLiteral("'%1' is not a valid URL: %2").arg(url, parsed.errorString()));
    p.host = parsed.host();
    p.port = parsed.port(0);
    p.user = parsed.userName(QUrl::FullyDecoded);
    p.password = parsed.password(QUrl::FullyDecoded);
    p.database = parsed.path(QUrl::FullyDecoded).mid(1);
    const QUrlQuery query(parsed);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == u"host" && p.host.isEmpty())
            p.host = value; // unix-socket directories, as SQLAlchemy allows
        else
            p.options.insert(key, value);
    }
    p.name = p.database.isEmpty() ? p.host : p.database;
    return p;
}

QString ConnectionProfile::qtDriver() const
{
    switch (driver) {
    case Driver::SQLite:
        return QStringLiteral("QSQLITE");
    case Driver::PostgreSQL:
        return QStringLiteral("QPSQL");
    case Driver::MySQL:
        return QStringLiteral("QMYSQL");
    }
    return {};
}

QString ConnectionProfile::dialect() const
{
    switch (driver) {
    case Driver::SQLite:
        return QStringLiteral("sqlite");
    case Driver::PostgreSQL:
        return QStringLiteral("postgresql");
    case Driver::MySQL:
        return QStringLiteral("mysql");
    }
    return {};
}

QString ConnectionProfile::qtConnectOptions() const
{
    QStringList out;
    for (auto it = options.cbegin(); it != options.cend(); ++it) {
        if (driver == Driver::PostgreSQL)
            out << it.key() + u'=' +
                       it.value(); // libpq conninfo keys (sslmode, connect_timeout, ...)
        else if (driver == Driver::MySQL && it.key() == u"ssl_ca")
            out << QStringLiteral("SSL_CA=") + it.value();
        else if (driver == Driver::MySQL && it.key() == u"connect_timeout")
            out << QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=") + it.value();
    }
    return out.join(u';');
}

QString ConnectionProfile::displayUrl() const
{
    if (driver == Driver::SQLite)
        return QStringLiteral("sqlite:///") + database;
    QString url = dialect() + QStringLiteral("://");
    if (!user.isEmpty())
        url += QString::fromUtf8(QUrl::toPercentEncoding(user)) + u'@';
    url += host.contains(u':') ? u'[' + host + u']' : host;
    if (port > 0)
        url += u':' + QString::number(port);
    url += u'/' + database;
    if (!options.isEmpty()) {
        QStringList q;
        for (auto it = options.cbegin(); it != options.cend(); ++it)
            q << it.key() + u'=' + it.value();
        url += u'?' + q.join(u'&');
    }
    return url;
}

bool ConnectionProfile::isLoopback() const
{
    if (driver == Driver::SQLite)
        return true;
    if (host.isEmpty() || host.startsWith(u'/') ||
        host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true; // a unix socket or this machine
    // 127.0.0.0/8 and ::1 (core links no Qt Network for QHostAddress)
    static const QRegularExpression v4(QStringLiteral("^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$"));
    return v4.match(host).hasMatch() || host == u"::1" || host == u"0:0:0:0:0:0:0:1";
}

bool ConnectionProfile::isShared() const
{
    return shared || !isLoopback();
}

} // namespace Retort
