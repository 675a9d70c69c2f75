#include "sqlalchemyurl.h"

#include <QRegularExpression>
#include <QUrl>

namespace Retort {

namespace {

// urllib.parse.unquote: %XX sequences as UTF-8, invalid ones left alone.
QString unquote(const QString &text)
{
    if (!text.contains(u'%'))
        return text;
    QByteArray out;
    const QByteArray in = text.toUtf8();
    auto hex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) && hex(in[i + 2])) {
            out.append(char(in.mid(i + 1, 2).toInt(nullptr, 16)));
            i += 2;
            continue;
        }
        out.append(in[i]);
    }
    return QString::fromUtf8(out);
}

// urllib.parse.parse_qsl(keep_blank_values=False): '&'-separated k=v pairs,
// '+' as space, percent-decoded; pairs without '=' or with an empty value
// are dropped.
QList<QPair<QString, QString>> parseQsl(const QString &query)
{
    QList<QPair<QString, QString>> out;
    for (const QString &pair : query.split(u'&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf(u'=');
        if (eq < 0)
            continue;
        QString key = pair.left(eq);
        QString value = pair.mid(eq + 1);
        if (value.isEmpty())
            continue;
        key.replace(u'+', u' ');
        value.replace(u'+', u' ');
        out.append({unquote(key), unquote(value)});
    }
    return out;
}

// SQLAlchemy's _sqla_url_quote (':', '@', '/'), and '%', which its unquote
// would otherwise read as an escape.
QString quote(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        if (c == u':' || c == u'@' || c == u'/' || c == u'%')
            out += u'%' + QString::number(c.unicode(), 16).toUpper();
        else
            out += c;
    }
    return out;
}

} // namespace

Result<SqlAlchemyUrl> SqlAlchemyUrl::parse(const QString &url)
{
    // engine/url.py's _parse_url pattern, matched at the start only (re.match).
    static const QRegularExpression pattern(
        QStringLiteral(R"(\A(?P<name>[\w\+]+)://)"
                       R"((?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?)"
                       R"((?:(?:\[(?P<ipv6host>[^/\?]+)\]|(?P<ipv4host>[^/:\?]+))?)"
                       R"((?::(?P<port>[^/\?]*))?)?)"
                       R"((?:/(?P<database>[^\?\n]*))?)"
                       R"((?:\?(?P<query>[^\n]*))?)"),
        QRegularExpression::UseUnicodePropertiesOption);
    const auto m = pattern.match(url);
    if (!m.hasMatch())
        return Result<SqlAlchemyUrl>::failure(
            QStringLiteral("'%1' is not a database URL SQLAlchemy can read (expected "
                           "dialect+driver://user:password@host:port/database).")
                .arg(redacted(url)));
    auto group = [&m](const QString &name) -> std::optional<QString> {
        if (m.capturedStart(name) < 0)
            return std::nullopt;
        return m.captured(name);
    };
    SqlAlchemyUrl u;
    u.drivername = m.captured(QStringLiteral("name"));
    u.username = group(QStringLiteral("username"));
    if (u.username)
        u.username = unquote(*u.username);
    u.password = group(QStringLiteral("password"));
    if (u.password)
        u.password = unquote(*u.password);
    const auto v4 = group(QStringLiteral("ipv4host"));
    const auto v6 = group(QStringLiteral("ipv6host"));
    u.host = v4 && !v4->isEmpty() ? v4 : v6;
    // URL.create() takes an empty port as int('') and fails, as here.
    if (const auto port = group(QStringLiteral("port"))) {
        bool ok = false;
        const int value = port->trimmed().toInt(&ok);
        if (!ok)
            return Result<SqlAlchemyUrl>::failure(
                QStringLiteral("'%1': the port '%2' is not a number.").arg(redacted(url), *port));
        u.port = value;
    }
    u.database = group(QStringLiteral("database"));
    if (const auto q = group(QStringLiteral("query")))
        u.query = parseQsl(*q);
    return u;
}

std::optional<QString> SqlAlchemyUrl::queryValue(const QString &key) const
{
    for (const auto &[k, v] : query) {
        if (k == key)
            return v;
    }
    return std::nullopt;
}

bool SqlAlchemyUrl::isSecretKey(const QString &key)
{
    return key.contains(QLatin1String("password"), Qt::CaseInsensitive) ||
           key.compare(QLatin1String("passwd"), Qt::CaseInsensitive) == 0;
}

QString SqlAlchemyUrl::render(Secrets secrets) const
{
    // URL.render_as_string()
    QString s = drivername + QStringLiteral("://");
    if (username) {
        s += quote(*username);
        if (password && secrets != Secrets::Drop)
            s += u':' + (secrets == Secrets::Hide ? QStringLiteral("***") : quote(*password));
        s += u'@';
    }
    if (host)
        s += host->contains(u':') ? u'[' + *host + u']' : *host;
    if (port)
        s += u':' + QString::number(*port);
    if (database)
        s += u'/' + *database;
    QStringList pairs;
    for (const auto &[k, v] : query) {
        if (isSecretKey(k) && secrets == Secrets::Drop)
            continue;
        const QString value =
            isSecretKey(k) && secrets == Secrets::Hide ? QStringLiteral("***") : v;
        pairs << QString::fromUtf8(QUrl::toPercentEncoding(k)) + u'=' +
                     QString::fromUtf8(QUrl::toPercentEncoding(value, "/:"));
    }
    if (!pairs.isEmpty())
        s += u'?' + pairs.join(u'&');
    return s;
}

QString SqlAlchemyUrl::redacted(const QString &url)
{
    const qsizetype scheme = url.indexOf(QStringLiteral("://"));
    if (scheme < 0)
        return url.contains(u'@') || url.contains(u':') ? QStringLiteral("…") : url;
    // Keep what cannot be a secret: the scheme, and a host after the last '@'.
    const qsizetype at = url.lastIndexOf(u'@');
    return url.left(scheme + 3) + (at > scheme
                                       ? QStringLiteral("…@") + url.mid(at + 1).section(u'?', 0, 0)
                                       : QStringLiteral("…"));
}

} // namespace Retort
