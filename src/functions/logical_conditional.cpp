// logical_conditional.cpp — and, or, xor, not (ClickHouse's three-valued logic with NULL) and the
// conditionals if, multiIf, ifNull, coalesce, nullIf, isNull, isNotNull, assumeNotNull.
// Branch selection is a typed gather (choose source k for row i) per fixed-width type, with a
// generic row-copy fallback for strings and composites.
#include <cstring>

#include "common/exception.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// Reads a column as ternary truth values: 0 false, 1 true, 2 NULL.
void toTernary(const ColumnWithTypeAndName& arg, size_t rows, uint8_t* out, const char* fname) {
    ColumnPtr col = materialize(arg.column);
    DataTypePtr t = arg.type;
    const uint8_t* null_map = nullptr;
    if (t->id == TypeId::Nullable) {
        auto& nc = static_cast<const ColumnNullable&>(*col);
        null_map = nc.getNullMap().data();
        col = nc.getNestedPtr();
        t = t->nested[0];
    }
    if (t->id == TypeId::Nothing) { std::memset(out, 2, rows); return; }
    bool ok = dispatchNumber(t->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        // A raw pointer: `out` is uint8_t, which may alias anything, so through the PODArray the
        // compiler would reload its data pointer every row and not vectorize.
        const T* d = static_cast<const ColumnVector<T>&>(*col).getData().data();
        for (size_t i = 0; i < rows; ++i) out[i] = d[i] != T(0);
    });
    if (!ok) throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type (" + arg.type->name() + ") of argument of function " + fname);
    if (null_map)
        for (size_t i = 0; i < rows; ++i) if (null_map[i]) out[i] = 2;
}

enum class LogicOp { And, Or, Xor };

FunctionPtr buildLogical(LogicOp op, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    const char* name = op == LogicOp::And ? "and" : op == LogicOp::Or ? "or" : "xor";
    if (args.size() < 2) throwArgumentCount(name, args.size(), "at least 2");
    bool nullable = false;
    for (size_t i = 0; i < args.size(); ++i) {
        DataTypePtr t = removeNullable(args[i].type);
        if (args[i].type->id == TypeId::Nullable) nullable = true;
        if (!(t->isNumber() || t->id == TypeId::Bool || t->id == TypeId::Nothing)) throwIllegalType(name, args[i].type, i);
    }
    DataTypePtr rt = nullable ? makeNullable(makeType(TypeId::UInt8)) : makeType(TypeId::UInt8);
    return makeFunction(name, rt, [op, nullable, name](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        if (!nullable) {
            // Two-valued: the arguments as 0/1 combined bitwise in place (the WHERE of a query
            // with several conditions; a ternary select per row was a sixth of ClickBench Q42).
            auto vals = ColumnUInt8::create(rows);
            uint8_t* r = vals->getData().data();
            toTernary(a[0], rows, r, name);
            PODArray<uint8_t> cur(rows);
            uint8_t* c = cur.data();
            for (size_t k = 1; k < a.size(); ++k) {
                toTernary(a[k], rows, c, name);
                if (op == LogicOp::And) for (size_t i = 0; i < rows; ++i) r[i] &= c[i];
                else if (op == LogicOp::Or) for (size_t i = 0; i < rows; ++i) r[i] |= c[i];
                else for (size_t i = 0; i < rows; ++i) r[i] ^= c[i];
            }
            return vals;
        }
        PODArray<uint8_t> acc(rows), cur(rows);
        toTernary(a[0], rows, acc.data(), name);
        for (size_t k = 1; k < a.size(); ++k) {
            toTernary(a[k], rows, cur.data(), name);
            for (size_t i = 0; i < rows; ++i) {
                uint8_t x = acc[i], y = cur[i];
                if (op == LogicOp::And) acc[i] = (x == 0 || y == 0) ? 0 : (x == 2 || y == 2) ? 2 : 1;
                else if (op == LogicOp::Or) acc[i] = (x == 1 || y == 1) ? 1 : (x == 2 || y == 2) ? 2 : 0;
                else acc[i] = (x == 2 || y == 2) ? 2 : (x ^ y);
            }
        }
        auto vals = ColumnUInt8::create(rows);
        for (size_t i = 0; i < rows; ++i) vals->getData()[i] = acc[i] == 1;
        if (!nullable) return vals;
        auto nm = ColumnUInt8::create(rows);
        for (size_t i = 0; i < rows; ++i) nm->getData()[i] = acc[i] == 2;
        return std::make_shared<ColumnNullable>(vals, nm);
    });
}

FunctionPtr buildNot(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("not", args, 1, 1);
    if (!(args[0].type->isNumber() || args[0].type->id == TypeId::Bool)) throwIllegalType("not", args[0].type, 0);
    // NOT of a Bool stays Bool (prints true/false); of a number it is UInt8, as in ClickHouse.
    DataTypePtr rt = makeType(args[0].type->id == TypeId::Bool ? TypeId::Bool : TypeId::UInt8);
    return makeFunction("not", rt, [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        auto r = ColumnUInt8::create(rows);
        uint8_t* out = r->getData().data();
        toTernary(a[0], rows, out, "not");   // 0/1: the argument is not Nullable
        for (size_t i = 0; i < rows; ++i) out[i] ^= 1;
        return r;
    });
}

}  // namespace

// Gathers row i from sources[which[i]] (all of `type`, each full or const). Shared with other
// conditional-style functions (multiIf, coalesce, caseWithExpression).
ColumnPtr gatherRows(const std::vector<ColumnPtr>& sources, const DataTypePtr& type, const PODArray<uint8_t>& which, size_t rows) {
    if (type->id != TypeId::Nullable) {
        ColumnPtr out;
        bool fixed = dispatchFixed(type->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            std::vector<const T*> ptrs;
            std::vector<uint8_t> is_const;
            for (auto& s : sources) {
                const IColumn& d = s->isConst() ? static_cast<const ColumnConst&>(*s).getDataColumn() : *s;
                ptrs.push_back(static_cast<const ColumnVector<T>&>(d).getData().data());
                is_const.push_back(s->isConst());
            }
            auto res = std::make_shared<ColumnVector<T>>(rows);
            T* r = res->getData().data();
            if (sources.size() == 2 && !is_const[0] && !is_const[1]) {
                const T* p0 = ptrs[0]; const T* p1 = ptrs[1];
                for (size_t i = 0; i < rows; ++i) r[i] = which[i] ? p1[i] : p0[i];
            } else {
                for (size_t i = 0; i < rows; ++i) { uint8_t k = which[i]; r[i] = ptrs[k][is_const[k] ? 0 : i]; }
            }
            out = res;
        });
        if (fixed) return out;
    }
    auto res = createColumn(type);
    res->reserve(rows);
    std::vector<ColumnPtr> full;
    for (auto& s : sources) full.push_back(s->isConst() ? static_cast<const ColumnConst&>(*s).getDataColumnPtr() : s);
    for (size_t i = 0; i < rows; ++i) {
        uint8_t k = which[i];
        res->insertFrom(*full[k], sources[k]->isConst() ? 0 : i);
    }
    return res;
}

namespace {

FunctionPtr buildIf(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("if", args, 3, 3);
    DataTypePtr ct = removeNullable(args[0].type);
    if (!(ct->isNumber() || ct->id == TypeId::Bool || ct->id == TypeId::Nothing))
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Illegal column " + args[0].type->name() + " of first argument of function if. Must be ColumnUInt8 or ColumnConstUInt8.");
    DataTypePtr rt = getLeastSupertype({args[1].type, args[2].type});
    DataTypePtr t1 = args[1].type, t2 = args[2].type;
    return makeFunction("if", rt, [rt, t1, t2, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        PODArray<uint8_t> cond(rows);
        toTernary(a[0], rows, cond.data(), "if");
        PODArray<uint8_t> which(rows);
        for (size_t i = 0; i < rows; ++i) which[i] = cond[i] == 1 ? 0 : 1;
        ColumnPtr x = castColumn(a[1].column, t1, rt, ctx);
        ColumnPtr y = castColumn(a[2].column, t2, rt, ctx);
        return gatherRows({x, y}, rt, which, rows);
    });
}

FunctionPtr buildMultiIf(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    if (args.size() < 3 || args.size() % 2 == 0)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Invalid number of arguments for function multiIf");
    DataTypes branch_types;
    for (size_t i = 1; i < args.size(); i += 2) branch_types.push_back(args[i].type);
    branch_types.push_back(args.back().type);
    DataTypePtr rt = getLeastSupertype(branch_types);
    return makeFunction("multiIf", rt, [rt, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        size_t nb = a.size() / 2;
        PODArray<uint8_t> which(rows);
        std::fill(which.begin(), which.end(), uint8_t(nb));
        PODArray<uint8_t> done(rows), cond(rows);
        std::fill(done.begin(), done.end(), 0);
        std::vector<ColumnPtr> sources;
        for (size_t k = 0; k < nb; ++k) {
            toTernary(a[2 * k], rows, cond.data(), "multiIf");
            for (size_t i = 0; i < rows; ++i)
                if (!done[i] && cond[i] == 1) { which[i] = uint8_t(k); done[i] = 1; }
            sources.push_back(castColumn(a[2 * k + 1].column, a[2 * k + 1].type, rt, ctx));
        }
        sources.push_back(castColumn(a.back().column, a.back().type, rt, ctx));
        return gatherRows(sources, rt, which, rows);
    });
}

FunctionPtr buildIsNull(bool negate, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    const char* name = negate ? "isNotNull" : "isNull";
    checkArgumentCount(name, args, 1, 1);
    return makeFunction(name, makeType(TypeId::UInt8), [negate](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        auto r = ColumnUInt8::create(rows);
        const IColumn& c = *a[0].column;
        for (size_t i = 0; i < rows; ++i) r->getData()[i] = uint8_t(c.isNullAt(i) != negate);
        return r;
    });
}

FunctionPtr buildCoalesce(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    if (args.empty()) throwArgumentCount("coalesce", 0, "at least 1");
    DataTypes nested;
    bool all_nullable = true;
    for (auto& a : args) {
        nested.push_back(removeNullable(a.type));
        if (a.type->id != TypeId::Nullable) all_nullable = false;
    }
    DataTypePtr base = getLeastSupertype(nested);
    // Result is Nullable unless some argument is never NULL.
    DataTypePtr rt = all_nullable && base->canBeInsideNullable() ? makeNullable(base) : base;
    if (base->id == TypeId::Nothing) rt = makeNullable(base);
    DataTypePtr cast_to = rt->canBeInsideNullable() ? makeNullable(removeNullable(rt)) : rt;
    return makeFunction("coalesce", rt, [rt, cast_to, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        PODArray<uint8_t> which(rows);
        std::fill(which.begin(), which.end(), uint8_t(a.size() - 1));
        PODArray<uint8_t> done(rows);
        std::fill(done.begin(), done.end(), 0);
        std::vector<ColumnPtr> sources;
        for (size_t k = 0; k < a.size(); ++k) {
            for (size_t i = 0; i < rows; ++i)
                if (!done[i] && !a[k].column->isNullAt(i)) { which[i] = uint8_t(k); done[i] = 1; }
            sources.push_back(castColumn(a[k].column, a[k].type, cast_to, ctx));
        }
        ColumnPtr r = gatherRows(sources, cast_to, which, rows);
        if (rt->id != TypeId::Nullable) return castColumn(r, cast_to, rt, ctx);
        return r;
    });
}

FunctionPtr buildAssumeNotNull(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("assumeNotNull", args, 1, 1);
    DataTypePtr rt = removeNullable(args[0].type);
    return makeFunction("assumeNotNull", rt, [](const ColumnsWithTypeAndName& a, size_t) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        if (c->isNullable()) return static_cast<const ColumnNullable&>(*c).getNestedPtr();
        return c;
    });
}

FunctionPtr buildNullIf(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("nullIf", args, 2, 2);
    auto eq = FunctionFactory::instance().build("equals", args, ctx);
    DataTypePtr rt = args[0].type->canBeInsideNullable() || args[0].type->isNullable() ? makeNullable(args[0].type) : args[0].type;
    DataTypePtr t0 = args[0].type;
    return makeFunction("nullIf", rt, [eq, rt, t0, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr e = materialize(eq->execute(a, rows));
        ColumnPtr v = materialize(castColumn(a[0].column, t0, rt, ctx));
        auto& nv = static_cast<const ColumnNullable&>(*v);
        auto nm = ColumnUInt8::create(rows);
        for (size_t i = 0; i < rows; ++i) nm->getData()[i] = nv.getNullMap()[i] | (!e->isNullAt(i) && e->get(i) == Field(uint64_t(1)));
        return std::make_shared<ColumnNullable>(nv.getNestedPtr(), nm);
    });
}

}  // namespace

void registerLogicalFunctions(FunctionFactory& f) {
    // and/or/xor/if/multiIf/isNull return plain types for LowCardinality arguments (as ClickHouse).
    FunctionProperties p{.default_nulls = false, .short_circuit = true, .low_cardinality_dictionary = false};
    f.registerFunction("and", [](auto& a, auto& c) { return buildLogical(LogicOp::And, a, c); }, p);
    f.registerFunction("or", [](auto& a, auto& c) { return buildLogical(LogicOp::Or, a, c); }, p);
    f.registerFunction("xor", [](auto& a, auto& c) { return buildLogical(LogicOp::Xor, a, c); },
                       {.default_nulls = false, .low_cardinality_dictionary = false});
    f.registerFunction("not", buildNot);
}

void registerConditionalFunctions(FunctionFactory& f) {
    FunctionProperties nonull{.default_nulls = false};
    FunctionProperties plain{.default_nulls = false, .short_circuit = true, .low_cardinality_dictionary = false};
    f.registerFunction("if", buildIf, plain);
    f.registerFunction("multiIf", buildMultiIf, plain);
    f.registerFunction("isNull", [](auto& a, auto& c) { return buildIsNull(false, a, c); }, {.default_nulls = false, .low_cardinality_dictionary = false});
    f.registerFunction("isNotNull", [](auto& a, auto& c) { return buildIsNull(true, a, c); }, {.default_nulls = false, .low_cardinality_dictionary = false});
    f.registerFunction("coalesce", buildCoalesce, {.default_nulls = false, .case_insensitive = true});
    f.registerFunction("ifNull", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) {
        checkArgumentCount("ifNull", a, 2, 2);
        return buildCoalesce(a, c);
    }, {.default_nulls = false, .case_insensitive = true});
    f.registerFunction("assumeNotNull", buildAssumeNotNull, nonull);
    f.registerFunction("nullIf", buildNullIf, {.default_nulls = false, .case_insensitive = true});
}

}  // namespace basalt
