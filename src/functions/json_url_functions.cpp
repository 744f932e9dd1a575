// json_url_functions.cpp — JSON functions over String documents (JSONHas, JSONLength, JSONType,
// JSONExtract{String,Int,UInt,Float,Bool,Raw}, JSONExtract(json, ..., 'Type'), JSONExtractKeys,
// JSONExtractArrayRaw) and URL functions (protocol, domain, domainWithoutWWW, topLevelDomain, path,
// pathFull, queryString, fragment, queryStringAndFragment, extractURLParameter[s|Names], cut*,
// decode/encodeURL[Form]Component).
//
// JSON documents are parsed with simdjson's DOM parser, one parser reused per block; JSONExtractString
// and JSONHas of one key first try json_flat_scan.h's validating scan of flat objects. Path arguments
// are keys (String) or 1-based indexes (integers, negative from the end; an index into an object
// selects its k-th member). Unparsable documents and missing paths yield the type's default, as in
// ClickHouse. URL functions are byte scanners following ClickHouse's lenient URL splitting.
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <limits>
#include <type_traits>

#include "common/exception.h"
#include "common/string_utils.h"
#include "functions/function.h"
#include "functions/json_flat_scan.h"
#include "functions/string_args.h"
#include "types/create_column.h"

namespace basalt {

namespace {

using namespace string_args;


// =============================================================================================
// JSON

using simdjson::dom::element;
using simdjson::dom::element_type;

// One path step per row: a key or an index.
struct PathArg {
    bool is_key = true;
    StrArg key;
    PODArray<int64_t> idx;
    bool idx_const = false;
};

std::vector<PathArg> pathArgs(const ColumnsWithTypeAndName& x, size_t from, size_t to) {
    std::vector<PathArg> out;
    for (size_t k = from; k < to; ++k) {
        PathArg p;
        DataTypePtr t = removeLowCardinality(x[k].type);
        if (t->isStringOrFixed()) {
            p.key = strArg(x[k].column);
        } else {
            p.is_key = false;
            const IColumn* col = x[k].column.get();
            p.idx_const = col->isConst();
            if (p.idx_const) col = &static_cast<const ColumnConst&>(*col).getDataColumn();
            p.idx.resize(col->size());
            dispatchNumber(t->id, [&](auto tag) {
                using T = typename decltype(tag)::type;
                auto& d = static_cast<const ColumnVector<T>&>(*col).getData();
                for (size_t i = 0; i < d.size(); ++i) p.idx[i] = int64_t(d[i]);
            });
        }
        out.push_back(std::move(p));
    }
    return out;
}

void checkPathTypes(const std::string& fn, const ColumnsWithTypeAndName& a, size_t from, size_t to) {
    if (a.empty()) throwArgumentCount(fn, 0, "at least 1");
    requireStr(fn, a, 0);
    for (size_t k = from; k < to; ++k) {
        DataTypePtr t = removeLowCardinality(a[k].type);
        if (!(t->isStringOrFixed() || t->isInteger()) || t->valueSize() > 8)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "The argument " + std::to_string(k + 1) + " of function " + fn +
                                                                      " should be a string specifying key or an integer specifying index, illegal type: " +
                                                                      a[k].type->name());
    }
}

// Parses row i's document and walks the path; false when the document is invalid or the path missing.
bool resolve(simdjson::dom::parser& parser, std::string_view doc, const std::vector<PathArg>& path, size_t row, element& out) {
    if (doc.data() == nullptr) doc = std::string_view("", 0);  // simdjson memcpy()s from it even when empty
    auto parsed = parser.parse(doc.data(), doc.size(), true);
    if (parsed.error()) return false;
    element cur = parsed.value_unsafe();
    for (auto& p : path) {
        if (p.is_key) {
            if (cur.type() != element_type::OBJECT) return false;
            std::string_view key = p.key[row];
            if (key.empty()) key = std::string_view("", 0);   // simdjson memcmp()s the key even when empty
            auto r = cur.get_object().value_unsafe().at_key(key);
            if (r.error()) return false;
            cur = r.value_unsafe();
        } else {
            int64_t k = p.idx[p.idx_const ? 0 : row];
            if (k == 0) return false;
            if (cur.type() == element_type::ARRAY) {
                auto arr = cur.get_array().value_unsafe();
                int64_t n = int64_t(arr.size());
                int64_t pos = k > 0 ? k - 1 : n + k;
                if (pos < 0 || pos >= n) return false;
                cur = arr.at(size_t(pos)).value_unsafe();
            } else if (cur.type() == element_type::OBJECT) {
                auto obj = cur.get_object().value_unsafe();
                int64_t n = int64_t(obj.size());
                int64_t pos = k > 0 ? k - 1 : n + k;
                if (pos < 0 || pos >= n) return false;
                int64_t j = 0;
                for (auto field : obj) {
                    if (j++ == pos) { cur = field.value; break; }
                }
            } else {
                return false;
            }
        }
    }
    out = cur;
    return true;
}

void appendJSONEscaped(ColumnString::Chars& out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': appendTo(out, "\\\""); break;
            case '\\': appendTo(out, "\\\\"); break;
            case '\n': appendTo(out, "\\n"); break;
            case '\r': appendTo(out, "\\r"); break;
            case '\t': appendTo(out, "\\t"); break;
            case '\b': appendTo(out, "\\b"); break;
            case '\f': appendTo(out, "\\f"); break;
            default:
                if (u < 0x20) {
                    appendTo(out, "\\u00");
                    out.push_back(hex[u >> 4]);
                    out.push_back(hex[u & 15]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

// Compact re-serialization with ClickHouse's number formatting (2.50 -> 2.5, 1e10 -> 10000000000).
void serializeRaw(const element& e, ColumnString::Chars& out) {
    switch (e.type()) {
        case element_type::OBJECT: {
            out.push_back('{');
            bool first = true;
            simdjson::dom::object container_ = e.get_object().value_unsafe();
            for (auto field : container_) {
                if (!first) out.push_back(',');
                first = false;
                appendJSONEscaped(out, field.key);
                out.push_back(':');
                serializeRaw(field.value, out);
            }
            out.push_back('}');
            break;
        }
        case element_type::ARRAY: {
            out.push_back('[');
            bool first = true;
            simdjson::dom::array container_ = e.get_array().value_unsafe();
            for (auto v : container_) {
                if (!first) out.push_back(',');
                first = false;
                serializeRaw(v, out);
            }
            out.push_back(']');
            break;
        }
        case element_type::STRING: appendJSONEscaped(out, e.get_string().value_unsafe()); break;
        case element_type::INT64: appendTo(out, std::to_string(e.get_int64().value_unsafe())); break;
        case element_type::UINT64: appendTo(out, std::to_string(e.get_uint64().value_unsafe())); break;
        case element_type::DOUBLE: appendTo(out, formatFloat(e.get_double().value_unsafe())); break;
        case element_type::BOOL: appendTo(out, e.get_bool().value_unsafe() ? "true" : "false"); break;
        case element_type::NULL_VALUE: appendTo(out, "null"); break;
        default: break;
    }
}

// Integer conversion: JSON ints in range, doubles truncated, strings holding a whole integer.
template <typename T>
bool jsonToInt(const element& e, T& v) {
    switch (e.type()) {
        case element_type::INT64: {
            int64_t x = e.get_int64().value_unsafe();
            if constexpr (std::is_unsigned_v<T>) { if (x < 0 || uint64_t(x) > std::numeric_limits<T>::max()) return false; }
            else if (x < int64_t(std::numeric_limits<T>::min()) || x > int64_t(std::numeric_limits<T>::max())) return false;
            v = T(x);
            return true;
        }
        case element_type::UINT64: {
            uint64_t x = e.get_uint64().value_unsafe();
            if (x > uint64_t(std::numeric_limits<T>::max())) return false;
            v = T(x);
            return true;
        }
        case element_type::DOUBLE: {
            double d = e.get_double().value_unsafe();
            if (!(d >= double(std::numeric_limits<T>::min()) && d < double(std::numeric_limits<T>::max()) + 1.0)) return false;
            v = T(d);
            return true;
        }
        case element_type::STRING: {
            std::string_view s = e.get_string().value_unsafe();
            T x{};
            auto r = std::from_chars(s.data(), s.data() + s.size(), x);
            if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) return false;
            v = x;
            return true;
        }
        default: return false;
    }
}

template <typename T>
bool jsonToFloat(const element& e, T& v) {
    switch (e.type()) {
        case element_type::INT64: v = T(e.get_int64().value_unsafe()); return true;
        case element_type::UINT64: v = T(e.get_uint64().value_unsafe()); return true;
        case element_type::DOUBLE: v = T(e.get_double().value_unsafe()); return true;
        case element_type::STRING: {
            std::string s(e.get_string().value_unsafe());
            char* end = nullptr;
            double d = std::strtod(s.c_str(), &end);
            if (s.empty() || end != s.c_str() + s.size()) return false;
            v = T(d);
            return true;
        }
        default: return false;
    }
}

// JSONExtractString semantics: strings unescaped, null empty, anything else its raw JSON.
void jsonToString(const element& e, ColumnString::Chars& out) {
    if (e.type() == element_type::STRING) appendTo(out, e.get_string().value_unsafe());
    else if (e.type() != element_type::NULL_VALUE) serializeRaw(e, out);
}

// Appends e converted to `type` into col; returns false (nothing appended) when it does not convert.
bool insertJSON(const DataType& type, IColumn& col, const element& e) {
    switch (type.id) {
        case TypeId::Nullable: {
            auto& n = static_cast<ColumnNullable&>(col);
            if (e.type() != element_type::NULL_VALUE && insertJSON(*type.nested[0], n.getNested(), e)) {
                n.getNullMap().push_back(0);
                return true;
            }
            n.insertDefault();
            return true;
        }
        case TypeId::LowCardinality: {
            if (!col.isLowCardinality()) return insertJSON(*type.nested[0], col, e);
            auto tmp = createColumn(*type.nested[0]);
            if (!insertJSON(*type.nested[0], *tmp, e)) return false;
            col.insertFrom(*tmp, 0);
            return true;
        }
        case TypeId::String: {
            auto& s = static_cast<ColumnString&>(col);
            jsonToString(e, s.getChars());
            s.getOffsets().push_back(s.getChars().size());
            return true;
        }
        case TypeId::FixedString: {
            if (e.type() != element_type::STRING) return false;
            std::string_view v = e.get_string().value_unsafe();
            if (v.size() > type.n) return false;
            static_cast<ColumnFixedString&>(col).insertData(v);
            return true;
        }
        case TypeId::Bool: {
            uint8_t b;
            if (e.type() == element_type::BOOL) b = e.get_bool().value_unsafe();
            else if (e.type() == element_type::INT64) b = e.get_int64().value_unsafe() != 0;
            else if (e.type() == element_type::UINT64) b = e.get_uint64().value_unsafe() != 0;
            else return false;
            static_cast<ColumnUInt8&>(col).insertValue(b);
            return true;
        }
        case TypeId::Array: {
            if (e.type() != element_type::ARRAY) return false;
            auto& arr = static_cast<ColumnArray&>(col);
            simdjson::dom::array container_ = e.get_array().value_unsafe();
            for (auto v : container_)
                if (!insertJSON(*type.nested[0], arr.getData(), v)) arr.getData().insertDefault();
            arr.getOffsets().push_back(arr.getData().size());
            return true;
        }
        default: break;
    }
    bool ok = false;
    dispatchNumber(type.id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T v{};
        if constexpr (std::is_floating_point_v<T>) ok = jsonToFloat(e, v);
        else ok = jsonToInt(e, v);
        if (ok) static_cast<ColumnVector<T>&>(col).insertValue(v);
    });
    return ok;
}

DataTypePtr jsonTypeEnum() {
    auto t = std::make_shared<DataType>();
    t->id = TypeId::Enum8;
    t->enum_values = {{"Null", 0}, {"String", 34}, {"Array", 91}, {"Bool", 98}, {"Double", 100}, {"Int64", 105}, {"UInt64", 117}, {"Object", 123}};
    return t;
}

// Registers a JSON function whose arguments are (json, path...) [+ trailing constant type name when
// typed], producing one value per row through fn(found, element, column).
// No json_flat fast path: every document goes to the DOM.
struct NoFlatPath {
    bool operator()(json_flat::Result, std::string_view, IColumn&) const { return false; }
};

template <typename F, typename Flat = NoFlatPath>
void registerJSON(FunctionFactory& f, const std::string& name, std::function<DataTypePtr(const ColumnsWithTypeAndName&)> result, bool typed, F fn,
                  Flat flat = {}) {
    f.registerFunction(name, [name, result, typed, fn, flat](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        if (a.size() < (typed ? 2u : 1u)) throwArgumentCount(name, a.size(), typed ? "at least 2" : "at least 1");
        size_t path_end = typed ? a.size() - 1 : a.size();
        checkPathTypes(name, a, 1, path_end);
        DataTypePtr rt = result(a);
        return makeFunction(name, rt, [fn, flat, rt, path_end](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg doc = strArg(x[0].column);
            std::vector<PathArg> path = pathArgs(x, 1, path_end);
            simdjson::dom::parser parser;
            MutableColumnPtr res = createColumn(rt);
            res->reserve(rows);
            element e;
            if constexpr (!std::is_same_v<Flat, NoFlatPath>) {
                if (path.size() == 1 && path[0].is_key) {
                    const StrArg& key = path[0].key;
                    std::string_view value;
                    for (size_t i = 0; i < rows; ++i) {
                        std::string_view d = doc[i];
                        if (flat(json_flat::lookup(d, key[i], value), value, *res)) continue;
                        bool found = resolve(parser, d, path, i, e);
                        fn(found, e, *res, *rt);
                    }
                    return ColumnPtr(res);
                }
            }
            for (size_t i = 0; i < rows; ++i) {
                bool found = resolve(parser, doc[i], path, i, e);
                fn(found, e, *res, *rt);
            }
            return ColumnPtr(res);
        });
    });
}

void registerJSONFunctions(FunctionFactory& f) {
    auto fixed = [](TypeId id) { return [id](const ColumnsWithTypeAndName&) { return makeType(id); }; };

    registerJSON(f, "JSONHas", fixed(TypeId::UInt8), false, [](bool found, const element&, IColumn& c, const DataType&) {
        static_cast<ColumnUInt8&>(c).insertValue(found);
    }, [](json_flat::Result r, std::string_view, IColumn& c) {
        if (r == json_flat::Result::Fallback) return false;
        static_cast<ColumnUInt8&>(c).insertValue(r != json_flat::Result::Missing);
        return true;
    });
    registerJSON(f, "JSONLength", fixed(TypeId::UInt64), false, [](bool found, const element& e, IColumn& c, const DataType&) {
        uint64_t n = 0;
        if (found && e.type() == element_type::ARRAY) n = e.get_array().value_unsafe().size();
        else if (found && e.type() == element_type::OBJECT) n = e.get_object().value_unsafe().size();
        static_cast<ColumnUInt64&>(c).insertValue(n);
    });
    registerJSON(f, "JSONType", [](const ColumnsWithTypeAndName&) { return jsonTypeEnum(); }, false, [](bool found, const element& e, IColumn& c, const DataType&) {
        int8_t v = 0;
        if (found) {
            switch (e.type()) {
                case element_type::ARRAY: v = 91; break;
                case element_type::OBJECT: v = 123; break;
                case element_type::STRING: v = 34; break;
                case element_type::INT64: v = 105; break;
                case element_type::UINT64: v = 117; break;
                case element_type::DOUBLE: v = 100; break;
                case element_type::BOOL: v = 98; break;
                default: v = 0;
            }
        }
        static_cast<ColumnInt8&>(c).insertValue(v);
    });
    registerJSON(f, "JSONExtractString", fixed(TypeId::String), false, [](bool found, const element& e, IColumn& c, const DataType&) {
        auto& s = static_cast<ColumnString&>(c);
        if (found) jsonToString(e, s.getChars());
        s.getOffsets().push_back(s.getChars().size());
    }, [](json_flat::Result r, std::string_view v, IColumn& c) {
        if (r != json_flat::Result::FoundString && r != json_flat::Result::Missing) return false;
        auto& s = static_cast<ColumnString&>(c);
        if (r == json_flat::Result::FoundString) appendTo(s.getChars(), v);
        s.getOffsets().push_back(s.getChars().size());
        return true;
    });
    registerJSON(f, "JSONExtractRaw", fixed(TypeId::String), false, [](bool found, const element& e, IColumn& c, const DataType&) {
        auto& s = static_cast<ColumnString&>(c);
        if (found) serializeRaw(e, s.getChars());
        s.getOffsets().push_back(s.getChars().size());
    });
    struct NumDef { const char* name; TypeId id; };
    for (NumDef d : {NumDef{"JSONExtractInt", TypeId::Int64}, NumDef{"JSONExtractUInt", TypeId::UInt64}, NumDef{"JSONExtractFloat", TypeId::Float64}}) {
        DataTypePtr t = makeType(d.id);
        registerJSON(f, d.name, fixed(d.id), false, [t](bool found, const element& e, IColumn& c, const DataType&) {
            if (!found || !insertJSON(*t, c, e)) c.insertDefault();
        });
    }
    registerJSON(f, "JSONExtractBool", fixed(TypeId::UInt8), false, [](bool found, const element& e, IColumn& c, const DataType&) {
        static const DataTypePtr b = makeType(TypeId::Bool);
        if (!found || !insertJSON(*b, c, e)) c.insertDefault();
    });
    registerJSON(f, "JSONExtract", [](const ColumnsWithTypeAndName& a) {
        const auto& last = a.back();
        if (!last.column || !last.column->isConst() || !isStr(last.type))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "The last argument of function JSONExtract should be a constant string specifying the return data type");
        return parseDataType(last.column->get(0).get<std::string>());
    }, true, [](bool found, const element& e, IColumn& c, const DataType& rt) {
        if (!found || !insertJSON(rt, c, e)) c.insertDefault();
    });
    registerJSON(f, "JSONExtractKeys", [](const ColumnsWithTypeAndName&) { return makeArray(stringType()); }, false,
                 [](bool found, const element& e, IColumn& c, const DataType&) {
        auto& arr = static_cast<ColumnArray&>(c);
        auto& data = static_cast<ColumnString&>(arr.getData());
        if (found && e.type() == element_type::OBJECT) {
            simdjson::dom::object container_ = e.get_object().value_unsafe();
            for (auto field : container_) data.insertData(field.key);
        }
        arr.getOffsets().push_back(data.size());
    });
    registerJSON(f, "JSONExtractArrayRaw", [](const ColumnsWithTypeAndName&) { return makeArray(stringType()); }, false,
                 [](bool found, const element& e, IColumn& c, const DataType&) {
        auto& arr = static_cast<ColumnArray&>(c);
        auto& data = static_cast<ColumnString&>(arr.getData());
        if (found && e.type() == element_type::ARRAY) {
            simdjson::dom::array container_ = e.get_array().value_unsafe();
            for (auto v : container_) {
                serializeRaw(v, data.getChars());
                data.getOffsets().push_back(data.getChars().size());
            }
        }
        arr.getOffsets().push_back(data.size());
    });
}

// =============================================================================================
// URL

// Splits a URL the way ClickHouse's URL functions do: an optional "scheme://" or "//" prefix, then
// the host part up to the first '/', '?' or '#'.
struct URLParts {
    std::string_view scheme;   // without "://"
    size_t host_begin = 0;     // after the scheme separator (0 when absent)
    size_t host_end = 0;       // first '/', '?' or '#' after host_begin
};

URLParts splitURL(std::string_view u) {
    URLParts p;
    size_t i = 0;
    if (u.size() >= 2 && u[0] == '/' && u[1] == '/') {
        p.host_begin = 2;
    } else {
        while (i < u.size() && (std::isalnum(static_cast<unsigned char>(u[i])) || u[i] == '+' || u[i] == '-' || u[i] == '.')) ++i;
        if (i > 0 && i + 2 < u.size() + 0 && u.compare(i, 3, "://") == 0) {
            p.scheme = u.substr(0, i);
            p.host_begin = i + 3;
        }
    }
    size_t e = u.find_first_of("/?#", p.host_begin);
    p.host_end = e == std::string_view::npos ? u.size() : e;
    return p;
}

// The host name: user info dropped, port cut; must contain a dot and not end with one.
std::string_view urlDomain(std::string_view u) {
    URLParts p = splitURL(u);
    size_t start = p.host_begin;
    size_t pos = start;
    for (; pos < u.size(); ++pos) {
        char c = u[pos];
        if (c == ':' || c == '/' || c == '?' || c == '#') break;
        if (c == '@') { start = pos + 1; continue; }
        if (std::strchr(" \t<>%{}|\\^~[];=&", c)) return {};
    }
    std::string_view host = u.substr(start, pos - start);
    if (host.empty() || host.find('.') == std::string_view::npos || host.back() == '.') return {};
    return host;
}

std::string_view urlProtocol(std::string_view u) {
    size_t i = 0;
    if (u.empty() || !std::isalpha(static_cast<unsigned char>(u[0]))) return {};
    while (i < u.size() && (std::isalnum(static_cast<unsigned char>(u[i])) || u[i] == '+' || u[i] == '-' || u[i] == '.')) ++i;
    if (i < u.size() && u[i] == ':') return u.substr(0, i);
    return {};
}

// [begin, end) of the part after the host (path + query + fragment).
size_t pathBegin(std::string_view u) {
    URLParts p = splitURL(u);
    return p.host_end;
}

std::string_view urlPath(std::string_view u) {
    size_t b = pathBegin(u);
    if (b >= u.size() || u[b] != '/') return {};
    size_t e = u.find_first_of("?#", b);
    return u.substr(b, (e == std::string_view::npos ? u.size() : e) - b);
}

std::string_view urlPathFull(std::string_view u) {
    size_t b = pathBegin(u);
    if (b >= u.size() || u[b] != '/') return {};
    return u.substr(b);
}

std::string_view urlQuery(std::string_view u) {
    size_t q = u.find('?');
    if (q == std::string_view::npos) return {};
    size_t h = u.find('#', q);
    return u.substr(q + 1, (h == std::string_view::npos ? u.size() : h) - q - 1);
}

std::string_view urlFragment(std::string_view u) {
    size_t h = u.find('#');
    return h == std::string_view::npos ? std::string_view{} : u.substr(h + 1);
}

std::string_view urlQueryAndFragment(std::string_view u) {
    size_t q = u.find('?');
    if (q != std::string_view::npos) return u.substr(q + 1);
    size_t h = u.find('#');
    return h == std::string_view::npos ? std::string_view{} : u.substr(h);
}

// Calls fn(name, value, begin, end) for each "name=value" parameter after the first '?' or '#';
// parameters are separated by '&' or '#'. Parameters without '=' are skipped.
template <typename F>
void forEachURLParam(std::string_view u, F&& fn) {
    size_t start = u.find_first_of("?#");
    if (start == std::string_view::npos) return;
    size_t pos = start + 1;
    while (pos <= u.size()) {
        size_t end = u.find_first_of("&#", pos);
        if (end == std::string_view::npos) end = u.size();
        std::string_view param = u.substr(pos, end - pos);
        size_t eq = param.find('=');
        if (eq != std::string_view::npos && eq > 0)
            if (!fn(param.substr(0, eq), param.substr(eq + 1), pos, end)) return;
        pos = end + 1;
    }
}

inline int hexVal(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void decodeURL(std::string_view s, ColumnString::Chars& out, bool form) {
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%' && i + 2 < s.size() + 0 && hexVal(s[i + 1]) >= 0 && hexVal(s[i + 2]) >= 0) {
            out.push_back(char(hexVal(s[i + 1]) * 16 + hexVal(s[i + 2])));
            i += 2;
        } else if (form && c == '+') {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
}

void encodeURL(std::string_view s, ColumnString::Chars& out, bool form) {
    static const char hex[] = "0123456789ABCDEF";
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') out.push_back(c);
        else if (form && c == ' ') out.push_back('+');
        else { out.push_back('%'); out.push_back(hex[u >> 4]); out.push_back(hex[u & 15]); }
    }
}

// String -> String URL function; fn(url, out) appends the result.
template <typename F>
void registerURLMap(FunctionFactory& f, const std::string& name, F fn) {
    f.registerFunction(name, [name, fn](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount(name, a, 1, 1);
        requireStr(name, a, 0);
        return makeFunction(name, stringType(), [fn](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column);
            auto res = ColumnString::create();
            auto& chars = res->getChars();
            res->getOffsets().reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                fn(s[i], chars);
                res->getOffsets().push_back(chars.size());
            }
            return res;
        });
    });
}

template <typename F>
auto viewFn(F part) {
    return [part](std::string_view u, ColumnString::Chars& out) { appendTo(out, part(u)); };
}

// Returns the URL without [b, e).
inline void appendWithout(std::string_view u, size_t b, size_t e, ColumnString::Chars& out) {
    appendTo(out, u.substr(0, b));
    appendTo(out, u.substr(e));
}

void registerURLFunctions(FunctionFactory& f) {
    registerURLMap(f, "protocol", viewFn(urlProtocol));
    registerURLMap(f, "domain", viewFn(urlDomain));
    registerURLMap(f, "domainWithoutWWW", viewFn([](std::string_view u) {
        std::string_view d = urlDomain(u);
        return d.substr(0, 4) == "www." ? d.substr(4) : d;
    }));
    registerURLMap(f, "topLevelDomain", viewFn([](std::string_view u) -> std::string_view {
        std::string_view d = urlDomain(u);
        size_t dot = d.rfind('.');
        if (dot == std::string_view::npos) return {};
        std::string_view tld = d.substr(dot + 1);
        // Numeric last labels are IPv4 addresses, which have no top-level domain.
        if (std::all_of(tld.begin(), tld.end(), [](char c) { return c >= '0' && c <= '9'; })) return {};
        return tld;
    }));
    registerURLMap(f, "path", viewFn(urlPath));
    registerURLMap(f, "pathFull", viewFn(urlPathFull));
    registerURLMap(f, "queryString", viewFn(urlQuery));
    registerURLMap(f, "fragment", viewFn(urlFragment));
    registerURLMap(f, "queryStringAndFragment", viewFn(urlQueryAndFragment));
    registerURLMap(f, "cutQueryString", [](std::string_view u, ColumnString::Chars& out) {
        size_t q = u.find('?');
        if (q == std::string_view::npos) { appendTo(out, u); return; }
        size_t h = u.find('#', q);
        appendWithout(u, q, h == std::string_view::npos ? u.size() : h, out);
    });
    registerURLMap(f, "cutFragment", [](std::string_view u, ColumnString::Chars& out) { appendTo(out, u.substr(0, u.find('#'))); });
    registerURLMap(f, "cutQueryStringAndFragment", [](std::string_view u, ColumnString::Chars& out) {
        appendTo(out, u.substr(0, u.find_first_of("?#")));
    });
    registerURLMap(f, "cutWWW", [](std::string_view u, ColumnString::Chars& out) {
        URLParts p = splitURL(u);
        if (u.substr(p.host_begin, 4) == "www.") appendWithout(u, p.host_begin, p.host_begin + 4, out);
        else appendTo(out, u);
    });
    registerURLMap(f, "decodeURLComponent", [](std::string_view u, ColumnString::Chars& out) { decodeURL(u, out, false); });
    registerURLMap(f, "decodeURLFormComponent", [](std::string_view u, ColumnString::Chars& out) { decodeURL(u, out, true); });
    registerURLMap(f, "encodeURLComponent", [](std::string_view u, ColumnString::Chars& out) { encodeURL(u, out, false); });
    registerURLMap(f, "encodeURLFormComponent", [](std::string_view u, ColumnString::Chars& out) { encodeURL(u, out, true); });

    for (bool names : {false, true}) {
        std::string name = names ? "extractURLParameterNames" : "extractURLParameters";
        f.registerFunction(name, [name, names](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 1, 1);
            requireStr(name, a, 0);
            return makeFunction(name, makeArray(stringType()), [names](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column);
                auto data = ColumnString::create();
                Offsets offsets;
                offsets.reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view u = s[i];
                    forEachURLParam(u, [&](std::string_view n, std::string_view, size_t b, size_t e) {
                        data->insertData(names ? n : u.substr(b, e - b));
                        return true;
                    });
                    offsets.push_back(data->size());
                }
                return std::make_shared<ColumnArray>(data, std::move(offsets));
            });
        });
    }

    for (bool cut : {false, true}) {
        std::string name = cut ? "cutURLParameter" : "extractURLParameter";
        f.registerFunction(name, [name, cut](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 2);
            requireStr(name, a, 0);
            requireStr(name, a, 1);
            if (!a[1].column || !a[1].column->isConst())
                throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Argument at index 1 for function " + name + " must be constant");
            return makeFunction(name, stringType(), [cut](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column), p = strArg(x[1].column);
                auto res = ColumnString::create();
                auto& chars = res->getChars();
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view u = s[i], want = p[i];
                    bool done = false;
                    forEachURLParam(u, [&](std::string_view n, std::string_view v, size_t b, size_t e) {
                        if (n != want) return true;
                        if (!cut) {
                            appendTo(chars, v);
                        } else {
                            // Drop the parameter with the '&' after it, or else the '&' before it.
                            if (e < u.size() && u[e] == '&') ++e;
                            else if (b > 0 && u[b - 1] == '&') --b;
                            appendWithout(u, b, e, chars);
                        }
                        done = true;
                        return false;
                    });
                    if (cut && !done) appendTo(chars, u);
                    res->getOffsets().push_back(chars.size());
                }
                return res;
            });
        });
    }
}

}  // namespace

void registerJSONAndURLFunctions(FunctionFactory& f) {
    registerJSONFunctions(f);
    registerURLFunctions(f);
}

}  // namespace basalt
