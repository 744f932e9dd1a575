// serialization.cpp — MergeTree column streams (see serialization.h).
#include "storage/mergetree/serialization.h"

#include <algorithm>
#include <unordered_map>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "types/create_column.h"

namespace basalt {

void InStream::readStrict(char* dst, size_t n) {
    while (n) {
        if (pos == end && !nextBuffer())
            throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Cannot read all data: stream ended " + std::to_string(n) + " bytes early");
        size_t k = std::min<size_t>(n, end - pos);
        std::memcpy(dst, pos, k);
        pos += k;
        dst += k;
        n -= k;
    }
}

uint64_t InStream::readVarUInt() {
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (pos == end && !nextBuffer())
            throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Cannot read all data: stream ended inside a varint");
        uint8_t b = uint8_t(*pos++);
        x |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80)) return x;
    }
    throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Malformed varint in column stream");
}

std::string InStream::readStringBinary(size_t max) {
    uint64_t n = readVarUInt();
    if (n > max) throw Exception(ErrorCodes::TOO_LARGE_STRING_SIZE, "Too large string size: " + std::to_string(n) + " bytes");
    std::string s(n, '\0');
    readStrict(s.data(), n);
    return s;
}

void writeVarUInt(uint64_t x, std::string& out) {
    while (x >= 0x80) { out.push_back(char(uint8_t(x) | 0x80)); x >>= 7; }
    out.push_back(char(x));
}

void writeStringBinary(std::string_view s, std::string& out) {
    writeVarUInt(s.size(), out);
    out.append(s.data(), s.size());
}

namespace {

const DataType& physical(const DataType& t) { return t; }

void enumerateImpl(const DataType& t0, const std::string& name, size_t array_level, std::vector<std::string>& out) {
    const DataType& t = physical(t0);
    switch (t.id) {
        case TypeId::LowCardinality:
            // One stream of granule dictionaries and indexes (see serializeLowCardinality).
            out.push_back(name);
            return;
        case TypeId::Nullable:
            out.push_back(name + ".null");
            enumerateImpl(*t.nested[0], name, array_level, out);
            return;
        case TypeId::Array:
            out.push_back(name + ".size" + std::to_string(array_level));
            enumerateImpl(*t.nested[0], name, array_level + 1, out);
            return;
        case TypeId::Map:
            out.push_back(name + ".size" + std::to_string(array_level));
            enumerateImpl(*t.nested[0], name + ".keys", array_level + 1, out);
            enumerateImpl(*t.nested[1], name + ".values", array_level + 1, out);
            return;
        case TypeId::Tuple:
            for (size_t i = 0; i < t.nested.size(); ++i)
                enumerateImpl(*t.nested[i], name + "." + (i < t.element_names.size() && !t.element_names[i].empty() ? t.element_names[i] : std::to_string(i + 1)),
                              array_level, out);
            return;
        default:
            out.push_back(name);
    }
}

std::string tupleElementName(const DataType& t, size_t i, const std::string& name) {
    return name + "." + (i < t.element_names.size() && !t.element_names[i].empty() ? t.element_names[i] : std::to_string(i + 1));
}

// LowCardinality(T): per written run of rows (a granule, or a granule's tail) one chunk
//   varint rows, varint keys, keys (T, flat encoding), u8 index width (1/2/4), indexes
// holding only the values the run uses — the dictionary is read once per granule and rows are
// remapped, never hashed (ClickHouse keeps a similar per-granule dictionary in `.dict` streams).
void serializeLowCardinality(const DataType& t, const IColumn& col0, size_t offset, size_t limit, OutStream& out) {
    ColumnPtr holder;
    const IColumn* colp = &col0;
    if (!col0.isLowCardinality()) {
        auto lc = createColumn(t);
        static_cast<ColumnLowCardinality&>(*lc).insertRangeFromFull(col0, offset, limit);
        holder = std::move(lc);
        colp = holder.get();
        offset = 0;
    }
    const auto& lc = static_cast<const ColumnLowCardinality&>(*colp);
    const IColumn& dict = lc.getDictionaryValues();
    // Dictionary rows used by the run, in first-use order, and each row's position among them.
    PODArray<uint32_t> positions(limit);
    std::vector<uint32_t> used;
    std::vector<int32_t> slot;
    std::unordered_map<size_t, uint32_t> slot_map;
    bool dense = dict.size() <= 4 * limit + 1024;
    if (dense) slot.assign(dict.size(), -1);
    for (size_t i = 0; i < limit; ++i) {
        size_t d = lc.indexAt(offset + i);
        uint32_t p;
        if (dense) {
            if (slot[d] < 0) { slot[d] = int32_t(used.size()); used.push_back(uint32_t(d)); }
            p = uint32_t(slot[d]);
        } else {
            auto [it, inserted] = slot_map.try_emplace(d, uint32_t(used.size()));
            if (inserted) used.push_back(uint32_t(d));
            p = it->second;
        }
        positions[i] = p;
    }
    auto keys = dict.cloneEmpty();
    keys->reserve(used.size());
    for (uint32_t d : used) keys->insertFrom(dict, d);
    std::string head;
    writeVarUInt(limit, head);
    writeVarUInt(used.size(), head);
    out.write(head.data(), head.size());
    serializeColumnFlat(*t.nested[0], *keys, out);
    uint8_t width = used.size() <= 256 ? 1 : used.size() <= 65536 ? 2 : 4;
    out.write(reinterpret_cast<const char*>(&width), 1);
    if (width == 1) {
        PODArray<uint8_t> idx(limit);
        for (size_t i = 0; i < limit; ++i) idx[i] = uint8_t(positions[i]);
        out.write(reinterpret_cast<const char*>(idx.data()), limit);
    } else if (width == 2) {
        PODArray<uint16_t> idx(limit);
        for (size_t i = 0; i < limit; ++i) idx[i] = uint16_t(positions[i]);
        out.write(reinterpret_cast<const char*>(idx.data()), limit * 2);
    } else {
        out.write(reinterpret_cast<const char*>(positions.data()), limit * 4);
    }
}

void serializeImpl(const DataType& t0, const IColumn& col, size_t offset, size_t limit, const std::string& name, size_t level,
                   const OutStreamGetter& get) {
    if (t0.id == TypeId::LowCardinality) {
        if (limit) serializeLowCardinality(t0, col, offset, limit, get(name));
        return;
    }
    const DataType& t = physical(t0);
    switch (t.id) {
        case TypeId::Nullable: {
            auto& c = static_cast<const ColumnNullable&>(col);
            get(name + ".null").write(reinterpret_cast<const char*>(c.getNullMap().data() + offset), limit);
            serializeImpl(*t.nested[0], c.getNested(), offset, limit, name, level, get);
            return;
        }
        case TypeId::Array:
        case TypeId::Map: {
            auto& c = static_cast<const ColumnArray&>(col);
            PODArray<uint64_t> sizes(limit);
            for (size_t i = 0; i < limit; ++i) sizes[i] = c.sizeAt(offset + i);
            get(name + ".size" + std::to_string(level)).write(reinterpret_cast<const char*>(sizes.data()), limit * 8);
            size_t begin = c.offsetAt(offset), finish = limit ? c.offsetAt(offset + limit) : begin;
            if (t.id == TypeId::Array) {
                serializeImpl(*t.nested[0], c.getData(), begin, finish - begin, name, level + 1, get);
            } else {
                auto& kv = static_cast<const ColumnTuple&>(c.getData());
                serializeImpl(*t.nested[0], kv.getColumn(0), begin, finish - begin, name + ".keys", level + 1, get);
                serializeImpl(*t.nested[1], kv.getColumn(1), begin, finish - begin, name + ".values", level + 1, get);
            }
            return;
        }
        case TypeId::Tuple: {
            auto& c = static_cast<const ColumnTuple&>(col);
            for (size_t i = 0; i < t.nested.size(); ++i)
                serializeImpl(*t.nested[i], c.getColumn(i), offset, limit, tupleElementName(t, i, name), level, get);
            return;
        }
        case TypeId::String: case TypeId::AggregateFunction: {
            auto& c = static_cast<const ColumnString&>(col);
            std::string buf;
            size_t payload = c.offsetAt(offset + limit) - c.offsetAt(offset);
            buf.reserve(payload + limit * 2);
            for (size_t i = offset; i < offset + limit; ++i) {
                std::string_view v = c.getView(i);
                writeVarUInt(v.size(), buf);
                buf.append(v.data(), v.size());
            }
            get(name).write(buf.data(), buf.size());
            return;
        }
        case TypeId::FixedString: {
            auto& c = static_cast<const ColumnFixedString&>(col);
            get(name).write(c.getChars().data() + offset * c.getN(), limit * c.getN());
            return;
        }
        default: {
            size_t w = col.valueSizeOfFixed();
            if (!w) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Type " + t.name() + " cannot be stored in a MergeTree part yet");
            OutStream& out = get(name);
            if (limit) out.write(col.rawData() + offset * w, limit * w);
        }
    }
}

template <typename T>
void readFixedInto(PODArray<T>& data, size_t limit, InStream& in) {
    size_t old = data.size();
    data.resize(old + limit);
    in.readStrict(reinterpret_cast<char*>(data.data() + old), limit * sizeof(T));
}

// A String value's length at the cursor [pos, end) of `in`: a one-byte length inline, longer
// ones through readVarUInt (the cursor synced around it); past 1 GiB the data is corrupt, which is
// caught before anything is allocated for it.
inline uint64_t readStringLength(const char*& pos, const char*& end, InStream& in) {
    uint64_t len;
    if (pos < end && !(uint8_t(*pos) & 0x80)) {
        len = uint8_t(*pos++);
    } else {
        in.pos = pos;
        len = in.readVarUInt();
        pos = in.pos;
        end = in.end;
    }
    if (len > (uint64_t(1) << 30))
        throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Too large string size in column stream: " + std::to_string(len));
    return len;
}

void readStrings(ColumnString& c, size_t limit, InStream& in) {
    auto& offsets = c.getOffsets();
    auto& chars = c.getChars();
    const size_t first = offsets.size();
    offsets.resize(first + limit);
    uint64_t* off = offsets.data() + first;
    size_t size = chars.size(), i = 0;
    // The window's cursor is kept in a local (stores through `chars` could alias in.pos, and the
    // compiler would write it back on every value) and synced around the slow-path calls.
    const char* pos = in.pos;
    const char* end = in.end;
    try {
        for (; i < limit; ++i) {
            const uint64_t len = readStringLength(pos, end, in);
            // Room for the value and 16 bytes past it (the chunked copy below may write them);
            // the chars' size is set once at the end, not per value.
            if (size + len + 16 > chars.capacity()) {
                chars.resize(size);
                chars.reserve(std::max({chars.capacity() * 2, size + len + 16, size_t(256)}));
            }
            char* dst = chars.data() + size;
            if (size_t(end - pos) >= len + 16) {
                // Values are short (URLs, phrases): 16-byte chunks instead of a memcpy call per
                // value, as ClickHouse's deserializeBinarySSE2. Both buffers have the slack.
                for (size_t j = 0; j < len; j += 16) std::memcpy(dst + j, pos + j, 16);
                pos += len;
            } else {
                in.pos = pos;
                in.readStrict(dst, len);
                pos = in.pos;
                end = in.end;
            }
            size += len;
            off[i] = size;
        }
    } catch (...) {
        offsets.resize(first + i);
        chars.resize(size);
        throw;
    }
    in.pos = pos;
    chars.resize(size);
}

}  // namespace

void readStringSizes(PODArray<uint64_t>& sizes, size_t limit, InStream& in) {
    const size_t first = sizes.size();
    sizes.resize(first + limit);
    uint64_t* out = sizes.data() + first;
    size_t i = 0;
    const char* pos = in.pos;
    const char* end = in.end;
    try {
        for (; i < limit; ++i) {
            uint64_t len = readStringLength(pos, end, in);
            out[i] = len;
            // The bytes are skipped, across windows when the value continues past this one.
            while (len > size_t(end - pos)) {
                len -= size_t(end - pos);
                in.pos = end;
                if (!in.nextBuffer())
                    throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Cannot read all data: stream ended " + std::to_string(len) + " bytes early");
                pos = in.pos;
                end = in.end;
            }
            pos += len;
        }
    } catch (...) {
        sizes.resize(first + i);
        throw;
    }
    in.pos = pos;
}

namespace {

// Reads chunks written by serializeLowCardinality until `limit` rows are appended.
void deserializeLowCardinality(const DataType& t, IColumn& col0, size_t limit, InStream& in) {
    MutableColumnPtr holder;
    IColumn* colp = &col0;
    if (!col0.isLowCardinality()) {
        holder = createColumn(t);
        colp = holder.get();
    }
    auto& lc = static_cast<ColumnLowCardinality&>(*colp);
    size_t done = 0;
    while (done < limit) {
        uint64_t rows = in.readVarUInt(), nkeys = in.readVarUInt();
        if (rows == 0 || rows > limit - done || nkeys > rows || nkeys > (uint64_t(1) << 32))
            throw Exception(ErrorCodes::CORRUPTED_DATA, "Malformed LowCardinality granule in column stream");
        auto keys = createColumn(*t.nested[0]);
        deserializeColumnFlat(*t.nested[0], *keys, nkeys, in);
        uint8_t width = 0;
        in.readStrict(reinterpret_cast<char*>(&width), 1);
        if (width == 1) {
            PODArray<uint8_t> idx(rows);
            in.readStrict(reinterpret_cast<char*>(idx.data()), rows);
            lc.insertIndexed(*keys, idx.data(), rows);
        } else if (width == 2) {
            PODArray<uint16_t> idx(rows);
            in.readStrict(reinterpret_cast<char*>(idx.data()), rows * 2);
            lc.insertIndexed(*keys, idx.data(), rows);
        } else if (width == 4) {
            PODArray<uint32_t> idx(rows);
            in.readStrict(reinterpret_cast<char*>(idx.data()), rows * 4);
            lc.insertIndexed(*keys, idx.data(), rows);
        } else {
            throw Exception(ErrorCodes::CORRUPTED_DATA, "Malformed LowCardinality index width in column stream");
        }
        done += rows;
    }
    if (holder) {
        ColumnPtr full = lc.convertToFull();
        col0.insertRangeFrom(*full, 0, full->size());
    }
}

void deserializeImpl(const DataType& t0, IColumn& col, size_t limit, const std::string& name, size_t level, const InStreamGetter& get) {
    if (t0.id == TypeId::LowCardinality) {
        if (limit) deserializeLowCardinality(t0, col, limit, get(name));
        return;
    }
    const DataType& t = physical(t0);
    switch (t.id) {
        case TypeId::Nullable: {
            auto& c = static_cast<ColumnNullable&>(col);
            readFixedInto(c.getNullMap(), limit, get(name + ".null"));
            deserializeImpl(*t.nested[0], c.getNested(), limit, name, level, get);
            return;
        }
        case TypeId::Array:
        case TypeId::Map: {
            auto& c = static_cast<ColumnArray&>(col);
            auto& offsets = c.getOffsets();
            size_t old = offsets.size();
            readFixedInto(offsets, limit, get(name + ".size" + std::to_string(level)));
            uint64_t base = old ? offsets[old - 1] : 0, total = 0;
            for (size_t i = old; i < old + limit; ++i) {
                uint64_t sz = offsets[i];
                if (sz > (uint64_t(1) << 32) || total + sz > (uint64_t(1) << 34))
                    throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Too large array size in column stream: " + std::to_string(sz));
                total += sz;
                offsets[i] = base + total;
            }
            if (t.id == TypeId::Array) {
                deserializeImpl(*t.nested[0], c.getData(), total, name, level + 1, get);
            } else {
                auto& kv = static_cast<ColumnTuple&>(c.getData());
                deserializeImpl(*t.nested[0], *kv.getColumnPtr(0), total, name + ".keys", level + 1, get);
                deserializeImpl(*t.nested[1], *kv.getColumnPtr(1), total, name + ".values", level + 1, get);
            }
            return;
        }
        case TypeId::Tuple: {
            auto& c = static_cast<ColumnTuple&>(col);
            for (size_t i = 0; i < t.nested.size(); ++i)
                deserializeImpl(*t.nested[i], *c.getColumnPtr(i), limit, tupleElementName(t, i, name), level, get);
            if (t.nested.empty()) for (size_t i = 0; i < limit; ++i) c.insertDefault();
            return;
        }
        case TypeId::String: case TypeId::AggregateFunction:
            readStrings(static_cast<ColumnString&>(col), limit, get(name));
            return;
        case TypeId::FixedString: {
            auto& c = static_cast<ColumnFixedString&>(col);
            readFixedInto(c.getChars(), limit * c.getN(), get(name));
            return;
        }
        default: {
            size_t w = col.valueSizeOfFixed();
            if (!w) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Type " + t.name() + " cannot be read from a MergeTree part yet");
            // Fixed-width columns are PODArrays of w-byte values: grow by inserting defaults, then
            // overwrite the new tail in place.
            InStream& in = get(name);
            if (!limit) return;
            size_t old = col.size();
            col.insertManyDefaults(limit);
            in.readStrict(const_cast<char*>(col.rawData()) + old * w, limit * w);
        }
    }
}

}  // namespace

void enumerateStreams(const DataType& type, const std::string& name, std::vector<std::string>& out) {
    enumerateImpl(type, name, 0, out);
}

void serializeBulk(const DataType& type, const IColumn& column, size_t offset, size_t limit, const std::string& name,
                   const OutStreamGetter& get) {
    serializeImpl(type, column, offset, limit, name, 0, get);
}

void deserializeBulk(const DataType& type, IColumn& column, size_t limit, const std::string& name, const InStreamGetter& get) {
    deserializeImpl(type, column, limit, name, 0, get);
}

void serializeColumnFlat(const DataType& type, const IColumn& column, OutStream& out) {
    serializeImpl(type, column, 0, column.size(), "", 0, [&](const std::string&) -> OutStream& { return out; });
}

void deserializeColumnFlat(const DataType& type, IColumn& column, size_t rows, InStream& in) {
    deserializeImpl(type, column, rows, "", 0, [&](const std::string&) -> InStream& { return in; });
}

std::string escapeForFileName(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string r;
    for (unsigned char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') r.push_back(char(c));
        else { r.push_back('%'); r.push_back(hex[c >> 4]); r.push_back(hex[c & 15]); }
    }
    return r;
}

}  // namespace basalt
