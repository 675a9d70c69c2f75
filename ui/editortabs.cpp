#include "editortabs.h"
#include "revisioneditor.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QShortcut>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace Retort {

EditorTabs::EditorTabs(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
    , m_findBar(new QWidget(this))
    , m_findEdit(new QLineEdit(m_findBar))
{
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    auto *placeholder =
        new QLabel(tr("Double-click a revision (or press Enter) to open it here."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setEnabled(false);
    placeholder->setObjectName(QStringLiteral("editorPlaceholder"));

    auto *findLayout = new QHBoxLayout(m_findBar);
    findLayout->setContentsMargins(4, 2, 4, 2);
    findLayout->addWidget(new QLabel(tr("Find:"), m_findBar));
    m_findEdit->setPlaceholderText(tr("text in this file (Enter: next, Shift+Enter: previous)"));
    m_findEdit->setClearButtonEnabled(true);
    findLayout->addWidget(m_findEdit, 1);
    auto *closeFind = new QToolButton(m_findBar);
    closeFind->setText(QStringLiteral("✕"));
    closeFind->setAutoRaise(true);
    closeFind->setToolTip(tr("Close (Esc)"));
    findLayout->addWidget(closeFind);
    m_findBar->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(placeholder, 1);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_findBar);
    m_tabs->hide();

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) { closeTab(index); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this, placeholder] {
        placeholder->setVisible(m_tabs->count() == 0);
        m_tabs->setVisible(m_tabs->count() > 0);
        Q_EMIT currentPathChanged(current() ? current()->path() : QString());
    });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &EditorTabs::fileChangedOnDisk);
    connect(m_findEdit, &QLineEdit::returnPressed, this,
            [this] { findNext(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier); });
    connect(m_findEdit, &QLineEdit::textEdited, this, [this] {
        if (RevisionEditor *e = current()) {
            int line = 0, index = 0;
            e->getCursorPosition(&line, &index);
            e->findFirst(m_findEdit->text(), false, false, false, true, true, 0, 0);
        }
    });
    connect(closeFind, &QToolButton::clicked, m_findBar, &QWidget::hide);
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), m_findBar, nullptr, nullptr,
                                 Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, [this] {
        m_findBar->hide();
        if (current())
            current()->setFocus();
    });
}

RevisionEditor *EditorTabs::current() const
{
    return qobject_cast<RevisionEditor *>(m_tabs->currentWidget());
}

int EditorTabs::count() const
{
    return m_tabs->count();
}

QList<RevisionEditor *> EditorTabs::editors() const
{
    QList<RevisionEditor *> out;
    for (int i = 0; i < m_tabs->count(); ++i)
        out.append(qobject_cast<RevisionEditor *>(m_tabs->widget(i)));
    return out;
}

RevisionEditor *EditorTabs::editorFor(const QString &path) const
{
    for (RevisionEditor *e : editors()) {
        if (e->path() == path)
            return e;
    }
    return nullptr;
}

RevisionEditor *EditorTabs::open(const QString &path, int line)
{
    RevisionEditor *editor = editorFor(path);
    if (!editor) {
        editor = new RevisionEditor(m_tabs);
        QString error;
        if (!editor->load(path, &error)) {
            delete editor;
            QMessageBox::warning(
                this, tr("Cannot open revision"),
                tr("Retort cannot read %1:\n%2").arg(QDir::toNativeSeparators(path), error));
            return nullptr;
        }
        editor->setDiagnostics(m_diagnostics);
        const int index = m_tabs->addTab(editor, QFileInfo(path).fileName());
        m_tabs->setTabToolTip(index, path);
        m_watcher.addPath(path);
        connect(editor, &QsciScintilla::modificationChanged, this,
                [this, editor] { updateTitle(editor); });
    }
    m_tabs->setCurrentWidget(editor);
    if (line > 0)
        editor->goToLine(line);
    else
        editor->setFocus();
    return editor;
}

void EditorTabs::updateTitle(RevisionEditor *editor)
{
    const int index = m_tabs->indexOf(editor);
    if (index >= 0)
        m_tabs->setTabText(index, QFileInfo(editor->path()).fileName() +
                                      (editor->isModified() ? QStringLiteral(" •") : QString()));
}

void EditorTabs::setDiagnostics(const Diagnostics &diagnostics)
{
    m_diagnostics = diagnostics;
    for (RevisionEditor *e : editors())
        e->setDiagnostics(diagnostics);
}

void EditorTabs::fileRenamed(const QString &from, const QString &to)
{
    RevisionEditor *e = editorFor(from);
    if (!e)
        return;
    m_watcher.removePath(from);
    QString error;
    e->load(to, &error);
    m_watcher.addPath(to);
    updateTitle(e);
    m_tabs->setTabToolTip(m_tabs->indexOf(e), to);
}

bool EditorTabs::saveCurrent()
{
    RevisionEditor *e = current();
    if (!e)
        return false;
    QString error;
    if (!e->save(&error)) {
        QMessageBox::critical(this, tr("Save failed"),
                              tr("Retort could not save %1; the file on disk is unchanged.\n%2")
                                  .arg(QDir::toNativeSeparators(e->path()), error));
        return false;
    }
    Q_EMIT message(tr("Saved %1").arg(QFileInfo(e->path()).fileName()));
    return true;
}

bool EditorTabs::closeTab(int index)
{
    auto *e = qobject_cast<RevisionEditor *>(m_tabs->widget(index));
    if (!e)
        return true;
    if (e->isModified()) {
        m_tabs->setCurrentIndex(index);
        const auto answer = QMessageBox::question(
            this, tr("Unsaved changes"),
            tr("%1 has unsaved changes. Save them before closing?")
                .arg(QFileInfo(e->path()).fileName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel)
            return false;
        if (answer == QMessageBox::Save && !saveCurrent())
            return false;
    }
    m_watcher.removePath(e->path());
    m_tabs->removeTab(index);
    e->deleteLater();
    return true;
}

bool EditorTabs::closeCurrent()
{
    return m_tabs->currentIndex() < 0 || closeTab(m_tabs->currentIndex());
}

bool EditorTabs::closeAll()
{
    while (m_tabs->count() > 0) {
        if (!closeTab(m_tabs->count() - 1))
            return false;
    }
    return true;
}

void EditorTabs::fileChangedOnDisk(const QString &path)
{
    RevisionEditor *e = editorFor(path);
    if (!e)
        return;
    // Editors that save atomically replace the file; watch the new one.
    if (!m_watcher.files().contains(path) && QFileInfo::exists(path))
        m_watcher.addPath(path);
    if (!QFileInfo::exists(path)) {
        Q_EMIT message(tr("%1 was deleted or moved on disk").arg(QFileInfo(path).fileName()));
        return;
    }
    if (e->matchesDisk())
        return; // our own save, or nothing that differs
    QString error;
    if (!e->isModified()) {
        e->reload(&error);
        Q_EMIT message(tr("Reloaded %1: it changed on disk").arg(QFileInfo(path).fileName()));
        return;
    }
    if (m_asking.contains(path))
        return; // one question per file at a time; the answer covers both changes
    m_asking.insert(path);
    const auto answer = QMessageBox::question(this, tr("File changed on disk"),
                                              tr("%1 changed on disk, and this tab has unsaved "
                                                 "changes.\nReload it and lose your changes?")
                                                  .arg(QFileInfo(path).fileName()),
                                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    m_asking.remove(path);
    if (answer == QMessageBox::Yes && editorFor(path) == e)
        e->reload(&error);
}

void EditorTabs::showFind()
{
    if (!current())
        return;
    m_findBar->show();
    if (current()->hasSelectedText())
        m_findEdit->setText(current()->selectedText());
    m_findEdit->selectAll();
    m_findEdit->setFocus();
}

void EditorTabs::findNext(bool backwards)
{
    RevisionEditor *e = current();
    if (!e || m_findEdit->text().isEmpty())
        return;
    bool found = false;
    if (backwards) {
        int lineFrom = 0, indexFrom = 0, lineTo = 0, indexTo = 0;
        e->getSelection(&lineFrom, &indexFrom, &lineTo, &indexTo);
        found =
            e->findFirst(m_findEdit->text(), false, false, false, true, false, lineFrom, indexFrom);
    } else {
        found = e->findFirst(m_findEdit->text(), false, false, false, true, true);
    }
    if (!found)
        Q_EMIT message(tr("“%1” not found").arg(m_findEdit->text()));
}

void EditorTabs::goToLine()
{
    RevisionEditor *e = current();
    if (!e)
        return;
    int line = 0, index = 0;
    e->getCursorPosition(&line, &index);
    bool ok = false;
    const int target =
        QInputDialog::getInt(this, tr("Go to Line"), tr("Line (1–%1):").arg(e->lines()), line + 1,
                             1, e->lines(), 1, &ok);
    if (ok)
        e->goToLine(target);
}

} // namespace Retort
