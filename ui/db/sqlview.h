#pragma once

#include <Qsci/qsciscintilla.h>

namespace Retort {

// Read-only SQL with QScintilla's SQL lexer, in the window's palette.
class SqlView : public QsciScintilla
{
    Q_OBJECT

public:
    explicit SqlView(QWidget *parent = nullptr);
    void setSql(const QString &sql);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColors();
};

} // namespace Retort
