// part.cpp — writing, loading and reading MergeTree parts (see part.h).
#include "storage/mergetree/part.h"

#include <cctype>
#include <filesystem>
#include <sstream>
#include <sys/stat.h>

#include "common/exception.h"
#include "compression/codec.h"
#include "compression/compressed_file.h"
#include "functions/cast.h"
#include "storage/mergetree/compressed_stream.h"
#include "storage/mergetree/serialization.h"
#include "storage/mergetree/skip_index.h"
#include "types/create_column.h"

namespace fs = std::filesystem;

namespace basalt {

// ---------------------------------------------------------------- names
std::string MergeTreePartInfo::name() const {
    std::string s = partition_id + "_" + std::to_string(min_block) + "_" + std::to_string(max_block) + "_" + std::to_string(level);
    if (mutation) s += "_" + std::to_string(mutation);
    return s;
}

std::optional<MergeTreePartInfo> MergeTreePartInfo::parse(const std::string& name) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : name) {
        if (c == '_') { parts.push_back(cur); cur.clear(); }
        else cur.push_back(c);
    }
    parts.push_back(cur);
    if (parts.size() != 4 && parts.size() != 5) return std::nullopt;
    auto num = [](const std::string& s, int64_t& out) {
        if (s.empty() || s.size() > 18) return false;
        int64_t v = 0;
        for (char c : s) { if (c < '0' || c > '9') return false; v = v * 10 + (c - '0'); }
        out = v;
        return true;
    };
    MergeTreePartInfo info;
    info.partition_id = parts[0];
    if (info.partition_id.empty()) return std::nullopt;
    int64_t level = 0;
    if (!num(parts[1], info.min_block) || !num(parts[2], info.max_block) || !num(parts[3], level)) return std::nullopt;
    if (level > 1000000000 || info.min_block > info.max_block) return std::nullopt;
    info.level = uint32_t(level);
    if (parts.size() == 5 && !num(parts[4], info.mutation)) return std::nullopt;
    return info;
}

// ---------------------------------------------------------------- columns.txt
std::string formatColumnsTxt(const std::vector<NameAndType>& cols) {
    std::string s = "columns format version: 1\n" + std::to_string(cols.size()) + " columns:\n";
    for (auto& c : cols) {
        s += "`";
        for (char ch : c.name) { if (ch == '`' || ch == '\\') s += '\\'; if (ch == '\n') { s += "\\n"; continue; } s += ch; }
        s += "` " + c.type->name() + "\n";
    }
    return s;
}

std::vector<NameAndType> parseColumnsTxt(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    auto bad = [&](const std::string& why) {
        return Exception(ErrorCodes::CORRUPTED_DATA, "Cannot parse columns.txt: " + why);
    };
    if (!std::getline(in, line) || line != "columns format version: 1") throw bad("bad header");
    if (!std::getline(in, line)) throw bad("no count");
    size_t n = std::strtoull(line.c_str(), nullptr, 10);
    std::vector<NameAndType> cols;
    for (size_t i = 0; i < n; ++i) {
        if (!std::getline(in, line) || line.empty() || line[0] != '`') throw bad("bad column line");
        std::string name;
        size_t p = 1;
        for (; p < line.size() && line[p] != '`'; ++p) {
            if (line[p] == '\\' && p + 1 < line.size()) { ++p; name += line[p] == 'n' ? '\n' : line[p]; }
            else name += line[p];
        }
        if (p + 2 > line.size()) throw bad("bad column line");
        cols.push_back({name, parseDataType(line.substr(p + 2))});
    }
    return cols;
}

// ---------------------------------------------------------------- part object
MergeTreeDataPart::~MergeTreeDataPart() {
    if (remove_on_destroy.load()) {
        // Rename first (atomic), then delete: a crash mid-delete leaves a delete_tmp_* directory
        // that startup discards, never a half-deleted part that looks like a damaged one.
        std::error_code ec;
        fs::path dir = fs::path(path).parent_path();
        fs::path doomed = dir.parent_path() / ("delete_tmp_" + dir.filename().string());
        fs::rename(dir, doomed, ec);
        fs::remove_all(ec ? dir : doomed, ec);
    }
}

bool MergeTreeDataPart::hasColumn(const std::string& n) const {
    for (auto& c : columns) if (c.name == n) return true;
    return false;
}

DataTypePtr MergeTreeDataPart::columnType(const std::string& n) const {
    for (auto& c : columns) if (c.name == n) return c.type;
    return nullptr;
}

namespace {

std::string marksFile(const std::string& stream) { return stream + ".mrk2"; }
std::string dataFile(const std::string& stream) { return stream + ".bin"; }

std::vector<std::string> columnStreams(const NameAndType& c) {
    std::vector<std::string> s;
    enumerateStreams(*c.type, escapeForFileName(c.name), s);
    return s;
}

std::string serializeBlockFlat(const Block& b) {
    StringOutStream out;
    for (auto& c : b.data()) serializeColumnFlat(*c.type, *c.column->convertToFullColumn(c.column), out);
    return out.buf;
}

Block deserializeBlockFlat(const std::vector<NameAndType>& cols, size_t rows, const std::string& data, const std::string& what) {
    MemoryInStream in(data.data(), data.size());
    Block b;
    for (auto& c : cols) {
        auto col = createColumn(c.type);
        deserializeColumnFlat(*c.type, *col, rows, in);
        b.insert({std::move(col), c.type, c.name});
    }
    if (in.pos != in.end) throw Exception(ErrorCodes::CORRUPTED_DATA, "Unexpected trailing bytes in " + what);
    return b;
}

Block cutBlockRows(const Block& b, size_t start, size_t n) {
    Block r;
    for (auto& c : b.data()) r.insert({c.column->cut(start, n), c.type, c.name});
    return r;
}

Block concatTwo(const Block& a, const Block& b) {
    Block r;
    for (size_t i = 0; i < a.columns(); ++i) {
        auto col = a.at(i).column->cloneEmpty();
        col->reserve(a.rows() + b.rows());
        col->insertRangeFrom(*a.at(i).column, 0, a.rows());
        col->insertRangeFrom(*b.at(i).column, 0, b.rows());
        r.insert({std::move(col), a.at(i).type, a.at(i).name});
    }
    return r;
}

std::string formatChecksums(const std::map<std::string, FileChecksum>& sums) {
    std::string s = "checksums format version: 1\n";
    for (auto& [name, c] : sums) s += name + "\t" + std::to_string(c.size) + "\t" + c.hex() + "\n";
    return s;
}

std::map<std::string, FileChecksum> parseChecksums(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != "checksums format version: 1")
        throw Exception(ErrorCodes::CORRUPTED_DATA, "Cannot parse checksums.txt: bad header");
    std::map<std::string, FileChecksum> sums;
    while (std::getline(in, line)) {
        size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
        if (t1 == std::string::npos || t2 == std::string::npos || line.size() - t2 - 1 != 32)
            throw Exception(ErrorCodes::CORRUPTED_DATA, "Cannot parse checksums.txt line: " + line);
        FileChecksum c;
        c.size = std::strtoull(line.substr(t1 + 1, t2 - t1 - 1).c_str(), nullptr, 10);
        c.hash_hi = std::strtoull(line.substr(t2 + 1, 16).c_str(), nullptr, 16);
        c.hash_lo = std::strtoull(line.substr(t2 + 17, 16).c_str(), nullptr, 16);
        sums[line.substr(0, t1)] = c;
    }
    return sums;
}

void computeMinMax(const ColumnPtr& column, const DataTypePtr& type, size_t rows, MutableColumnPtr& min_col, MutableColumnPtr& max_col) {
    auto full = column->convertToFullColumn(column);
    size_t mn = SIZE_MAX, mx = SIZE_MAX;
    for (size_t i = 0; i < rows; ++i) {
        if (full->isNullAt(i)) continue;
        if (mn == SIZE_MAX || full->compareAt(i, mn, *full, 1) < 0) mn = i;
        if (mx == SIZE_MAX || full->compareAt(i, mx, *full, -1) > 0) mx = i;
    }
    if (mn == SIZE_MAX) return;   // only NULLs
    min_col->insertFrom(*full, mn);
    max_col->insertFrom(*full, mx);
}

}  // namespace

struct PartWriter::Impl {
    std::string table_dir, dir;
    PartSchema schema;
    MutableDataPartPtr part;
    struct ColumnOut {
        NameAndType col;
        std::string base;
        std::map<std::string, std::unique_ptr<CompressedOutStream>> outs;
    };
    std::vector<ColumnOut> columns;
    Block pending, pending_keys;          // rows not yet forming a full granule
    std::vector<MutableColumnPtr> index_cols;
    Block last_keys;                      // key columns of the last row seen
    bool finished = false;
    bool has_ttl = false;
    int64_t ttl_min = 0, ttl_max = 0;
    bool has_column_ttl = false;
    int64_t column_ttl_min = 0;
    std::vector<MutableColumnPtr> min_cols, max_cols;
    uint64_t rows = 0;
    std::vector<std::unique_ptr<SkipIndexBuilder>> skip_builders;

    // The expression columns of skip index i within a key block (after the primary key columns).
    std::vector<ColumnPtr> skipColumns(const Block& keys, size_t i) const {
        size_t pos = schema.key_columns.size();
        for (size_t j = 0; j < i; ++j) pos += schema.skip_indexes[j]->columns.size();
        std::vector<ColumnPtr> out;
        for (size_t c = 0; c < schema.skip_indexes[i]->columns.size(); ++c) out.push_back(keys.at(pos + c).column);
        return out;
    }

    void writeGranules(const Block& block, const Block& keys, size_t rows_to_write) {
        size_t g = std::max<size_t>(1, schema.index_granularity);
        std::vector<std::vector<ColumnPtr>> skip_cols;
        for (size_t i = 0; i < skip_builders.size(); ++i) skip_cols.push_back(skipColumns(keys, i));
        for (size_t begin = 0; begin < rows_to_write; begin += g) {
            size_t n = std::min(g, rows_to_write - begin);
            for (size_t k = 0; k < schema.key_columns.size(); ++k) index_cols[k]->insertFrom(*keys.at(k).column, begin);
            for (size_t i = 0; i < skip_builders.size(); ++i) skip_builders[i]->addMark(skip_cols[i], begin, n);
            part->granule_offsets.push_back(rows);
            for (size_t ci = 0; ci < columns.size(); ++ci) {
                auto& co = columns[ci];
                for (auto& [s, o] : co.outs) part->marks[s].push_back({o->compressedOffset(), o->offsetInBlock(), n});
                serializeBulk(*co.col.type, *block.at(ci).column, begin, n, co.base, [&](const std::string& s) -> OutStream& {
                    auto it = co.outs.find(s);
                    if (it == co.outs.end()) throw Exception(ErrorCodes::LOGICAL_ERROR, "Unknown stream " + s);
                    return *it->second;
                });
                for (auto& [s, o] : co.outs) o->nextBlockIfAtLeast(schema.min_compress_block_size);
            }
            rows += n;
        }
    }
};

PartWriter::PartWriter(const std::string& table_dir, const std::string& tmp_prefix, const MergeTreePartInfo& info, const PartSchema& schema)
    : impl_(std::make_unique<Impl>()) {
    auto& m = *impl_;
    m.table_dir = table_dir;
    m.schema = schema;
    m.part = std::make_shared<MergeTreeDataPart>();
    m.part->info = info;
    m.part->name = info.name();
    m.dir = table_dir + "tmp_" + tmp_prefix + "_" + m.part->name + "/";
    std::error_code ec;
    fs::remove_all(m.dir, ec);
    fs::create_directories(m.dir);
    m.part->path = m.dir;
    m.part->columns = schema.columns;
    for (size_t ci = 0; ci < schema.columns.size(); ++ci) {
        Impl::ColumnOut co;
        co.col = schema.columns[ci];
        co.base = escapeForFileName(co.col.name);
        // As ClickHouse: structural streams (null maps, array sizes) get only the generic compressor of
        // the column's codec list; each data stream the codec built for its substream's type.
        std::string spec = ci < schema.codec_specs.size() ? schema.codec_specs[ci] : "";
        std::vector<const DataType*> substream_types = codecSubstreamTypes(*co.col.type);
        size_t next_data = 0;
        for (auto& s : columnStreams(co.col)) {
            bool structural = s.size() > co.base.size() &&
                              ((s.size() >= 5 && s.compare(s.size() - 5, 5, ".null") == 0) || s.find(".size", co.base.size()) != std::string::npos);
            CodecPtr codec = schema.default_codec;
            if (!spec.empty()) {
                if (structural) codec = parseGenericCodecSpec(spec);
                else codec = parseCodecSpec(spec, next_data < substream_types.size() ? substream_types[next_data] : nullptr);
            }
            if (!structural) ++next_data;
            co.outs[s] = std::make_unique<CompressedOutStream>(m.dir + dataFile(s), codec, schema.max_compress_block_size);
        }
        m.columns.push_back(std::move(co));
    }
    for (auto& k : schema.key_columns) m.index_cols.push_back(createColumn(k.type));
    for (auto& d : schema.skip_indexes) m.skip_builders.push_back(std::make_unique<SkipIndexBuilder>(d));
    for (auto& mc : schema.minmax_columns) { m.min_cols.push_back(createColumn(mc.type)); m.max_cols.push_back(createColumn(mc.type)); }
}

PartWriter::~PartWriter() {
    if (impl_ && !impl_->finished) {   // abandoned (error, cancelled merge): leave nothing behind
        impl_->columns.clear();
        std::error_code ec;
        fs::remove_all(impl_->dir, ec);
    }
}

void PartWriter::write(const Block& block0, const Block& keys0) {
    auto& m = *impl_;
    if (block0.rows() == 0) return;
    // Physical columns in schema order, full (not const).
    Block block;
    for (auto& co : m.columns) {
        const auto* src = block0.findByName(co.col.name);
        if (!src) throw Exception(ErrorCodes::LOGICAL_ERROR, "Column " + co.col.name + " missing in block written to part");
        block.insert({src->column->convertToFullColumn(src->column), co.col.type, co.col.name});
    }
    Block keys;
    for (auto& k : keys0.data()) keys.insert({k.column->convertToFullColumn(k.column), k.type, k.name});
    size_t expected_keys = m.schema.key_columns.size();
    for (auto& d : m.schema.skip_indexes) expected_keys += d->columns.size();
    if (keys.columns() != expected_keys)
        throw Exception(ErrorCodes::LOGICAL_ERROR, "Part writer got " + std::to_string(keys.columns()) + " key columns, expected " + std::to_string(expected_keys));
    // Min/max of the partition-key source columns.
    for (size_t i = 0; i < m.schema.minmax_columns.size(); ++i) {
        const auto* src = block.findByName(m.schema.minmax_columns[i].name);
        auto mn = m.min_cols[i]->cloneEmpty(), mx = m.max_cols[i]->cloneEmpty();
        computeMinMax(src->column, src->type, block.rows(), mn, mx);
        if (mn->size() == 0) continue;
        if (m.min_cols[i]->size() == 0) { m.min_cols[i] = mn; m.max_cols[i] = mx; continue; }
        if (mn->compareAt(0, 0, *m.min_cols[i], 1) < 0) m.min_cols[i] = mn;
        if (mx->compareAt(0, 0, *m.max_cols[i], -1) > 0) m.max_cols[i] = mx;
    }
    m.last_keys = cutBlockRows(keys, keys.rows() - 1, 1);
    if (m.pending.rows()) {
        block = concatTwo(m.pending, block);
        keys = concatTwo(m.pending_keys, keys);
    }
    size_t g = std::max<size_t>(1, m.schema.index_granularity);
    size_t full = block.rows() / g * g;
    m.writeGranules(block, keys, full);
    m.pending = cutBlockRows(block, full, block.rows() - full);
    m.pending_keys = cutBlockRows(keys, full, keys.rows() - full);
}

void PartWriter::setTTL(int64_t min, int64_t max) {
    impl_->has_ttl = true;
    impl_->ttl_min = min;
    impl_->ttl_max = max;
}

void PartWriter::setColumnTTL(int64_t min) {
    impl_->has_column_ttl = true;
    impl_->column_ttl_min = min;
}

MutableDataPartPtr PartWriter::finish(const Block& partition_row) {
    auto& m = *impl_;
    auto& part = m.part;
    if (m.has_ttl || m.has_column_ttl) {
        // ttl.txt: "rows <min> <max>" and/or "columns <min>" lines (an older format held just the
        // two row numbers).
        std::string text;
        if (m.has_ttl) {
            part->has_ttl = true;
            part->ttl_min = m.ttl_min;
            part->ttl_max = m.ttl_max;
            text += "rows " + std::to_string(m.ttl_min) + " " + std::to_string(m.ttl_max) + "\n";
        }
        if (m.has_column_ttl) {
            part->has_column_ttl = true;
            part->column_ttl_min = m.column_ttl_min;
            text += "columns " + std::to_string(m.column_ttl_min) + "\n";
        }
        writeSmallFileDurably(m.dir + "ttl.txt", text, &part->checksums["ttl.txt"]);
    }
    if (m.pending.rows()) {
        // As ClickHouse's fillIndexGranularity: a tail shorter than half a granule extends the last
        // granule instead of starting a new one (granules stay within 1.5x index_granularity).
        size_t g = std::max<size_t>(1, m.schema.index_granularity);
        if (m.rows && m.pending.rows() * 2 < g) {
            size_t n = m.pending.rows();
            for (size_t ci = 0; ci < m.columns.size(); ++ci) {
                auto& co = m.columns[ci];
                serializeBulk(*co.col.type, *m.pending.at(ci).column, 0, n, co.base, [&](const std::string& s) -> OutStream& { return *co.outs.at(s); });
                for (auto& [s, o] : co.outs) part->marks[s].back().rows += n;
            }
            for (size_t i = 0; i < m.skip_builders.size(); ++i) m.skip_builders[i]->extendLastMark(m.skipColumns(m.pending_keys, i), 0, n);
            m.rows += n;
        } else {
            m.writeGranules(m.pending, m.pending_keys, m.pending.rows());
        }
    }
    part->granule_offsets.push_back(m.rows);
    part->rows = m.rows;
    for (auto& co : m.columns)
        for (auto& [s, o] : co.outs) {
            part->data_uncompressed_bytes += o->uncompressedBytes();
            FileChecksum c = o->finish();
            part->data_compressed_bytes += c.size;
            part->checksums[dataFile(s)] = c;
            auto& mk = part->marks[s];
            std::string bytes(reinterpret_cast<const char*>(mk.data()), mk.size() * sizeof(Mark));
            writeSmallFileDurably(m.dir + marksFile(s), bytes, &part->checksums[marksFile(s)]);
        }
    // Primary index: key values at each granule start plus the last row.
    for (size_t k = 0; k < m.schema.key_columns.size(); ++k) {
        if (m.rows) m.index_cols[k]->insertFrom(*m.last_keys.at(k).column, 0);
        part->index.insert({m.index_cols[k], m.schema.key_columns[k].type, m.schema.key_columns[k].name});
    }
    writeSmallFileDurably(m.dir + "primary.idx", serializeBlockFlat(part->index), &part->checksums["primary.idx"]);
    for (size_t i = 0; i < m.skip_builders.size(); ++i) {
        const auto& d = *m.schema.skip_indexes[i];
        auto granules = m.skip_builders[i]->finish();
        std::string bytes = granules->serialize(d);
        CompressedOutStream out(m.dir + d.fileName(), m.schema.default_codec);
        out.write(bytes.data(), bytes.size());
        part->checksums[d.fileName()] = out.finish();
        part->skip_indexes[d.name] = granules;
    }
    if (!m.schema.partition_columns.empty()) {
        part->partition_value = partition_row;
        writeSmallFileDurably(m.dir + "partition.dat", serializeBlockFlat(partition_row), &part->checksums["partition.dat"]);
        for (size_t i = 0; i < m.schema.minmax_columns.size(); ++i) {
            auto& mc = m.schema.minmax_columns[i];
            auto both = createColumn(mc.type);
            if (m.min_cols[i]->size()) { both->insertFrom(*m.min_cols[i], 0); both->insertFrom(*m.max_cols[i], 0); }
            else { both->insertDefault(); both->insertDefault(); }
            Block one;
            one.insert({both, mc.type, mc.name});
            part->minmax.insert({both, mc.type, mc.name});
            std::string f = "minmax_" + escapeForFileName(mc.name) + ".idx";
            writeSmallFileDurably(m.dir + f, serializeBlockFlat(one), &part->checksums[f]);
        }
    }
    writeSmallFileDurably(m.dir + "count.txt", std::to_string(m.rows), &part->checksums["count.txt"]);
    writeSmallFileDurably(m.dir + "columns.txt", formatColumnsTxt(m.schema.columns), &part->checksums["columns.txt"]);
    std::string sums = formatChecksums(part->checksums);
    writeSmallFileDurably(m.dir + "checksums.txt", sums);
    fsyncDirectory(m.dir);
    for (auto& [f, c] : part->checksums) part->bytes_on_disk += c.size;
    part->bytes_on_disk += sums.size();
    part->modification_time = time(nullptr);
    m.finished = true;
    return part;
}

MutableDataPartPtr writePartToTemp(const std::string& table_dir, const std::string& tmp_prefix, const MergeTreePartInfo& info,
                                   const PartSchema& schema, const Block& block, const Block& key_columns, const Block& partition_row) {
    PartWriter w(table_dir, tmp_prefix, info, schema);
    w.write(block, key_columns);
    return w.finish(partition_row);
}

void hardLinkDirectory(const std::string& src_dir, const std::string& dest_dir) {
    fs::create_directories(dest_dir);
    for (auto& e : fs::directory_iterator(src_dir))
        if (e.is_regular_file()) fs::create_hard_link(e.path(), fs::path(dest_dir) / e.path().filename());
}

MutableDataPartPtr clonePartWithHardLinks(const MergeTreeDataPart& src, const std::string& table_dir, const std::string& tmp_prefix,
                                          const MergeTreePartInfo& info, const std::vector<NameAndType>& columns,
                                          const std::map<std::string, std::string>& renamed_from, const PartSchema& schema,
                                          const std::set<std::string>& cleared_indexes) {
    std::string dir = table_dir + "tmp_" + tmp_prefix + "_" + info.name() + "/";
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    try {
        std::map<std::string, FileChecksum> sums;
        auto link = [&](const std::string& from, const std::string& to) {
            auto it = src.checksums.find(from);
            if (it == src.checksums.end()) return;
            fs::create_hard_link(src.path + from, dir + to);
            sums[to] = it->second;
        };
        // Part-level files.
        std::set<std::string> kept_indexes;
        for (auto& d : schema.skip_indexes)
            if (!cleared_indexes.count(d->name)) kept_indexes.insert(d->fileName());
        for (auto& [f, c] : src.checksums) {
            bool column_file = f.size() > 4 && (f.compare(f.size() - 4, 4, ".bin") == 0 || (f.size() > 5 && f.compare(f.size() - 5, 5, ".mrk2") == 0));
            bool index_file = f.rfind("skp_idx_", 0) == 0;
            if (index_file ? kept_indexes.count(f) : !column_file && f != "columns.txt") link(f, f);
        }
        std::vector<NameAndType> kept;
        for (auto& c : columns) {
            auto rn = renamed_from.find(c.name);
            std::string old_name = rn == renamed_from.end() ? c.name : rn->second;
            DataTypePtr stored = src.columnType(old_name);
            if (!stored) continue;   // added later: filled on read
            std::vector<std::string> old_streams, new_streams;
            enumerateStreams(*stored, escapeForFileName(old_name), old_streams);
            enumerateStreams(*stored, escapeForFileName(c.name), new_streams);
            for (size_t i = 0; i < old_streams.size(); ++i) {
                link(dataFile(old_streams[i]), dataFile(new_streams[i]));
                link(marksFile(old_streams[i]), marksFile(new_streams[i]));
            }
            kept.push_back({c.name, stored});
        }
        writeSmallFileDurably(dir + "columns.txt", formatColumnsTxt(kept), &sums["columns.txt"]);
        writeSmallFileDurably(dir + "checksums.txt", formatChecksums(sums));
        fsyncDirectory(dir);
        auto part = MergeTreeDataPart::load(dir, info, schema);
        return part;
    } catch (...) {
        fs::remove_all(dir, ec);
        throw;
    }
}

void commitPart(MergeTreeDataPart& part, const std::string& table_dir) {
    std::string final_dir = table_dir + part.name + "/";
    std::error_code ec;
    if (fs::exists(final_dir, ec))
        throw Exception(ErrorCodes::DUPLICATE_DATA_PART, "Part " + part.name + " already exists in " + table_dir);
    fs::rename(fs::path(part.path).parent_path(), fs::path(final_dir).parent_path());
    fsyncDirectory(table_dir);
    part.path = final_dir;
}

std::shared_ptr<MergeTreeDataPart> MergeTreeDataPart::load(const std::string& path, const MergeTreePartInfo& info, const PartSchema& schema) {
    auto part = std::make_shared<MergeTreeDataPart>();
    part->info = info;
    part->name = info.name();
    part->path = path;
    std::string sums_text = readWholeFile(path + "checksums.txt");
    part->checksums = parseChecksums(sums_text);
    part->bytes_on_disk = sums_text.size();
    for (auto& [file, expected] : part->checksums) {
        FileChecksum actual = checksumFile(path + file);
        if (!(actual == expected))
            throw Exception(ErrorCodes::CHECKSUM_DOESNT_MATCH, "Checksum doesn't match for file " + file + " of part " + part->name + ": expected size " +
                            std::to_string(expected.size) + " hash " + expected.hex() + ", got size " + std::to_string(actual.size) + " hash " + actual.hex());
        part->bytes_on_disk += actual.size;
    }
    auto need = [&](const std::string& f) {
        if (!part->checksums.count(f)) throw Exception(ErrorCodes::CORRUPTED_DATA, "File " + f + " of part " + part->name + " is not in checksums.txt");
        return readWholeFile(path + f);
    };
    part->columns = parseColumnsTxt(need("columns.txt"));
    std::string count = need("count.txt");
    part->rows = std::strtoull(count.c_str(), nullptr, 10);
    for (auto& col : part->columns)
        for (auto& s : columnStreams(col)) {
            std::string mk = need(marksFile(s));
            if (mk.size() % sizeof(Mark)) throw Exception(ErrorCodes::CORRUPTED_DATA, "Bad marks file size of " + s + " in part " + part->name);
            std::vector<Mark> m(mk.size() / sizeof(Mark));
            std::memcpy(m.data(), mk.data(), mk.size());
            part->data_compressed_bytes += part->checksums.count(dataFile(s)) ? part->checksums[dataFile(s)].size : 0;
            if (part->checksums.count(dataFile(s))) part->data_uncompressed_bytes += uncompressedSizeOfFile(ReadFile(path + dataFile(s)));
            part->marks[s] = std::move(m);
        }
    // Granules from the first stream's marks; every stream must agree.
    part->granule_offsets.push_back(0);
    if (!part->marks.empty()) {
        for (auto& mk : part->marks.begin()->second) part->granule_offsets.push_back(part->granule_offsets.back() + mk.rows);
        for (auto& [s, m] : part->marks)
            if (m.size() != part->granule_offsets.size() - 1) throw Exception(ErrorCodes::CORRUPTED_DATA, "Marks of " + s + " disagree in part " + part->name);
    }
    if (part->granule_offsets.back() != part->rows) throw Exception(ErrorCodes::CORRUPTED_DATA, "Row count of part " + part->name + " does not match its marks");
    size_t index_rows = part->rows ? part->marksCount() + 1 : 0;
    part->index = deserializeBlockFlat(schema.key_columns, index_rows, need("primary.idx"), "primary.idx");
    if (!schema.partition_columns.empty()) {
        part->partition_value = deserializeBlockFlat(schema.partition_columns, 1, need("partition.dat"), "partition.dat");
        for (auto& mc : schema.minmax_columns) {
            Block b = deserializeBlockFlat({mc}, 2, need("minmax_" + escapeForFileName(mc.name) + ".idx"), "minmax index");
            part->minmax.insert(b.at(0));
        }
    }
    for (auto& d : schema.skip_indexes) {
        if (!part->checksums.count(d->fileName())) continue;
        std::string raw = need(d->fileName()), data;
        CompressedFileReader reader(std::string_view(raw.data(), raw.size()));
        char buf[65536];
        while (size_t n = reader.readUpTo(buf, sizeof(buf))) data.append(buf, n);
        if (auto g = SkipIndexGranules::deserialize(*d, data)) part->skip_indexes[d->name] = g;
    }
    if (part->checksums.count("ttl.txt")) {
        std::string t = need("ttl.txt");
        if (!t.empty() && (std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '-')) {
            part->has_ttl = std::sscanf(t.c_str(), "%ld %ld", &part->ttl_min, &part->ttl_max) == 2;
        } else {
            std::istringstream in(t);
            std::string kind;
            while (in >> kind) {
                if (kind == "rows") part->has_ttl = bool(in >> part->ttl_min >> part->ttl_max);
                else if (kind == "columns") part->has_column_ttl = bool(in >> part->column_ttl_min);
                else break;
            }
        }
    }
    struct stat st;
    part->modification_time = ::stat(path.c_str(), &st) == 0 ? int64_t(st.st_mtime) : 0;
    return part;
}

// ---------------------------------------------------------------- reader
struct PartReader::StreamState {
    std::unique_ptr<CompressedInStream> in;
    const std::vector<Mark>* marks = nullptr;
    size_t next_granule = SIZE_MAX;   // granule the stream is positioned at, if sequential

    // Positions the stream at granule `first` (a seek unless it is already there) for a read that
    // ends at granule `last`.
    void prepare(size_t first, size_t last) {
        if (next_granule != first) {
            const Mark& m = (*marks)[first];
            in->seek(m.compressed_offset, m.offset_in_block);
        }
        next_granule = last;
    }
};

namespace {
std::unique_ptr<PartReader::StreamState> openStream(const MergeTreeDataPart& part, const std::string& stream) {
    auto st = std::make_unique<PartReader::StreamState>();
    st->in = std::make_unique<CompressedInStream>(std::make_shared<ReadFile>(part.path + dataFile(stream)));
    auto it = part.marks.find(stream);
    if (it == part.marks.end()) throw Exception(ErrorCodes::CORRUPTED_DATA, "No marks for stream " + stream + " in part " + part.name);
    st->marks = &it->second;
    return st;
}
}  // namespace

std::string stringSizeSubcolumnBase(const std::string& name) {
    static const std::string suffix = ".size";
    if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return {};
    return name.substr(0, name.size() - suffix.size());
}

namespace {
// The stream key of a `s.size` subcolumn: its own cursor over `s`'s file, so `s` itself can be
// read in the same block.
std::string sizeStreamKey(const std::string& stream) { return stream + "#size"; }
}  // namespace

PartReader::PartReader(DataPartPtr part, std::vector<NameAndType> columns, std::map<std::string, ColumnPtr> fill)
    : part_(std::move(part)), columns_(std::move(columns)), fill_(std::move(fill)) {
    for (auto& c : columns_) {
        if (!part_->hasColumn(c.name)) {
            std::string base = stringSizeSubcolumnBase(c.name);
            DataTypePtr bt = base.empty() || !part_->hasColumn(base) ? nullptr : part_->columnType(base);
            if (!bt || bt->id != TypeId::String) continue;
            std::string stream = escapeForFileName(base);
            streams_[sizeStreamKey(stream)] = openStream(*part_, stream);
            continue;
        }
        for (auto& s : columnStreams({c.name, part_->columnType(c.name)})) streams_[s] = openStream(*part_, s);
    }
}

PartReader::~PartReader() = default;

void conformToTypes(Block& block, const std::vector<NameAndType>& columns, const FunctionContext& ctx) {
    for (size_t i = 0; i < block.columns(); ++i) {
        auto& c = block.at(i);
        if (c.type->equals(*columns[i].type)) continue;
        c.column = castColumn(c.column, c.type, columns[i].type, ctx);
        c.type = columns[i].type;
    }
}

Block PartReader::read(size_t first, size_t last) {
    size_t rows = part_->granule_offsets[last] - part_->granule_offsets[first];
    Block b;
    for (auto& c : columns_) {
        DataTypePtr stored = part_->columnType(c.name);
        auto col = createColumn(c.type);
        if (!stored && !part_->hasColumn(c.name)) {
            std::string base = stringSizeSubcolumnBase(c.name);
            auto st = base.empty() ? streams_.end() : streams_.find(sizeStreamKey(escapeForFileName(base)));
            if (st != streams_.end()) {
                // `s.size`: the lengths of `s`'s values, their bytes skipped.
                StreamState& ss = *st->second;
                ss.prepare(first, last);
                readStringSizes(static_cast<ColumnUInt64&>(*col).getData(), rows, *ss.in);
                b.insert({std::move(col), c.type, c.name});
                continue;
            }
            if (!base.empty()) {
                // `s` is not in this part (added by ALTER): the length of its fill value, or 0.
                auto f = fill_.find(base);
                uint64_t len = f != fill_.end() && f->second && f->second->size() == 1 ? f->second->get(0).get<std::string>().size() : 0;
                static_cast<ColumnUInt64&>(*col).getData().resize_fill(rows, len);
                b.insert({std::move(col), c.type, c.name});
                continue;
            }
        }
        if (!stored) {
            auto f = fill_.find(c.name);
            if (f != fill_.end() && f->second && f->second->size() == 1) {
                col = f->second->cloneEmpty();
                col->reserve(rows);
                for (size_t i = 0; i < rows; ++i) col->insertFrom(*f->second, 0);
            } else {
                col->insertManyDefaults(rows);
            }
        } else {
            std::string base = escapeForFileName(c.name);
            std::vector<std::string> streams;
            enumerateStreams(*stored, base, streams);
            for (auto& s : streams) streams_[s]->prepare(first, last);
            if (!stored->equals(*c.type)) col = createColumn(stored);
            col->reserve(rows);
            deserializeBulk(*stored, *col, rows, base, [&](const std::string& s) -> InStream& { return *streams_.at(s)->in; });
            if (col->size() != rows) throw Exception(ErrorCodes::CORRUPTED_DATA, "Read " + std::to_string(col->size()) + " rows of " + c.name + " instead of " + std::to_string(rows));
        }
        b.insert({std::move(col), stored && !stored->equals(*c.type) ? stored : c.type, c.name});
    }
    if (columns_.empty()) b.setRowsWithoutColumns(rows);
    return b;
}

}  // namespace basalt
