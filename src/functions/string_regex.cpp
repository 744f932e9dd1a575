// string_regex.cpp — pattern-driven string functions: like/notLike/ilike/notILike, match (REGEXP),
// extract, extractAll, extractGroups, replaceRegexpOne/All, replaceOne/All, splitByChar/String/
// Regexp/Whitespace/NonAlpha, multiSearchAny/FirstIndex, regexpQuoteMeta.
//
// Regexes are RE2 in UTF-8 mode with '.' matching '\n' (as ClickHouse compiles them). A constant
// pattern is compiled once per execute; a per-row pattern goes through a one-entry cache so runs of
// equal patterns compile once. LIKE patterns made only of literals and '%' skip RE2 entirely and
// run as prefix / suffix / ordered substring checks.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "common/exception.h"
#include "functions/function.h"
#include "functions/string_args.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// ---------------------------------------------------------------------------------------------
// Argument views (same shape as string_functions.cpp: const / full / FixedString behind one accessor).

using namespace string_args;


// ---------------------------------------------------------------------------------------------
// RE2 compilation

// replace_style: replaceRegexp* report bad patterns as BAD_ARGUMENTS, the others as CANNOT_COMPILE_REGEXP.
std::unique_ptr<RE2> compileRegexp(std::string_view pattern, bool case_insensitive = false, bool replace_style = false) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);
    opts.set_case_sensitive(!case_insensitive);
    auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), opts);
    if (!re->ok() && replace_style)
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "The pattern argument is not a valid re2 pattern: " + re->error());
    if (!re->ok())
        throw Exception(ErrorCodes::CANNOT_COMPILE_REGEXP, "OptimizedRegularExpression: cannot compile re2: " + std::string(pattern) +
                                                              ", error: " + re->error() +
                                                              ". Look at https://github.com/google/re2/wiki/Syntax for reference");
    return re;
}

// One-entry cache for per-row patterns.
struct RegexCache {
    std::string last;
    std::unique_ptr<RE2> re;
    bool replace_style = false;
    const RE2& get(std::string_view p) {
        if (!re || p != last) {
            re = compileRegexp(p, false, replace_style);
            last.assign(p.data(), p.size());
        }
        return *re;
    }
};

// ---------------------------------------------------------------------------------------------
// LIKE

// A compiled LIKE pattern. Patterns without '_' are split on '%' into literal segments: the first is a
// prefix, the last a suffix, the middle ones are found left to right (greedy leftmost is exact for
// '%'-only patterns). Anything with '_' becomes an RE2 regex.
struct LikeMatcher {
    bool ci = false;
    std::vector<std::string> segs;   // literal segments between '%' (size = number of '%' + 1)
    std::unique_ptr<RE2> re;

    void compile(std::string_view pat, bool case_insensitive) {
        ci = case_insensitive;
        segs.assign(1, "");
        re.reset();
        bool needs_regex = false;
        std::string regex = "^";
        auto addLiteral = [&](char c) {
            segs.back() += ci ? asciiLower(c) : c;
            if (!std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80) regex += '\\';
            if (c == '\0') regex += "x00";
            else regex += c;
            if (ci && static_cast<unsigned char>(c) >= 0x80) needs_regex = true;   // non-ASCII case folding
        };
        for (size_t i = 0; i < pat.size(); ++i) {
            char c = pat[i];
            if (c == '\\' && i + 1 < pat.size() && (pat[i + 1] == '%' || pat[i + 1] == '_' || pat[i + 1] == '\\')) {
                addLiteral(pat[++i]);
            } else if (c == '%') {
                segs.emplace_back();
                regex += ".*";
            } else if (c == '_') {
                needs_regex = true;
                regex += '.';
            } else {
                addLiteral(c);
            }
        }
        regex += '$';
        if (needs_regex) re = compileRegexp(regex, ci);
    }

    bool eq(std::string_view a, std::string_view b) const {
        if (a.size() != b.size()) return false;
        if (a.empty()) return true;
        if (!ci) return std::memcmp(a.data(), b.data(), a.size()) == 0;
        for (size_t i = 0; i < a.size(); ++i)
            if (asciiLower(a[i]) != b[i]) return false;
        return true;
    }

    bool match(std::string_view s) const {
        if (re) return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *re);
        if (segs.size() == 1) return eq(s, segs[0]);
        const std::string& first = segs.front();
        const std::string& last = segs.back();
        if (s.size() < first.size() + last.size()) return false;
        if (!eq(s.substr(0, first.size()), first) || !eq(s.substr(s.size() - last.size()), last)) return false;
        std::string_view mid = s.substr(first.size(), s.size() - first.size() - last.size());
        size_t pos = 0;
        for (size_t k = 1; k + 1 < segs.size(); ++k) {
            const std::string& seg = segs[k];
            if (seg.empty()) continue;
            size_t p = ci ? findCaseInsensitive(mid, seg, pos) : mid.find(seg, pos);
            if (p == std::string_view::npos) return false;
            pos = p + seg.size();
        }
        return true;
    }
};

void registerLike(FunctionFactory& f) {
    struct Def { const char* name; bool ci, negate; };
    static const Def defs[] = {{"like", false, false}, {"notLike", false, true}, {"ilike", true, false}, {"notILike", true, true}};
    for (const Def& d : defs) {
        std::string name = d.name;
        bool ci = d.ci, negate = d.negate;
        f.registerFunction(name, [name, ci, negate](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 2);
            requireStr(name, a, 0);
            requireStr(name, a, 1);
            // Validate a constant pattern at analysis time so errors surface before execution.
            if (a[1].column && a[1].column->isConst()) {
                LikeMatcher probe;
                probe.compile(a[1].column->get(0).get<std::string>(), ci);
            }
            return makeFunction(name, makeType(TypeId::UInt8), [ci, negate](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column), p = strArg(x[1].column);
                auto res = ColumnUInt8::create(rows);
                auto& r = res->getData();
                LikeMatcher m;
                if (p.is_const) {
                    m.compile(p.cval, ci);
                    for (size_t i = 0; i < rows; ++i) r[i] = m.match(s[i]) != negate;
                } else {
                    std::string last;
                    bool have = false;
                    for (size_t i = 0; i < rows; ++i) {
                        std::string_view pi = p[i];
                        if (!have || pi != last) { m.compile(pi, ci); last.assign(pi); have = true; }
                        r[i] = m.match(s[i]) != negate;
                    }
                }
                return res;
            });
        });
    }
}

// ---------------------------------------------------------------------------------------------
// match, extract, extractAll, extractGroups

// Runs fn(row, re) with the compiled regex of each row's pattern.
template <typename F>
void forEachRegexRow(const StrArg& pat, size_t rows, F&& fn, bool replace_style = false) {
    if (pat.is_const) {
        auto re = compileRegexp(pat.cval, false, replace_style);
        for (size_t i = 0; i < rows; ++i) fn(i, *re);
    } else {
        RegexCache cache;
        cache.replace_style = replace_style;
        for (size_t i = 0; i < rows; ++i) fn(i, cache.get(pat[i]));
    }
}

inline re2::StringPiece sp(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }
inline std::string_view sv(const re2::StringPiece& s) { return std::string_view(s.data(), s.size()); }

// Column of Array(String) built row by row.
struct ArrayOfStrings {
    std::shared_ptr<ColumnString> data = ColumnString::create();
    Offsets offsets;
    void add(std::string_view s) { data->insertData(s); }
    void endRow() { offsets.push_back(data->size()); }
    ColumnPtr finish() { return std::make_shared<ColumnArray>(data, std::move(offsets)); }
};

void registerRegexFunctions(FunctionFactory& f) {
    auto check2 = [](const std::string& name, const ColumnsWithTypeAndName& a) {
        checkArgumentCount(name, a, 2, 2);
        requireStr(name, a, 0);
        requireStr(name, a, 1);
        if (a[1].column && a[1].column->isConst()) compileRegexp(a[1].column->get(0).get<std::string>());
    };

    f.registerFunction("match", [check2](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        check2("match", a);
        return makeFunction("match", makeType(TypeId::UInt8), [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column), p = strArg(x[1].column);
            auto res = ColumnUInt8::create(rows);
            auto& r = res->getData();
            forEachRegexRow(p, rows, [&](size_t i, const RE2& re) { r[i] = RE2::PartialMatch(sp(s[i]), re); });
            return res;
        });
    });
    f.registerAlias("REGEXP_MATCHES", "match", true);

    // extract: the first match, or its first capturing group when the regex has one.
    f.registerFunction("extract", [check2](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        check2("extract", a);
        return makeFunction("extract", stringType(), [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column), p = strArg(x[1].column);
            auto res = ColumnString::create();
            res->getOffsets().reserve(rows);
            re2::StringPiece groups[2];
            forEachRegexRow(p, rows, [&](size_t i, const RE2& re) {
                std::string_view v = s[i];
                int g = re.NumberOfCapturingGroups() > 0 ? 1 : 0;
                if (re.Match(sp(v), 0, v.size(), RE2::UNANCHORED, groups, g + 1)) appendTo(res->getChars(), sv(groups[g]));
                res->getOffsets().push_back(res->getChars().size());
            });
            return res;
        });
    });

    // extractAll: every non-overlapping match (or its first group); empty matches are skipped.
    f.registerFunction("extractAll", [check2](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        check2("extractAll", a);
        return makeFunction("extractAll", makeArray(stringType()), [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column), p = strArg(x[1].column);
            ArrayOfStrings out;
            out.offsets.reserve(rows);
            re2::StringPiece groups[2];
            forEachRegexRow(p, rows, [&](size_t i, const RE2& re) {
                std::string_view v = s[i];
                int g = re.NumberOfCapturingGroups() > 0 ? 1 : 0;
                size_t pos = 0;
                while (pos <= v.size() && re.Match(sp(v), pos, v.size(), RE2::UNANCHORED, groups, g + 1)) {
                    size_t mend = size_t(groups[0].data() - v.data()) + groups[0].size();
                    if (groups[0].empty()) { pos = mend + 1; continue; }
                    out.add(sv(groups[g]));
                    pos = mend;
                }
                out.endRow();
            });
            return out.finish();
        });
    });

    f.registerFunction("extractGroups", [check2](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        check2("extractGroups", a);
        if (a[1].column && a[1].column->isConst()) {
            auto re = compileRegexp(a[1].column->get(0).get<std::string>());
            if (re->NumberOfCapturingGroups() == 0)
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "There are no groups in regexp: " + re->pattern());
        }
        return makeFunction("extractGroups", makeArray(stringType()), [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column), p = strArg(x[1].column);
            ArrayOfStrings out;
            std::vector<re2::StringPiece> groups;
            forEachRegexRow(p, rows, [&](size_t i, const RE2& re) {
                int n = re.NumberOfCapturingGroups();
                if (n == 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "There are no groups in regexp: " + re.pattern());
                groups.resize(size_t(n) + 1);
                std::string_view v = s[i];
                if (re.Match(sp(v), 0, v.size(), RE2::UNANCHORED, groups.data(), n + 1))
                    for (int g = 1; g <= n; ++g) out.add(sv(groups[g]));
                out.endRow();
            });
            return out.finish();
        });
    });

    f.registerFunction("regexpQuoteMeta", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("regexpQuoteMeta", a, 1, 1);
        requireStr("regexpQuoteMeta", a, 0);
        return makeFunction("regexpQuoteMeta", stringType(), [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column);
            auto res = ColumnString::create();
            auto& chars = res->getChars();
            for (size_t i = 0; i < rows; ++i) {
                // Escapes the same set RE2::QuoteMeta would, except that bytes >= 0x80 pass through.
                for (char c : s[i]) {
                    if (c == '\0') { appendTo(chars, "\\0"); continue; }
                    if (std::strchr("\\|()^$.[]?*+{}", c)) chars.push_back('\\');
                    chars.push_back(c);
                }
                res->getOffsets().push_back(chars.size());
            }
            return res;
        });
    });
}

// ---------------------------------------------------------------------------------------------
// replaceRegexpOne/All, replaceOne/All

// A parsed replacement template: literal text and \N group references (-1 = literal).
struct Replacement {
    std::vector<std::pair<int, std::string>> parts;
    int max_group = -1;
    explicit Replacement(std::string_view r) {
        std::string lit;
        for (size_t i = 0; i < r.size(); ++i) {
            if (r[i] == '\\' && i + 1 < r.size()) {
                char c = r[++i];
                if (c >= '0' && c <= '9') {
                    if (!lit.empty()) { parts.push_back({-1, lit}); lit.clear(); }
                    parts.push_back({c - '0', ""});
                    max_group = std::max(max_group, c - '0');
                } else {
                    lit += c;   // \\ -> \, \x -> x
                }
            } else {
                lit += r[i];
            }
        }
        if (!lit.empty()) parts.push_back({-1, lit});
    }
    void apply(ColumnString::Chars& out, const re2::StringPiece* groups, int ngroups) const {
        for (auto& [g, text] : parts) {
            if (g < 0) appendTo(out, text);
            else if (g < ngroups) appendTo(out, sv(groups[g]));
        }
    }
};

// `^P.*$`: a pattern anchored at the start whose top level ends in `.*$` (ClickBench's
// `^https?://(?:www\.)?([^/]+)/.*$`). Its match, when there is one, is the whole string, and the
// trailing `.*` only walks the rest of it: RE2 spends most of the row there, and in its submatch
// engine. `^P` alone is matched instead. '.' matches '\n' here (dot_nl), so the highest-priority
// match of `^P` extends to the highest-priority match of `^P.*$` with the same groups. (Debian's
// RE2 would not let a UTF-8 '.' take malformed bytes in the rest; ClickHouse, which matches the
// same way, returns the group there too, and so does this.) Detected on the pattern's text by a
// small scan (escapes, classes, groups); anything it is unsure of (top-level '|', flags, escaped
// tails) keeps the full pattern.
struct AnchoredPrefix {
    std::unique_ptr<RE2> prefix;

    static bool shapeMatches(std::string_view p) {
        if (p.size() < 4 || p[0] != '^' || p.substr(p.size() - 3) != ".*$") return false;
        int depth = 0;
        bool in_class = false;
        size_t dot = p.size() - 3;
        for (size_t i = 0; i < p.size(); ++i) {
            char c = p[i];
            if (c == '\\') {
                if (i + 1 >= dot) return false;   // escapes the tail's '.'
                ++i;
                continue;
            }
            if (in_class) {
                if (c == ']') in_class = false;
                continue;
            }
            if (c == '[') {
                in_class = true;
                // ']' right after '[' or '[^' is a literal member.
                if (i + 1 < p.size() && p[i + 1] == '^') ++i;
                if (i + 1 < p.size() && p[i + 1] == ']') ++i;
                if (i >= dot) return false;
                continue;
            }
            if (c == '(') {
                if (i + 1 < p.size() && p[i + 1] == '?' && !(i + 2 < p.size() && p[i + 2] == ':')) return false;   // flags, names
                ++depth;
            } else if (c == ')') {
                if (--depth < 0) return false;
            } else if (c == '|' && depth == 0) {
                return false;
            }
            if (i == dot && (depth != 0 || in_class)) return false;
        }
        return depth == 0 && !in_class;
    }

    explicit AnchoredPrefix(const RE2& full) {
        std::string_view p(full.pattern());
        if (!shapeMatches(p)) return;
        RE2::Options opts = full.options();
        auto re = std::make_unique<RE2>(re2::StringPiece(p.data(), p.size() - 3), opts);
        if (re->ok() && re->NumberOfCapturingGroups() == full.NumberOfCapturingGroups()) prefix = std::move(re);
    }

    // true: matched, groups[0] set to the whole string; false: no match, the string stays.
    bool match(std::string_view v, re2::StringPiece* groups, int ngroups) const {
        if (!prefix->Match(re2::StringPiece(v.data(), v.size()), 0, v.size(), RE2::ANCHOR_START, groups, std::max(ngroups, 1))) return false;
        groups[0] = re2::StringPiece(v.data(), v.size());
        return true;
    }
};

void registerReplace(FunctionFactory& f) {
    for (bool all : {false, true}) {
        std::string name = all ? "replaceRegexpAll" : "replaceRegexpOne";
        f.registerFunction(name, [name, all](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 3, 3);
            for (size_t i = 0; i < 3; ++i) requireStr(name, a, i);
            if (a[1].column && a[1].column->isConst()) compileRegexp(a[1].column->get(0).get<std::string>(), false, true);
            return makeFunction(name, stringType(), [all](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column), p = strArg(x[1].column), r = strArg(x[2].column);
                auto res = ColumnString::create();
                auto& chars = res->getChars();
                res->getOffsets().reserve(rows);
                std::unique_ptr<Replacement> const_repl;
                if (r.is_const) const_repl = std::make_unique<Replacement>(r.cval);
                std::vector<re2::StringPiece> groups;
                std::unique_ptr<AnchoredPrefix> anchored;
                const RE2* anchored_for = nullptr;
                // Appends the replaced value of `v` to chars.
                auto replaceOne = [&](std::string_view v, const RE2& re, const Replacement& repl) {
                    int ng = std::min(re.NumberOfCapturingGroups() + 1, std::max(repl.max_group + 1, 1));
                    groups.resize(size_t(std::max(ng, 1)));
                    if (p.is_const) {
                        if (anchored_for != &re) { anchored = std::make_unique<AnchoredPrefix>(re); anchored_for = &re; }
                        if (anchored->prefix) {
                            if (anchored->match(v, groups.data(), ng)) repl.apply(chars, groups.data(), ng);
                            else appendTo(chars, v);
                            return;
                        }
                    }
                    size_t pos = 0;
                    while (pos <= v.size()) {
                        if (!re.Match(sp(v), pos, v.size(), RE2::UNANCHORED, groups.data(), ng)) break;
                        size_t ms = size_t(groups[0].data() - v.data()), me = ms + groups[0].size();
                        appendTo(chars, v.substr(pos, ms - pos));
                        repl.apply(chars, groups.data(), ng);
                        if (me == ms) {
                            // An empty match: copy one byte and retry after it.
                            if (ms < v.size()) chars.push_back(v[ms]);
                            pos = ms + 1;
                        } else {
                            pos = me;
                        }
                        if (!all) break;
                    }
                    if (pos < v.size()) appendTo(chars, v.substr(pos));
                };
                forEachRegexRow(p, rows, [&](size_t i, const RE2& re) {
                    std::string_view v = s[i];
                    // An empty pattern replaces nothing.
                    if (re.pattern().empty()) {
                        appendTo(chars, v);
                        res->getOffsets().push_back(chars.size());
                        return;
                    }
                    std::unique_ptr<Replacement> row_repl;
                    if (!const_repl) row_repl = std::make_unique<Replacement>(r[i]);
                    const Replacement& repl = const_repl ? *const_repl : *row_repl;
                    replaceOne(v, re, repl);
                    res->getOffsets().push_back(chars.size());
                }, true);
                return res;
            });
        });
    }
    f.registerAlias("REGEXP_REPLACE", "replaceRegexpAll", true);

    for (bool all : {false, true}) {
        std::string name = all ? "replaceAll" : "replaceOne";
        f.registerFunction(name, [name, all](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 3, 3);
            for (size_t i = 0; i < 3; ++i) requireStr(name, a, i);
            return makeFunction(name, stringType(), [all](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column), n = strArg(x[1].column), r = strArg(x[2].column);
                auto res = ColumnString::create();
                auto& chars = res->getChars();
                res->getOffsets().reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view v = s[i], needle = n[i], repl = r[i];
                    size_t pos = 0;
                    if (!needle.empty()) {
                        while (true) {
                            size_t p = v.find(needle, pos);
                            if (p == std::string_view::npos) break;
                            appendTo(chars, v.substr(pos, p - pos));
                            appendTo(chars, repl);
                            pos = p + needle.size();
                            if (!all) break;
                        }
                    }
                    appendTo(chars, v.substr(pos));
                    res->getOffsets().push_back(chars.size());
                }
                return res;
            });
        });
    }
    f.registerAlias("replace", "replaceAll", true);
}

// ---------------------------------------------------------------------------------------------
// split*

// Optional max_substrings argument: > 0 limits the number of returned pieces.
int64_t maxSubstrings(const std::string& fn, const ColumnsWithTypeAndName& a, size_t idx) {
    if (a.size() <= idx) return 0;
    auto t = removeLowCardinality(a[idx].type);
    if (!t->isInteger() || !a[idx].column || !a[idx].column->isConst())
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Argument " + std::to_string(idx + 1) + " of function " + fn + " must be a constant integer");
    Field v = a[idx].column->get(0);
    return v.is<int64_t>() ? v.get<int64_t>() : int64_t(v.get<uint64_t>());
}

enum class SplitKind { Char, String, Regexp, Whitespace, NonAlpha };

void registerSplit(FunctionFactory& f) {
    struct Def { const char* name; SplitKind kind; };
    static const Def defs[] = {{"splitByChar", SplitKind::Char}, {"splitByString", SplitKind::String}, {"splitByRegexp", SplitKind::Regexp},
                               {"splitByWhitespace", SplitKind::Whitespace}, {"splitByNonAlpha", SplitKind::NonAlpha}};
    for (const Def& d : defs) {
        std::string name = d.name;
        SplitKind kind = d.kind;
        f.registerFunction(name, [name, kind](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            bool has_sep = kind == SplitKind::Char || kind == SplitKind::String || kind == SplitKind::Regexp;
            size_t s_idx = has_sep ? 1 : 0;
            checkArgumentCount(name, a, s_idx + 1, s_idx + 2);
            std::string sep;
            if (has_sep) {
                requireStr(name, a, 0);
                sep = constStr(name, a[0], 0);
            }
            requireStr(name, a, s_idx);
            if (kind == SplitKind::Char && sep.size() != 1)
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Illegal separator for function " + name + ". Must be exactly one byte");
            int64_t limit = maxSubstrings(name, a, s_idx + 1);
            std::shared_ptr<RE2> re;
            if (kind == SplitKind::Regexp && !sep.empty()) re = compileRegexp(sep);
            return makeFunction(name, makeArray(stringType()), [kind, sep, limit, re, s_idx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[s_idx].column);
                ArrayOfStrings out;
                out.offsets.reserve(rows);
                re2::StringPiece m;
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view v = s[i];
                    size_t count = 0;
                    auto add = [&](std::string_view piece) {
                        if (limit > 0 && count >= size_t(limit)) return false;
                        out.add(piece);
                        ++count;
                        return true;
                    };
                    if (kind == SplitKind::Whitespace || kind == SplitKind::NonAlpha) {
                        // Tokens are maximal runs of non-separator bytes; empty tokens are dropped.
                        auto isSep = [kind](unsigned char c) {
                            return kind == SplitKind::Whitespace ? (c == ' ' || (c >= '\t' && c <= '\r')) : !(std::isalnum(c) || c >= 0x80);
                        };
                        size_t p = 0;
                        while (p < v.size()) {
                            while (p < v.size() && isSep(static_cast<unsigned char>(v[p]))) ++p;
                            size_t b = p;
                            while (p < v.size() && !isSep(static_cast<unsigned char>(v[p]))) ++p;
                            if (p > b && !add(v.substr(b, p - b))) break;
                        }
                    } else if (sep.empty()) {
                        // An empty separator splits into single bytes (code points for a regexp).
                        for (size_t p = 0; p < v.size();) {
                            size_t len = 1;
                            if (kind == SplitKind::Regexp) {
                                unsigned char c = static_cast<unsigned char>(v[p]);
                                len = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
                                len = std::min(len, v.size() - p);
                            }
                            if (!add(v.substr(p, len))) break;
                            p += len;
                        }
                    } else if (kind == SplitKind::Regexp) {
                        size_t pos = 0, search = 0;
                        while (search <= v.size() && re->Match(sp(v), search, v.size(), RE2::UNANCHORED, &m, 1)) {
                            size_t ms = size_t(m.data() - v.data()), me = ms + m.size();
                            if (me == ms) { search = ms + 1; continue; }
                            if (!add(v.substr(pos, ms - pos))) break;
                            pos = search = me;
                        }
                        if (limit <= 0 || count < size_t(limit)) add(v.substr(pos));
                    } else {
                        size_t pos = 0;
                        bool stopped = false;
                        while (true) {
                            size_t p = v.find(sep, pos);
                            if (p == std::string_view::npos) break;
                            if (!add(v.substr(pos, p - pos))) { stopped = true; break; }
                            pos = p + sep.size();
                        }
                        if (!stopped) add(v.substr(pos));
                    }
                    out.endRow();
                }
                return out.finish();
            });
        });
    }

    // multiSearchAny / multiSearchFirstIndex(haystack, [needles]) with a constant needle array.
    for (bool first_index : {false, true}) {
        std::string name = first_index ? "multiSearchFirstIndex" : "multiSearchAny";
        f.registerFunction(name, [name, first_index](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 2);
            requireStr(name, a, 0);
            DataTypePtr t = a[1].type;
            if (t->id != TypeId::Array || !isStr(t->nested[0])) throwIllegalType(name, t, 1);
            if (!a[1].column || !a[1].column->isConst())
                throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Argument 2 of function " + name + " must be a constant array of strings");
            std::vector<std::string> needles;
            Field arr = a[1].column->get(0);
            for (auto& v : arr.get<FieldArray>().items) needles.push_back(v.get<std::string>());
            DataTypePtr rt = makeType(first_index ? TypeId::UInt64 : TypeId::UInt8);
            return makeFunction(name, rt, [needles, first_index](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column);
                auto find = [&](std::string_view v) -> uint64_t {
                    for (size_t k = 0; k < needles.size(); ++k)
                        if (v.find(needles[k]) != std::string_view::npos) return k + 1;
                    return 0;
                };
                if (first_index) {
                    auto res = ColumnUInt64::create(rows);
                    for (size_t i = 0; i < rows; ++i) res->getData()[i] = find(s[i]);
                    return res;
                }
                auto res = ColumnUInt8::create(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = find(s[i]) != 0;
                return res;
            });
        });
    }
}

}  // namespace

void registerStringRegexFunctions(FunctionFactory& f) {
    registerLike(f);
    registerRegexFunctions(f);
    registerReplace(f);
    registerSplit(f);
}

}  // namespace basalt
