#include "uiinfo.h"

#include <Qsci/qsciglobal.h>

namespace Retort {

QString qscintillaVersion()
{
    return QStringLiteral(QSCINTILLA_VERSION_STR);
}

} // namespace Retort
