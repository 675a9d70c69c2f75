#pragma once

#include "core/diagnostic.h"
#include "core/script/sourcecodec.h"

#include <Qsci/qsciscintilla.h>

namespace Retort {

// A revision file in QScintilla: Python lexer, line numbers, folding,
// current-line highlight, and the project's diagnostics as margin markers
// with their message shown under the line.
class RevisionEditor : public QsciScintilla
{
    Q_OBJECT

public:
    explicit RevisionEditor(QWidget *parent = nullptr);

    QString path() const { return m_path; }
    // Where save() writes from now on (Save As, or the file's new name).
    void setPath(const QString &path) { m_path = path; }
    // Loads `path`; false with `error` set when it cannot be read.
    bool load(const QString &path, QString *error);
    // Writes through QSaveFile: the file on disk is replaced whole or not at all.
    bool save(QString *error);
    // Re-reads the file, keeping the cursor line.
    bool reload(QString *error);

    void setDiagnostics(const Diagnostics &diagnostics);
    // 1-based lines that carry a diagnostic marker, for tests and navigation.
    QList<int> markedLines() const;
    void goToLine(int line);

    // True while the text on disk is the one we wrote last (so our own save
    // is not taken for an outside change).
    bool matchesDisk() const;

    // Annotation lines wrap at this many characters (the editor's width).
    int annotationColumns() const;

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyDiagnostics();
    void applyColors();

    QString m_path;
    QByteArray m_savedBytes;
    SourceCodec m_codec;
    Diagnostics m_diagnostics;
    int m_errorMarker = -1;
    int m_warningMarker = -1;
    int m_annotationColumns = 0;
};

} // namespace Retort
