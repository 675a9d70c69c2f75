#include "problemsmodel.h"

#include <QFileInfo>

#include <algorithm>

namespace Retort {

ProblemsModel::ProblemsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ProblemsModel::setDiagnostics(const Diagnostics &diagnostics)
{
    Diagnostics sorted = diagnostics;
    // Errors first, then by file and line.
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic &a, const Diagnostic &b) {
        if (a.severity != b.severity)
            return a.severity > b.severity;
        if (a.file != b.file)
            return a.file < b.file;
        return a.line < b.line;
    });
    // The same problems again (a database read again, a re-read with no
    // change): the view keeps its selection and scroll position.
    if (sorted == m_diagnostics)
        return;
    beginResetModel();
    m_diagnostics = sorted;
    endResetModel();
}

int ProblemsModel::count(Severity severity) const
{
    return int(std::count_if(m_diagnostics.cbegin(), m_diagnostics.cend(),
                             [severity](const Diagnostic &d) { return d.severity == severity; }));
}

int ProblemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_diagnostics.size());
}

int ProblemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Diagnostic &d = m_diagnostics.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityName(d.severity);
        case CodeColumn:
            return d.code;
        case FileColumn:
            return d.file.isEmpty() ? tr("(project)") : QFileInfo(d.file).fileName();
        case LineColumn:
            return d.line > 0 ? QVariant(d.line) : QVariant();
        case MessageColumn:
            return d.message;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return index.column() == FileColumn ? d.file : d.message;
    case SeverityRole:
        return int(d.severity);
    case FilePathRole:
        return d.file;
    case LineRole:
        return d.line;
    default:
        return {};
    }
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case CodeColumn:
        return tr("Code");
    case FileColumn:
        return tr("File");
    case LineColumn:
        return tr("Line");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace Retort
