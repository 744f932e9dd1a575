// fuzz_parser.cpp — libFuzzer entry point for the SQL front end: splits the input as a script and
// parses every statement. Any exception other than basalt::Exception, any crash or sanitizer report
// is a bug; syntax errors and depth-limit errors are the expected outcome for most inputs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/exception.h"
#include "sql/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view script(reinterpret_cast<const char*>(data), size);
    for (std::string_view stmt : basalt::splitStatements(script)) {
        try {
            basalt::ParsedStatement st = basalt::parseStatement(stmt);
            // Exercise the AST methods too: formatting and cloning walk the whole tree.
            if (st.ast) {
                (void)st.ast->formatSQL();
                (void)st.ast->clone();
                (void)basalt::dumpTree(*st.ast);
            }
        } catch (const basalt::Exception&) {
        }
    }
    try {
        (void)basalt::parseStatement(script);
    } catch (const basalt::Exception&) {
    }
    return 0;
}
