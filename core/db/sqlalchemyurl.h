#pragma once

#include "core/result.h"

#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace Retort {

// A database URL read exactly as SQLAlchemy 1.4's make_url() reads it (the
// same pattern, percent-decoding of user and password only, query pairs as
// parse_qsl gives them), so that Retort and Alembic mean the same database.
struct SqlAlchemyUrl
{
    QString drivername; // "postgresql+psycopg2"
    std::optional<QString> username;
    std::optional<QString> password;
    std::optional<QString> host;
    std::optional<int> port;
    std::optional<QString> database; // not percent-decoded, as SQLAlchemy leaves it
    QList<QPair<QString, QString>> query;

    // The error never repeats the URL: it may hold a password.
    static Result<SqlAlchemyUrl> parse(const QString &url);

    QString backend() const { return drivername.section(u'+', 0, 0); }
    QString driver() const { return drivername.section(u'+', 1); }
    std::optional<QString> queryValue(const QString &key) const;
    // A query key that carries a secret (password, passwd, sslpassword, ...).
    static bool isSecretKey(const QString &key);

    // The URL again, as SQLAlchemy renders it; secrets (the password and
    // secret query values) as "***" when `hideSecrets`, left out when
    // `dropSecrets`.
    enum class Secrets
    {
        Show,
        Hide,
        Drop
    };
    QString render(Secrets secrets) const;
    // Best effort for text that may not parse: the scheme, the rest hidden.
    static QString redacted(const QString &url);
};

} // namespace Retort
