// key_condition.h — what a WHERE/PREWHERE condition says about the values of a set of key
// expressions, so parts and granule ranges whose key ranges cannot satisfy it are skipped.
//
// The condition is compiled once per query into a tree of AND/OR/NOT over atoms "key #i lies in
// one of these ranges". Atoms come from comparisons, IN lists and BETWEEN with a constant side,
// where the other side is a key expression itself or the argument of a key expression that is a
// monotonic chain (ORDER BY toStartOfDay(ts): `ts >= X` becomes `toStartOfDay(ts) >= toStartOfDay(X)`).
// Anything else is "unknown" (may be true or false), so pruning is always conservative.
//
// Used three ways by MergeTree: the partition key against each part's partition value, the
// partition-key source columns against each part's min/max index, and the primary key against
// the sparse index (a granule range [l, r) spans index rows l..r).
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "columns/block.h"
#include "sql/ast.h"

namespace basalt {

struct QueryContext;
class Analyzer;

// Constant handling shared by KeyCondition and the skip-index conditions.
bool isConstantAst(const ASTPtr& a);
// A constant expression's value (one-row full column) and type; {null, null} if not constant.
std::pair<ColumnPtr, DataTypePtr> foldConstantAst(const ASTPtr& a, Analyzer& analyzer);
// One value converted to `to` exactly; null when it does not fit (overflow, NULL into non-Nullable).
ColumnPtr convertValueExactly(const ColumnPtr& v, const DataTypePtr& from, const DataTypePtr& to, QueryContext& ctx);
// The elements of a constant IN / hasAny right side (a tuple or an array; anything else is one
// element); false if the column is not what its type says.
bool constantSetElements(const ColumnPtr& v, const DataTypePtr& t, std::vector<std::pair<ColumnPtr, DataTypePtr>>& out);

// {can be true, can be false} of an AND (or an OR) of children whose own pairs check() gives —
// the three-valued logic every index condition tree evaluates with.
template <typename Children, typename Check>
std::pair<bool, bool> combineTruth(bool is_and, const Children& children, Check&& check) {
    bool t = is_and, f = !is_and;
    for (auto& c : children) {
        auto r = check(*c);
        if (is_and) { t = t && r.first; f = f || r.second; }
        else { t = t || r.first; f = f && r.second; }
    }
    return {t, f};
}

// An inclusive value range of one key column; a null column is an infinite bound.
struct KeyRange {
    const IColumn* lo = nullptr;
    size_t lo_row = 0;
    const IColumn* hi = nullptr;
    size_t hi_row = 0;
};

struct KeyDescription {
    std::string name;      // column name of the expression (ClickHouse naming)
    ASTPtr expr;
    DataTypePtr type;
};

class KeyCondition {
public:
    // `columns`: the table's columns (name, type), to analyze key expressions and constants.
    KeyCondition(const ASTPtr& filter, std::vector<KeyDescription> keys, const std::vector<std::pair<std::string, DataTypePtr>>& columns,
                 QueryContext& ctx);
    ~KeyCondition();
    // True if some atom constrains a key: otherwise checking ranges is pointless.
    bool useful() const;
    // Whether some row with key values inside `ranges` (one per key) may satisfy the condition.
    bool mayBeTrue(const std::vector<KeyRange>& ranges) const;
    // Whether every row with key values inside `ranges` satisfies the condition (the condition is
    // wholly made of exact atoms over these keys there): the rows need no filtering.
    bool alwaysTrue(const std::vector<KeyRange>& ranges) const;
    // Ranges of the keys over index rows [l, r] (both inclusive) of a lexicographically sorted
    // index block: the first columns are bounded, later ones only while the prefix is equal.
    static std::vector<KeyRange> indexRanges(const Block& index, size_t l, size_t r);
    std::string describe() const;

    struct Node;

private:
    std::unique_ptr<Node> root_;
    std::vector<KeyDescription> keys_;
};

}  // namespace basalt
