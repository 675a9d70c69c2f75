#pragma once

#include <QTextBrowser>

#include <functional>

namespace Retort {

class RevisionGraph;

// What one revision is: message, id, file, parents and children (links that
// select them), labels, dependencies, create date, and its operations.
class DetailsView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit DetailsView(QWidget *parent = nullptr);

    void showRevision(const RevisionGraph &graph, int revision);
    void showNothing();

protected:
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    void revisionLinkActivated(const QString &id);
    void fileLinkActivated(const QString &path, int line);

private:
    std::function<void()> m_show; // shows the current content again
};

} // namespace Retort
