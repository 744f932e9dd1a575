// function.h — the scalar function interface and registry.
// A function is resolved once per query for concrete argument types (FunctionFactory::build) into an
// IExecutableFunction that knows its result type and runs on whole columns. Two generic wrappers
// apply ClickHouse's default behaviours so individual kernels never see them:
//   - NULLs: if any argument is Nullable, the kernel runs on the nested columns and the result is
//     Nullable with the OR of the null maps (a NULL constant argument makes the result NULL);
//   - constants: if every argument is constant, the kernel runs on one row and the result is const.
//   - LowCardinality (outermost, as ClickHouse's default implementation): kernels never see it.
//     Argument types lose LowCardinality (also inside arrays/tuples/maps) and columns are converted
//     to full columns, except when the function has one non-constant LowCardinality argument and
//     every other argument is constant: then it runs once on the dictionary values the block uses and
//     the result is LowCardinality(R), mapped through the indexes (lower(lc), lc = 'x', length(lc)).
// Kernels are templates instantiated per argument type and dispatched once per block, never per row.
//
// Higher-order functions (arrayMap(x -> ..., arr), arrayFilter, arraySort with a lambda, ...):
// the analyzer builds them with args[0] = {column: nullptr, type: the lambda body's result type,
// name: "__lambda"} followed by the array arguments. At execution args[0].column holds the lambda
// body evaluated once over all array elements, flattened (size = total elements of args[1]), and
// args[1..] are full ColumnArray columns with identical offsets. A function that also works
// without a lambda (arraySort(arr)) is called with just the arrays. FunctionProperties can declare
// ordinary arguments between the lambda and the arrays (lambda_fixed_args) or a fold accumulator
// (lambda_fold, arrayFold).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "columns/block.h"
#include "types/data_type.h"

namespace basalt {

struct FormatSettings;
class Dictionary;

// Query-level facts a function may depend on.
struct FunctionContext {
    std::string session_timezone = "UTC";
    std::string current_database = "default";
    std::string current_user = "default";
    const FormatSettings* format_settings = nullptr;
    bool allow_suspicious_low_cardinality_types = false;   // CAST to LowCardinality(UInt8) etc.
    // dictGet*: a dictionary by name ("db.name", or "name" in current_database); null if none.
    std::function<std::shared_ptr<Dictionary>(const std::string&)> find_dictionary;
    // joinGet: the key index of a Join-engine table by name, the same way; null if none.
    std::function<std::shared_ptr<Dictionary>(const std::string&)> find_join;
};

class IExecutableFunction {
public:
    virtual ~IExecutableFunction() = default;
    virtual ColumnPtr execute(const ColumnsWithTypeAndName& args, size_t rows) const = 0;
    DataTypePtr result_type;
    std::string name;
    bool deterministic = true;   // can be constant-folded (now(), rand() cannot)
};
using FunctionPtr = std::shared_ptr<const IExecutableFunction>;

// Builds an executable function for the given arguments. `args[i].column` is set (ColumnConst) when
// the argument is a constant known at analysis time, else null. Throws ILLEGAL_TYPE_OF_ARGUMENT /
// NUMBER_OF_ARGUMENTS_DOESNT_MATCH as ClickHouse does.
using FunctionBuilder = std::function<FunctionPtr(const ColumnsWithTypeAndName& args, const FunctionContext& ctx)>;

struct FunctionProperties {
    bool default_nulls = true;       // apply the NULL wrapper
    bool default_constants = true;   // apply the all-constant wrapper
    bool case_insensitive = false;
    bool deterministic = true;
    bool short_circuit = false;      // if/multiIf/and/or: the evaluator evaluates branches lazily
    bool default_low_cardinality = true;      // apply the LowCardinality wrapper (off: sees LC types/columns)
    bool low_cardinality_dictionary = true;   // may run on a LowCardinality argument's dictionary
    // Higher-order functions only. lambda_fixed_args: ordinary arguments between the lambda and the
    // arrays (arrayPartialSort's limit, arrayTopK's K), passed through unchanged after args[0].
    // lambda_fold (arrayFold): the last argument is an accumulator bound to the lambda's first
    // parameter; the evaluator applies the lambda element by element and args[0] holds the final
    // accumulator per row.
    size_t lambda_fixed_args = 0;
    bool lambda_fold = false;
};

class FunctionFactory {
public:
    static FunctionFactory& instance();
    void registerFunction(const std::string& name, FunctionBuilder builder, FunctionProperties props = {});
    void registerAlias(const std::string& alias, const std::string& name, bool case_insensitive = false);
    bool has(const std::string& name) const;
    const FunctionProperties* properties(const std::string& name) const;
    // Resolves name for args with the default wrappers applied. Throws UNKNOWN_FUNCTION (46) with a
    // "Maybe you meant: [...]" hint when the name is unknown.
    FunctionPtr build(const std::string& name, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) const;
    std::vector<std::string> names() const;
    // Suggests close names (functions and aggregate functions) for an unknown one.
    std::vector<std::string> hints(const std::string& name) const;

private:
    struct Entry { FunctionBuilder builder; FunctionProperties props; };
    const Entry* find(const std::string& name) const;
    FunctionPtr buildWithoutLowCardinality(const Entry& e, const std::string& name, const ColumnsWithTypeAndName& args,
                                           const FunctionContext& ctx) const;
    std::vector<std::pair<std::string, Entry>> entries_;   // sorted by name after registration
    std::vector<std::pair<std::string, std::string>> aliases_;
    friend struct FunctionRegistrar;
};

// Runs f on arguments with the generic wrappers (used by the evaluator and constant folding).
ColumnPtr executeFunction(const IExecutableFunction& f, const ColumnsWithTypeAndName& args, size_t rows);

// The LowCardinality wrapper for a function already built for the arguments without LowCardinality
// (used by FunctionFactory::build and by IN): `on_dictionary` = run on the dictionary of the single
// LowCardinality argument and return LowCardinality(inner result).
FunctionPtr wrapLowCardinality(FunctionPtr inner, bool on_dictionary);

// Convenience for implementations: a function defined by a lambda.
template <typename F>
class LambdaFunction final : public IExecutableFunction {
public:
    LambdaFunction(std::string n, DataTypePtr t, F f) : f_(std::move(f)) { name = std::move(n); result_type = std::move(t); }
    ColumnPtr execute(const ColumnsWithTypeAndName& args, size_t rows) const override { return f_(args, rows); }
private:
    F f_;
};
template <typename F>
FunctionPtr makeFunction(std::string name, DataTypePtr result, F f) {
    return std::make_shared<LambdaFunction<F>>(std::move(name), std::move(result), std::move(f));
}

// Errors in ClickHouse's wording.
[[noreturn]] void throwIllegalType(const std::string& fn, const DataTypePtr& type, size_t arg_index);
[[noreturn]] void throwArgumentCount(const std::string& fn, size_t got, const std::string& expected);
void checkArgumentCount(const std::string& fn, const ColumnsWithTypeAndName& args, size_t min, size_t max);

// Every functions/*.cpp registers its functions through one of these, called from registerAllFunctions().
void registerAllFunctions(FunctionFactory& f);
void registerArithmeticFunctions(FunctionFactory& f);
void registerComparisonFunctions(FunctionFactory& f);
void registerLogicalFunctions(FunctionFactory& f);
void registerConditionalFunctions(FunctionFactory& f);
void registerConversionFunctions(FunctionFactory& f);
void registerTupleArrayBasicFunctions(FunctionFactory& f);
void registerMiscFunctions(FunctionFactory& f);
void registerAggregateStateFunctions(FunctionFactory& f);
void registerDictionaryFunctions(FunctionFactory& f);        // dictGet*, dictHas   // finalizeAggregation, initializeAggregation
void registerExtraFunctions(FunctionFactory& f);   // strings, dates, math, hashes, arrays, JSON, URL

}  // namespace basalt
