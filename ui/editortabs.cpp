#include "editortabs.h"
#include "revisioneditor.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
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

QString EditorTabs::canonical(const QString &path)
{
    const QFileInfo info(path);
    const QString resolved = info.canonicalFilePath();
    return resolved.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : resolved;
}

RevisionEditor *EditorTabs::editorFor(const QString &pathIn) const
{
    const QString path = canonical(pathIn);
    for (RevisionEditor *e : editors()) {
        if (e->path() == path || e->path() == pathIn)
            return e;
    }
    return nullptr;
}

RevisionEditor *EditorTabs::open(const QString &pathIn, int line)
{
    // One tab per file, however the path was spelled (relative, through links).
    const QString path = canonical(pathIn);
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
    if (index < 0)
        return;
    QString title = QFileInfo(editor->path()).fileName();
    if (!QFileInfo::exists(editor->path()))
        title += m_movedTo.contains(editor->path()) ? tr(" (renamed)") : tr(" (deleted)");
    if (editor->isModified())
        title += QStringLiteral(" •");
    m_tabs->setTabText(index, title);
    m_tabs->setTabToolTip(index, QDir::toNativeSeparators(editor->path()));
}

void EditorTabs::setDiagnostics(const Diagnostics &diagnostics)
{
    m_diagnostics = diagnostics;
    for (RevisionEditor *e : editors())
        e->setDiagnostics(diagnostics);
}

void EditorTabs::fileRenamed(const QString &fromIn, const QString &toIn)
{
    RevisionEditor *e = editorFor(fromIn);
    if (!e)
        return;
    const QString from = e->path();
    const QString to = canonical(toIn);
    if (RevisionEditor *other = editorFor(to); other && other != e && !other->isModified()) {
        // The new name already has a tab of its own: keep that one.
        closeTab(m_tabs->indexOf(other));
    }
    m_watcher.removePath(from);
    if (e->isModified()) {
        // Unsaved edits stay; saving asks where they go.
        m_movedTo.insert(from, to);
        updateTitle(e);
        Q_EMIT message(tr("%1 was renamed to %2; the tab keeps your unsaved edits")
                           .arg(QFileInfo(from).fileName(), QFileInfo(to).fileName()));
        return;
    }
    QString error;
    if (!e->load(to, &error)) {
        m_movedTo.insert(from, to);
        updateTitle(e);
        return;
    }
    m_watcher.addPath(to);
    updateTitle(e);
}

void EditorTabs::followEdits(const QList<FileEdit> &edits)
{
    for (const FileEdit &edit : edits) {
        RevisionEditor *e = editorFor(edit.path);
        if (!e)
            continue;
        if (!edit.after) {
            m_watcher.removePath(e->path());
            updateTitle(e); // deleted: saving will ask
        } else if (edit.renames()) {
            fileRenamed(edit.path, edit.newPath);
        } else if (!e->isModified()) {
            QString error;
            e->reload(&error);
        }
    }
}

bool EditorTabs::saveEditor(RevisionEditor *e)
{
    QString error;
    if (!QFileInfo::exists(e->path())) {
        // Never write a file back silently where it no longer is: that
        // would bring back a renamed revision as a duplicate.
        const QString movedTo = m_movedTo.value(e->path());
        QMessageBox box(
            QMessageBox::Warning, tr("File no longer there"),
            movedTo.isEmpty()
                ? tr("%1 was deleted or moved on disk. Where should your text go?")
                      .arg(QDir::toNativeSeparators(e->path()))
                : tr("%1 was renamed to %2. Where should your text go?")
                      .arg(QFileInfo(e->path()).fileName(), QFileInfo(movedTo).fileName()),
            QMessageBox::NoButton, this);
        QPushButton *toNew =
            movedTo.isEmpty() ? nullptr
                              : box.addButton(tr("Save to %1").arg(QFileInfo(movedTo).fileName()),
                                              QMessageBox::AcceptRole);
        QPushButton *saveAs = box.addButton(tr("Save As…"), QMessageBox::ActionRole);
        QPushButton *discard = box.addButton(tr("Discard My Text"), QMessageBox::DestructiveRole);
        box.addButton(QMessageBox::Cancel);
        box.setObjectName(QStringLiteral("fileGoneBox"));
        box.exec();
        QString target;
        if (box.clickedButton() == toNew) {
            target = movedTo;
        } else if (box.clickedButton() == saveAs) {
            target = QFileDialog::getSaveFileName(this, tr("Save As"), e->path(),
                                                  tr("Python files (*.py)"));
            if (target.isEmpty())
                return false;
        } else if (box.clickedButton() == discard) {
            closeTab(m_tabs->indexOf(e), false);
            return true;
        } else {
            return false;
        }
        m_movedTo.remove(e->path());
        e->setPath(canonical(target));
        m_watcher.addPath(e->path());
    }
    if (!e->save(&error)) {
        QMessageBox::critical(this, tr("Save failed"),
                              tr("Retort could not save %1; the file on disk is unchanged.\n%2")
                                  .arg(QDir::toNativeSeparators(e->path()), error));
        return false;
    }
    if (!m_watcher.files().contains(e->path()))
        m_watcher.addPath(e->path());
    updateTitle(e);
    Q_EMIT message(tr("Saved %1").arg(QFileInfo(e->path()).fileName()));
    return true;
}

bool EditorTabs::saveCurrent()
{
    return current() && saveEditor(current());
}

bool EditorTabs::closeTab(int index, bool ask)
{
    auto *e = qobject_cast<RevisionEditor *>(m_tabs->widget(index));
    if (!e)
        return true;
    if (ask && e->isModified()) {
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
    m_movedTo.remove(e->path());
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
        updateTitle(e);
        Q_EMIT message(tr("%1 was deleted or moved on disk; saving the tab will ask where to")
                           .arg(QFileInfo(path).fileName()));
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
