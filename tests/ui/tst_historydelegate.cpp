// The history delegate's painting, on an image: badges stay readable on a
// selected row, and badge hit-testing finds what was painted.
#include "core/graph/historymodel.h"
#include "ui/historydelegate.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QStandardItemModel>
#include <QTest>

using namespace Retort;

class TestHistoryDelegate : public QObject
{
    Q_OBJECT

private slots:
    // "needed by" is an outlined badge: its text takes the row's text colour,
    // which on a selected row is the highlighted text (light on blue), not
    // the normal text colour (dark on blue).
    void outlinedBadgesAreReadableWhenSelected()
    {
        QStandardItemModel model(1, HistoryModel::ColumnCount);
        const QModelIndex index = model.index(0, HistoryModel::MessageColumn);
        model.setData(index, QStringList{"needed-by:abc123"}, HistoryModel::BadgesRole);
        model.setData(index, QStringLiteral("a message"), Qt::DisplayRole);
        HistoryDelegate delegate;
        QStyleOptionViewItem option;
        option.rect = QRect(0, 0, 500, 24);
        option.state = QStyle::State_Selected | QStyle::State_Enabled;
        option.palette.setColor(QPalette::Highlight, QColor(0x2e, 0x5f, 0x9e));
        option.palette.setColor(QPalette::HighlightedText, Qt::white);
        option.palette.setColor(QPalette::Text, QColor(0x20, 0x20, 0x20));
        option.font = QApplication::font();
        QImage image(option.rect.size(), QImage::Format_ARGB32);
        image.fill(QColor(0x2e, 0x5f, 0x9e));
        {
            QPainter painter(&image);
            delegate.paint(&painter, option, index);
        }
        const auto badges = HistoryDelegate::badgeRects(option, index);
        QCOMPARE(badges.size(), 1);
        const QRect box = badges.first().second.toRect().adjusted(3, 3, -3, -3);
        int lightest = 0;
        for (int y = box.top(); y <= box.bottom(); ++y) {
            for (int x = box.left(); x <= box.right(); ++x)
                lightest = qMax(lightest, QColor(image.pixel(x, y)).lightness());
        }
        QVERIFY2(lightest > 200, qPrintable(QString::number(lightest)));
        QCOMPARE(HistoryDelegate::badgeAt(option, index, box.center()),
                 QStringLiteral("needed-by:abc123"));
        QCOMPARE(HistoryDelegate::badgeAt(option, index, QPoint(490, 12)), QString());
    }
};

QTEST_MAIN(TestHistoryDelegate)
#include "tst_historydelegate.moc"
