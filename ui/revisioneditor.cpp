#include "revisioneditor.h"
#include "palettes.h"

#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QSaveFile>
#include <Qsci/qscilexerpython.h>

namespace Retort {

namespace {
constexpr int kMarkerMargin = 1;
constexpr int kAnnotationErrorStyle = 40;
constexpr int kAnnotationWarningStyle = 41;
// Word-wraps `text` to lines of at most `columns` characters.
QStringList wrap(const QString &text, int columns)
{
    QStringList lines;
    QString line;
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > columns) {
            lines.append(line);
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
        while (line.size() > columns) { // one word longer than a line
            lines.append(line.left(columns));
            line = line.mid(columns);
        }
    }
    if (!line.isEmpty())
        lines.append(line);
    return lines;
}

} // namespace

RevisionEditor::RevisionEditor(QWidget *parent)
    : QsciScintilla(parent)
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto *lexer = new QsciLexerPython(this);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    setLexer(lexer);
    setUtf8(true);

    setMarginType(0, QsciScintilla::NumberMargin);
    setMarginsFont(mono);
    setMarginWidth(0, QStringLiteral("00000"));
    setMarginLineNumbers(0, true);

    setMarginType(kMarkerMargin, QsciScintilla::SymbolMargin);
    setMarginWidth(kMarkerMargin, 16);
    setMarginSensitivity(kMarkerMargin, false);
    m_errorMarker = markerDefine(QsciScintilla::Circle);
    setMarkerBackgroundColor(QColor(0xd0, 0x3b, 0x3b), m_errorMarker);
    setMarkerForegroundColor(QColor(0xd0, 0x3b, 0x3b), m_errorMarker);
    m_warningMarker = markerDefine(QsciScintilla::RightTriangle);
    setMarkerBackgroundColor(QColor(0xe0, 0x9a, 0x1a), m_warningMarker);
    setMarkerForegroundColor(QColor(0xe0, 0x9a, 0x1a), m_warningMarker);

    setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
    setCaretLineVisible(true);
    setIndentationsUseTabs(false);
    setIndentationWidth(4);
    setAutoIndent(true);
    setBraceMatching(QsciScintilla::SloppyBraceMatch);
    setAnnotationDisplay(QsciScintilla::AnnotationBoxed);
    // A pixel more below each line, so underscores in annotations show.
    setExtraDescent(1);
    applyColors();
}

void RevisionEditor::applyColors()
{
    const QPalette pal = palette();
    const bool dark = Palettes::isDark(pal);
    auto *lexer = qobject_cast<QsciLexerPython *>(this->lexer());
    Palettes::colorEditor(this, QsciLexerPython(), QsciLexerPython::HighlightedIdentifier,
                          {QsciLexerPython::Default, QsciLexerPython::Identifier});
    if (dark) {
        // A dark palette: lift the lexer's colours.
        lexer->setColor(QColor(0x7f, 0xb8, 0x7f), QsciLexerPython::Comment);
        lexer->setColor(QColor(0x8a, 0xb4, 0xf8), QsciLexerPython::Keyword);
        lexer->setColor(QColor(0xe6, 0xb4, 0x6e), QsciLexerPython::DoubleQuotedString);
        lexer->setColor(QColor(0xe6, 0xb4, 0x6e), QsciLexerPython::SingleQuotedString);
        lexer->setColor(QColor(0x9a, 0xc0, 0x7a), QsciLexerPython::TripleDoubleQuotedString);
        lexer->setColor(QColor(0x9a, 0xc0, 0x7a), QsciLexerPython::TripleSingleQuotedString);
        lexer->setColor(QColor(0xd8, 0xa0, 0xdf), QsciLexerPython::Number);
        lexer->setColor(QColor(0xdc, 0xdc, 0xaa), QsciLexerPython::FunctionMethodName);
        lexer->setColor(QColor(0x4e, 0xc9, 0xb0), QsciLexerPython::ClassName);
        lexer->setColor(QColor(0xe0, 0xe0, 0xe0), QsciLexerPython::Operator);
    }
    setFoldMarginColors(pal.color(QPalette::Window), pal.color(QPalette::Window));
    // QScintilla draws fold boxes black on white; follow the palette instead.
    for (int marker = int(SC_MARKNUM_FOLDEREND); marker <= int(SC_MARKNUM_FOLDEROPEN); ++marker) {
        SendScintilla(SCI_MARKERSETFORE, marker, pal.color(QPalette::Base));
        SendScintilla(SCI_MARKERSETBACK, marker, pal.color(QPalette::PlaceholderText));
    }
    QColor caretLine = pal.color(QPalette::Highlight);
    caretLine.setAlpha(40);
    setCaretLineBackgroundColor(caretLine);
    // Annotations: small text on a tint of the palette's own background.
    SendScintilla(SCI_STYLESETBACK, kAnnotationErrorStyle,
                  dark ? QColor(0x4a, 0x23, 0x23) : QColor(0xf6, 0xd5, 0xd5));
    SendScintilla(SCI_STYLESETFORE, kAnnotationErrorStyle,
                  dark ? QColor(0xf2, 0xb8, 0xb8) : QColor(0x8a, 0x1f, 0x1f));
    SendScintilla(SCI_STYLESETBACK, kAnnotationWarningStyle,
                  dark ? QColor(0x4a, 0x3b, 0x1c) : QColor(0xf7, 0xe8, 0xc8));
    SendScintilla(SCI_STYLESETFORE, kAnnotationWarningStyle,
                  dark ? QColor(0xf0, 0xd2, 0x9a) : QColor(0x7a, 0x52, 0x0a));
    lexer->refreshProperties();
    recolor();
    applyDiagnostics();
}

void RevisionEditor::changeEvent(QEvent *event)
{
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
}

void RevisionEditor::resizeEvent(QResizeEvent *event)
{
    QsciScintilla::resizeEvent(event);
    // Annotations are wrapped to the width: wrap them again when it changes.
    if (annotationColumns() != m_annotationColumns)
        applyDiagnostics();
}

int RevisionEditor::annotationColumns() const
{
    const int charWidth = qMax(1, QFontMetrics(lexer() ? lexer()->defaultFont() : font())
                                      .horizontalAdvance(QLatin1Char('m')));
    // The annotation box starts after the margins and has padding of its own.
    const int margins =
        marginWidth(0) + marginWidth(kMarkerMargin) + marginWidth(2) + 4 * charWidth;
    return qMax(30, (viewport()->width() - margins) / charWidth - 2);
}

bool RevisionEditor::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    m_path = path;
    m_savedBytes = file.readAll();
    // The file's own encoding (PEP 263), so that saving writes it back the same.
    m_codec = SourceCodec(SourceCodec::declared(m_savedBytes).name);
    const SourceCodec::Decoded decoded =
        m_codec.isValid() ? m_codec.decode(m_savedBytes) : SourceCodec::Decoded{};
    const bool exact = m_codec.isValid() && decoded.errorOffset < 0;
    setText(QString::fromUtf8(exact ? decoded.utf8 : m_savedBytes));
    // What cannot be decoded exactly would not be saved exactly either.
    setReadOnly(!exact);
    setModified(false);
    applyDiagnostics();
    return true;
}

bool RevisionEditor::reload(QString *error)
{
    int line = 0, index = 0;
    getCursorPosition(&line, &index);
    const int first = firstVisibleLine();
    if (!load(m_path, error))
        return false;
    setCursorPosition(qMin(line, lines() - 1), 0);
    setFirstVisibleLine(first);
    return true;
}

bool RevisionEditor::save(QString *error)
{
    QByteArray bytes;
    if (isReadOnly() || !m_codec.encode(text(), &bytes)) {
        *error = isReadOnly() ? tr("The file is not valid in its declared encoding; Retort "
                                   "opened it read-only so as not to damage it.")
                              : tr("A character in the text has no form in the file's encoding "
                                   "(%1).")
                                    .arg(QString::fromLatin1(m_codec.pythonName()));
        return false;
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    m_savedBytes = bytes;
    setModified(false);
    return true;
}

bool RevisionEditor::matchesDisk() const
{
    QFile file(m_path);
    return file.open(QIODevice::ReadOnly) && file.readAll() == m_savedBytes;
}

void RevisionEditor::setDiagnostics(const Diagnostics &diagnostics)
{
    m_diagnostics.clear();
    const QString name = QFileInfo(m_path).fileName();
    for (const Diagnostic &d : diagnostics) {
        // Diagnostics name files as the project was opened (maybe through
        // links or a relative path); the tab's path is canonical.
        if (d.file == m_path ||
            (d.file.endsWith(name) && QFileInfo(d.file).canonicalFilePath() == m_path))
            m_diagnostics.append(d);
    }
    applyDiagnostics();
}

void RevisionEditor::applyDiagnostics()
{
    markerDeleteAll();
    clearAnnotations();
    QHash<int, QStringList> messages;
    QHash<int, bool> errors;
    for (const Diagnostic &d : std::as_const(m_diagnostics)) {
        const int line = qBound(0, d.line - 1, qMax(0, lines() - 1));
        if (d.severity == Severity::Info)
            continue;
        markerAdd(line, d.severity == Severity::Error ? m_errorMarker : m_warningMarker);
        messages[line].append(QStringLiteral("%1: %2").arg(d.code, d.message));
        errors[line] = errors.value(line) || d.severity == Severity::Error;
    }
    m_annotationColumns = annotationColumns();
    for (auto it = messages.cbegin(); it != messages.cend(); ++it) {
        QStringList wrapped;
        for (const QString &message : it.value())
            wrapped += wrap(message, m_annotationColumns);
        annotate(it.key(), wrapped.join(u'\n'),
                 errors.value(it.key()) ? kAnnotationErrorStyle : kAnnotationWarningStyle);
    }
}

QList<int> RevisionEditor::markedLines() const
{
    QList<int> out;
    const unsigned mask = (1u << m_errorMarker) | (1u << m_warningMarker);
    int line = markerFindNext(0, mask);
    while (line >= 0) {
        out.append(line + 1);
        line = markerFindNext(line + 1, mask);
    }
    return out;
}

void RevisionEditor::goToLine(int line)
{
    const int target = qBound(0, line - 1, qMax(0, lines() - 1));
    setCursorPosition(target, 0);
    ensureLineVisible(target);
    // Keep some context above the target line.
    setFirstVisibleLine(qMax(0, target - 5));
    setFocus();
}

} // namespace Retort
