// skip_index.h — MergeTree data-skipping indexes (`INDEX name expr TYPE t GRANULARITY n`): what
// each index type stores per index granule (n consecutive marks of a part), how a part writer
// builds it, how it is stored, and how a query condition decides from it that a granule cannot
// match so its marks are not read.
//
// Types, as in ClickHouse:
//   minmax                          min and max of each expression
//   set(N)                          the distinct values (tuples) of the expressions, up to N (0 = no
//                                   limit); a granule with more is marked "any"
//   bloom_filter([fpr])             a Bloom filter of the values (array elements for arrays)
//   tokenbf_v1(bytes, hashes, seed) a Bloom filter of the alphanumeric tokens of a string
//   ngrambf_v1(n, bytes, hashes, seed)  a Bloom filter of the n-grams (UTF-8 characters) of a string
// minmax and set answer comparisons, IN and ranges through KeyCondition (per granule the key
// ranges are [min, max], or one point per stored value); the Bloom filters answer =, IN, has(),
// hasAny/hasAll, LIKE, startsWith/endsWith, hasToken and multiSearchAny by requiring all the
// hashes of the needed values/tokens/n-grams to be present.
//
// On disk: one file skp_idx_<name>.idx per index and part, a compressed stream (LZ4) holding a
// header (type text, granularity) and every granule; it is small and loaded with the part. Parts
// written before an index existed have no file and are read whole (MATERIALIZE INDEX builds it).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "columns/block.h"
#include "sql/ast.h"
#include "storage/mergetree/part.h"

namespace basalt {

struct QueryContext;

struct SkipIndexDescription {
    enum class Kind { MinMax, Set, BloomFilter, NgramBF, TokenBF };
    std::string name;
    Kind kind = Kind::MinMax;
    std::string type_text;                 // as declared, normalized ("set(100)"); guards stale files
    std::vector<ASTPtr> exprs;             // the expression, or the elements of its tuple
    std::vector<NameAndType> columns;      // evaluated expressions (column name, type without LowCardinality)
    size_t granularity = 1;                // marks per index granule
    size_t set_max_rows = 0;               // set(N)
    double false_positive = 0.025;         // bloom_filter
    size_t ngram_size = 0, filter_bytes = 0, hash_count = 0;
    uint64_t seed = 0;

    std::string fileName() const;          // skp_idx_<escaped name>.idx
    std::string typeName() const;          // minmax, set, bloom_filter, ...
    // Bloom bits per row and hashes of bloom_filter (from its false-positive rate).
    size_t bloomBitsPerRow() const;
};
using SkipIndexPtr = std::shared_ptr<const SkipIndexDescription>;

// Validates an INDEX declaration whose expressions were analyzed over the table's columns
// (`types`: one per element of the expression tuple) — INCORRECT_QUERY for an unknown type,
// BAD_ARGUMENTS / NUMBER_OF_ARGUMENTS_DOESNT_MATCH for bad parameters or column types, as ClickHouse.
SkipIndexPtr makeSkipIndex(const ASTIndexDeclaration& decl, const std::vector<NameAndType>& evaluated);

// The index of one part: every granule's summary.
struct SkipIndexGranules {
    size_t count = 0;
    std::vector<MutableColumnPtr> values;   // minmax: 2 rows (min, max) per granule; set: all values
    std::vector<uint64_t> offsets;          // set: granule i holds rows [offsets[i], offsets[i+1])
    std::vector<uint8_t> flags;             // minmax: per granule and column, bit 0 = has non-NULL values,
                                            // bit 1 = has NULLs; set: per granule, 1 = over N values
    std::vector<std::string> filters;       // Bloom kinds: granule-major, one per column

    std::string serialize(const SkipIndexDescription& d) const;
    // Null when the data was written for another definition (type or granularity changed).
    static std::shared_ptr<const SkipIndexGranules> deserialize(const SkipIndexDescription& d, const std::string& data);
};
using SkipIndexGranulesPtr = std::shared_ptr<const SkipIndexGranules>;

// Builds one index while a part is written, mark by mark.
class SkipIndexBuilder {
public:
    explicit SkipIndexBuilder(SkipIndexPtr d);
    ~SkipIndexBuilder();
    // Rows [begin, begin + n) of the expression columns form the next mark.
    void addMark(const std::vector<ColumnPtr>& columns, size_t begin, size_t n);
    // Rows appended to the last mark (the part's short tail).
    void extendLastMark(const std::vector<ColumnPtr>& columns, size_t begin, size_t n);
    std::shared_ptr<SkipIndexGranules> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A query condition against one index.
class SkipIndexCondition {
public:
    SkipIndexCondition(SkipIndexPtr d, const ASTPtr& filter, const std::vector<std::pair<std::string, DataTypePtr>>& table_columns,
                       QueryContext& ctx);
    ~SkipIndexCondition();
    bool useful() const;
    bool mayBeTrue(const SkipIndexGranules& g, size_t granule) const;
    const SkipIndexDescription& description() const { return *desc_; }

    struct Node;
    struct SetNode;

private:
    SkipIndexPtr desc_;
    std::unique_ptr<class KeyCondition> key_condition_;   // minmax, set
    std::unique_ptr<Node> bloom_root_;                    // Bloom kinds
    // set: the filter's leaves over the index columns, evaluated on the stored values (so any
    // expression of them prunes, as ClickHouse's set index does)
    std::unique_ptr<SetNode> set_root_;
    bool set_useful_ = false;
};

// Several indexes combined through the filter's AND/OR structure, so that `a = 1 OR b = 2` prunes
// with an index on a and another on b, as ClickHouse's use_skip_indexes_for_disjunctions: a
// leaf (anything but and/or) may be true in a mark unless some index useful for it says no.
class SkipIndexDisjunction {
public:
    SkipIndexDisjunction(const std::vector<SkipIndexPtr>& indexes, const ASTPtr& filter,
                         const std::vector<std::pair<std::string, DataTypePtr>>& table_columns, QueryContext& ctx);
    ~SkipIndexDisjunction();
    // The filter has an OR and some index answers a leaf under it.
    bool useful() const { return useful_; }
    bool mayBeTrue(const MergeTreeDataPart& part, size_t mark) const;

    struct Node;

private:
    std::unique_ptr<Node> root_;
    bool useful_ = false;
};

}  // namespace basalt
