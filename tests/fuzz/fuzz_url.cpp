// URL reading on arbitrary text: no crash; what renders reads back the
// same; a password never shows in what Retort displays or hands on.
#include "core/db/connectionprofile.h"
#include "core/db/sqlalchemyurl.h"

#include <cstdio>
#include <cstdlib>

using namespace Retort;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    auto url = SqlAlchemyUrl::parse(text);
    if (url) {
        auto again = SqlAlchemyUrl::parse(url->render(SqlAlchemyUrl::Secrets::Show));
        if (!again || again->password != url->password || again->username != url->username ||
            again->drivername != url->drivername) {
            std::fprintf(stderr, "render does not read back: %s -> %s\n", qPrintable(text),
                         qPrintable(url->render(SqlAlchemyUrl::Secrets::Show)));
            std::abort();
        }
    }
    // What Retort shows and hands on carries no password: read back, the
    // URLs have none, in the user part or the query.
    // (A database name holding '@' makes SQLAlchemy's own grammar
    // ambiguous once the password is left out; such names are not checked.)
    auto profile = ConnectionProfile::fromUrl(text, QStringLiteral("/base"));
    const auto trimmed = SqlAlchemyUrl::parse(text.trimmed());
    const bool ambiguous = trimmed && trimmed->database && trimmed->database->contains(u'@');
    if (profile && !ambiguous) {
        for (const QString &shown : {profile->displayUrl(), profile->alembicUrl()}) {
            auto back = SqlAlchemyUrl::parse(shown);
            if (!back)
                continue;
            bool secret = back->password.has_value() && !back->password->isEmpty();
            for (const auto &[key, value] : back->query)
                secret = secret || (SqlAlchemyUrl::isSecretKey(key) && !value.isEmpty());
            if (secret) {
                std::fprintf(stderr, "a password is shown: %s\n", qPrintable(shown));
                std::abort();
            }
        }
    }
    return 0;
}
