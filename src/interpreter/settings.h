// settings.h — query/session settings with ClickHouse names, defaults and SET / SETTINGS handling.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/field.h"

namespace basalt {

struct Settings {
    uint64_t max_threads = 0;             // 0 = number of cores
    uint64_t max_block_size = 65536;
    uint64_t max_memory_usage = 0;        // bytes, 0 = unlimited
    uint64_t max_memory_usage_for_user = 0;   // bytes over all running statements of the user, 0 = unlimited
    double max_execution_time = 0;        // seconds, 0 = unlimited
    std::string session_timezone;         // "" = server default (UTC)
    uint64_t max_query_size = 262144;
    uint64_t max_parser_depth = 1000;
    uint64_t max_result_rows = 0;
    bool output_format_json_quote_64bit_integers = false;   // ClickHouse 25+ default
    uint64_t output_format_pretty_max_rows = 10000;
    bool input_format_null_as_default = true;
    bool input_format_skip_unknown_fields = true;
    std::string union_default_mode;
    uint64_t max_ast_elements = 50000;
    bool readonly = false;
    bool short_circuit_function_evaluation = true;
    uint64_t max_insert_block_size = 1048449;   // rows per part written by one INSERT block
    uint64_t mutations_sync = 0;
    bool optimize_throw_if_noop = false;
    bool insert_deduplicate = true;             // Replicated*MergeTree: a retried identical block is skipped
    std::string insert_deduplication_token;     // replaces the data hash as the block's identity
    uint64_t replication_alter_partitions_sync = 1;   // OPTIMIZE/TRUNCATE on replicated tables: 0 no wait, 1 this replica, 2 all
    std::string default_format;
    bool allow_suspicious_low_cardinality_types = false;
    bool use_skip_indexes = true;               // MergeTree data-skipping indexes
    std::string force_data_skipping_indices;    // comma-separated indexes a query must use (INDEX_NOT_USED)
    bool optimize_read_in_order = true;         // ORDER BY a sorting-key prefix reads parts in key order
    bool use_top_k_dynamic_filtering = true;    // ORDER BY column LIMIT n: rows worse than the n-th best so far are skipped while reading
    bool optimize_functions_to_subcolumns = true;   // length(s) / s != '' of a MergeTree String read from its lengths
    bool optimize_move_to_prewhere = true;      // MergeTree evaluates WHERE while reading (filter columns first)
    bool optimize_on_insert = true;             // MergeTree family: an INSERT block is merged by the engine's mode before it is written
    bool do_not_merge_across_partitions_select_final = false;   // FINAL merges rows of one partition only
    bool join_use_nulls = false;                // outer joins fill missing sides with NULL (Nullable types) instead of defaults
    std::string join_default_strictness = "ALL";   // strictness of a JOIN written without ALL/ANY
    std::string join_algorithm = "direct,parallel_hash,hash";   // grace_hash / partial_merge / auto: spill when the build side exceeds max_bytes_in_join
    uint64_t max_bytes_in_join = 0;             // build side limit (0 = none)
    uint64_t max_rows_in_join = 0;
    std::string query_plan_join_swap_table = "auto";   // ALL joins: index the left side when the right is much larger ("auto"), always ("1"), never ("0")
    bool transform_null_in = false;             // NULL IN (..., NULL, ...) is 1 instead of NULL
    uint64_t max_recursive_cte_evaluation_depth = 1000;
    // Clusters (Distributed tables, remote(), ON CLUSTER).
    bool skip_unavailable_shards = false;       // a shard with no reachable replica is skipped instead of failing the query
    uint64_t distributed_group_by_no_merge = 0; // 1: shards run the whole query, the initiator only concatenates
    std::string load_balancing = "random";      // replica choice: random, in_order, first_or_random, round_robin, nearest_hostname
    bool distributed_foreground_insert = false; // INSERT into Distributed waits for every shard (else: durable queue, sent in background)
    uint64_t connect_timeout_with_failover_ms = 1000;
    uint64_t receive_timeout = 300;             // seconds: SYSTEM SYNC REPLICA and replicated OPTIMIZE/TRUNCATE waits
    uint64_t connections_with_failover_max_tries = 3;
    uint64_t distributed_ddl_task_timeout = 180;   // seconds ON CLUSTER DDL waits for every host
    uint64_t insert_quorum = 0;                 // replicated INSERT acknowledged after this many replicas have the part

    // Applies `name = value`; throws UNKNOWN_SETTING (115) / CANNOT_PARSE_* for bad values.
    void set(const std::string& name, const Field& value);
    // name, current value as text, default as text, changed, description, type.
    struct Row { std::string name, value, default_value, description, type; bool changed; };
    std::vector<Row> describe() const;
    size_t effectiveThreads() const;
    std::string timezone() const { return session_timezone.empty() ? "UTC" : session_timezone; }
};

}  // namespace basalt
