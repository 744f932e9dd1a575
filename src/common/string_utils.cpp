// string_utils.cpp — see string_utils.h.
#include "common/string_utils.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace basalt {

namespace {
// ClickHouse prints floats with the shortest round-trip digits laid out like JavaScript's
// Number.prototype.toString: plain notation for decimal exponents in (-7, 21], exponent form
// otherwise, without '+' or leading zeros in the exponent (1e21, 1e-7, 1.5e-9, 123456789012345680000).
template <typename F>
void appendFloatImpl(std::string& out, F v) {
    if (std::isnan(v)) { out += "nan"; return; }   // ClickHouse prints NaN without its sign
    if (std::isinf(v)) { out += v < 0 ? "-inf" : "inf"; return; }
    if (v == 0) { out += std::signbit(v) ? "-0" : "0"; return; }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
    std::string_view s(buf, res.ptr - buf);
    bool neg = s[0] == '-';
    if (neg) s.remove_prefix(1);
    size_t e = s.find('e');
    std::string digits;
    for (char c : s.substr(0, e)) if (c != '.') digits += c;
    int exp10 = std::atoi(std::string(s.substr(e + 1)).c_str());
    int k = int(digits.size());
    int n = exp10 + 1;  // value = 0.d1d2... * 10^n
    if (neg) out += '-';
    if (k <= n && n <= 21) {
        out += digits;
        out.append(size_t(n - k), '0');
    } else if (0 < n && n <= 21) {
        out.append(digits, 0, size_t(n));
        out += '.';
        out.append(digits, size_t(n), std::string::npos);
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(size_t(-n), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) { out += '.'; out.append(digits, 1, std::string::npos); }
        out += 'e';
        out += std::to_string(n - 1);
    }
}
}  // namespace

void appendFloat(std::string& out, double v) { appendFloatImpl(out, v); }
void appendFloat32(std::string& out, float v) { appendFloatImpl(out, v); }
std::string formatFloat(double v) { std::string s; appendFloat(s, v); return s; }
std::string formatFloat32(float v) { std::string s; appendFloat32(s, v); return s; }

void appendQuotedString(std::string& out, std::string_view s) {
    out += '\'';
    for (char c : s) {
        switch (c) {
            case '\'': out += "\\'"; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\r': out += "\\r"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\0': out += "\\0"; break;
            default: out += c;
        }
    }
    out += '\'';
}

std::string quoteString(std::string_view s) { std::string r; appendQuotedString(r, s); return r; }

std::string backQuote(std::string_view s) {
    std::string r = "`";
    for (char c : s) {
        if (c == '`' || c == '\\') r.push_back('\\');
        r.push_back(c);
    }
    return r + "`";
}

void appendEscapedTSV(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\'': out += "\\'"; break;  // ClickHouse's TSV escaping also escapes single quotes
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\r': out += "\\r"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\0': out += "\\0"; break;
            default: out += c;
        }
    }
}

void appendJSONString(std::string& out, std::string_view s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\r': out += "\\r"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '/': out += "\\/"; break;
            default:
                if (c < 0x20) {
                    static const char* hex = "0123456789ABCDEF";
                    out += "\\u00"; out += hex[c >> 4]; out += hex[c & 15];
                } else out += char(c);
        }
    }
    out += '"';
}

void appendCSVString(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) { if (c == '"') out += '"'; out += c; }
    out += '"';
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower((unsigned char)a[i]) != std::tolower((unsigned char)b[i])) return false;
    return true;
}

std::string toLower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = char(std::tolower((unsigned char)c));
    return r;
}
std::string toUpper(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = char(std::toupper((unsigned char)c));
    return r;
}
bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = std::tolower((unsigned char)a[i - 1]) == std::tolower((unsigned char)b[j - 1]) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace basalt
