// json_flat_scan_test.cpp — the flat-object JSON fast path (functions/json_flat_scan.h) checked
// differentially against simdjson's DOM parser: whenever the scanner answers instead of falling back,
// the DOM must accept the document and give the same answer. Documents come from a generator of flat
// and nested objects plus random mutations (byte flips, truncations, insertions).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>
#include <vector>

#include "functions/json_flat_scan.h"

namespace {

using basalt::json_flat::Result;

// The DOM's answer in the scanner's terms; Fallback when the DOM rejects the document.
Result domLookup(simdjson::dom::parser& parser, const std::string& doc, const std::string& key, std::string& str) {
    auto parsed = parser.parse(doc.data(), doc.size(), true);
    if (parsed.error()) return Result::Fallback;
    simdjson::dom::element root = parsed.value_unsafe();
    if (root.type() != simdjson::dom::element_type::OBJECT) return Result::Fallback;
    auto r = root.get_object().value_unsafe().at_key(key);
    if (r.error()) return Result::Missing;
    if (r.value_unsafe().type() == simdjson::dom::element_type::STRING) {
        str = std::string(r.value_unsafe().get_string().value_unsafe());
        return Result::FoundString;
    }
    return Result::FoundOther;
}

void expectAgrees(simdjson::dom::parser& parser, const std::string& doc, const std::string& key, size_t& answered) {
    std::string_view value;
    Result fast = basalt::json_flat::lookup(doc, key, value);
    if (fast == Result::Fallback) return;
    ++answered;
    std::string dom_str;
    Result dom = domLookup(parser, doc, key, dom_str);
    ASSERT_EQ(int(fast), int(dom)) << "doc=" << doc << " key=" << key;
    if (fast == Result::FoundString) {
        ASSERT_EQ(std::string(value), dom_str) << "doc=" << doc;
    }
}

std::string randomValue(std::mt19937_64& rng, int depth) {
    static const std::vector<std::string> atoms = {
        "\"mobile\"", "\"\"", "\"a b\"", "\"/p/123\"", "\"es\\\"c\"", "\"caf\xc3\xa9\"", "\"\x01\"", "0", "-0", "12", "-7.25",
        "1e5", "1E+2", "2.5e-3", "01", "1.", ".5", "+1", "-", "123456789012345678901234", "1e400", "true", "false",
        "null", "tru", "nul", "True", "[]", "[1,2]", "{}", "{\"x\":1}", "\"\\u00e9\""};
    if (depth < 2 && rng() % 8 == 0) {
        std::string s = "{\"in\":" + randomValue(rng, depth + 1) + "}";
        return s;
    }
    return atoms[rng() % atoms.size()];
}

std::string randomDoc(std::mt19937_64& rng) {
    static const std::vector<std::string> keys = {"device", "page", "price", "", "dev", "device ", "k\\\"", "DEVICE"};
    static const std::vector<std::string> spaces = {"", "", "", " ", "\n", "\t ", "\r\n"};
    auto ws = [&] { return spaces[rng() % spaces.size()]; };
    std::string d = ws() + "{" + ws();
    size_t members = rng() % 5;
    for (size_t m = 0; m < members; ++m) {
        if (m) d += ws() + "," + ws();
        d += "\"" + keys[rng() % keys.size()] + "\"" + ws() + ":" + ws() + randomValue(rng, 0);
    }
    d += ws() + "}" + ws();
    // Mutations: a third of the documents are damaged in one place.
    switch (rng() % 9) {
        case 0: if (!d.empty()) d[rng() % d.size()] = "{}[]\":, x\\\x00\x80"[rng() % 13]; break;
        case 1: d.resize(rng() % (d.size() + 1)); break;
        case 2: d.insert(rng() % (d.size() + 1), 1, ",:\"}{ 0"[rng() % 7]); break;
        default: break;
    }
    return d;
}

TEST(JsonFlatScan, AgreesWithSimdjsonDom) {
    simdjson::dom::parser parser;
    std::mt19937_64 rng(20261128);
    size_t answered = 0, total = 0;
    for (int iter = 0; iter < 200000; ++iter) {
        std::string doc = randomDoc(rng);
        for (const char* key : {"device", "page", "", "missing"}) {
            expectAgrees(parser, doc, key, answered);
            if (HasFatalFailure()) return;
            ++total;
        }
    }
    // The fast path must actually engage on a good share of the generated documents.
    EXPECT_GT(answered, total / 10);
}

TEST(JsonFlatScan, AnswersTypicalEventProperties) {
    std::string_view v;
    EXPECT_EQ(basalt::json_flat::lookup(R"({"page":"/p/12","device":"mobile"})", "device", v), Result::FoundString);
    EXPECT_EQ(v, "mobile");
    EXPECT_EQ(basalt::json_flat::lookup(R"({"page":"/p/12","device":"tablet","price":12.5})", "price", v), Result::FoundOther);
    EXPECT_EQ(v, "12.5");
    EXPECT_EQ(basalt::json_flat::lookup(R"( { } )", "device", v), Result::Missing);
    EXPECT_EQ(basalt::json_flat::lookup(R"({"device":"a","device":"b"})", "device", v), Result::FoundString);
    EXPECT_EQ(v, "a");   // first occurrence, as simdjson's at_key
    // Left to the DOM: escapes, non-ASCII, nesting, invalid documents, trailing garbage.
    EXPECT_EQ(basalt::json_flat::lookup(R"({"device":"a\"b"})", "device", v), Result::Fallback);
    EXPECT_EQ(basalt::json_flat::lookup("{\"device\":\"caf\xc3\xa9\"}", "device", v), Result::Fallback);
    EXPECT_EQ(basalt::json_flat::lookup(R"({"a":{"device":"x"}})", "device", v), Result::Fallback);
    EXPECT_EQ(basalt::json_flat::lookup(R"({"device":"x",})", "device", v), Result::Fallback);
    EXPECT_EQ(basalt::json_flat::lookup(R"({"device":"x"} x)", "device", v), Result::Fallback);
    EXPECT_EQ(basalt::json_flat::lookup(R"({"n":01})", "device", v), Result::Fallback);
    EXPECT_EQ(basalt::json_flat::lookup("", "device", v), Result::Fallback);
}

}  // namespace
