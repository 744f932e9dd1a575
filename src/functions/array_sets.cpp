// array_sets.cpp — owns the array functions that treat arrays as sets or look for values in them:
// arrayUnion, arraySymmetricDifference, arrayExcept, arrayJaccardIndex, arrayRemove (array_remove),
// hasSubstr, indexOfAssumeSorted. (has / hasAny / hasAll / indexOf / countEqual / arrayIntersect
// live in array_functions.cpp.)
//
// arrayUnion and arraySymmetricDifference return their elements in the iteration order of the
// hash table ClickHouse collects them in. That order is what users see, so ChOrderMap below
// reproduces the table exactly: its hash functions, cell placement, growth and the in-place
// reinsertion of a resize.
#include <array>
#include <cstring>
#include <deque>
#include <string_view>
#include <unordered_set>

#include "common/crc32c.h"
#include "common/city_hash.h"
#include "common/exception.h"
#include "common/hash_table.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

const ColumnArray& arrayOf(const ColumnPtr& c) { return static_cast<const ColumnArray&>(*c); }

// ---- ClickHouse hash-table iteration order ----


uint64_t load64(const char* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }
uint32_t load32(const char* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }

// ClickHouse's StringRefHash (CRC32Hash): short strings through CityHash's small-size mixing,
// longer ones 8 bytes at a time through CRC-32C; the result is 32 bits.
uint64_t stringRefHash(std::string_view s) {
    size_t n = s.size();
    const char* p = s.data();
    if (n == 0) return 0;
    if (n < 8) {
        constexpr uint64_t k2 = 0x9ae16a3b2f90404fULL, k3 = 0xc949d7c7509e6557ULL;
        uint64_t h;
        if (n >= 4) {
            uint64_t a = load32(p);
            h = city::hash128to64(n + (a << 3), load32(p + n - 4));
        } else {
            uint8_t a = uint8_t(p[0]), b = uint8_t(p[n >> 1]), c = uint8_t(p[n - 1]);
            uint32_t y = uint32_t(a) + (uint32_t(b) << 8);
            uint32_t z = uint32_t(n) + (uint32_t(c) << 2);
            uint64_t v = (y * k2) ^ (z * k3);
            h = (v ^ (v >> 47)) * k2;
        }
        return uint32_t(h);
    }
    uint32_t res = 0xFFFFFFFFu;
    size_t pos = 0;
    do {
        res = crc32cWord(res, load64(p + pos));
        pos += 8;
    } while (pos + 8 < n);
    res = crc32cWord(res, load64(p + n - 8));
    return res;
}

// DefaultHash of a fixed-width value (its raw bytes): up to 8 bytes zero-extended through
// intHash64; 16 bytes as intHash64(low ^ high); 32 bytes as ClickHouse folds them (three words).
uint64_t numberHash(std::string_view b) {
    uint64_t w[4] = {0, 0, 0, 0};
    std::memcpy(w, b.data(), std::min<size_t>(b.size(), 32));
    if (b.size() <= 8) return intHash64(w[0]);
    if (b.size() == 16) return intHash64(w[0] ^ w[1]);
    return intHash64(w[0] ^ w[1] ^ w[2]);
}

// A key: raw value bytes (numbers, compared bitwise; the all-zero value is the "zero key") or
// string bytes (the empty string is the zero key).
struct KeyKind {
    bool number = false;
    bool isZero(std::string_view k) const {
        if (!number) return k.empty();
        for (char c : k) if (c) return false;
        return true;
    }
    uint64_t hash(std::string_view k) const { return number ? numberHash(k) : stringRefHash(k); }
};

// Iteration order of ClearableHashMapWithStackMemory<Key, UInt64, Hash, 6>: 2^degree cells from
// 64, linear probing from hash & mask, growth by 4x (2x from 2^23) once more than half full with
// ClickHouse's in-place reinsertion, the zero key stored aside and visited first. clear() keeps the
// grown size (ClickHouse clears by bumping a version), so earlier rows of a block affect the order
// of later ones exactly as they do there.
class ChOrderMap {
public:
    struct Cell {
        std::string_view key;
        uint64_t hash = 0;
        uint64_t mapped = 0;
        uint32_t version = 0;   // a cell is occupied when it carries the current version
        uint32_t src_arg = 0;   // where the key was first seen
        size_t src_row = 0;
    };

    explicit ChOrderMap(KeyKind kind) : kind_(kind), buf_(64) {}

    void clear() { ++version_; size_ = 0; has_zero_ = false; }

    // The cell of `key`, inserted (mapped = 0, source recorded) if absent.
    Cell& emplace(std::string_view key, uint32_t arg, size_t row) {
        if (kind_.isZero(key)) {
            if (!has_zero_) {
                has_zero_ = true;
                ++size_;
                zero_ = Cell{key, 0, 0, version_, arg, row};
            }
            return zero_;
        }
        uint64_t h = kind_.hash(key);
        size_t place = findCell(key, h, h & mask());
        if (occupied(buf_[place])) return buf_[place];
        buf_[place] = Cell{key, h, 0, version_, arg, row};
        ++size_;
        if (size_ > (size_t(1) << (degree_ - 1))) {
            resize();
            place = findCell(key, h, h & mask());
        }
        return buf_[place];
    }

    template <typename F>
    void forEach(F&& f) const {
        if (has_zero_) f(zero_);
        for (auto& c : buf_) if (occupied(c)) f(c);
    }

private:
    bool occupied(const Cell& c) const { return c.version == version_; }
    size_t mask() const { return (size_t(1) << degree_) - 1; }
    size_t findCell(std::string_view key, uint64_t h, size_t place) const {
        while (occupied(buf_[place]) && !(buf_[place].hash == h && buf_[place].key == key)) place = (place + 1) & mask();
        return place;
    }
    void resize() {
        size_t old_size = buf_.size();
        degree_ += degree_ >= 23 ? 1 : 2;
        buf_.resize(size_t(1) << degree_);
        size_t i = 0;
        for (; i < old_size; ++i)
            if (occupied(buf_[i])) reinsert(i);
        // A chain that wrapped to the start of the old buffer continues right after it.
        for (; i < buf_.size() && occupied(buf_[i]); ++i) reinsert(i);
    }
    void reinsert(size_t i) {
        size_t place = buf_[i].hash & mask();
        if (place == i) return;
        place = findCell(buf_[i].key, buf_[i].hash, place);
        if (occupied(buf_[place])) return;
        buf_[place] = buf_[i];
        buf_[i].version = 0;
    }

    KeyKind kind_;
    std::vector<Cell> buf_;
    uint8_t degree_ = 6;
    size_t size_ = 0;
    uint32_t version_ = 1;
    bool has_zero_ = false;
    Cell zero_;
};

// ClickHouse's in-arena serialization of one value (the hash key of composite elements): raw
// fixed-width bytes, strings as 8-byte size then the bytes, arrays as 8-byte size then elements,
// tuples as their elements, Nullable as a flag byte then the value.
void chSerialize(const IColumn& c, const DataType& t, size_t n, std::string& out) {
    switch (t.id) {
        case TypeId::Nullable: {
            auto& nc = static_cast<const ColumnNullable&>(c);
            bool null = nc.isNullAt(n);
            out += char(null);
            if (!null) chSerialize(nc.getNested(), *t.nested[0], n, out);
            return;
        }
        case TypeId::String: {
            auto v = static_cast<const ColumnString&>(c).getView(n);
            uint64_t len = v.size();
            out.append(reinterpret_cast<const char*>(&len), 8);
            out.append(v);
            return;
        }
        case TypeId::Array: case TypeId::Map: {
            auto& a = static_cast<const ColumnArray&>(c);
            uint64_t len = a.sizeAt(n);
            out.append(reinterpret_cast<const char*>(&len), 8);
            DataTypePtr et = t.id == TypeId::Map ? makeTuple({t.nested[0], t.nested[1]}) : t.nested[0];
            for (size_t i = a.offsetAt(n); i < a.getOffsets()[n]; ++i) chSerialize(a.getData(), *et, i, out);
            return;
        }
        case TypeId::Tuple: {
            auto& tu = static_cast<const ColumnTuple&>(c);
            for (size_t i = 0; i < tu.tupleSize(); ++i) chSerialize(tu.getColumn(i), *t.nested[i], n, out);
            return;
        }
        case TypeId::UUID: {   // ClickHouse keeps the high half first
            UInt128 v = static_cast<const ColumnVector<UInt128>&>(c).getData()[n];
            uint64_t hi = uint64_t(v >> 64), lo = uint64_t(v);
            out.append(reinterpret_cast<const char*>(&hi), 8);
            out.append(reinterpret_cast<const char*>(&lo), 8);
            return;
        }
        default:
            c.serializeValue(n, out);   // fixed-width values: their raw bytes
    }
}

// How ClickHouse keys elements of type t (without Nullable) in its set functions.
enum class KeyLayout { Number, String, Serialized };
KeyLayout keyLayout(const DataType& t) {
    if (t.isNumber() || t.isDecimal() || t.id == TypeId::Bool || t.id == TypeId::Date || t.id == TypeId::Date32 || t.id == TypeId::DateTime)
        return KeyLayout::Number;
    if (t.isStringOrFixed()) return KeyLayout::String;
    return KeyLayout::Serialized;
}

// The arrays of a set function converted to one element type, with per-element keys.
struct SetArgs {
    DataTypePtr elem;            // the common element type (maybe Nullable)
    DataTypePtr plain;           // elem without Nullable: the type of `values`
    KeyLayout layout = KeyLayout::Number;
    std::vector<ColumnPtr> arrays;   // cast, materialized; null for Array(Nothing) arguments
    std::vector<const IColumn*> values;   // element values without Nullable
    std::vector<const uint8_t*> nulls;
    std::deque<std::string> scratch;      // serialized keys of the current row

    std::string_view key(size_t arg, size_t k) {
        const IColumn& v = *values[arg];
        switch (layout) {
            case KeyLayout::Number: {
                size_t w = v.valueSizeOfFixed();
                return {v.rawData() + k * w, w};
            }
            case KeyLayout::String:
                if (auto* str = dynamic_cast<const ColumnString*>(&v)) return str->getView(k);
                return static_cast<const ColumnFixedString&>(v).getView(k);
            case KeyLayout::Serialized: {
                scratch.emplace_back();
                chSerialize(v, *plain, k, scratch.back());
                return scratch.back();
            }
        }
        return {};
    }
};

void requireArrays(const std::string& fn, const ColumnsWithTypeAndName& args) {
    if (args.empty()) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function " + fn + " requires at least one argument");
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i) + " for function " + fn +
                                                                      " must be an array but it has type " + args[i].type->name());
}

// The common element type of arrayUnion / arraySymmetricDifference: the least supertype of the
// non-empty element types (decimals cannot mix with other types); Nothing when all are Nothing.
DataTypePtr unionElementType(const std::string& fn, const ColumnsWithTypeAndName& args) {
    DataTypes ts;
    DataTypePtr dec, non_dec;
    for (auto& a : args) {
        const DataTypePtr& t = a.type->nested[0];
        if (t->id == TypeId::Nothing) continue;
        ts.push_back(t);
        (removeNullable(t)->isDecimal() ? dec : non_dec) = t;
        if (dec && non_dec)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal types of arguments for function " + fn + ": " + non_dec->name() + " and " + dec->name());
    }
    return ts.empty() ? makeType(TypeId::Nothing) : getLeastSupertype(ts);
}

// arrayUnion (every element of any array) and arraySymmetricDifference (elements not in all
// arrays), distinct, in ClickHouse's hash-table order; NULL last when it qualifies. Occurrences
// are counted as ClickHouse does (an element counts once per array it appears in, except that
// repeats in a later array than the element's first may count again — its symmetric difference
// inherits this).
FunctionPtr buildUnion(bool symmetric, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = symmetric ? "arraySymmetricDifference" : "arrayUnion";
    requireArrays(fn, args);
    DataTypePtr elem = unionElementType(fn, args);
    DataTypePtr rt = makeArray(elem);
    return makeFunction(fn, rt, [symmetric, elem, rt, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        auto data = createColumn(elem);
        Offsets off;
        off.reserve(rows);
        if (elem->id == TypeId::Nothing) {
            off.resize_fill(rows, 0);
            return std::make_shared<ColumnArray>(data, std::move(off));
        }
        size_t nargs = a.size();
        SetArgs s;
        s.elem = elem;
        DataTypePtr plain = removeNullable(elem);
        s.plain = plain;
        s.layout = keyLayout(*plain);
        for (auto& x : a) {
            if (x.type->nested[0]->id == TypeId::Nothing) {
                s.arrays.push_back(nullptr);
                s.values.push_back(nullptr);
                s.nulls.push_back(nullptr);
                continue;
            }
            ColumnPtr c = materialize(castColumn(materialize(x.column), x.type, rt, ctx));
            const IColumn* d = &arrayOf(c).getData();
            const uint8_t* nm = nullptr;
            if (d->isNullable()) {
                nm = static_cast<const ColumnNullable*>(d)->getNullMap().data();
                d = &static_cast<const ColumnNullable*>(d)->getNested();
            }
            s.arrays.push_back(c);
            s.values.push_back(d);
            s.nulls.push_back(nm);
        }
        KeyKind kind{s.layout == KeyLayout::Number};
        ChOrderMap map(kind);
        bool nullable_result = elem->isNullable();
        for (size_t i = 0; i < rows; ++i) {
            map.clear();
            s.scratch.clear();
            size_t arrays_with_null = 0;
            for (size_t j = 0; j < nargs; ++j) {
                if (!s.arrays[j]) continue;
                auto& arr = arrayOf(s.arrays[j]);
                bool has_null = false;
                for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) {
                    if (s.nulls[j] && s.nulls[j][k]) { has_null = true; continue; }
                    auto& cell = map.emplace(s.key(j, k), uint32_t(j), k);
                    if (cell.mapped <= j) ++cell.mapped;
                }
                arrays_with_null += has_null;
            }
            map.forEach([&](const ChOrderMap::Cell& c) {
                if (symmetric && c.mapped >= nargs) return;
                const IColumn& src = *s.values[c.src_arg];
                if (nullable_result) static_cast<ColumnNullable&>(*data).insertFromNotNullable(src, c.src_row);
                else data->insertFrom(src, c.src_row);
            });
            bool add_null = symmetric ? arrays_with_null > 0 && arrays_with_null < nargs : arrays_with_null > 0;
            if (add_null) data->insertDefault();
            off.push_back(data->size());
        }
        return std::make_shared<ColumnArray>(data, std::move(off));
    });
}

// arrayExcept(source, except): the elements of source not in except, in order, duplicates kept.
// The element types must be equal up to Nullable; NULL is a value.
FunctionPtr buildExcept(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayExcept", args, 2, 2);
    static const char* names[] = {"1st argument 'source'", "2nd argument 'exclude'"};
    for (size_t i = 0; i < 2; ++i)
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("A value of illegal type was provided as ") + names[i] +
                                                                      " to function 'arrayExcept'. Expected: Array, got: " + args[i].type->name());
    for (size_t i = 0; i < 2; ++i)
        if (args[i].type->nested[0]->id == TypeId::Nothing)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Unsupported type " + args[i].type->name() + ". Consider arrayFilter(x -> NOT has (exclude), source)");
    if (!removeNullable(args[0].type->nested[0])->equals(*removeNullable(args[1].type->nested[0])))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Function arrayExcept requires both arrays to have exactly the same element type. Got " +
                                                                  args[0].type->name() + " and " + args[1].type->name());
    return makeFunction("arrayExcept", args[0].type, [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr src = materialize(a[0].column), exc = materialize(a[1].column);
        auto& sa = arrayOf(src);
        auto& ea = arrayOf(exc);
        std::unordered_set<std::string> excluded;
        std::string key;
        auto keyOf = [&](const IColumn& d, size_t k) {
            key.clear();
            if (d.isNullable()) {   // NULL and values compare the same whatever the Nullable-ness
                auto& nc = static_cast<const ColumnNullable&>(d);
                if (nc.isNullAt(k)) { key = std::string(1, '\1'); return; }
                key += '\0';
                nc.getNested().serializeValue(k, key);
                return;
            }
            key += '\0';
            d.serializeValue(k, key);
        };
        Filter keep(sa.getData().size());
        size_t kept = 0;
        Offsets off(rows);
        for (size_t i = 0; i < rows; ++i) {
            excluded.clear();
            for (size_t k = ea.offsetAt(i); k < ea.getOffsets()[i]; ++k) { keyOf(ea.getData(), k); excluded.insert(key); }
            for (size_t k = sa.offsetAt(i); k < sa.getOffsets()[i]; ++k) {
                keyOf(sa.getData(), k);
                keep[k] = !excluded.count(key);
                kept += keep[k];
            }
            off[i] = kept;
        }
        ColumnPtr data = sa.getData().filter(keep, kept);
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), std::move(off));
    });
}

// Distinct serialized keys of one row's elements in a common type; NULL is a value.
void rowKeys(const ColumnArray& arr, size_t i, std::unordered_set<std::string>& out) {
    out.clear();
    std::string key;
    for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) {
        key.clear();
        arr.getData().serializeValue(k, key);
        out.insert(key);
    }
}

// arrayJaccardIndex(x, y): |distinct common elements| / (|x| + |y| - that), as ClickHouse computes
// it (array sizes with repeats); NaN for two empty arrays.
FunctionPtr buildJaccard(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("arrayJaccardIndex", args, 2, 2);
    static const char* names[] = {"1st argument 'array_1'", "2nd argument 'array_2'"};
    for (size_t i = 0; i < 2; ++i)
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("A value of illegal type was provided as ") + names[i] +
                                                                      " to function 'arrayJaccardIndex'. Expected: Array, got: " + args[i].type->name());
    bool nothing0 = args[0].type->nested[0]->id == TypeId::Nothing, nothing1 = args[1].type->nested[0]->id == TypeId::Nothing;
    if (nothing0 && nothing1)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "array aggregate functions cannot be performed on two empty arrays");
    DataTypePtr common = nothing0 ? args[1].type->nested[0] : nothing1 ? args[0].type->nested[0]
                                                                       : getLeastSupertype({args[0].type->nested[0], args[1].type->nested[0]});
    return makeFunction("arrayJaccardIndex", makeType(TypeId::Float64), [common, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        std::vector<ColumnPtr> cols;
        for (auto& x : a) {
            ColumnPtr c = materialize(x.column);
            if (x.type->nested[0]->id != TypeId::Nothing) c = materialize(castColumn(c, x.type, makeArray(common), ctx));
            cols.push_back(c);
        }
        auto& x = arrayOf(cols[0]);
        auto& y = arrayOf(cols[1]);
        auto res = ColumnFloat64::create(rows);
        std::unordered_set<std::string> kx, ky;
        for (size_t i = 0; i < rows; ++i) {
            rowKeys(x, i, kx);
            rowKeys(y, i, ky);
            size_t inter = 0;
            for (auto& k : kx) inter += ky.count(k);
            double denom = double(x.sizeAt(i) + y.sizeAt(i) - inter);
            res->getData()[i] = double(inter) / denom;
        }
        return res;
    });
}

// arrayRemove(arr, x): arr without the elements equal to x (NULL removes NULLs).
FunctionPtr buildRemove(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("arrayRemove", args, 2, 2);
    if (args[0].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument for function arrayRemove must be an array but it has type " + args[0].type->name());
    DataTypePtr common = getLeastSupertype({args[0].type->nested[0], args[1].type});
    return makeFunction("arrayRemove", args[0].type, [common, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr arr_c = materialize(a[0].column);
        auto& arr = arrayOf(arr_c);
        ColumnPtr data = materialize(castColumn(arr.getDataPtr(), a[0].type->nested[0], common, ctx));
        ColumnPtr x = materialize(castColumn(a[1].column, a[1].type, common, ctx));
        Filter keep(arr.getData().size());
        size_t kept = 0;
        Offsets off(rows);
        for (size_t i = 0; i < rows; ++i) {
            for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) {
                keep[k] = data->compareAt(k, i, *x, 1) != 0;
                kept += keep[k];
            }
            off[i] = kept;
        }
        ColumnPtr res = arr.getData().filter(keep, kept);
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(res), std::move(off));
    });
}

// hasSubstr(a, b): whether b occurs in a as a contiguous run (NULL is a value; an empty b always).
FunctionPtr buildHasSubstr(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("hasSubstr", args, 2, 2);
    for (size_t i = 0; i < 2; ++i)
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i) + " for function hasSubstr must be an array but it has type " +
                                                                      args[i].type->name());
    DataTypePtr common = getLeastSupertype({args[0].type->nested[0], args[1].type->nested[0]});
    return makeFunction("hasSubstr", makeType(TypeId::UInt8), [common, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        DataTypePtr at = makeArray(common);
        ColumnPtr x = materialize(castColumn(materialize(a[0].column), a[0].type, at, ctx));
        ColumnPtr y = materialize(castColumn(materialize(a[1].column), a[1].type, at, ctx));
        auto& ax = arrayOf(x);
        auto& ay = arrayOf(y);
        auto& dx = ax.getData();
        auto& dy = ay.getData();
        auto res = ColumnUInt8::create(rows);
        for (size_t i = 0; i < rows; ++i) {
            size_t xb = ax.offsetAt(i), xn = ax.sizeAt(i), yb = ay.offsetAt(i), yn = ay.sizeAt(i);
            uint8_t found = yn == 0;
            for (size_t s = 0; !found && s + yn <= xn; ++s) {
                size_t k = 0;
                while (k < yn && dx.compareAt(xb + s + k, yb + k, dy, 1) == 0) ++k;
                found = k == yn;
            }
            res->getData()[i] = found;
        }
        return res;
    });
}

// indexOfAssumeSorted(arr, x): the 1-based position of the first x by binary search over an
// ascending array (NULLs last), 0 if absent.
FunctionPtr buildIndexOfSorted(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("indexOfAssumeSorted", args, 2, 2);
    if (args[0].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument for function indexOfAssumeSorted must be an array. Actual " + args[0].type->name());
    DataTypePtr common = getLeastSupertype({args[0].type->nested[0], args[1].type});
    return makeFunction("indexOfAssumeSorted", makeType(TypeId::UInt64), [common, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr arr_c = materialize(a[0].column);
        auto& arr = arrayOf(arr_c);
        ColumnPtr data = materialize(castColumn(arr.getDataPtr(), a[0].type->nested[0], common, ctx));
        ColumnPtr x = materialize(castColumn(a[1].column, a[1].type, common, ctx));
        auto res = ColumnUInt64::create(rows);
        for (size_t i = 0; i < rows; ++i) {
            size_t lo = arr.offsetAt(i), hi = arr.getOffsets()[i], b = lo;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (data->compareAt(mid, i, *x, 1) < 0) lo = mid + 1;
                else hi = mid;
            }
            bool found = lo < arr.getOffsets()[i] && data->compareAt(lo, i, *x, 1) == 0;
            res->getData()[i] = found ? lo - b + 1 : 0;
        }
        return res;
    });
}

}  // namespace

void registerArraySetFunctions(FunctionFactory& f) {
    FunctionProperties keep_nulls{.default_nulls = false};
    f.registerFunction("arrayUnion", [](auto& a, auto& c) { return buildUnion(false, a, c); });
    f.registerFunction("arraySymmetricDifference", [](auto& a, auto& c) { return buildUnion(true, a, c); });
    f.registerFunction("arrayExcept", buildExcept);
    f.registerFunction("arrayJaccardIndex", buildJaccard);
    f.registerFunction("arrayRemove", buildRemove, keep_nulls);
    f.registerAlias("array_remove", "arrayRemove");
    f.registerFunction("hasSubstr", buildHasSubstr);
    f.registerFunction("indexOfAssumeSorted", buildIndexOfSorted, keep_nulls);
}

}  // namespace basalt
