// context.cpp — QueryContext helpers.
#include "interpreter/context.h"

#include <cstdio>

#include "common/exception.h"
#include "dictionaries/dictionary.h"
#include "storage/catalog.h"
#include "storage/special_engines.h"

namespace basalt {

FormatSettings QueryContext::formatSettings() const {
    FormatSettings fs;
    fs.session_timezone = settings.timezone();
    fs.json_quote_64bit_integers = settings.output_format_json_quote_64bit_integers;
    fs.pretty_max_rows = settings.output_format_pretty_max_rows;
    fs.null_as_default = settings.input_format_null_as_default;
    fs.input_skip_unknown_fields = settings.input_format_skip_unknown_fields;
    return fs;
}

FunctionContext QueryContext::functionContext() const {
    FunctionContext fc;
    fc.session_timezone = settings.timezone();
    fc.current_database = current_database;
    fc.current_user = current_user;
    fc.allow_suspicious_low_cardinality_types = settings.allow_suspicious_low_cardinality_types;
    if (catalog) {
        Catalog* cat = catalog;
        std::string db = current_database;
        fc.find_dictionary = [cat, db](const std::string& name) -> std::shared_ptr<Dictionary> {
            auto dot = name.find('.');
            auto s = dot == std::string::npos ? cat->tryGetTable(db, name) : cat->tryGetTable(name.substr(0, dot), name.substr(dot + 1));
            auto* d = dynamic_cast<StorageDictionary*>(s.get());
            return d ? d->dictionary() : nullptr;
        };
        fc.find_join = [cat, db](const std::string& name) -> std::shared_ptr<Dictionary> {
            auto dot = name.find('.');
            auto s = dot == std::string::npos ? cat->tryGetTable(db, name) : cat->tryGetTable(name.substr(0, dot), name.substr(dot + 1));
            if (!s) throw Exception(ErrorCodes::UNKNOWN_TABLE, "Table " + name + " does not exist");
            auto* j = dynamic_cast<StorageJoin*>(s.get());
            return j ? j->index() : nullptr;   // not a Join table: the caller's error
        };
    }
    return fc;
}

void QueryContext::checkLimits() const {
    if (cancelled.load(std::memory_order_relaxed))
        throw Exception(ErrorCodes::QUERY_WAS_CANCELLED, "Query was cancelled");
    if (settings.max_execution_time > 0) {
        double e = elapsedSeconds();
        if (e > settings.max_execution_time) {
            char buf[160];
            snprintf(buf, sizeof(buf), "Timeout exceeded: elapsed %.6g seconds, maximum: %.6g", e, settings.max_execution_time);
            throw Exception(ErrorCodes::TIMEOUT_EXCEEDED, buf);
        }
    }
}

}  // namespace basalt
