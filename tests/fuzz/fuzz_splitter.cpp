// The statement splitter on arbitrary text in every dialect: no crash, and
// it never makes text up (each statement is no longer than the input).
#include "core/run/statementsplitter.h"

#include <cstdlib>

using namespace Retort;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString sql = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    for (auto dialect :
         {StatementSplitter::Dialect::Generic, StatementSplitter::Dialect::PostgreSQL,
          StatementSplitter::Dialect::MySQL, StatementSplitter::Dialect::SQLite}) {
        qsizetype total = 0;
        for (const SqlStatement &s : StatementSplitter::split(sql, dialect)) {
            if (s.text.isEmpty() || s.line < 1)
                std::abort();
            total += s.text.size();
        }
        if (total > sql.size())
            std::abort();
    }
    return 0;
}
