// skip_index.cpp — see skip_index.h.
#include "storage/mergetree/skip_index.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <unordered_set>

#include "analyzer/analyzer.h"
#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "exec/block_ops.h"
#include "interpreter/context.h"
#include "storage/mergetree/key_condition.h"
#include "storage/mergetree/serialization.h"
#include "types/create_column.h"

namespace basalt {

using Kind = SkipIndexDescription::Kind;

std::string SkipIndexDescription::fileName() const { return "skp_idx_" + escapeForFileName(name) + ".idx"; }

std::string SkipIndexDescription::typeName() const {
    switch (kind) {
        case Kind::MinMax: return "minmax";
        case Kind::Set: return "set";
        case Kind::BloomFilter: return "bloom_filter";
        case Kind::NgramBF: return "ngrambf_v1";
        case Kind::TokenBF: return "tokenbf_v1";
    }
    return "";
}

size_t SkipIndexDescription::bloomBitsPerRow() const {
    // Optimal Bloom filter: m/n = -ln(p) / ln(2)^2 bits per element, k = ln(2) * m/n hashes.
    return std::max<size_t>(1, size_t(std::ceil(-std::log(false_positive) / (std::log(2.0) * std::log(2.0)))));
}

namespace {

// A numeric literal argument of an index type.
double numericArg(const ASTPtr& a, const std::string& what) {
    auto* lit = a ? a->as<ASTLiteral>() : nullptr;
    if (lit && lit->value.is<uint64_t>()) return double(lit->value.get<uint64_t>());
    if (lit && lit->value.is<int64_t>()) return double(lit->value.get<int64_t>());
    if (lit && lit->value.is<double>()) return lit->value.get<double>();
    throw Exception(ErrorCodes::BAD_ARGUMENTS, what + " must be a number: When validating secondary index");
}

bool isStringLike(const DataTypePtr& t0) {
    DataTypePtr t = removeLowCardinality(t0);
    if (t->id == TypeId::Array) t = removeLowCardinality(t->nested[0]);
    return t->id == TypeId::String || t->id == TypeId::FixedString;
}

}  // namespace

SkipIndexPtr makeSkipIndex(const ASTIndexDeclaration& decl, const std::vector<NameAndType>& evaluated) {
    auto d = std::make_shared<SkipIndexDescription>();
    d->name = decl.name;
    d->type_text = decl.type ? decl.type->formatSQL() : "";
    d->granularity = decl.granularity;
    if (auto* tuple = decl.expr ? decl.expr->as<ASTFunction>() : nullptr; tuple && tuple->name == "tuple") d->exprs = tuple->arguments;
    else d->exprs = {decl.expr};
    for (auto& e : evaluated) d->columns.push_back({e.name, removeLowCardinality(e.type)});
    std::string type = decl.typeName();
    ASTs args = decl.typeArguments();
    std::string where = ": When validating secondary index `" + decl.name + "`";
    auto stringColumnsOnly = [&] {
        for (auto& c : evaluated)
            if (!isStringLike(c.type))
                throw Exception(ErrorCodes::BAD_ARGUMENTS,
                                "Ngram and token bloom filter indexes can only be used with column types `String`, `FixedString`, "
                                "`LowCardinality(String)`, `LowCardinality(FixedString)`, `Array(String)` or `Array(FixedString)`" + where);
    };
    auto positive = [&](const ASTPtr& a, const char* what) {
        double v = numericArg(a, what);
        if (v <= 0 || v != std::floor(v)) throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string(what) + " must be a positive integer" + where);
        return size_t(v);
    };
    if (type == "minmax") {
        d->kind = Kind::MinMax;
    } else if (type == "set") {
        d->kind = Kind::Set;
        if (args.size() != 1) throw Exception(ErrorCodes::INCORRECT_QUERY, "Set index must have exactly one argument" + where);
        double v = numericArg(args[0], "Set index max rows");
        if (v < 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Set index max rows must not be negative" + where);
        d->set_max_rows = size_t(v);
    } else if (type == "bloom_filter") {
        d->kind = Kind::BloomFilter;
        if (args.size() > 1) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "BloomFilter index cannot have more than one parameter" + where);
        if (!args.empty()) {
            auto* lit = args[0]->as<ASTLiteral>();
            double p = lit && lit->value.is<double>() ? lit->value.get<double>() : -1;
            if (!(p > 0 && p < 1)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "The BloomFilter false positive must be a double number between 0 and 1" + where);
            d->false_positive = p;
        }
        d->hash_count = std::max<size_t>(1, size_t(std::lround(std::log(2.0) * double(d->bloomBitsPerRow()))));
    } else if (type == "ngrambf_v1") {
        d->kind = Kind::NgramBF;
        if (args.size() != 4) throw Exception(ErrorCodes::BAD_ARGUMENTS, "`ngrambf` index must have exactly 4 arguments" + where);
        stringColumnsOnly();
        d->ngram_size = positive(args[0], "Ngram size");
        d->filter_bytes = positive(args[1], "Bloom filter size");
        d->hash_count = positive(args[2], "Bloom filter hash functions count");
        d->seed = uint64_t(numericArg(args[3], "Bloom filter seed"));
    } else if (type == "tokenbf_v1") {
        d->kind = Kind::TokenBF;
        if (args.size() != 3) throw Exception(ErrorCodes::BAD_ARGUMENTS, "`tokenbf` index must have exactly 3 arguments" + where);
        stringColumnsOnly();
        d->filter_bytes = positive(args[0], "Bloom filter size");
        d->hash_count = positive(args[1], "Bloom filter hash functions count");
        d->seed = uint64_t(numericArg(args[2], "Bloom filter seed"));
    } else {
        throw Exception(ErrorCodes::INCORRECT_QUERY, "Unknown Index type '" + type +
                                                         "'. Available index types: bloom_filter, tokenbf_v1, ngrambf_v1, set, minmax" + where);
    }
    if ((d->kind == Kind::NgramBF || d->kind == Kind::TokenBF) && d->columns.size() != 1)
        throw Exception(ErrorCodes::INCORRECT_QUERY, "Ngram and token bloom filter indexes must have exactly one column" + where);
    if (d->filter_bytes > (64u << 20)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Bloom filter size is too large" + where);
    return d;
}

// ---------------------------------------------------------------- Bloom filters, tokens, n-grams
namespace {

// minmax flags, per granule and column.
constexpr uint8_t kHasValues = 1, kHasNull = 2;

struct HashPair {
    uint64_t h1, h2;
};

HashPair hashBytes(const char* p, size_t n, uint64_t seed) {
    XXH128_hash_t h = XXH3_128bits_withSeed(p, n, seed);
    return {h.low64, h.high64 | 1};
}

void bloomAdd(std::string& filter, const HashPair& h, size_t k) {
    uint64_t bits = uint64_t(filter.size()) * 8;
    for (size_t i = 0; i < k; ++i) {
        uint64_t b = (h.h1 + i * h.h2) % bits;
        filter[b >> 3] = char(uint8_t(filter[b >> 3]) | uint8_t(1u << (b & 7)));
    }
}

bool bloomContains(const std::string& filter, const HashPair& h, size_t k) {
    uint64_t bits = uint64_t(filter.size()) * 8;
    if (!bits) return true;
    for (size_t i = 0; i < k; ++i) {
        uint64_t b = (h.h1 + i * h.h2) % bits;
        if (!(uint8_t(filter[b >> 3]) & (1u << (b & 7)))) return false;
    }
    return true;
}

// ClickHouse's SplitTokenExtractor: tokens are maximal runs of ASCII alphanumerics and non-ASCII bytes.
inline bool isTokenChar(unsigned char c) { return c >= 0x80 || std::isalnum(c); }

template <typename F>
void forEachToken(std::string_view s, F&& f) {
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !isTokenChar(uint8_t(s[i]))) ++i;
        size_t b = i;
        while (i < s.size() && isTokenChar(uint8_t(s[i]))) ++i;
        if (i > b) f(s.substr(b, i - b));
    }
}

inline size_t utf8Length(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

// n-grams of n UTF-8 characters.
template <typename F>
void forEachNgram(std::string_view s, size_t n, F&& f) {
    std::vector<size_t> starts;
    for (size_t i = 0; i < s.size(); i += utf8Length(uint8_t(s[i]))) starts.push_back(i);
    starts.push_back(s.size());
    for (size_t i = 0; i + n < starts.size(); ++i) f(s.substr(starts[i], std::min(s.size(), starts[i + n]) - starts[i]));
}

// The literal pieces of a LIKE pattern: text between wildcards, with whether it touches the start
// / end of the matched string (no wildcard before / after it).
struct LikeSegment {
    std::string text;
    bool at_start = false, at_end = false;
};

std::vector<LikeSegment> likeSegments(std::string_view pattern) {
    std::vector<LikeSegment> out;
    LikeSegment cur;
    cur.at_start = true;
    for (size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            cur.text += pattern[++i];
        } else if (c == '%' || c == '_') {
            if (!cur.text.empty()) out.push_back(cur);
            cur = LikeSegment();
        } else {
            cur.text += c;
        }
    }
    cur.at_end = true;
    if (!cur.text.empty()) out.push_back(cur);
    return out;
}

// Tokens of a literal that are whole tokens of any string matching it: bounded by a separator
// inside the literal or by the string's start/end.
std::vector<std::string> completeTokens(const LikeSegment& seg) {
    std::vector<std::string> out;
    const std::string& s = seg.text;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !isTokenChar(uint8_t(s[i]))) ++i;
        size_t b = i;
        while (i < s.size() && isTokenChar(uint8_t(s[i]))) ++i;
        if (i == b) break;
        bool left = b > 0 || seg.at_start, right = i < s.size() || seg.at_end;
        if (left && right) out.push_back(s.substr(b, i - b));
    }
    return out;
}

// Strings of a column of String / FixedString (Nullable: NULL rows skipped).
template <typename F>
void forEachString(const IColumn& col, size_t begin, size_t n, F&& f) {
    const IColumn* c = &col;
    const PODArray<uint8_t>* nulls = nullptr;
    if (auto* nc = dynamic_cast<const ColumnNullable*>(c)) { nulls = &nc->getNullMap(); c = &nc->getNested(); }
    if (auto* s = dynamic_cast<const ColumnString*>(c)) {
        for (size_t i = begin; i < begin + n; ++i) if (!nulls || !(*nulls)[i]) f(s->getView(i));
    } else if (auto* fs = dynamic_cast<const ColumnFixedString*>(c)) {
        for (size_t i = begin; i < begin + n; ++i) if (!nulls || !(*nulls)[i]) f(fs->getView(i));
    }
}

// Values to hash for bloom_filter: the elements of arrays, the nested value of Nullable (NULLs skipped).
template <typename F>
void forEachValue(const IColumn& col, size_t begin, size_t n, F&& f) {
    if (auto* a = dynamic_cast<const ColumnArray*>(&col)) {
        size_t b = a->offsetAt(begin), e = a->offsetAt(begin + n);
        forEachValue(a->getData(), b, e - b, f);
        return;
    }
    const IColumn* c = &col;
    const PODArray<uint8_t>* nulls = nullptr;
    if (auto* nc = dynamic_cast<const ColumnNullable*>(c)) { nulls = &nc->getNullMap(); c = &nc->getNested(); }
    std::string buf;
    for (size_t i = begin; i < begin + n; ++i) {
        if (nulls && (*nulls)[i]) continue;
        buf.clear();
        c->serializeValue(i, buf);
        f(std::string_view(buf));
    }
}

}  // namespace

// ---------------------------------------------------------------- granules on disk
std::string SkipIndexGranules::serialize(const SkipIndexDescription& d) const {
    StringOutStream out;
    auto u64 = [&](uint64_t v) { out.write(reinterpret_cast<const char*>(&v), 8); };
    auto str = [&](const std::string& s) { u64(s.size()); out.write(s.data(), s.size()); };
    str(d.type_text);
    u64(d.granularity);
    u64(count);
    u64(flags.size());
    out.write(reinterpret_cast<const char*>(flags.data()), flags.size());
    u64(offsets.size());
    for (auto o : offsets) u64(o);
    u64(values.empty() ? 0 : values[0]->size());
    for (size_t i = 0; i < values.size(); ++i) serializeColumnFlat(*d.columns[i].type, *values[i], out);
    u64(filters.size());
    for (auto& f : filters) str(f);
    return out.buf;
}

SkipIndexGranulesPtr SkipIndexGranules::deserialize(const SkipIndexDescription& d, const std::string& data) {
    MemoryInStream in(data.data(), data.size());
    auto u64 = [&] {
        uint64_t v;
        in.readStrict(reinterpret_cast<char*>(&v), 8);
        return v;
    };
    auto str = [&] {
        uint64_t n = u64();
        if (n > size_t(in.end - in.pos)) throw Exception(ErrorCodes::CORRUPTED_DATA, "Bad skip index file of index " + d.name);
        std::string s(in.pos, n);
        in.pos += n;
        return s;
    };
    if (str() != d.type_text) return nullptr;
    if (u64() != d.granularity) return nullptr;
    auto g = std::make_shared<SkipIndexGranules>();
    g->count = u64();
    uint64_t nflags = u64();
    if (nflags > size_t(in.end - in.pos)) throw Exception(ErrorCodes::CORRUPTED_DATA, "Bad skip index file of index " + d.name);
    g->flags.resize(nflags);
    in.readStrict(reinterpret_cast<char*>(g->flags.data()), nflags);
    uint64_t noff = u64();
    if (noff > size_t(in.end - in.pos) / 8) throw Exception(ErrorCodes::CORRUPTED_DATA, "Bad skip index file of index " + d.name);
    for (uint64_t i = 0; i < noff; ++i) g->offsets.push_back(u64());
    uint64_t rows = u64();
    if (rows > size_t(in.end - in.pos)) throw Exception(ErrorCodes::CORRUPTED_DATA, "Bad skip index file of index " + d.name);
    if (d.kind == Kind::MinMax || d.kind == Kind::Set)
        for (auto& c : d.columns) {
            auto col = createColumn(c.type);
            deserializeColumnFlat(*c.type, *col, rows, in);
            g->values.push_back(std::move(col));
        }
    uint64_t nfilters = u64();
    if (nfilters > size_t(in.end - in.pos) / 8) throw Exception(ErrorCodes::CORRUPTED_DATA, "Bad skip index file of index " + d.name);
    for (uint64_t i = 0; i < nfilters; ++i) g->filters.push_back(str());
    bool ok = in.pos == in.end;
    switch (d.kind) {
        case Kind::MinMax: ok = ok && g->flags.size() == g->count * d.columns.size() && rows == 2 * g->count; break;
        case Kind::Set: ok = ok && g->flags.size() == g->count && g->offsets.size() == g->count + 1 && g->offsets.back() == rows; break;
        default: ok = ok && g->filters.size() == g->count * d.columns.size(); break;
    }
    if (!ok) throw Exception(ErrorCodes::CORRUPTED_DATA, "Bad skip index file of index " + d.name);
    return g;
}

// ---------------------------------------------------------------- builder
struct SkipIndexBuilder::Impl {
    SkipIndexPtr d;
    std::shared_ptr<SkipIndexGranules> out = std::make_shared<SkipIndexGranules>();
    size_t marks_in_granule = 0;
    bool open = false;
    // minmax: current min / max row per column (empty: none yet)
    std::vector<MutableColumnPtr> mins, maxs;
    std::vector<uint8_t> has_null;
    // set
    std::unordered_set<std::string> seen;
    bool overflow = false;
    // Bloom kinds: one filter per column; bloom_filter collects hashes first (its size follows the
    // number of distinct values)
    std::vector<std::string> filters;
    std::vector<std::vector<HashPair>> hashes;

    void openGranule() {
        open = true;
        marks_in_granule = 0;
        size_t nc = d->columns.size();
        switch (d->kind) {
            case Kind::MinMax:
                mins.clear(); maxs.clear();
                has_null.assign(nc, 0);
                for (auto& c : d->columns) { mins.push_back(createColumn(c.type)); maxs.push_back(createColumn(c.type)); }
                break;
            case Kind::Set:
                seen.clear();
                overflow = false;
                if (out->offsets.empty()) out->offsets.push_back(0);
                if (out->values.empty()) for (auto& c : d->columns) out->values.push_back(createColumn(c.type));
                break;
            case Kind::BloomFilter:
                hashes.assign(nc, {});
                break;
            default:
                filters.assign(nc, std::string(d->filter_bytes, '\0'));
                break;
        }
    }

    void closeGranule() {
        if (!open) return;
        open = false;
        out->count++;
        switch (d->kind) {
            case Kind::MinMax: {
                if (out->values.empty()) for (auto& c : d->columns) out->values.push_back(createColumn(c.type));
                for (size_t i = 0; i < mins.size(); ++i) {
                    bool has = mins[i]->size() == 1;
                    if (has) { out->values[i]->insertFrom(*mins[i], 0); out->values[i]->insertFrom(*maxs[i], 0); }
                    else { out->values[i]->insertDefault(); out->values[i]->insertDefault(); }
                    out->flags.push_back(uint8_t((has ? kHasValues : 0) | (has_null[i] ? kHasNull : 0)));
                }
                break;
            }
            case Kind::Set:
                out->flags.push_back(overflow ? 1 : 0);
                out->offsets.push_back(out->values.empty() ? 0 : out->values[0]->size());
                break;
            case Kind::BloomFilter:
                for (auto& hs : hashes) {
                    std::sort(hs.begin(), hs.end(), [](auto& a, auto& b) { return a.h1 != b.h1 ? a.h1 < b.h1 : a.h2 < b.h2; });
                    hs.erase(std::unique(hs.begin(), hs.end(), [](auto& a, auto& b) { return a.h1 == b.h1 && a.h2 == b.h2; }), hs.end());
                    size_t bits = std::max<size_t>(64, hs.size() * d->bloomBitsPerRow());
                    std::string f((bits + 7) / 8, '\0');
                    for (auto& h : hs) bloomAdd(f, h, d->hash_count);
                    out->filters.push_back(std::move(f));
                }
                break;
            default:
                for (auto& f : filters) out->filters.push_back(std::move(f));
                break;
        }
    }

    void add(const std::vector<ColumnPtr>& cols, size_t begin, size_t n) {
        switch (d->kind) {
            case Kind::MinMax:
                for (size_t c = 0; c < cols.size(); ++c) {
                    const IColumn& col = *cols[c];
                    for (size_t i = begin; i < begin + n; ++i) {
                        if (col.isNullAt(i)) { has_null[c] = 1; continue; }
                        if (mins[c]->size() == 0) { mins[c]->insertFrom(col, i); maxs[c]->insertFrom(col, i); continue; }
                        if (col.compareAt(i, 0, *mins[c], 1) < 0) { mins[c]->popBack(1); mins[c]->insertFrom(col, i); }
                        if (col.compareAt(i, 0, *maxs[c], -1) > 0) { maxs[c]->popBack(1); maxs[c]->insertFrom(col, i); }
                    }
                }
                break;
            case Kind::Set: {
                if (overflow) break;
                std::string key;
                for (size_t i = begin; i < begin + n; ++i) {
                    key.clear();
                    for (auto& c : cols) c->serializeValue(i, key);
                    if (!seen.insert(key).second) continue;
                    if (d->set_max_rows && seen.size() > d->set_max_rows) {
                        // Too many distinct values: the granule can match anything.
                        overflow = true;
                        size_t keep = out->offsets.back();
                        for (auto& v : out->values) v->popBack(v->size() - keep);
                        seen.clear();
                        break;
                    }
                    for (size_t c = 0; c < cols.size(); ++c) out->values[c]->insertFrom(*cols[c], i);
                }
                break;
            }
            case Kind::BloomFilter:
                for (size_t c = 0; c < cols.size(); ++c)
                    forEachValue(*cols[c], begin, n, [&](std::string_view v) { hashes[c].push_back(hashBytes(v.data(), v.size(), 0)); });
                break;
            case Kind::TokenBF:
            case Kind::NgramBF:
                for (size_t c = 0; c < cols.size(); ++c) {
                    auto addString = [&](std::string_view s) {
                        auto one = [&](std::string_view t) { bloomAdd(filters[c], hashBytes(t.data(), t.size(), d->seed), d->hash_count); };
                        if (d->kind == Kind::TokenBF) forEachToken(s, one);
                        else forEachNgram(s, d->ngram_size, one);
                    };
                    const IColumn* col = cols[c].get();
                    if (auto* a = dynamic_cast<const ColumnArray*>(col)) {
                        size_t b = a->offsetAt(begin), e = a->offsetAt(begin + n);
                        forEachString(a->getData(), b, e - b, addString);
                    } else {
                        forEachString(*col, begin, n, addString);
                    }
                }
                break;
        }
    }
};

SkipIndexBuilder::SkipIndexBuilder(SkipIndexPtr d) : impl_(std::make_unique<Impl>()) { impl_->d = std::move(d); }
SkipIndexBuilder::~SkipIndexBuilder() = default;

namespace {
std::vector<ColumnPtr> fullColumns(const std::vector<ColumnPtr>& cols) {
    std::vector<ColumnPtr> out;
    for (auto& c : cols) {
        ColumnPtr f = c->convertToFullColumn(c);
        if (f->isLowCardinality()) f = removeLowCardinality(f);
        out.push_back(std::move(f));
    }
    return out;
}
}  // namespace

void SkipIndexBuilder::addMark(const std::vector<ColumnPtr>& columns, size_t begin, size_t n) {
    auto& m = *impl_;
    if (m.open && m.marks_in_granule >= m.d->granularity) m.closeGranule();
    if (!m.open) m.openGranule();
    m.add(fullColumns(columns), begin, n);
    m.marks_in_granule++;
}

void SkipIndexBuilder::extendLastMark(const std::vector<ColumnPtr>& columns, size_t begin, size_t n) {
    auto& m = *impl_;
    if (!m.open) m.openGranule();
    m.add(fullColumns(columns), begin, n);
}

std::shared_ptr<SkipIndexGranules> SkipIndexBuilder::finish() {
    impl_->closeGranule();
    auto& out = impl_->out;
    if (out->values.empty() && (impl_->d->kind == Kind::MinMax || impl_->d->kind == Kind::Set))
        for (auto& c : impl_->d->columns) out->values.push_back(createColumn(c.type));
    if (impl_->d->kind == Kind::Set && out->offsets.empty()) out->offsets.push_back(0);
    return out;
}

// ---------------------------------------------------------------- conditions
// Bloom-filter condition tree: atoms require, for one column, that some alternative has all its
// hashes present. A Bloom filter can prove absence only, so an atom is never "surely true".
struct SkipIndexCondition::Node {
    enum class Kind { And, Or, Not, Atom, Unknown } kind = Kind::Unknown;
    std::vector<std::unique_ptr<Node>> children;
    size_t column = 0;
    std::vector<std::vector<HashPair>> alternatives;

    // {can be true, can be false}
    std::pair<bool, bool> check(const SkipIndexGranules& g, size_t granule, size_t ncols, size_t k) const {
        switch (kind) {
            case Kind::Unknown: return {true, true};
            case Kind::Not: { auto r = children[0]->check(g, granule, ncols, k); return {r.second, r.first}; }
            case Kind::And:
            case Kind::Or:
                return combineTruth(kind == Kind::And, children, [&](const Node& c) { return c.check(g, granule, ncols, k); });
            case Kind::Atom: {
                const std::string& filter = g.filters[granule * ncols + column];
                for (auto& alt : alternatives) {
                    bool all = true;
                    for (auto& h : alt) if (!bloomContains(filter, h, k)) { all = false; break; }
                    if (all) return {true, true};
                }
                return {false, true};
            }
        }
        return {true, true};
    }
    bool useful() const {
        if (kind == Kind::Atom) return true;
        for (auto& c : children) if (c->useful()) return true;
        return false;
    }
};

namespace {

using BNode = SkipIndexCondition::Node;

struct BloomBuilder {
    const SkipIndexDescription& d;
    QueryContext& ctx;
    Analyzer analyzer;

    BloomBuilder(const SkipIndexDescription& desc, QueryContext& c)
        : d(desc), ctx(c), analyzer(c, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::NOT_IMPLEMENTED, "subquery in index analysis"); }) {}

    std::unique_ptr<BNode> unknown() { return std::make_unique<BNode>(); }

    // The index column an expression is, or -1.
    int columnOf(const ASTPtr& e) const {
        std::string name = e->getColumnName();
        for (size_t i = 0; i < d.columns.size(); ++i)
            if (d.columns[i].name == name) return int(i);
        return -1;
    }

    // Hashes a Bloom filter must hold for the column to contain `value` (as the whole value, an
    // element, or — for token/n-gram indexes — as a string matching the LIKE-like segments).
    // Empty optional: nothing can be required (atom unknown).
    std::optional<std::vector<HashPair>> valueHashes(size_t col, const ColumnPtr& v, const DataTypePtr& t, bool element) {
        DataTypePtr ct = d.columns[col].type;
        DataTypePtr target = removeNullable(ct);
        if (target->id == TypeId::Array) {
            if (!element) return std::nullopt;   // whole-array equality: not indexed
            target = removeNullable(removeLowCardinality(target->nested[0]));
        } else if (element) {
            return std::nullopt;
        }
        if (d.kind == Kind::BloomFilter) {
            ColumnPtr x = convertValueExactly(v, t, target, ctx);
            if (!x) return std::vector<HashPair>{};   // cannot equal any stored value: a hash never present
            std::string buf;
            x->serializeValue(0, buf);
            return std::vector<HashPair>{hashBytes(buf.data(), buf.size(), 0)};
        }
        ColumnPtr x = convertValueExactly(v, t, target, ctx);
        if (!x) return std::nullopt;
        std::string s;
        if (auto* sc = dynamic_cast<const ColumnString*>(x.get())) s = std::string(sc->getView(0));
        else if (auto* fc = dynamic_cast<const ColumnFixedString*>(x.get())) s = std::string(fc->getView(0));
        else return std::nullopt;
        LikeSegment seg{s, true, true};
        return segmentHashes({seg});
    }

    std::optional<std::vector<HashPair>> segmentHashes(const std::vector<LikeSegment>& segs) {
        std::vector<HashPair> out;
        for (auto& seg : segs) {
            if (d.kind == Kind::TokenBF) {
                for (auto& t : completeTokens(seg)) out.push_back(hashBytes(t.data(), t.size(), d.seed));
            } else {
                forEachNgram(seg.text, d.ngram_size, [&](std::string_view g) { out.push_back(hashBytes(g.data(), g.size(), d.seed)); });
            }
        }
        if (out.empty()) return std::nullopt;
        return out;
    }

    std::unique_ptr<BNode> atom(size_t col, std::vector<std::vector<HashPair>> alts) {
        auto n = std::make_unique<BNode>();
        n->kind = BNode::Kind::Atom;
        n->column = col;
        n->alternatives = std::move(alts);
        return n;
    }

    // A constant string argument.
    std::optional<std::string> constString(const ASTPtr& a) {
        auto [v, t] = foldConstantAst(a, analyzer);
        if (!v || removeNullable(t)->id != TypeId::String) return std::nullopt;
        auto* s = dynamic_cast<const ColumnString*>(v->convertToFullColumn(v).get());
        if (!s) return std::nullopt;
        return std::string(s->getView(0));
    }

    // OR over the elements of a constant set: each must be matched as `element` of column col.
    std::unique_ptr<BNode> anyOf(size_t col, const ASTPtr& set, bool element, bool all) {
        auto [v, t] = foldConstantAst(set, analyzer);
        if (!v) return unknown();
        std::vector<std::pair<ColumnPtr, DataTypePtr>> elems;
        if (!constantSetElements(v, t, elems)) return unknown();
        std::vector<std::vector<HashPair>> alts;
        for (auto& [ev, et] : elems) {
            auto h = valueHashes(col, ev, et, element);
            if (!h) return unknown();
            alts.push_back(std::move(*h));
        }
        if (all) {   // hasAll: every element present — one alternative with all hashes
            std::vector<HashPair> merged;
            for (auto& a : alts) merged.insert(merged.end(), a.begin(), a.end());
            if (alts.empty()) return unknown();
            return atom(col, {std::move(merged)});
        }
        return atom(col, std::move(alts));
    }

    std::unique_ptr<BNode> build(const ASTPtr& a) {
        auto* f = a ? a->as<ASTFunction>() : nullptr;
        if (!f) return unknown();
        const std::string& fn = f->name;
        const auto& args = f->arguments;
        if ((fn == "and" || fn == "or") && !args.empty()) {
            auto n = std::make_unique<BNode>();
            n->kind = fn == "and" ? BNode::Kind::And : BNode::Kind::Or;
            for (auto& x : args) n->children.push_back(build(x));
            return n;
        }
        if (fn == "not" && args.size() == 1) {
            auto n = std::make_unique<BNode>();
            n->kind = BNode::Kind::Not;
            n->children.push_back(build(args[0]));
            return n;
        }
        if (args.size() != 2) return unknown();
        bool text_index = d.kind != Kind::BloomFilter;
        if (fn == "equals") {
            ASTPtr l = args[0], r = args[1];
            if (isConstantAst(l)) std::swap(l, r);
            int col = columnOf(l);
            if (col < 0 || !isConstantAst(r)) return unknown();
            auto [v, t] = foldConstantAst(r, analyzer);
            if (!v) return unknown();
            auto h = valueHashes(size_t(col), v, t, false);
            return h ? atom(size_t(col), {std::move(*h)}) : unknown();
        }
        int col = columnOf(args[0]);
        if (col < 0) return unknown();
        if (fn == "in") return anyOf(size_t(col), args[1], false, false);
        if (fn == "has") {
            auto [v, t] = foldConstantAst(args[1], analyzer);
            if (!v) return unknown();
            auto h = valueHashes(size_t(col), v, t, true);
            return h ? atom(size_t(col), {std::move(*h)}) : unknown();
        }
        if (fn == "hasAny" || fn == "hasAll") return anyOf(size_t(col), args[1], true, fn == "hasAll");
        if (!text_index || removeNullable(d.columns[size_t(col)].type)->id == TypeId::Array) return unknown();
        std::optional<std::vector<HashPair>> h;
        if (fn == "like") {
            auto p = constString(args[1]);
            if (p) h = segmentHashes(likeSegments(*p));
        } else if (fn == "startsWith" || fn == "endsWith") {
            auto p = constString(args[1]);
            if (p) h = segmentHashes({LikeSegment{*p, fn == "startsWith", fn == "endsWith"}});
        } else if (fn == "hasToken" && d.kind == Kind::TokenBF) {
            auto p = constString(args[1]);
            if (p) h = segmentHashes({LikeSegment{*p, true, true}});
        } else if (fn == "multiSearchAny") {
            auto [v, t] = foldConstantAst(args[1], analyzer);
            std::vector<std::pair<ColumnPtr, DataTypePtr>> elems;
            if (!v || !constantSetElements(v, t, elems)) return unknown();
            std::vector<std::vector<HashPair>> alts;
            for (auto& [ev, et] : elems) {
                auto* s = dynamic_cast<const ColumnString*>(ev.get());
                if (!s) return unknown();
                auto eh = segmentHashes({LikeSegment{std::string(s->getView(0)), false, false}});
                if (!eh) return unknown();
                alts.push_back(std::move(*eh));
            }
            return alts.empty() ? unknown() : atom(size_t(col), std::move(alts));
        }
        return h ? atom(size_t(col), {std::move(*h)}) : unknown();
    }
};

}  // namespace

// set: AND/OR/NOT over leaves; a leaf over the index columns only is evaluated on a part's stored
// values (once per part), giving per value "true" or "false/NULL".
struct SkipIndexCondition::SetNode {
    enum class Kind { And, Or, Not, Expr, Unknown } kind = Kind::Unknown;
    std::vector<std::unique_ptr<SetNode>> children;
    ExprNodePtr expr;
    mutable std::map<const SkipIndexGranules*, std::vector<uint8_t>> results;   // per part: 1 = true

    // {can be true, can be false} for values [b, e) of g
    std::pair<bool, bool> check(const SkipIndexGranules& g, const std::vector<NameAndType>& cols, size_t b, size_t e) const {
        switch (kind) {
            case Kind::Unknown: return {true, true};
            case Kind::Not: { auto r = children[0]->check(g, cols, b, e); return {r.second, r.first}; }
            case Kind::And:
            case Kind::Or: return combineTruth(kind == Kind::And, children, [&](const SetNode& c) { return c.check(g, cols, b, e); });
            case Kind::Expr: {
                auto it = results.find(&g);
                if (it == results.end()) {
                    Block block;
                    for (size_t c = 0; c < cols.size(); ++c) block.insert({g.values[c], cols[c].type, cols[c].name});
                    std::vector<uint8_t> v(g.values.empty() ? 0 : g.values[0]->size(), 1);
                    try {
                        Filter f;
                        size_t kept = 0;
                        predicateToFilter(evaluate(expr, block), v.size(), f, kept);
                        for (size_t i = 0; i < v.size(); ++i) v[i] = f[i] ? 1 : 0;
                    } catch (const Exception&) {
                        v.assign(v.size(), 2);   // cannot evaluate (e.g. an error on some value): unknown
                    }
                    it = results.emplace(&g, std::move(v)).first;
                }
                bool t = false, f = false;
                for (size_t i = b; i < e; ++i) {
                    uint8_t x = it->second[i];
                    t = t || x != 0;
                    f = f || x != 1;
                }
                return {t, f};
            }
        }
        return {true, true};
    }
};

namespace {

std::unique_ptr<SkipIndexCondition::SetNode> buildSetNode(const ASTPtr& a, Analyzer& analyzer, Scope& scope, bool& useful) {
    using N = SkipIndexCondition::SetNode;
    auto n = std::make_unique<N>();
    auto* f = a ? a->as<ASTFunction>() : nullptr;
    if (f && (f->name == "and" || f->name == "or" || f->name == "not") && !f->arguments.empty()) {
        n->kind = f->name == "and" ? N::Kind::And : f->name == "or" ? N::Kind::Or : N::Kind::Not;
        if (n->kind == N::Kind::Not && f->arguments.size() != 1) { n->kind = N::Kind::Unknown; return n; }
        for (auto& x : f->arguments) n->children.push_back(buildSetNode(x, analyzer, scope, useful));
        return n;
    }
    try {
        auto e = analyzer.analyze(a, scope);
        if (e->isConstant()) return n;
        n->kind = N::Kind::Expr;
        n->expr = e;
        useful = true;
    } catch (const Exception&) {
        // Refers to other columns (or cannot be analyzed): unknown.
    }
    return n;
}

}  // namespace

SkipIndexCondition::SkipIndexCondition(SkipIndexPtr d, const ASTPtr& filter, const std::vector<std::pair<std::string, DataTypePtr>>& table_columns,
                                       QueryContext& ctx)
    : desc_(std::move(d)) {
    if (!filter) return;
    if (desc_->kind == Kind::MinMax || desc_->kind == Kind::Set) {
        std::vector<KeyDescription> keys;
        for (size_t i = 0; i < desc_->columns.size(); ++i) keys.push_back({desc_->columns[i].name, desc_->exprs[i], desc_->columns[i].type});
        key_condition_ = std::make_unique<KeyCondition>(filter, keys, table_columns, ctx);
        // Leaves over the index columns (identifier expressions only: they are what a scope can name).
        bool identifiers = true;
        for (auto& e : desc_->exprs) identifiers = identifiers && e->as<ASTIdentifier>();
        if (desc_->kind == Kind::Set && identifiers) {
            Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::NOT_IMPLEMENTED, "subquery in index analysis"); });
            Scope scope;
            for (auto& c : desc_->columns) scope.columns.push_back({c.name, c.type});
            set_root_ = buildSetNode(filter, analyzer, scope, set_useful_);
        }
    } else {
        BloomBuilder b(*desc_, ctx);
        bloom_root_ = b.build(filter);
    }
}

SkipIndexCondition::~SkipIndexCondition() = default;

bool SkipIndexCondition::useful() const {
    if (key_condition_) return key_condition_->useful() || set_useful_;
    return bloom_root_ && bloom_root_->useful();
}

bool SkipIndexCondition::mayBeTrue(const SkipIndexGranules& g, size_t granule) const {
    if (granule >= g.count) return true;
    size_t nc = desc_->columns.size();
    switch (desc_->kind) {
        case Kind::MinMax: {
            // As ClickHouse, a NULL counts as +infinity: it lifts the granule's maximum.
            std::vector<KeyRange> r;
            for (size_t c = 0; c < nc; ++c) {
                uint8_t f = g.flags[granule * nc + c];
                if (!(f & kHasValues)) return true;   // only NULLs: not worth reasoning about
                const IColumn* hi = (f & kHasNull) ? nullptr : g.values[c].get();
                r.push_back({g.values[c].get(), 2 * granule, hi, 2 * granule + 1});
            }
            return key_condition_->mayBeTrue(r);
        }
        case Kind::Set: {
            if (g.flags[granule]) return true;
            if (set_useful_ && !set_root_->check(g, desc_->columns, g.offsets[granule], g.offsets[granule + 1]).first) return false;
            if (!key_condition_->useful()) return true;
            std::vector<KeyRange> r(nc);
            for (uint64_t row = g.offsets[granule]; row < g.offsets[granule + 1]; ++row) {
                for (size_t c = 0; c < nc; ++c) r[c] = {g.values[c].get(), row, g.values[c].get(), row};
                if (key_condition_->mayBeTrue(r)) return true;
            }
            return false;
        }
        default:
            return bloom_root_->check(g, granule, nc, desc_->hash_count).first;
    }
}

// ---------------------------------------------------------------- disjunctions
struct SkipIndexDisjunction::Node {
    enum class Kind { And, Or, Leaf } kind = Kind::Leaf;
    std::vector<std::unique_ptr<Node>> children;
    std::vector<std::unique_ptr<SkipIndexCondition>> conds;   // Leaf: the indexes useful for it

    bool mayBeTrue(const MergeTreeDataPart& part, size_t mark) const {
        switch (kind) {
            case Kind::And:
                for (auto& c : children) if (!c->mayBeTrue(part, mark)) return false;
                return true;
            case Kind::Or:
                for (auto& c : children) if (c->mayBeTrue(part, mark)) return true;
                return false;
            case Kind::Leaf:
                for (auto& c : conds) {
                    auto it = part.skip_indexes.find(c->description().name);
                    if (it != part.skip_indexes.end() && !c->mayBeTrue(*it->second, mark / c->description().granularity)) return false;
                }
                return true;
        }
        return true;
    }
};

SkipIndexDisjunction::SkipIndexDisjunction(const std::vector<SkipIndexPtr>& indexes, const ASTPtr& filter,
                                           const std::vector<std::pair<std::string, DataTypePtr>>& table_columns, QueryContext& ctx) {
    bool has_or = false, any_leaf = false;
    std::function<std::unique_ptr<Node>(const ASTPtr&)> build = [&](const ASTPtr& a) {
        auto n = std::make_unique<Node>();
        auto* f = a ? a->as<ASTFunction>() : nullptr;
        if (f && (f->name == "and" || f->name == "or") && !f->arguments.empty()) {
            n->kind = f->name == "and" ? Node::Kind::And : Node::Kind::Or;
            has_or = has_or || f->name == "or";
            for (auto& x : f->arguments) n->children.push_back(build(x));
            return n;
        }
        for (auto& d : indexes) {
            auto c = std::make_unique<SkipIndexCondition>(d, a, table_columns, ctx);
            if (c->useful()) n->conds.push_back(std::move(c));
        }
        any_leaf = any_leaf || !n->conds.empty();
        return n;
    };
    if (filter) root_ = build(filter);
    useful_ = has_or && any_leaf;
}

SkipIndexDisjunction::~SkipIndexDisjunction() = default;

bool SkipIndexDisjunction::mayBeTrue(const MergeTreeDataPart& part, size_t mark) const { return !root_ || root_->mayBeTrue(part, mark); }

}  // namespace basalt
