// column.cpp — implementations of the column layouts declared in column.h.
#include "columns/column.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "common/exception.h"
#include "common/wide_integer.h"

namespace basalt {

// ---------------------------------------------------------------- IColumn defaults
MutableColumnPtr IColumn::cloneResized(size_t n) const {
    auto res = cloneEmpty();
    size_t take = std::min(n, size());
    res->insertRangeFrom(*this, 0, take);
    if (n > take) res->insertManyDefaults(n - take);
    return res;
}

ColumnPtr IColumn::cut(size_t start, size_t length) const {
    auto res = cloneEmpty();
    res->insertRangeFrom(*this, start, length);
    return res;
}

void IColumn::getPermutation(bool reverse, size_t limit, int nan_hint, Permutation& res) const {
    size_t n = size();
    res.resize(n);
    for (size_t i = 0; i < n; ++i) res[i] = uint32_t(i);
    auto less = [&](uint32_t a, uint32_t b) {
        int c = compareAt(a, b, *this, nan_hint);
        return reverse ? c > 0 : c < 0;
    };
    if (limit && limit < n) std::partial_sort(res.begin(), res.begin() + limit, res.end(), less);
    else std::stable_sort(res.begin(), res.end(), less);
}

template <typename T>
const T& assertCast(const IColumn& c) {
    auto* p = dynamic_cast<const T*>(&c);
    if (!p) throw Exception(ErrorCodes::LOGICAL_ERROR, std::string("Bad cast from column ") + c.familyName());
    return *p;
}

ColumnPtr materialize(const ColumnPtr& c) { return c->isConst() ? c->convertToFullColumn(c) : c; }

namespace {
// Generic filter/permute/replicate helpers for columns that support insertFrom.
template <typename Col>
ColumnPtr genericFilter(const Col& col, const Filter& mask, size_t hint) {
    auto res = col.cloneEmpty();
    res->reserve(hint);
    for (size_t i = 0; i < mask.size(); ++i)
        if (mask[i]) res->insertFrom(col, i);
    return res;
}
template <typename Col>
ColumnPtr genericPermute(const Col& col, const Permutation& perm, size_t limit) {
    size_t n = limit ? std::min<size_t>(limit, perm.size()) : perm.size();
    auto res = col.cloneEmpty();
    res->reserve(n);
    for (size_t i = 0; i < n; ++i) res->insertFrom(col, perm[i]);
    return res;
}
template <typename Col>
ColumnPtr genericReplicate(const Col& col, const Offsets& offsets) {
    auto res = col.cloneEmpty();
    size_t prev = 0;
    for (size_t i = 0; i < offsets.size(); ++i) {
        for (size_t k = prev; k < offsets[i]; ++k) res->insertFrom(col, i);
        prev = offsets[i];
    }
    return res;
}
inline uint64_t hashBytes(const char* p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) { uint64_t v; std::memcpy(&v, p + i, 8); h = hashMix(h, v); }
    uint64_t tail = 0;
    std::memcpy(&tail, p + i, n - i);
    return hashMix(h, tail);
}
}  // namespace

// ---------------------------------------------------------------- ColumnVector
template <typename T> struct VectorName;
#define VN(T, N) template <> struct VectorName<T> { static constexpr const char* name = N; };
VN(uint8_t, "UInt8") VN(uint16_t, "UInt16") VN(uint32_t, "UInt32") VN(uint64_t, "UInt64") VN(UInt128, "UInt128")
VN(int8_t, "Int8") VN(int16_t, "Int16") VN(int32_t, "Int32") VN(int64_t, "Int64") VN(Int128, "Int128")
VN(float, "Float32") VN(double, "Float64") VN(Int256, "Int256") VN(UInt256, "UInt256")
#undef VN

template <typename T> const char* ColumnVector<T>::familyName() const { return VectorName<T>::name; }

template <typename T>
Field ColumnVector<T>::get(size_t n) const {
    T v = data_[n];
    if constexpr (std::is_same_v<T, Int256> || std::is_same_v<T, UInt256>) {
        // Field has no 256-bit kind: exact when it fits 64 bits, else the nearest Float64.
        if (v.fitsUInt64()) return Field(uint64_t(v));
        if (T::is_signed && v.fitsInt64()) return Field(int64_t(v));
        return Field(double(v));
    } else if constexpr (std::is_floating_point_v<T>) return Field(double(v));
    else if constexpr (std::is_same_v<T, UInt128> || std::is_same_v<T, Int128>) return Field(uint64_t(v));
    else if constexpr (std::is_signed_v<T>) return Field(int64_t(v));
    else return Field(uint64_t(v));
}

template <typename T>
void ColumnVector<T>::insert(const Field& f) {
    T v{};
    std::visit([&](const auto& x) {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, uint64_t> || std::is_same_v<X, int64_t> || std::is_same_v<X, double> || std::is_same_v<X, bool>)
            v = T(x);
        else if constexpr (std::is_same_v<X, NullField>) v = T{};
        else throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, std::string("Cannot insert non-numeric value into ") + VectorName<T>::name + " column");
    }, f.value);
    data_.push_back(v);
}

template <typename T>
ColumnPtr ColumnVector<T>::filter(const Filter& mask, size_t hint) const {
    auto res = std::make_shared<ColumnVector<T>>();
    auto& out = res->data_;
    out.resize(mask.size());
    size_t j = 0;
    const T* src = data_.data();
    T* dst = out.data();
    // Branch-free compaction: always write, advance by the mask bit.
    for (size_t i = 0; i < mask.size(); ++i) { dst[j] = src[i]; j += mask[i] != 0; }
    out.resize(j);
    (void)hint;
    return res;
}

template <typename T>
ColumnPtr ColumnVector<T>::permute(const Permutation& perm, size_t limit) const {
    size_t n = limit ? std::min<size_t>(limit, perm.size()) : perm.size();
    auto res = std::make_shared<ColumnVector<T>>(n);
    T* dst = res->data_.data();
    for (size_t i = 0; i < n; ++i) dst[i] = data_[perm[i]];
    return res;
}

template <typename T>
ColumnPtr ColumnVector<T>::replicate(const Offsets& offsets) const {
    auto res = std::make_shared<ColumnVector<T>>();
    res->data_.reserve(offsets.empty() ? 0 : offsets.back());
    size_t prev = 0;
    for (size_t i = 0; i < offsets.size(); ++i) {
        for (size_t k = prev; k < offsets[i]; ++k) res->data_.push_back(data_[i]);
        prev = offsets[i];
    }
    return res;
}

namespace {
template <typename T>
inline int compareValues(T a, T b, int nan_hint) {
    if constexpr (std::is_floating_point_v<T>) {
        bool an = std::isnan(a), bn = std::isnan(b);
        if (an || bn) {
            if (an && bn) return 0;
            return an ? nan_hint : -nan_hint;
        }
    }
    return a < b ? -1 : (b < a ? 1 : 0);
}
}  // namespace

template <typename T>
int ColumnVector<T>::compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const {
    return compareValues(data_[n], static_cast<const ColumnVector<T>&>(rhs).data_[m], nan_hint);
}

template <typename T>
void ColumnVector<T>::getPermutation(bool reverse, size_t limit, int nan_hint, Permutation& res) const {
    size_t n = size();
    res.resize(n);
    for (size_t i = 0; i < n; ++i) res[i] = uint32_t(i);
    const T* d = data_.data();
    auto less = [d, reverse, nan_hint](uint32_t a, uint32_t b) {
        int c = compareValues(d[a], d[b], reverse ? -nan_hint : nan_hint);
        if (c == 0) return a < b;  // stable
        return reverse ? c > 0 : c < 0;
    };
    if (limit && limit < n) std::partial_sort(res.begin(), res.begin() + limit, res.end(), less);
    else std::sort(res.begin(), res.end(), less);
}

template <typename T>
void ColumnVector<T>::deserializeAndInsert(const char*& pos) {
    T v;
    std::memcpy(&v, pos, sizeof(T));
    pos += sizeof(T);
    data_.push_back(v);
}

template <typename T>
void ColumnVector<T>::updateHashes(uint64_t* hashes) const {
    for (size_t i = 0; i < data_.size(); ++i) {
        if constexpr (sizeof(T) <= 8) {
            uint64_t v = 0;
            T x = data_[i];
            if constexpr (std::is_floating_point_v<T>) { if (x == 0) x = 0; }  // -0 == 0
            std::memcpy(&v, &x, sizeof(T));
            hashes[i] = hashMix(hashes[i], v);
        } else {
            hashes[i] = hashMix(hashes[i], hashBytes(reinterpret_cast<const char*>(&data_[i]), sizeof(T)));
        }
    }
}

template class ColumnVector<uint8_t>;
template class ColumnVector<uint16_t>;
template class ColumnVector<uint32_t>;
template class ColumnVector<uint64_t>;
template class ColumnVector<UInt128>;
template class ColumnVector<int8_t>;
template class ColumnVector<int16_t>;
template class ColumnVector<int32_t>;
template class ColumnVector<int64_t>;
template class ColumnVector<Int128>;
template class ColumnVector<Int256>;
template class ColumnVector<UInt256>;
template class ColumnVector<float>;
template class ColumnVector<double>;

// ---------------------------------------------------------------- ColumnString
void ColumnString::insert(const Field& f) {
    if (f.is<std::string>()) insertData(f.get<std::string>());
    else if (f.isNull()) insertDefault();
    else throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, "Cannot insert non-string value into String column");
}

void ColumnString::insertRangeFrom(const IColumn& src_, size_t start, size_t length) {
    if (!length) return;
    auto& src = static_cast<const ColumnString&>(src_);
    size_t from = src.offsetAt(start), to = src.offsetAt(start + length);
    size_t base = chars_.size();
    chars_.append(src.chars_.data() + from, to - from);
    size_t old = offsets_.size();
    offsets_.resize(old + length);
    for (size_t i = 0; i < length; ++i) offsets_[old + i] = src.offsets_[start + i] - from + base;
}

void ColumnString::popBack(size_t n) {
    size_t new_size = offsets_.size() - n;
    chars_.resize(new_size ? offsets_[new_size - 1] : 0);
    offsets_.resize(new_size);
}

ColumnPtr ColumnString::filter(const Filter& mask, size_t) const {
    auto res = std::make_shared<ColumnString>();
    const size_t n = mask.size();
    const uint8_t* m = mask.data();
    const uint64_t* off = offsets_.data();
    // Sizes first: the result's chars and offsets are allocated once, then filled through raw
    // pointers (insertData per row paid two capacity checks and a memcpy call per value).
    size_t total = 0, kept = 0;
    uint64_t prev = 0;
    for (size_t i = 0; i < n; ++i) {
        const uint64_t cur = off[i];
        const bool keep = m[i] != 0;
        total += keep ? cur - prev : 0;
        kept += keep;
        prev = cur;
    }
    res->chars_.reserve(total + 16);
    res->offsets_.resize(kept);
    char* dst = res->chars_.data();
    uint64_t* res_off = res->offsets_.data();
    const char* src = chars_.data();
    const size_t src_size = chars_.size();
    size_t pos = 0, k = 0;
    prev = 0;
    for (size_t i = 0; i < n; ++i) {
        const uint64_t cur = off[i];
        if (m[i]) {
            const size_t len = cur - prev;
            // 16-byte chunks while the source has 16 bytes past the value (the destination was
            // reserved with that slack); the last values of the column take a memcpy.
            if (cur + 16 <= src_size) {
                for (size_t j = 0; j < len; j += 16) std::memcpy(dst + pos + j, src + prev + j, 16);
            } else if (len) {
                std::memcpy(dst + pos, src + prev, len);
            }
            pos += len;
            res_off[k++] = pos;
        }
        prev = cur;
    }
    res->chars_.resize(total);
    return res;
}

ColumnPtr ColumnString::permute(const Permutation& perm, size_t limit) const {
    size_t n = limit ? std::min<size_t>(limit, perm.size()) : perm.size();
    auto res = std::make_shared<ColumnString>();
    // Sizes first, so the chars are allocated once (LowCardinality -> full gathers through here).
    size_t total = 0;
    for (size_t i = 0; i < n; ++i) total += offsets_[perm[i]] - offsetAt(perm[i]);
    res->chars_.resize(total);
    res->offsets_.resize(n);
    char* dst = res->chars_.data();
    size_t pos = 0;
    for (size_t i = 0; i < n; ++i) {
        size_t b = offsetAt(perm[i]), len = offsets_[perm[i]] - b;
        if (len) std::memcpy(dst + pos, chars_.data() + b, len);
        pos += len;
        res->offsets_[i] = pos;
    }
    return res;
}

ColumnPtr ColumnString::replicate(const Offsets& offsets) const { return genericReplicate(*this, offsets); }

int ColumnString::compareAt(size_t n, size_t m, const IColumn& rhs, int) const {
    auto a = getView(n);
    auto b = static_cast<const ColumnString&>(rhs).getView(m);
    int c = a.compare(b);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

void ColumnString::getPermutation(bool reverse, size_t limit, int, Permutation& res) const {
    size_t n = size();
    res.resize(n);
    for (size_t i = 0; i < n; ++i) res[i] = uint32_t(i);
    auto less = [&](uint32_t a, uint32_t b) {
        int c = getView(a).compare(getView(b));
        if (c == 0) return a < b;
        return reverse ? c > 0 : c < 0;
    };
    if (limit && limit < n) std::partial_sort(res.begin(), res.begin() + limit, res.end(), less);
    else std::sort(res.begin(), res.end(), less);
}

void ColumnString::serializeValue(size_t n, std::string& out) const {
    auto v = getView(n);
    uint32_t len = uint32_t(v.size());
    out.append(reinterpret_cast<const char*>(&len), 4);
    out.append(v);
}

void ColumnString::deserializeAndInsert(const char*& pos) {
    uint32_t len;
    std::memcpy(&len, pos, 4);
    pos += 4;
    insertData({pos, len});
    pos += len;
}

void ColumnString::updateHashes(uint64_t* hashes) const {
    for (size_t i = 0; i < size(); ++i) {
        auto v = getView(i);
        hashes[i] = hashMix(hashes[i], hashBytes(v.data(), v.size()));
    }
}

// ---------------------------------------------------------------- ColumnFixedString
void ColumnFixedString::insertData(std::string_view s) {
    if (s.size() > n_) throw Exception(ErrorCodes::TOO_LARGE_STRING_SIZE, "String too long for type FixedString(" + std::to_string(n_) + ")");
    size_t old = chars_.size();
    chars_.resize_fill(old + n_, 0);
    if (!s.empty()) std::memcpy(chars_.data() + old, s.data(), s.size());
}
void ColumnFixedString::insert(const Field& f) {
    if (f.is<std::string>()) insertData(f.get<std::string>());
    else if (f.isNull()) insertDefault();
    else throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, "Cannot insert non-string value into FixedString column");
}
ColumnPtr ColumnFixedString::filter(const Filter& mask, size_t hint) const { return genericFilter(*this, mask, hint); }
ColumnPtr ColumnFixedString::permute(const Permutation& perm, size_t limit) const { return genericPermute(*this, perm, limit); }
ColumnPtr ColumnFixedString::replicate(const Offsets& offsets) const { return genericReplicate(*this, offsets); }
int ColumnFixedString::compareAt(size_t n, size_t m, const IColumn& rhs, int) const {
    int c = std::memcmp(chars_.data() + n * n_, static_cast<const ColumnFixedString&>(rhs).chars_.data() + m * n_, n_);
    return c < 0 ? -1 : c > 0;
}
void ColumnFixedString::updateHashes(uint64_t* hashes) const {
    for (size_t i = 0; i < size(); ++i) hashes[i] = hashMix(hashes[i], hashBytes(chars_.data() + i * n_, n_));
}

// ---------------------------------------------------------------- ColumnNullable
void ColumnNullable::insert(const Field& f) {
    if (f.isNull()) { insertDefault(); return; }
    nested_->insert(f);
    null_map_->insertValue(0);
}
void ColumnNullable::insertFrom(const IColumn& src_, size_t n) {
    auto& src = static_cast<const ColumnNullable&>(src_);
    nested_->insertFrom(*src.nested_, n);
    null_map_->insertValue(src.getNullMap()[n]);
}
void ColumnNullable::insertRangeFrom(const IColumn& src_, size_t start, size_t length) {
    auto& src = static_cast<const ColumnNullable&>(src_);
    nested_->insertRangeFrom(*src.nested_, start, length);
    null_map_->insertRangeFrom(*src.null_map_, start, length);
}
ColumnPtr ColumnNullable::filter(const Filter& mask, size_t hint) const {
    auto n = std::const_pointer_cast<IColumn>(nested_->filter(mask, hint));
    auto m = std::static_pointer_cast<ColumnUInt8>(std::const_pointer_cast<IColumn>(null_map_->filter(mask, hint)));
    return std::make_shared<ColumnNullable>(n, m);
}
ColumnPtr ColumnNullable::permute(const Permutation& perm, size_t limit) const {
    auto n = std::const_pointer_cast<IColumn>(nested_->permute(perm, limit));
    auto m = std::static_pointer_cast<ColumnUInt8>(std::const_pointer_cast<IColumn>(null_map_->permute(perm, limit)));
    return std::make_shared<ColumnNullable>(n, m);
}
ColumnPtr ColumnNullable::replicate(const Offsets& offsets) const {
    auto n = std::const_pointer_cast<IColumn>(nested_->replicate(offsets));
    auto m = std::static_pointer_cast<ColumnUInt8>(std::const_pointer_cast<IColumn>(null_map_->replicate(offsets)));
    return std::make_shared<ColumnNullable>(n, m);
}
int ColumnNullable::compareAt(size_t n, size_t m, const IColumn& rhs_, int nan_hint) const {
    auto& rhs = static_cast<const ColumnNullable&>(rhs_);
    bool a = isNullAt(n), b = rhs.isNullAt(m);
    if (a || b) {
        if (a && b) return 0;
        return a ? nan_hint : -nan_hint;
    }
    return nested_->compareAt(n, m, *rhs.nested_, nan_hint);
}
void ColumnNullable::getPermutation(bool reverse, size_t limit, int nan_hint, Permutation& res) const {
    IColumn::getPermutation(reverse, limit, reverse ? -nan_hint : nan_hint, res);
}
void ColumnNullable::serializeValue(size_t n, std::string& out) const {
    bool null = isNullAt(n);
    out += char(null);
    if (!null) nested_->serializeValue(n, out);
}
void ColumnNullable::deserializeAndInsert(const char*& pos) {
    bool null = *pos++;
    if (null) insertDefault();
    else { nested_->deserializeAndInsert(pos); null_map_->insertValue(0); }
}
void ColumnNullable::updateHashes(uint64_t* hashes) const {
    nested_->updateHashes(hashes);
    auto& nm = getNullMap();
    for (size_t i = 0; i < nm.size(); ++i)
        if (nm[i]) hashes[i] = hashMix(hashes[i], 0x5bd1e995);
}

// ---------------------------------------------------------------- ColumnArray
Field ColumnArray::get(size_t n) const {
    FieldArray a;
    for (size_t i = offsetAt(n); i < offsets_[n]; ++i) a.items.push_back(nested_->get(i));
    return Field(std::move(a));
}
void ColumnArray::insert(const Field& f) {
    if (f.isNull()) { insertDefault(); return; }
    if (!f.is<FieldArray>()) throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, "Cannot insert non-array value into Array column");
    for (auto& x : f.get<FieldArray>().items) nested_->insert(x);
    offsets_.push_back(nested_->size());
}
void ColumnArray::insertFrom(const IColumn& src_, size_t n) {
    auto& src = static_cast<const ColumnArray&>(src_);
    size_t b = src.offsetAt(n), e = src.offsets_[n];
    nested_->insertRangeFrom(*src.nested_, b, e - b);
    offsets_.push_back(nested_->size());
}
void ColumnArray::insertRangeFrom(const IColumn& src_, size_t start, size_t length) {
    if (!length) return;
    auto& src = static_cast<const ColumnArray&>(src_);
    size_t b = src.offsetAt(start), e = src.offsetAt(start + length);
    size_t base = nested_->size();
    nested_->insertRangeFrom(*src.nested_, b, e - b);
    for (size_t i = 0; i < length; ++i) offsets_.push_back(src.offsets_[start + i] - b + base);
}
void ColumnArray::popBack(size_t n) {
    size_t new_size = offsets_.size() - n;
    size_t keep = new_size ? offsets_[new_size - 1] : 0;
    nested_->popBack(nested_->size() - keep);
    offsets_.resize(new_size);
}
ColumnPtr ColumnArray::filter(const Filter& mask, size_t hint) const { return genericFilter(*this, mask, hint); }
ColumnPtr ColumnArray::permute(const Permutation& perm, size_t limit) const { return genericPermute(*this, perm, limit); }
ColumnPtr ColumnArray::replicate(const Offsets& offsets) const { return genericReplicate(*this, offsets); }
int ColumnArray::compareAt(size_t n, size_t m, const IColumn& rhs_, int nan_hint) const {
    auto& rhs = static_cast<const ColumnArray&>(rhs_);
    size_t an = sizeAt(n), bn = rhs.sizeAt(m);
    size_t ao = offsetAt(n), bo = rhs.offsetAt(m);
    for (size_t i = 0; i < std::min(an, bn); ++i) {
        int c = nested_->compareAt(ao + i, bo + i, *rhs.nested_, nan_hint);
        if (c) return c;
    }
    return an < bn ? -1 : an > bn;
}
void ColumnArray::serializeValue(size_t n, std::string& out) const {
    uint32_t len = uint32_t(sizeAt(n));
    out.append(reinterpret_cast<const char*>(&len), 4);
    for (size_t i = offsetAt(n); i < offsets_[n]; ++i) nested_->serializeValue(i, out);
}
void ColumnArray::deserializeAndInsert(const char*& pos) {
    uint32_t len;
    std::memcpy(&len, pos, 4);
    pos += 4;
    for (uint32_t i = 0; i < len; ++i) nested_->deserializeAndInsert(pos);
    offsets_.push_back(nested_->size());
}
void ColumnArray::updateHashes(uint64_t* hashes) const {
    std::vector<uint64_t> inner(nested_->size(), 0);
    nested_->updateHashes(inner.data());
    for (size_t i = 0; i < size(); ++i) {
        uint64_t h = sizeAt(i);
        for (size_t k = offsetAt(i); k < offsets_[i]; ++k) h = hashMix(h, inner[k]);
        hashes[i] = hashMix(hashes[i], h);
    }
}

// ---------------------------------------------------------------- ColumnTuple
MutableColumnPtr ColumnTuple::cloneEmpty() const {
    std::vector<MutableColumnPtr> cols;
    for (auto& c : columns_) cols.push_back(c->cloneEmpty());
    return std::make_shared<ColumnTuple>(std::move(cols));
}
Field ColumnTuple::get(size_t n) const {
    FieldTuple t;
    for (auto& c : columns_) t.items.push_back(c->get(n));
    return Field(std::move(t));
}
void ColumnTuple::insert(const Field& f) {
    if (!f.is<FieldTuple>() || f.get<FieldTuple>().items.size() != columns_.size())
        throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, "Cannot insert value into Tuple column: wrong number of elements");
    auto& items = f.get<FieldTuple>().items;
    for (size_t i = 0; i < columns_.size(); ++i) columns_[i]->insert(items[i]);
    ++size_;
}
void ColumnTuple::insertFrom(const IColumn& src_, size_t n) {
    auto& src = static_cast<const ColumnTuple&>(src_);
    for (size_t i = 0; i < columns_.size(); ++i) columns_[i]->insertFrom(*src.columns_[i], n);
    ++size_;
}
void ColumnTuple::insertRangeFrom(const IColumn& src_, size_t start, size_t length) {
    auto& src = static_cast<const ColumnTuple&>(src_);
    for (size_t i = 0; i < columns_.size(); ++i) columns_[i]->insertRangeFrom(*src.columns_[i], start, length);
    size_ += length;
}
ColumnPtr ColumnTuple::filter(const Filter& mask, size_t hint) const {
    std::vector<MutableColumnPtr> cols;
    for (auto& c : columns_) cols.push_back(std::const_pointer_cast<IColumn>(c->filter(mask, hint)));
    auto r = std::make_shared<ColumnTuple>(std::move(cols));
    if (columns_.empty()) r->size_ = size_t(std::count_if(mask.begin(), mask.end(), [](uint8_t x) { return x != 0; }));
    return r;
}
ColumnPtr ColumnTuple::permute(const Permutation& perm, size_t limit) const {
    std::vector<MutableColumnPtr> cols;
    for (auto& c : columns_) cols.push_back(std::const_pointer_cast<IColumn>(c->permute(perm, limit)));
    auto r = std::make_shared<ColumnTuple>(std::move(cols));
    if (columns_.empty()) r->size_ = limit ? std::min<size_t>(limit, perm.size()) : perm.size();
    return r;
}
ColumnPtr ColumnTuple::replicate(const Offsets& offsets) const {
    std::vector<MutableColumnPtr> cols;
    for (auto& c : columns_) cols.push_back(std::const_pointer_cast<IColumn>(c->replicate(offsets)));
    auto r = std::make_shared<ColumnTuple>(std::move(cols));
    if (columns_.empty()) r->size_ = offsets.empty() ? 0 : offsets.back();
    return r;
}
int ColumnTuple::compareAt(size_t n, size_t m, const IColumn& rhs_, int nan_hint) const {
    auto& rhs = static_cast<const ColumnTuple&>(rhs_);
    for (size_t i = 0; i < columns_.size(); ++i) {
        int c = columns_[i]->compareAt(n, m, *rhs.columns_[i], nan_hint);
        if (c) return c;
    }
    return 0;
}

// ---------------------------------------------------------------- ColumnConst
ColumnPtr ColumnConst::filter(const Filter& mask, size_t) const {
    size_t n = size_t(std::count_if(mask.begin(), mask.end(), [](uint8_t x) { return x != 0; }));
    return std::make_shared<ColumnConst>(data_, n);
}
ColumnPtr ColumnConst::permute(const Permutation& perm, size_t limit) const {
    return std::make_shared<ColumnConst>(data_, limit ? std::min<size_t>(limit, perm.size()) : perm.size());
}
int ColumnConst::compareAt(size_t, size_t m, const IColumn& rhs, int nan_hint) const {
    if (rhs.isConst()) return data_->compareAt(0, 0, static_cast<const ColumnConst&>(rhs).getDataColumn(), nan_hint);
    return data_->compareAt(0, m, rhs, nan_hint);
}
void ColumnConst::getPermutation(bool, size_t, int, Permutation& res) const {
    res.resize(n_);
    for (size_t i = 0; i < n_; ++i) res[i] = uint32_t(i);
}
void ColumnConst::deserializeAndInsert(const char*& pos) {
    auto tmp = data_->cloneEmpty();
    tmp->deserializeAndInsert(pos);
    ++n_;
}
void ColumnConst::updateHashes(uint64_t* hashes) const {
    uint64_t h = 0;
    data_->updateHashes(&h);
    for (size_t i = 0; i < n_; ++i) hashes[i] = hashMix(hashes[i], h);
}
ColumnPtr ColumnConst::convertToFullColumn(const ColumnPtr&) const {
    Offsets off;
    off.push_back(n_);
    return data_->replicate(off);
}

template const ColumnString& assertCast<ColumnString>(const IColumn&);
template const ColumnNullable& assertCast<ColumnNullable>(const IColumn&);
template const ColumnArray& assertCast<ColumnArray>(const IColumn&);
template const ColumnTuple& assertCast<ColumnTuple>(const IColumn&);
template const ColumnConst& assertCast<ColumnConst>(const IColumn&);

}  // namespace basalt
