#include "revisionresolver.h"

#include <QRegularExpression>

#include <algorithm>

namespace Retort {

namespace {

constexpr int kNone = -1;       // Python None: no revision, i.e. base
constexpr int kBaseMarker = -3; // the string "base" that Alembic's _walk can return

struct RevisionError
{
    enum class Kind
    {
        Plain,
        Resolution,
        MultipleHeads,
        RangeNotAncestor
    };
    Kind kind = Kind::Plain;
    QString message;
    QString argument;
    QString lower;
    QString upper;
};

[[noreturn]] void fail(const QString &message)
{
    throw RevisionError{RevisionError::Kind::Plain, message, {}, {}, {}};
}

[[noreturn]] void failResolution(const QString &message, const QString &argument)
{
    throw RevisionError{RevisionError::Kind::Resolution, message, argument, {}, {}};
}

[[noreturn]] void failMultipleHeads(const QString &argument)
{
    throw RevisionError{RevisionError::Kind::MultipleHeads, {}, argument, {}, {}};
}

// ScriptDirectory._catch_revision_errors: the sentence the user sees.
QString commandMessage(const RevisionError &e, const QString &start = {}, const QString &end = {})
{
    switch (e.kind) {
    case RevisionError::Kind::RangeNotAncestor:
        return QStringLiteral("Requested range %1:%2 does not refer to ancestor/descendant "
                              "revisions along the same branch")
            .arg(start.isNull() ? e.lower : start, end.isNull() ? e.upper : end);
    case RevisionError::Kind::MultipleHeads: {
        const QString arg = end.isNull() ? e.argument : end;
        return QStringLiteral("Multiple head revisions are present for given argument '%1'; "
                              "please specify a specific target revision, '<branchname>@%1' to "
                              "narrow to a specific head, or 'heads' for all heads")
            .arg(arg);
    }
    case RevisionError::Kind::Resolution:
        return QStringLiteral("Can't locate revision identified by '%1'").arg(e.argument);
    case RevisionError::Kind::Plain:
        break;
    }
    return e.message;
}

bool parsePythonInt(const QString &s, int *value)
{
    static const QRegularExpression re(QStringLiteral("^\\s*([+-]?\\d+(?:_\\d+)*)\\s*$"));
    const auto m = re.match(s);
    if (!m.hasMatch())
        return false;
    bool ok = false;
    *value = m.captured(1).remove(u'_').toInt(&ok);
    return ok;
}

struct Relative
{
    bool matched = false;
    std::optional<QString> branch;
    std::optional<QString> symbol;
    QString relative;
    int steps = 0;
};

Relative matchRelative(const QString &target)
{
    static const QRegularExpression re(QStringLiteral("^(?:(.+?)@)?(\\w+)?((?:\\+|-)\\d+)"),
                                       QRegularExpression::UseUnicodePropertiesOption);
    Relative r;
    const auto m = re.match(target);
    if (!m.hasMatch())
        return r;
    r.matched = true;
    if (m.capturedStart(1) >= 0)
        r.branch = m.captured(1);
    if (m.capturedStart(2) >= 0)
        r.symbol = m.captured(2);
    r.relative = m.captured(3);
    r.steps = r.relative.toInt();
    return r;
}

} // namespace

RevisionResolver::Resolved RevisionResolver::resolveNumber(const QString &idIn) const
{
    Resolved out;
    QString id = idIn;
    if (!id.isNull() && id.contains(u'@')) {
        const qsizetype at = id.indexOf(u'@');
        out.branch = id.left(at);
        id = id.mid(at + 1);
    }
    if (id == u"heads") {
        // Python's `if branch_label:` — an empty label ("@heads") is no label.
        if (out.branch && !out.branch->isEmpty()) {
            RevisionList filtered = filterForLineage(m_graph.heads(), *out.branch);
            for (int h : filtered)
                out.ids.append(m_graph.revision(h).id);
        } else {
            for (int h : m_graph.realHeads())
                out.ids.append(m_graph.revision(h).id);
        }
    } else if (id == u"head") {
        const int h = currentHead(out.branch);
        if (h >= 0)
            out.ids.append(m_graph.revision(h).id);
    } else if (id == u"base" || id.isNull()) {
        // empty
    } else {
        out.ids.append(id);
    }
    return out;
}

int RevisionResolver::currentHead(const std::optional<QString> &branch) const
{
    RevisionList heads = m_graph.heads();
    if (branch && !branch->isEmpty())
        heads = filterForLineage(heads, *branch);
    if (heads.size() > 1) {
        failMultipleHeads(branch && !branch->isEmpty() ? *branch + QStringLiteral("@head")
                                                       : QStringLiteral("head"));
    }
    return heads.isEmpty() ? kNone : heads.first();
}

RevisionList RevisionResolver::getRevisions(const QString &id) const
{
    const Resolved r = resolveNumber(id);
    if (r.ids.size() == 1) {
        int steps = 0;
        if (parsePythonInt(r.ids.first(), &steps) && steps < 0) {
            // branch@-n: walk down from the heads
            RevisionList selected = getRevisionsOf(QStringList() << QStringLiteral("heads"));
            if (r.branch) {
                RevisionList filtered;
                for (int h : selected) {
                    if (h >= 0 && m_graph.revision(h).branchLabels.contains(*r.branch))
                        filtered.append(h);
                }
                selected = filtered;
            }
            RevisionList out;
            for (int h : selected)
                out.append(walkSteps(h, steps, std::nullopt, true));
            return out;
        }
    }
    RevisionList out;
    for (const QString &rid : r.ids)
        out.append(revisionForIdent(rid, r.branch));
    return out;
}

RevisionList RevisionResolver::getRevisionsOf(const QStringList &ids) const
{
    RevisionList out;
    for (const QString &id : ids)
        out.append(getRevisions(id));
    return out;
}

int RevisionResolver::getRevision(const QString &id) const
{
    const Resolved r = resolveNumber(id);
    if (r.ids.size() > 1)
        failMultipleHeads(id);
    if (r.ids.isEmpty()) {
        if (r.branch && !r.branch->isEmpty())
            resolveBranch(*r.branch); // an unknown branch is still an error
        return kNone;
    }
    return revisionForIdent(r.ids.first(), r.branch);
}

int RevisionResolver::resolveBranch(const QString &label) const
{
    int rev = m_graph.labelOwner(label);
    if (rev < 0)
        rev = m_graph.indexOf(label);
    if (rev >= 0)
        return rev;
    try {
        return revisionForIdent(label, std::nullopt);
    } catch (const RevisionError &e) {
        if (e.kind == RevisionError::Kind::Resolution)
            failResolution(QStringLiteral("No such branch: '%1'").arg(label), label);
        throw;
    }
}

int RevisionResolver::revisionForIdent(const QString &id,
                                       const std::optional<QString> &branch) const
{
    int branchRev = kNone;
    if (branch && !branch->isEmpty())
        branchRev = resolveBranch(*branch);

    int rev = m_graph.indexOf(id);
    if (rev < 0)
        rev = m_graph.labelOwner(id);
    if (rev < 0) {
        // A partial identifier: every id or label of 4+ characters it starts.
        RevisionList candidates;
        QStringList names;
        for (int i = 0; i < m_graph.size(); ++i) {
            const QString &rid = m_graph.revision(i).id;
            if (rid.size() > 3 && rid.startsWith(id)) {
                candidates.append(i);
                names.append(rid);
            }
        }
        for (auto it = m_graph.labels().cbegin(); it != m_graph.labels().cend(); ++it) {
            if (it.key().size() > 3 && it.key().startsWith(id)) {
                candidates.append(it.value());
                names.append(it.key());
            }
        }
        if (branchRev >= 0) {
            RevisionList kept;
            QStringList keptNames;
            for (int k = 0; k < candidates.size(); ++k) {
                if (sharesLineage(candidates.at(k), {branchRev})) {
                    kept.append(candidates.at(k));
                    keptNames.append(names.at(k));
                }
            }
            candidates = kept;
            names = keptNames;
        }
        if (candidates.isEmpty()) {
            failResolution(QStringLiteral("No such revision or branch '%1'%2")
                               .arg(id, id.size() < 4
                                            ? QStringLiteral("; please ensure at least four "
                                                             "characters are present for partial "
                                                             "revision identifier matches")
                                            : QString()),
                           id);
        }
        if (candidates.size() > 1) {
            QStringList shown;
            for (int k = 0; k < qMin(3, int(names.size())); ++k)
                shown.append(u'\'' + names.at(k) + u'\'');
            failResolution(QStringLiteral("Multiple revisions start with '%1': %2...")
                               .arg(id, shown.join(QStringLiteral(", "))),
                           id);
        }
        rev = candidates.first();
    }
    if (branchRev >= 0 && !sharesLineage(rev, {branchRev})) {
        failResolution(QStringLiteral("Revision %1 is not a member of branch '%2'")
                           .arg(m_graph.revision(rev).id, *branch),
                       id);
    }
    return rev;
}

RevisionList RevisionResolver::filterForLineage(const RevisionList &targets,
                                                const QString &checkAgainst) const
{
    const Resolved r = resolveNumber(checkAgainst);
    RevisionList shares;
    if (r.branch && !r.branch->isEmpty())
        shares.append(revisionForIdent(*r.branch, std::nullopt));
    for (const QString &id : r.ids)
        shares.append(revisionForIdent(id, std::nullopt));
    RevisionList out;
    for (int t : targets) {
        if (sharesLineage(t, shares))
            out.append(t);
    }
    return out;
}

bool RevisionResolver::sharesLineage(int target, const RevisionList &against) const
{
    if (against.isEmpty())
        return true;
    if (target < 0)
        return false;
    const auto up = m_graph.ancestors({target}, false);
    const auto down = m_graph.descendants({target}, false);
    for (int a : against) {
        if (a >= 0 && (up[a] || down[a]))
            return true;
    }
    return false;
}

int RevisionResolver::walkSteps(int start, int steps, const std::optional<QString> &branch,
                                bool noOverwalk) const
{
    int initial = start;
    for (int s = 0; s < std::abs(steps); ++s) {
        RevisionList children;
        if (steps > 0) {
            RevisionList up;
            if (initial == kNone) {
                up = m_graph.bases();
            } else {
                up = m_graph.revision(initial).children;
            }
            children = branch ? filterForLineage(up, *branch) : up;
        } else if (initial != kBaseMarker) {
            if (initial == kNone) {
                children = m_graph.heads();
            } else {
                children = getRevisionsOf(m_graph.revision(initial).downRevisions);
            }
            if (children.isEmpty())
                children = {kBaseMarker};
        }
        if (children.isEmpty())
            return noOverwalk ? kNone : initial;
        if (children.size() > 1)
            fail(QStringLiteral("Ambiguous walk"));
        initial = children.first();
    }
    return initial;
}

int RevisionResolver::parseDowngradeTarget(const QStringList &current, const QString &target,
                                           bool assertRelativeLength) const
{
    if (target.isNull())
        return kNone;
    const Relative m = matchRelative(target);
    if (!m.matched) {
        const qsizetype at = target.lastIndexOf(u'@');
        return getRevision(at >= 0 ? target.mid(at + 1) : target);
    }
    const QString didNotProduce =
        QStringLiteral("Relative revision %1 didn't produce %2 migrations")
            .arg(m.relative)
            .arg(std::abs(m.steps));
    if (m.steps >= 0) {
        if (!m.symbol)
            fail(didNotProduce);
        const int rev = walkSteps(getRevision(*m.symbol), m.steps, m.branch, assertRelativeLength);
        if (rev == kNone)
            fail(QStringLiteral("Walked too far"));
        return rev;
    }
    std::optional<QString> branch = m.branch;
    QString symbol = m.symbol.value_or(QString());
    if (!m.symbol) {
        // Relative to the current revisions, given as text like Alembic's.
        if (branch) {
            RevisionList onBranch;
            for (const QString &c : current) {
                for (int r : getRevisions(c)) {
                    if (r >= 0 && !filterForLineage({r}, *branch).isEmpty())
                        onBranch.append(r);
                }
            }
            if (onBranch.size() != 1)
                fail(didNotProduce);
            symbol = m_graph.revision(onBranch.first()).id;
        } else {
            if (current.isEmpty())
                fail(didNotProduce);
            symbol = current.first();
            branch = current.first(); // Alembic restricts the walk to that branch
        }
    }
    const int start = branch ? getRevision(*branch + u'@' + symbol) : getRevision(symbol);
    const int rev = walkSteps(start, m.steps, std::nullopt, assertRelativeLength);
    if (rev == kNone)
        fail(m.symbol ? QStringLiteral("Walked too far") : didNotProduce);
    return rev;
}

RevisionList RevisionResolver::parseUpgradeTarget(const QStringList &current, const QString &target,
                                                  bool assertRelativeLength) const
{
    const Relative m = matchRelative(target);
    if (!m.matched)
        return getRevisions(target);
    if (m.steps > 0) {
        if (!m.symbol) {
            // Relative to the current revisions, which Alembic takes as text.
            int start = kNone;
            if (m.branch) {
                RevisionList filtered;
                for (const QString &c : current) {
                    for (int r : getRevisions(c)) {
                        if (r >= 0 && !filterForLineage({r}, *m.branch).isEmpty())
                            filtered.append(r);
                    }
                }
                if (filtered.size() > 1)
                    fail(QStringLiteral("Ambiguous upgrade from multiple current revisions"));
                start = filtered.isEmpty() ? kNone : filtered.first();
            } else {
                if (current.size() > 1)
                    fail(QStringLiteral("Ambiguous upgrade from multiple current revisions"));
                if (!current.isEmpty())
                    start = getRevision(current.first());
            }
            const int rev = walkSteps(start, m.steps, m.branch, assertRelativeLength);
            if (rev == kNone)
                fail(QStringLiteral("Relative revision %1 didn't produce %2 migrations")
                         .arg(m.relative)
                         .arg(std::abs(m.steps)));
            return {rev};
        }
        return {walkSteps(getRevision(*m.symbol), m.steps, m.branch, assertRelativeLength)};
    }
    if (!m.symbol)
        fail(QStringLiteral("Relative revision %1 didn't produce %2 migrations")
                 .arg(m.steps)
                 .arg(std::abs(m.steps)));
    const int start = m.branch ? getRevision(*m.branch + u'@' + *m.symbol) : getRevision(*m.symbol);
    return {walkSteps(start, m.steps, std::nullopt, assertRelativeLength)};
}

RevisionGraph::NodeSet RevisionResolver::relatedChecked(const RevisionList &targets, bool up) const
{
    // _iterate_related_revisions(check=True): no target may be reached from
    // another target that was walked before it.
    RevisionGraph::NodeSet seen(m_graph.size(), false);
    for (int target : targets) {
        if (target < 0)
            continue;
        QList<int> todo{target};
        QList<int> perTarget;
        while (!todo.isEmpty()) {
            const int i = todo.takeLast();
            perTarget.append(i);
            if (seen[i])
                continue;
            seen[i] = true;
            const Revision &r = m_graph.revision(i);
            if (up) {
                todo.append(r.normalizedParents);
            } else {
                todo.append(r.children);
            }
        }
        QStringList overlaps;
        for (int t : targets) {
            if (t != target && perTarget.contains(t))
                overlaps.append(m_graph.revision(t).id);
        }
        if (!overlaps.isEmpty())
            fail(QStringLiteral("Requested revision %1 overlaps with other requested revisions %2")
                     .arg(m_graph.revision(target).id, overlaps.join(QStringLiteral(", "))));
    }
    return seen;
}

RevisionList RevisionResolver::iterateUpgrade(const QString &upper, const QString &lowerIn,
                                              bool inclusive, bool assertRelativeLength) const
{
    QString lower = lowerIn;
    RevisionList targets = parseUpgradeTarget(lower.isNull() ? QStringList() : QStringList{lower},
                                              upper, assertRelativeLength);
    for (int t : std::as_const(targets)) {
        if (t < 0)
            fail(QStringLiteral("Walked too far"));
    }

    if (!lower.isNull() && lower.contains(u'@')) {
        QString branch = lower.left(lower.indexOf(u'@'));
        const int branchRev = getRevision(branch);
        if (branchRev >= 0 && m_graph.revision(branchRev).id == branch &&
            m_graph.revision(branchRev).branchLabels.size() == 1)
            branch = m_graph.revision(branchRev).branchLabels.first();
        RevisionList kept;
        for (int t : std::as_const(targets)) {
            if (m_graph.revision(t).branchLabels.contains(branch))
                kept.append(t);
        }
        targets = kept;
    }

    RevisionGraph::NodeSet required = relatedChecked(targets, true);
    RevisionList current = getRevisions(lower);
    for (int c : std::as_const(current)) {
        if (c != kNone && (c < 0 || !required[c])) {
            RevisionError e{RevisionError::Kind::RangeNotAncestor, {}, {}, lower, upper};
            if (e.lower.isEmpty())
                e.lower = QStringLiteral("base");
            throw e;
        }
    }
    if (!current.isEmpty() && current.first() == kNone) {
        const int rev = parseDowngradeTarget(QStringList{upper}, lower, assertRelativeLength);
        if (rev == kBaseMarker || rev == kNone) {
            current.clear();
            lower = QString();
        } else {
            current = {rev};
            lower = m_graph.revision(rev).id;
        }
    }
    const RevisionGraph::NodeSet currentSet = relatedChecked(current, true);
    RevisionGraph::NodeSet needs(m_graph.size(), false);
    for (int i = 0; i < m_graph.size(); ++i)
        needs[i] = required[i] && !currentSet[i];
    if (inclusive) {
        for (int c : getRevisions(lower)) {
            if (c >= 0)
                needs[c] = true;
        }
    }
    if (!current.isEmpty()) {
        const RevisionGraph::NodeSet below = relatedChecked(current, false);
        for (int i = 0; i < m_graph.size(); ++i)
            needs[i] = needs[i] && below[i];
    }
    return m_graph.topologicalSort(needs, targets);
}

Result<RevisionList> RevisionResolver::revisions(const QString &spec) const
{
    try {
        RevisionList out;
        for (int r : getRevisions(spec)) {
            if (r >= 0)
                out.append(r);
        }
        return out;
    } catch (const RevisionError &e) {
        return Result<RevisionList>::failure(commandMessage(e));
    }
}

Result<int> RevisionResolver::revision(const QString &spec) const
{
    try {
        const int r = getRevision(spec);
        return r >= 0 ? r : kNone;
    } catch (const RevisionError &e) {
        return Result<int>::failure(commandMessage(e));
    }
}

Result<RevisionList> RevisionResolver::walk(const QString &base, const QString &head) const
{
    try {
        return iterateUpgrade(head, base, true, false);
    } catch (const RevisionError &e) {
        return Result<RevisionList>::failure(commandMessage(e, base, head));
    }
}

Result<RevisionList> RevisionResolver::upgradePath(const QStringList &current,
                                                   const QString &destination) const
{
    try {
        const RevisionList targets = parseUpgradeTarget(current, destination, true);
        for (int t : targets) {
            if (t < 0)
                fail(QStringLiteral("Relative revision %1 didn't produce the migrations asked for")
                         .arg(destination));
        }
        const RevisionGraph::NodeSet required = relatedChecked(targets, true);
        RevisionList currentRevisions;
        for (const QString &id : current)
            currentRevisions.append(getRevisions(id));
        const RevisionGraph::NodeSet have = relatedChecked(currentRevisions, true);
        RevisionGraph::NodeSet needs(m_graph.size(), false);
        for (int i = 0; i < m_graph.size(); ++i)
            needs[i] = required[i] && !have[i];
        RevisionList order = m_graph.topologicalSort(needs, targets);
        std::reverse(order.begin(), order.end());
        return order;
    } catch (const RevisionError &e) {
        if (e.kind == RevisionError::Kind::RangeNotAncestor)
            return Result<RevisionList>::failure(
                QStringLiteral("Destination %1 is not a valid upgrade target from current head(s)")
                    .arg(destination));
        return Result<RevisionList>::failure(commandMessage(e, {}, destination));
    }
}

Result<RevisionList> RevisionResolver::downgradePath(const QStringList &current,
                                                     const QString &destination) const
{
    try {
        int target = parseDowngradeTarget(current, destination, true);
        if (target == kBaseMarker)
            target = kNone;
        RevisionList roots;
        if (target == kNone) {
            for (int i = 0; i < m_graph.size(); ++i) {
                if (m_graph.revision(i).downRevisions.isEmpty())
                    roots.append(i);
            }
        } else {
            roots = m_graph.revision(target).children;
        }
        RevisionList heads;
        for (const QString &id : current)
            heads.append(getRevisions(id));
        const RevisionGraph::NodeSet drop = m_graph.descendants(roots, true);
        const RevisionGraph::NodeSet active = m_graph.ancestors(heads, true);
        RevisionGraph::NodeSet revisions(m_graph.size(), false);
        bool any = false;
        for (int i = 0; i < m_graph.size(); ++i) {
            revisions[i] = drop[i] && active[i];
            any = any || revisions[i];
        }
        if (target != kNone && !any && !heads.contains(target))
            return Result<RevisionList>::failure(
                QStringLiteral(
                    "Destination %1 is not a valid downgrade target from current head(s)")
                    .arg(destination));
        return m_graph.topologicalSort(revisions, heads);
    } catch (const RevisionError &e) {
        if (e.kind == RevisionError::Kind::RangeNotAncestor)
            return Result<RevisionList>::failure(
                QStringLiteral(
                    "Destination %1 is not a valid downgrade target from current head(s)")
                    .arg(destination));
        return Result<RevisionList>::failure(commandMessage(e, {}, destination));
    }
}

Result<RevisionList> RevisionResolver::historyRange(const QString &range) const
{
    if (!range.contains(u':'))
        return Result<RevisionList>::failure(
            QStringLiteral("History range requires [start]:[end], [start]:, or :[end]"));
    const QStringList parts = range.trimmed().split(u':');
    if (parts.size() != 2)
        return Result<RevisionList>::failure(
            QStringLiteral("History range requires [start]:[end], [start]:, or :[end]"));
    return walk(parts.at(0).isEmpty() ? QStringLiteral("base") : parts.at(0),
                parts.at(1).isEmpty() ? QStringLiteral("heads") : parts.at(1));
}

} // namespace Retort
