#include "connectionprofile.h"

#include "sqlalchemyurl.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace Retort {

Result<ConnectionProfile> ConnectionProfile::fromUrl(const QString &urlIn, const QString &baseDir)
{
    auto parsed = SqlAlchemyUrl::parse(urlIn.trimmed());
    if (!parsed)
        return Result<ConnectionProfile>::failure(parsed.error());
    const SqlAlchemyUrl &u = parsed.value();
    const QString dialect = u.backend().toLower();
    ConnectionProfile p;
    p.url = u.render(SqlAlchemyUrl::Secrets::Drop);
    if (dialect == u"sqlite") {
        p.driver = Driver::SQLite;
        if (u.username || u.password || u.host || u.port)
            return Result<ConnectionProfile>::failure(
                QStringLiteral("'%1': SQLite URLs name a file, not a user or host: three slashes "
                               "before a relative path (sqlite:///app.db), four before an "
                               "absolute one.")
                    .arg(u.render(SqlAlchemyUrl::Secrets::Hide)));
        // pysqlite's create_connect_args: the path as written (no percent
        // decoding); with uri=true the database is a SQLite URI that takes
        // the remaining query parameters.
        static const QStringList driverKeys{QStringLiteral("uri"),
                                            QStringLiteral("timeout"),
                                            QStringLiteral("isolation_level"),
                                            QStringLiteral("detect_types"),
                                            QStringLiteral("check_same_thread"),
                                            QStringLiteral("cached_statements")};
        const QString uri = u.queryValue(QStringLiteral("uri")).value_or(QString()).toLower();
        const bool isUri = uri == u"true" || uri == u"1" || uri == u"yes" || uri == u"on" ||
                           uri == u"y" || uri == u"t";
        QString database = u.database.value_or(QString());
        if (isUri) {
            QStringList rest;
            for (const auto &[k, v] : u.query) {
                if (!driverKeys.contains(k))
                    rest << k + u'=' + v;
            }
            // A relative file: URI path is read from where Alembic runs: the project folder.
            if (database.startsWith(u"file:") && !database.startsWith(u"file:/") &&
                !baseDir.isEmpty())
                database = QStringLiteral("file:") + QDir(baseDir).filePath(database.mid(5));
            rest.sort();
            p.database = rest.isEmpty() ? database : database + u'?' + rest.join(u'&');
            p.options.insert(QStringLiteral("uri"), QStringLiteral("true"));
        } else if (database.isEmpty() || database == u":memory:") {
            p.database = QStringLiteral(":memory:");
        } else {
            p.database = QFileInfo(database).isAbsolute() || baseDir.isEmpty()
                             ? database
                             : QDir(baseDir).filePath(database);
        }
        if (const auto timeout = u.queryValue(QStringLiteral("timeout")))
            p.options.insert(QStringLiteral("timeout"), *timeout);
        p.name = QFileInfo(p.database.section(u'?', 0, 0)).fileName();
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
    p.host = u.host.value_or(QString());
    p.port = u.port.value_or(0);
    p.user = u.username.value_or(QString());
    p.password = u.password.value_or(QString());
    p.database = u.database.value_or(QString());
    for (const auto &[key, value] : u.query) {
        if (key == u"host" && p.host.isEmpty()) {
            p.host = value; // unix-socket directories, as SQLAlchemy allows
        } else if (key == u"password" || (p.driver == Driver::MySQL && key == u"passwd")) {
            // The DBAPI takes the password from the query too; it is a
            // password like any other: never displayed, never saved.
            if (p.password.isEmpty())
                p.password = value;
        } else if (SqlAlchemyUrl::isSecretKey(key)) {
            p.secretOptions.insert(key, value);
        } else {
            if (p.driver == Driver::PostgreSQL && value.contains(u';'))
                return Result<ConnectionProfile>::failure(
                    QStringLiteral("The option %1 contains ';', which Qt's PostgreSQL driver "
                                   "cannot pass on.")
                        .arg(key));
            p.options.insert(key, value);
        }
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

int ConnectionProfile::sqliteBusyMs() const
{
    bool ok = false;
    const double seconds = options.value(QStringLiteral("timeout")).toDouble(&ok);
    return ok ? int(seconds * 1000) : kSqliteBusyMs;
}

QString ConnectionProfile::qtConnectOptions() const
{
    // libpq conninfo values: quoted when they hold spaces, quotes or
    // backslashes (options='-c search_path=app').
    auto conninfo = [](const QString &value) -> QString {
        if (!value.isEmpty() && !value.contains(u' ') && !value.contains(u'\'') &&
            !value.contains(u'\\'))
            return value;
        QString quoted = value;
        quoted.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
        return u'\'' + quoted + u'\'';
    };
    QStringList out;
    if (driver == Driver::SQLite) {
        if (options.contains(QStringLiteral("uri")))
            out << QStringLiteral("QSQLITE_OPEN_URI");
        if (readOnly)
            out << QStringLiteral("QSQLITE_OPEN_READONLY");
        out << QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(sqliteBusyMs());
        return out.join(u';');
    }
    QMap<QString, QString> all = options;
    all.insert(secretOptions);
    for (auto it = all.cbegin(); it != all.cend(); ++it) {
        if (driver == Driver::PostgreSQL)
            out << it.key() + u'=' +
                       conninfo(it.value()); // libpq conninfo keys (sslmode, connect_timeout, ...)
        else if (driver == Driver::MySQL && it.key() == u"ssl_ca")
            out << QStringLiteral("SSL_CA=") + it.value();
        else if (driver == Driver::MySQL && it.key() == u"unix_socket")
            out << QStringLiteral("UNIX_SOCKET=") + it.value();
        else if (driver == Driver::MySQL && it.key() == u"connect_timeout")
            out << QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=") + it.value();
    }
    return out.join(u';');
}

QString ConnectionProfile::alembicUrl() const
{
    if (!url.isEmpty())
        return url;
    QString built = displayUrl();
    return driver == Driver::SQLite && options.contains(QStringLiteral("uri"))
               ? built + QStringLiteral("?uri=true")
               : built;
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
            q << QString::fromUtf8(QUrl::toPercentEncoding(it.key())) + u'=' +
                     QString::fromUtf8(QUrl::toPercentEncoding(it.value(), "/:"));
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
