#pragma once

#include "core/db/connectionprofile.h"
#include "core/doctor.h"
#include "core/script/projectconfig.h"

#include <QDialog>

#include <functional>
#include <optional>

class QLabel;
class QMenu;
class QTextBrowser;

namespace Retort {

struct Project;

// Help → Diagnostics: what `retort doctor` prints, in the window: each thing
// Retort uses on this machine, whether it is there and why that one, and
// the Debian package for what is missing. The checks run on a worker thread.
class DiagnosticsDialog : public QDialog
{
    Q_OBJECT
public:
    DiagnosticsDialog(std::optional<ProjectConfig> config, QList<ConnectionProfile> profiles,
                      QWidget *parent = nullptr);

    // Adds Help → Diagnostics to `help`, for the project `project` returns.
    static void addTo(QMenu *help, QWidget *parent, std::function<const Project *()> project);

    const QList<DoctorCheck> &checks() const { return m_checks; }
    // What the dialog shows, as text.
    QString shownText() const;
    QString report() const;

Q_SIGNALS:
    void checked();

private:
    void showChecks(const QList<DoctorCheck> &checks);

    QLabel *m_summary;
    QTextBrowser *m_list;
    QList<DoctorCheck> m_checks;
    QString m_header;
};

} // namespace Retort
