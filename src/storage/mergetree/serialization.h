// serialization.h — how a column is laid out in a MergeTree part: the substreams of a type and the
// bulk binary encoding of a run of rows into them (and back).
//
// Streams follow ClickHouse's Wide-part layout: a column `c` of a plain type is one stream `c`;
// Nullable adds `c.null` (UInt8 map, 1 = NULL) before the nested streams; Array adds `c.size0`
// (UInt64 element count per row; `size1`, ... for deeper levels) and its elements continue in the
// nested streams; Tuple elements are `c.<name>` (or `c.1`, `c.2` unnamed); Map is
// Array(Tuple(keys, values)). Fixed-width values are written as raw little-endian arrays, String as
// varint length + bytes (what ClickHouse writes; the lengths compress to almost nothing).
//
// Encoding works on runs of rows (a granule at a time), never per value through a virtual call:
// each stream is an OutStream/InStream with an inline buffer cursor.
#pragma once
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "columns/column.h"
#include "types/data_type.h"

namespace basalt {

// A byte sink (a compressed column file, a memory buffer).
class OutStream {
public:
    virtual ~OutStream() = default;
    virtual void write(const char* data, size_t n) = 0;
};

// A byte source with an exposed buffer window [pos, end): readers consume inline and call
// nextBuffer() only when the window is exhausted (once per decompressed block).
class InStream {
public:
    virtual ~InStream() = default;
    const char* pos = nullptr;
    const char* end = nullptr;
    // Refills [pos, end); false at end of data.
    virtual bool nextBuffer() = 0;

    // Throws CANNOT_READ_ALL_DATA (33) if the stream ends first.
    void readStrict(char* dst, size_t n);
    uint64_t readVarUInt();
    // VarUInt length + bytes; TOO_LARGE_STRING_SIZE (131) past `max` (before allocating).
    std::string readStringBinary(size_t max);
};

// LEB128 VarUInt, and String = VarUInt length + bytes: ClickHouse's binary encodings, shared by the
// column streams, the Native format and the native protocol.
void writeVarUInt(uint64_t x, std::string& out);
void writeStringBinary(std::string_view s, std::string& out);

class StringOutStream final : public OutStream {
public:
    void write(const char* data, size_t n) override { buf.append(data, n); }
    std::string buf;
};

class MemoryInStream final : public InStream {
public:
    MemoryInStream(const char* data, size_t n) { pos = data; end = data + n; }
    bool nextBuffer() override { return false; }
};

// Stream names of `type` stored under column name `name` (escaped for file names by the caller).
void enumerateStreams(const DataType& type, const std::string& name, std::vector<std::string>& out);

using OutStreamGetter = std::function<OutStream&(const std::string& stream)>;
using InStreamGetter = std::function<InStream&(const std::string& stream)>;

// Writes rows [offset, offset + limit) of `column` (layout of `type`) into its streams.
void serializeBulk(const DataType& type, const IColumn& column, size_t offset, size_t limit, const std::string& name,
                   const OutStreamGetter& get);
// Appends `limit` rows read from the streams to `column`.
void deserializeBulk(const DataType& type, IColumn& column, size_t limit, const std::string& name, const InStreamGetter& get);

// One column value (or whole small column) to/from a single stream: partition values, min/max
// indexes, the primary index. Same encoding as the bulk form, with substreams concatenated.
void serializeColumnFlat(const DataType& type, const IColumn& column, OutStream& out);
void deserializeColumnFlat(const DataType& type, IColumn& column, size_t rows, InStream& in);
// The `size` subcolumn of a String stream (ClickHouse's `s.size`): appends the length of each of
// `limit` values to `sizes` and skips their bytes — `length(s)` and `s != ''` without copying them.
void readStringSizes(PODArray<uint64_t>& sizes, size_t limit, InStream& in);

// ClickHouse's escapeForFileName: keeps [A-Za-z0-9_], writes every other byte as %XX.
std::string escapeForFileName(const std::string& s);

}  // namespace basalt
