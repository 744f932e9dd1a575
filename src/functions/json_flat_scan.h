// json_flat_scan.h — a validating single-pass lookup of one key in a flat JSON object, the fast path
// of JSONExtractString/JSONHas in front of simdjson's DOM parser.
//
// Why hand-written: event properties are typically small flat objects ({"page":"/p/1","device":"x"},
// ~50 bytes). For documents that small simdjson's DOM parse is dominated by fixed per-document work
// (stage-1 over a padded 64-byte block, the tape, the copy into the padded buffer), about 3x the cost
// of one scalar pass that validates the document while looking for the key.
//
// The scanner answers only when it is certain the document is valid JSON that simdjson's DOM parser
// accepts and that the answer equals the DOM's: it accepts the subset "object of ASCII keys and values
// that are strings without escapes, short numbers, true, false or null", in JSON's strict grammar.
// Everything else (escapes, non-ASCII bytes, nested containers, long numbers, any syntax it does not
// recognise) returns Fallback and the caller parses the document with simdjson, so a document is
// never judged by this code alone. Duplicate keys: the first occurrence wins, as in simdjson's at_key.
// tests/unit/json_flat_scan_test.cpp checks it differentially against simdjson.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace basalt::json_flat {

enum class Result {
    Fallback,      // not decided here: parse with the DOM
    Missing,       // valid document, key absent
    FoundString,   // valid document, first value under key is a string without escapes (in `value`)
    FoundOther,    // valid document, first value under key is a number, true, false or null (raw text in `value`)
};

inline bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Scans a string body starting after the opening quote; returns the index of the closing quote, or
// npos for anything that needs the DOM (escape, control byte, non-ASCII, end of input).
inline size_t scanPlainString(const unsigned char* p, size_t i, size_t n) {
    for (; i < n; ++i) {
        unsigned char c = p[i];
        if (c == '"') return i;
        if (c == '\\' || c < 0x20 || c >= 0x80) return std::string_view::npos;
    }
    return std::string_view::npos;
}

// Scans a number starting at i in JSON's grammar -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?;
// returns its end, or npos when malformed or long enough (> 15 significant characters, > 2 exponent
// digits) that range and big-integer handling would matter.
inline size_t scanShortNumber(const unsigned char* p, size_t i, size_t n) {
    size_t start = i;
    auto digit = [&](size_t k) { return k < n && p[k] >= '0' && p[k] <= '9'; };
    if (i < n && p[i] == '-') ++i;
    if (!digit(i)) return std::string_view::npos;
    if (p[i] == '0') ++i;
    else while (digit(i)) ++i;
    if (i < n && p[i] == '.') {
        ++i;
        if (!digit(i)) return std::string_view::npos;
        while (digit(i)) ++i;
    }
    if (i - start > 15) return std::string_view::npos;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        ++i;
        if (i < n && (p[i] == '+' || p[i] == '-')) ++i;
        size_t e = i;
        while (digit(i)) ++i;
        if (i == e || i - e > 2) return std::string_view::npos;
    }
    return i;
}

inline Result lookup(std::string_view doc, std::string_view key, std::string_view& value) {
    const auto* p = reinterpret_cast<const unsigned char*>(doc.data());
    size_t n = doc.size(), i = 0;
    auto skipSpace = [&] { while (i < n && isSpace(p[i])) ++i; };
    skipSpace();
    if (i >= n || p[i] != '{') return Result::Fallback;
    ++i;
    skipSpace();
    Result found = Result::Missing;
    if (i < n && p[i] == '}') {
        ++i;
    } else {
        for (;;) {
            if (i >= n || p[i] != '"') return Result::Fallback;
            size_t kb = i + 1, ke = scanPlainString(p, kb, n);
            if (ke == std::string_view::npos) return Result::Fallback;
            bool match = found == Result::Missing && ke - kb == key.size() && (key.empty() || std::memcmp(p + kb, key.data(), key.size()) == 0);
            i = ke + 1;
            skipSpace();
            if (i >= n || p[i] != ':') return Result::Fallback;
            ++i;
            skipSpace();
            if (i >= n) return Result::Fallback;
            size_t vb = i, ve;
            Result kind = Result::FoundOther;
            unsigned char c = p[i];
            if (c == '"') {
                ve = scanPlainString(p, i + 1, n);
                if (ve == std::string_view::npos) return Result::Fallback;
                kind = Result::FoundString;
                if (match) value = std::string_view(doc.data() + vb + 1, ve - vb - 1);
                i = ve + 1;
            } else {
                if (c == 't' && n - i >= 4 && std::memcmp(p + i, "true", 4) == 0) ve = i + 4;
                else if (c == 'f' && n - i >= 5 && std::memcmp(p + i, "false", 5) == 0) ve = i + 5;
                else if (c == 'n' && n - i >= 4 && std::memcmp(p + i, "null", 4) == 0) ve = i + 4;
                else if (c == '-' || (c >= '0' && c <= '9')) ve = scanShortNumber(p, i, n);
                else return Result::Fallback;   // nested container or invalid
                if (ve == std::string_view::npos) return Result::Fallback;
                if (match) value = std::string_view(doc.data() + vb, ve - vb);
                i = ve;
            }
            if (match) found = kind;
            skipSpace();
            if (i >= n) return Result::Fallback;
            if (p[i] == '}') { ++i; break; }
            if (p[i] != ',') return Result::Fallback;
            ++i;
            skipSpace();
        }
    }
    skipSpace();
    return i == n ? found : Result::Fallback;
}

}  // namespace basalt::json_flat
