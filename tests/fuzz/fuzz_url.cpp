// URL reading on arbitrary text: no crash; what renders reads back the
// same; a password never shows in what Retort displays or hands on.
#include "core/db/connectionprofile.h"
#include "core/db/sqlalchemyurl.h"

#include <cstdlib>

using namespace Retort;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    auto url = SqlAlchemyUrl::parse(text);
    if (url) {
        auto again = SqlAlchemyUrl::parse(url->render(SqlAlchemyUrl::Secrets::Show));
        if (!again || again->password != url->password || again->username != url->username ||
            again->drivername != url->drivername)
            std::abort();
    }
    auto profile = ConnectionProfile::fromUrl(text, QStringLiteral("/base"));
    if (profile && profile->password.size() >= 6) {
        // The password may not show, unless the same text is also a part
        // that is no secret (a database named like it).
        const QString &secret = profile->password;
        QString visible = profile->host + profile->user + profile->database;
        for (const QString &v : profile->options)
            visible += v;
        for (const QString &k : profile->options.keys())
            visible += k;
        if (!visible.contains(secret) &&
            (profile->displayUrl().contains(secret) || profile->alembicUrl().contains(secret)))
            std::abort();
    }
    return 0;
}
