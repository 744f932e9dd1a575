// special_engines.cpp — see special_engines.h.
#include "storage/special_engines.h"

#include <chrono>
#include <optional>

#include <re2/re2.h>

#include "common/exception.h"
#include "common/periodic.h"
#include "dictionaries/dictionary.h"
#include "exec/block_ops.h"
#include "storage/catalog.h"
#include "types/create_column.h"

namespace basalt {

namespace {
class EmptySource final : public ISource {
public:
    Block read() override { return Block(); }
};

std::vector<size_t> positionsOf(const TableMetadata& md, const std::vector<std::string>& columns) {
    std::vector<size_t> positions;
    for (auto& c : columns) {
        bool found = false;
        for (size_t i = 0; i < md.columns.size(); ++i)
            if (md.columns[i].name == c) { positions.push_back(i); found = true; }
        if (!found) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + c + " in table");
    }
    return positions;
}
}  // namespace

// ---------------------------------------------------------------- Null
Sources StorageNull::read(const std::vector<std::string>&, QueryContext&, size_t) {
    Sources s;
    s.push_back(std::make_unique<EmptySource>());
    return s;
}

// ---------------------------------------------------------------- Set
Sources StorageSet::read(const std::vector<std::string>&, QueryContext&, size_t) {
    throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Method read is not supported by storage Set");
}

StorageSet::StorageSet(TableMetadata md, const std::string& data_dir) : blocks_(data_dir) { metadata_ = std::move(md); }

void StorageSet::write(std::vector<Block> blocks, QueryContext&) { blocks_.append(std::move(blocks)); }

void StorageSet::truncate() { blocks_.clear(); }

std::shared_ptr<const std::vector<Block>> StorageSet::rows() const { return blocks_.snapshot(); }

std::optional<uint64_t> StorageSet::totalRows() const { return blocks_.rows(); }

// ---------------------------------------------------------------- Join
StorageJoin::StorageJoin(TableMetadata md, std::string database, std::string name, std::vector<std::string> keys, bool any,
                         const std::string& data_dir, bool use_nulls)
    : blocks_(data_dir) {
    metadata_ = std::move(md);
    DictionaryStructure st;
    st.key_names = keys;
    for (auto& k : keys) {
        const ColumnDescription* c = metadata_.find(k);
        if (!c) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "Key column " + k + " of Join table " + name + " does not exist");
        st.key_types.push_back(c->type);
    }
    st.layout = keys.size() == 1 && st.key_types[0]->id == TypeId::UInt64 ? DictionaryStructure::Layout::Hashed
                                                                           : DictionaryStructure::Layout::ComplexKeyHashed;
    st.first_wins = any;
    st.join_use_nulls = use_nulls;
    for (auto& c : metadata_.columns) {
        auto v = createColumn(c.type);
        v->insertDefault();
        st.columns.push_back({c.name, c.type, std::move(v)});
    }
    st.source_description = "Join: " + database + "." + name;
    Block header;
    for (auto& c : metadata_.columns) header.insert({createColumn(c.type), c.type, c.name});
    // The index is rebuilt from the rows after each write (Join tables are small dimension sets).
    StorageJoin* self = this;
    index_ = std::make_shared<Dictionary>(database, name, std::move(st), [self, header]() -> Block {
        auto snap = self->blocks_.snapshot();
        return snap->empty() ? header.cloneEmpty() : concatBlocks(*snap, header);
    });
}

Sources StorageJoin::read(const std::vector<std::string>& columns, QueryContext&, size_t num_streams) {
    auto snap = blocks_.snapshot();
    if (spec_.strictness == "ANY" && !snap->empty()) {
        // ANY: the first row of each key is the table's row for it.
        Block header;
        for (auto& c : metadata_.columns) header.insert({createColumn(c.type), c.type, c.name});
        Block all = concatBlocks(*snap, header);
        std::vector<size_t> key_pos = positionsOf(metadata_, spec_.keys);
        std::set<std::string> seen;
        auto keep = ColumnUInt8::create(all.rows());
        std::string key;
        for (size_t i = 0; i < all.rows(); ++i) {
            key.clear();
            for (size_t p : key_pos) all.at(p).column->serializeValue(i, key);
            keep->getData()[i] = seen.insert(key).second;
        }
        auto filtered = std::make_shared<std::vector<Block>>();
        filtered->push_back(filterBlock(all, keep));
        snap = filtered;
    }
    return splitBlocks(snap, positionsOf(metadata_, columns), num_streams, 0);
}

void StorageJoin::write(std::vector<Block> blocks, QueryContext&) {
    blocks_.append(std::move(blocks));
    index_->reload();
}

void StorageJoin::truncate() {
    blocks_.clear();
    index_->reload();
}

std::optional<uint64_t> StorageJoin::totalRows() const { return blocks_.rows(); }

// ---------------------------------------------------------------- Buffer
StorageBuffer::StorageBuffer(TableMetadata md, std::string dest_database, std::string dest_table, Thresholds t, Catalog* catalog, Flusher flusher)
    : dest_database_(std::move(dest_database)), dest_table_(std::move(dest_table)), t_(t), catalog_(catalog), flusher_(std::move(flusher)) {
    metadata_ = std::move(md);
}

Sources StorageBuffer::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) {
    std::shared_ptr<std::vector<Block>> snap;
    {
        std::lock_guard lock(mutex_);
        snap = std::make_shared<std::vector<Block>>(blocks_);
    }
    Sources all = splitBlocks(snap, positionsOf(metadata_, columns), 1, 0);
    if (auto dest = catalog_->tryGetTable(dest_database_, dest_table_))
        for (auto& s : dest->read(columns, ctx, num_streams)) all.push_back(std::move(s));
    return all;
}

void StorageBuffer::write(std::vector<Block> blocks, QueryContext&) {
    uint64_t rows = 0, bytes = 0;
    for (auto& b : blocks) { rows += b.rows(); bytes += b.bytes(); }
    if (!rows) return;
    auto over = [&](uint64_t r, uint64_t b) { return (t_.max_rows && r > t_.max_rows) || (t_.max_bytes && b > t_.max_bytes); };
    // As ClickHouse: what is buffered is flushed first when the new rows would pass a max threshold,
    // and rows that pass it alone go straight to the destination.
    bool flush_first;
    {
        std::lock_guard lock(mutex_);
        flush_first = !blocks_.empty() && over(rows_ + rows, bytes_ + bytes);
    }
    if (flush_first) flush();
    if (over(rows, bytes)) {
        std::vector<Block> nonempty;
        for (auto& b : blocks) if (b.rows()) nonempty.push_back(std::move(b));
        flusher_(std::move(nonempty));
        return;
    }
    std::lock_guard lock(mutex_);
    for (auto& b : blocks) {
        if (!b.rows()) continue;
        if (blocks_.empty()) first_write_ = unixSeconds();
        rows_ += b.rows();
        bytes_ += b.bytes();
        blocks_.push_back(std::move(b));
    }
}

void StorageBuffer::flush() { flushImpl(false); }

void StorageBuffer::flushImpl(bool background) {
    std::lock_guard flushing(flush_mutex_);
    if (background && shut_down_) return;   // the destination's catalog is going away
    std::vector<Block> taken;
    {
        std::lock_guard lock(mutex_);
        taken.swap(blocks_);
        rows_ = bytes_ = 0;
    }
    if (taken.empty()) return;
    try {
        flusher_(taken);
    } catch (...) {
        // Keep the rows (before anything written since) and report the destination's error.
        std::lock_guard lock(mutex_);
        for (auto& b : blocks_) { taken.push_back(std::move(b)); }
        blocks_ = std::move(taken);
        rows_ = bytes_ = 0;
        for (auto& b : blocks_) { rows_ += b.rows(); bytes_ += b.bytes(); }
        throw;
    }
}

void StorageBuffer::shutdown() {
    std::lock_guard flushing(flush_mutex_);
    shut_down_ = true;
}

void StorageBuffer::flushIfDue() {
    bool due;
    {
        std::lock_guard lock(mutex_);
        if (blocks_.empty()) return;
        int64_t age = unixSeconds() - first_write_;
        due = age >= t_.max_time || (age >= t_.min_time && rows_ >= t_.min_rows && bytes_ >= t_.min_bytes);
    }
    if (due) flushImpl(true);
}

void StorageBuffer::truncate() {
    std::lock_guard lock(mutex_);
    blocks_.clear();
    rows_ = bytes_ = 0;
}

std::optional<uint64_t> StorageBuffer::totalRows() const {
    std::lock_guard lock(mutex_);
    return rows_;
}

// ---------------------------------------------------------------- Merge
StorageMerge::StorageMerge(TableMetadata md, std::string database, std::string regexp, Catalog* catalog)
    : database_(std::move(database)), regexp_(std::move(regexp)), catalog_(catalog) {
    metadata_ = std::move(md);
    RE2 re(regexp_);
    if (!re.ok()) throw Exception(ErrorCodes::CANNOT_COMPILE_REGEXP, "Cannot compile regexp " + regexp_ + ": " + re.error());
}

std::vector<std::pair<std::string, StoragePtr>> StorageMerge::tables() const {
    RE2 re(regexp_);
    std::vector<std::pair<std::string, StoragePtr>> out;
    for (auto& [name, s] : catalog_->tables(database_)) {
        if (s.get() == this) continue;
        if (RE2::PartialMatch(name, re)) out.push_back({name, s});
    }
    return out;
}

std::vector<std::pair<std::string, DataTypePtr>> StorageMerge::virtualColumns() const { return {{"_table", makeType(TypeId::String)}}; }

namespace {
// A sub-table's stream with the `_table` column put in at `position` (a constant per table).
class WithTableName final : public ISource {
public:
    WithTableName(SourcePtr inner, std::string table, size_t position) : inner_(std::move(inner)), table_(std::move(table)), position_(position) {}
    Block read() override {
        Block b = inner_->read();
        filtered_rows = inner_->filtered_rows;
        filtered_bytes = inner_->filtered_bytes;
        if (!b.rows()) return b;
        auto one = ColumnString::create();
        one->insertData(table_);
        Block out;
        size_t in = 0;
        for (size_t i = 0; i <= b.columns(); ++i) {
            if (i == position_) out.insert({std::make_shared<ColumnConst>(one, b.rows()), makeType(TypeId::String), "_table"});
            if (in < b.columns()) out.insert(b.at(in++));
        }
        return out;
    }
private:
    SourcePtr inner_;
    std::string table_;
    size_t position_;
};
}  // namespace

Sources StorageMerge::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) {
    return read(columns, SelectQueryInfo{}, ctx, num_streams);
}

Sources StorageMerge::read(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t num_streams) {
    // Merge tables may read other Merge tables (as ClickHouse); a cycle among them stops here.
    static thread_local int depth = 0;
    if (depth > 16) throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "Merge tables read each other too deeply (a cycle?) at " + database_);
    ++depth;
    struct Leave { ~Leave() { --depth; } } leave;
    Sources all;
    std::vector<std::string> real;
    std::optional<size_t> table_position;
    for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == "_table" && !metadata_.find("_table")) table_position = i;
        else real.push_back(columns[i]);
    }
    for (auto& [name, s] : tables()) {
        for (auto& c : real)
            if (!s->metadata().find(c))
                throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + c + " in table " + database_ + "." + name);
        // Each table prunes with the filter itself; the executor still applies it afterwards
        // (filtering already-filtered rows again changes nothing). A filter on _table is left to
        // the executor (the sub-table has no such column).
        SelectQueryInfo sub;
        if (!table_position) sub.filter = info.filter;
        for (auto& src : s->read(real, sub, ctx, num_streams)) {
            if (table_position) all.push_back(std::make_unique<WithTableName>(std::move(src), name, *table_position));
            else all.push_back(std::move(src));
        }
    }
    if (all.empty()) all.push_back(std::make_unique<EmptySource>());
    return all;
}

void StorageMerge::write(std::vector<Block>, QueryContext&) {
    throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Method write is not supported by storage Merge");
}

}  // namespace basalt
