// column_low_cardinality.h — the LowCardinality(T) layout: a dictionary of unique values plus one
// small integer index per row.
//
//   ColumnUnique          the dictionary: a column of the dictionary type T (ColumnNullable over the
//                         values when T is Nullable) whose rows are all distinct, plus an
//                         open-addressing hash index from value bytes to row. As in ClickHouse's
//                         ColumnUnique, row 0 is NULL for a Nullable dictionary and the type's
//                         default value sits at row 0 (row 1 when nullable); new values are appended.
//   ColumnLowCardinality  shared dictionary + an index column of UInt8/16/32/64 that widens when the
//                         dictionary outgrows it (UInt8 up to 256 entries, UInt16 up to 65,536, ...).
//
// filter/permute/cut/replicate share the dictionary and only rewrite indexes. A dictionary shared
// by several columns is copied before it is modified (copy-on-write), so readers never see writes.
// Code that does not know about LowCardinality gets a full column via convertToFull() (functions:
// the LowCardinality wrapper in FunctionFactory; aggregate arguments; casts).
#pragma once
#include <memory>

#include "columns/column.h"

namespace basalt {

class ColumnUnique {
public:
    // `empty_values`: an empty column of the dictionary type (ColumnNullable when nullable).
    explicit ColumnUnique(MutableColumnPtr empty_values);
    ColumnUnique(const ColumnUnique& o);   // deep copy
    std::shared_ptr<ColumnUnique> clone() const;
    std::shared_ptr<ColumnUnique> cloneEmpty() const;

    size_t size() const { return values_->size(); }
    bool isNullable() const { return nullable_; }
    // Row of the NULL value (nullable) or of the default value: what insertDefault() inserts.
    static constexpr size_t defaultIndex() { return 0; }
    // Row of the nested type's default value ('' / 0).
    size_t nestedDefaultIndex() const { return nullable_ ? 1 : 0; }
    // Rows a freshly created dictionary holds (NULL and/or default).
    size_t initialSize() const { return nullable_ ? 2 : 1; }

    // The dictionary as a column of the dictionary type (rows are unique).
    const IColumn& values() const { return *values_; }
    const MutableColumnPtr& valuesPtr() const { return values_; }

    // Inserts row n of `src` unless present; returns its row. `src` has the dictionary type or,
    // for a Nullable dictionary, its nested type.
    size_t uniqueInsertFrom(const IColumn& src, size_t n);
    // Same for rows [start, start + length); writes each row's dictionary row to out[0..length).
    void uniqueInsertRangeFrom(const IColumn& src, size_t start, size_t length, uint64_t* out);
    size_t uniqueInsertField(const Field& f);
    // Reads one value written by values().serializeValue and inserts it unless present.
    size_t uniqueDeserializeAndInsert(const char*& pos);
    // Returns the row of the value held in row n of `src` (same layout as above), or -1.
    int64_t find(const IColumn& src, size_t n) const;

    size_t byteSize() const;

private:
    enum class Kind { Fixed, String, FixedString };
    // Deduplicates the row just appended to values_ (removing it if it exists); returns its row.
    size_t uniqueInsertLast();
    void addToIndex(size_t row, uint64_t hash);
    void grow();
    template <Kind K> int64_t lookup(std::string_view v, uint64_t h) const;
    std::string_view viewAt(const IColumn& plain, size_t row) const;
    std::string_view canonical(std::string_view v) const;
    void refreshData();

    MutableColumnPtr values_;     // dictionary type
    IColumn* plain_ = nullptr;    // values_, or the nested column of a Nullable dictionary
    PODArray<uint8_t>* null_map_ = nullptr;
    bool nullable_ = false;
    Kind kind_ = Kind::Fixed;
    size_t fixed_size_ = 0;
    bool is_float_ = false;              // -0.0 is the same dictionary entry as 0 (as ClickHouse)
    const char* fixed_data_ = nullptr;   // plain_->rawData() for fixed-width values
    PODArray<uint64_t> hashes_;          // per row (unused for the NULL row)
    PODArray<uint32_t> slots_;           // open addressing: row + 1, 0 = empty
    size_t mask_ = 0;
    size_t indexed_ = 0;
};

class ColumnLowCardinality final : public IColumn {
public:
    // An empty column whose dictionary holds values of `empty_values`' layout (see ColumnUnique).
    explicit ColumnLowCardinality(MutableColumnPtr empty_values);
    ColumnLowCardinality(std::shared_ptr<ColumnUnique> dict, MutableColumnPtr indexes);

    const char* familyName() const override { return "LowCardinality"; }
    size_t size() const override { return idx_->size(); }
    MutableColumnPtr cloneEmpty() const override;
    Field get(size_t n) const override { return dict_->values().get(indexAt(n)); }
    void insert(const Field& f) override;
    // src: another LowCardinality column or a full column of the dictionary type.
    void insertFrom(const IColumn& src, size_t n) override;
    void insertRangeFrom(const IColumn& src, size_t start, size_t length) override;
    void insertDefault() override { pushIndex(ColumnUnique::defaultIndex()); }
    void insertManyDefaults(size_t n) override;
    void popBack(size_t n) override { idx_->popBack(n); }
    void reserve(size_t n) override { idx_->reserve(n); }

    ColumnPtr filter(const Filter& mask, size_t hint) const override;
    ColumnPtr permute(const Permutation& perm, size_t limit) const override;
    ColumnPtr cut(size_t start, size_t length) const override;
    ColumnPtr replicate(const Offsets& offsets) const override;
    int compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const override;
    void getPermutation(bool reverse, size_t limit, int nan_hint, Permutation& res) const override;
    void serializeValue(size_t n, std::string& out) const override { dict_->values().serializeValue(indexAt(n), out); }
    void deserializeAndInsert(const char*& pos) override;
    void updateHashes(uint64_t* hashes) const override;
    size_t byteSize() const override { return idx_->byteSize() + dict_->byteSize(); }
    bool isNullAt(size_t n) const override { return dict_->isNullable() && indexAt(n) == 0; }
    bool isLowCardinality() const override { return true; }

    const ColumnUnique& getDictionary() const { return *dict_; }
    const std::shared_ptr<ColumnUnique>& getDictionaryPtr() const { return dict_; }
    const IColumn& getDictionaryValues() const { return dict_->values(); }
    const IColumn& getIndexes() const { return *idx_; }
    size_t indexWidth() const { return width_; }
    size_t indexAt(size_t n) const {
        switch (width_) {
            case 1: return static_cast<const ColumnUInt8&>(*idx_).getData()[n];
            case 2: return static_cast<const ColumnUInt16&>(*idx_).getData()[n];
            case 4: return static_cast<const ColumnUInt32&>(*idx_).getData()[n];
            default: return static_cast<const ColumnUInt64&>(*idx_).getData()[n];
        }
    }
    // Calls f(const T* indexes) with T the index width's type.
    template <typename F> decltype(auto) withIndexes(F&& f) const {
        switch (width_) {
            case 1: return f(static_cast<const ColumnUInt8&>(*idx_).getData().data());
            case 2: return f(static_cast<const ColumnUInt16&>(*idx_).getData().data());
            case 4: return f(static_cast<const ColumnUInt32&>(*idx_).getData().data());
            default: return f(static_cast<const ColumnUInt64&>(*idx_).getData().data());
        }
    }

    // The rows as a full column of the dictionary type.
    ColumnPtr convertToFull() const;
    // Appends all rows of a full column of the dictionary type.
    void insertRangeFromFull(const IColumn& src, size_t start, size_t length);
    // Appends n rows given as positions into `keys` (a small column of the dictionary type, e.g. a
    // MergeTree granule's dictionary): each key is looked up once, rows are only remapped.
    template <typename T> void insertIndexed(const IColumn& keys, const T* positions, size_t n);

    // The dictionary rows the column uses, in dictionary order: functions run on these, never on
    // unused values such as the implicit default, which could fail (toUInt32('')). `position` maps
    // each dictionary row to its row in `values` (0 for unused rows).
    struct UsedDictionary {
        ColumnPtr values;
        Permutation position;
    };
    UsedDictionary getUsedDictionary() const;
    // Per row: the row of `used.values` it holds (to gather a full column of results).
    Permutation usedPositions(const UsedDictionary& used) const;
    // A column of `empty`'s layout (a LowCardinality of the results' type) whose row i holds
    // results[used.position[index(i)]]; `results` has one row per row of used.values.
    ColumnPtr mapResults(const ColumnLowCardinality& empty, const IColumn& results, const UsedDictionary& used) const;

private:
    ColumnUnique& mutableDict();
    void pushIndex(size_t i);
    void ensureWidthFor(size_t max_index);
    void appendIndexes(const uint64_t* positions, size_t n);
    bool pristine() const { return size() == 0 && dict_->size() == dict_->initialSize(); }

    std::shared_ptr<ColumnUnique> dict_;
    MutableColumnPtr idx_;
    size_t width_ = 1;
};

// Full-column equivalents: a LowCardinality column becomes its dictionary type; ColumnConst keeps
// its constness. Other columns are returned unchanged.
ColumnPtr removeLowCardinality(const ColumnPtr& c);
// Also inside Array / Tuple / Map (and ColumnConst) columns.
ColumnPtr recursiveRemoveLowCardinality(const ColumnPtr& c);

}  // namespace basalt
