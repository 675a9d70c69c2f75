#pragma once

#include <QTableView>

#include <functional>

namespace Retort {

class ProblemsModel;

// The problems strip: one row per diagnostic. Activating a row opens its
// file at its line; the context menu offers the fix that suits the problem.
class ProblemsPanel : public QTableView
{
    Q_OBJECT

public:
    // `revisionOfFile`: the id of the revision a file declares, or empty.
    ProblemsPanel(ProblemsModel *model, std::function<QString(const QString &)> revisionOfFile,
                  QWidget *parent = nullptr);

Q_SIGNALS:
    void openRequested(const QString &path, int line);
    void showRevisionRequested(const QString &id);
    void normalizeRequested(const QString &id);
    void reparentRequested(const QString &id);
    void markReviewedRequested(const QString &id);

private:
    void showMenu(const QPoint &pos);

    ProblemsModel *m_model;
    std::function<QString(const QString &)> m_revisionOfFile;
};

} // namespace Retort
