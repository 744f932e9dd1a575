// conversion.cpp — CAST, accurateCast[OrNull], toX / toXOrNull / toXOrZero for every type family,
// toString, toTypeName, and the composite builders array(), tuple(), arrayElement, tupleElement.
#include <algorithm>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

ColumnPtr gatherRows(const std::vector<ColumnPtr>& sources, const DataTypePtr& type, const PODArray<uint8_t>& which, size_t rows);

namespace {

std::string constString(const ColumnWithTypeAndName& a, const char* fn, size_t idx) {
    if (!a.column || !a.column->isConst() || !removeNullable(a.type)->isStringOrFixed())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("Argument ") + std::to_string(idx + 1) + " of function " + fn + " must be a constant string");
    return a.column->get(0).get<std::string>();
}

uint64_t constUInt(const ColumnWithTypeAndName& a, const char* fn, size_t idx) {
    if (!a.column || !a.column->isConst() || !a.type->isInteger())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("Argument ") + std::to_string(idx + 1) + " of function " + fn + " must be a constant integer");
    Field f = a.column->get(0);
    if (f.is<int64_t>()) {
        if (f.get<int64_t>() < 0) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, std::string("Argument of function ") + fn + " must be non-negative");
        return uint64_t(f.get<int64_t>());
    }
    return f.get<uint64_t>();
}

FunctionPtr castTo(const std::string& name, DataTypePtr to, DataTypePtr from, const FunctionContext& ctx, CastMode mode, bool accurate) {
    DataTypePtr rt = to;
    if (mode == CastMode::OrNull && rt->canBeInsideNullable()) rt = makeNullable(rt);
    return makeFunction(name, rt, [to, from, rt, ctx, mode, accurate](const ColumnsWithTypeAndName& a, size_t) -> ColumnPtr {
        ColumnPtr r = castColumn(a[0].column, from, to, ctx, mode, accurate);
        if (mode == CastMode::OrNull && rt->id == TypeId::Nullable && !materialize(r)->isNullable())
            return castColumn(r, to, rt, ctx);
        return r;
    });
}

FunctionPtr buildCast(const char* name, const ColumnsWithTypeAndName& args, const FunctionContext& ctx, CastMode mode, bool accurate) {
    checkArgumentCount(name, args, 2, 2);
    DataTypePtr to = parseDataType(constString(args[1], name, 1));
    if (!ctx.allow_suspicious_low_cardinality_types && std::string_view(name) != "_CAST") checkSuspiciousLowCardinality(*to);
    DataTypePtr from = args[0].type;
    // A bare NULL literal is rejected at analysis (CANNOT_CONVERT_TYPE in ClickHouse 26); NULL values
    // of a Nullable column fail at execution with CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN (castColumn).
    if (from->id == TypeId::Nullable && to->id != TypeId::Nullable && from->nested[0]->id == TypeId::Nothing && mode == CastMode::Throw &&
        to->id != TypeId::LowCardinality)
        throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Cannot convert NULL to a non-nullable type");
    return castTo(name, to, from, ctx, mode, accurate);
}

// toX(x) family: conversion to a fixed target with optional mode suffix.
void registerToType(FunctionFactory& f, const std::string& base, std::function<DataTypePtr(const ColumnsWithTypeAndName&, const FunctionContext&, size_t&)> target) {
    struct Variant { const char* suffix; CastMode mode; };
    for (Variant v : {Variant{"", CastMode::Throw}, Variant{"OrNull", CastMode::OrNull}, Variant{"OrZero", CastMode::OrZero}}) {
        std::string name = base + v.suffix;
        CastMode mode = v.mode;
        f.registerFunction(name, [name, mode, target](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
            if (args.empty()) throwArgumentCount(name, 0, "at least 1");
            size_t used = 1;
            DataTypePtr to = target(args, ctx, used);
            if (args.size() > used) throwArgumentCount(name, args.size(), std::to_string(used));
            // NULLs are handled by castColumn, which does not parse the placeholder values of NULL
            // rows (toUInt32 of a Nullable(String) holding NULLs must not fail on '').
            DataTypePtr from = args[0].type;
            if (from->isNullable() && from->nested[0]->id == TypeId::Nothing) return castTo(name, from, from, ctx, CastMode::Throw, false);
            if (from->isNullable() && to->canBeInsideNullable()) to = makeNullable(to);
            return castTo(name, to, from, ctx, mode, false);
        }, {.default_nulls = false});
    }
}

}  // namespace

void registerConversionFunctions(FunctionFactory& f) {
    // Casts convert LowCardinality themselves (castColumn), so they see it.
    FunctionProperties cast_props{.default_nulls = false, .default_low_cardinality = false};
    FunctionProperties cast_props_ci = cast_props;
    cast_props_ci.case_insensitive = true;
    f.registerFunction("CAST", [](auto& a, auto& c) { return buildCast("CAST", a, c, CastMode::Throw, false); }, cast_props_ci);
    f.registerFunction("_CAST", [](auto& a, auto& c) { return buildCast("_CAST", a, c, CastMode::Throw, false); }, cast_props);
    f.registerFunction("accurateCast", [](auto& a, auto& c) { return buildCast("accurateCast", a, c, CastMode::Throw, true); }, cast_props);
    f.registerFunction("accurateCastOrNull", [](auto& a, auto& c) { return buildCast("accurateCastOrNull", a, c, CastMode::OrNull, true); }, cast_props);

    static const std::pair<const char*, TypeId> simple[] = {
        {"UInt8", TypeId::UInt8}, {"UInt16", TypeId::UInt16}, {"UInt32", TypeId::UInt32}, {"UInt64", TypeId::UInt64},
        {"Int8", TypeId::Int8}, {"Int16", TypeId::Int16}, {"Int32", TypeId::Int32}, {"Int64", TypeId::Int64},
        {"Int128", TypeId::Int128}, {"UInt128", TypeId::UInt128}, {"Int256", TypeId::Int256}, {"UInt256", TypeId::UInt256},
        {"Float32", TypeId::Float32}, {"Float64", TypeId::Float64}, {"Date", TypeId::Date}, {"Date32", TypeId::Date32},
        {"UUID", TypeId::UUID}, {"IPv4", TypeId::IPv4}, {"IPv6", TypeId::IPv6}, {"Bool", TypeId::Bool},
    };
    for (auto& [n, id] : simple) {
        TypeId tid = id;
        registerToType(f, std::string("to") + n, [tid](auto&, auto&, size_t&) { return makeType(tid); });
    }
    f.registerAlias("toBoolean", "toBool");
    f.registerFunction("toLowCardinality", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
        checkArgumentCount("toLowCardinality", a, 1, 1);
        DataTypePtr from = a[0].type;
        if (from->id == TypeId::LowCardinality) return castTo("toLowCardinality", from, from, ctx, CastMode::Throw, false);
        return castTo("toLowCardinality", makeLowCardinality(from), from, ctx, CastMode::Throw, false);
    }, {.default_nulls = false, .default_low_cardinality = false});
    // lowCardinalityIndices(lc): each row's position in the dictionary; lowCardinalityKeys(lc): the
    // dictionary itself, cut or padded (with defaults) to the number of rows — as ClickHouse.
    for (bool keys : {false, true}) {
        std::string fname = keys ? "lowCardinalityKeys" : "lowCardinalityIndices";
        f.registerFunction(fname, [fname, keys](const ColumnsWithTypeAndName& a, const FunctionContext&) {
            checkArgumentCount(fname, a, 1, 1);
            if (a[0].type->id != TypeId::LowCardinality)
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "A value of illegal type was provided as 1st argument 'col' to function '" +
                                                                          fname + "'. Expected: LowCardinality, got: " + a[0].type->name());
            DataTypePtr rt = keys ? a[0].type->nested[0] : makeType(TypeId::UInt64);
            return makeFunction(fname, rt, [keys](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                ColumnPtr c = x[0].column;
                if (c->isConst()) c = static_cast<const ColumnConst&>(*c).getDataColumnPtr();
                auto& lc = static_cast<const ColumnLowCardinality&>(*c);
                if (keys) return ColumnPtr(lc.getDictionaryValues().cloneResized(rows));
                auto res = ColumnUInt64::create(rows);
                auto& d = res->getData();
                for (size_t i = 0; i < rows; ++i) d[i] = lc.indexAt(x[0].column->isConst() ? 0 : i);
                return ColumnPtr(res);
            });
        }, {.default_nulls = false, .default_constants = false, .default_low_cardinality = false});
    }
    registerToType(f, "toString", [](auto&, auto&, size_t&) { return makeType(TypeId::String); });
    registerToType(f, "toDateTime", [](const ColumnsWithTypeAndName& a, const FunctionContext&, size_t& used) {
        if (a.size() >= 2) { used = 2; return makeDateTime(constString(a[1], "toDateTime", 1)); }
        if (a[0].type->id == TypeId::DateTime) return a[0].type;
        return makeType(TypeId::DateTime);
    });
    registerToType(f, "toDateTime64", [](const ColumnsWithTypeAndName& a, const FunctionContext&, size_t& used) {
        if (a.size() < 2) throwArgumentCount("toDateTime64", a.size(), "2 or 3");
        used = 2;
        uint32_t scale = uint32_t(constUInt(a[1], "toDateTime64", 1));
        std::string tz;
        if (a.size() >= 3) { used = 3; tz = constString(a[2], "toDateTime64", 2); }
        return makeDateTime64(scale, tz);
    });
    for (auto [n, p] : {std::pair{"Decimal32", 9u}, std::pair{"Decimal64", 18u}, std::pair{"Decimal128", 38u}, std::pair{"Decimal256", 76u}}) {
        uint32_t prec = p;
        std::string fname = std::string("to") + n;
        registerToType(f, fname, [prec, fname](const ColumnsWithTypeAndName& a, const FunctionContext&, size_t& used) {
            if (a.size() < 2) throwArgumentCount(fname, a.size(), "2");
            used = 2;
            uint64_t scale = constUInt(a[1], fname.c_str(), 1);
            if (scale > prec)
                throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Scale " + std::to_string(scale) + " is out of bounds (max scale: " + std::to_string(prec) + ")");
            return makeDecimal(prec, uint32_t(scale));
        });
    }
    f.registerFunction("toFixedString", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
        checkArgumentCount("toFixedString", a, 2, 2);
        return castTo("toFixedString", makeFixedString(uint32_t(constUInt(a[1], "toFixedString", 1))), a[0].type, ctx, CastMode::Throw, false);
    });
    f.registerFunction("toTypeName", [](const ColumnsWithTypeAndName& a, const FunctionContext&) {
        checkArgumentCount("toTypeName", a, 1, 1);
        std::string name = a[0].type->prettyName();
        return makeFunction("toTypeName", makeType(TypeId::String), [name](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto c = ColumnString::create();
            c->insertData(name);
            return std::make_shared<ColumnConst>(c, rows);
        });
    }, {.default_nulls = false, .default_low_cardinality = false});
    f.registerFunction("toColumnTypeName", [](const ColumnsWithTypeAndName& a, const FunctionContext&) {
        checkArgumentCount("toColumnTypeName", a, 1, 1);
        return makeFunction("toColumnTypeName", makeType(TypeId::String), [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            auto c = ColumnString::create();
            auto colName = [&](const IColumn& col) -> std::string {
                if (col.isLowCardinality()) return x[0].type->name();   // LowCardinality(T): the type spells it
                return col.familyName();
            };
            c->insertData(x[0].column->isConst() ? "Const(" + colName(static_cast<const ColumnConst&>(*x[0].column).getDataColumn()) + ")"
                                                 : colName(*x[0].column));
            return std::make_shared<ColumnConst>(c, rows);
        });
    }, {.default_nulls = false, .default_constants = false, .default_low_cardinality = false});
}

void registerTupleArrayBasicFunctions(FunctionFactory& f) {
    f.registerFunction("array", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
        DataTypes ts;
        for (auto& a : args) ts.push_back(a.type);
        DataTypePtr elem = getLeastSupertype(ts);
        DataTypePtr rt = makeArray(elem);
        return makeFunction("array", rt, [elem, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            std::vector<ColumnPtr> cols;
            for (auto& x : a) cols.push_back(materialize(castColumn(x.column, x.type, elem, ctx)));
            auto nested = createColumn(elem);
            nested->reserve(rows * a.size());
            Offsets off;
            off.reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                for (auto& c : cols) nested->insertFrom(*c, i);
                off.push_back(nested->size());
            }
            return std::make_shared<ColumnArray>(nested, std::move(off));
        });
    }, {.default_nulls = false, .default_low_cardinality = false});
    f.registerFunction("tuple", [](const ColumnsWithTypeAndName& args, const FunctionContext&) {
        DataTypes ts;
        for (auto& a : args) ts.push_back(a.type);
        return makeFunction("tuple", makeTuple(ts), [](const ColumnsWithTypeAndName& a, size_t) -> ColumnPtr {
            std::vector<MutableColumnPtr> cols;
            for (auto& x : a) cols.push_back(std::const_pointer_cast<IColumn>(materialize(x.column)));
            return std::make_shared<ColumnTuple>(std::move(cols));
        });
    }, {.default_nulls = false, .default_low_cardinality = false});
    f.registerFunction("tupleElement", [](const ColumnsWithTypeAndName& args, const FunctionContext&) {
        checkArgumentCount("tupleElement", args, 2, 3);
        DataTypePtr t = args[0].type;
        if (t->id != TypeId::Tuple) throwIllegalType("tupleElement", t, 0);
        size_t idx = 0;
        if (args[1].column && args[1].column->isConst() && args[1].type->isStringOrFixed()) {
            std::string n = args[1].column->get(0).get<std::string>();
            auto it = std::find(t->element_names.begin(), t->element_names.end(), n);
            if (it == t->element_names.end())
                throw Exception(ErrorCodes::NOT_FOUND_COLUMN_IN_BLOCK, "Tuple doesn't have element with name '" + n + "'");
            idx = size_t(it - t->element_names.begin());
        } else {
            uint64_t i = constUInt(args[1], "tupleElement", 1);
            if (i == 0 || i > t->nested.size())
                throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Index for tuple element is out of range");
            idx = i - 1;
        }
        return makeFunction("tupleElement", t->nested[idx], [idx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            if (a[0].column->isConst()) {
                auto& tc = static_cast<const ColumnTuple&>(static_cast<const ColumnConst&>(*a[0].column).getDataColumn());
                return std::make_shared<ColumnConst>(tc.getColumnPtr(idx), rows);
            }
            return static_cast<const ColumnTuple&>(*a[0].column).getColumnPtr(idx);
        });
    }, {.default_nulls = false, .default_constants = false, .default_low_cardinality = false});
    f.registerFunction("arrayElement", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
        checkArgumentCount("arrayElement", args, 2, 2);
        DataTypePtr t = args[0].type;
        if (t->id == TypeId::Map) {
            DataTypePtr kt = t->nested[0], vt = t->nested[1];
            DataTypePtr it = args[1].type;
            return makeFunction("arrayElement", vt, [kt, vt, it, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                ColumnPtr m = materialize(a[0].column);
                ColumnPtr key = materialize(castColumn(a[1].column, it, kt, ctx));
                auto& arr = static_cast<const ColumnArray&>(*m);
                auto& kv = static_cast<const ColumnTuple&>(arr.getData());
                auto res = createColumn(vt);
                for (size_t i = 0; i < rows; ++i) {
                    bool found = false;
                    for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k)
                        if (kv.getColumn(0).compareAt(k, i, *key, 1) == 0) { res->insertFrom(kv.getColumn(1), k); found = true; break; }
                    if (!found) res->insertDefault();
                }
                return res;
            });
        }
        if (t->id != TypeId::Array) throwIllegalType("arrayElement", t, 0);
        if (!args[1].type->isInteger()) throwIllegalType("arrayElement", args[1].type, 1);
        DataTypePtr et = t->nested[0];
        DataTypePtr idx_t = args[1].type;
        return makeFunction("arrayElement", et, [et, idx_t, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            ColumnPtr arrc = materialize(a[0].column);
            ColumnPtr idx = materialize(castColumn(a[1].column, idx_t, makeType(TypeId::Int64), ctx));
            auto& arr = static_cast<const ColumnArray&>(*arrc);
            auto& iv = static_cast<const ColumnInt64&>(*idx).getData();
            auto res = createColumn(et);
            res->reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                int64_t k = iv[i];
                size_t n = arr.sizeAt(i);
                if (k > 0 && size_t(k) <= n) res->insertFrom(arr.getData(), arr.offsetAt(i) + size_t(k) - 1);
                else if (k < 0 && (0 - size_t(k)) <= n) res->insertFrom(arr.getData(), arr.offsetAt(i) + n - (0 - size_t(k)));
                else res->insertDefault();
            }
            return res;
        });
    });
    f.registerFunction("map", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
        if (args.size() % 2) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function map requires an even number of arguments");
        DataTypes ks, vs;
        for (size_t i = 0; i < args.size(); i += 2) { ks.push_back(args[i].type); vs.push_back(args[i + 1].type); }
        DataTypePtr kt = getLeastSupertype(ks), vt = getLeastSupertype(vs);
        return makeFunction("map", makeMap(kt, vt), [kt, vt, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            std::vector<MutableColumnPtr> kv{createColumn(kt), createColumn(vt)};
            Offsets off;
            std::vector<ColumnPtr> cols;
            for (size_t i = 0; i < a.size(); ++i) cols.push_back(materialize(castColumn(a[i].column, a[i].type, i % 2 ? vt : kt, ctx)));
            for (size_t r = 0; r < rows; ++r) {
                for (size_t i = 0; i < a.size(); i += 2) { kv[0]->insertFrom(*cols[i], r); kv[1]->insertFrom(*cols[i + 1], r); }
                off.push_back(kv[0]->size());
            }
            return std::make_shared<ColumnArray>(std::make_shared<ColumnTuple>(std::move(kv)), std::move(off));
        });
    }, {.default_nulls = false, .default_low_cardinality = false});
}

}  // namespace basalt
