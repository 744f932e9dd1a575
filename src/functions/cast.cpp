// cast.cpp — column type conversion (see cast.h).
#include "functions/cast.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "columns/column_low_cardinality.h"
#include "common/date_time.h"
#include "common/exception.h"
#include "formats/value_text.h"
#include "types/create_column.h"

namespace basalt {

namespace {

template <typename From, typename To>
void convertNumbers(const From* src, To* dst, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
            // Out-of-range float -> int is UB in C++; ClickHouse yields implementation-defined values.
            // Clamp through int64/uint64 to stay defined.
            From v = src[i];
            if (std::isnan(v)) dst[i] = 0;
            else if constexpr (std::is_signed_v<To>) {
                if (v >= 9.2233720368547758e18 || v <= -9.2233720368547758e18) dst[i] = To(int64_t(std::numeric_limits<int64_t>::min()));
                else dst[i] = To(int64_t(v));
            } else {
                if (v >= 1.8446744073709552e19 || v <= -9.2233720368547758e18) dst[i] = 0;
                else if (v < 0) dst[i] = To(int64_t(v));
                else dst[i] = To(uint64_t(v));
            }
        } else {
            dst[i] = To(src[i]);
        }
    }
}

// `bad` (accurate OrNull/OrZero only): rows whose value does not fit get 1 and a zero value
// instead of an error.
template <typename To>
ColumnPtr numberToNumber(const IColumn& col, TypeId from_id, bool accurate, const DataTypePtr& to, uint8_t* bad = nullptr) {
    size_t n = col.size();
    auto res = std::make_shared<ColumnVector<To>>(n);
    bool ok = dispatchFixed(from_id, [&](auto tag) {
        using From = typename decltype(tag)::type;
        auto& src = static_cast<const ColumnVector<From>&>(col).getData();
        if constexpr ((std::is_same_v<From, UInt128> || std::is_same_v<From, Int128>) && std::is_floating_point_v<To>) {
            for (size_t i = 0; i < n; ++i) res->getData()[i] = To(src[i]);
        } else if constexpr (std::is_floating_point_v<From> && sizeof(To) == 16) {
            // float -> 128-bit: the 64-bit clamping of convertNumbers would lose the range.
            for (size_t i = 0; i < n; ++i) {
                From v = src[i];
                if (!std::isfinite(v)) {
                    if (!bad) throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Unexpected inf or nan to integer conversion");
                    bad[i] = 1;
                    res->getData()[i] = 0;
                }
                else if constexpr (std::is_same_v<To, Int128>)
                    res->getData()[i] = (v >= 1.7014118346046923e38 || v <= -1.7014118346046923e38) ? To(0) : To(v);
                else res->getData()[i] = (v >= 3.402823669209385e38 || v <= -1.0) ? To(0) : To(v);
            }
        } else {
            if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
                // ClickHouse refuses NaN and infinities for integer targets.
                for (size_t i = 0; i < n; ++i)
                    if (!std::isfinite(src[i])) {
                        if (!bad) throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Unexpected inf or nan to integer conversion");
                        bad[i] = 1;
                    }
            }
            if (accurate) {
                for (size_t i = 0; i < n; ++i) {
                    From v = src[i];
                    bool fits;
                    if constexpr (std::is_floating_point_v<To>) fits = true;
                    else if constexpr (std::is_floating_point_v<From>) fits = !std::isnan(v) && v >= From(std::numeric_limits<To>::min()) && v <= From(std::numeric_limits<To>::max()) && v == std::trunc(v);
                    else fits = (std::is_signed_v<From> && v < 0) ? (std::is_signed_v<To> && (Int128)v >= (Int128)std::numeric_limits<To>::min())
                                                                    : ((UInt128)v <= (UInt128)std::numeric_limits<To>::max());
                    if (!fits) {
                        if (!bad) throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Value in column " + std::string(col.familyName()) + " cannot be safely converted into type " + to->name());
                        bad[i] = 1;
                    }
                }
            }
            convertNumbers(src.data(), res->getData().data(), n);
            if (bad) for (size_t i = 0; i < n; ++i) if (bad[i]) res->getData()[i] = To{};
        }
    });
    if (!ok) throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Conversion to " + to->name() + " is not supported");
    return res;
}

bool isNumericLike(TypeId id) {
    switch (id) {
        case TypeId::UInt8: case TypeId::UInt16: case TypeId::UInt32: case TypeId::UInt64:
        case TypeId::Int8: case TypeId::Int16: case TypeId::Int32: case TypeId::Int64:
        case TypeId::Float32: case TypeId::Float64: case TypeId::Bool:
        case TypeId::UInt128: case TypeId::Int128:
            return true;
        default: return false;
    }
}

ColumnPtr toStringColumn(const ColumnPtr& col, const DataTypePtr& from, const FunctionContext& ctx) {
    // Integers: print straight into the chars buffer (the common toString(number) case).
    if (from->isInteger() && from->valueSize() <= 8) {
        auto res = ColumnString::create();
        size_t n = col->size();
        auto& chars = res->getChars();
        auto& offsets = res->getOffsets();
        chars.reserve(n * 8);
        offsets.resize(n);
        dispatchNumber(from->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            if constexpr (std::is_integral_v<T>) {
                const T* d = static_cast<const ColumnVector<T>&>(*col).getData().data();
                for (size_t i = 0; i < n; ++i) {
                    size_t pos = chars.size();
                    chars.resize(pos + 20);
                    auto r = std::to_chars(chars.data() + pos, chars.data() + pos + 20, d[i]);
                    chars.resize(size_t(r.ptr - chars.data()));
                    offsets[i] = chars.size();
                }
            }
        });
        return res;
    }
    FormatSettings fs;
    if (ctx.format_settings) fs = *ctx.format_settings;
    fs.session_timezone = ctx.session_timezone;
    auto res = ColumnString::create();
    std::string buf;
    size_t n = col->size();
    res->reserve(n);
    for (size_t i = 0; i < n; ++i) {
        buf.clear();
        serializeText(*from, *col, i, buf, TextStyle::Raw, fs);
        res->insertData(buf);
    }
    return res;
}

ColumnPtr fromStringColumn(const ColumnPtr& col, const DataTypePtr& to, const FunctionContext& ctx, CastMode mode) {
    FormatSettings fs;
    if (ctx.format_settings) fs = *ctx.format_settings;
    fs.session_timezone = ctx.session_timezone;
    size_t n = col->size();
    auto res = createColumn(to);
    res->reserve(n);
    std::shared_ptr<ColumnUInt8> null_map;
    if (mode == CastMode::OrNull) null_map = ColumnUInt8::create();
    auto view = [&](size_t i) -> std::string_view {
        if (auto* s = dynamic_cast<const ColumnString*>(col.get())) return s->getView(i);
        auto& f = static_cast<const ColumnFixedString&>(*col);
        return f.getView(i);
    };
    // toIntNOrNull/OrZero reject out-of-range text ('256' as UInt8), while plain toUInt8('300')
    // keeps the low bits like ClickHouse; so the lenient modes parse into Int128 and range-check.
    bool range_checked = mode != CastMode::Throw && to->isInteger() && to->valueSize() <= 8;
    if (range_checked) {
        static const DataTypePtr wide = makeType(TypeId::Int128);
        auto tmp = ColumnVector<Int128>::create();
        for (size_t i = 0; i < n; ++i) {
            bool ok = true;
            try {
                tmp->popBack(tmp->size());
                deserializeWholeText(*wide, *tmp, view(i), fs);
            } catch (const Exception&) {
                ok = false;
            }
            if (ok) {
                Int128 v = tmp->getData()[0];
                dispatchNumber(to->id, [&](auto tag) {
                    using T = typename decltype(tag)::type;
                    if constexpr (std::is_integral_v<T>) {
                        ok = v >= Int128(std::numeric_limits<T>::min()) && v <= Int128(std::numeric_limits<T>::max());
                        if (ok) static_cast<ColumnVector<T>&>(*res).insertValue(T(v));
                    }
                });
            }
            if (!ok) res->insertDefault();
            if (null_map) null_map->insertValue(!ok);
        }
        if (null_map) return std::make_shared<ColumnNullable>(res, null_map);
        return res;
    }
    for (size_t i = 0; i < n; ++i) {
        if (mode == CastMode::Throw) {
            deserializeWholeText(*to, *res, view(i), fs);
            continue;
        }
        try {
            deserializeWholeText(*to, *res, view(i), fs);
            if (null_map) null_map->insertValue(0);
        } catch (const Exception&) {
            res->insertDefault();
            if (null_map) null_map->insertValue(1);
        }
    }
    if (null_map) return std::make_shared<ColumnNullable>(res, null_map);
    return res;
}

int64_t pow10i(uint32_t s) { int64_t r = 1; while (s--) r *= 10; return r; }
Int128 pow10w(uint32_t s) { Int128 r = 1; while (s--) r *= 10; return r; }

constexpr int UNKNOWN_ELEMENT_OF_ENUM = 691;

[[noreturn]] void decimalOverflow(const std::string& what) { throw Exception(ErrorCodes::DECIMAL_OVERFLOW, what); }

template <typename T> constexpr Int128 storageMin() {
    if constexpr (std::is_same_v<T, Int128>) return Int128(UInt128(1) << 127);   // -2^127 (two's complement)
    else return Int128(std::numeric_limits<T>::min());
}
template <typename T> constexpr Int128 storageMax() {
    if constexpr (std::is_same_v<T, Int128>) return Int128((UInt128(1) << 127) - 1);
    else return Int128(std::numeric_limits<T>::max());
}

bool isDecimalSource(TypeId id) { return id == TypeId::Decimal32 || id == TypeId::Decimal64 || id == TypeId::Decimal128; }

// Calls f(TypeTag<T>) with the storage of a Decimal32/64/128 type id.
template <typename F>
void dispatchDecimal(TypeId id, F&& f) {
    switch (id) {
        case TypeId::Decimal32: f(TypeTag<int32_t>{}); return;
        case TypeId::Decimal64: f(TypeTag<int64_t>{}); return;
        case TypeId::Decimal128: f(TypeTag<Int128>{}); return;
        default: throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Decimal256 is not supported yet");
    }
}

// Integer / decimal / float -> Decimal(P, S). Integers carry scale 0. ClickHouse truncates extra
// fractional digits (toDecimal32(1.999, 2) = 1.99) and reports values outside the storage range as
// DECIMAL_OVERFLOW; in OrNull/OrZero mode such rows are marked in `bad` instead.
ColumnPtr toDecimalColumn(const IColumn& col, const DataTypePtr& from, const DataTypePtr& to, uint8_t* bad) {
    size_t n = col.size();
    uint32_t from_scale = from->isDecimal() ? from->scale : 0;
    MutableColumnPtr out = createColumn(to);
    dispatchDecimal(to->id, [&](auto to_tag) {
        using To = typename decltype(to_tag)::type;
        auto& dst = static_cast<ColumnVector<To>&>(*out).getData();
        dst.resize(n);
        auto fail = [&](size_t i, const char* msg) {
            if (!bad) decimalOverflow(msg);
            bad[i] = 1;
            dst[i] = 0;
        };
        TypeId src_id = from->id == TypeId::Bool ? TypeId::UInt8 : from->id;
        dispatchFixed(src_id, [&](auto from_tag) {
            using From = typename decltype(from_tag)::type;
            const From* src = static_cast<const ColumnVector<From>&>(col).getData().data();
            if constexpr (std::is_floating_point_v<From>) {
                double mul = double(pow10w(to->scale));
                for (size_t i = 0; i < n; ++i) {
                    double v = double(src[i]) * mul;
                    if (!std::isfinite(v)) { fail(i, "Decimal convert overflow. Cannot convert infinity or NaN to decimal"); continue; }
                    if (v <= double(storageMin<To>()) || v >= double(storageMax<To>())) { fail(i, "Decimal convert overflow. Float is out of Decimal range"); continue; }
                    dst[i] = To(v);   // truncation toward zero, as ClickHouse
                }
            } else if (to->scale >= from_scale) {
                Int128 m = pow10w(to->scale - from_scale);
                for (size_t i = 0; i < n; ++i) {
                    Int128 r;
                    bool over = false;
                    if constexpr (std::is_same_v<From, UInt128>) over = src[i] > UInt128(storageMax<Int128>());
                    if (over || __builtin_mul_overflow(Int128(src[i]), m, &r) || r < storageMin<To>() || r > storageMax<To>()) { fail(i, "Decimal convert overflow"); continue; }
                    dst[i] = To(r);
                }
            } else {
                Int128 d = pow10w(from_scale - to->scale);
                for (size_t i = 0; i < n; ++i) {
                    Int128 r = Int128(src[i]) / d;   // truncation toward zero
                    if (r < storageMin<To>() || r > storageMax<To>()) { fail(i, "Decimal convert overflow"); continue; }
                    dst[i] = To(r);
                }
            }
        });
    });
    return out;
}

// Decimal -> Float32/64, integers, Bool. Integers get the truncated whole part; a whole part outside
// the target's range is DECIMAL_OVERFLOW ("Convert overflow"), as in ClickHouse.
ColumnPtr fromDecimalColumn(const IColumn& col, const DataTypePtr& from, const DataTypePtr& to, uint8_t* bad) {
    size_t n = col.size();
    Int128 div = pow10w(from->scale);
    ColumnPtr result;
    dispatchDecimal(from->id, [&](auto from_tag) {
        using From = typename decltype(from_tag)::type;
        const From* src = static_cast<const ColumnVector<From>&>(col).getData().data();
        if (to->id == TypeId::Bool) {
            auto res = ColumnUInt8::create(n);
            for (size_t i = 0; i < n; ++i) res->getData()[i] = src[i] != 0;
            result = res;
            return;
        }
        bool ok = dispatchFixed(to->id, [&](auto to_tag) {
            using To = typename decltype(to_tag)::type;
            auto res = std::make_shared<ColumnVector<To>>(n);
            To* dst = res->getData().data();
            if constexpr (std::is_floating_point_v<To>) {
                double d = double(div);
                for (size_t i = 0; i < n; ++i) dst[i] = To(double(src[i]) / d);
            } else {
                for (size_t i = 0; i < n; ++i) {
                    Int128 whole = Int128(src[i]) / div;
                    bool fits;
                    if constexpr (std::is_same_v<To, UInt128>) fits = whole >= 0;
                    else if constexpr (std::is_unsigned_v<To>) fits = whole >= 0 && UInt128(whole) <= UInt128(std::numeric_limits<To>::max());
                    else fits = whole >= storageMin<To>() && whole <= storageMax<To>();
                    if (!fits) {
                        if (!bad) decimalOverflow("Convert overflow");
                        bad[i] = 1;
                        dst[i] = 0;
                        continue;
                    }
                    dst[i] = To(whole);
                }
            }
            result = res;
        });
        if (!ok) throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Conversion from " + from->name() + " to " + to->name() + " is not supported");
    });
    return result;
}

// Wraps a conversion result with a null map of failed rows (OrNull) or returns it as is.
ColumnPtr withBadRows(ColumnPtr res, std::shared_ptr<ColumnUInt8> bad, CastMode mode) {
    if (mode != CastMode::OrNull || !bad) return res;
    return std::make_shared<ColumnNullable>(std::const_pointer_cast<IColumn>(res), bad);
}

bool is256(TypeId id) { return id == TypeId::Int256 || id == TypeId::UInt256 || id == TypeId::Decimal256; }

// From LowCardinality: convert only the dictionary values the rows use (so unused ones such as the
// implicit default '' cannot fail), then gather through the indexes or keep them (LC -> LC).
// To LowCardinality: convert to the dictionary type, then build the dictionary.
ColumnPtr castLowCardinality(const ColumnPtr& col, const DataTypePtr& from, const DataTypePtr& to, const FunctionContext& ctx,
                             CastMode mode, bool accurate) {
    if (from->id == TypeId::LowCardinality) {
        if (!col->isLowCardinality()) return castColumn(col, from->nested[0], to, ctx, mode, accurate);
        auto& lc = static_cast<const ColumnLowCardinality&>(*col);
        auto used = lc.getUsedDictionary();
        if (to->id == TypeId::LowCardinality) {
            ColumnPtr values = materialize(castColumn(used.values, from->nested[0], to->nested[0], ctx, mode, accurate));
            auto empty = createColumn(to);
            return lc.mapResults(static_cast<const ColumnLowCardinality&>(*empty), *values, used);
        }
        ColumnPtr values = materialize(castColumn(used.values, from->nested[0], to, ctx, mode, accurate));
        return values->permute(lc.usedPositions(used), 0);
    }
    ColumnPtr full = materialize(castColumn(col, from, to->nested[0], ctx, mode, accurate));
    if (full->isLowCardinality()) return full;
    return convertToLowCardinality(full, to);
}

}  // namespace

ColumnPtr castColumn(const ColumnPtr& col_in, const DataTypePtr& from, const DataTypePtr& to, const FunctionContext& ctx,
                     CastMode mode, bool accurate) {
    if (from->equals(*to)) return col_in;
    size_t rows = col_in->size();
    // Constants: convert the single value, keep it constant.
    if (col_in->isConst()) {
        auto& cc = static_cast<const ColumnConst&>(*col_in);
        auto one = castColumn(cc.getDataColumnPtr(), from, to, ctx, mode, accurate);
        return std::make_shared<ColumnConst>(materialize(one), rows);
    }
    const ColumnPtr& col = col_in;

    // SimpleAggregateFunction(f, T) is a T.
    if (from->isSimpleAggregate() || to->isSimpleAggregate())
        return castColumn(col_in, removeSimpleAggregate(from), removeSimpleAggregate(to), ctx, mode, accurate);
    // Aggregate states convert only to the same state type (or from their serialized bytes).
    if (to->id == TypeId::AggregateFunction || from->id == TypeId::AggregateFunction) {
        if (to->id == TypeId::AggregateFunction && from->id == TypeId::String) return col_in;
        throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Conversion from " + from->name() + " to " + to->name() + " is not supported");
    }

    // LowCardinality (before the Nullable handling, so LowCardinality(Nullable(T)) keeps its NULLs).
    if (to->id == TypeId::LowCardinality || from->id == TypeId::LowCardinality)
        return castLowCardinality(col_in, from, to, ctx, mode, accurate);

    // Nullable source.
    if (from->id == TypeId::Nullable) {
        auto& nc = static_cast<const ColumnNullable&>(*col);
        if (from->nested[0]->id == TypeId::Nothing) {
            auto res = createColumn(to->id == TypeId::Nullable ? to : makeNullable(to));
            for (size_t i = 0; i < rows; ++i) res->insertDefault();
            if (to->id != TypeId::Nullable)
                throw Exception(ErrorCodes::CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN, "Cannot convert NULL value to non-Nullable type");
            return res;
        }
        DataTypePtr to_nested = removeNullable(to);
        // NULL rows hold defaults, which convert — except '' parsed as a number/date: then only the
        // non-NULL rows are converted and NULL rows get the target's default.
        ColumnPtr inner;
        size_t nulls = 0;
        for (uint8_t v : nc.getNullMap()) nulls += v != 0;
        if (nulls && from->nested[0]->isStringOrFixed() && !to_nested->isStringOrFixed()) {
            Filter keep(rows);
            for (size_t i = 0; i < rows; ++i) keep[i] = !nc.getNullMap()[i];
            ColumnPtr part = materialize(castColumn(nc.getNestedPtr()->filter(keep, rows - nulls), from->nested[0], to_nested, ctx, mode, accurate));
            auto full = part->cloneEmpty();
            full->reserve(rows);
            for (size_t i = 0, j = 0; i < rows; ++i) {
                if (keep[i]) full->insertFrom(*part, j++);
                else full->insertDefault();
            }
            inner = std::move(full);
        } else {
            inner = materialize(castColumn(nc.getNestedPtr(), from->nested[0], to_nested, ctx, mode, accurate));
        }
        if (to->id == TypeId::Nullable) {
            if (inner->isNullable()) {   // OrNull produced its own map
                auto& in = static_cast<const ColumnNullable&>(*inner);
                auto nm = ColumnUInt8::create(rows);
                for (size_t i = 0; i < rows; ++i) nm->getData()[i] = in.getNullMap()[i] | nc.getNullMap()[i];
                return std::make_shared<ColumnNullable>(in.getNestedPtr(), nm);
            }
            auto nm = std::static_pointer_cast<ColumnUInt8>(std::const_pointer_cast<IColumn>(nc.getNullMapColumn()->cut(0, rows)));
            return std::make_shared<ColumnNullable>(std::const_pointer_cast<IColumn>(inner), nm);
        }
        for (size_t i = 0; i < rows; ++i)
            if (nc.isNullAt(i))
                throw Exception(ErrorCodes::CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN, "Cannot convert NULL value to non-Nullable type");
        return inner;
    }
    // Nullable target.
    if (to->id == TypeId::Nullable) {
        // Text 'NULL' / '\N' becomes NULL: the text parser of the Nullable type decides.
        if (from->isStringOrFixed() && mode == CastMode::Throw && !to->nested[0]->isStringOrFixed())
            return fromStringColumn(col, to, ctx, mode);
        if (from->id == TypeId::Nothing) {
            auto res = createColumn(to);
            for (size_t i = 0; i < rows; ++i) res->insertDefault();
            return res;
        }
        auto inner = materialize(castColumn(col, from, to->nested[0], ctx, mode == CastMode::Throw ? CastMode::Throw : CastMode::OrNull, accurate));
        if (inner->isNullable()) return inner;
        auto nm = ColumnUInt8::create(rows);
        std::memset(nm->getData().data(), 0, rows);
        return std::make_shared<ColumnNullable>(std::const_pointer_cast<IColumn>(inner), nm);
    }

    // FixedString -> String drops the zero padding (toString(toFixedString('ab', 4)) = 'ab').
    if (to->id == TypeId::String && from->id == TypeId::FixedString) {
        auto& fs = static_cast<const ColumnFixedString&>(*col);
        auto res = ColumnString::create();
        res->reserve(rows);
        for (size_t i = 0; i < rows; ++i) {
            std::string_view v = fs.getView(i);
            while (!v.empty() && v.back() == '\0') v.remove_suffix(1);
            res->insertData(v);
        }
        return res;
    }
    // To String: text representation.
    if (to->id == TypeId::String) return toStringColumn(col, from, ctx);
    if (to->id == TypeId::FixedString && from->isStringOrFixed()) {
        auto res = std::make_shared<ColumnFixedString>(to->n);
        for (size_t i = 0; i < rows; ++i) {
            std::string_view v = from->id == TypeId::String ? static_cast<const ColumnString&>(*col).getView(i)
                                                          : static_cast<const ColumnFixedString&>(*col).getView(i);
            res->insertData(v);
        }
        return res;
    }
    // From String: parse.
    if (from->isStringOrFixed()) return fromStringColumn(col, to, ctx, mode);

    bool lenient = mode != CastMode::Throw;
    // 256-bit integers and Decimal256 (cast_wide.cpp).
    if (is256(from->id) || is256(to->id)) {
        std::shared_ptr<ColumnUInt8> bad;
        if (lenient) { bad = ColumnUInt8::create(rows); std::memset(bad->getData().data(), 0, rows); }
        return withBadRows(castWideColumn(*col, from, to, accurate, bad ? bad->getData().data() : nullptr), bad, mode);
    }
    // Decimals: exact scaled-integer conversions (see toDecimalColumn / fromDecimalColumn).
    if (to->isDecimal() && (isNumericLike(from->id) || isDecimalSource(from->id))) {
        std::shared_ptr<ColumnUInt8> bad;
        if (lenient) { bad = ColumnUInt8::create(rows); std::memset(bad->getData().data(), 0, rows); }
        return withBadRows(toDecimalColumn(*col, from, to, bad ? bad->getData().data() : nullptr), bad, mode);
    }
    if (isDecimalSource(from->id) && isNumericLike(to->id)) {
        std::shared_ptr<ColumnUInt8> bad;
        if (lenient) { bad = ColumnUInt8::create(rows); std::memset(bad->getData().data(), 0, rows); }
        return withBadRows(fromDecimalColumn(*col, from, to, bad ? bad->getData().data() : nullptr), bad, mode);
    }

    // Number-like to number.
    if (isNumericLike(from->id) || from->id == TypeId::Date || from->id == TypeId::Date32 || from->id == TypeId::DateTime ||
        from->isEnum() || from->id == TypeId::IPv4) {
        TypeId src_id = from->id;
        if (isNumericLike(to->id)) {
            if (to->id == TypeId::Bool) {
                // Bool: non-zero -> true.
                auto res = ColumnUInt8::create(rows);
                dispatchFixed(src_id, [&](auto tag) {
                    using From = typename decltype(tag)::type;
                    auto& src = static_cast<const ColumnVector<From>&>(*col).getData();
                    for (size_t i = 0; i < rows; ++i) res->getData()[i] = src[i] != From(0);
                });
                return res;
            }
            ColumnPtr r;
            std::shared_ptr<ColumnUInt8> bad;
            if (accurate && lenient) { bad = ColumnUInt8::create(rows); std::memset(bad->getData().data(), 0, rows); }
            dispatchFixed(to->id, [&](auto tag) { r = numberToNumber<typename decltype(tag)::type>(*col, src_id, accurate, to, bad ? bad->getData().data() : nullptr); });
            return withBadRows(r, bad, mode);
        }
        if (to->id == TypeId::Date || to->id == TypeId::Date32 || to->id == TypeId::DateTime || to->id == TypeId::Enum8 ||
            to->id == TypeId::Enum16 || to->id == TypeId::IPv4) {
            // Date <-> DateTime need calendar math; plain numbers are taken as days/seconds.
            if (from->id == TypeId::DateTime && (to->id == TypeId::Date || to->id == TypeId::Date32)) {
                const TimeZone& tz = getTimeZone(from->timezone.empty() ? ctx.session_timezone : from->timezone);
                auto& src = static_cast<const ColumnUInt32&>(*col).getData();
                MutableColumnPtr res = createColumn(to);
                for (size_t i = 0; i < rows; ++i) {
                    auto c = toCivil(src[i], tz);
                    int32_t d = daysFromCivil(c.year, c.month, c.day);
                    res->insert(Field(int64_t(d)));
                }
                return res;
            }
            if ((from->id == TypeId::Date || from->id == TypeId::Date32) && to->id == TypeId::DateTime) {
                const TimeZone& tz = getTimeZone(to->timezone.empty() ? ctx.session_timezone : to->timezone);
                auto res = ColumnUInt32::create(rows);
                dispatchFixed(from->id, [&](auto tag) {
                    using From = typename decltype(tag)::type;
                    auto& src = static_cast<const ColumnVector<From>&>(*col).getData();
                    for (size_t i = 0; i < rows; ++i) {
                        auto d = civilFromDays(int32_t(src[i]));
                        res->getData()[i] = uint32_t(fromCivil({d.year, d.month, d.day, 0, 0, 0}, tz));
                    }
                });
                return res;
            }
            ColumnPtr r;
            dispatchFixed(to->id, [&](auto tag) { r = numberToNumber<typename decltype(tag)::type>(*col, src_id, accurate, to); });
            if (to->isEnum() && !from->isEnum()) {
                // A number must name one of the enum's values (CAST(3 AS Enum8('a' = 1)) fails).
                for (size_t i = 0; i < rows; ++i) {
                    int64_t v = to->id == TypeId::Enum8 ? static_cast<const ColumnInt8&>(*r).getData()[i]
                                                        : static_cast<const ColumnInt16&>(*r).getData()[i];
                    bool known = std::any_of(to->enum_values.begin(), to->enum_values.end(), [v](auto& e) { return e.second == v; });
                    if (!known) throw Exception(UNKNOWN_ELEMENT_OF_ENUM, "Unexpected value " + std::to_string(v) + " in enum");
                }
            }
            return r;
        }
        if (to->id == TypeId::DateTime64) {
            int64_t mul = pow10i(to->scale);
            auto res = ColumnInt64::create(rows);
            if (from->id == TypeId::Date || from->id == TypeId::Date32) {
                const TimeZone& tz = getTimeZone(to->timezone.empty() ? ctx.session_timezone : to->timezone);
                dispatchFixed(from->id, [&](auto tag) {
                    using From = typename decltype(tag)::type;
                    auto& src = static_cast<const ColumnVector<From>&>(*col).getData();
                    for (size_t i = 0; i < rows; ++i) {
                        auto d = civilFromDays(int32_t(src[i]));
                        res->getData()[i] = fromCivil({d.year, d.month, d.day, 0, 0, 0}, tz) * mul;
                    }
                });
                return res;
            }
            dispatchFixed(from->id, [&](auto tag) {
                using From = typename decltype(tag)::type;
                auto& src = static_cast<const ColumnVector<From>&>(*col).getData();
                for (size_t i = 0; i < rows; ++i) {
                    if constexpr (std::is_floating_point_v<From>) res->getData()[i] = int64_t(std::llround(double(src[i]) * double(mul)));
                    else res->getData()[i] = int64_t(src[i]) * mul;
                }
            });
            return res;
        }
    }
    if (from->id == TypeId::DateTime64 && (isNumericLike(to->id) || to->id == TypeId::DateTime || to->id == TypeId::Date || to->id == TypeId::DateTime64)) {
        int64_t div = pow10i(from->scale);
        auto& src = static_cast<const ColumnInt64&>(*col).getData();
        if (to->id == TypeId::DateTime64) {
            auto res = ColumnInt64::create(rows);
            for (size_t i = 0; i < rows; ++i) {
                int64_t v = src[i];
                if (to->scale >= from->scale) v *= pow10i(to->scale - from->scale);
                else { int64_t d = pow10i(from->scale - to->scale); v = v >= 0 ? v / d : -((-v + d - 1) / d); }
                res->getData()[i] = v;
            }
            return res;
        }
        auto secs = ColumnInt64::create(rows);
        for (size_t i = 0; i < rows; ++i) { int64_t v = src[i]; secs->getData()[i] = v >= 0 ? v / div : -((-v + div - 1) / div); }
        if (to->isFloat()) {
            auto res = ColumnFloat64::create(rows);
            for (size_t i = 0; i < rows; ++i) res->getData()[i] = double(src[i]) / double(div);
            return castColumn(res, makeType(TypeId::Float64), to, ctx, mode, accurate);
        }
        if (to->id == TypeId::Date) return castColumn(castColumn(secs, makeType(TypeId::Int64), makeDateTime(from->timezone), ctx), makeDateTime(from->timezone), to, ctx);
        return castColumn(secs, makeType(TypeId::Int64), to, ctx, mode, accurate);
    }
    // Arrays: convert elements.
    if (from->id == TypeId::Array && to->id == TypeId::Array) {
        auto& arr = static_cast<const ColumnArray&>(*col);
        auto nested = materialize(castColumn(arr.getDataPtr(), from->nested[0], to->nested[0], ctx, mode, accurate));
        Offsets off = arr.getOffsets();
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(nested), std::move(off));
    }
    if (from->id == TypeId::Tuple && to->id == TypeId::Tuple && from->nested.size() == to->nested.size()) {
        auto& t = static_cast<const ColumnTuple&>(*col);
        std::vector<MutableColumnPtr> cols;
        for (size_t i = 0; i < from->nested.size(); ++i)
            cols.push_back(std::const_pointer_cast<IColumn>(materialize(castColumn(t.getColumnPtr(i), from->nested[i], to->nested[i], ctx, mode, accurate))));
        return std::make_shared<ColumnTuple>(std::move(cols));
    }
    if (from->id == TypeId::Nothing) {
        auto res = createColumn(to);
        res->insertManyDefaults(rows);
        return res;
    }
    if (from->id == TypeId::Array && to->id == TypeId::Map) {
        return col;   // Map is stored as Array(Tuple(k, v))
    }
    if (from->id == TypeId::Map && to->id == TypeId::Map) {
        // Same Array(Tuple(k, v)) layout: convert keys and values.
        auto& arr = static_cast<const ColumnArray&>(*col);
        auto& kv = static_cast<const ColumnTuple&>(arr.getData());
        std::vector<MutableColumnPtr> cols;
        for (size_t i = 0; i < 2; ++i)
            cols.push_back(std::const_pointer_cast<IColumn>(materialize(castColumn(kv.getColumnPtr(i), from->nested[i], to->nested[i], ctx, mode, accurate))));
        Offsets off = arr.getOffsets();
        return std::make_shared<ColumnArray>(std::make_shared<ColumnTuple>(std::move(cols)), std::move(off));
    }
    // Enum/Date/DateTime via their text form as a last resort (e.g. Enum -> Enum, UUID <-> String handled above).
    if (to->isEnum() && from->isEnum()) return fromStringColumn(toStringColumn(col, from, ctx), to, ctx, mode);
    throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE,
                    "Conversion from " + from->name() + " to " + to->name() + " is not supported");
}

DataTypePtr literalType(const Field& value) {
    return std::visit([&](const auto& v) -> DataTypePtr {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, NullField>) return makeNullable(makeType(TypeId::Nothing));
        else if constexpr (std::is_same_v<T, bool>) return makeType(TypeId::Bool);
        else if constexpr (std::is_same_v<T, uint64_t>) {
            if (v <= 0xFF) return makeType(TypeId::UInt8);
            if (v <= 0xFFFF) return makeType(TypeId::UInt16);
            if (v <= 0xFFFFFFFFULL) return makeType(TypeId::UInt32);
            return makeType(TypeId::UInt64);
        } else if constexpr (std::is_same_v<T, int64_t>) {
            if (v >= 0) return literalType(Field(uint64_t(v)));
            if (v >= -128) return makeType(TypeId::Int8);
            if (v >= -32768) return makeType(TypeId::Int16);
            if (v >= -2147483648LL) return makeType(TypeId::Int32);
            return makeType(TypeId::Int64);
        } else if constexpr (std::is_same_v<T, double>) return makeType(TypeId::Float64);
        else if constexpr (std::is_same_v<T, std::string>) return makeType(TypeId::String);
        else if constexpr (std::is_same_v<T, FieldArray>) {
            DataTypes ts;
            for (auto& x : v.items) ts.push_back(literalType(x));
            return makeArray(getLeastSupertype(ts));
        } else {
            DataTypes ts;
            for (auto& x : v.items) ts.push_back(literalType(x));
            return makeTuple(ts);
        }
    }, value.value);
}

namespace {
// Inserts a literal value into a column of `type`, converting numbers across widths.
void insertLiteral(IColumn& col, const DataType& type, const Field& v) {
    if (v.isNull()) { col.insertDefault(); return; }
    switch (type.id) {
        case TypeId::Nullable: {
            auto& nc = static_cast<ColumnNullable&>(col);
            insertLiteral(nc.getNested(), *type.nested[0], v);
            nc.getNullMap().push_back(0);
            return;
        }
        case TypeId::Array: {
            auto& ac = static_cast<ColumnArray&>(col);
            for (auto& x : v.get<FieldArray>().items) insertLiteral(ac.getData(), *type.nested[0], x);
            ac.getOffsets().push_back(ac.getData().size());
            return;
        }
        case TypeId::Tuple: {
            auto& tc = static_cast<ColumnTuple&>(col);
            auto& items = v.get<FieldTuple>().items;
            FieldTuple t;
            // Build element-wise by inserting into each sub-column via a temporary Field tuple.
            for (size_t i = 0; i < items.size(); ++i) insertLiteral(const_cast<IColumn&>(tc.getColumn(i)), *type.nested[i], items[i]);
            // keep the tuple's own row count consistent
            tc.insertRangeFrom(tc, 0, 0);
            return;
        }
        default: col.insert(v);
    }
}
}  // namespace

ColumnPtr literalColumn(const Field& value, const DataTypePtr& type) {
    auto col = createColumn(type);
    insertLiteral(*col, *type, value);
    return col;
}

ColumnPtr castField(const Field& value, const DataTypePtr& value_type, const DataTypePtr& to, const FunctionContext& ctx) {
    return castColumn(literalColumn(value, value_type), value_type, to, ctx);
}

}  // namespace basalt
