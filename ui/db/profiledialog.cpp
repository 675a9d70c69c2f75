#include "profiledialog.h"

#include "core/db/databasemonitor.h"
#include "core/db/profilestore.h"
#include "core/db/sqlalchemyurl.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QtConcurrent/QtConcurrentRun>

namespace Retort {

namespace {

QString optionsText(const QMap<QString, QString> &options)
{
    QStringList parts;
    for (auto it = options.cbegin(); it != options.cend(); ++it)
        parts << it.key() + u'=' + it.value();
    return parts.join(u'&');
}

} // namespace

ProfileDialog::ProfileDialog(const ConnectionProfile &profile, const QStringList &taken,
                             const QString &projectDir, QWidget *parent)
    : QDialog(parent)
    , m_projectDir(projectDir)
    , m_taken(taken)
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_driver(new QComboBox(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_database(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Browse…"), this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_keyring(new QLabel(this))
    , m_options(new QLineEdit(this))
    , m_versionTable(new QLineEdit(this))
    , m_shared(new QCheckBox(tr("Shared (staging, production, a team database)"), this))
    , m_forbid(new QCheckBox(tr("Forbid downgrades and backward stamps"), this))
    , m_tag(new QLineEdit(this))
    , m_colorButton(new QPushButton(this))
    , m_test(new QPushButton(tr("&Test Connection"), this))
    , m_testResult(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(profile.name.isEmpty() ? tr("Add Database") : tr("Edit Database"));
    m_driver->addItem(tr("SQLite"), int(ConnectionProfile::Driver::SQLite));
    m_driver->addItem(tr("PostgreSQL"), int(ConnectionProfile::Driver::PostgreSQL));
    m_driver->addItem(tr("MySQL / MariaDB"), int(ConnectionProfile::Driver::MySQL));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("default"));
    m_password->setEchoMode(QLineEdit::Password);
    m_url->setPlaceholderText(tr("postgresql+psycopg2://user@host/db, sqlite:///app.db …"));
    m_options->setPlaceholderText(tr("sslmode=require&connect_timeout=5"));
    m_tag->setPlaceholderText(tr("dev, staging, prod …"));
    m_keyring->setWordWrap(true);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_name->setObjectName(QStringLiteral("profileName"));
    m_url->setObjectName(QStringLiteral("profileUrl"));

    auto *fill = new QPushButton(tr("&Fill In"), this);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(fill);
    auto *databaseRow = new QHBoxLayout;
    databaseRow->addWidget(m_database, 1);
    databaseRow->addWidget(m_browse);
    auto *tagRow = new QHBoxLayout;
    tagRow->addWidget(m_tag, 1);
    tagRow->addWidget(m_colorButton);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Paste a &URL:"), urlRow);
    form->addRow(tr("&Driver:"), m_driver);
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("Data&base:"), databaseRow);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("Pass&word:"), m_password);
    form->addRow(QString(), m_keyring);
    form->addRow(tr("&Options:"), m_options);
    form->addRow(tr("&Version table:"), m_versionTable);
    form->addRow(QString(), m_shared);
    form->addRow(QString(), m_forbid);
    form->addRow(tr("&Tag and colour:"), tagRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->addButton(m_test, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_testResult);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ProfileDialog::reject);
    connect(fill, &QPushButton::clicked, this, [this] { fillFromUrl(m_url->text().trimmed()); });
    connect(m_url, &QLineEdit::returnPressed, this,
            [this] { fillFromUrl(m_url->text().trimmed()); });
    connect(m_driver, &QComboBox::currentIndexChanged, this, &ProfileDialog::driverChanged);
    connect(m_test, &QPushButton::clicked, this, &ProfileDialog::startTest);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            this, tr("SQLite Database"), m_projectDir,
            tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"), nullptr,
            QFileDialog::DontConfirmOverwrite);
        if (!file.isEmpty())
            m_database->setText(QDir(m_projectDir).relativeFilePath(file));
    });
    connect(m_colorButton, &QPushButton::clicked, this, [this] {
        const QColor picked = QColorDialog::getColor(QColor(m_color), this, tr("Database Colour"));
        if (picked.isValid())
            setColor(picked.name());
    });

    m_name->setText(profile.name);
    if (!profile.url.isEmpty()) {
        fillFromUrl(profile.url);
    } else {
        m_driver->setCurrentIndex(m_driver->findData(int(profile.driver)));
        m_host->setText(profile.host);
        m_port->setValue(profile.port);
        m_database->setText(profile.database);
        m_user->setText(profile.user);
        m_options->setText(optionsText(profile.options));
    }
    m_password->setText(profile.password);
    m_versionTable->setText(profile.versionTable);
    m_shared->setChecked(profile.shared);
    m_forbid->setChecked(profile.downgradesForbidden);
    m_tag->setText(profile.tag);
    setColor(profile.color.isEmpty() ? DatabaseMonitor::defaultColor(int(taken.size()))
                                     : profile.color);
    // Whether the keyring keeps passwords here: asked off the GUI thread.
    m_keyring->setText(tr("Asking the system keyring…"));
    auto *keyring = new QFutureWatcher<Result<bool>>(this);
    connect(keyring, &QFutureWatcher<Result<bool>>::finished, this, [this, keyring] {
        keyring->deleteLater();
        const Result<bool> answer = keyring->result();
        setKeyringAvailable(bool(answer), answer ? QString() : answer.error());
    });
    keyring->setFuture(QtConcurrent::run(&PasswordStore::available));
    driverChanged();
    resize(qMax(sizeHint().width(), 560), sizeHint().height());
}

void ProfileDialog::setColor(const QString &color)
{
    m_color = color;
    m_colorButton->setText(tr("Colour…"));
    QPixmap swatch(14, 14);
    swatch.fill(QColor(color));
    m_colorButton->setIcon(QIcon(swatch));
}

void ProfileDialog::setKeyringAvailable(bool available, const QString &why)
{
    m_keyring->setText(
        available ? tr("The password goes to the system keyring, never to a settings file.")
                  : tr("No keyring service runs here (%1): the password will not be kept. "
                       "Retort asks for it once each time it runs.")
                        .arg(why));
}

void ProfileDialog::driverChanged()
{
    const bool sqlite = m_driver->currentData().toInt() == int(ConnectionProfile::Driver::SQLite);
    for (QWidget *w : {static_cast<QWidget *>(m_host), static_cast<QWidget *>(m_port),
                       static_cast<QWidget *>(m_user), static_cast<QWidget *>(m_password),
                       static_cast<QWidget *>(m_keyring)})
        w->setEnabled(!sqlite);
    m_browse->setVisible(sqlite);
    m_database->setPlaceholderText(sqlite ? tr("a file, relative to the project folder")
                                          : tr("the database name"));
}

bool ProfileDialog::fillFromUrl(const QString &url)
{
    if (url.isEmpty())
        return false;
    auto made = ConnectionProfile::fromUrl(url, m_projectDir);
    if (!made) {
        m_error->setText(made.error());
        return false;
    }
    m_error->clear();
    const ConnectionProfile &p = made.value();
    m_driver->setCurrentIndex(m_driver->findData(int(p.driver)));
    m_host->setText(p.host);
    m_port->setValue(p.port);
    m_database->setText(p.database);
    m_user->setText(p.user);
    m_options->setText(optionsText(p.options));
    if (!p.password.isEmpty())
        m_password->setText(p.password);
    m_versionTable->setText(p.versionTable);
    // Shown without its secrets; what Alembic is handed is the URL as given.
    m_url->setText(p.displayUrl());
    m_filledUrl = url;
    m_filledFields = connectionFields();
    return true;
}

QStringList ProfileDialog::connectionFields() const
{
    return {m_driver->currentData().toString(),
            m_host->text(),
            QString::number(m_port->value()),
            m_database->text(),
            m_user->text(),
            m_options->text()};
}

Result<ConnectionProfile> ProfileDialog::profile() const
{
    ConnectionProfile p;
    if (!m_filledUrl.isEmpty() && connectionFields() == m_filledFields) {
        auto made = ConnectionProfile::fromUrl(m_filledUrl, m_projectDir);
        if (!made)
            return made;
        p = made.value();
    } else {
        p.driver = ConnectionProfile::Driver(m_driver->currentData().toInt());
        p.host = m_host->text().trimmed();
        p.port = m_port->value();
        p.database = m_database->text().trimmed();
        p.user = m_user->text().trimmed();
        for (const QString &pair : m_options->text().split(u'&', Qt::SkipEmptyParts)) {
            const QString key = pair.section(u'=', 0, 0).trimmed();
            const QString value = pair.section(u'=', 1);
            if (key.isEmpty())
                return Result<ConnectionProfile>::failure(
                    tr("An option needs a name: write them as name=value&name=value."));
            if (SqlAlchemyUrl::isSecretKey(key))
                p.secretOptions.insert(key, value);
            else
                p.options.insert(key, value);
        }
        if (p.driver == ConnectionProfile::Driver::SQLite && !p.database.isEmpty() &&
            QDir::isRelativePath(p.database))
            p.database = QDir(m_projectDir).absoluteFilePath(p.database);
        if (p.driver != ConnectionProfile::Driver::SQLite && p.host.isEmpty())
            return Result<ConnectionProfile>::failure(tr("Say which host the database is on."));
    }
    p.name = m_name->text().trimmed();
    if (p.database.isEmpty())
        return Result<ConnectionProfile>::failure(p.driver == ConnectionProfile::Driver::SQLite
                                                      ? tr("Say which SQLite file to use.")
                                                      : tr("Say which database to use."));
    if (!m_password->text().isEmpty())
        p.password = m_password->text();
    if (!m_versionTable->text().trimmed().isEmpty())
        p.versionTable = m_versionTable->text().trimmed();
    p.shared = m_shared->isChecked();
    p.downgradesForbidden = m_forbid->isChecked();
    p.tag = m_tag->text().trimmed();
    p.color = m_color;
    return p;
}

void ProfileDialog::accept()
{
    const QString name = m_name->text().trimmed();
    QString problem;
    if (name.isEmpty())
        problem = tr("Give the database a name, such as dev or prod.");
    else if (m_taken.contains(name) || name == DatabaseMonitor::kProjectUrlName)
        problem = tr("Another database is already called %1.").arg(name);
    else if (auto p = profile(); !p)
        problem = p.error();
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        return;
    }
    QDialog::accept();
}

void ProfileDialog::startTest()
{
    const auto p = profile();
    if (!p) {
        m_testResult->setText(p.error());
        Q_EMIT testFinished(false, p.error());
        return;
    }
    const quint64 generation = ++m_testGeneration;
    m_test->setEnabled(false);
    m_testResult->setStyleSheet(QString());
    m_testResult->setText(tr("Connecting…"));
    auto *watcher = new QFutureWatcher<Result<QString>>(this);
    connect(watcher, &QFutureWatcher<Result<QString>>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_testGeneration)
            return;
        m_test->setEnabled(true);
        const Result<QString> r = watcher->result();
        const QString text = r ? r.value() : r.error();
        m_testResult->setStyleSheet(r ? QStringLiteral("color: #2e7d32")
                                      : QStringLiteral("color: #c62828"));
        m_testResult->setText(text);
        Q_EMIT testFinished(bool(r), text);
    });
    watcher->setFuture(
        QtConcurrent::run([profile = p.value()] { return DatabaseMonitor::test(profile, 5); }));
}

} // namespace Retort
