// fuzz_sql.cpp — libFuzzer entry point for the whole engine: the input is a SQL script run statement
// by statement through a basalt::Session on a fresh in-memory catalog, with tight limits (1 second,
// 256 MB, small blocks, one thread). Every result is formatted. basalt::Exception (syntax errors,
// type errors, TIMEOUT_EXCEEDED, MEMORY_LIMIT_EXCEEDED, ...) is the expected outcome for most inputs;
// any other exception, crash, hang or sanitizer report is a bug.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/exception.h"
#include "interpreter/interpreter.h"
#include "sql/parser.h"
#include "storage/catalog.h"

namespace {

std::string lower(std::string_view s) {
    std::string r(s);
    std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return r;
}

// Inputs we do not run: they would only measure how long the limits take to fire, or they would
// lift the limits themselves.
bool rejected(std::string_view script) {
    if (script.size() > 2048) return true;
    std::string s = lower(script);
    // Infinite tables: fine with LIMIT, otherwise only the 1 s timeout ends them.
    bool infinite = s.find("system.numbers") != std::string::npos || s.find("system.zeros") != std::string::npos;
    if (infinite && s.find("limit") == std::string::npos) return true;
    // The fuzzer must not raise the limits it runs under (SET / SETTINGS clauses).
    for (const char* name : {"max_memory_usage", "max_execution_time", "max_block_size", "max_threads",
                             "max_query_size", "max_parser_depth", "max_ast_elements", "max_result_rows"})
        if (s.find(name) != std::string::npos) return true;
    // Functions whose only job is to take time.
    if (s.find("sleep") != std::string::npos) return true;
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view script(reinterpret_cast<const char*>(data), size);
    if (rejected(script)) return -1;  // -1: do not add to the corpus
    auto catalog = basalt::openCatalog("");
    basalt::Session session(*catalog);
    session.settings().max_execution_time = 1;
    session.settings().max_memory_usage = 256ull << 20;
    session.settings().max_block_size = 1000;
    session.settings().max_threads = 1;
    session.settings().max_result_rows = 0;
    for (std::string_view stmt : basalt::splitStatements(script)) {
        try {
            basalt::StatementOutput out = session.execute(std::string(stmt));
            (void)session.formatResult(out, "TabSeparated");
        } catch (const basalt::Exception&) {
        }
        // A statement may have tried SET on a limit through an alias we did not spot; reassert them.
        session.settings().max_execution_time = 1;
        session.settings().max_memory_usage = 256ull << 20;
        session.settings().max_block_size = 1000;
        session.settings().max_threads = 1;
    }
    return 0;
}
