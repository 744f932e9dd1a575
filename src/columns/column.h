// column.h — IColumn and the concrete column layouts every layer shares.
//   ColumnVector<T>    contiguous fixed-width values (numbers, dates, enums, UUID as UInt128)
//   ColumnString       offsets (end of each value) + one chars buffer, no terminators
//   ColumnFixedString  n bytes per value
//   ColumnNullable     nested column + null map (1 = NULL)
//   ColumnArray        offsets (end of each array) + one nested column
//   ColumnTuple        one column per element
//   ColumnConst        one value logically repeated size() times
//   ColumnLowCardinality (column_low_cardinality.h) dictionary of unique values + per-row indexes
// Columns are immutable once shared (ColumnPtr = shared_ptr<const IColumn>); builders work on a
// MutableColumnPtr and publish it. Operations that produce new data (filter, permute, cut) return
// fresh columns, so readers never see writes in progress.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/field.h"
#include "common/pod_array.h"

namespace basalt {

class IColumn;
using ColumnPtr = std::shared_ptr<const IColumn>;
using MutableColumnPtr = std::shared_ptr<IColumn>;
using Columns = std::vector<ColumnPtr>;
using Filter = PODArray<uint8_t>;        // 1 = keep row
using Permutation = PODArray<uint32_t>;  // row order; blocks never exceed 4G rows
using Offsets = PODArray<uint64_t>;

class IColumn {
public:
    virtual ~IColumn() = default;
    virtual const char* familyName() const = 0;
    virtual size_t size() const = 0;
    virtual MutableColumnPtr cloneEmpty() const = 0;
    virtual MutableColumnPtr cloneResized(size_t n) const;  // copy, truncated or padded with defaults

    virtual Field get(size_t n) const = 0;
    virtual void insert(const Field& f) = 0;                      // throws on wrong Field kind
    virtual void insertFrom(const IColumn& src, size_t n) = 0;    // src has the same layout
    virtual void insertRangeFrom(const IColumn& src, size_t start, size_t length) = 0;
    virtual void insertDefault() = 0;
    virtual void insertManyDefaults(size_t n) { for (size_t i = 0; i < n; ++i) insertDefault(); }
    virtual void popBack(size_t n) = 0;
    virtual void reserve(size_t) {}

    virtual ColumnPtr filter(const Filter& mask, size_t result_size_hint) const = 0;
    virtual ColumnPtr permute(const Permutation& perm, size_t limit) const = 0;  // limit 0 = all
    virtual ColumnPtr cut(size_t start, size_t length) const;
    // Repeats row i (offsets[i] - offsets[i-1]) times (ARRAY JOIN, cross products).
    virtual ColumnPtr replicate(const Offsets& offsets) const = 0;

    // <0, 0, >0. nan_direction_hint: where NaN/NULL sort (1 = last for ascending).
    virtual int compareAt(size_t n, size_t m, const IColumn& rhs, int nan_direction_hint) const = 0;
    // Sorts indices [0, size) by this column; stable. limit > 0 means only the first limit matter.
    virtual void getPermutation(bool reverse, size_t limit, int nan_direction_hint, Permutation& res) const;

    // Appends an unambiguous binary encoding of row n (GROUP BY / DISTINCT keys in an arena).
    virtual void serializeValue(size_t n, std::string& out) const = 0;
    // Reads one value written by serializeValue, advancing pos.
    virtual void deserializeAndInsert(const char*& pos) = 0;
    // Mixes row hashes into hashes[0..size).
    virtual void updateHashes(uint64_t* hashes) const = 0;

    virtual size_t byteSize() const = 0;
    virtual bool isConst() const { return false; }
    virtual bool isNullable() const { return false; }
    virtual bool isNullAt(size_t) const { return false; }
    virtual bool isLowCardinality() const { return false; }   // ColumnLowCardinality (column_low_cardinality.h)
    virtual bool isFixedAndContiguous() const { return false; }
    virtual const char* rawData() const { return nullptr; }
    virtual size_t valueSizeOfFixed() const { return 0; }
    // The full column (ColumnConst materializes; others return themselves).
    virtual ColumnPtr convertToFullColumn(const ColumnPtr& self) const { return self; }
};

template <typename T>
class ColumnVector final : public IColumn {
public:
    using ValueType = T;
    using Container = PODArray<T>;
    ColumnVector() = default;
    explicit ColumnVector(size_t n) : data_(n) {}
    ColumnVector(std::initializer_list<T> il) : data_(il) {}

    static std::shared_ptr<ColumnVector> create(size_t n = 0) { return std::make_shared<ColumnVector>(n); }

    const char* familyName() const override;
    size_t size() const override { return data_.size(); }
    MutableColumnPtr cloneEmpty() const override { return std::make_shared<ColumnVector>(); }
    Field get(size_t n) const override;
    void insert(const Field& f) override;
    void insertFrom(const IColumn& src, size_t n) override { data_.push_back(static_cast<const ColumnVector&>(src).data_[n]); }
    void insertRangeFrom(const IColumn& src, size_t start, size_t length) override {
        data_.append(static_cast<const ColumnVector&>(src).data_.data() + start, length);
    }
    void insertDefault() override { data_.push_back(T{}); }
    void insertManyDefaults(size_t n) override { data_.resize_fill(data_.size() + n, T{}); }
    void insertValue(T v) { data_.push_back(v); }
    void popBack(size_t n) override { data_.resize(data_.size() - n); }
    void reserve(size_t n) override { data_.reserve(n); }
    ColumnPtr filter(const Filter& mask, size_t hint) const override;
    ColumnPtr permute(const Permutation& perm, size_t limit) const override;
    ColumnPtr replicate(const Offsets& offsets) const override;
    int compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const override;
    void getPermutation(bool reverse, size_t limit, int nan_hint, Permutation& res) const override;
    void serializeValue(size_t n, std::string& out) const override { out.append(reinterpret_cast<const char*>(&data_[n]), sizeof(T)); }
    void deserializeAndInsert(const char*& pos) override;
    void updateHashes(uint64_t* hashes) const override;
    size_t byteSize() const override { return data_.size() * sizeof(T); }
    bool isFixedAndContiguous() const override { return true; }
    const char* rawData() const override { return reinterpret_cast<const char*>(data_.data()); }
    size_t valueSizeOfFixed() const override { return sizeof(T); }

    Container& getData() { return data_; }
    const Container& getData() const { return data_; }

private:
    Container data_;
};

using ColumnUInt8 = ColumnVector<uint8_t>;
using ColumnUInt16 = ColumnVector<uint16_t>;
using ColumnUInt32 = ColumnVector<uint32_t>;
using ColumnUInt64 = ColumnVector<uint64_t>;
using ColumnInt8 = ColumnVector<int8_t>;
using ColumnInt16 = ColumnVector<int16_t>;
using ColumnInt32 = ColumnVector<int32_t>;
using ColumnInt64 = ColumnVector<int64_t>;
using ColumnFloat32 = ColumnVector<float>;
using ColumnFloat64 = ColumnVector<double>;

class ColumnString final : public IColumn {
public:
    using Chars = PODArray<char>;
    static std::shared_ptr<ColumnString> create() { return std::make_shared<ColumnString>(); }
    const char* familyName() const override { return "String"; }
    size_t size() const override { return offsets_.size(); }
    MutableColumnPtr cloneEmpty() const override { return std::make_shared<ColumnString>(); }
    Field get(size_t n) const override { return Field(std::string(getView(n))); }
    void insert(const Field& f) override;
    void insertFrom(const IColumn& src, size_t n) override { insertData(static_cast<const ColumnString&>(src).getView(n)); }
    void insertRangeFrom(const IColumn& src, size_t start, size_t length) override;
    void insertDefault() override { offsets_.push_back(chars_.size()); }
    void insertData(std::string_view s) { chars_.append(s.data(), s.size()); offsets_.push_back(chars_.size()); }
    void popBack(size_t n) override;
    void reserve(size_t n) override { offsets_.reserve(n); }
    ColumnPtr filter(const Filter& mask, size_t hint) const override;
    ColumnPtr permute(const Permutation& perm, size_t limit) const override;
    ColumnPtr replicate(const Offsets& offsets) const override;
    int compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const override;
    void getPermutation(bool reverse, size_t limit, int nan_hint, Permutation& res) const override;
    void serializeValue(size_t n, std::string& out) const override;
    void deserializeAndInsert(const char*& pos) override;
    void updateHashes(uint64_t* hashes) const override;
    size_t byteSize() const override { return chars_.size() + offsets_.size() * 8; }

    std::string_view getView(size_t n) const {
        size_t begin = n ? offsets_[n - 1] : 0;
        return {chars_.data() + begin, offsets_[n] - begin};
    }
    size_t offsetAt(size_t n) const { return n ? offsets_[n - 1] : 0; }
    Chars& getChars() { return chars_; }
    const Chars& getChars() const { return chars_; }
    Offsets& getOffsets() { return offsets_; }
    const Offsets& getOffsets() const { return offsets_; }

private:
    Chars chars_;
    Offsets offsets_;
};

class ColumnFixedString final : public IColumn {
public:
    explicit ColumnFixedString(size_t n) : n_(n) {}
    const char* familyName() const override { return "FixedString"; }
    size_t size() const override { return n_ ? chars_.size() / n_ : 0; }
    MutableColumnPtr cloneEmpty() const override { return std::make_shared<ColumnFixedString>(n_); }
    Field get(size_t n) const override { return Field(std::string(getView(n))); }
    void insert(const Field& f) override;
    void insertFrom(const IColumn& src, size_t n) override { chars_.append(static_cast<const ColumnFixedString&>(src).chars_.data() + n * n_, n_); }
    void insertRangeFrom(const IColumn& src, size_t start, size_t length) override {
        chars_.append(static_cast<const ColumnFixedString&>(src).chars_.data() + start * n_, length * n_);
    }
    void insertDefault() override { chars_.resize_fill(chars_.size() + n_, 0); }
    void insertData(std::string_view s);  // pads with zeros; throws TOO_LARGE_STRING_SIZE if longer
    void popBack(size_t n) override { chars_.resize(chars_.size() - n * n_); }
    ColumnPtr filter(const Filter& mask, size_t hint) const override;
    ColumnPtr permute(const Permutation& perm, size_t limit) const override;
    ColumnPtr replicate(const Offsets& offsets) const override;
    int compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const override;
    void serializeValue(size_t n, std::string& out) const override { out.append(chars_.data() + n * n_, n_); }
    void deserializeAndInsert(const char*& pos) override { chars_.append(pos, n_); pos += n_; }
    void updateHashes(uint64_t* hashes) const override;
    size_t byteSize() const override { return chars_.size(); }
    std::string_view getView(size_t n) const { return {chars_.data() + n * n_, n_}; }
    size_t getN() const { return n_; }
    PODArray<char>& getChars() { return chars_; }
    const PODArray<char>& getChars() const { return chars_; }

private:
    size_t n_;
    PODArray<char> chars_;
};

class ColumnNullable final : public IColumn {
public:
    ColumnNullable(MutableColumnPtr nested, std::shared_ptr<ColumnUInt8> null_map)
        : nested_(std::move(nested)), null_map_(std::move(null_map)) {}
    static std::shared_ptr<ColumnNullable> create(MutableColumnPtr nested) {
        auto nm = ColumnUInt8::create(nested->size());
        std::memset(nm->getData().data(), 0, nm->size());
        return std::make_shared<ColumnNullable>(std::move(nested), std::move(nm));
    }
    const char* familyName() const override { return "Nullable"; }
    size_t size() const override { return null_map_->size(); }
    MutableColumnPtr cloneEmpty() const override {
        return std::make_shared<ColumnNullable>(nested_->cloneEmpty(), ColumnUInt8::create());
    }
    Field get(size_t n) const override { return isNullAt(n) ? Field() : nested_->get(n); }
    void insert(const Field& f) override;
    void insertFrom(const IColumn& src, size_t n) override;
    void insertRangeFrom(const IColumn& src, size_t start, size_t length) override;
    void insertDefault() override { nested_->insertDefault(); null_map_->insertValue(1); }
    void insertNull() { insertDefault(); }
    // Inserts a row of the nested type (not NULL).
    void insertFromNotNullable(const IColumn& src, size_t n) { nested_->insertFrom(src, n); null_map_->insertValue(0); }
    void popBack(size_t n) override { nested_->popBack(n); null_map_->popBack(n); }
    void reserve(size_t n) override { nested_->reserve(n); null_map_->reserve(n); }
    ColumnPtr filter(const Filter& mask, size_t hint) const override;
    ColumnPtr permute(const Permutation& perm, size_t limit) const override;
    ColumnPtr replicate(const Offsets& offsets) const override;
    int compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const override;
    void getPermutation(bool reverse, size_t limit, int nan_hint, Permutation& res) const override;
    void serializeValue(size_t n, std::string& out) const override;
    void deserializeAndInsert(const char*& pos) override;
    void updateHashes(uint64_t* hashes) const override;
    size_t byteSize() const override { return nested_->byteSize() + null_map_->byteSize(); }
    bool isNullable() const override { return true; }
    bool isNullAt(size_t n) const override { return null_map_->getData()[n] != 0; }

    const IColumn& getNested() const { return *nested_; }
    IColumn& getNested() { return *nested_; }
    const MutableColumnPtr& getNestedPtr() const { return nested_; }
    const PODArray<uint8_t>& getNullMap() const { return null_map_->getData(); }
    PODArray<uint8_t>& getNullMap() { return null_map_->getData(); }
    const std::shared_ptr<ColumnUInt8>& getNullMapColumn() const { return null_map_; }

private:
    MutableColumnPtr nested_;
    std::shared_ptr<ColumnUInt8> null_map_;
};

class ColumnArray final : public IColumn {
public:
    explicit ColumnArray(MutableColumnPtr nested) : nested_(std::move(nested)) {}
    ColumnArray(MutableColumnPtr nested, Offsets offsets) : nested_(std::move(nested)), offsets_(std::move(offsets)) {}
    const char* familyName() const override { return "Array"; }
    size_t size() const override { return offsets_.size(); }
    MutableColumnPtr cloneEmpty() const override { return std::make_shared<ColumnArray>(nested_->cloneEmpty()); }
    Field get(size_t n) const override;
    void insert(const Field& f) override;
    void insertFrom(const IColumn& src, size_t n) override;
    void insertRangeFrom(const IColumn& src, size_t start, size_t length) override;
    void insertDefault() override { offsets_.push_back(offsets_.empty() ? 0 : offsets_.back()); }
    void popBack(size_t n) override;
    ColumnPtr filter(const Filter& mask, size_t hint) const override;
    ColumnPtr permute(const Permutation& perm, size_t limit) const override;
    ColumnPtr replicate(const Offsets& offsets) const override;
    int compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const override;
    void serializeValue(size_t n, std::string& out) const override;
    void deserializeAndInsert(const char*& pos) override;
    void updateHashes(uint64_t* hashes) const override;
    size_t byteSize() const override { return nested_->byteSize() + offsets_.size() * 8; }

    size_t offsetAt(size_t n) const { return n ? offsets_[n - 1] : 0; }
    size_t sizeAt(size_t n) const { return offsets_[n] - offsetAt(n); }
    const IColumn& getData() const { return *nested_; }
    IColumn& getData() { return *nested_; }
    const MutableColumnPtr& getDataPtr() const { return nested_; }
    Offsets& getOffsets() { return offsets_; }
    const Offsets& getOffsets() const { return offsets_; }

private:
    MutableColumnPtr nested_;
    Offsets offsets_;
};

class ColumnTuple final : public IColumn {
public:
    explicit ColumnTuple(std::vector<MutableColumnPtr> cols) : columns_(std::move(cols)) {}
    const char* familyName() const override { return "Tuple"; }
    size_t size() const override { return columns_.empty() ? size_ : columns_[0]->size(); }
    MutableColumnPtr cloneEmpty() const override;
    Field get(size_t n) const override;
    void insert(const Field& f) override;
    void insertFrom(const IColumn& src, size_t n) override;
    void insertRangeFrom(const IColumn& src, size_t start, size_t length) override;
    void insertDefault() override { for (auto& c : columns_) c->insertDefault(); ++size_; }
    void popBack(size_t n) override { for (auto& c : columns_) c->popBack(n); size_ -= n; }
    ColumnPtr filter(const Filter& mask, size_t hint) const override;
    ColumnPtr permute(const Permutation& perm, size_t limit) const override;
    ColumnPtr replicate(const Offsets& offsets) const override;
    int compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const override;
    void serializeValue(size_t n, std::string& out) const override { for (auto& c : columns_) c->serializeValue(n, out); }
    void deserializeAndInsert(const char*& pos) override { for (auto& c : columns_) c->deserializeAndInsert(pos); ++size_; }
    void updateHashes(uint64_t* hashes) const override { for (auto& c : columns_) c->updateHashes(hashes); }
    size_t byteSize() const override { size_t s = 0; for (auto& c : columns_) s += c->byteSize(); return s; }
    size_t tupleSize() const { return columns_.size(); }
    const IColumn& getColumn(size_t i) const { return *columns_[i]; }
    const MutableColumnPtr& getColumnPtr(size_t i) const { return columns_[i]; }

private:
    std::vector<MutableColumnPtr> columns_;
    size_t size_ = 0;  // only meaningful for an empty tuple
};

class ColumnConst final : public IColumn {
public:
    // data has exactly one row.
    ColumnConst(ColumnPtr data, size_t n) : data_(std::move(data)), n_(n) {}
    const char* familyName() const override { return "Const"; }
    size_t size() const override { return n_; }
    MutableColumnPtr cloneEmpty() const override { return std::make_shared<ColumnConst>(data_, 0); }
    Field get(size_t) const override { return data_->get(0); }
    void insert(const Field&) override { ++n_; }
    void insertFrom(const IColumn&, size_t) override { ++n_; }
    void insertRangeFrom(const IColumn&, size_t, size_t length) override { n_ += length; }
    void insertDefault() override { ++n_; }
    void popBack(size_t n) override { n_ -= n; }
    ColumnPtr filter(const Filter& mask, size_t hint) const override;
    ColumnPtr permute(const Permutation& perm, size_t limit) const override;
    ColumnPtr cut(size_t, size_t length) const override { return std::make_shared<ColumnConst>(data_, length); }
    ColumnPtr replicate(const Offsets& offsets) const override {
        return std::make_shared<ColumnConst>(data_, offsets.empty() ? 0 : offsets.back());
    }
    int compareAt(size_t, size_t, const IColumn& rhs, int nan_hint) const override;
    void getPermutation(bool, size_t, int, Permutation& res) const override;
    void serializeValue(size_t, std::string& out) const override { data_->serializeValue(0, out); }
    void deserializeAndInsert(const char*&) override;
    void updateHashes(uint64_t* hashes) const override;
    size_t byteSize() const override { return data_->byteSize(); }
    bool isConst() const override { return true; }
    bool isNullAt(size_t) const override { return data_->isNullAt(0); }
    ColumnPtr convertToFullColumn(const ColumnPtr&) const override;
    const IColumn& getDataColumn() const { return *data_; }
    const ColumnPtr& getDataColumnPtr() const { return data_; }

private:
    ColumnPtr data_;
    size_t n_;
};

// Materializes ColumnConst; returns other columns unchanged.
ColumnPtr materialize(const ColumnPtr& c);
// Typed accessors that throw LOGICAL_ERROR on a layout mismatch (debugging aid outside hot loops).
template <typename T> const T& assertCast(const IColumn& c);
// Mixes a 64-bit value into a running hash (used by updateHashes).
inline uint64_t hashMix(uint64_t h, uint64_t v) {
    v *= 0x9E3779B97F4A7C15ULL; v ^= v >> 32;
    return (h ^ v) * 0xC2B2AE3D27D4EB4FULL + 0x165667B19E3779F9ULL;
}

}  // namespace basalt
