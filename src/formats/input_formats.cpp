// input_formats.cpp — owns parseInputFormat: TabSeparated (+WithNames/+WithNamesAndTypes/Raw),
// CSV (+WithNames/+WithNamesAndTypes), JSONEachRow (read value by value), JSONCompactEachRow and
// Values. Rows are parsed into fresh columns; any error is rethrown with the 1-based row number
// and nothing is returned, so callers never see half a result.

#include "common/exception.h"
#include "common/parallel_for.h"
#include "common/string_utils.h"
#include "formats/format.h"
#include "formats/value_text.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// Refuse inputs whose header claims more columns than any sane table has (malicious/garbage data).
constexpr size_t kMaxColumns = 100000;

[[noreturn]] void fail(int code, const std::string& msg) { throw Exception(code, msg); }

std::string around(const ReadBuffer& in) {
    std::string s(in.pos, std::min<size_t>(in.end - in.pos, 40));
    std::string r;
    appendEscapedTSV(r, s);
    return r;
}

class BlockBuilder {
public:
    BlockBuilder(const Block& header, size_t max_rows) : header_(header), max_rows_(max_rows ? max_rows : 65536) {
        // LowCardinality columns are parsed as their dictionary type and converted once per block.
        for (size_t i = 0; i < header_.columns(); ++i) types_.push_back(removeLowCardinality(header_.at(i).type));
        reset();
    }
    std::vector<MutableColumnPtr> cols;
    // The type values of column i are parsed as.
    const DataType& type(size_t i) const { return *types_[i]; }
    size_t rows = 0;
    void rowDone() {
        ++rows;
        if (rows >= max_rows_) emit();
    }
    std::vector<Block> finish() {
        if (rows) emit();  // no rows -> no blocks
        return std::move(out_);
    }

private:
    void reset() {
        cols.clear();
        for (size_t i = 0; i < header_.columns(); ++i) cols.push_back(createColumn(*types_[i]));
        rows = 0;
    }
    void emit() {
        ColumnsWithTypeAndName c;
        for (size_t i = 0; i < header_.columns(); ++i) {
            const DataTypePtr& t = header_.at(i).type;
            c.push_back({t->id == TypeId::LowCardinality ? convertToLowCardinality(cols[i], t) : cols[i], t, header_.at(i).name});
        }
        Block b(std::move(c));
        if (header_.columns() == 0) b.setRowsWithoutColumns(rows);
        out_.push_back(std::move(b));
        reset();
    }
    const Block& header_;
    DataTypes types_;
    size_t max_rows_;
    std::vector<Block> out_;
};

// Maps header names from the data to header positions (-1 = skip the field).
std::vector<int> mapNames(const std::vector<std::string>& names, const Block& header, const FormatSettings& s) {
    if (names.size() > kMaxColumns) fail(ErrorCodes::INCORRECT_DATA, "Too many columns in the header: " + std::to_string(names.size()));
    std::vector<int> m;
    std::vector<bool> used(header.columns());
    for (auto& n : names) {
        int p = header.positionByName(n);
        if (p < 0 && !s.input_skip_unknown_fields)
            fail(ErrorCodes::INCORRECT_DATA, "Unknown field found in format header: '" + n + "'");
        if (p >= 0 && used[p]) fail(ErrorCodes::INCORRECT_DATA, "Duplicate field found in format header: '" + n + "'");
        if (p >= 0) used[p] = true;
        m.push_back(p);
    }
    return m;
}

void fillMissing(BlockBuilder& bb, std::vector<bool>& seen) {
    for (size_t i = 0; i < seen.size(); ++i) {
        if (!seen[i]) bb.cols[i]->insertDefault();
        seen[i] = false;
    }
}

bool atLineEnd(ReadBuffer& in) {
    if (in.eof()) return true;
    if (*in.pos == '\n') { ++in.pos; return true; }
    if (*in.pos == '\r' && in.pos + 1 < in.end && in.pos[1] == '\n') { in.pos += 2; return true; }
    return false;
}

// ------------------------------------------------------------------------- TSV / CSV
void readHeaderLine(ReadBuffer& in, bool csv, char delim, std::vector<std::string>& out) {
    while (true) {
        std::string field;
        if (csv) {
            if (!in.eof() && (*in.pos == '"' || *in.pos == '\'')) {
                char q = *in.pos++;
                while (true) {
                    if (in.eof()) fail(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse CSV header: expected closing quote");
                    char c = *in.pos++;
                    if (c == q) { if (!in.eof() && *in.pos == q) { field += q; ++in.pos; continue; } break; }
                    field += c;
                }
            } else {
                while (!in.eof() && *in.pos != delim && *in.pos != '\n' && *in.pos != '\r') field += *in.pos++;
            }
        } else {
            const char* st = in.pos;
            while (!in.eof() && *in.pos != '\t' && *in.pos != '\n') ++in.pos;
            std::string_view raw(st, in.pos - st);
            // Header names use TSV escaping; decode via a String column to share the unescaper.
            ColumnString tmp;
            ReadBuffer sub(raw);
            FormatSettings fs;
            deserializeText(*makeType(TypeId::String), tmp, sub, TextStyle::Escaped, fs);
            field = std::string(tmp.getView(0));
        }
        out.push_back(std::move(field));
        if (out.size() > kMaxColumns) fail(ErrorCodes::INCORRECT_DATA, "Too many columns in the header");
        if (!in.eof() && *in.pos == (csv ? delim : '\t')) { ++in.pos; continue; }
        if (!atLineEnd(in)) fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected end of line before: '" + around(in) + "'");
        return;
    }
}

void parseDelimited(ReadBuffer& in, const Block& header, const FormatSettings& s, BlockBuilder& bb, bool csv,
                    bool names, bool types, size_t& row_no) {
    char delim = csv ? s.csv_delimiter : '\t';
    TextStyle style = csv ? TextStyle::CSV : TextStyle::Escaped;
    std::vector<int> mapping;
    if (names) {
        std::vector<std::string> n;
        if (!in.eof()) readHeaderLine(in, csv, delim, n);
        mapping = mapNames(n, header, s);
        if (types && !in.eof()) { std::vector<std::string> t; readHeaderLine(in, csv, delim, t); }
    } else {
        for (size_t i = 0; i < header.columns(); ++i) mapping.push_back(int(i));
    }
    std::vector<bool> seen(header.columns());
    // Every column mapped to a field (always so without a header): each row sets them all, so
    // there is nothing to fill in per row (a per-row pass over the columns showed as 4% of a
    // 105-column TSV insert).
    bool all_columns = true;
    {
        std::vector<bool> mapped(header.columns());
        for (int c : mapping) if (c >= 0) mapped[size_t(c)] = true;
        for (bool m : mapped) all_columns = all_columns && m;
    }
    auto skipField = [&] {
        if (csv) {
            if (!in.eof() && *in.pos == '"') {
                ++in.pos;
                while (!in.eof()) { if (*in.pos == '"') { if (in.pos + 1 < in.end && in.pos[1] == '"') in.pos += 2; else { ++in.pos; break; } } else ++in.pos; }
            }
            while (!in.eof() && *in.pos != delim && *in.pos != '\n' && *in.pos != '\r') ++in.pos;
        } else {
            while (!in.eof() && *in.pos != '\t' && *in.pos != '\n') ++in.pos;
        }
    };
    while (!in.eof()) {
        // Trailing blank lines end the data; a blank line elsewhere is a row of one empty field.
        if (*in.pos == '\n' || *in.pos == '\r') {
            const char* p = in.pos;
            while (p < in.end && (*p == '\n' || *p == '\r')) ++p;
            if (p == in.end) break;
        }
        ++row_no;
        for (size_t f = 0; f < mapping.size(); ++f) {
            if (f) {
                if (in.eof() || *in.pos != delim)
                    fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED,
                         std::string("Cannot parse input: expected '") + (csv ? std::string(1, delim) : std::string("\\t")) + "' before: '" + around(in) + "'");
                ++in.pos;
            }
            int col = mapping[f];
            if (col < 0) { skipField(); continue; }
            deserializeText(bb.type(col), *bb.cols[col], in, style, s);
            if (!all_columns) seen[col] = true;
        }
        if (!atLineEnd(in)) {
            if (!in.eof() && *in.pos == delim)
                fail(ErrorCodes::INCORRECT_DATA, "Expected end of line, found a delimiter: more fields than columns (" + std::to_string(mapping.size()) + ")");
            fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected '\\n' before: '" + around(in) + "'");
        }
        if (!all_columns) fillMissing(bb, seen);
        bb.rowDone();
    }
}

// ------------------------------------------------------------------------- JSON
void skipJSONSeparators(ReadBuffer& in) {
    while (!in.eof() && (*in.pos == ' ' || *in.pos == '\t' || *in.pos == '\n' || *in.pos == '\r' || *in.pos == ','))
        ++in.pos;
}

// End of the JSON object/array starting at `p` (string-aware bracket matching).
const char* matchBracket(const char* p, const char* end) {
    int depth = 0;
    bool str = false;
    for (; p < end; ++p) {
        char c = *p;
        if (str) { if (c == '\\') ++p; else if (c == '"') str = false; continue; }
        if (c == '"') str = true;
        else if (c == '{' || c == '[') ++depth;
        else if (c == '}' || c == ']') { if (--depth == 0) return p + 1; }
    }
    return nullptr;
}

// Skips one JSON value (of an unknown field).
void skipJSONValue(ReadBuffer& in, std::string& scratch) {
    if (in.eof()) fail(ErrorCodes::INCORRECT_DATA, "Cannot parse JSON object: unexpected end of data");
    if (*in.pos == '"') { scratch.clear(); readJSONStringText(in, scratch); return; }
    if (*in.pos == '{' || *in.pos == '[') {
        const char* end = matchBracket(in.pos, in.end);
        if (!end) fail(ErrorCodes::INCORRECT_DATA, "Cannot parse JSON object: unexpected end of data");
        in.pos = end;
        return;
    }
    while (!in.eof() && *in.pos != ',' && *in.pos != '}' && *in.pos != ']' && *in.pos != ' ' && *in.pos != '\t' && *in.pos != '\n' && *in.pos != '\r') ++in.pos;
}

// Objects are read straight from the input, value by value, with the value readers every JSON
// format shares (deserializeText in JSON style). Rows usually list their fields in the same order,
// so the column of the i-th field of the previous row is tried first before a lookup by name.
void parseJSONEachRow(ReadBuffer& in, const Block& header, const FormatSettings& s, BlockBuilder& bb, size_t& row_no) {
    std::vector<bool> seen(header.columns());
    std::vector<int> field_columns;   // column of the i-th field of the previous row (-1: unknown)
    std::vector<std::string_view> names;
    for (size_t i = 0; i < header.columns(); ++i) names.push_back(header.at(i).name);
    auto ws = [&] { while (!in.eof() && (*in.pos == ' ' || *in.pos == '\t' || *in.pos == '\n' || *in.pos == '\r')) ++in.pos; };
    skipJSONSeparators(in);
    bool array = !in.eof() && *in.pos == '[';  // ClickHouse also accepts one JSON array of objects
    if (array) ++in.pos;
    std::string key, scratch;
    while (true) {
        skipJSONSeparators(in);
        if (in.eof()) break;
        if (array && *in.pos == ']') { ++in.pos; skipJSONSeparators(in); if (!in.eof()) fail(ErrorCodes::INCORRECT_DATA, "Unexpected data after JSON array: '" + around(in) + "'"); break; }
        ++row_no;
        if (*in.pos != '{') fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected '{' before: '" + around(in) + "'");
        ++in.pos;
        ws();
        if (!in.eof() && *in.pos == '}') ++in.pos;
        else for (size_t field = 0;; ++field) {
            ws();
            key.clear();
            readJSONStringText(in, key);   // CANNOT_PARSE_QUOTED_STRING without a quoted name, as ClickHouse
            ws();
            if (in.eof()) fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected ':' at end of stream");
            if (*in.pos != ':') fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected ':' before: '" + around(in) + "'");
            ++in.pos;
            ws();
            int col;
            if (field < field_columns.size() && field_columns[field] >= 0 && names[size_t(field_columns[field])] == key) col = field_columns[field];
            else {
                col = header.positionByName(key);
                if (field >= field_columns.size()) field_columns.resize(field + 1, -1);
                field_columns[field] = col;
            }
            if (col < 0) {
                if (!s.input_skip_unknown_fields) fail(ErrorCodes::INCORRECT_DATA, "Unknown field found while parsing JSONEachRow format: " + key);
                skipJSONValue(in, scratch);
            } else {
                if (seen[size_t(col)]) fail(ErrorCodes::INCORRECT_DATA, "Duplicate field found while parsing JSONEachRow format: " + key);
                if (in.eof()) fail(ErrorCodes::CANNOT_READ_ALL_DATA, "Unexpected end of stream while parsing JSONEachRow format");
                deserializeText(bb.type(size_t(col)), *bb.cols[size_t(col)], in, TextStyle::JSON, s);
                seen[size_t(col)] = true;
            }
            ws();
            if (in.eof()) fail(ErrorCodes::CANNOT_READ_ALL_DATA, "Unexpected end of stream while parsing JSONEachRow format");
            if (*in.pos == ',') { ++in.pos; continue; }
            if (*in.pos == '}') { ++in.pos; break; }
            fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected ',' before: '" + around(in) + "'");
        }
        fillMissing(bb, seen);
        bb.rowDone();
    }
}

void parseJSONCompactEachRow(ReadBuffer& in, const Block& header, const FormatSettings& s, BlockBuilder& bb, size_t& row_no) {
    std::vector<bool> seen(header.columns());
    while (true) {
        skipJSONSeparators(in);
        if (in.eof()) break;
        ++row_no;
        if (*in.pos != '[') fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected '[' before: '" + around(in) + "'");
        ++in.pos;
        for (size_t i = 0; i < header.columns(); ++i) {
            while (!in.eof() && (*in.pos == ' ' || *in.pos == '\t' || *in.pos == '\n' || *in.pos == '\r')) ++in.pos;
            if (i) {
                if (in.eof() || *in.pos != ',') fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected ',' before: '" + around(in) + "'");
                ++in.pos;
            }
            deserializeText(bb.type(i), *bb.cols[i], in, TextStyle::JSON, s);
            seen[i] = true;
        }
        while (!in.eof() && (*in.pos == ' ' || *in.pos == '\t' || *in.pos == '\n' || *in.pos == '\r')) ++in.pos;
        if (in.eof() || *in.pos != ']') fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected ']' before: '" + around(in) + "'");
        ++in.pos;
        fillMissing(bb, seen);
        bb.rowDone();
    }
}

// ------------------------------------------------------------------------- Values
void parseValues(ReadBuffer& in, const Block& header, const FormatSettings& s, BlockBuilder& bb, size_t& row_no) {
    auto ws = [&] { while (!in.eof() && (*in.pos == ' ' || *in.pos == '\t' || *in.pos == '\n' || *in.pos == '\r')) ++in.pos; };
    std::vector<bool> seen(header.columns());
    while (true) {
        ws();
        if (in.eof()) break;
        if (*in.pos == ';') { ++in.pos; ws(); if (!in.eof()) fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: unexpected data after ';': '" + around(in) + "'"); break; }
        ++row_no;
        if (*in.pos != '(') fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected '(' before: '" + around(in) + "'");
        ++in.pos;
        for (size_t i = 0; i < header.columns(); ++i) {
            ws();
            if (i) {
                if (in.eof() || *in.pos != ',') fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected ',' before: '" + around(in) + "'");
                ++in.pos;
            }
            deserializeText(bb.type(i), *bb.cols[i], in, TextStyle::Quoted, s);
            seen[i] = true;
        }
        ws();
        if (in.eof() || *in.pos != ')') fail(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "Cannot parse input: expected ')' before: '" + around(in) + "'");
        ++in.pos;
        fillMissing(bb, seen);
        bb.rowDone();
        ws();
        if (!in.eof() && *in.pos == ',') ++in.pos;
    }
}

}  // namespace

bool isSplittableAtLines(const std::string& name) {
    RowSplit r = rowSplitFor(name);
    return r.splittable && r.header_rows == 0 && r.mode != RowSplit::Mode::Csv;
}

size_t nextRowStart(const std::string& name0, std::string_view data, size_t from) {
    RowSplit split = rowSplitFor(name0);
    if (!split.splittable || split.header_rows != 0 || split.mode == RowSplit::Mode::Csv) return std::string_view::npos;
    if (split.mode == RowSplit::Mode::Lines) {
        size_t nl = data.find('\n', from);
        return nl == std::string_view::npos ? nl : nl + 1;
    }
    std::string name = canonicalFormatName(name0);
    const char close = name == "JSONCompactEachRow" ? ']' : '}', open = close == ']' ? '[' : '{';
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    for (size_t nl = data.find('\n', from); nl != std::string_view::npos; nl = data.find('\n', nl + 1)) {
        size_t b = nl;
        while (b > 0 && space(data[b - 1])) --b;
        if (b == 0 || data[b - 1] != close) continue;
        size_t a = nl + 1;
        while (a < data.size() && space(data[a])) ++a;
        if (a < data.size() && data[a] == open) return nl + 1;
    }
    return std::string_view::npos;
}

RowSplit rowSplitFor(const std::string& name0) {
    std::string name = canonicalFormatName(name0);
    RowSplit r;
    auto headers = [&](const std::string& base) {
        if (name == base) return size_t(0);
        if (name == base + "WithNames") return size_t(1);
        if (name == base + "WithNamesAndTypes") return size_t(2);
        return size_t(3);
    };
    for (const char* base : {"TabSeparated", "TSV", "TabSeparatedRaw", "TSVRaw"})
        if (size_t h = headers(base); h < 3) { r.splittable = true; r.mode = RowSplit::Mode::Lines; r.header_rows = h; return r; }
    if (size_t h = headers("CSV"); h < 3) { r.splittable = true; r.mode = RowSplit::Mode::Csv; r.header_rows = h; return r; }
    if (name == "JSONEachRow" || name == "JSONLines" || name == "NDJSON" || name == "JSONCompactEachRow") {
        r.splittable = true;
        r.mode = RowSplit::Mode::Json;
    }
    return r;
}

namespace {
// Calls `on_row_end(pos)` after each newline that ends a row, scanning from a row boundary;
// stops when it returns false. CSV: newlines inside "..." are data ("" is an escaped quote, which
// toggles twice). JSON: newlines inside strings or nested {} / [] are not row ends.
template <typename F>
void scanRowEnds(const RowSplit& split, std::string_view data, F&& on_row_end) {
    bool quoted = false, escaped = false;
    int depth = 0;
    for (size_t i = 0; i < data.size(); ++i) {
        char c = data[i];
        switch (split.mode) {
            case RowSplit::Mode::Lines:
                break;
            case RowSplit::Mode::Csv:
                if (c == '"') quoted = !quoted;
                break;
            case RowSplit::Mode::Json:
                if (quoted) {
                    if (escaped) escaped = false;
                    else if (c == '\\') escaped = true;
                    else if (c == '"') quoted = false;
                    continue;
                }
                if (c == '"') quoted = true;
                else if (c == '{' || c == '[') ++depth;
                else if ((c == '}' || c == ']') && depth > 0) --depth;
                break;
        }
        if (c == '\n' && !quoted && depth == 0 && !on_row_end(i + 1)) return;
    }
}
}  // namespace

size_t lastRowBoundary(const RowSplit& split, std::string_view data) {
    if (split.mode == RowSplit::Mode::Lines) {
        size_t nl = data.rfind('\n');
        return nl == std::string_view::npos ? 0 : nl + 1;
    }
    size_t last = 0;
    scanRowEnds(split, data, [&](size_t pos) { last = pos; return true; });
    return last;
}

size_t rowsPrefix(const RowSplit& split, std::string_view data, size_t rows) {
    if (rows == 0) return 0;
    size_t found = std::string_view::npos, seen = 0;
    scanRowEnds(split, data, [&](size_t pos) {
        if (++seen < rows) return true;
        found = pos;
        return false;
    });
    return found;
}

std::vector<Block> parseInputFormatParallel(const std::string& name, std::string_view data, const Block& header,
                                            const FormatSettings& settings, size_t max_block_size, size_t threads) {
    constexpr size_t kPiece = 8 << 20;
    if (threads <= 1 || data.size() <= 2 * kPiece || !isSplittableAtLines(name)) return parseInputFormat(name, data, header, settings, max_block_size);
    std::vector<std::string_view> pieces;
    while (!data.empty()) {
        size_t cut = data.size() > kPiece ? nextRowStart(name, data, kPiece) : std::string_view::npos;
        size_t len = cut == std::string_view::npos ? data.size() : cut;
        pieces.push_back(data.substr(0, len));
        data.remove_prefix(len);
    }
    std::vector<std::vector<Block>> parsed(pieces.size());
    parallelFor(pieces.size(), threads, [&](size_t i) { parsed[i] = parseInputFormat(name, pieces[i], header, settings, max_block_size); });
    std::vector<Block> out;
    for (auto& p : parsed)
        for (auto& b : p) out.push_back(std::move(b));
    return out;
}

std::vector<Block> parseInputFormat(const std::string& name0, std::string_view data, const Block& header,
                                    const FormatSettings& settings, size_t max_block_size) {
    if (!isInputFormat(name0)) throw Exception(ErrorCodes::UNKNOWN_FORMAT, "Unknown input format " + name0);
    std::string name = canonicalFormatName(name0);
    BlockBuilder bb(header, max_block_size);
    ReadBuffer in(data);
    // Skip a UTF-8 BOM, as ClickHouse does for text formats.
    if (data.size() >= 3 && data.substr(0, 3) == "\xEF\xBB\xBF") in.pos += 3;
    size_t row_no = 0;
    try {
        if (name == "TabSeparated" || name == "TSV" || name == "TabSeparatedRaw" || name == "TSVRaw" || name == "Raw")
            parseDelimited(in, header, settings, bb, false, false, false, row_no);
        else if (name == "TabSeparatedWithNames" || name == "TSVWithNames" || name == "TabSeparatedRawWithNames" || name == "TSVRawWithNames")
            parseDelimited(in, header, settings, bb, false, true, false, row_no);
        else if (name == "TabSeparatedWithNamesAndTypes" || name == "TSVWithNamesAndTypes" ||
                 name == "TabSeparatedRawWithNamesAndTypes" || name == "TSVRawWithNamesAndTypes")
            parseDelimited(in, header, settings, bb, false, true, true, row_no);
        else if (name == "CSV") parseDelimited(in, header, settings, bb, true, false, false, row_no);
        else if (name == "CSVWithNames") parseDelimited(in, header, settings, bb, true, true, false, row_no);
        else if (name == "CSVWithNamesAndTypes") parseDelimited(in, header, settings, bb, true, true, true, row_no);
        else if (name == "JSONEachRow" || name == "JSONLines" || name == "NDJSON") parseJSONEachRow(in, header, settings, bb, row_no);
        else if (name == "JSONCompactEachRow") parseJSONCompactEachRow(in, header, settings, bb, row_no);
        else if (name == "Values") parseValues(in, header, settings, bb, row_no);
        else throw Exception(ErrorCodes::UNKNOWN_FORMAT, "Unknown input format " + name0);
    } catch (const Exception& e) {
        if (e.code() == ErrorCodes::UNKNOWN_FORMAT) throw;
        int code = e.code();
        std::string msg = e.what();
        // Streaming text parsers read a value's prefix and then assert the delimiter, so ClickHouse
        // reports malformed fields in TSV/CSV as CANNOT_PARSE_INPUT_ASSERTION_FAILED (27), not as
        // the CANNOT_PARSE_TEXT (6) of a whole-string conversion; truncated JSON is CANNOT_READ_ALL_DATA.
        bool delimited = name.find("TabSeparated") == 0 || name.find("TSV") == 0 || name.find("CSV") == 0;
        if (delimited && code == ErrorCodes::CANNOT_PARSE_TEXT) code = ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED;
        if (name.find("JSON") == 0 && msg.find("unexpected end") != std::string::npos) code = ErrorCodes::CANNOT_READ_ALL_DATA;
        throw Exception(code, msg + ": (at row " + std::to_string(row_no ? row_no : 1) + ")");
    }
    return bb.finish();
}

}  // namespace basalt
