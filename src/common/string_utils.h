// string_utils.h — small text helpers shared by parser, formats and functions: quoting/escaping in
// ClickHouse's styles, float formatting identical to ClickHouse, case-insensitive compare.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

// Shortest round-trip representation as ClickHouse prints it: 0.1, 1e21, 1e-7, nan, inf, -inf.
std::string formatFloat(double v);
std::string formatFloat32(float v);
void appendFloat(std::string& out, double v);
void appendFloat32(std::string& out, float v);

// 'abc' with \' and \\ escapes (ClickHouse quoted-string style, also used in Values/Pretty of arrays).
std::string quoteString(std::string_view s);
// `name` with \` and \\ escapes: an identifier that is safe to put back into SQL text.
std::string backQuote(std::string_view s);
void appendQuotedString(std::string& out, std::string_view s);
// TabSeparated escaping (ClickHouse writeEscapedString): \t \n \\ \0 \b \f \r and \'.
void appendEscapedTSV(std::string& out, std::string_view s);
// JSON string escaping with quotes.
void appendJSONString(std::string& out, std::string_view s);
// CSV: "..." with "" for quotes.
void appendCSVString(std::string& out, std::string_view s);

bool iequals(std::string_view a, std::string_view b);
std::string toLower(std::string_view s);
std::string toUpper(std::string_view s);
bool startsWith(std::string_view s, std::string_view prefix);

// Levenshtein distance, for "maybe you meant" hints.
size_t editDistance(std::string_view a, std::string_view b);

}  // namespace basalt
