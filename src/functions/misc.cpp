// misc.cpp — small utility functions: materialize, ignore, identity, toNullable, now, today,
// version, isFinite/isNaN/isInfinite, greatest/least.
#include <chrono>
#include <cmath>

#include "common/exception.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

void registerMiscFunctions(FunctionFactory& f) {
    f.registerFunction("materialize", [](const ColumnsWithTypeAndName& a, const FunctionContext&) {
        checkArgumentCount("materialize", a, 1, 1);
        return makeFunction("materialize", a[0].type, [](const ColumnsWithTypeAndName& x, size_t) { return materialize(x[0].column); });
    }, {.default_nulls = false, .default_constants = false, .deterministic = false, .default_low_cardinality = false});
    f.registerFunction("identity", [](const ColumnsWithTypeAndName& a, const FunctionContext&) {
        checkArgumentCount("identity", a, 1, 1);
        return makeFunction("identity", a[0].type, [](const ColumnsWithTypeAndName& x, size_t) { return x[0].column; });
    }, {.default_nulls = false, .default_low_cardinality = false});
    f.registerFunction("ignore", [](const ColumnsWithTypeAndName&, const FunctionContext&) {
        return makeFunction("ignore", makeType(TypeId::UInt8), [](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto c = ColumnUInt8::create(1);
            c->getData()[0] = 0;
            return std::make_shared<ColumnConst>(c, rows);
        });
    }, {.default_nulls = false, .low_cardinality_dictionary = false});
    // throwIf(x[, message]): 0 for every row, or FUNCTION_THROW_IF_VALUE_IS_NON_ZERO (395) when
    // some row of x is non-zero.
    f.registerFunction("throwIf", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
        checkArgumentCount("throwIf", a, 1, 2);
        DataTypePtr t = removeLowCardinality(a[0].type);
        if (!t->isNumber() && t->id != TypeId::Bool)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument of function throwIf must be a number (passed: " + a[0].type->name() + ")");
        std::string message = "Value passed to 'throwIf' function is non-zero";
        if (a.size() == 2) {
            if (!a[1].column || !a[1].column->isConst() || removeLowCardinality(a[1].type)->id != TypeId::String)
                throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Second argument of function throwIf must be a constant string");
            message = a[1].column->get(0).get<std::string>();
        }
        FunctionContext c = ctx;
        return makeFunction("throwIf", makeType(TypeId::UInt8), [t, message, c](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            ColumnPtr v = castColumn(x[0].column->convertToFullColumn(x[0].column), t, makeType(TypeId::Float64), c);
            const auto& d = static_cast<const ColumnFloat64&>(*v).getData();
            for (size_t i = 0; i < rows; ++i)
                if (d[i] != 0) throw Exception(ErrorCodes::FUNCTION_THROW_IF_VALUE_IS_NON_ZERO, message);
            auto z = ColumnUInt8::create(1);
            z->getData()[0] = 0;
            return std::make_shared<ColumnConst>(z, rows);
        });
    }, {.deterministic = false});
    f.registerFunction("toNullable", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
        checkArgumentCount("toNullable", a, 1, 1);
        DataTypePtr from = a[0].type;
        DataTypePtr to = from->canBeInsideNullable() ? makeNullable(from) : from;
        return makeFunction("toNullable", to, [from, to, ctx](const ColumnsWithTypeAndName& x, size_t) { return castColumn(x[0].column, from, to, ctx); });
    }, {.default_nulls = false});
    f.registerFunction("now", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
        DataTypePtr t = makeType(TypeId::DateTime);
        if (a.size() == 1 && a[0].column && a[0].column->isConst()) t = makeDateTime(a[0].column->get(0).get<std::string>());
        (void)ctx;
        auto fn = makeFunction("now", t, [](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto c = ColumnUInt32::create(1);
            c->getData()[0] = uint32_t(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
            return std::make_shared<ColumnConst>(c, rows);
        });
        return fn;
    }, {.case_insensitive = true, .deterministic = false});
    f.registerFunction("today", [](const ColumnsWithTypeAndName&, const FunctionContext& ctx) {
        FunctionContext c = ctx;
        return makeFunction("today", makeType(TypeId::Date), [c](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto now = ColumnUInt32::create(1);
            now->getData()[0] = uint32_t(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
            ColumnPtr d = castColumn(now, makeType(TypeId::DateTime), makeType(TypeId::Date), c);
            return std::make_shared<ColumnConst>(d, rows);
        });
    }, {.deterministic = false});
    f.registerFunction("version", [](const ColumnsWithTypeAndName&, const FunctionContext&) {
        return makeFunction("version", makeType(TypeId::String), [](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto c = ColumnString::create();
            c->insertData("24.8.1.1");
            return std::make_shared<ColumnConst>(c, rows);
        });
    }, {.case_insensitive = true});
    for (auto [name, kind] : {std::pair{"isNaN", 0}, std::pair{"isFinite", 1}, std::pair{"isInfinite", 2}}) {
        int k = kind;
        std::string n = name;
        f.registerFunction(n, [k, n](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
            checkArgumentCount(n, a, 1, 1);
            if (!a[0].type->isNumber()) throwIllegalType(n, a[0].type, 0);
            DataTypePtr t = a[0].type;
            return makeFunction(n, makeType(TypeId::UInt8), [k, t, ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                ColumnPtr d = materialize(castColumn(x[0].column, t, makeType(TypeId::Float64), ctx));
                auto& v = static_cast<const ColumnFloat64&>(*d).getData();
                auto r = ColumnUInt8::create(rows);
                for (size_t i = 0; i < rows; ++i)
                    r->getData()[i] = k == 0 ? std::isnan(v[i]) : k == 1 ? std::isfinite(v[i]) : std::isinf(v[i]);
                return r;
            });
        });
    }
    for (auto [name, greatest] : {std::pair{"greatest", true}, std::pair{"least", false}}) {
        bool g = greatest;
        std::string n = name;
        f.registerFunction(n, [g, n](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
            if (a.empty()) throwArgumentCount(n, 0, "at least 1");
            DataTypes ts;
            for (auto& x : a) ts.push_back(x.type);
            DataTypePtr rt = getLeastSupertype(ts);
            return makeFunction(n, rt, [g, rt, ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                std::vector<ColumnPtr> cols;
                for (auto& c : x) cols.push_back(materialize(castColumn(c.column, c.type, rt, ctx)));
                auto res = cols[0]->cloneEmpty();
                res->reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    size_t best = 0;
                    for (size_t k = 1; k < cols.size(); ++k) {
                        int c = cols[k]->compareAt(i, i, *cols[best], 1);
                        if (g ? c > 0 : c < 0) best = k;
                    }
                    res->insertFrom(*cols[best], i);
                }
                return ColumnPtr(res);
            });
        }, {.case_insensitive = true});
    }
}

}  // namespace basalt
