// native.cpp — Native block encoding (see native.h). Leaf types reuse the MergeTree bulk
// serialization (the same bytes: raw arrays, VarUInt-prefixed strings); composite types and
// LowCardinality differ from the part layout (cumulative offsets, one dictionary per block) and
// are written here.
#include "formats/native.h"

#include <cstring>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "types/create_column.h"

namespace basalt {

namespace {

template <typename T> void writePod(T v, std::string& out) { out.append(reinterpret_cast<const char*>(&v), sizeof(T)); }

class AppendStream final : public OutStream {
public:
    explicit AppendStream(std::string& out) : out_(out) {}
    void write(const char* data, size_t n) override { out_.append(data, n); }
private:
    std::string& out_;
};

// LowCardinality prefixes come before any column data, for every LowCardinality in the type tree.
void writePrefixes(const DataType& t, std::string& out) {
    if (t.id == TypeId::LowCardinality) {
        writePod<uint64_t>(1, out);   // KeysSerializationVersion::SharedDictionariesWithAdditionalKeys
        return;
    }
    if (t.isSimpleAggregate() || t.id == TypeId::AggregateFunction) return;
    for (auto& n : t.nested) writePrefixes(*n, out);
}

void readPrefixes(const DataType& t, InStream& in) {
    if (t.id == TypeId::LowCardinality) {
        uint64_t version = 0;
        in.readStrict(reinterpret_cast<char*>(&version), 8);
        if (version != 1) throw Exception(ErrorCodes::INCORRECT_DATA, "Invalid version for SerializationLowCardinality key column: " + std::to_string(version));
        return;
    }
    if (t.isSimpleAggregate() || t.id == TypeId::AggregateFunction) return;
    for (auto& n : t.nested) readPrefixes(*n, in);
}

void writeData(const DataType& t, const IColumn& col, size_t offset, size_t limit, std::string& out);

void writeLowCardinality(const DataType& t, const IColumn& col0, size_t offset, size_t limit, std::string& out) {
    ColumnPtr holder;
    const IColumn* colp = &col0;
    if (!col0.isLowCardinality()) {   // a full column declared LowCardinality: encode it
        auto lc = createColumn(t);
        lc->insertRangeFrom(col0, offset, limit);
        holder = std::move(lc);
        colp = holder.get();
        offset = 0;
    }
    auto& lc = static_cast<const ColumnLowCardinality&>(*colp);
    const DataType& dict_type = *t.nested[0];
    bool nullable = dict_type.isNullable();
    const IColumn& values = lc.getDictionaryValues();
    // The keys this range uses, renumbered densely; for a nullable dictionary key 0 is NULL.
    std::vector<uint32_t> remap(values.size(), UINT32_MAX);
    Permutation used;
    if (nullable) { remap[0] = 0; used.push_back(0); }
    PODArray<uint64_t> idx(limit);
    for (size_t i = 0; i < limit; ++i) {
        size_t k = lc.indexAt(offset + i);
        if (remap[k] == UINT32_MAX) { remap[k] = uint32_t(used.size()); used.push_back(uint32_t(k)); }
        idx[i] = remap[k];
    }
    size_t nkeys = used.size();
    uint64_t width = nkeys <= 0x100 ? 0 : nkeys <= 0x10000 ? 1 : nkeys <= (uint64_t(1) << 32) ? 2 : 3;
    writePod<uint64_t>(0x600 | width, out);   // HasAdditionalKeys | NeedUpdateDictionary | width
    writePod<uint64_t>(nkeys, out);
    // Keys are written with the dictionary type without Nullable (NULL's slot holds a default).
    ColumnPtr keys = values.permute(used, used.size());
    if (nullable) keys = static_cast<const ColumnNullable&>(*keys).getNestedPtr();
    writeData(*removeNullable(t.nested[0]), *keys, 0, nkeys, out);
    writePod<uint64_t>(limit, out);
    for (size_t i = 0; i < limit; ++i) {
        switch (width) {
            case 0: writePod<uint8_t>(uint8_t(idx[i]), out); break;
            case 1: writePod<uint16_t>(uint16_t(idx[i]), out); break;
            case 2: writePod<uint32_t>(uint32_t(idx[i]), out); break;
            default: writePod<uint64_t>(idx[i], out); break;
        }
    }
}

void writeData(const DataType& t, const IColumn& col0, size_t offset, size_t limit, std::string& out) {
    if (t.id == TypeId::LowCardinality) {
        if (limit) writeLowCardinality(t, col0, offset, limit, out);
        return;
    }
    ColumnPtr full = col0.isLowCardinality() ? static_cast<const ColumnLowCardinality&>(col0).convertToFull() : nullptr;
    const IColumn& col = full ? *full : col0;
    switch (t.id) {
        case TypeId::Nullable: {
            auto& c = static_cast<const ColumnNullable&>(col);
            out.append(reinterpret_cast<const char*>(c.getNullMap().data() + offset), limit);
            writeData(*t.nested[0], c.getNested(), offset, limit, out);
            return;
        }
        case TypeId::Array:
        case TypeId::Map: {
            auto& c = static_cast<const ColumnArray&>(col);
            size_t base = c.offsetAt(offset);
            for (size_t i = 0; i < limit; ++i) writePod<uint64_t>(c.offsetAt(offset + i + 1) - base, out);
            size_t n = c.offsetAt(offset + limit) - base;
            if (t.id == TypeId::Array) {
                writeData(*t.nested[0], c.getData(), base, n, out);
            } else {
                auto& kv = static_cast<const ColumnTuple&>(c.getData());
                writeData(*t.nested[0], kv.getColumn(0), base, n, out);
                writeData(*t.nested[1], kv.getColumn(1), base, n, out);
            }
            return;
        }
        case TypeId::Tuple: {
            auto& c = static_cast<const ColumnTuple&>(col);
            for (size_t i = 0; i < t.nested.size(); ++i) writeData(*t.nested[i], c.getColumn(i), offset, limit, out);
            return;
        }
        default: {
            if (!limit) return;
            AppendStream s(out);
            serializeBulk(t, col, offset, limit, "", [&](const std::string&) -> OutStream& { return s; });
        }
    }
}

uint64_t readU64(InStream& in) {
    uint64_t v = 0;
    in.readStrict(reinterpret_cast<char*>(&v), 8);
    return v;
}

constexpr uint64_t kMaxElements = uint64_t(1) << 32;
constexpr size_t kChunkRows = 65536;

void readData(const DataType& t, IColumn& col, size_t rows, InStream& in);

void readLowCardinality(const DataType& t, IColumn& col0, size_t rows, InStream& in) {
    uint64_t flags = readU64(in);
    uint64_t width = flags & 0xff;
    if ((flags & 0x100) || width > 3 || !(flags & 0x200))
        throw Exception(ErrorCodes::INCORRECT_DATA, "Unsupported LowCardinality serialization flags " + std::to_string(flags));
    uint64_t nkeys = readU64(in);
    if (nkeys > kMaxElements) throw Exception(ErrorCodes::INCORRECT_DATA, "Too many LowCardinality keys: " + std::to_string(nkeys));
    DataTypePtr key_type = removeNullable(t.nested[0]);
    auto keys = createColumn(key_type);
    readData(*key_type, *keys, nkeys, in);
    uint64_t n = readU64(in);
    if (n != rows) throw Exception(ErrorCodes::INCORRECT_DATA, "LowCardinality index count " + std::to_string(n) + " differs from the block's rows");
    bool nullable = t.nested[0]->isNullable();
    MutableColumnPtr holder;
    IColumn* colp = &col0;
    if (!col0.isLowCardinality()) {
        holder = createColumn(t);
        colp = holder.get();
    }
    auto& lc = static_cast<ColumnLowCardinality&>(*colp);
    // For a nullable dictionary key 0 stands for NULL: the keys become a Nullable column.
    MutableColumnPtr dictionary_keys = keys;
    if (nullable) {
        auto n = ColumnNullable::create(keys);
        if (nkeys) n->getNullMap()[0] = 1;
        dictionary_keys = n;
    }
    // Indexes arrive in chunks; each is checked against the keys before use.
    size_t key_bytes = size_t(1) << width;
    PODArray<uint32_t> idx;
    std::string raw;
    for (size_t done = 0; done < rows;) {
        size_t take = std::min(kChunkRows, rows - done);
        raw.resize(take * key_bytes);
        in.readStrict(raw.data(), raw.size());
        idx.resize(take);
        for (size_t i = 0; i < take; ++i) {
            uint64_t v = 0;
            std::memcpy(&v, raw.data() + i * key_bytes, key_bytes);
            if (v >= nkeys) throw Exception(ErrorCodes::INCORRECT_DATA, "LowCardinality index " + std::to_string(v) + " is out of its " + std::to_string(nkeys) + " keys");
            idx[i] = uint32_t(v);
        }
        lc.insertIndexed(*dictionary_keys, idx.data(), take);
        done += take;
    }
    if (holder) {
        ColumnPtr full = lc.convertToFull();
        col0.insertRangeFrom(*full, 0, full->size());
    }
}

void readData(const DataType& t, IColumn& col, size_t rows, InStream& in) {
    if (t.id == TypeId::LowCardinality) {
        if (rows) readLowCardinality(t, col, rows, in);
        return;
    }
    switch (t.id) {
        case TypeId::Nullable: {
            auto& c = static_cast<ColumnNullable&>(col);
            auto& map = c.getNullMap();
            for (size_t done = 0; done < rows;) {
                size_t take = std::min(kChunkRows, rows - done), old = map.size();
                map.resize(old + take);
                in.readStrict(reinterpret_cast<char*>(map.data() + old), take);
                done += take;
            }
            readData(*t.nested[0], c.getNested(), rows, in);
            return;
        }
        case TypeId::Array:
        case TypeId::Map: {
            auto& c = static_cast<ColumnArray&>(col);
            auto& offsets = c.getOffsets();
            uint64_t base = offsets.empty() ? 0 : offsets.back(), prev = 0;
            for (size_t done = 0; done < rows;) {
                size_t take = std::min(kChunkRows, rows - done), old = offsets.size();
                offsets.resize(old + take);
                in.readStrict(reinterpret_cast<char*>(offsets.data() + old), take * 8);
                for (size_t i = old; i < old + take; ++i) {
                    uint64_t v = offsets[i];
                    if (v < prev || v > kMaxElements) throw Exception(ErrorCodes::INCORRECT_DATA, "Malformed array offsets in Native data");
                    prev = v;
                    offsets[i] = base + v;
                }
                done += take;
            }
            if (t.id == TypeId::Array) {
                readData(*t.nested[0], c.getData(), prev, in);
            } else {
                auto& kv = static_cast<ColumnTuple&>(c.getData());
                readData(*t.nested[0], *kv.getColumnPtr(0), prev, in);
                readData(*t.nested[1], *kv.getColumnPtr(1), prev, in);
            }
            return;
        }
        case TypeId::Tuple: {
            auto& c = static_cast<ColumnTuple&>(col);
            for (size_t i = 0; i < t.nested.size(); ++i) readData(*t.nested[i], *c.getColumnPtr(i), rows, in);
            if (t.nested.empty()) for (size_t i = 0; i < rows; ++i) c.insertDefault();
            return;
        }
        default:
            // In chunks, so a forged row count allocates only as far as data really arrives.
            for (size_t done = 0; done < rows;) {
                size_t take = std::min(kChunkRows, rows - done);
                deserializeBulk(t, col, take, "", [&](const std::string&) -> InStream& { return in; });
                done += take;
            }
    }
}


}  // namespace

void writeNativeBlock(const Block& block, std::string& out, bool block_info) {
    if (block_info) {
        out.push_back(1); out.push_back(0);                 // is_overflows = 0
        out.push_back(2); writePod<int32_t>(-1, out);       // bucket_num = -1
        out.push_back(0);
    }
    size_t rows = block.columns() ? block.rows() : 0;
    writeVarUInt(block.columns(), out);
    writeVarUInt(rows, out);
    for (auto& c : block.data()) {
        writeStringBinary(c.name, out);
        writeStringBinary(c.type->name(), out);
        if (!rows) continue;
        writePrefixes(*c.type, out);
        writeData(*c.type, *c.column, 0, rows, out);
    }
}

Block readNativeBlock(InStream& in, bool block_info, const NativeLimits& limits) {
    if (block_info) {
        while (true) {
            uint64_t field = in.readVarUInt();
            if (field == 0) break;
            if (field == 1) {
                char b;
                in.readStrict(&b, 1);
            } else if (field == 2) {
                char b[4];
                in.readStrict(b, 4);
            } else {
                throw Exception(ErrorCodes::INCORRECT_DATA, "Unknown BlockInfo field number " + std::to_string(field));
            }
        }
    }
    uint64_t columns = in.readVarUInt(), rows = in.readVarUInt();
    if (columns > limits.max_columns) throw Exception(ErrorCodes::INCORRECT_DATA, "Too many columns in Native block: " + std::to_string(columns));
    if (rows > limits.max_rows) throw Exception(ErrorCodes::INCORRECT_DATA, "Too many rows in Native block: " + std::to_string(rows));
    Block block;
    for (uint64_t i = 0; i < columns; ++i) {
        std::string name = in.readStringBinary(1 << 16);
        std::string type_name = in.readStringBinary(1 << 16);
        DataTypePtr type = parseDataType(type_name);
        auto col = createColumn(type);
        if (rows) {
            readPrefixes(*type, in);
            readData(*type, *col, rows, in);
        }
        if (col->size() != rows) throw Exception(ErrorCodes::INCORRECT_DATA, "Column " + name + " of a Native block has " + std::to_string(col->size()) + " rows, expected " + std::to_string(rows));
        block.insert({std::move(col), type, name});
    }
    // A block without columns has no rows, whatever count it declares (as ClickHouse's reader, and
    // what writeNativeBlock writes): over the protocol it ends a client's data.
    return block;
}

}  // namespace basalt
