// log_entry.h — one entry of a replicated table's replication log (<zk_path>/log/log-N) and of a
// replica's queue (<replica_path>/queue/queue-N): what every replica must do to reach the same
// set of parts. Text format in the spirit of ClickHouse's ReplicatedMergeTreeLogEntryData:
//
//   format version: 4
//   create_time: 2026-11-28 01:00:00
//   source replica: r1
//   block_id: 202611_123_456
//   get                      | merge            | drop (or detach)
//   all_0_0_0                | all_0_0_0        | all_0_41_999999999
//                            | all_1_1_0
//                            | into
//                            | all_0_1_1
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace basalt {

struct ReplicationLogEntry {
    enum class Type { GetPart, MergeParts, DropRange };
    Type type = Type::GetPart;
    std::string source_replica;
    std::string block_id;                  // GetPart of an INSERT: the deduplication block id
    std::string new_part_name;             // GetPart/MergeParts: the part made; DropRange: the range removed
    std::vector<std::string> source_parts; // MergeParts
    bool detach = false;                   // DropRange of DETACH PARTITION: parts go to detached/
    int64_t create_time = 0;               // unix seconds

    std::string toText() const;
    // BAD_ARGUMENTS (36) for text that is not an entry.
    static ReplicationLogEntry parse(const std::string& text);
    // ClickHouse's names in system.replication_queue: GET_PART, MERGE_PARTS, DROP_RANGE.
    const char* typeName() const;
};

}  // namespace basalt
