// part.h — one immutable MergeTree data part: its name/info, what it holds (columns, rows, granules,
// primary index, partition value, min/max of partition-key columns, file checksums), how it is
// written (writePart: temporary directory, fsync, atomic rename) and read (PartReader: rows of a
// granule range for a set of columns).
//
// Directory layout of part `<partition_id>_<min_block>_<max_block>_<level>[_<mutation>]`:
//   columns.txt        column names and types (ClickHouse's "columns format version: 1" text)
//   count.txt          row count
//   <stream>.bin       compressed column stream (see serialization.h for stream names)
//   <stream>.mrk2      marks: per granule (compressed offset, offset in block, rows), 3 x UInt64
//   primary.idx        primary-key expression values at the first row of each granule plus the
//                      last row of the part (marks + 1 rows), flat binary encoding
//   partition.dat      the partition-key value (one row), minmax_<col>.idx: min and max rows
//   skp_idx_<i>.idx    data-skipping index <i> (skip_index.h)
//   checksums.txt      size and CityHash128 of every other file; verified when the part is loaded
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "columns/block.h"
#include "storage/mergetree/file_io.h"

namespace basalt {

class ICompressionCodec;
using CodecPtr = std::shared_ptr<const ICompressionCodec>;
struct SkipIndexDescription;
struct SkipIndexGranules;

struct MergeTreePartInfo {
    std::string partition_id;
    int64_t min_block = 0;
    int64_t max_block = 0;
    uint32_t level = 0;
    int64_t mutation = 0;

    std::string name() const;
    static std::optional<MergeTreePartInfo> parse(const std::string& name);
    // True if this part's block range covers `o` (same partition) — `o` is superseded.
    bool contains(const MergeTreePartInfo& o) const {
        return partition_id == o.partition_id && min_block <= o.min_block && max_block >= o.max_block &&
               (level > o.level || (level == o.level && mutation >= o.mutation)) && !(*this == o);
    }
    bool operator==(const MergeTreePartInfo& o) const {
        return partition_id == o.partition_id && min_block == o.min_block && max_block == o.max_block && level == o.level && mutation == o.mutation;
    }
    bool operator<(const MergeTreePartInfo& o) const {
        if (partition_id != o.partition_id) return partition_id < o.partition_id;
        if (min_block != o.min_block) return min_block < o.min_block;
        if (max_block != o.max_block) return max_block < o.max_block;
        if (level != o.level) return level < o.level;
        return mutation < o.mutation;
    }
};

struct Mark {
    uint64_t compressed_offset;
    uint64_t offset_in_block;
    uint64_t rows;
};

struct NameAndType {
    std::string name;
    DataTypePtr type;
};

// What a table tells the part writer/reader about itself.
struct PartSchema {
    std::vector<NameAndType> columns;                 // physical columns, table order
    std::vector<std::string> codec_specs;              // per column: text inside CODEC(...), "" = default
    CodecPtr default_codec;
    std::vector<NameAndType> key_columns;             // primary-key expression results
    std::vector<NameAndType> partition_columns;        // partition-key expression results
    std::vector<NameAndType> minmax_columns;           // source columns of the partition key
    // Data-skipping indexes (skip_index.h). Writers get their expression columns after the primary
    // key columns, index by index.
    std::vector<std::shared_ptr<const SkipIndexDescription>> skip_indexes;
    size_t index_granularity = 8192;
    size_t min_compress_block_size = 65536;
    size_t max_compress_block_size = 1048576;
};

class MergeTreeDataPart {
public:
    MergeTreePartInfo info;
    std::string name;
    std::string path;                       // directory, ends with '/'
    uint64_t rows = 0;
    std::vector<NameAndType> columns;       // as stored (columns.txt)
    std::vector<uint64_t> granule_offsets;  // first row of each granule, plus rows at the end
    Block index;                            // key columns, marks() + 1 rows
    Block partition_value;                  // one row
    Block minmax;                           // two rows: min, max of the partition-key source columns
    // Skip indexes the part has (by index name), loaded with it; absent: built before the index existed.
    std::map<std::string, std::shared_ptr<const SkipIndexGranules>> skip_indexes;
    std::map<std::string, FileChecksum> checksums;
    std::map<std::string, std::vector<Mark>> marks;   // per stream
    uint64_t bytes_on_disk = 0, data_compressed_bytes = 0, data_uncompressed_bytes = 0;
    int64_t modification_time = 0;
    // Row TTL of the rows the table TTL would delete (unix seconds), from ttl.txt.
    bool has_ttl = false;
    int64_t ttl_min = 0, ttl_max = 0;
    // Column TTL: the earliest moment a value not yet reset to its default expires (ttl.txt):
    // a TTL merge is due for the part from then on.
    bool has_column_ttl = false;
    int64_t column_ttl_min = 0;

    // Set when the part is superseded (merged away, dropped): its directory is removed when the
    // last reader releases it.
    mutable std::atomic<bool> remove_on_destroy{false};
    ~MergeTreeDataPart();

    size_t marksCount() const { return granule_offsets.empty() ? 0 : granule_offsets.size() - 1; }
    bool hasColumn(const std::string& n) const;
    DataTypePtr columnType(const std::string& n) const;

    // Loads a committed part directory; verifies every file against checksums.txt (CHECKSUM_DOESNT_MATCH
    // / CORRUPTED_DATA on mismatch).
    static std::shared_ptr<MergeTreeDataPart> load(const std::string& path, const MergeTreePartInfo& info, const PartSchema& schema);
};
using DataPartPtr = std::shared_ptr<const MergeTreeDataPart>;
using MutableDataPartPtr = std::shared_ptr<MergeTreeDataPart>;

// Writes a new part into a `tmp_<prefix>_<name>` directory under table_dir, block by block (rows
// arrive sorted by the sorting key, with the evaluated primary-key columns beside them); granules
// of schema.index_granularity rows span block boundaries. finish() fsyncs every file and the
// directory; the caller publishes the part with commitPart().
class PartWriter {
public:
    PartWriter(const std::string& table_dir, const std::string& tmp_prefix, const MergeTreePartInfo& info, const PartSchema& schema);
    ~PartWriter();
    // `key_columns`: the primary-key columns, then the expression columns of every skip index.
    void write(const Block& block, const Block& key_columns);
    // Row TTL range of the rows written, and the next column-TTL expiry (stored as ttl.txt).
    void setTTL(int64_t min, int64_t max);
    void setColumnTTL(int64_t min);
    MutableDataPartPtr finish(const Block& partition_row);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One-shot form of PartWriter for a single sorted block.
MutableDataPartPtr writePartToTemp(const std::string& table_dir, const std::string& tmp_prefix, const MergeTreePartInfo& info,
                                   const PartSchema& schema, const Block& block, const Block& key_columns, const Block& partition_row);
// A new part directory `tmp_<prefix>_<info name>` holding hard links to `src`'s files: only the
// columns of `columns` (names after renaming; `renamed_from` maps a new name to its old one), with
// fresh columns.txt / checksums.txt. Cheap metadata mutations (DROP/RENAME COLUMN, mutations that
// match no row, ATTACH ... FROM, FREEZE) are built this way. Skip-index files are kept for the
// indexes of `schema` except those in `cleared_indexes` (DROP / CLEAR INDEX).
MutableDataPartPtr clonePartWithHardLinks(const MergeTreeDataPart& src, const std::string& table_dir, const std::string& tmp_prefix,
                                          const MergeTreePartInfo& info, const std::vector<NameAndType>& columns,
                                          const std::map<std::string, std::string>& renamed_from, const PartSchema& schema,
                                          const std::set<std::string>& cleared_indexes = {});
// Hard-links every file of a part directory into `dest_dir` (created).
void hardLinkDirectory(const std::string& src_dir, const std::string& dest_dir);

// Renames a written temporary part directory to its final name (atomic) and fsyncs the table dir.
void commitPart(MergeTreeDataPart& part, const std::string& table_dir);

// Reads granule ranges of one part.
// "s" for a name "s.size" (the `size` subcolumn of a String column `s`), else empty.
std::string stringSizeSubcolumnBase(const std::string& name);

class PartReader {
public:
    // `fill`: per column missing from the part (added by ALTER), a one-row column holding the value
    // to fill it with (its constant DEFAULT); absent columns without an entry get the type default.
    PartReader(DataPartPtr part, std::vector<NameAndType> columns, std::map<std::string, ColumnPtr> fill = {});
    ~PartReader();
    // Rows [first_granule, last_granule) as a block of the requested columns (types as requested;
    // columns missing from the part are filled with defaults).
    Block read(size_t first_granule, size_t last_granule);

    struct StreamState;   // one column file's cursor (part.cpp)

private:
    DataPartPtr part_;
    std::vector<NameAndType> columns_;
    std::map<std::string, ColumnPtr> fill_;
    std::map<std::string, std::unique_ptr<StreamState>> streams_;
};

// Casts columns a part stored with an older type (before ALTER MODIFY COLUMN) to `columns`' types;
// block columns are in the order of `columns`.
void conformToTypes(Block& block, const std::vector<NameAndType>& columns, const struct FunctionContext& ctx);

std::string formatColumnsTxt(const std::vector<NameAndType>& cols);
std::vector<NameAndType> parseColumnsTxt(const std::string& text);

}  // namespace basalt
