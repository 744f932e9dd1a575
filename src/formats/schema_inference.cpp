// schema_inference.cpp — owns inferSchema: column names and types from sample data, following
// ClickHouse's rules (schema_inference_make_columns_nullable=1): integers -> Int64 (UInt64 when
// only that fits), other numbers -> Float64, true/false -> Bool, dates -> Date, date-times ->
// DateTime (DateTime64(9) with a fraction), [..] -> Array, (..) -> Tuple, {..} -> Map (TSV/CSV) or
// named Tuple (JSON objects), anything else String; scalars are wrapped in Nullable.
#include <simdjson.h>

#include <map>

#include "common/date_time.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "formats/format.h"
#include "formats/value_text.h"

namespace basalt {

namespace {

constexpr size_t kMaxRowsToRead = 25000;  // input_format_max_rows_to_read_for_schema_inference

// nullptr = unknown so far (only NULLs / empty arrays seen).
DataTypePtr mergeTypes(const DataTypePtr& a, const DataTypePtr& b) {
    if (!a) return b;
    if (!b) return a;
    // Composites may hold unknown (null) element types, so they are only compared structurally.
    bool composite = a->id == TypeId::Array || a->id == TypeId::Map || a->id == TypeId::Tuple ||
                     b->id == TypeId::Array || b->id == TypeId::Map || b->id == TypeId::Tuple;
    if (!composite && a->equals(*b)) return a;
    auto isNum = [](const DataType& t) { return t.id == TypeId::Int64 || t.id == TypeId::UInt64 || t.id == TypeId::Float64; };
    if (isNum(*a) && isNum(*b)) {
        if (a->id == TypeId::Float64 || b->id == TypeId::Float64) return makeType(TypeId::Float64);
        return a->id == TypeId::UInt64 ? a : b;  // Int64 + UInt64: keep UInt64 (values fit)
    }
    if (a->isDateOrDateTime() && b->isDateOrDateTime()) {
        if (a->id == TypeId::DateTime64 || b->id == TypeId::DateTime64) return makeDateTime64(9);
        return makeDateTime();
    }
    if (a->id == TypeId::Array && b->id == TypeId::Array) {
        auto e = mergeTypes(a->nested[0], b->nested[0]);
        return makeArray(e);
    }
    if (a->id == TypeId::Map && b->id == TypeId::Map) return makeMap(a->nested[0], mergeTypes(a->nested[1], b->nested[1]));
    if (a->id == TypeId::Tuple && b->id == TypeId::Tuple && a->nested.size() == b->nested.size() &&
        a->element_names == b->element_names) {
        DataTypes el;
        for (size_t i = 0; i < a->nested.size(); ++i) el.push_back(mergeTypes(a->nested[i], b->nested[i]));
        return makeTuple(el, a->element_names);
    }
    return makeType(TypeId::String);
}

// Final form: unknown -> String, scalars Nullable, composites not (their elements are).
DataTypePtr finalize(const DataTypePtr& t) {
    if (!t) return makeNullable(makeType(TypeId::String));
    switch (t->id) {
        case TypeId::Array: return makeArray(finalize(t->nested[0]));
        case TypeId::Map: return makeMap(t->nested[0], finalize(t->nested[1]));
        case TypeId::Tuple: {
            DataTypes el;
            for (auto& e : t->nested) el.push_back(finalize(e));
            return makeTuple(el, t->element_names);
        }
        default: return makeNullable(t);
    }
}

DataTypePtr inferNumber(std::string_view s) {
    if (s.empty()) return nullptr;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    bool all_digits = i < s.size();
    for (size_t k = i; k < s.size(); ++k) if (s[k] < '0' || s[k] > '9') { all_digits = false; break; }
    if (all_digits) {
        // Int64 when it fits, UInt64 for large positives, Float64 beyond.
        unsigned __int128 v = 0;
        for (size_t k = i; k < s.size() && v <= (unsigned __int128)UINT64_MAX; ++k) v = v * 10 + unsigned(s[k] - '0');
        bool neg = s[0] == '-';
        if (!neg && v <= (unsigned __int128)INT64_MAX) return makeType(TypeId::Int64);
        if (neg && v <= (unsigned __int128)INT64_MAX + 1) return makeType(TypeId::Int64);
        if (!neg && v <= (unsigned __int128)UINT64_MAX) return makeType(TypeId::UInt64);
        return makeType(TypeId::Float64);
    }
    // A float: digits with '.', exponent, or inf/nan.
    std::string_view r = s.substr(i);
    if (iequals(r, "inf") || iequals(r, "nan") || iequals(r, "infinity")) return makeType(TypeId::Float64);
    bool digit = false, ok = true;
    size_t k = 0;
    while (k < r.size() && std::isdigit((unsigned char)r[k])) { ++k; digit = true; }
    if (k < r.size() && r[k] == '.') { ++k; while (k < r.size() && std::isdigit((unsigned char)r[k])) { ++k; digit = true; } }
    if (digit && k < r.size() && (r[k] == 'e' || r[k] == 'E')) {
        ++k;
        if (k < r.size() && (r[k] == '+' || r[k] == '-')) ++k;
        size_t st = k;
        while (k < r.size() && std::isdigit((unsigned char)r[k])) ++k;
        if (k == st) ok = false;
    }
    if (digit && ok && k == r.size()) return makeType(TypeId::Float64);
    return nullptr;
}

DataTypePtr inferDateOrTime(std::string_view s) {
    int32_t days;
    size_t used;
    if (s.size() >= 8 && s.size() <= 10 && s.find('-') != std::string_view::npos && parseDate(s, days, used) && used == s.size())
        return makeType(TypeId::Date);
    if (s.size() >= 19 && s[4] == '-') {
        int64_t t;
        if (parseDateTime(s, getTimeZone("UTC"), t, used) && used == s.size()) return makeDateTime();
        int64_t v;
        if (parseDateTime64(s, 9, getTimeZone("UTC"), v, used) && used == s.size()) return makeDateTime64(9);
    }
    return nullptr;
}

DataTypePtr inferQuotedValue(ReadBuffer& in, int depth);

void ws(ReadBuffer& in) { while (!in.eof() && (*in.pos == ' ' || *in.pos == '\t' || *in.pos == '\n' || *in.pos == '\r')) ++in.pos; }

// Infers the type of a value in Quoted syntax (inside TSV/CSV arrays, tuples, maps). Throws on
// malformed text so the caller can fall back to String.
DataTypePtr inferQuotedValue(ReadBuffer& in, int depth) {
    if (depth > 50) throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "too deep");
    ws(in);
    if (in.eof()) throw Exception(ErrorCodes::CANNOT_PARSE_TEXT, "eof");
    char c = *in.pos;
    if (c == '[' || c == '(') {
        char close = c == '[' ? ']' : ')';
        ++in.pos;
        DataTypes el;
        ws(in);
        if (!in.eof() && *in.pos == close) { ++in.pos; if (c == '[') return makeArray(nullptr); throw Exception(ErrorCodes::CANNOT_PARSE_TEXT, "empty tuple"); }
        while (true) {
            el.push_back(inferQuotedValue(in, depth + 1));
            ws(in);
            if (!in.eof() && *in.pos == ',') { ++in.pos; continue; }
            if (!in.eof() && *in.pos == close) { ++in.pos; break; }
            throw Exception(ErrorCodes::CANNOT_PARSE_TEXT, "bad composite");
        }
        if (c == '(') return makeTuple(el);
        DataTypePtr e;
        for (auto& t : el) {
            e = mergeTypes(e, t);
        }
        return makeArray(e);
    }
    if (c == '{') {
        ++in.pos;
        DataTypePtr k, v;
        ws(in);
        if (!in.eof() && *in.pos == '}') { ++in.pos; return makeMap(makeType(TypeId::String), nullptr); }
        while (true) {
            k = mergeTypes(k, inferQuotedValue(in, depth + 1));
            ws(in);
            if (in.eof() || *in.pos != ':') throw Exception(ErrorCodes::CANNOT_PARSE_TEXT, "bad map");
            ++in.pos;
            v = mergeTypes(v, inferQuotedValue(in, depth + 1));
            ws(in);
            if (!in.eof() && *in.pos == ',') { ++in.pos; continue; }
            if (!in.eof() && *in.pos == '}') { ++in.pos; break; }
            throw Exception(ErrorCodes::CANNOT_PARSE_TEXT, "bad map");
        }
        // Map keys are never Nullable; string keys stay String.
        if (!k || k->id == TypeId::Nullable) k = makeType(TypeId::String);
        return makeMap(k->id == TypeId::Int64 ? k : makeType(TypeId::String), v);
    }
    if (c == '\'') {
        ColumnString tmp;
        FormatSettings fs;
        deserializeText(*makeType(TypeId::String), tmp, in, TextStyle::Quoted, fs);
        auto sv = tmp.getView(0);
        if (auto d = inferDateOrTime(sv)) return d;
        return makeType(TypeId::String);
    }
    const char* st = in.pos;
    while (!in.eof() && *in.pos != ',' && *in.pos != ']' && *in.pos != ')' && *in.pos != '}' && *in.pos != ':' &&
           *in.pos != ' ')
        ++in.pos;
    std::string_view tok(st, in.pos - st);
    if (iequals(tok, "null")) return nullptr;
    if (iequals(tok, "true") || iequals(tok, "false")) return makeType(TypeId::Bool);
    if (auto n = inferNumber(tok)) return n;
    throw Exception(ErrorCodes::CANNOT_PARSE_TEXT, "unknown token");
}

// Type of one TSV/CSV field's text.
DataTypePtr inferField(std::string_view text, bool csv_quoted) {
    if (text.empty()) return nullptr;
    if (text == "\\N") return nullptr;
    if (!csv_quoted && (text == "true" || text == "false")) return makeType(TypeId::Bool);
    if (!csv_quoted) if (auto n = inferNumber(text)) return n;
    if (auto d = inferDateOrTime(text)) return d;
    if (text[0] == '[' || text[0] == '(' || text[0] == '{') {
        try {
            ReadBuffer in(text);
            auto t = inferQuotedValue(in, 0);
            ws(in);
            if (in.eof() && t) return t;
        } catch (const Exception&) {
        }
    }
    return makeType(TypeId::String);
}

using Schema = std::vector<std::pair<std::string, DataTypePtr>>;

Schema inferDelimited(std::string_view data, bool csv, bool names, bool types, const FormatSettings& s) {
    ReadBuffer in(data);
    char delim = csv ? s.csv_delimiter : '\t';
    auto readLine = [&](std::vector<std::pair<std::string, bool>>& fields) {
        fields.clear();
        while (true) {
            std::string f;
            bool quoted = false;
            if (csv && !in.eof() && *in.pos == '"') {
                quoted = true;
                ++in.pos;
                while (!in.eof()) {
                    char c = *in.pos++;
                    if (c == '"') { if (!in.eof() && *in.pos == '"') { f += '"'; ++in.pos; continue; } break; }
                    f += c;
                }
            } else {
                const char* st = in.pos;
                while (!in.eof() && *in.pos != delim && *in.pos != '\n' && *in.pos != '\r') ++in.pos;
                f.assign(st, in.pos - st);
            }
            fields.emplace_back(std::move(f), quoted);
            if (!in.eof() && *in.pos == delim) { ++in.pos; continue; }
            if (!in.eof() && *in.pos == '\r') ++in.pos;
            if (!in.eof() && *in.pos == '\n') ++in.pos;
            return;
        }
    };
    std::vector<std::pair<std::string, bool>> fields;
    std::vector<std::string> col_names;
    if (names && !in.eof()) {
        readLine(fields);
        for (auto& f : fields) col_names.push_back(f.first);
        if (types && !in.eof()) readLine(fields);
    }
    std::vector<DataTypePtr> col_types(col_names.size());
    size_t rows = 0;
    while (!in.eof() && rows < kMaxRowsToRead) {
        if (*in.pos == '\n') { ++in.pos; continue; }
        readLine(fields);
        ++rows;
        if (fields.size() > col_types.size()) col_types.resize(fields.size());
        for (size_t i = 0; i < fields.size(); ++i) {
            std::string text = fields[i].first;
            if (!csv && text != "\\N" && text.find('\\') != std::string::npos && text[0] != '[' && text[0] != '(' && text[0] != '{') {
                // TSV escapes only matter for strings; the value still infers as String.
                col_types[i] = mergeTypes(col_types[i], makeType(TypeId::String));
                continue;
            }
            col_types[i] = mergeTypes(col_types[i], inferField(text, fields[i].second));
        }
    }
    if (col_names.empty() && col_types.empty())
        throw Exception(ErrorCodes::CANNOT_PARSE_TEXT /* CANNOT_EXTRACT_TABLE_STRUCTURE in ClickHouse */,
                        "Cannot extract table structure from " + std::string(csv ? "CSV" : "TSV") + " format file: the file is empty");
    Schema out;
    size_t n = std::max(col_names.size(), col_types.size());
    for (size_t i = 0; i < n; ++i) {
        std::string name = i < col_names.size() ? col_names[i] : "c" + std::to_string(i + 1);
        out.emplace_back(name, finalize(i < col_types.size() ? col_types[i] : nullptr));
    }
    return out;
}

DataTypePtr inferJSON(simdjson::dom::element e, int depth) {
    if (depth > 50) return makeType(TypeId::String);
    switch (e.type()) {
        case simdjson::dom::element_type::INT64: return makeType(TypeId::Int64);
        case simdjson::dom::element_type::UINT64: return makeType(TypeId::UInt64);
        case simdjson::dom::element_type::DOUBLE: return makeType(TypeId::Float64);
        case simdjson::dom::element_type::BOOL: return makeType(TypeId::Bool);
        case simdjson::dom::element_type::NULL_VALUE: return nullptr;
        case simdjson::dom::element_type::STRING: {
            std::string_view sv = e.get_string().value();
            if (auto d = inferDateOrTime(sv)) return d;
            return makeType(TypeId::String);
        }
        case simdjson::dom::element_type::ARRAY: {
            DataTypes el;
            for (auto x : e.get_array()) el.push_back(inferJSON(x, depth + 1));
            DataTypePtr m;
            bool same = true;
            for (auto& t : el) {
                if (!t) continue;
                if (!m) { m = t; continue; }
                auto mm = mergeTypes(m, t);
                // Mixed element kinds (e.g. [1,"a"]): ClickHouse 26 infers Array(Dynamic); basalt has
                // no Dynamic, so it keeps the elements as a Tuple like older ClickHouse did.
                if (mm->id == TypeId::String && !(m->id == TypeId::String && t->id == TypeId::String)) same = false;
                m = mm;
            }
            if (!same) return makeTuple(el);
            return makeArray(m);
        }
        case simdjson::dom::element_type::OBJECT: {
            DataTypes el;
            std::vector<std::string> names;
            for (auto f : e.get_object()) { names.emplace_back(f.key); el.push_back(inferJSON(f.value, depth + 1)); }
            if (el.empty()) return makeType(TypeId::String);
            return makeTuple(el, names);
        }
    }
    return makeType(TypeId::String);
}

Schema inferJSONEachRow(std::string_view data, bool compact) {
    simdjson::dom::parser parser;
    std::vector<std::string> order;
    std::map<std::string, DataTypePtr> types;
    std::vector<DataTypePtr> ctypes;
    simdjson::padded_string padded(data);
    simdjson::dom::document_stream stream;
    auto err = parser.parse_many(padded).get(stream);
    if (err) throw Exception(ErrorCodes::INCORRECT_DATA, std::string("Cannot parse JSON: ") + simdjson::error_message(err));
    size_t rows = 0;
    for (auto doc : stream) {
        simdjson::dom::element el;
        if (doc.get(el)) throw Exception(ErrorCodes::INCORRECT_DATA, "Cannot parse JSON data for schema inference");
        if (++rows > kMaxRowsToRead) break;
        if (compact) {
            simdjson::dom::array arr;
            if (el.get_array().get(arr)) throw Exception(ErrorCodes::INCORRECT_DATA, "Expected a JSON array row");
            size_t i = 0;
            for (auto v : arr) {
                if (i >= ctypes.size()) ctypes.resize(i + 1);
                ctypes[i] = mergeTypes(ctypes[i], inferJSON(v, 0));
                ++i;
            }
            continue;
        }
        simdjson::dom::object obj;
        if (el.get_object().get(obj)) throw Exception(ErrorCodes::INCORRECT_DATA, "Expected a JSON object row");
        for (auto f : obj) {
            std::string k(f.key);
            auto it = types.find(k);
            if (it == types.end()) { order.push_back(k); types[k] = inferJSON(f.value, 0); }
            else it->second = mergeTypes(it->second, inferJSON(f.value, 0));
        }
    }
    Schema out;
    if (compact) for (size_t i = 0; i < ctypes.size(); ++i) out.emplace_back("c" + std::to_string(i + 1), finalize(ctypes[i]));
    else for (auto& k : order) out.emplace_back(k, finalize(types[k]));
    if (out.empty()) throw Exception(ErrorCodes::CANNOT_PARSE_TEXT, "Cannot extract table structure from JSON data: no data");
    return out;
}

}  // namespace

std::vector<std::pair<std::string, DataTypePtr>> inferSchema(const std::string& name0, std::string_view data,
                                                             const FormatSettings& settings) {
    std::string name = canonicalFormatName(name0);
    if (name == "TabSeparated" || name == "TSV" || name == "TabSeparatedRaw" || name == "TSVRaw")
        return inferDelimited(data, false, false, false, settings);
    if (name == "TabSeparatedWithNames" || name == "TSVWithNames") return inferDelimited(data, false, true, false, settings);
    if (name == "TabSeparatedWithNamesAndTypes" || name == "TSVWithNamesAndTypes") {
        // The types line is authoritative.
        ReadBuffer in(data);
        auto sch = inferDelimited(data, false, true, false, settings);
        size_t nl = data.find('\n');
        if (nl != std::string_view::npos) {
            std::string_view rest = data.substr(nl + 1);
            std::string_view line = rest.substr(0, rest.find('\n'));
            size_t i = 0, st = 0;
            for (size_t k = 0; k <= line.size() && i < sch.size(); ++k)
                if (k == line.size() || line[k] == '\t') { sch[i++].second = parseDataType(line.substr(st, k - st)); st = k + 1; }
        }
        return sch;
    }
    if (name == "CSV") return inferDelimited(data, true, false, false, settings);
    if (name == "CSVWithNames") return inferDelimited(data, true, true, false, settings);
    if (name == "CSVWithNamesAndTypes") {
        auto sch = inferDelimited(data, true, true, false, settings);
        size_t nl = data.find('\n');
        if (nl != std::string_view::npos) {
            std::string_view rest = data.substr(nl + 1);
            std::string line(rest.substr(0, rest.find('\n')));
            size_t i = 0;
            std::string cur;
            bool q = false;
            for (size_t k = 0; k <= line.size() && i < sch.size(); ++k) {
                if (k < line.size() && line[k] == '"') { q = !q; continue; }
                if (k == line.size() || (line[k] == settings.csv_delimiter && !q)) { sch[i++].second = parseDataType(cur); cur.clear(); continue; }
                cur += line[k];
            }
        }
        return sch;
    }
    if (name == "JSONEachRow" || name == "JSONLines" || name == "NDJSON") return inferJSONEachRow(data, false);
    if (name == "JSONCompactEachRow") return inferJSONEachRow(data, true);
    throw Exception(ErrorCodes::UNKNOWN_FORMAT, "Schema inference is not supported for format " + name0);
}

}  // namespace basalt
