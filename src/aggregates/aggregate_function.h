// aggregate_function.h — the aggregate function interface. State lives in caller-provided memory
// ("place", sizeOfData() bytes, alignOfData() aligned) inside the aggregation hash table's arena;
// the interface creates, updates in batches, merges, serializes and finalizes states, so the -State /
// -Merge combinators, two-level merging and spilling can all work on opaque states.
// Batch entry points take column arrays and a per-row `places` array: one virtual call per block,
// a typed tight loop inside.
#pragma once
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "columns/column.h"
#include "common/field.h"
#include "types/data_type.h"

namespace basalt {

class Arena;

using AggregateDataPtr = char*;
using ConstAggregateDataPtr = const char*;

class IAggregateFunction {
public:
    IAggregateFunction(std::string name, DataTypes argument_types, std::vector<Field> parameters, DataTypePtr result_type)
        : name_(std::move(name)), argument_types_(std::move(argument_types)), parameters_(std::move(parameters)),
          result_type_(std::move(result_type)) {}
    virtual ~IAggregateFunction() = default;

    const std::string& name() const { return name_; }
    const DataTypes& argumentTypes() const { return argument_types_; }
    const std::vector<Field>& parameters() const { return parameters_; }
    const DataTypePtr& resultType() const { return result_type_; }

    virtual size_t sizeOfData() const = 0;
    virtual size_t alignOfData() const = 0;
    virtual void create(AggregateDataPtr place) const = 0;
    virtual void destroy(AggregateDataPtr place) const noexcept = 0;
    virtual bool hasTrivialDestructor() const { return false; }

    // Adds row `row` of `columns` to place (used by generic paths).
    virtual void add(AggregateDataPtr place, const IColumn** columns, size_t row, Arena* arena) const = 0;
    // Adds rows [0, rows) to places[i] + offset; rows whose filter byte is 0 are skipped (-If).
    virtual void addBatch(size_t rows, AggregateDataPtr* places, size_t offset, const IColumn** columns, Arena* arena,
                          const uint8_t* filter = nullptr) const {
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) add(places[i] + offset, columns, i, arena);
    }
    // Adds rows [0, rows) to a single place (aggregation without keys).
    virtual void addBatchSinglePlace(size_t rows, AggregateDataPtr place, const IColumn** columns, Arena* arena,
                                     const uint8_t* filter = nullptr) const {
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) add(place, columns, i, arena);
    }
    virtual void merge(AggregateDataPtr place, ConstAggregateDataPtr rhs, Arena* arena) const = 0;
    virtual void serialize(ConstAggregateDataPtr place, std::string& out) const = 0;
    virtual void deserialize(AggregateDataPtr place, const char*& pos, const char* end, Arena* arena) const = 0;
    // Appends the final value to `to` (a column of resultType()).
    virtual void insertResultInto(AggregateDataPtr place, IColumn& to, Arena* arena) const = 0;
    // Appends the final values of places[i] + offset for i in [0, n) (finalizing a hash table of
    // a million groups: one virtual call per batch instead of per group).
    virtual void insertResultsInto(AggregateDataPtr* places, size_t n, size_t offset, IColumn& to, Arena* arena) const {
        for (size_t i = 0; i < n; ++i) insertResultInto(places[i] + offset, to, arena);
    }

    // count() with no arguments can be answered from row counts alone.
    virtual bool isCountStar() const { return false; }

private:
    std::string name_;
    DataTypes argument_types_;
    std::vector<Field> parameters_;
    DataTypePtr result_type_;
};

using AggregateFunctionPtr = std::shared_ptr<const IAggregateFunction>;

// Arena: bump allocator for aggregation states and variable-length keys; frees everything at once.
// Memory is charged to the query's MemoryTracker.
class Arena {
public:
    Arena() = default;
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;
    ~Arena();
    char* alloc(size_t size, size_t align = 8);
    char* insert(const char* data, size_t size) { char* p = alloc(size, 1); std::memcpy(p, data, size); return p; }
    size_t allocatedBytes() const { return allocated_; }

private:
    struct Chunk { char* data; size_t size; };
    std::vector<Chunk> chunks_;
    char* pos_ = nullptr;
    char* end_ = nullptr;
    size_t allocated_ = 0;
};

struct AggregateFunctionFactoryEntry;

class AggregateFunctionFactory {
public:
    using Creator = std::function<AggregateFunctionPtr(const std::string& name, const DataTypes& args, const std::vector<Field>& params)>;
    static AggregateFunctionFactory& instance();
    void registerFunction(const std::string& name, Creator c, bool case_insensitive = false);
    // Resolves combinators (-If, -State, -Merge, -OrNull, -Distinct...). Throws UNKNOWN_AGGREGATE_FUNCTION
    // for unknown names and ILLEGAL_TYPE_OF_ARGUMENT / NUMBER_OF_ARGUMENTS_DOESNT_MATCH for bad arguments.
    AggregateFunctionPtr get(const std::string& name, const DataTypes& args, const std::vector<Field>& params) const;
    bool isAggregateFunctionName(const std::string& name) const;
    std::vector<std::string> names() const;

private:
    const Creator* find(const std::string& name) const;
    std::vector<std::pair<std::string, Creator>> creators_;
    std::vector<std::string> case_insensitive_;
};

void registerBasicAggregateFunctions(AggregateFunctionFactory& f);
void registerStatisticalAggregateFunctions(AggregateFunctionFactory& f);   // uniq*, quantile*, topK, stddev, ...
void registerCombinators(AggregateFunctionFactory& f);

}  // namespace basalt
