// exception.h — basalt's one exception type: a ClickHouse error code plus message.
// Every user-visible error carries a ClickHouse code and name so clients and tests can match on it
// (e.g. "Code: 60. DB::Exception: Unknown table ... (UNKNOWN_TABLE)").
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace basalt {

namespace ErrorCodes {
// Values are ClickHouse's (src/Common/ErrorCodes.cpp); names are looked up by errorCodeName().
enum : int {
    OK = 0,
    UNSUPPORTED_METHOD = 1,
    LOGICAL_ERROR = 49,
    CANNOT_PARSE_TEXT = 6,
    INCORRECT_NUMBER_OF_COLUMNS = 7,
    THERE_IS_NO_COLUMN = 8,
    SIZES_OF_COLUMNS_DOESNT_MATCH = 9,
    NOT_FOUND_COLUMN_IN_BLOCK = 10,
    DUPLICATE_COLUMN = 15,
    NO_SUCH_COLUMN_IN_TABLE = 16,
    CANNOT_INSERT_ALL_DATA = 20,
    CANNOT_PARSE_ESCAPE_SEQUENCE = 25,
    CANNOT_PARSE_QUOTED_STRING = 26,
    CANNOT_PARSE_INPUT_ASSERTION_FAILED = 27,
    CANNOT_PARSE_DATE = 38,
    CANNOT_PARSE_DATETIME = 41,
    NUMBER_OF_ARGUMENTS_DOESNT_MATCH = 42,
    ILLEGAL_TYPE_OF_ARGUMENT = 43,
    ILLEGAL_COLUMN = 44,
    UNKNOWN_FUNCTION = 46,
    UNKNOWN_IDENTIFIER = 47,
    NOT_IMPLEMENTED = 48,
    UNKNOWN_TYPE = 50,
    TYPE_MISMATCH = 53,
    CANNOT_CONVERT_TYPE = 70,
    UNKNOWN_TABLE = 60,
    SYNTAX_ERROR = 62,
    UNKNOWN_AGGREGATE_FUNCTION = 63,
    ARGUMENT_OUT_OF_BOUND = 69,
    CANNOT_OPEN_FILE = 76,
    FILE_DOESNT_EXIST = 107,
    UNKNOWN_DATABASE = 81,
    DATABASE_ALREADY_EXISTS = 82,
    UNKNOWN_FORMAT = 73,
    UNKNOWN_SETTING = 115,
    INCORRECT_DATA = 117,
    INCORRECT_QUERY = 80,
    ILLEGAL_INDEX = 127,
    INDEX_NOT_USED = 277,
    BAD_TTL_EXPRESSION = 450,
    TOO_LARGE_STRING_SIZE = 131,
    ILLEGAL_DIVISION = 153,
    TIMEOUT_EXCEEDED = 159,
    TOO_MANY_ROWS = 158,
    UNKNOWN_STORAGE = 56,
    TABLE_ALREADY_EXISTS = 57,
    EMPTY_LIST_OF_COLUMNS_QUERIED = 51,
    ILLEGAL_AGGREGATION = 184,
    NOT_AN_AGGREGATE = 215,
    QUERY_WAS_CANCELLED = 394,
    MEMORY_LIMIT_EXCEEDED = 241,
    BAD_ARGUMENTS = 36,
    CANNOT_READ_ALL_DATA = 33,
    ILLEGAL_COLUMN_NAME = 34,
    UNKNOWN_ELEMENT_IN_AST = 37,
    BAD_TYPE_OF_FIELD = 169,
    VIOLATED_CONSTRAINT = 469,
    NO_COMMON_TYPE = 386,
    DECIMAL_OVERFLOW = 407,
    CANNOT_PARSE_NUMBER = 72,
    CANNOT_PARSE_UUID = 376,
    TOO_DEEP_RECURSION = 306,
    TOO_DEEP_AST = 167,
    UNFINISHED = 341,
    FUNCTION_THROW_IF_VALUE_IS_NON_ZERO = 395,
    ALIAS_REQUIRED = 206,
    MULTIPLE_EXPRESSIONS_FOR_ALIAS = 179,
    CYCLIC_ALIASES = 174,
    UNKNOWN_DATABASE_ENGINE = 336,
    INVALID_LIMIT_EXPRESSION = 440,
    CANNOT_COMPILE_REGEXP = 427,
    CANNOT_PARSE_BOOL = 467,
    TOO_LARGE_ARRAY_SIZE = 128,
    SIZES_OF_ARRAYS_DONT_MATCH = 190,
    BAD_GET = 170,
    UNEXPECTED_EXPRESSION = 183,
    ILLEGAL_FINAL = 181,
    QUERY_IS_TOO_LARGE = 393,
    UNKNOWN_QUERY_PARAMETER = 456,
    BAD_QUERY_PARAMETER = 457,
    DICTIONARY_ALREADY_EXISTS = 387,
    UNKNOWN_ELEMENT_IN_CONFIG = 137,
    INCORRECT_DICTIONARY_DEFINITION = 489,
    NOT_ENOUGH_SPACE = 243,
    INCORRECT_ELEMENT_OF_SET = 193,
    CANNOT_WRITE_TO_FILE_DESCRIPTOR = 75,
    CANNOT_RENAME = 102,
    CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN = 349,
    INCORRECT_RESULT_OF_SCALAR_SUBQUERY = 125,
    ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER = 59,
    UNION_ALL_RESULT_STRUCTURES_MISMATCH = 258,
    READONLY = 164,
    NUMBER_OF_COLUMNS_DOESNT_MATCH = 8,
    PARAMETER_OUT_OF_BOUND = 12,
    // Compression, compressed blocks and column files.
    TOO_LARGE_SIZE_COMPRESSED = 39,
    CHECKSUM_DOESNT_MATCH = 40,
    CANNOT_READ_FROM_FILE_DESCRIPTOR = 74,
    CANNOT_FSYNC = 204,
    CORRUPTED_DATA = 246,
    CANNOT_COMPRESS = 270,
    CANNOT_DECOMPRESS = 271,
    DATA_TYPE_CANNOT_HAVE_ARGUMENTS = 378,
    CANNOT_STAT = 400,
    ILLEGAL_SYNTAX_FOR_CODEC_TYPE = 431,
    UNKNOWN_CODEC = 432,
    ILLEGAL_CODEC_PARAMETER = 433,
    // MergeTree storage.
    NO_SUCH_DATA_PART = 232,
    BAD_DATA_PART_NAME = 233,
    DUPLICATE_DATA_PART = 235,
    ABORTED = 236,
    INVALID_PARTITION_VALUE = 248,
    TOO_MANY_PARTS = 252,
    CANNOT_ASSIGN_OPTIMIZE = 388,
    CANNOT_UPDATE_COLUMN = 420,
    INCOMPATIBLE_COLUMNS = 122,
    ALTER_OF_COLUMN_IS_FORBIDDEN = 524,
    BAD_DATA_PART_NAME_FOR_ATTACH = 233,
    SUSPICIOUS_TYPE_FOR_LOW_CARDINALITY = 455,
    UNKNOWN_EXCEPTION = 1001,
};
}

std::string_view errorCodeName(int code);

class Exception : public std::runtime_error {
public:
    Exception(int code, std::string message) : std::runtime_error(std::move(message)), code_(code) {}
    int code() const { return code_; }
    // "Code: N. DB::Exception: <message>. (NAME)" — ClickHouse's display text.
    std::string displayText() const;
    void addMessage(const std::string& more) { extra_ += more; }

private:
    int code_;
    std::string extra_;
};

// Formats any exception the way ClickHouse does; unknown std::exceptions get STD_EXCEPTION (1001).
std::string formatException(const std::exception& e, int* code_out = nullptr);

}  // namespace basalt
