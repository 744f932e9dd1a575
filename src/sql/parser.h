// parser.h — hand-written recursive-descent parser for basalt's ClickHouse SQL dialect.
// Errors are SYNTAX_ERROR (62) with ClickHouse's message shape:
//   "Syntax error: failed at position 11 (line 1, col 11) (end of query): . Expected one of: ..."
#pragma once
#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace basalt {

struct ParserLimits {
    size_t max_query_size = 262144;   // bytes of query text (inline INSERT data excluded)
    size_t max_parser_depth = 1000;   // nesting depth; deeper -> TOO_DEEP_RECURSION (306)
};

// Parses exactly one statement (an optional trailing ';' is allowed).
ParsedStatement parseStatement(std::string_view sql, const ParserLimits& limits = {});

// Splits a script into statements and parses each. Statements are separated by ';'. An INSERT with
// inline data (VALUES / FORMAT) takes the data up to the next ';' that ends a line (or the end of the
// script). Each statement is parsed lazily by the caller via parseStatement(stmt.text) so an error
// in statement N is reported when N runs; this function only splits.
std::vector<std::string_view> splitStatements(std::string_view script);

// Parses a standalone expression (DEFAULT expressions, tests).
ASTPtr parseExpression(std::string_view text, const ParserLimits& limits = {});

}  // namespace basalt
