// data_type.h — the SQL type system: one DataType value object per ClickHouse type.
// A type knows its ClickHouse name, its physical column layout and its parameters (precision,
// time zone, nested types). Types are immutable and shared (DataTypePtr); compare with equals().
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace basalt {

enum class TypeId : uint8_t {
    Nothing,
    UInt8, UInt16, UInt32, UInt64, UInt128, UInt256,
    Int8, Int16, Int32, Int64, Int128, Int256,
    Float32, Float64,
    Bool,
    Decimal32, Decimal64, Decimal128, Decimal256,
    String, FixedString,
    Date, Date32, DateTime, DateTime64,
    UUID, IPv4, IPv6,
    Enum8, Enum16,
    Nullable, LowCardinality, Array, Tuple, Map,
    Interval,
    AggregateFunction,   // a column of serialized aggregate states (String layout)
};

enum class IntervalKind : uint8_t { Nanosecond, Microsecond, Millisecond, Second, Minute, Hour, Day, Week, Month, Quarter, Year };

struct DataType;
class IAggregateFunction;
using DataTypePtr = std::shared_ptr<const DataType>;
using DataTypes = std::vector<DataTypePtr>;

struct DataType {
    TypeId id = TypeId::Nothing;
    // Decimal: precision/scale. DateTime64: scale. FixedString: n.
    uint32_t precision = 0;
    uint32_t scale = 0;
    uint32_t n = 0;
    std::string timezone;                                 // DateTime/DateTime64 explicit zone, "" = session
    IntervalKind interval_kind = IntervalKind::Second;
    DataTypes nested;                                     // Nullable/LC/Array: 1; Tuple: N; Map: 2
    std::vector<std::string> element_names;               // named Tuple
    std::vector<std::pair<std::string, int16_t>> enum_values;
    // AggregateFunction(f, T...): `function` is "f" or "f(params)" as ClickHouse prints it, nested
    // holds the argument types and aggregate_function the function whose states the column holds.
    // SimpleAggregateFunction(f, T): a T (same id and layout) with `simple_function` = "f" and
    // aggregate_function = f(T); only MergeTree's merging modes and type names look at it.
    std::string function;
    std::string simple_function;
    std::shared_ptr<const IAggregateFunction> aggregate_function;

    std::string name() const;   // exactly as ClickHouse prints it in type lists (CAST arguments, errors)
    std::string prettyName(size_t indent = 0) const;   // toTypeName form: named tuples span lines
    bool equals(const DataType& o) const;
    bool isSimpleAggregate() const { return !simple_function.empty(); }

    bool isNullable() const { return id == TypeId::Nullable; }
    bool isUnsignedInteger() const { return id >= TypeId::UInt8 && id <= TypeId::UInt256; }
    bool isSignedInteger() const { return id >= TypeId::Int8 && id <= TypeId::Int256; }
    bool isInteger() const { return isUnsignedInteger() || isSignedInteger(); }
    bool isFloat() const { return id == TypeId::Float32 || id == TypeId::Float64; }
    bool isNumber() const { return isInteger() || isFloat(); }          // excludes Bool/Decimal
    bool isDecimal() const { return id >= TypeId::Decimal32 && id <= TypeId::Decimal256; }
    bool isString() const { return id == TypeId::String; }
    bool isStringOrFixed() const { return id == TypeId::String || id == TypeId::FixedString; }
    bool isDateOrDateTime() const { return id >= TypeId::Date && id <= TypeId::DateTime64; }
    bool isEnum() const { return id == TypeId::Enum8 || id == TypeId::Enum16; }
    // Size in bytes of one value in a fixed-width column; 0 for variable-width/composite types.
    size_t valueSize() const;
    // Whether values fit a plain fixed-width array column (numbers, dates, enums, UUID, IP).
    bool isFixedWidth() const { return valueSize() != 0; }
    bool canBeInsideNullable() const;
    // Numbers, Bool, String, FixedString, Date, Date32, DateTime, UUID, IPv4/6, Interval, or Nullable of
    // one of those (ClickHouse's DataTypeLowCardinality restriction).
    bool canBeInsideLowCardinality() const;
};

// Singletons and constructors.
DataTypePtr makeType(TypeId id);
DataTypePtr makeNullable(const DataTypePtr& t);   // idempotent; Nothing -> Nullable(Nothing)
DataTypePtr makeArray(const DataTypePtr& t);
DataTypePtr makeTuple(DataTypes elems, std::vector<std::string> names = {});
DataTypePtr makeMap(const DataTypePtr& k, const DataTypePtr& v);
DataTypePtr makeLowCardinality(const DataTypePtr& t);   // throws ILLEGAL_TYPE_OF_ARGUMENT (43) for other nested types
DataTypePtr makeDateTime(std::string tz = "");
DataTypePtr makeDateTime64(uint32_t scale, std::string tz = "");
DataTypePtr makeDecimal(uint32_t precision, uint32_t scale);
DataTypePtr makeFixedString(uint32_t n);
DataTypePtr makeInterval(IntervalKind k);
// AggregateFunction(f, args...) over an existing function; `function` is its printed name with
// parameters ("quantiles(0.5, 0.9)").
DataTypePtr makeAggregateFunctionType(std::shared_ptr<const IAggregateFunction> f, std::string function, DataTypes args);
// SimpleAggregateFunction(f, T): checks that f(T) returns T (BAD_ARGUMENTS otherwise, as ClickHouse).
DataTypePtr makeSimpleAggregateFunctionType(const std::string& function, const DataTypePtr& t);
// The type without a SimpleAggregateFunction wrapper.
DataTypePtr removeSimpleAggregate(const DataTypePtr& t);
DataTypePtr removeNullable(const DataTypePtr& t);
DataTypePtr removeLowCardinality(const DataTypePtr& t);
// Removes LowCardinality also inside Array / Tuple / Map.
DataTypePtr recursiveRemoveLowCardinality(const DataTypePtr& t);
bool containsLowCardinality(const DataType& t);
// CREATE TABLE / CAST check without allow_suspicious_low_cardinality_types: LowCardinality of anything
// but (Nullable) String, FixedString or UUID throws SUSPICIOUS_TYPE_FOR_LOW_CARDINALITY (455).
void checkSuspiciousLowCardinality(const DataType& t);
const char* intervalKindName(IntervalKind k);   // "Second", "Day", ...

// Parses a ClickHouse type name ("Nullable(DateTime64(3, 'UTC'))"); throws UNKNOWN_TYPE / SYNTAX_ERROR.
DataTypePtr parseDataType(std::string_view text);

// Least common supertype, as ClickHouse's getLeastSupertype: UInt8+Int8 -> Int16, Int64+UInt64 -> throws
// NO_COMMON_TYPE, Nothing + T -> T, NULL + T -> Nullable(T). Throws NO_COMMON_TYPE.
DataTypePtr getLeastSupertype(const DataTypes& types);

}  // namespace basalt
