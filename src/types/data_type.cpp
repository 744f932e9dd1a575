// data_type.cpp — type names, equality, constructors, the type-name parser and least supertype.
#include "types/data_type.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "aggregates/aggregate_function.h"
#include "common/exception.h"
#include "common/string_utils.h"

namespace basalt {

namespace {
// The newest aggregate state format this build writes and reads (AggregateFunction(N, f, T)).
// Version 0: count, sum, avg, min/max/any and uniq states in ClickHouse's byte layout; other
// functions in basalt's own. A change to any state's bytes must bump this and keep reading 0.
constexpr uint64_t kMaxAggregateStateVersion = 0;

const char* simpleName(TypeId id) {
    switch (id) {
        case TypeId::Nothing: return "Nothing";
        case TypeId::UInt8: return "UInt8";
        case TypeId::UInt16: return "UInt16";
        case TypeId::UInt32: return "UInt32";
        case TypeId::UInt64: return "UInt64";
        case TypeId::UInt128: return "UInt128";
        case TypeId::UInt256: return "UInt256";
        case TypeId::Int8: return "Int8";
        case TypeId::Int16: return "Int16";
        case TypeId::Int32: return "Int32";
        case TypeId::Int64: return "Int64";
        case TypeId::Int128: return "Int128";
        case TypeId::Int256: return "Int256";
        case TypeId::Float32: return "Float32";
        case TypeId::Float64: return "Float64";
        case TypeId::Bool: return "Bool";
        case TypeId::String: return "String";
        case TypeId::Date: return "Date";
        case TypeId::Date32: return "Date32";
        case TypeId::UUID: return "UUID";
        case TypeId::IPv4: return "IPv4";
        case TypeId::IPv6: return "IPv6";
        default: return nullptr;
    }
}
}  // namespace

// ClickHouse's print_pretty_type_names (on by default): named tuples put one element per line,
// indented by four spaces per nesting level. Only named tuples change; everything else is name().
namespace {
// A tuple element name as ClickHouse prints it in a type: back-quoted unless a plain identifier.
std::string elementName(const std::string& n) {
    bool plain = !n.empty() && (std::isalpha((unsigned char)n[0]) || n[0] == '_');
    for (char c : n) plain = plain && (std::isalnum((unsigned char)c) || c == '_');
    return plain ? n : backQuote(n);
}
}  // namespace

std::string DataType::prettyName(size_t indent) const {
    if (!simple_function.empty()) return name();
    switch (id) {
        case TypeId::Nullable: return "Nullable(" + nested[0]->prettyName(indent) + ")";
        case TypeId::LowCardinality: return "LowCardinality(" + nested[0]->prettyName(indent) + ")";
        case TypeId::Array: return "Array(" + nested[0]->prettyName(indent) + ")";
        case TypeId::Map: return "Map(" + nested[0]->prettyName(indent) + ", " + nested[1]->prettyName(indent) + ")";
        case TypeId::Tuple: {
            std::string s = "Tuple(";
            if (element_names.empty()) {
                for (size_t i = 0; i < nested.size(); ++i) s += (i ? ", " : "") + nested[i]->prettyName(indent);
                return s + ")";
            }
            std::string pad(indent + 4, ' ');
            for (size_t i = 0; i < nested.size(); ++i)
                s += (i ? ",\n" : "\n") + pad + elementName(element_names[i]) + " " + nested[i]->prettyName(indent + 4);
            return s + ")";
        }
        default: return name();
    }
}

const char* intervalKindName(IntervalKind k) {
    static const char* names[] = {"Nanosecond", "Microsecond", "Millisecond", "Second", "Minute", "Hour",
                                  "Day", "Week", "Month", "Quarter", "Year"};
    return names[int(k)];
}

std::string DataType::name() const {
    if (!simple_function.empty()) {
        DataType plain = *this;
        plain.simple_function.clear();
        return "SimpleAggregateFunction(" + simple_function + ", " + plain.name() + ")";
    }
    if (const char* s = simpleName(id)) return s;
    switch (id) {
        case TypeId::AggregateFunction: {
            // `precision` holds the state format version (see parseDataType); 0 is not printed.
            std::string s = "AggregateFunction(" + (precision ? std::to_string(precision) + ", " : std::string()) + function;
            for (auto& a : nested) s += ", " + a->name();
            return s + ")";
        }
        case TypeId::Decimal32: case TypeId::Decimal64: case TypeId::Decimal128: case TypeId::Decimal256:
            return "Decimal(" + std::to_string(precision) + ", " + std::to_string(scale) + ")";
        case TypeId::FixedString: return "FixedString(" + std::to_string(n) + ")";
        case TypeId::DateTime: return timezone.empty() ? "DateTime" : "DateTime(" + quoteString(timezone) + ")";
        case TypeId::DateTime64:
            return "DateTime64(" + std::to_string(scale) + (timezone.empty() ? "" : ", " + quoteString(timezone)) + ")";
        case TypeId::Enum8: case TypeId::Enum16: {
            std::string s = id == TypeId::Enum8 ? "Enum8(" : "Enum16(";
            for (size_t i = 0; i < enum_values.size(); ++i) {
                if (i) s += ", ";
                s += quoteString(enum_values[i].first) + " = " + std::to_string(enum_values[i].second);
            }
            return s + ")";
        }
        case TypeId::Nullable: return "Nullable(" + nested[0]->name() + ")";
        case TypeId::LowCardinality: return "LowCardinality(" + nested[0]->name() + ")";
        case TypeId::Array: return "Array(" + nested[0]->name() + ")";
        case TypeId::Map: return "Map(" + nested[0]->name() + ", " + nested[1]->name() + ")";
        case TypeId::Tuple: {
            std::string s = "Tuple(";
            for (size_t i = 0; i < nested.size(); ++i) {
                if (i) s += ", ";
                if (!element_names.empty()) s += elementName(element_names[i]) + " ";
                s += nested[i]->name();
            }
            return s + ")";
        }
        case TypeId::Interval: return std::string("Interval") + intervalKindName(interval_kind);
        default: return "Unknown";
    }
}

bool DataType::equals(const DataType& o) const {
    if (id != o.id || precision != o.precision || scale != o.scale || n != o.n || timezone != o.timezone ||
        interval_kind != o.interval_kind || element_names != o.element_names || enum_values != o.enum_values ||
        nested.size() != o.nested.size() || function != o.function || simple_function != o.simple_function)
        return false;
    for (size_t i = 0; i < nested.size(); ++i)
        if (!nested[i]->equals(*o.nested[i])) return false;
    return true;
}

size_t DataType::valueSize() const {
    switch (id) {
        case TypeId::UInt8: case TypeId::Int8: case TypeId::Bool: case TypeId::Enum8: return 1;
        case TypeId::UInt16: case TypeId::Int16: case TypeId::Date: case TypeId::Enum16: return 2;
        case TypeId::UInt32: case TypeId::Int32: case TypeId::Float32: case TypeId::Date32:
        case TypeId::DateTime: case TypeId::Decimal32: case TypeId::IPv4: return 4;
        case TypeId::UInt64: case TypeId::Int64: case TypeId::Float64: case TypeId::DateTime64:
        case TypeId::Decimal64: case TypeId::Interval: return 8;
        case TypeId::UInt128: case TypeId::Int128: case TypeId::Decimal128: case TypeId::UUID: case TypeId::IPv6: return 16;
        case TypeId::UInt256: case TypeId::Int256: case TypeId::Decimal256: return 32;
        default: return 0;
    }
}

bool DataType::canBeInsideNullable() const {
    return id != TypeId::Array && id != TypeId::Tuple && id != TypeId::Map && id != TypeId::Nullable &&
           id != TypeId::LowCardinality;
}

bool DataType::canBeInsideLowCardinality() const {
    if (id == TypeId::Nullable) return nested[0]->id != TypeId::Nullable && nested[0]->canBeInsideLowCardinality();
    return isNumber() || id == TypeId::Bool || isStringOrFixed() || id == TypeId::Date || id == TypeId::Date32 ||
           id == TypeId::DateTime || id == TypeId::UUID || id == TypeId::IPv4 || id == TypeId::IPv6 || id == TypeId::Interval;
}

DataTypePtr makeType(TypeId id) {
    static const auto table = [] {
        std::array<DataTypePtr, 64> t{};
        for (int i = 0; i <= int(TypeId::Interval); ++i) {
            auto d = std::make_shared<DataType>();
            d->id = TypeId(i);
            t[i] = d;
        }
        return t;
    }();
    return table[int(id)];
}

DataTypePtr makeNullable(const DataTypePtr& t) {
    if (t->id == TypeId::Nullable) return t;
    if (t->id == TypeId::LowCardinality) return makeLowCardinality(makeNullable(t->nested[0]));
    if (!t->canBeInsideNullable())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Nested type " + t->name() + " cannot be inside Nullable type");
    auto d = std::make_shared<DataType>();
    d->id = TypeId::Nullable;
    d->nested = {t};
    return d;
}

DataTypePtr makeArray(const DataTypePtr& t) {
    auto d = std::make_shared<DataType>();
    d->id = TypeId::Array;
    d->nested = {t};
    return d;
}

DataTypePtr makeTuple(DataTypes elems, std::vector<std::string> names) {
    auto d = std::make_shared<DataType>();
    d->id = TypeId::Tuple;
    d->nested = std::move(elems);
    d->element_names = std::move(names);
    return d;
}

DataTypePtr makeMap(const DataTypePtr& k, const DataTypePtr& v) {
    auto d = std::make_shared<DataType>();
    d->id = TypeId::Map;
    d->nested = {k, v};
    return d;
}

DataTypePtr makeLowCardinality(const DataTypePtr& t) {
    if (!t->canBeInsideLowCardinality())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT,
                        "DataTypeLowCardinality is supported only for numbers, strings, Date or DateTime, but got " + t->name());
    auto d = std::make_shared<DataType>();
    d->id = TypeId::LowCardinality;
    d->nested = {t};
    return d;
}

DataTypePtr makeDateTime(std::string tz) {
    if (tz.empty()) return makeType(TypeId::DateTime);
    auto d = std::make_shared<DataType>();
    d->id = TypeId::DateTime;
    d->timezone = std::move(tz);
    return d;
}

DataTypePtr makeDateTime64(uint32_t scale, std::string tz) {
    if (scale > 9) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Scale " + std::to_string(scale) + " is out of bounds (max scale: 9)");
    auto d = std::make_shared<DataType>();
    d->id = TypeId::DateTime64;
    d->scale = scale;
    d->precision = 18;
    d->timezone = std::move(tz);
    return d;
}

DataTypePtr makeDecimal(uint32_t precision, uint32_t scale) {
    if (precision < 1 || precision > 76)
        throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Precision " + std::to_string(precision) + " is out of bounds (precision range: [1, 76])");
    if (scale > precision)
        throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Scale " + std::to_string(scale) + " is out of bounds (max scale: " + std::to_string(precision) + ")");
    auto d = std::make_shared<DataType>();
    d->id = precision <= 9 ? TypeId::Decimal32 : precision <= 18 ? TypeId::Decimal64 : precision <= 38 ? TypeId::Decimal128 : TypeId::Decimal256;
    d->precision = precision;
    d->scale = scale;
    return d;
}

DataTypePtr makeFixedString(uint32_t n) {
    if (n == 0 || n > (1u << 30)) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "FixedString size is too large or zero");
    auto d = std::make_shared<DataType>();
    d->id = TypeId::FixedString;
    d->n = n;
    return d;
}

DataTypePtr makeInterval(IntervalKind k) {
    auto d = std::make_shared<DataType>();
    d->id = TypeId::Interval;
    d->interval_kind = k;
    return d;
}

DataTypePtr removeNullable(const DataTypePtr& t) { return t->id == TypeId::Nullable ? t->nested[0] : t; }
DataTypePtr removeLowCardinality(const DataTypePtr& t) { return t->id == TypeId::LowCardinality ? t->nested[0] : t; }

bool containsLowCardinality(const DataType& t) {
    if (t.id == TypeId::LowCardinality) return true;
    for (auto& n : t.nested)
        if (containsLowCardinality(*n)) return true;
    return false;
}

DataTypePtr recursiveRemoveLowCardinality(const DataTypePtr& t) {
    if (!containsLowCardinality(*t)) return t;
    switch (t->id) {
        case TypeId::LowCardinality: return t->nested[0];
        case TypeId::Array: return makeArray(recursiveRemoveLowCardinality(t->nested[0]));
        case TypeId::Map: return makeMap(recursiveRemoveLowCardinality(t->nested[0]), recursiveRemoveLowCardinality(t->nested[1]));
        case TypeId::Tuple: {
            DataTypes elems;
            for (auto& e : t->nested) elems.push_back(recursiveRemoveLowCardinality(e));
            return makeTuple(std::move(elems), t->element_names);
        }
        default: return t;
    }
}

void checkSuspiciousLowCardinality(const DataType& t) {
    if (t.id == TypeId::LowCardinality) {
        const DataType& d = *removeNullable(t.nested[0]);
        if (!d.isStringOrFixed() && d.id != TypeId::UUID)
            throw Exception(ErrorCodes::SUSPICIOUS_TYPE_FOR_LOW_CARDINALITY,
                            "Creating columns of type " + t.name() + " is prohibited by default due to expected negative impact on "
                            "performance. It can be enabled with the `allow_suspicious_low_cardinality_types` setting");
    }
    for (auto& n : t.nested) checkSuspiciousLowCardinality(*n);
}

// ---------------------------------------------------------------- type-name parser
namespace {
struct TypeParser {
    std::string_view s;
    size_t pos = 0;
    int depth = 0;

    [[noreturn]] void fail(const std::string& what) {
        throw Exception(ErrorCodes::SYNTAX_ERROR, "Syntax error in type name '" + std::string(s) + "' at position " +
                                                      std::to_string(pos + 1) + ": " + what);
    }
    void ws() { while (pos < s.size() && isspace((unsigned char)s[pos])) ++pos; }
    bool eat(char c) { ws(); if (pos < s.size() && s[pos] == c) { ++pos; return true; } return false; }
    void expect(char c) { if (!eat(c)) fail(std::string("expected '") + c + "'"); }
    std::string ident() {
        ws();
        if (pos < s.size() && s[pos] == '`') {
            size_t e = s.find('`', pos + 1);
            if (e == std::string_view::npos) fail("unterminated identifier");
            std::string r(s.substr(pos + 1, e - pos - 1));
            pos = e + 1;
            return r;
        }
        size_t b = pos;
        while (pos < s.size() && (isalnum((unsigned char)s[pos]) || s[pos] == '_')) ++pos;
        return std::string(s.substr(b, pos - b));
    }
    uint64_t number() {
        ws();
        size_t b = pos;
        while (pos < s.size() && isdigit((unsigned char)s[pos])) ++pos;
        if (b == pos) fail("expected number");
        if (pos - b > 18) fail("number too large");
        return std::stoull(std::string(s.substr(b, pos - b)));
    }
    int64_t signedNumber() { bool neg = eat('-'); int64_t v = int64_t(number()); return neg ? -v : v; }
    std::string str() {
        ws();
        if (pos >= s.size() || s[pos] != '\'') fail("expected string literal");
        ++pos;
        std::string r;
        while (pos < s.size() && s[pos] != '\'') {
            if (s[pos] == '\\' && pos + 1 < s.size()) ++pos;
            r += s[pos++];
        }
        if (pos >= s.size()) fail("unterminated string");
        ++pos;
        return r;
    }

    // A parameter of an aggregate function: a number or a string.
    Field literal() {
        ws();
        if (pos < s.size() && s[pos] == '\'') return Field(str());
        size_t b = pos;
        if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) ++pos;
        bool is_float = false;
        while (pos < s.size() && (isalnum((unsigned char)s[pos]) || s[pos] == '.' ||
                                  ((s[pos] == '-' || s[pos] == '+') && (s[pos - 1] == 'e' || s[pos - 1] == 'E')))) {
            if (s[pos] == '.' || s[pos] == 'e' || s[pos] == 'E') is_float = true;
            ++pos;
        }
        std::string t(s.substr(b, pos - b));
        if (t.empty()) fail("expected a parameter");
        try {
            if (is_float) return Field(std::stod(t));
            if (t[0] == '-') return Field(int64_t(std::stoll(t)));
            return Field(uint64_t(std::stoull(t)));
        } catch (const std::exception&) {
            fail("bad parameter " + t);
        }
        return Field();
    }

    DataTypePtr parse() {
        if (++depth > 100) throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "Type name nesting is too deep");
        std::string name = ident();
        if (name.empty()) fail("expected type name");
        DataTypePtr r = build(name);
        --depth;
        return r;
    }

    DataTypePtr build(const std::string& name) {
        std::string lname = toLower(name);
        static const std::pair<const char*, TypeId> simple[] = {
            {"uint8", TypeId::UInt8}, {"uint16", TypeId::UInt16}, {"uint32", TypeId::UInt32}, {"uint64", TypeId::UInt64},
            {"uint128", TypeId::UInt128}, {"uint256", TypeId::UInt256}, {"int8", TypeId::Int8}, {"int16", TypeId::Int16},
            {"int32", TypeId::Int32}, {"int64", TypeId::Int64}, {"int128", TypeId::Int128}, {"int256", TypeId::Int256},
            {"float32", TypeId::Float32}, {"float64", TypeId::Float64}, {"bool", TypeId::Bool}, {"boolean", TypeId::Bool},
            {"string", TypeId::String}, {"date", TypeId::Date}, {"date32", TypeId::Date32}, {"uuid", TypeId::UUID},
            {"ipv4", TypeId::IPv4}, {"ipv6", TypeId::IPv6}, {"nothing", TypeId::Nothing},
            // SQL-standard aliases ClickHouse accepts (case-insensitive)
            {"tinyint", TypeId::Int8}, {"smallint", TypeId::Int16}, {"int", TypeId::Int32}, {"integer", TypeId::Int32},
            {"bigint", TypeId::Int64}, {"float", TypeId::Float32}, {"real", TypeId::Float32}, {"double", TypeId::Float64},
            {"text", TypeId::String}, {"varchar", TypeId::String}, {"char", TypeId::String}, {"blob", TypeId::String},
            {"byte", TypeId::Int8}, {"int1", TypeId::Int8}, {"int2", TypeId::Int16}, {"int4", TypeId::Int32},
        };
        // Exact-case names are ClickHouse's canonical spellings; the SQL aliases are case-insensitive.
        for (auto& [n, id] : simple) {
            if (std::string_view(n) == lname) {
                if ((id == TypeId::String || lname == "varchar" || lname == "char") && eat('(')) { number(); expect(')'); }
                return makeType(id);
            }
        }
        if (name == "Nullable") {
            expect('(');
            auto t = parse();
            expect(')');
            // makeNullable turns LowCardinality(T) into LowCardinality(Nullable(T)); the spelled type is an error.
            if (t->id == TypeId::LowCardinality)
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Nested type " + t->name() + " cannot be inside Nullable type");
            return makeNullable(t);
        }
        if (name == "LowCardinality") { expect('('); auto t = parse(); expect(')'); return makeLowCardinality(t); }
        if (name == "Array") { expect('('); auto t = parse(); expect(')'); return makeArray(t); }
        if (name == "Map") { expect('('); auto k = parse(); expect(','); auto v = parse(); expect(')'); return makeMap(k, v); }
        if (name == "FixedString") { expect('('); auto n = number(); expect(')'); return makeFixedString(uint32_t(n)); }
        if (name == "DateTime") {
            if (eat('(')) { auto tz = str(); expect(')'); return makeDateTime(tz); }
            return makeType(TypeId::DateTime);
        }
        if (name == "DateTime64") {
            expect('(');
            auto sc = number();
            std::string tz;
            if (eat(',')) tz = str();
            expect(')');
            return makeDateTime64(uint32_t(sc), tz);
        }
        if (lname == "decimal" || lname == "numeric") {
            uint64_t p = 10, sc = 0;
            if (eat('(')) { p = number(); if (eat(',')) sc = number(); expect(')'); }
            return makeDecimal(uint32_t(p), uint32_t(sc));
        }
        if (name == "Decimal32" || name == "Decimal64" || name == "Decimal128" || name == "Decimal256") {
            expect('(');
            auto sc = number();
            expect(')');
            uint32_t p = name == "Decimal32" ? 9 : name == "Decimal64" ? 18 : name == "Decimal128" ? 38 : 76;
            return makeDecimal(p, uint32_t(sc));
        }
        if (name == "Enum8" || name == "Enum16" || name == "Enum") {
            expect('(');
            auto d = std::make_shared<DataType>();
            int64_t next = 1;
            int64_t maxv = 0, minv = 0;
            do {
                std::string k = str();
                int64_t v = next;
                if (eat('=')) v = signedNumber();
                next = v + 1;
                maxv = std::max(maxv, v);
                minv = std::min(minv, v);
                d->enum_values.emplace_back(k, int16_t(v));
            } while (eat(','));
            expect(')');
            bool small = minv >= -128 && maxv <= 127;
            if (name == "Enum8" && !small) fail("Enum8 value out of range");
            d->id = (name == "Enum16" || !small) ? TypeId::Enum16 : TypeId::Enum8;
            // ClickHouse keeps enum elements ordered by value (that is how the type name prints).
            std::stable_sort(d->enum_values.begin(), d->enum_values.end(), [](auto& x, auto& y) { return x.second < y.second; });
            return d;
        }
        if (name == "Tuple") {
            expect('(');
            DataTypes elems;
            std::vector<std::string> names;
            if (!eat(')')) {
                do {
                    // `name Type` or `Type`: look ahead for an identifier followed by another identifier.
                    size_t save = pos;
                    std::string first = ident();
                    ws();
                    if (!first.empty() && pos < s.size() && (isalpha((unsigned char)s[pos]) || s[pos] == '`')) {
                        names.push_back(first);
                    } else {
                        pos = save;
                        names.emplace_back();
                    }
                    elems.push_back(parse());
                } while (eat(','));
                expect(')');
            }
            bool any_named = std::any_of(names.begin(), names.end(), [](auto& n) { return !n.empty(); });
            if (any_named && std::any_of(names.begin(), names.end(), [](auto& n) { return n.empty(); }))
                fail("either all or none of tuple elements must be named");
            return makeTuple(std::move(elems), any_named ? names : std::vector<std::string>{});
        }
        if (name == "AggregateFunction") {
            expect('(');
            ws();
            // AggregateFunction([version, ]f, T...): the state format version is part of the type (kept in
            // every part's columns.txt), so a later format change still knows how old parts were
            // written. Versions this build cannot read are refused instead of misread.
            uint64_t version = 0;
            if (pos < s.size() && isdigit((unsigned char)s[pos])) { version = number(); expect(','); }
            if (version > kMaxAggregateStateVersion)
                throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Aggregate function state format version " + std::to_string(version) +
                                                                 " is not supported (this build reads versions up to " +
                                                                 std::to_string(kMaxAggregateStateVersion) + ")");
            std::string fname = ident();
            if (fname.empty()) fail("expected aggregate function name");
            std::vector<Field> params;
            std::string printed = fname;
            if (eat('(')) {
                printed += "(";
                if (!eat(')')) {
                    do {
                        params.push_back(literal());
                        printed += (params.size() > 1 ? ", " : "") + params.back().toSQL();
                    } while (eat(','));
                    expect(')');
                }
                printed += ")";
            }
            DataTypes args;
            while (eat(',')) args.push_back(parse());
            expect(')');
            auto f = AggregateFunctionFactory::instance().get(fname, args, params);
            auto t = std::const_pointer_cast<DataType>(makeAggregateFunctionType(f, printed, args));
            t->precision = uint32_t(version);
            return t;
        }
        if (name == "SimpleAggregateFunction") {
            expect('(');
            std::string fname = ident();
            if (fname.empty()) fail("expected aggregate function name");
            expect(',');
            auto t = parse();
            expect(')');
            return makeSimpleAggregateFunctionType(fname, t);
        }
        if (startsWith(name, "Interval")) {
            std::string unit = name.substr(8);
            for (int k = 0; k <= int(IntervalKind::Year); ++k)
                if (unit == intervalKindName(IntervalKind(k))) return makeInterval(IntervalKind(k));
        }
        throw Exception(ErrorCodes::UNKNOWN_TYPE, "Unknown data type family: " + name);
    }
};
}  // namespace

DataTypePtr makeAggregateFunctionType(std::shared_ptr<const IAggregateFunction> f, std::string function, DataTypes args) {
    auto d = std::make_shared<DataType>();
    d->id = TypeId::AggregateFunction;
    d->function = std::move(function);
    d->nested = std::move(args);
    d->aggregate_function = std::move(f);
    return d;
}

DataTypePtr makeSimpleAggregateFunctionType(const std::string& function, const DataTypePtr& t) {
    auto f = AggregateFunctionFactory::instance().get(function, {t}, {});
    DataTypePtr plain = removeSimpleAggregate(t);
    if (!removeSimpleAggregate(f->resultType())->equals(*plain))
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incompatible data types between aggregate function '" + function + "' which returns " +
                                                       f->resultType()->name() + " and column storage type " + plain->name());
    auto d = std::make_shared<DataType>(*plain);
    d->simple_function = function;
    d->aggregate_function = std::move(f);
    return d;
}

DataTypePtr removeSimpleAggregate(const DataTypePtr& t) {
    if (!t->isSimpleAggregate()) return t;
    auto d = std::make_shared<DataType>(*t);
    d->simple_function.clear();
    d->aggregate_function.reset();
    return d;
}

DataTypePtr parseDataType(std::string_view text) {
    TypeParser p{text};
    auto t = p.parse();
    p.ws();
    if (p.pos != text.size()) p.fail("unexpected trailing characters");
    return t;
}

// ---------------------------------------------------------------- least supertype
namespace {
int intBits(TypeId id) {
    switch (id) {
        case TypeId::UInt8: case TypeId::Int8: case TypeId::Bool: return 8;
        case TypeId::UInt16: case TypeId::Int16: return 16;
        case TypeId::UInt32: case TypeId::Int32: return 32;
        case TypeId::UInt64: case TypeId::Int64: return 64;
        case TypeId::UInt128: case TypeId::Int128: return 128;
        case TypeId::UInt256: case TypeId::Int256: return 256;
        default: return 0;
    }
}
TypeId intOf(bool is_signed, int bits) {
    switch (bits) {
        case 8: return is_signed ? TypeId::Int8 : TypeId::UInt8;
        case 16: return is_signed ? TypeId::Int16 : TypeId::UInt16;
        case 32: return is_signed ? TypeId::Int32 : TypeId::UInt32;
        case 64: return is_signed ? TypeId::Int64 : TypeId::UInt64;
        case 128: return is_signed ? TypeId::Int128 : TypeId::UInt128;
        default: return is_signed ? TypeId::Int256 : TypeId::UInt256;
    }
}
[[noreturn]] void noCommon(const DataTypes& types) {
    std::string s;
    for (size_t i = 0; i < types.size(); ++i) { if (i) s += ", "; s += types[i]->name(); }
    throw Exception(ErrorCodes::NO_COMMON_TYPE, "There is no supertype for types " + s + " because some of them are not comparable");
}
}  // namespace

DataTypePtr getLeastSupertype(const DataTypes& input) {
    if (input.empty()) return makeType(TypeId::Nothing);
    // Drop Nothing; remember Nullable.
    bool have_nullable = false;
    DataTypes types;
    for (auto& t : input) {
        if (t->id == TypeId::Nullable) {
            have_nullable = true;
            if (t->nested[0]->id != TypeId::Nothing) types.push_back(t->nested[0]);
        } else if (t->id != TypeId::Nothing) types.push_back(t);
    }
    auto wrap = [&](DataTypePtr t) { return have_nullable ? makeNullable(t) : t; };
    if (types.empty()) return have_nullable ? makeNullable(makeType(TypeId::Nothing)) : makeType(TypeId::Nothing);
    bool all_same = std::all_of(types.begin(), types.end(), [&](auto& t) { return t->equals(*types[0]); });
    if (all_same) return wrap(types[0]);

    auto all = [&](auto pred) { return std::all_of(types.begin(), types.end(), pred); };
    if (all([](auto& t) { return t->id == TypeId::Array; })) {
        DataTypes nested;
        for (auto& t : types) nested.push_back(t->nested[0]);
        return wrap(makeArray(getLeastSupertype(nested)));
    }
    if (all([](auto& t) { return t->id == TypeId::Tuple; })) {
        size_t n = types[0]->nested.size();
        if (!all([&](auto& t) { return t->nested.size() == n; })) noCommon(input);
        DataTypes elems;
        for (size_t i = 0; i < n; ++i) {
            DataTypes col;
            for (auto& t : types) col.push_back(t->nested[i]);
            elems.push_back(getLeastSupertype(col));
        }
        return wrap(makeTuple(elems, types[0]->element_names));
    }
    if (all([](auto& t) { return t->id == TypeId::Map; })) {
        DataTypes ks, vs;
        for (auto& t : types) { ks.push_back(t->nested[0]); vs.push_back(t->nested[1]); }
        return wrap(makeMap(getLeastSupertype(ks), getLeastSupertype(vs)));
    }
    // LowCardinality: all LowCardinality -> LowCardinality(supertype of the dictionaries); mixed with
    // ordinary types -> the plain supertype (ClickHouse: "LowCardinality with high cardinality gives
    // high cardinality").
    if (std::any_of(types.begin(), types.end(), [](auto& t) { return t->id == TypeId::LowCardinality; })) {
        bool all_lc = true;
        DataTypes dicts;
        for (auto& t : types) {
            if (t->id == TypeId::LowCardinality) dicts.push_back(t->nested[0]);
            else { all_lc = false; dicts.push_back(t); }
        }
        DataTypePtr r = getLeastSupertype(dicts);
        return wrap(all_lc && r->canBeInsideLowCardinality() ? makeLowCardinality(r) : r);
    }
    if (all([](auto& t) { return t->isStringOrFixed(); })) return wrap(makeType(TypeId::String));
    if (all([](auto& t) { return t->id == TypeId::Date || t->id == TypeId::Date32 || t->id == TypeId::DateTime || t->id == TypeId::DateTime64; })) {
        bool has64 = false; uint32_t sc = 0; bool has_dt = false, has32 = false;
        for (auto& t : types) {
            if (t->id == TypeId::DateTime64) { has64 = true; sc = std::max(sc, t->scale); }
            if (t->id == TypeId::DateTime) has_dt = true;
            if (t->id == TypeId::Date32) has32 = true;
        }
        if (has64) return wrap(makeDateTime64(sc));
        if (has_dt) return wrap(makeType(TypeId::DateTime));
        if (has32) return wrap(makeType(TypeId::Date32));
        return wrap(makeType(TypeId::Date));
    }
    if (all([](auto& t) { return t->isDecimal() || t->isInteger() || t->id == TypeId::Bool; }) &&
        std::any_of(types.begin(), types.end(), [](auto& t) { return t->isDecimal(); })) {
        uint32_t int_digits = 0, sc = 0;
        for (auto& t : types) {
            if (t->isDecimal()) { int_digits = std::max(int_digits, t->precision - t->scale); sc = std::max(sc, t->scale); }
            else { int bits = intBits(t->id); int_digits = std::max<uint32_t>(int_digits, bits <= 8 ? 3 : bits <= 16 ? 5 : bits <= 32 ? 10 : bits <= 64 ? 20 : 39); }
        }
        return wrap(makeDecimal(std::min<uint32_t>(76, int_digits + sc), sc));
    }
    if (all([](auto& t) { return t->isNumber() || t->id == TypeId::Bool; })) {
        bool has_float = false, has_signed = false;
        int max_unsigned = 0, max_signed = 0, max_float = 0;
        for (auto& t : types) {
            if (t->isFloat()) { has_float = true; max_float = std::max(max_float, t->id == TypeId::Float32 ? 32 : 64); }
            else if (t->isSignedInteger()) { has_signed = true; max_signed = std::max(max_signed, intBits(t->id)); }
            else max_unsigned = std::max(max_unsigned, intBits(t->id));
        }
        if (has_float) {
            int need = max_float;
            int int_bits = std::max(max_signed, max_unsigned);
            if (int_bits >= 32) need = 64;
            else if (int_bits >= 16) need = std::max(need, 32);
            if (int_bits > 64) noCommon(input);
            return wrap(makeType(need == 32 ? TypeId::Float32 : TypeId::Float64));
        }
        if (has_signed) {
            int bits = max_signed;
            if (max_unsigned >= bits) bits = max_unsigned * 2;
            if (bits > 256) noCommon(input);
            if (max_unsigned == 64 && bits > 64) noCommon(input);  // ClickHouse: Int64 + UInt64 has no supertype
            return wrap(makeType(intOf(true, bits)));
        }
        return wrap(makeType(intOf(false, max_unsigned)));
    }
    if (all([](auto& t) { return t->isEnum() || t->isString(); })) return wrap(makeType(TypeId::String));
    noCommon(input);
}

}  // namespace basalt
