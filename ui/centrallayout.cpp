#include "centrallayout.h"
#include "editortabs.h"

#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>

namespace Retort {

namespace {
// The share of the height the editor and problems get below the history,
// with and without a file open.
constexpr int kEditingShare = 55;
constexpr int kBrowsingShare = 25;
} // namespace

CentralLayout::CentralLayout(QWidget *history, QWidget *details, EditorTabs *editors,
                             QWidget *problems, QWidget *parent)
    : QWidget(parent)
    , m_outer(new QSplitter(Qt::Vertical, this))
    , m_main(new QSplitter(Qt::Horizontal, this))
    , m_right(new QSplitter(Qt::Vertical, this))
    , m_editors(editors)
{
    m_main->addWidget(history);
    m_main->addWidget(details);
    m_main->setStretchFactor(0, 3);
    m_main->setStretchFactor(1, 2);
    m_right->addWidget(editors);
    m_right->addWidget(problems);
    m_right->setStretchFactor(0, 4);
    m_right->setStretchFactor(1, 1);
    m_outer->addWidget(m_main);
    m_outer->addWidget(m_right);
    m_outer->setStretchFactor(0, 1);
    m_outer->setStretchFactor(1, 1);
    m_outer->setObjectName(QStringLiteral("centralSplitter"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_outer);

    editors->setVisible(editors->count() > 0);
    connect(editors, &EditorTabs::currentPathChanged, this,
            [this] { editorShown(m_editors->count() > 0); });
}

void CentralLayout::editorShown(bool shown)
{
    if (shown == m_editors->isVisible())
        return;
    m_editors->setVisible(shown);
    // Below the history: the problems strip alone, or the editor over it.
    const int total = m_outer->sizes().value(0) + m_outer->sizes().value(1);
    if (total <= 0)
        return;
    const int share = shown ? kEditingShare : kBrowsingShare;
    const int below = m_outer->sizes().value(1) * 100 / total;
    if ((shown && below < share) || (!shown && below > share))
        m_outer->setSizes({total * (100 - share) / 100, total * share / 100});
    if (shown) {
        const int height = m_right->sizes().value(0) + m_right->sizes().value(1);
        m_right->setSizes({height * 3 / 4, height / 4});
    }
}

void CentralLayout::restore(const QSettings &s)
{
    // (Layout keys carry a version: an older layout's saved sizes do not fit
    // this one.)
    const int h = qMax(height(), 400);
    if (!m_outer->restoreState(s.value(QStringLiteral("window/v3/outerSplitter")).toByteArray()))
        m_outer->setSizes({h * (100 - kBrowsingShare) / 100, h * kBrowsingShare / 100});
    if (!m_main->restoreState(s.value(QStringLiteral("window/v2/mainSplitter")).toByteArray()))
        m_main->setSizes({width() * 3 / 5, width() * 2 / 5});
    if (!m_right->restoreState(s.value(QStringLiteral("window/v3/rightSplitter")).toByteArray()))
        m_right->setSizes({h * 3 / 4, h / 4});
    m_editors->setVisible(m_editors->count() > 0);
}

void CentralLayout::save(QSettings &s) const
{
    s.setValue(QStringLiteral("window/v3/outerSplitter"), m_outer->saveState());
    s.setValue(QStringLiteral("window/v2/mainSplitter"), m_main->saveState());
    s.setValue(QStringLiteral("window/v3/rightSplitter"), m_right->saveState());
}

} // namespace Retort
