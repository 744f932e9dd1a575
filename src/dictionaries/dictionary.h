// dictionary.h — in-memory dictionaries (CREATE DICTIONARY): key -> attribute values, loaded from a
// source (a ClickHouse table or query, a file) on first use, reloaded when their LIFETIME passes or on
// SYSTEM RELOAD DICTIONARY, and looked up by dictGet* a block of keys at a time.
//
// The loaded data is one Block with every declared column, plus an index from key to row chosen by
// the layout: FLAT (array indexed by a UInt64 key < 500,000), HASHED (hash map UInt64 -> row),
// COMPLEX_KEY_HASHED (serialized composite key -> row), RANGE_HASHED (UInt64 key -> rows with
// [min, max] ranges). A load publishes a new immutable snapshot, so lookups never wait for reloads
// and see one consistent version. The Dictionary is also a table (engine Dictionary): reading it
// returns the loaded rows.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "columns/block.h"
#include "storage/storage.h"

namespace basalt {

struct DictionaryAttribute {
    std::string name;
    DataTypePtr type;
    ColumnPtr null_value;   // one row: the DEFAULT of the declaration (or the type's default)
};

struct DictionaryStructure {
    enum class Layout { Flat, Hashed, ComplexKeyHashed, RangeHashed };
    Layout layout = Layout::Hashed;
    std::vector<std::string> key_names;   // PRIMARY KEY columns
    std::vector<DataTypePtr> key_types;
    std::vector<DictionaryAttribute> columns;   // every declared column, in order (keys included)
    std::string range_min, range_max;           // RANGE_HASHED
    uint64_t lifetime_min = 0, lifetime_max = 0;
    std::string source_description;             // "ClickHouse: default.users"
    bool first_wins = false;                    // a repeated key keeps its first row (Join ANY), else the last
    bool join_use_nulls = false;                // Join table declared with join_use_nulls: joinGet returns NULL when absent
    std::string layoutName() const;             // "Hashed", "Flat", ...
    const DictionaryAttribute* attribute(const std::string& name) const;
    bool isKey(const std::string& name) const;
};

class Dictionary {
public:
    using Loader = std::function<Block()>;   // runs the source; returns every declared column
    Dictionary(std::string database, std::string name, DictionaryStructure structure, Loader loader);

    const std::string& database() const { return database_; }
    const std::string& name() const { return name_; }
    const DictionaryStructure& structure() const { return structure_; }

    struct Data;
    // The current snapshot, loading first if never loaded or the lifetime passed. Throws the
    // source's error when no successful load exists.
    std::shared_ptr<const Data> get();
    void reload();   // SYSTEM RELOAD DICTIONARY: loads now, throws on failure
    // Background lifetime reload (PeriodicRunner): a loaded dictionary past its lifetime reloads;
    // a failure keeps the previous data and is recorded.
    void reloadIfDue();
    // No more background reloads; waits for a running load (its source may be going away).
    void shutdown();

    // Row of each key in the snapshot, -1 where absent. `keys`: one column per key column (already
    // of the key types); `range`: the point for RANGE_HASHED (Int64-convertible), else null.
    static void lookup(const Data& d, const DictionaryStructure& s, const Columns& keys, const ColumnPtr& range, size_t rows,
                       std::vector<int64_t>& out);
    static const Block& block(const Data& d);

    // system.dictionaries
    struct Status {
        std::string status;   // NOT_LOADED, LOADED, FAILED, FAILED_AND_RELOADING
        std::string last_exception;
        uint64_t element_count = 0, bytes_allocated = 0, query_count = 0;
        int64_t loading_start_time = 0, last_successful_update_time = 0;
        double loading_duration = 0;
    };
    Status status() const;
    void countQuery() { ++query_count_; }

private:
    void load();
    void loadLocked();   // load_mutex_ held
    bool shut_down_ = false;   // guarded by load_mutex_

    std::string database_, name_;
    DictionaryStructure structure_;
    Loader loader_;
    mutable std::mutex mutex_;          // guards snapshot_ and the status fields; one load at a time
    std::mutex load_mutex_;
    std::shared_ptr<const Data> snapshot_;
    std::string last_exception_;
    int64_t loading_start_time_ = 0, last_success_ = 0;
    double loading_duration_ = 0;
    int64_t next_reload_ = 0;           // unix seconds; 0 = never expires
    std::atomic<uint64_t> query_count_{0};
};

// The Dictionary table engine: a dictionary in the catalog (SELECT * FROM dict, dictionary('dict')).
class StorageDictionary final : public IStorage {
public:
    StorageDictionary(TableMetadata md, std::shared_ptr<Dictionary> dict) : dict_(std::move(dict)) { metadata_ = std::move(md); }
    std::string engineName() const override { return "Dictionary"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    const std::shared_ptr<Dictionary>& dictionary() const { return dict_; }
    std::optional<uint64_t> totalRows() const override;
    void shutdown() override { dict_->shutdown(); }

private:
    std::shared_ptr<Dictionary> dict_;
};

}  // namespace basalt
