// The tokenizer and revision reader on arbitrary bytes: no crash, no
// sanitizer report, bounded time, and the header-only read agrees with the
// full read on every identifier.
#include "core/script/pythontokenizer.h"
#include "core/script/revisionreader.h"

#include <cstdio>
#include <cstdlib>

using namespace Retort;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    PythonTokenizer tokenizer(bytes);
    tokenizer.tokenize(PythonTokenizer::AllTokens);
    const RevisionFile full =
        RevisionReader::read(bytes, QStringLiteral("/f/x.py"), RevisionReader::Detail::Full);
    const RevisionFile header =
        RevisionReader::read(bytes, QStringLiteral("/f/x.py"), RevisionReader::Detail::Header);
    const bool same = full.revision.items == header.revision.items &&
                      full.revision.kind == header.revision.kind &&
                      full.downRevision.items == header.downRevision.items &&
                      full.downRevision.kind == header.downRevision.kind &&
                      full.dependsOn.items == header.dependsOn.items &&
                      full.branchLabels.items == header.branchLabels.items &&
                      full.message == header.message;
    if (!same) {
        std::fprintf(stderr,
                     "header and full reads disagree: revision %s/%s (kind %d/%d), down %s/%s "
                     "(kind %d/%d), depends %s/%s, labels %s/%s, message [%s]/[%s]\n",
                     qPrintable(full.revisionId()), qPrintable(header.revisionId()),
                     int(full.revision.kind), int(header.revision.kind),
                     qPrintable(full.downRevision.items.join(u',')),
                     qPrintable(header.downRevision.items.join(u',')), int(full.downRevision.kind),
                     int(header.downRevision.kind), qPrintable(full.dependsOn.items.join(u',')),
                     qPrintable(header.dependsOn.items.join(u',')),
                     qPrintable(full.branchLabels.items.join(u',')),
                     qPrintable(header.branchLabels.items.join(u',')), qPrintable(full.message),
                     qPrintable(header.message));
        std::abort();
    }
    return 0;
}
