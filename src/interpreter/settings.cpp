// settings.cpp — the table of known settings (name, member, description) drives SET and system.settings.
#include "interpreter/settings.h"

#include <thread>

#include "common/date_time.h"
#include "common/exception.h"
#include "common/string_utils.h"

namespace basalt {

namespace {

uint64_t toUInt(const std::string& name, const Field& v) {
    if (v.is<uint64_t>()) return v.get<uint64_t>();
    if (v.is<int64_t>() && v.get<int64_t>() >= 0) return uint64_t(v.get<int64_t>());
    if (v.is<bool>()) return v.get<bool>();
    if (v.is<double>() && v.get<double>() >= 0) return uint64_t(v.get<double>());
    if (v.is<std::string>()) {
        const std::string& s = v.get<std::string>();
        try {
            size_t pos = 0;
            uint64_t r = std::stoull(s, &pos);
            if (pos == s.size()) return r;
        } catch (...) {}
    }
    throw Exception(ErrorCodes::CANNOT_PARSE_NUMBER, "Cannot parse value " + v.toSQL() + " of setting " + name + " as UInt64");
}
bool toBool(const std::string& name, const Field& v) {
    if (v.is<std::string>()) {
        std::string s = toLower(v.get<std::string>());
        if (s == "true" || s == "1") return true;
        if (s == "false" || s == "0") return false;
        throw Exception(ErrorCodes::CANNOT_PARSE_BOOL, "Cannot parse boolean value of setting " + name);
    }
    return toUInt(name, v) != 0;
}
std::string toStr(const Field& v) {
    if (v.is<std::string>()) return v.get<std::string>();
    return v.toSQL();
}

struct Desc { const char* name; const char* type; const char* description; };
const Desc kSettings[] = {
    {"max_threads", "MaxThreads", "The maximum number of threads to execute the request. By default, it is determined automatically."},
    {"max_block_size", "UInt64", "Maximum block size in rows for reading and processing."},
    {"max_memory_usage", "UInt64", "Maximum memory usage for processing of a single query. Zero means unlimited."},
    {"max_memory_usage_for_user", "UInt64", "Maximum memory usage for processing all concurrently running queries for the user. Zero means unlimited."},
    {"max_execution_time", "Seconds", "Maximum query execution time in seconds. Zero means unlimited."},
    {"session_timezone", "Timezone", "The default time zone of the session for DateTime values without an explicit zone."},
    {"max_query_size", "UInt64", "The maximum number of bytes of a query string parsed by the SQL parser."},
    {"max_parser_depth", "UInt64", "Maximum parser depth (recursion depth of the recursive descent parser)."},
    {"max_result_rows", "UInt64", "Limit on result size in rows. Zero means unlimited."},
    {"output_format_json_quote_64bit_integers", "Bool", "Controls quoting of 64-bit integers in JSON output formats."},
    {"output_format_pretty_max_rows", "UInt64", "Rows limit for Pretty formats."},
    {"input_format_null_as_default", "Bool", "Initialize NULL fields with default values if the column is not Nullable."},
    {"input_format_skip_unknown_fields", "Bool", "Skip columns with unknown names in input formats."},
    {"union_default_mode", "SetOperationMode", "Default mode of UNION (ALL or DISTINCT)."},
    {"max_ast_elements", "UInt64", "Maximum number of elements in a query syntax tree."},
    {"readonly", "UInt64", "Restricts permissions for non-read queries."},
    {"short_circuit_function_evaluation", "ShortCircuitFunctionEvaluation", "Calculate if/multiIf/and/or lazily."},
    {"default_format", "String", "Default output format."},
    {"max_insert_block_size", "NonZeroUInt64", "The maximum block size for insertion, if we control the creation of blocks for insertion."},
    {"mutations_sync", "UInt64", "Wait for mutations: 0 - asynchronously, 1 - on this replica, 2 - on all replicas."},
    {"optimize_throw_if_noop", "Bool", "Throw an exception if OPTIMIZE did not perform a merge."},
    {"insert_deduplicate", "Bool", "Deduplicate blocks inserted into replicated tables."},
    {"insert_deduplication_token", "String", "If not empty, used instead of the data hash to deduplicate inserted blocks."},
    {"replication_alter_partitions_sync", "UInt64", "Wait for OPTIMIZE/TRUNCATE/ALTER on replicated tables: 0 - do not wait, 1 - this replica, 2 - all replicas."},
    {"use_skip_indexes", "Bool", "Use data skipping indexes during query execution."},
    {"force_data_skipping_indices", "String", "Comma separated list of data skipping indices that must be used, otherwise an exception is thrown."},
    {"optimize_functions_to_subcolumns", "Bool", "Enable optimizing functions to subcolumns. If enabled, some functions are rewritten to read only subcolumns instead of whole columns."},
    {"optimize_move_to_prewhere", "Bool", "Allows PREWHERE optimization in SELECT queries from MergeTree."},
    {"optimize_on_insert", "Bool", "Do the same transformation for inserted block of data as if merge was done on this block."},
    {"do_not_merge_across_partitions_select_final", "Bool", "Merge parts only in one partition in select final"},
    {"optimize_read_in_order", "Bool", "Enable ORDER BY optimization for reading data in corresponding order in MergeTree tables."},
    {"use_top_k_dynamic_filtering", "Bool", "Enable dynamic filtering optimization when executing a `ORDER BY <column> LIMIT n` query."},
    {"join_use_nulls", "Bool", "Sets the type of JOIN behaviour. When merging tables, empty cells may appear. ClickHouse fills them differently based on this setting."},
    {"join_default_strictness", "JoinStrictness", "Sets default strictness for JOIN clauses."},
    {"join_algorithm", "JoinAlgorithm", "Specifies which JOIN algorithm is used."},
    {"max_bytes_in_join", "UInt64", "The maximum size in bytes of the right-side data structure (typically a hash table) used when joining tables."},
    {"max_rows_in_join", "UInt64", "Limits the number of rows in the right-side data structure (typically a hash table) used when joining tables."},
    {"query_plan_join_swap_table", "BoolAuto", "Determine which side of the join should be the build table (also called inner, the one inserted into the hash table for a hash join) in the query plan."},
    {"transform_null_in", "Bool", "If enabled, NULL values will be compared using the IN operator, the same as in other expressions."},
    {"max_recursive_cte_evaluation_depth", "UInt64", "Maximum limit on recursive CTE evaluation depth"},
    {"skip_unavailable_shards", "Bool", "If true, ClickHouse silently skips unavailable shards."},
    {"distributed_group_by_no_merge", "UInt64", "If 1, do not merge aggregation states from different servers for distributed query processing."},
    {"load_balancing", "LoadBalancing", "Which replicas (among healthy replicas) to preferably send a query to (on the first attempt) for distributed processing."},
    {"distributed_foreground_insert", "Bool", "Enables or disables synchronous data insertion into a Distributed table."},
    {"connect_timeout_with_failover_ms", "Milliseconds", "Connection timeout for selecting first healthy replica."},
    {"receive_timeout", "Seconds", "Timeout for receiving data from network, in seconds. If no bytes were received in this interval, the exception is thrown."},
    {"connections_with_failover_max_tries", "UInt64", "The maximum number of attempts to connect to replicas."},
    {"distributed_ddl_task_timeout", "Int64", "Timeout for DDL query responses from all hosts in the cluster."},
    {"insert_quorum", "UInt64Auto", "For INSERT queries in the replicated table, wait writing for the specified number of replicas and linearize the addition of the data."},
    {"allow_suspicious_low_cardinality_types", "Bool", "Allows LowCardinality of fixed-size types (numbers, dates, IPs): usually slower than the plain type."},
};

}  // namespace

void Settings::set(const std::string& name, const Field& v) {
    if (name == "max_threads") max_threads = toUInt(name, v);
    else if (name == "max_block_size") {
        max_block_size = toUInt(name, v);
        if (max_block_size == 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Setting max_block_size must not be zero");
    } else if (name == "max_memory_usage") max_memory_usage = toUInt(name, v);
    else if (name == "max_memory_usage_for_user") max_memory_usage_for_user = toUInt(name, v);
    else if (name == "max_execution_time") {
        if (v.is<double>()) max_execution_time = v.get<double>();
        else max_execution_time = double(toUInt(name, v));
    } else if (name == "session_timezone") {
        std::string tz = toStr(v);
        if (!tz.empty()) getTimeZone(tz);   // validates
        session_timezone = tz;
    } else if (name == "max_query_size") max_query_size = toUInt(name, v);
    else if (name == "max_parser_depth") max_parser_depth = toUInt(name, v);
    else if (name == "max_result_rows") max_result_rows = toUInt(name, v);
    else if (name == "output_format_json_quote_64bit_integers") output_format_json_quote_64bit_integers = toBool(name, v);
    else if (name == "output_format_pretty_max_rows") output_format_pretty_max_rows = toUInt(name, v);
    else if (name == "input_format_null_as_default") input_format_null_as_default = toBool(name, v);
    else if (name == "input_format_skip_unknown_fields") input_format_skip_unknown_fields = toBool(name, v);
    else if (name == "union_default_mode") union_default_mode = toStr(v);
    else if (name == "max_ast_elements") max_ast_elements = toUInt(name, v);
    else if (name == "readonly") readonly = toUInt(name, v) != 0;
    else if (name == "short_circuit_function_evaluation") {
        std::string s = toLower(toStr(v));
        short_circuit_function_evaluation = s != "disable" && s != "0";
    } else if (name == "default_format") default_format = toStr(v);
    else if (name == "max_insert_block_size") {
        max_insert_block_size = toUInt(name, v);
        if (max_insert_block_size == 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "A setting's value has to be greater than 0");
    } else if (name == "mutations_sync") mutations_sync = toUInt(name, v);
    else if (name == "optimize_throw_if_noop") optimize_throw_if_noop = toBool(name, v);
    else if (name == "insert_deduplicate") insert_deduplicate = toBool(name, v);
    else if (name == "insert_deduplication_token") insert_deduplication_token = toStr(v);
    else if (name == "replication_alter_partitions_sync") replication_alter_partitions_sync = toUInt(name, v);
    else if (name == "allow_suspicious_low_cardinality_types") allow_suspicious_low_cardinality_types = toBool(name, v);
    else if (name == "use_skip_indexes") use_skip_indexes = toBool(name, v);
    else if (name == "force_data_skipping_indices") force_data_skipping_indices = toStr(v);
    else if (name == "optimize_read_in_order") optimize_read_in_order = toBool(name, v);
    else if (name == "use_top_k_dynamic_filtering") use_top_k_dynamic_filtering = toBool(name, v);
    else if (name == "optimize_functions_to_subcolumns") optimize_functions_to_subcolumns = toBool(name, v);
    else if (name == "optimize_move_to_prewhere") optimize_move_to_prewhere = toBool(name, v);
    else if (name == "optimize_on_insert") optimize_on_insert = toBool(name, v);
    else if (name == "do_not_merge_across_partitions_select_final") do_not_merge_across_partitions_select_final = toBool(name, v);
    else if (name == "join_use_nulls") join_use_nulls = toBool(name, v);
    else if (name == "skip_unavailable_shards") skip_unavailable_shards = toBool(name, v);
    else if (name == "distributed_group_by_no_merge") distributed_group_by_no_merge = toUInt(name, v);
    else if (name == "load_balancing") {
        std::string s = toLower(toStr(v));
        if (s != "random" && s != "in_order" && s != "first_or_random" && s != "round_robin" && s != "nearest_hostname" && s != "hostname_levenshtein_distance")
            throw Exception(ErrorCodes::UNKNOWN_LOAD_BALANCING, "Unknown load balancing mode: '" + toStr(v) + "'. Must be one of 'random', 'nearest_hostname', 'hostname_levenshtein_distance', 'in_order', 'first_or_random', 'round_robin'");
        load_balancing = s;
    } else if (name == "distributed_foreground_insert" || name == "insert_distributed_sync") distributed_foreground_insert = toBool(name, v);
    else if (name == "connect_timeout_with_failover_ms") connect_timeout_with_failover_ms = toUInt(name, v);
    else if (name == "receive_timeout") receive_timeout = toUInt(name, v);
    else if (name == "connections_with_failover_max_tries") connections_with_failover_max_tries = toUInt(name, v);
    else if (name == "distributed_ddl_task_timeout") distributed_ddl_task_timeout = toUInt(name, v);
    else if (name == "insert_quorum") insert_quorum = toUInt(name, v);
    else if (name == "join_default_strictness") {
        std::string s = toUpper(toStr(v));
        if (s != "ALL" && s != "ANY" && s != "ASOF" && !s.empty())
            throw Exception(ErrorCodes::UNKNOWN_JOIN, "Unexpected value of JoinStrictness: '" + toStr(v) + "'");
        join_default_strictness = s;
    } else if (name == "join_algorithm") {
        std::string s = toLower(toStr(v));
        static const char* known[] = {"default", "auto", "hash", "parallel_hash", "grace_hash", "partial_merge", "prefer_partial_merge",
                                      "full_sorting_merge", "direct"};
        size_t b = 0;
        while (b <= s.size()) {
            size_t e = s.find(',', b);
            if (e == std::string::npos) e = s.size();
            std::string one = s.substr(b, e - b);
            while (!one.empty() && one.front() == ' ') one.erase(0, 1);
            while (!one.empty() && one.back() == ' ') one.pop_back();
            bool ok = false;
            for (const char* k : known) ok = ok || one == k;
            if (!ok) throw Exception(ErrorCodes::UNKNOWN_JOIN, "Unknown join algorithm: '" + one + "'");
            b = e + 1;
        }
        join_algorithm = s;
    } else if (name == "max_bytes_in_join") max_bytes_in_join = toUInt(name, v);
    else if (name == "max_rows_in_join") max_rows_in_join = toUInt(name, v);
    else if (name == "query_plan_join_swap_table") {
        std::string s = toLower(toStr(v));
        if (s == "auto") query_plan_join_swap_table = "auto";
        else query_plan_join_swap_table = toBool(name, v) ? "1" : "0";
    }
    else if (name == "transform_null_in") transform_null_in = toBool(name, v);
    else if (name == "max_recursive_cte_evaluation_depth") max_recursive_cte_evaluation_depth = toUInt(name, v);
    else {
        // Settings ClickHouse clients commonly send; accepted and ignored so drivers keep working.
        static const char* ignored[] = {"send_logs_level", "log_queries", "allow_experimental_analyzer", "enable_analyzer",
                                        "output_format_pretty_color", "optimize_aggregation_in_order",
                                        "compile_expressions", "use_uncompressed_cache"};
        for (const char* n : ignored) if (name == n) return;
        throw Exception(ErrorCodes::UNKNOWN_SETTING, "Unknown setting '" + name + "'");
    }
}

std::vector<Settings::Row> Settings::describe() const {
    Settings def;
    auto val = [](const Settings& s, const std::string& n) -> std::string {
        if (n == "max_threads") return s.max_threads ? std::to_string(s.max_threads) : "'auto(" + std::to_string(s.effectiveThreads()) + ")'";
        if (n == "max_block_size") return std::to_string(s.max_block_size);
        if (n == "max_memory_usage") return std::to_string(s.max_memory_usage);
        if (n == "max_memory_usage_for_user") return std::to_string(s.max_memory_usage_for_user);
        if (n == "max_execution_time") { std::string r = std::to_string(s.max_execution_time); r.erase(r.find_last_not_of('0') + 1); if (r.back() == '.') r.pop_back(); return r; }
        if (n == "session_timezone") return s.session_timezone;
        if (n == "max_query_size") return std::to_string(s.max_query_size);
        if (n == "max_parser_depth") return std::to_string(s.max_parser_depth);
        if (n == "max_result_rows") return std::to_string(s.max_result_rows);
        if (n == "output_format_json_quote_64bit_integers") return s.output_format_json_quote_64bit_integers ? "1" : "0";
        if (n == "output_format_pretty_max_rows") return std::to_string(s.output_format_pretty_max_rows);
        if (n == "input_format_null_as_default") return s.input_format_null_as_default ? "1" : "0";
        if (n == "input_format_skip_unknown_fields") return s.input_format_skip_unknown_fields ? "1" : "0";
        if (n == "union_default_mode") return s.union_default_mode;
        if (n == "max_ast_elements") return std::to_string(s.max_ast_elements);
        if (n == "readonly") return s.readonly ? "1" : "0";
        if (n == "short_circuit_function_evaluation") return s.short_circuit_function_evaluation ? "enable" : "disable";
        if (n == "default_format") return s.default_format;
        if (n == "max_insert_block_size") return std::to_string(s.max_insert_block_size);
        if (n == "mutations_sync") return std::to_string(s.mutations_sync);
        if (n == "optimize_throw_if_noop") return s.optimize_throw_if_noop ? "1" : "0";
        if (n == "insert_deduplicate") return s.insert_deduplicate ? "1" : "0";
        if (n == "insert_deduplication_token") return s.insert_deduplication_token;
        if (n == "replication_alter_partitions_sync") return std::to_string(s.replication_alter_partitions_sync);
        if (n == "allow_suspicious_low_cardinality_types") return s.allow_suspicious_low_cardinality_types ? "1" : "0";
        if (n == "use_skip_indexes") return s.use_skip_indexes ? "1" : "0";
        if (n == "force_data_skipping_indices") return s.force_data_skipping_indices;
        if (n == "optimize_read_in_order") return s.optimize_read_in_order ? "1" : "0";
        if (n == "use_top_k_dynamic_filtering") return s.use_top_k_dynamic_filtering ? "1" : "0";
        if (n == "optimize_functions_to_subcolumns") return s.optimize_functions_to_subcolumns ? "1" : "0";
        if (n == "optimize_move_to_prewhere") return s.optimize_move_to_prewhere ? "1" : "0";
        if (n == "optimize_on_insert") return s.optimize_on_insert ? "1" : "0";
        if (n == "do_not_merge_across_partitions_select_final") return s.do_not_merge_across_partitions_select_final ? "1" : "0";
        if (n == "join_use_nulls") return s.join_use_nulls ? "1" : "0";
        if (n == "skip_unavailable_shards") return s.skip_unavailable_shards ? "1" : "0";
        if (n == "distributed_group_by_no_merge") return std::to_string(s.distributed_group_by_no_merge);
        if (n == "load_balancing") return s.load_balancing;
        if (n == "distributed_foreground_insert") return s.distributed_foreground_insert ? "1" : "0";
        if (n == "connect_timeout_with_failover_ms") return std::to_string(s.connect_timeout_with_failover_ms);
        if (n == "receive_timeout") return std::to_string(s.receive_timeout);
        if (n == "connections_with_failover_max_tries") return std::to_string(s.connections_with_failover_max_tries);
        if (n == "distributed_ddl_task_timeout") return std::to_string(s.distributed_ddl_task_timeout);
        if (n == "insert_quorum") return std::to_string(s.insert_quorum);
        if (n == "join_default_strictness") return s.join_default_strictness;
        if (n == "join_algorithm") return s.join_algorithm;
        if (n == "max_bytes_in_join") return std::to_string(s.max_bytes_in_join);
        if (n == "max_rows_in_join") return std::to_string(s.max_rows_in_join);
        if (n == "query_plan_join_swap_table") return s.query_plan_join_swap_table;
        if (n == "transform_null_in") return s.transform_null_in ? "1" : "0";
        if (n == "max_recursive_cte_evaluation_depth") return std::to_string(s.max_recursive_cte_evaluation_depth);
        return "";
    };
    std::vector<Row> rows;
    for (auto& d : kSettings) {
        std::string v = val(*this, d.name), dv = val(def, d.name);
        rows.push_back({d.name, v, dv, d.description, d.type, v != dv});
    }
    return rows;
}

size_t Settings::effectiveThreads() const {
    if (max_threads) return max_threads;
    unsigned n = std::thread::hardware_concurrency();
    return n ? n : 1;
}

}  // namespace basalt
