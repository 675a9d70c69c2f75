#pragma once

#include <QList>
#include <QString>

namespace Retort {

struct SqlStatement
{
    QString text; // without the terminating ';' and surrounding comments
    int line = 0; // 1-based line of its first character in the script
    friend bool operator==(const SqlStatement &, const SqlStatement &) = default;
};

// Splits SQL as Alembic's offline mode writes it into statements to run one
// by one: ';' ends a statement except inside quotes ('' "" ``), $tag$
// dollar quotes, -- and /* */ comments, and the BEGIN ... END body of a
// CREATE TRIGGER; the BEGIN; / COMMIT; lines Alembic wraps around a
// transaction are dropped (the executor manages transactions itself).
class StatementSplitter
{
public:
    enum class Dialect
    {
        Generic,
        PostgreSQL,
        MySQL,
        SQLite
    };

    static QList<SqlStatement> split(const QString &sql, Dialect dialect = Dialect::Generic);
};

} // namespace Retort
