// aggregator.h — hash aggregation. Each thread aggregates its blocks into its own AggregatedData
// (hash table specialized by key layout + an arena holding states and keys); the partial results are
// merged at the end and turned into a block of [keys..., aggregate results...].
// Key layouts: no keys (one state), one fixed-width key of <= 8 bytes, several fixed-width keys
// packed into 16 bytes, one String key (its bytes are the key), and anything else serialized into
// the arena (several strings, Nullable, arrays). Hashes are computed for a whole block first and the
// table cells are prefetched a fixed distance ahead, so cache misses on large tables overlap.
// LowCardinality keys are grouped by their plain type; a single LowCardinality key is looked up once
// per distinct dictionary value of a block and rows take their group through the indexes.
// Spilling: AggregatedData can serialize its states (IAggregateFunction::serialize) bucket by
// bucket, which is the hook for external aggregation; it is not wired to disk yet.
#pragma once
#include <memory>
#include <vector>

#include "aggregates/aggregate_function.h"
#include "columns/block.h"
#include "common/hash_table.h"

namespace basalt {

struct AggregatorParams {
    DataTypes key_types;
    std::vector<std::string> key_names;
    std::vector<AggregateFunctionPtr> functions;
    std::vector<std::string> function_names;
};

enum class AggregationMethod { NoKeys, Key64, Key128, OneString, Serialized };

class AggregatedData {
public:
    explicit AggregatedData(const AggregatorParams& params);
    ~AggregatedData();
    AggregatedData(const AggregatedData&) = delete;
    AggregatedData& operator=(const AggregatedData&) = delete;

    // keys: one column per key; args[j]: argument columns of function j. All full (not const).
    void addBlock(const Columns& keys, const std::vector<Columns>& args, size_t rows);
    // Moves all groups of `other` into this (other becomes empty).
    void merge(AggregatedData& other);
    AggregationMethod method() const { return method_; }
    // Splits an empty one-fixed-key table into `buckets` tables by hash (two-level, as
    // ClickHouse's): mergeShardedKey64 with as many shards then adopts the first thread's bucket
    // instead of re-inserting it. No effect for other layouts.
    void makeTwoLevel(size_t buckets);
    // Final block: keys then one column per function. Without keys, one row even for no input.
    Block finalize(const std::vector<DataTypePtr>& result_types);
    // Totals over all groups (WITH TOTALS): one row, keys at their default values.
    Block totals();
    size_t size() const;
    // Pre-sizes the hash table for `groups` keys (from aggregationSizeHint); false if it did not
    // (too few groups to matter, or a key layout without a fixed-key table).
    bool reserve(size_t groups);

private:
    char* newState();
    // Inline states: with one fixed-width key and states that fit in 8 bytes and are trivially
    // copyable (count, sum, min/max of numbers...), a group's state lives in its hash-table cell
    // (the `char*` mapped slot holds the state bytes) instead of the arena: one cache miss per row
    // instead of two, and no allocation per group. places are then addresses inside cells, valid
    // until the table grows (emplaceKeys re-finds them when it does).
    char* placeOf(char*& mapped) const { return inline_states_ ? reinterpret_cast<char*>(&mapped) : mapped; }
    void createInline(char*& mapped);
    friend std::vector<std::unique_ptr<AggregatedData>> mergeShardedKey64(std::vector<std::unique_ptr<AggregatedData>>&, size_t, size_t);
    // Finds or creates the group of each row of `keys` (plain layouts only).
    // `count_rows` (count_only_ tables): bump each row's count instead of filling places.
    void emplaceKeys(const Columns& keys, size_t rows, char** places, bool count_rows = false);
    void destroyState(char* place);
    template <typename F> void forEachGroup(F&& f);

    const AggregatorParams& params_;
    AggregationMethod method_;
    bool inline_states_ = false;
    // Every function is count() with inline states: rows are counted as their group is found
    // (the cell is in cache then), with no separate addBatch pass.
    bool count_only_ = false;
    std::vector<size_t> offsets_;
    size_t total_size_ = 0, align_ = 1;
    std::vector<std::unique_ptr<Arena>> arenas_;   // [0] is ours; others adopted by merge
    Arena* arena_;
    char* no_keys_place_ = nullptr;
    FixedHashMap<uint64_t, char*> map64_;
    std::vector<FixedHashMap<uint64_t, char*>> buckets64_;   // two-level Key64: bucket = shardOfHash(h); empty: map64_
    // The hash's top 32 bits scaled to [0, n) (a multiply, not a division: this runs twice per row;
    // the table index uses the low bits, so buckets and cells stay independent).
    static size_t shardOfHash(uint64_t h, size_t n) { return size_t(((h >> 32) * uint64_t(n)) >> 32); }
    FixedHashMap<uint64_t, char*>& map64For(uint64_t h) { return buckets64_.empty() ? map64_ : buckets64_[shardOfHash(h, buckets64_.size())]; }
    template <typename F> void forEachMap64(F&& f) {
        if (buckets64_.empty()) f(map64_);
        else for (auto& m : buckets64_) f(m);
    }
    FixedHashMap<UInt128, char*> map128_;
    StringHashMap<char*> map_str_;
    std::vector<size_t> key_sizes_;   // packed layouts
    DataTypes plain_key_types_;       // key types without LowCardinality
    PODArray<char*> places_;
    PODArray<uint64_t> hashes_;
    PODArray<UInt128> keys128_;
    PODArray<size_t> key_offsets_, cursor_;   // Serialized: each row's key bytes in key_bytes_
    PODArray<char> key_bytes_;
};

AggregationMethod chooseAggregationMethod(const DataTypes& key_types);

// Merges per-thread partial results (one fixed-width key, AggregationMethod::Key64) into `shards`
// tables that split the key space by hash, one thread per shard, so a result of millions of groups
// is not merged on one core. The partials are left empty (their arenas move into the first
// shard, which must outlive the others' states). `groups_hint`: expected result size, 0 if unknown.
std::vector<std::unique_ptr<AggregatedData>> mergeShardedKey64(std::vector<std::unique_ptr<AggregatedData>>& partials, size_t shards,
                                                               size_t groups_hint);

// Group counts seen by earlier runs of the same aggregation (ClickHouse's
// collect_hash_table_stats_during_aggregation): a repeated dashboard query sizes its hash tables
// once instead of doubling them through a dozen rehashes, each a fresh allocation the kernel zeroes.
// Process-wide, keyed by a hash of the query; bounded (cleared when it grows past 10000 entries).
struct AggregationSizeHint {
    size_t per_stream = 0, merged = 0;
};
AggregationSizeHint aggregationSizeHint(uint64_t query_key);
void recordAggregationSize(uint64_t query_key, AggregationSizeHint sizes);

}  // namespace basalt
