#pragma once

#include "revisionfile.h"

#include <QByteArray>
#include <QString>

namespace Retort {

// Reads a revision file statically: never imports or runs it. Whatever
// cannot be read becomes a diagnostic in the result; reading never throws.
class RevisionReader
{
public:
    // Header: identifiers and the message only, for commands that need no
    // more; Full adds the whole docstring and its lines, the
    // upgrade()/downgrade() operations and Retort's own comments.
    enum class Detail
    {
        Header,
        Full
    };

    static RevisionFile read(const QByteArray &content, const QString &path,
                             Detail detail = Detail::Full);
    static RevisionFile readFile(const QString &path, Detail detail = Detail::Full);
    // read() into an existing object, as the parallel scan does.
    static void readInto(const QByteArray &content, const QString &path, Detail detail,
                         RevisionFile *out);
};

} // namespace Retort
