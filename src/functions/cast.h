// cast.h — type conversion of whole columns: the engine of CAST, toX functions, implicit
// conversions on INSERT and in comparisons. Number->number conversions are tight typed loops;
// String <-> X goes through the text (de)serialization of formats/value_text.h.
#pragma once
#include "columns/block.h"
#include "functions/function.h"

namespace basalt {

enum class CastMode { Throw, OrNull, OrZero };

// Converts `col` of type `from` to type `to`. Throws CANNOT_PARSE_* / CANNOT_CONVERT_TYPE (70) /
// TYPE_MISMATCH (53) as ClickHouse does; in OrNull/OrZero mode unparsable values become NULL/zero.
// `accurate` = accurateCast semantics (overflow is an error instead of wrapping).
ColumnPtr castColumn(const ColumnPtr& col, const DataTypePtr& from, const DataTypePtr& to, const FunctionContext& ctx,
                     CastMode mode = CastMode::Throw, bool accurate = false);

// castColumn's part for Int256 / UInt256 / Decimal256 on either side (full, non-Nullable columns of
// numbers, Bool, dates, decimals; cast_wide.cpp). `bad` as in OrNull/OrZero modes (null: throw).
ColumnPtr castWideColumn(const IColumn& col, const DataTypePtr& from, const DataTypePtr& to, bool accurate, uint8_t* bad);

// Converts a Field (literal) to a value of `to` in a one-row column (used for IN sets, constants).
ColumnPtr castField(const Field& value, const DataTypePtr& value_type, const DataTypePtr& to, const FunctionContext& ctx);

// Type of a literal as ClickHouse infers it: 1 -> UInt8, -1 -> Int8, 1.5 -> Float64, 'a' -> String,
// NULL -> Nullable(Nothing), [1, 2] -> Array(UInt8), (1, 'a') -> Tuple(UInt8, String).
DataTypePtr literalType(const Field& value);
// A one-row column holding the literal in its literalType.
ColumnPtr literalColumn(const Field& value, const DataTypePtr& type);

}  // namespace basalt
