// aggregate_state_functions.cpp — scalar functions over AggregateFunction(f, T...) values (serialized
// aggregate states, see aggregates/combinators.cpp): finalizeAggregation(state) gives f's result
// for each state; initializeAggregation('fState', args...) builds one state per row.
#include "aggregates/aggregate_helpers.h"
#include "common/exception.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {


void registerAggregateStateFunctions(FunctionFactory& f) {
    f.registerFunction("finalizeAggregation", [](const ColumnsWithTypeAndName& a, const FunctionContext&) {
        checkArgumentCount("finalizeAggregation", a, 1, 1);
        if (a[0].type->id != TypeId::AggregateFunction) throwIllegalType("finalizeAggregation", a[0].type, 0);
        auto fn = a[0].type->aggregate_function;
        return makeFunction("finalizeAggregation", fn->resultType(), [fn](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            auto& states = static_cast<const ColumnString&>(*x[0].column);
            auto out = createColumn(fn->resultType());
            out->reserve(rows);
            Arena arena;
            agg::ScratchPlace place(*fn);
            for (size_t i = 0; i < rows; ++i) fn->insertResultInto(place.load(states.getView(i), &arena), *out, &arena);
            return out;
        });
    });
    f.registerFunction("initializeAggregation", [](const ColumnsWithTypeAndName& a, const FunctionContext&) {
        if (a.size() < 2) throwArgumentCount("initializeAggregation", a.size(), "at least 2");
        if (!a[0].column || !a[0].column->isConst() || a[0].type->id != TypeId::String)
            throw Exception(ErrorCodes::ILLEGAL_COLUMN, "First argument of function initializeAggregation must be a constant string (the aggregate function name)");
        std::string name = static_cast<const ColumnConst&>(*a[0].column).getDataColumn().get(0).get<std::string>();
        DataTypes types;
        for (size_t i = 1; i < a.size(); ++i) types.push_back(a[i].type);
        auto fn = AggregateFunctionFactory::instance().get(name, types, {});
        return makeFunction("initializeAggregation", fn->resultType(), [fn](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            std::vector<ColumnPtr> full;
            std::vector<const IColumn*> cols;
            for (size_t i = 1; i < x.size(); ++i) full.push_back(x[i].column->convertToFullColumn(x[i].column));
            for (auto& c : full) cols.push_back(c.get());
            auto out = createColumn(fn->resultType());
            out->reserve(rows);
            Arena arena;
            agg::ScratchPlace place(*fn);
            for (size_t i = 0; i < rows; ++i) {
                char* p = place.create();
                fn->add(p, cols.data(), i, &arena);
                fn->insertResultInto(p, *out, &arena);
            }
            return out;
        });
    }, {.default_nulls = false});
}

}  // namespace basalt
