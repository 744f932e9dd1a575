// codec_parse.cpp — CODEC(...) specifications: parsing the codec list, building each codec for the
// column's type with ClickHouse's argument and type checks, and ClickHouse's chain sanity checks
// (the ones `allow_suspicious_codecs` disables). Error codes and messages follow ClickHouse 26.x
// (checked against it statement by statement); see parseCodecSpec in codec.h for the summary.
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "common/exception.h"
#include "compression/codec.h"
#include "compression/codec_internal.h"
#include "types/data_type.h"

namespace basalt {

using namespace compression_detail;

namespace {

// ---------------------------------------------------------------------------------------------
// The codec list: name [ '(' arg, ... ')' ] separated by commas. ClickHouse's codec factories only
// look at literal arguments, so an argument is classified as a literal of some type or as "some other
// expression" (whose text is kept for messages).

enum class ArgKind { UInt, Int, Float, String, Null, Expression };

struct Arg {
    ArgKind kind = ArgKind::Expression;
    uint64_t u = 0;    // UInt
    int64_t i = 0;     // Int (negative integers)
    std::string s;     // String value; otherwise the argument's text
};

struct CodecCall {
    std::string name;
    std::vector<Arg> args;   // `Delta()` and `Delta` both have none
};

class SpecParser {
public:
    explicit SpecParser(std::string_view text) : t_(text) {}

    std::vector<CodecCall> parse() {
        std::vector<CodecCall> calls;
        skipSpace();
        while (true) {
            calls.push_back(parseCall());
            skipSpace();
            if (pos_ == t_.size()) break;
            if (t_[pos_] != ',') fail("expected ',' or end of codec list");
            ++pos_;
            skipSpace();
        }
        return calls;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Exception(ErrorCodes::SYNTAX_ERROR, "Syntax error: failed at position " + std::to_string(pos_ + 1) +
                                                      " in codec specification '" + std::string(t_) + "': " + what);
    }
    void skipSpace() {
        while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\n' || t_[pos_] == '\r')) ++pos_;
    }
    static bool identStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
    static bool identChar(char c) { return identStart(c) || (c >= '0' && c <= '9'); }

    std::string parseIdentifier() {
        if (pos_ < t_.size() && (t_[pos_] == '`' || t_[pos_] == '"')) {
            char q = t_[pos_];
            size_t end = t_.find(q, pos_ + 1);
            if (end == std::string_view::npos) fail("unterminated quoted identifier");
            std::string name(t_.substr(pos_ + 1, end - pos_ - 1));
            pos_ = end + 1;
            return name;
        }
        if (pos_ >= t_.size() || !identStart(t_[pos_])) fail("expected codec name");
        size_t start = pos_;
        while (pos_ < t_.size() && identChar(t_[pos_])) ++pos_;
        return std::string(t_.substr(start, pos_ - start));
    }

    CodecCall parseCall() {
        CodecCall call;
        call.name = parseIdentifier();
        skipSpace();
        if (pos_ < t_.size() && t_[pos_] == '(') {
            ++pos_;
            skipSpace();
            if (pos_ < t_.size() && t_[pos_] == ')') {
                ++pos_;
                return call;
            }
            while (true) {
                call.args.push_back(parseArg());
                skipSpace();
                if (pos_ >= t_.size()) fail("expected ')'");
                if (t_[pos_] == ')') {
                    ++pos_;
                    break;
                }
                if (t_[pos_] != ',') fail("expected ',' or ')'");
                ++pos_;
                skipSpace();
            }
        }
        return call;
    }

    // Skips one string literal starting at pos_ ('...' with \ escapes and doubled quotes); returns its value.
    std::string skipString() {
        std::string v;
        ++pos_;
        while (true) {
            if (pos_ >= t_.size()) fail("unterminated string literal");
            char c = t_[pos_++];
            if (c == '\\') {
                if (pos_ >= t_.size()) fail("unterminated string literal");
                char e = t_[pos_++];
                switch (e) {
                    case 'n': v += '\n'; break;
                    case 't': v += '\t'; break;
                    case 'r': v += '\r'; break;
                    case '0': v += '\0'; break;
                    default: v += e; break;
                }
            } else if (c == '\'') {
                if (pos_ < t_.size() && t_[pos_] == '\'') {
                    v += '\'';
                    ++pos_;
                } else {
                    return v;
                }
            } else {
                v += c;
            }
        }
    }

    bool atArgEnd() {
        skipSpace();
        return pos_ < t_.size() && (t_[pos_] == ',' || t_[pos_] == ')');
    }

    // Consumes the rest of an argument that is not a plain literal: balanced up to the next top-level
    // ',' or ')'.
    void skipExpression() {
        int depth = 0;
        while (pos_ < t_.size()) {
            char c = t_[pos_];
            if (c == '\'') {
                skipString();
                continue;
            }
            if (c == '(' || c == '[') ++depth;
            if (c == ')' || c == ']') {
                if (depth == 0) return;
                --depth;
            }
            if (c == ',' && depth == 0) return;
            ++pos_;
        }
    }

    Arg parseArg() {
        if (pos_ >= t_.size()) fail("expected an argument");
        Arg a;
        size_t start = pos_;
        auto finishExpression = [&] {
            pos_ = start;
            skipExpression();
            a = Arg{};
            a.kind = ArgKind::Expression;
            a.s = std::string(t_.substr(start, pos_ - start));
            while (!a.s.empty() && a.s.back() == ' ') a.s.pop_back();
            if (a.s.empty()) fail("expected an argument");
            return a;
        };
        if (t_[pos_] == '\'') {
            a.kind = ArgKind::String;
            a.s = skipString();
            return atArgEnd() ? a : finishExpression();
        }
        // Numbers, with ClickHouse's sign folding: -1 is an Int64 literal, +3 a UInt64 one.
        bool negative = false;
        size_t p = pos_;
        if (p < t_.size() && (t_[p] == '-' || t_[p] == '+')) {
            negative = t_[p] == '-';
            ++p;
            while (p < t_.size() && t_[p] == ' ') ++p;
        }
        if (p < t_.size() && t_[p] >= '0' && t_[p] <= '9') {
            size_t num_start = p;
            bool is_float = false;
            int base = 10;
            if (t_[p] == '0' && p + 1 < t_.size() && (t_[p + 1] == 'x' || t_[p + 1] == 'X')) {
                base = 16;
                p += 2;
                num_start = p;
                while (p < t_.size() && std::isxdigit((unsigned char)t_[p])) ++p;
            } else {
                while (p < t_.size() && t_[p] >= '0' && t_[p] <= '9') ++p;
                if (p < t_.size() && t_[p] == '.') {
                    is_float = true;
                    ++p;
                    while (p < t_.size() && t_[p] >= '0' && t_[p] <= '9') ++p;
                }
                if (p < t_.size() && (t_[p] == 'e' || t_[p] == 'E')) {
                    is_float = true;
                    ++p;
                    if (p < t_.size() && (t_[p] == '-' || t_[p] == '+')) ++p;
                    while (p < t_.size() && t_[p] >= '0' && t_[p] <= '9') ++p;
                }
            }
            size_t num_end = p;
            pos_ = p;
            if (!atArgEnd()) return finishExpression();
            if (!is_float) {
                uint64_t v = 0;
                auto r = std::from_chars(t_.data() + num_start, t_.data() + num_end, v, base);
                if (r.ec == std::errc() && r.ptr == t_.data() + num_end) {
                    if (!negative || v == 0) {
                        a.kind = ArgKind::UInt;
                        a.u = v;
                        return a;
                    }
                    if (v <= uint64_t(INT64_MAX) + 1) {
                        a.kind = ArgKind::Int;
                        a.i = int64_t(0 - v);
                        return a;
                    }
                }
            }
            a.kind = ArgKind::Float;   // fractions, exponents and integers too large for 64 bits
            a.s = std::string(t_.substr(start, pos_ - start));
            return a;
        }
        if (t_.size() - pos_ >= 4) {
            std::string word(t_.substr(pos_, 4));
            for (auto& c : word) c = char(std::toupper((unsigned char)c));
            if (word == "NULL" && (pos_ + 4 == t_.size() || !identChar(t_[pos_ + 4]))) {
                pos_ += 4;
                if (atArgEnd()) {
                    a.kind = ArgKind::Null;
                    return a;
                }
            }
        }
        return finishExpression();
    }

    std::string_view t_;
    size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Argument access with ClickHouse's errors.

const char* fieldTypeName(ArgKind k) {
    switch (k) {
        case ArgKind::UInt: return "UInt64";
        case ArgKind::Int: return "Int64";
        case ArgKind::Float: return "Float64";
        case ArgKind::String: return "String";
        case ArgKind::Null: return "Null";
        case ArgKind::Expression: break;
    }
    return "Expression";
}

bool isLiteral(const Arg& a) { return a.kind != ArgKind::Expression; }

// Field::safeGet<UInt64>: UInt64 and Int64 literals convert (ZSTD(-1) is accepted), others are BAD_GET.
uint64_t getUInt64(const Arg& a) {
    if (a.kind == ArgKind::UInt) return a.u;
    if (a.kind == ArgKind::Int) return uint64_t(a.i);
    throw Exception(ErrorCodes::BAD_GET, std::string("Bad get: has ") + fieldTypeName(a.kind) + ", requested UInt64");
}

const std::string& getString(const Arg& a) {
    if (a.kind == ArgKind::String) return a.s;
    throw Exception(ErrorCodes::BAD_GET, std::string("Bad get: has ") + fieldTypeName(a.kind) + ", requested String");
}

// Delta/DoubleDelta/Gorilla's single "unsigned integer" width argument.
uint8_t widthArgument(const CodecCall& c, const char* value_message_prefix) {
    if (c.args.size() > 1)
        throw Exception(ErrorCodes::ILLEGAL_SYNTAX_FOR_CODEC_TYPE,
                        c.name + " codec must have 1 parameter, given " + std::to_string(c.args.size()));
    const Arg& a = c.args[0];
    if (a.kind != ArgKind::UInt)
        throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, c.name + " codec argument must be unsigned integer");
    if (a.u != 1 && a.u != 2 && a.u != 4 && a.u != 8)
        throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER,
                        std::string(value_message_prefix) + " can be 1, 2, 4 or 8, given " + std::to_string(a.u));
    return uint8_t(a.u);
}

// ---------------------------------------------------------------------------------------------
// Type properties the codecs check (ClickHouse's IDataType predicates).

// isValueUnambiguouslyRepresentedInFixedSizeContiguousMemoryRegion + getSizeOfValueInMemory.
size_t fixedValueSize(const DataType& t) {
    if (t.id == TypeId::FixedString) return t.n;
    return t.valueSize();   // 0 for String, Nullable, Array, Tuple, Map, LowCardinality, Nothing
}

// isValueRepresentedByNumber: integers, floats, Bool, dates and times, enums, decimals, IPv4.
bool representedByNumber(const DataType& t) {
    if (t.isNumber() || t.isDecimal() || t.isDateOrDateTime() || t.isEnum()) return true;
    return t.id == TypeId::Bool || t.id == TypeId::IPv4 || t.id == TypeId::Interval;
}

uint8_t widthFromType(const DataType& t, const char* codec, bool numeric_only) {
    if (numeric_only && !representedByNumber(t))
        throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string("Codec ") + codec + " is not applicable for " + t.name() +
                                                       " because the data type is not numeric");
    size_t size = fixedValueSize(t);
    if (size == 0)
        throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string("Codec ") + codec + " is not applicable for " + t.name() +
                                                       " because the data type is not of fixed size");
    if (size != 1 && size != 2 && size != 4 && size != 8)
        throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string("Codec ") + codec +
                                                       " is only applicable for data types of size 1, 2, 4, 8 bytes. Given type " + t.name());
    return uint8_t(size);
}

bool innerTypeIsFloat(const DataType& t) {
    if (t.isFloat()) return true;
    if (t.id == TypeId::Nullable || t.id == TypeId::Array) return innerTypeIsFloat(*t.nested[0]);
    if (t.id == TypeId::Tuple) {
        for (const auto& e : t.nested)
            if (innerTypeIsFloat(*e)) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// One codec of the list, for one substream type (null: unknown).

CodecPtr buildCodec(const CodecCall& c, const DataType* type) {
    const std::string& name = c.name;
    const auto& args = c.args;
    if (name == "NONE" || name == "LZ4") {
        if (!args.empty())
            throw Exception(ErrorCodes::DATA_TYPE_CANNOT_HAVE_ARGUMENTS, "Compression codec " + name + " cannot have arguments");
        return name == "NONE" ? makeNoneCodec() : makeLZ4Codec();
    }
    if (name == "Default") {
        if (!args.empty())
            throw Exception(ErrorCodes::BAD_ARGUMENTS,
                            "Default codec cannot have any arguments, it's just an alias for codec specified in config.xml");
        return makeDefaultAliasCodec();
    }
    if (name == "LZ4HC") {
        int level = 0;
        if (!args.empty()) {
            if (args.size() > 1)
                throw Exception(ErrorCodes::ILLEGAL_SYNTAX_FOR_CODEC_TYPE,
                                "LZ4HC codec must have 1 parameter, given " + std::to_string(args.size()));
            if (!isLiteral(args[0])) throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, "LZ4HC codec argument must be integer");
            level = int(getUInt64(args[0]));   // ClickHouse keeps the UInt64's low bits as an int
        }
        return makeLZ4HCCodec(level);
    }
    if (name == "ZSTD") {
        int level = 1;
        if (args.empty()) return makeZSTDCodec(level, 0);
        if (args.size() > 2)
            throw Exception(ErrorCodes::ILLEGAL_SYNTAX_FOR_CODEC_TYPE,
                            "ZSTD codec must have 1 or 2 parameters, given " + std::to_string(args.size()));
        if (!isLiteral(args[0])) throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, "ZSTD codec argument must be integer");
        level = int(getUInt64(args[0]));
        if (level > 22)
            throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER,
                            "ZSTD codec can't have level more than 22, given " + std::to_string(level));
        if (args.size() == 1) return makeZSTDCodec(level, 0);
        if (!isLiteral(args[1])) throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, "ZSTD codec second argument must be integer");
        int window_log = int(getUInt64(args[1]));
        if (window_log != 0 && (window_log > 31 || window_log < 10))
            throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER,
                            "ZSTD codec can't have window log more than 31 and lower than 10, given " + std::to_string(window_log));
        // Long-range mode even for window_log 0 (zstd's default window); it then prints as ZSTD(level, 0).
        return makeZSTDLongRangeCodec(level, window_log);
    }
    if (name == "Delta") {
        // An explicit width is taken as is, even for types it does not fit (as ClickHouse does).
        if (!args.empty()) return makeDeltaCodec(widthArgument(c, "Delta value for delta codec"));
        return makeDeltaCodec(type ? widthFromType(*type, "Delta", false) : 1);
    }
    if (name == "DoubleDelta") {
        // The column type decides the width when there is one; the argument only without a type.
        uint8_t width = args.empty() ? 1 : widthArgument(c, "Argument value for DoubleDelta codec");
        if (type) width = widthFromType(*type, "DoubleDelta", true);
        return makeDoubleDeltaCodec(width);
    }
    if (name == "Gorilla") {
        if (!args.empty()) return makeGorillaCodec(widthArgument(c, "Argument value for Gorilla codec"));
        return makeGorillaCodec(type ? widthFromType(*type, "Gorilla", false) : 1);
    }
    if (name == "T64") {
        T64Variant variant = T64Variant::Byte;
        if (!args.empty()) {
            if (args.size() > 1)
                throw Exception(ErrorCodes::ILLEGAL_SYNTAX_FOR_CODEC_TYPE,
                                "T64 support zero or one parameter, given " + std::to_string(args.size()));
            if (!isLiteral(args[0]))
                throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, "Wrong modification for T64. Expected: 'bit', 'byte')");
            const std::string& v = getString(args[0]);
            if (v == "bit")
                variant = T64Variant::Bit;
            else if (v != "byte")
                throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, "Wrong modification for T64: " + v);
        }
        return type ? makeT64Codec(*type, variant) : makeT64CodecWithoutType(variant);
    }
    if (name == "Multiple") throw Exception(ErrorCodes::UNKNOWN_CODEC, "Codec Multiple cannot be specified directly");
    for (const char* known : {"FPC", "GCD", "AES_128_GCM_SIV", "AES_256_GCM_SIV", "DEFLATE_QPL", "ZSTD_QAT"})
        if (name == known) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Codec " + name + " is not supported");
    throw Exception(ErrorCodes::UNKNOWN_CODEC, "Unknown codec family: " + name);
}

std::string callText(const CodecCall& c) {
    if (c.args.empty()) return c.name;
    std::string s = c.name + "(";
    for (size_t i = 0; i < c.args.size(); ++i) {
        if (i) s += ", ";
        const Arg& a = c.args[i];
        switch (a.kind) {
            case ArgKind::UInt: s += std::to_string(a.u); break;
            case ArgKind::Int: s += std::to_string(a.i); break;
            case ArgKind::String: s += "'" + a.s + "'"; break;
            case ArgKind::Null: s += "NULL"; break;
            default: s += a.s; break;
        }
    }
    return s + ")";
}

struct ParsedSpec {
    CodecPtr codec;            // built for the first data substream
    std::string description;   // ClickHouse's normalized list, without CODEC(...)
};

ParsedSpec parseAndValidate(std::string_view spec, const DataType* column_type, bool sanity_check) {
    std::vector<CodecCall> calls = SpecParser(spec).parse();
    std::vector<const DataType*> leaves;
    if (column_type) leaves = codecSubstreamTypes(*column_type);
    if (leaves.empty()) leaves.push_back(nullptr);

    std::vector<CodecPtr> codecs;
    std::vector<std::string> descriptions;
    bool with_compression = false, with_none = false;
    std::optional<size_t> first_generic, first_delta, last_fp;
    for (size_t i = 0; i < calls.size(); ++i) {
        CodecPtr first;
        bool same = true;
        for (const DataType* leaf : leaves) {
            CodecPtr c = buildCodec(calls[i], leaf);
            if (!first)
                first = c;
            else if (c->description() != first->description())
                same = false;
        }
        codecs.push_back(first);
        // Substreams needing different arguments (Tuple(UInt32, UInt64) with Delta): keep the text.
        descriptions.push_back(same ? first->description() : callText(calls[i]));
        with_compression |= first->isCompression();
        with_none |= first->isNone();
        if (first->isGenericCompression() && !first_generic) first_generic = i;
        if (first->isDeltaCompression() && !first_delta) first_delta = i;
        if (first->isFloatingPointTimeSeries()) last_fp = i;
    }
    std::string desc;
    for (const auto& d : descriptions) desc += (desc.empty() ? "" : ", ") + d;

    if (sanity_check) {
        const std::string note = "(Note: you can enable setting 'allow_suspicious_codecs' to skip this check).";
        if (calls.size() > 1 && with_none)
            throw Exception(ErrorCodes::BAD_ARGUMENTS,
                            "It does not make sense to have codec NONE along with other compression codecs: " + desc + ". " + note);
        if (!with_compression && !with_none)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Compression codec " + desc +
                                                           " does not compress anything. You may want to add generic compression "
                                                           "algorithm after other transformations, like: " + desc + ", LZ4. " + note);
        if (last_fp && column_type && !innerTypeIsFloat(*column_type))
            throw Exception(ErrorCodes::BAD_ARGUMENTS,
                            "The combination of compression codecs " + desc +
                                " is meaningless, because it does not make sense to apply a floating-point time series codec to "
                                "non-floating-point columns " + note);
        if (first_delta && last_fp && *first_delta < *last_fp)
            throw Exception(ErrorCodes::BAD_ARGUMENTS,
                            "The combination of compression codecs " + desc +
                                " is meaningless, because floating point time series codecs do delta compression implicitly by "
                                "themselves. " + note);
        if (first_generic && *first_generic != calls.size() - 1)
            throw Exception(ErrorCodes::BAD_ARGUMENTS,
                            "The combination of compression codecs " + desc +
                                " is meaningless, because it does not make sense to apply any transformations after generic "
                                "compression algorithm. " + note);
    }
    return {makeMultipleCodec(std::move(codecs)), desc};
}

void collectSubstreamTypes(const DataType& t, std::vector<const DataType*>& out) {
    switch (t.id) {
        case TypeId::Nullable:
        case TypeId::Array:
            collectSubstreamTypes(*t.nested[0], out);
            break;
        case TypeId::LowCardinality:
            out.push_back(t.nested[0].get());   // the dictionary's type, Nullable included
            break;
        case TypeId::Tuple:
        case TypeId::Map:
            for (const auto& e : t.nested) collectSubstreamTypes(*e, out);
            break;
        default:
            out.push_back(&t);
            break;
    }
}

}  // namespace

std::vector<const DataType*> codecSubstreamTypes(const DataType& type) {
    std::vector<const DataType*> out;
    collectSubstreamTypes(type, out);
    return out;
}

CodecPtr parseCodecSpec(std::string_view spec, const DataType* column_type, bool sanity_check) {
    return parseAndValidate(spec, column_type, sanity_check).codec;
}

CodecPtr parseGenericCodecSpec(std::string_view spec) {
    std::vector<CodecPtr> generic;
    for (const CodecCall& call : SpecParser(spec).parse()) {
        CodecPtr c = buildCodec(call, nullptr);
        if (c->isGenericCompression()) generic.push_back(std::move(c));
    }
    return generic.empty() ? makeNoneCodec() : makeMultipleCodec(std::move(generic));
}

std::string normalizeCodecSpec(std::string_view spec, const DataType* column_type, bool sanity_check) {
    return "CODEC(" + parseAndValidate(spec, column_type, sanity_check).description + ")";
}

}  // namespace basalt
