// test_engine.h — an in-memory basalt for unit tests: a path-less catalog and one session; run()
// returns a statement's result as TabSeparated text, code() the error code it throws (0 if none).
#pragma once
#include <memory>
#include <string>

#include "common/exception.h"
#include "interpreter/interpreter.h"
#include "storage/catalog.h"

namespace basalt {

struct TestEngine {
    std::unique_ptr<Catalog> catalog = openCatalog("");
    Session session{*catalog};
    std::string run(const std::string& sql) { return session.formatResult(session.execute(sql), "TabSeparated"); }
    int code(const std::string& sql) {
        try { run(sql); } catch (const Exception& e) { return e.code(); }
        return 0;
    }
};

}  // namespace basalt
