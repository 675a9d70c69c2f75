// Times the static reader alone, on files already in memory, single-threaded:
// the parse cost per byte without the filesystem. Usage: bench_reader DIR
#include "core/graph/revisiongraph.h"
#include "core/script/pythontokenizer.h"
#include "core/script/revisionreader.h"
#include "core/script/revisionscanner.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace Retort;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_reader VERSIONS_DIR\n");
        return 2;
    }
    auto config = ProjectConfig::fromVersionsFolder(QString::fromLocal8Bit(argv[1]));
    if (!config) {
        std::fprintf(stderr, "%s\n", qPrintable(config.error()));
        return 1;
    }
    QElapsedTimer listTimer;
    listTimer.start();
    const QStringList paths = RevisionScanner::listFiles(config.value(), nullptr);
    const qint64 listNs = listTimer.nsecsElapsed();
    QList<QByteArray> contents;
    qint64 bytes = 0;
    for (const QString &p : paths) {
        QByteArray b;
        QString error;
        RevisionScanner::readBytes(p, &b, &error);
        bytes += b.size();
        contents.append(b);
    }
    QElapsedTimer t;
    t.start();
    PythonTokenizer::Tokens tokens;
    qint64 count = 0;
    for (const QByteArray &b : std::as_const(contents)) {
        PythonTokenizer tok(b);
        tok.tokenize(tokens, PythonTokenizer::SkipTrivia);
        count += tokens.size();
    }
    const qint64 tokenizeNs = t.nsecsElapsed();
    t.restart();
    QList<RevisionFile> files;
    files.reserve(paths.size());
    for (int i = 0; i < paths.size(); ++i)
        files.append(RevisionReader::read(contents.at(i), paths.at(i)));
    const qint64 readNs = t.nsecsElapsed();
    t.restart();
    // What `retort heads` reads: identifiers and docstring only.
    qint64 headerNs = 0;
    {
        QList<RevisionFile> headers;
        headers.reserve(paths.size());
        for (int i = 0; i < paths.size(); ++i)
            headers.append(
                RevisionReader::read(contents.at(i), paths.at(i), RevisionReader::Detail::Header));
        headerNs = t.nsecsElapsed(); // not freeing them: `retort heads` never does
    }
    t.restart();
    const RevisionGraph graph = RevisionGraph::build(files);
    const qint64 buildNs = t.nsecsElapsed();
    std::printf("%lld files, %lld bytes, %lld tokens\n", qint64(paths.size()), bytes, count);
    std::printf("list:     %.1f ms\n", listNs / 1e6);
    std::printf("tokenize: %.1f ms (%.2f ns/byte)\n", tokenizeNs / 1e6, double(tokenizeNs) / bytes);
    std::printf("read:     %.1f ms (%.2f ns/byte, tokenizing included)\n", readNs / 1e6,
                double(readNs) / bytes);
    std::printf("header:   %.1f ms (%.2f ns/byte, what heads reads)\n", headerNs / 1e6,
                double(headerNs) / bytes);
    std::printf("graph:    %.1f ms for %d revisions\n", buildNs / 1e6, graph.size());
    return 0;
}
