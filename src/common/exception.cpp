// exception.cpp — error code names and ClickHouse-style formatting of exceptions.
#include "common/exception.h"

#include <new>

namespace basalt {

std::string_view errorCodeName(int code) {
    switch (code) {
#define N(X) case ErrorCodes::X: return #X;
        N(OK) N(UNSUPPORTED_METHOD) N(LOGICAL_ERROR) N(CANNOT_PARSE_TEXT) N(INCORRECT_NUMBER_OF_COLUMNS)
        N(THERE_IS_NO_COLUMN) N(SIZES_OF_COLUMNS_DOESNT_MATCH) N(NOT_FOUND_COLUMN_IN_BLOCK) N(DUPLICATE_COLUMN)
        N(NO_SUCH_COLUMN_IN_TABLE) N(CANNOT_INSERT_ALL_DATA) N(CANNOT_PARSE_ESCAPE_SEQUENCE)
        N(CANNOT_PARSE_QUOTED_STRING) N(CANNOT_PARSE_INPUT_ASSERTION_FAILED) N(CANNOT_PARSE_DATE)
        N(CANNOT_PARSE_DATETIME) N(NUMBER_OF_ARGUMENTS_DOESNT_MATCH) N(ILLEGAL_TYPE_OF_ARGUMENT) N(ILLEGAL_COLUMN)
        N(UNKNOWN_FUNCTION) N(UNKNOWN_IDENTIFIER) N(NOT_IMPLEMENTED) N(UNKNOWN_TYPE) N(TYPE_MISMATCH)
        N(CANNOT_CONVERT_TYPE) N(UNKNOWN_TABLE) N(SYNTAX_ERROR) N(UNKNOWN_AGGREGATE_FUNCTION)
        N(ARGUMENT_OUT_OF_BOUND) N(CANNOT_OPEN_FILE) N(FILE_DOESNT_EXIST) N(UNKNOWN_DATABASE)
        N(DATABASE_ALREADY_EXISTS) N(UNKNOWN_FORMAT) N(UNKNOWN_SETTING) N(INCORRECT_DATA) N(INCORRECT_QUERY)
        N(TOO_LARGE_STRING_SIZE) N(ILLEGAL_DIVISION) N(TIMEOUT_EXCEEDED) N(TOO_MANY_ROWS) N(UNKNOWN_STORAGE)
        N(TABLE_ALREADY_EXISTS) N(EMPTY_LIST_OF_COLUMNS_QUERIED) N(ILLEGAL_AGGREGATION) N(NOT_AN_AGGREGATE)
        N(QUERY_WAS_CANCELLED) N(MEMORY_LIMIT_EXCEEDED) N(BAD_ARGUMENTS) N(CANNOT_READ_ALL_DATA)
        N(ILLEGAL_COLUMN_NAME) N(UNKNOWN_ELEMENT_IN_AST) N(BAD_TYPE_OF_FIELD) N(VIOLATED_CONSTRAINT)
        N(NO_COMMON_TYPE) N(DECIMAL_OVERFLOW) N(CANNOT_PARSE_NUMBER) N(CANNOT_PARSE_UUID) N(TOO_DEEP_RECURSION)
        N(TOO_DEEP_AST) N(UNFINISHED) N(ALIAS_REQUIRED) N(MULTIPLE_EXPRESSIONS_FOR_ALIAS) N(CYCLIC_ALIASES)
        N(UNKNOWN_DATABASE_ENGINE) N(INVALID_LIMIT_EXPRESSION) N(CANNOT_COMPILE_REGEXP) N(CANNOT_PARSE_BOOL)
        N(TOO_LARGE_ARRAY_SIZE) N(SIZES_OF_ARRAYS_DONT_MATCH) N(BAD_GET) N(UNEXPECTED_EXPRESSION) N(ILLEGAL_FINAL)
        N(QUERY_IS_TOO_LARGE) N(UNKNOWN_QUERY_PARAMETER) N(NOT_ENOUGH_SPACE) N(INCORRECT_ELEMENT_OF_SET)
        N(CANNOT_WRITE_TO_FILE_DESCRIPTOR) N(CANNOT_RENAME) N(CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN) N(INCORRECT_RESULT_OF_SCALAR_SUBQUERY) N(ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER) N(UNION_ALL_RESULT_STRUCTURES_MISMATCH) N(READONLY) N(PARAMETER_OUT_OF_BOUND)
#undef N
        case ErrorCodes::UNKNOWN_EXCEPTION: return "STD_EXCEPTION";
        default: return "UNKNOWN_ERROR_CODE";
    }
}

std::string Exception::displayText() const {
    std::string msg = what();
    msg += extra_;
    std::string out = "Code: " + std::to_string(code_) + ". DB::Exception: " + msg;
    if (!msg.empty() && msg.back() != '.') out += ".";
    out += " (";
    out += errorCodeName(code_);
    out += ")";
    return out;
}

std::string formatException(const std::exception& e, int* code_out) {
    if (auto* be = dynamic_cast<const Exception*>(&e)) {
        if (code_out) *code_out = be->code();
        return be->displayText();
    }
    if (dynamic_cast<const std::bad_alloc*>(&e)) {
        if (code_out) *code_out = ErrorCodes::MEMORY_LIMIT_EXCEEDED;
        return "Code: 241. DB::Exception: Memory limit exceeded: cannot allocate memory. (MEMORY_LIMIT_EXCEEDED)";
    }
    if (code_out) *code_out = ErrorCodes::UNKNOWN_EXCEPTION;
    return std::string("Code: 1001. DB::Exception: std::exception: ") + e.what() + ". (STD_EXCEPTION)";
}

}  // namespace basalt
