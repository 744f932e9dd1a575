// date_common.h — helpers shared by date_functions.cpp and date_format.cpp: reading temporal
// columns as per-row (local seconds, UTC seconds, sub-second ticks), constant-argument accessors
// and unit-name normalization. Private to the date function files.
#pragma once
#include <string>

#include "columns/column.h"
#include "common/date_time.h"
#include "functions/function.h"

namespace basalt::datefn {

bool isUtcZone(const TimeZone& tz);
std::string constStringArg(const ColumnsWithTypeAndName& args, size_t i, const std::string& fn);
int64_t constIntArg(const ColumnsWithTypeAndName& args, size_t i, const std::string& fn);
// The zone a DateTime-like type displays in (its own, else the session zone).
const TimeZone& zoneOf(const DataTypePtr& t, const FunctionContext& ctx);
bool isTemporal(const DataTypePtr& t);
int64_t pow10i(uint32_t s);
// "days"/"dd"/"DAY" -> "day" ...; "" for an unknown unit.
std::string normalizeUnit(const std::string& unit);

// Iterates a Date/Date32/DateTime/DateTime64 column. For each row calls
// f(i, local_seconds, utc_seconds, subsecond_ticks): a Date is local midnight (utc = local);
// DateTime64 splits into floor seconds and ticks in [0, mul). The zone offset lookup is skipped
// for UTC, which is the common case.
struct TimeReader {
    TypeId id;
    uint32_t scale = 0;
    int64_t mul = 1;
    bool utc = true;
    const TimeZone* tz;
    ColumnPtr col;
    const char* raw;

    TimeReader(const ColumnWithTypeAndName& a, const TimeZone& zone);

    template <typename F>
    void forEach(size_t rows, F&& f) const {
        switch (id) {
            case TypeId::Date: {
                auto* v = reinterpret_cast<const uint16_t*>(raw);
                for (size_t i = 0; i < rows; ++i) { int64_t l = int64_t(v[i]) * 86400; f(i, l, l, int64_t(0)); }
                break;
            }
            case TypeId::Date32: {
                auto* v = reinterpret_cast<const int32_t*>(raw);
                for (size_t i = 0; i < rows; ++i) { int64_t l = int64_t(v[i]) * 86400; f(i, l, l, int64_t(0)); }
                break;
            }
            case TypeId::DateTime: {
                auto* v = reinterpret_cast<const uint32_t*>(raw);
                if (utc) for (size_t i = 0; i < rows; ++i) f(i, int64_t(v[i]), int64_t(v[i]), int64_t(0));
                else for (size_t i = 0; i < rows; ++i) { int64_t t = v[i]; f(i, t + utcOffset(t, *tz), t, int64_t(0)); }
                break;
            }
            case TypeId::DateTime64: {
                auto* v = reinterpret_cast<const int64_t*>(raw);
                for (size_t i = 0; i < rows; ++i) {
                    int64_t q = v[i] / mul, r = v[i] % mul;
                    if (r < 0) { --q; r += mul; }
                    f(i, utc ? q : q + utcOffset(q, *tz), q, r);
                }
                break;
            }
            default: break;
        }
    }
};

}  // namespace basalt::datefn
