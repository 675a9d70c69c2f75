#include "historymodel.h"

#include <algorithm>
#include <queue>

namespace Retort {

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void HistoryModel::setProject(const Project &project, const QSet<QString> &fresh)
{
    beginResetModel();
    m_project = project;
    m_fresh = fresh;
    m_scheme = m_project.scheme;
    // Database positions are indices into the old graph: they come again.
    m_databaseBadges.clear();
    m_applied.clear();
    m_history = ordered();
    // Missing parents, each once, with the revisions that name them.
    m_ghosts.clear();
    QHash<QString, int> ghostOf;
    for (int i : std::as_const(m_history)) {
        for (const QString &down : m_project.graph.revision(i).downRevisions) {
            if (m_project.graph.indexOf(down) >= 0)
                continue;
            if (!ghostOf.contains(down)) {
                ghostOf.insert(down, int(m_ghosts.size()));
                m_ghosts.append({down, {}});
            }
            m_ghosts[ghostOf.value(down)].children.append(i);
        }
    }
    countProblems();
    rebuild();
    endResetModel();
}

void HistoryModel::countProblems()
{
    m_problems.clear();
    for (const Diagnostic &d : m_project.diagnostics()) {
        if (d.file.isEmpty() || d.severity == Severity::Info)
            continue;
        Problems &p = m_problems[d.file];
        const bool error = d.severity == Severity::Error;
        if (error && p.errors == 0)
            p.line = d.line;
        else if (!error && p.errors == 0 && p.warnings == 0)
            p.line = d.line;
        (error ? p.errors : p.warnings) += 1;
    }
}

void HistoryModel::setOrder(Order order)
{
    if (order == m_order)
        return;
    beginResetModel();
    m_order = order;
    m_history = ordered();
    rebuild();
    endResetModel();
}

QList<int> HistoryModel::ordered() const
{
    const RevisionGraph &g = m_project.graph;
    const QList<int> alembic = g.history();
    if (m_order == Order::Alembic || g.hasCycles())
        return alembic;
    // Kahn's walk from the heads down: a revision is ready once all its
    // children are listed; of the ready ones the newest goes first (ties:
    // Alembic's order). Children stay above parents, so lanes draw right.
    const int n = g.size();
    std::vector<int> position(n), pending(n);
    for (int k = 0; k < alembic.size(); ++k)
        position[alembic.at(k)] = k;
    auto newer = [&](int a, int b) {
        const QString &da = g.fileOf(a).docCreateDate;
        const QString &db = g.fileOf(b).docCreateDate;
        if (da != db)
            return da < db; // the heap's top is the newest
        return position[a] > position[b];
    };
    std::priority_queue<int, std::vector<int>, decltype(newer)> ready(newer);
    for (int i = 0; i < n; ++i) {
        pending[i] = int(g.revision(i).children.size());
        if (pending[i] == 0)
            ready.push(i);
    }
    QList<int> out;
    out.reserve(n);
    while (!ready.empty()) {
        const int i = ready.top();
        ready.pop();
        out.append(i);
        for (int p : g.revision(i).parents) {
            if (--pending[p] == 0)
                ready.push(p);
        }
    }
    return out;
}

int HistoryModel::newestHead() const
{
    const RevisionGraph &g = m_project.graph;
    int best = -1;
    for (int h : g.heads()) {
        if (best < 0 || g.fileOf(h).docCreateDate > g.fileOf(best).docCreateDate)
            best = h;
    }
    return best;
}

void HistoryModel::setFilter(const QString &text)
{
    if (text == m_filter)
        return;
    beginResetModel();
    m_filter = text;
    rebuild();
    endResetModel();
}

bool HistoryModel::matches(int revision) const
{
    if (m_filter.isEmpty())
        return true;
    const Revision &r = m_project.graph.revision(revision);
    const RevisionFile &f = m_project.graph.fileOf(revision);
    return r.id.contains(m_filter, Qt::CaseInsensitive) ||
           f.message.contains(m_filter, Qt::CaseInsensitive) ||
           f.fileName().contains(m_filter, Qt::CaseInsensitive);
}

void HistoryModel::rebuild()
{
    const RevisionGraph &g = m_project.graph;
    m_rows.clear();
    m_rowOfId.clear();
    QList<int> rowOfRevision(g.size(), -1);
    // A ghost follows the oldest shown revision that names it.
    QHash<int, QList<int>> ghostsAfter;
    for (int k = 0; k < m_ghosts.size(); ++k) {
        for (auto it = m_ghosts.at(k).children.crbegin(); it != m_ghosts.at(k).children.crend();
             ++it) {
            if (matches(*it)) {
                ghostsAfter[*it].append(k);
                break;
            }
        }
    }
    QList<int> rowOfGhost(m_ghosts.size(), -1);
    for (int revision : std::as_const(m_history)) {
        if (matches(revision)) {
            rowOfRevision[revision] = int(m_rows.size());
            m_rowOfId.insert(g.revision(revision).id, int(m_rows.size()));
            m_rows.append(revision);
        }
        for (int k : ghostsAfter.value(revision)) {
            rowOfGhost[k] = int(m_rows.size());
            m_rows.append(-1 - k);
        }
    }
    m_ghostRows = int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](int r) { return r < 0; }));
    QHash<QString, int> ghostIndex;
    for (int k = 0; k < m_ghosts.size(); ++k)
        ghostIndex.insert(m_ghosts.at(k).id, k);
    // The nearest shown ancestors of every hidden revision, oldest first so
    // that each one's parents are known before it.
    std::vector<QList<int>> shownAncestors(g.size());
    auto shownParents = [&](int revision) {
        QList<int> out;
        if (revision < 0)
            return out; // a ghost has no parents we know of
        for (int p : g.revision(revision).parents) {
            const QList<int> add =
                rowOfRevision[p] >= 0 ? QList<int>{rowOfRevision[p]} : shownAncestors[p];
            for (int row : add) {
                if (!out.contains(row))
                    out.append(row);
            }
        }
        for (const QString &down : g.revision(revision).downRevisions) {
            const int k = ghostIndex.value(down, -1);
            if (k >= 0 && rowOfGhost[k] >= 0 && !out.contains(rowOfGhost[k]))
                out.append(rowOfGhost[k]);
        }
        return out;
    };
    if (!m_filter.isEmpty()) {
        for (auto it = m_history.crbegin(); it != m_history.crend(); ++it) {
            if (rowOfRevision[*it] < 0)
                shownAncestors[*it] = shownParents(*it);
        }
    }
    m_lanes = LaneLayout::compute(int(m_rows.size()),
                                  [&](int row) { return shownParents(m_rows.at(row)); });
    m_maxLanes = 1;
    for (const LaneRow &lane : std::as_const(m_lanes))
        m_maxLanes = qMax(m_maxLanes, int(lane.width));
}

int HistoryModel::rowOfRevision(const QString &id) const
{
    return m_rowOfId.value(id, -1);
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void HistoryModel::setDatabaseMarks(const QList<DatabaseMark> &marks)
{
    QHash<int, QStringList> badges;
    for (const DatabaseMark &m : marks) {
        for (int i : m.revisions)
            badges[i].append(QStringLiteral("db:%1:%2").arg(m.color, m.name));
    }
    if (badges == m_databaseBadges)
        return;
    m_databaseBadges = badges;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void HistoryModel::setGitFacts(const QHash<QString, GitFileFacts> &byPath)
{
    m_git = byPath;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void HistoryModel::setApplied(const std::vector<bool> &applied)
{
    if (applied == m_applied)
        return;
    m_applied = applied;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QStringList HistoryModel::badges(int revision) const
{
    const RevisionGraph &g = m_project.graph;
    const Revision &r = g.revision(revision);
    QStringList out = m_databaseBadges.value(revision);
    const Problems problems = m_problems.value(g.fileOf(revision).path);
    if (problems.errors > 0)
        out << QStringLiteral("error:%1").arg(problems.errors);
    if (problems.warnings > 0)
        out << QStringLiteral("warning:%1").arg(problems.warnings);
    if (r.isRealHead())
        out << QStringLiteral("head");
    else if (r.isHead())
        out << QStringLiteral("effective-head");
    if (r.isBase())
        out << QStringLiteral("base");
    if (r.isMergePoint())
        out << QStringLiteral("merge");
    if (r.isBranchPoint())
        out << QStringLiteral("branch");
    for (const QString &label : r.declaredLabels)
        out << QStringLiteral("label:") + label;
    if (m_scheme.isUnrenamed(g.fileOf(revision)) || m_fresh.contains(r.id))
        out << QStringLiteral("new");
    if (const auto git = m_git.constFind(g.fileOf(revision).path); git != m_git.cend()) {
        if (git->untracked)
            out << QStringLiteral("untracked");
        else if (git->modified)
            out << QStringLiteral("uncommitted");
    }
    for (const QString &dep : r.resolvedDependencies)
        out << QStringLiteral("depends:") + dep;
    for (int dependent : r.dependents)
        out << QStringLiteral("needed-by:") + g.revision(dependent).id;
    return out;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int revision = m_rows.at(index.row());
    if (revision < 0)
        return ghostData(-1 - revision, index, role);
    const RevisionGraph &g = m_project.graph;
    const Revision &r = g.revision(revision);
    const RevisionFile &f = g.fileOf(revision);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RevisionColumn:
            return r.id;
        case MessageColumn:
            return f.message.section(u'\n', 0, 0);
        case DateColumn:
            return f.docCreateDate.left(16);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == GraphColumn || index.column() == RevisionColumn)
            return f.path;
        if (index.column() == MessageColumn) {
            const auto git = m_git.constFind(f.path);
            if (git == m_git.cend() || !git->committed)
                return f.message;
            return tr("%1\n\nAdded by %2 on %3 in %4: %5")
                .arg(f.message, git->author, git->when.toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                     git->commit.left(10), git->subject);
        }
        return {};
    case LaneRole:
        return QVariant::fromValue(m_lanes.at(index.row()));
    case BadgesRole:
        return badges(revision);
    case RevisionIndexRole:
        return revision;
    case RevisionIdRole:
        return r.id;
    case FilePathRole:
        return f.path;
    case IsNewRole:
        return m_scheme.isUnrenamed(f) || m_fresh.contains(r.id);
    case ProblemLineRole:
        return m_problems.value(f.path).line;
    case IsGhostRole:
        return false;
    case PendingRole:
        return !m_applied.empty() && size_t(revision) < m_applied.size() &&
               !m_applied[size_t(revision)];
    default:
        return {};
    }
}

QVariant HistoryModel::ghostData(int ghost, const QModelIndex &index, int role) const
{
    const int column = index.column();
    const Ghost &gh = m_ghosts.at(ghost);
    QStringList children;
    for (int c : gh.children)
        children << m_project.graph.revision(c).id;
    switch (role) {
    case Qt::DisplayRole:
        if (column == RevisionColumn)
            return gh.id;
        if (column == MessageColumn)
            return tr("missing: no file declares this revision");
        return {};
    case Qt::ToolTipRole:
        return tr("%1 names %2 as its down_revision, but no file in the versions folder declares "
                  "it (a typo, or a file that was deleted or never committed).")
            .arg(children.join(QStringLiteral(", ")), gh.id);
    case LaneRole:
        return QVariant::fromValue(m_lanes.at(index.row()));
    case BadgesRole:
        return QStringList{QStringLiteral("ghost")};
    case RevisionIndexRole:
        return -1;
    case RevisionIdRole:
        return gh.id;
    case FilePathRole:
        return m_project.graph.fileOf(gh.children.first()).path;
    case IsNewRole:
        return false;
    case ProblemLineRole:
        return m_project.graph.fileOf(gh.children.first()).downRevision.span.line;
    case IsGhostRole:
        return true;
    case PendingRole:
        return false;
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == MaxLanesRole)
        return m_maxLanes;
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case GraphColumn:
        return tr("Graph");
    case RevisionColumn:
        return tr("Revision");
    case MessageColumn:
        return tr("Message");
    case DateColumn:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace Retort
