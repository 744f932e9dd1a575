// format.h — the interface between the engine and data formats (ClickHouse names and byte-exact
// output). Output formats turn Blocks into bytes; input formats parse bytes into Blocks of a given
// header; value_text.h holds the per-type text (de)serialization they share.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columns/block.h"

namespace basalt {

struct FormatSettings {
    std::string session_timezone = "UTC";   // DateTime values without explicit zone are shown here
    bool pretty_color = false;              // ANSI colors in Pretty* (terminal only)
    size_t pretty_max_rows = 10000;
    bool pretty_row_numbers = true;          // output_format_pretty_row_numbers (ClickHouse 24+ default: on)
    bool pretty_fallback_to_vertical = true; // short, wide (or multi-line) results print as Vertical
    size_t pretty_footer_min_rows = 50;      // repeat column names under tables this long (0 = never)
    size_t pretty_max_value_width = 10000;
    bool json_quote_64bit_integers = false; // output_format_json_quote_64bit_integers (0 since ClickHouse 25.x)
    bool json_quote_denormals = false;
    char csv_delimiter = ',';
    bool input_skip_unknown_fields = true;  // input_format_skip_unknown_fields (JSONEachRow)
    bool tsv_empty_as_default = false;
    bool null_as_default = true;            // input_format_null_as_default
    bool date_time_input_best_effort = false;
};

// Statistics some formats print (JSON's "statistics", Pretty's footer is not printed by basalt local).
struct OutputStatistics {
    double elapsed_seconds = 0;
    size_t rows_read = 0;
    size_t bytes_read = 0;
};

using WriteCallback = std::function<void(std::string_view)>;

class IOutputFormat {
public:
    virtual ~IOutputFormat() = default;
    // Called once before any data, with the result header (names, types, no rows).
    virtual void writePrefix() {}
    // Called for each non-empty result block.
    virtual void write(const Block& block) = 0;
    // Totals row (GROUP BY ... WITH TOTALS); a block of one row. Default: ignored.
    virtual void writeTotals(const Block&) {}
    // Called once at the end (with statistics for JSON/XML-like formats).
    virtual void writeSuffix(const OutputStatistics&) {}
    // Flushes buffered text to the callback.
    virtual void flush() = 0;
};

// Throws UNKNOWN_FORMAT (73) for unknown names. `header` has names and types, no rows.
std::unique_ptr<IOutputFormat> createOutputFormat(const std::string& name, const Block& header, WriteCallback write,
                                                  const FormatSettings& settings);

// Parses `data` in format `name` into blocks of `header`'s columns (names and types), at most
// max_block_size rows each. Columns missing from the data get type defaults. Throws
// CANNOT_PARSE_* / INCORRECT_DATA with the row number on malformed input; never returns partial
// results on error.
std::vector<Block> parseInputFormat(const std::string& name, std::string_view data, const Block& header,
                                    const FormatSettings& settings, size_t max_block_size = 65536);

// Formats whose data can be cut into pieces that parse independently without scanning from the
// start: TSV / TabSeparated and their Raw forms (every '\n' outside the data ends a row, no
// header), and JSONEachRow / JSONLines / NDJSON / JSONCompactEachRow (cut only where a line ends
// with '}' and the next starts with '{' — ']' / '[' for the compact form — which valid JSON allows
// only between rows).
bool isSplittableAtLines(const std::string& name);
// Start of the first row that begins after `from` at such a cut (npos when there is none).
size_t nextRowStart(const std::string& name, std::string_view data, size_t from);
// parseInputFormat over up to `threads` threads for large data of a splittable format (pieces of
// about 8 MiB at line ends, blocks returned in data order); otherwise the same as parseInputFormat.
std::vector<Block> parseInputFormatParallel(const std::string& name, std::string_view data, const Block& header,
                                            const FormatSettings& settings, size_t max_block_size, size_t threads);

// Streaming input: how data of a format can be cut into pieces that parse independently. Rows
// of the TabSeparated, CSV and JSON*EachRow families end at a newline outside quoting; their
// WithNames / WithNamesAndTypes forms start with 1 / 2 header rows (repeated in front of every
// later piece). Other formats cannot be cut (splittable = false).
struct RowSplit {
    enum class Mode { Lines, Csv, Json } mode = Mode::Lines;
    bool splittable = false;
    size_t header_rows = 0;
};
RowSplit rowSplitFor(const std::string& format);
// Length of the longest prefix of `data` that ends right after a row (0 when no row ends in it);
// `data` must start at a row boundary.
size_t lastRowBoundary(const RowSplit& split, std::string_view data);
// Length of the prefix holding the first `rows` rows (npos when `data` has fewer).
size_t rowsPrefix(const RowSplit& split, std::string_view data, size_t rows);

// Infers column names and types from data in a text format (ClickHouse's schema inference rules:
// numbers -> Int64/Float64, strings -> String, nullable by default, c1..cN for headerless formats).
std::vector<std::pair<std::string, DataTypePtr>> inferSchema(const std::string& name, std::string_view data,
                                                             const FormatSettings& settings);

bool isInputFormat(const std::string& name);
// ClickHouse's spelling of a format name found case-insensitively ("tsv" -> "TSV"); unknown names unchanged.
std::string canonicalFormatName(const std::string& name);
bool isOutputFormat(const std::string& name);
// All format names with (is_input, is_output), for system.formats.
std::vector<std::tuple<std::string, bool, bool>> listFormats();

}  // namespace basalt
