// create_column.h — maps a DataType to its physical column layout, plus compile-time dispatch from
// a TypeId to the C++ value type of its column (kernels are instantiated per type through this).
#pragma once
#include "columns/column.h"
#include "types/data_type.h"

namespace basalt {

// An empty column with the physical layout of `type` (Nullable -> ColumnNullable, Date -> UInt16, ...).
MutableColumnPtr createColumn(const DataType& type);
inline MutableColumnPtr createColumn(const DataTypePtr& type) { return createColumn(*type); }
// A ColumnConst of n rows holding `value` converted to `type`.
ColumnPtr createConstColumn(const DataTypePtr& type, const Field& value, size_t n);
// A full (or constant) column of the dictionary type of `lc_type` as a LowCardinality column
// (constants stay constant); LowCardinality input is returned unchanged.
ColumnPtr convertToLowCardinality(const ColumnPtr& col, const DataTypePtr& lc_type);

template <typename T> struct TypeTag { using type = T; };

// Calls f(TypeTag<T>{}) with T the storage type of a fixed-width numeric-like TypeId
// (numbers, Bool, Date/Date32/DateTime/DateTime64, Enum, Decimal32/64, IPv4, Interval).
// Returns false if the id is not such a type.
template <typename F>
bool dispatchFixed(TypeId id, F&& f) {
    switch (id) {
        case TypeId::UInt8: case TypeId::Bool: f(TypeTag<uint8_t>{}); return true;
        case TypeId::UInt16: case TypeId::Date: f(TypeTag<uint16_t>{}); return true;
        case TypeId::UInt32: case TypeId::DateTime: case TypeId::IPv4: f(TypeTag<uint32_t>{}); return true;
        case TypeId::UInt64: f(TypeTag<uint64_t>{}); return true;
        case TypeId::Int8: case TypeId::Enum8: f(TypeTag<int8_t>{}); return true;
        case TypeId::Int16: case TypeId::Enum16: f(TypeTag<int16_t>{}); return true;
        case TypeId::Int32: case TypeId::Date32: case TypeId::Decimal32: f(TypeTag<int32_t>{}); return true;
        case TypeId::Int64: case TypeId::DateTime64: case TypeId::Decimal64: case TypeId::Interval: f(TypeTag<int64_t>{}); return true;
        case TypeId::Float32: f(TypeTag<float>{}); return true;
        case TypeId::Float64: f(TypeTag<double>{}); return true;
        case TypeId::UInt128: case TypeId::UUID: case TypeId::IPv6: f(TypeTag<UInt128>{}); return true;
        case TypeId::Int128: case TypeId::Decimal128: f(TypeTag<Int128>{}); return true;
        default: return false;
    }
}

// Like dispatchFixed but only for plain numbers (Int*/UInt* up to 64 bits, Float32/64, Bool).
template <typename F>
bool dispatchNumber(TypeId id, F&& f) {
    switch (id) {
        case TypeId::UInt8: case TypeId::Bool: f(TypeTag<uint8_t>{}); return true;
        case TypeId::UInt16: f(TypeTag<uint16_t>{}); return true;
        case TypeId::UInt32: f(TypeTag<uint32_t>{}); return true;
        case TypeId::UInt64: f(TypeTag<uint64_t>{}); return true;
        case TypeId::Int8: f(TypeTag<int8_t>{}); return true;
        case TypeId::Int16: f(TypeTag<int16_t>{}); return true;
        case TypeId::Int32: f(TypeTag<int32_t>{}); return true;
        case TypeId::Int64: f(TypeTag<int64_t>{}); return true;
        case TypeId::Float32: f(TypeTag<float>{}); return true;
        case TypeId::Float64: f(TypeTag<double>{}); return true;
        default: return false;
    }
}

// TypeId of the plain number type stored as T (uint8_t -> UInt8, double -> Float64, ...).
template <typename T> constexpr TypeId numberTypeId() {
    if constexpr (std::is_same_v<T, uint8_t>) return TypeId::UInt8;
    else if constexpr (std::is_same_v<T, uint16_t>) return TypeId::UInt16;
    else if constexpr (std::is_same_v<T, uint32_t>) return TypeId::UInt32;
    else if constexpr (std::is_same_v<T, uint64_t>) return TypeId::UInt64;
    else if constexpr (std::is_same_v<T, int8_t>) return TypeId::Int8;
    else if constexpr (std::is_same_v<T, int16_t>) return TypeId::Int16;
    else if constexpr (std::is_same_v<T, int32_t>) return TypeId::Int32;
    else if constexpr (std::is_same_v<T, int64_t>) return TypeId::Int64;
    else if constexpr (std::is_same_v<T, float>) return TypeId::Float32;
    else if constexpr (std::is_same_v<T, double>) return TypeId::Float64;
    else return TypeId::Nothing;
}

}  // namespace basalt
