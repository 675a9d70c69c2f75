#pragma once

#include <QWidget>

class QSettings;
class QSplitter;

namespace Retort {

class EditorTabs;

// The window's centre: history and details side by side over the editor
// tabs and the problems strip. The editor takes room only while a file is
// open; until then the history has it, and opening the first file gives the
// editor a working share again. Sizes are kept in the settings.
class CentralLayout : public QWidget
{
    Q_OBJECT

public:
    CentralLayout(QWidget *history, QWidget *details, EditorTabs *editors, QWidget *problems,
                  QWidget *parent = nullptr);

    void restore(const QSettings &settings);
    void save(QSettings &settings) const;

private:
    void editorShown(bool shown);

    QSplitter *m_outer;
    QSplitter *m_main;
    QSplitter *m_right;
    EditorTabs *m_editors;
};

} // namespace Retort
