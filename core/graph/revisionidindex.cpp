// RevisionGraph's index of revision ids (see IdIndex in revisiongraph.h).
#include "revisiongraph.h"

#include <cstring>

namespace Retort {

// Ids are short and come from the project's own files: a simple
// multiply-xor hash over four UTF-16 units at a time is enough, and several
// times cheaper than a keyed hash.
quint32 RevisionGraph::IdIndex::hashOf(QStringView id)
{
    const char16_t *p = id.utf16();
    qsizetype n = id.size();
    quint64 h = 0x9e3779b97f4a7c15ULL ^ quint64(n);
    for (; n >= 4; p += 4, n -= 4) {
        quint64 v;
        std::memcpy(&v, p, sizeof v);
        h = (h ^ v) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    for (; n > 0; ++p, --n)
        h = (h ^ *p) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 29;
    return quint32(h);
}

void RevisionGraph::IdKey::set(QStringView id)
{
    if (id.size() > qsizetype(std::size(units))) {
        length = kLong;
        return;
    }
    length = quint16(id.size());
    std::copy(id.utf16(), id.utf16() + id.size(), units);
}

void RevisionGraph::IdIndex::reserve(int count, std::unique_ptr<IdKey[]> keys)
{
    quint32 capacity = 16;
    while (capacity < quint32(count) * 2)
        capacity *= 2;
    m_hashes.assign(capacity, 0);
    m_slots.assign(capacity, 0);
    m_mask = capacity - 1;
    m_keys = std::move(keys);
    m_fileOf.reserve(size_t(count));
}

// The index whose slot holds hash `h` and whose key `matches`, or -1.
template<typename Matches> int RevisionGraph::IdIndex::probe(quint32 h, Matches matches) const
{
    if (m_slots.empty())
        return -1;
    for (quint32 at = h & m_mask;; at = (at + 1) & m_mask) {
        const int slot = m_slots[at];
        if (slot == 0)
            return -1;
        if (m_hashes[at] == h && matches(slot - 1, m_keys[size_t(m_fileOf[size_t(slot - 1)])]))
            return slot - 1;
    }
}

int RevisionGraph::IdIndex::find(const Revision *revisions, QStringView id, quint32 h) const
{
    return probe(h, [&](int index, const IdKey &key) {
        return key.isLong() ? revisions[index].id == id : key.is(id);
    });
}

int RevisionGraph::IdIndex::find(const IdKey &key, quint32 h) const
{
    return probe(h, [&key](int, const IdKey &mine) {
        return mine.length == key.length &&
               std::equal(key.units, key.units + key.length, mine.units);
    });
}

void RevisionGraph::IdIndex::insert(quint32 h, int file)
{
    // Callers insert each id once (they look it up first).
    const int index = int(m_fileOf.size());
    m_fileOf.push_back(file);
    quint32 at = h & m_mask;
    while (m_slots[at] != 0)
        at = (at + 1) & m_mask;
    m_hashes[at] = h;
    m_slots[at] = index + 1;
}

} // namespace Retort
