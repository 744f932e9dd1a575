// field.h — Field: one dynamically typed value (literal, constant, setting, row of a small result).
// Used only outside hot loops: kernels work on typed column arrays, never on Fields.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace basalt {

struct Field;
struct NullField { bool operator==(const NullField&) const { return true; } };
struct FieldArray { std::vector<Field> items; bool operator==(const FieldArray&) const; };
struct FieldTuple { std::vector<Field> items; bool operator==(const FieldTuple&) const; };

// Signed 128-bit integer payload for Int128/UInt128 literals and Decimal128 values.
using Int128 = __int128;
using UInt128 = unsigned __int128;

struct Field {
    using Variant = std::variant<NullField, uint64_t, int64_t, double, std::string, FieldArray, FieldTuple, bool>;
    Variant value;

    Field() : value(NullField{}) {}
    Field(uint64_t v) : value(v) {}
    Field(int64_t v) : value(v) {}
    Field(int v) : value(int64_t(v)) {}
    Field(double v) : value(v) {}
    Field(bool v) : value(v) {}
    Field(std::string v) : value(std::move(v)) {}
    Field(const char* v) : value(std::string(v)) {}
    Field(FieldArray v) : value(std::move(v)) {}
    Field(FieldTuple v) : value(std::move(v)) {}

    bool isNull() const { return std::holds_alternative<NullField>(value); }
    template <typename T> bool is() const { return std::holds_alternative<T>(value); }
    template <typename T> const T& get() const { return std::get<T>(value); }
    template <typename T> T& get() { return std::get<T>(value); }
    bool operator==(const Field& o) const { return value == o.value; }

    // Debug/EXPLAIN rendering in SQL literal syntax ('str', [1,2], (1,'a'), NULL).
    std::string toSQL() const;
};

inline bool FieldArray::operator==(const FieldArray& o) const { return items == o.items; }
inline bool FieldTuple::operator==(const FieldTuple& o) const { return items == o.items; }

}  // namespace basalt
