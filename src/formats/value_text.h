// value_text.h — text serialization of single values of any type, in the escaping styles formats
// need. Output is byte-identical to ClickHouse (floats shortest round-trip, DateTime in the session
// time zone, arrays as [1,2], tuples as (1,'a'), strings inside composites quoted).
#pragma once
#include <string>
#include <string_view>

#include "columns/column.h"
#include "formats/format.h"
#include "types/data_type.h"

namespace basalt {

enum class TextStyle {
    Escaped,   // TabSeparated: \t \n \\ escaped, NULL as \N
    Quoted,    // Values / inside arrays and tuples: 'str', NULL
    CSV,       // "str" with "" doubling, NULL as \N
    JSON,      // "str" JSON-escaped, numbers bare (64-bit ints quoted per settings), null
    Raw,       // Pretty/Vertical: strings as is, NULL as NULL
};

void serializeText(const DataType& type, const IColumn& column, size_t row, std::string& out, TextStyle style,
                   const FormatSettings& settings);

// A cursor over input text used by parsers (formats, CAST from String, table literals).
struct ReadBuffer {
    const char* pos;
    const char* end;
    explicit ReadBuffer(std::string_view s) : pos(s.data()), end(s.data() + s.size()) {}
    bool eof() const { return pos >= end; }
    char peek() const { return pos < end ? *pos : '\0'; }
};

// Parses one value of `type` from `in` in the given style and appends it to `column`.
// Throws CANNOT_PARSE_* on malformed text, leaving `column` unchanged.
void deserializeText(const DataType& type, IColumn& column, ReadBuffer& in, TextStyle style,
                     const FormatSettings& settings);

// Reads a JSON string literal at `in` ("..." with \uXXXX escapes decoded to UTF-8) into `out`.
// Throws CANNOT_PARSE_QUOTED_STRING / CANNOT_PARSE_ESCAPE_SEQUENCE.
void readJSONStringText(ReadBuffer& in, std::string& out);

// Parses a whole string as a value of `type` (CAST('..' AS T), toDate('...')); the entire string must
// be consumed. Throws CANNOT_PARSE_TEXT / CANNOT_PARSE_DATE / ... as ClickHouse does.
void deserializeWholeText(const DataType& type, IColumn& column, std::string_view text, const FormatSettings& settings);

}  // namespace basalt
