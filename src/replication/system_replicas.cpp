// system_replicas.cpp — system.replicas (one row per Replicated*MergeTree table: leadership,
// read-only state, queue sizes, log position, replica counts) and system.replication_queue (the
// entries each replica has still to execute), with ClickHouse's column names.
#include "replication/replicated_merge_tree.h"
#include "interpreter/context.h"
#include "storage/catalog.h"
#include "storage/system_tables.h"
#include "types/data_type.h"

namespace basalt {

void registerReplicationSystemTables(Catalog& catalog);

namespace {
template <typename F>
void forEachReplicated(QueryContext& ctx, F&& f) {
    for (auto& d : ctx.catalog->databases())
        for (auto& [n, s] : ctx.catalog->tables(d))
            if (auto* mt = dynamic_cast<StorageMergeTree*>(s.get()))
                if (auto* r = dynamic_cast<ReplicatedMergeTree*>(mt->replication())) f(d, n, *mt, *r);
}
}  // namespace

void registerReplicationSystemTables(Catalog& catalog) {
    auto str = [](const char* n) { return col(n, TypeId::String); };
    auto u8 = [](const char* n) { return col(n, TypeId::UInt8); };
    auto u32 = [](const char* n) { return col(n, TypeId::UInt32); };
    auto u64 = [](const char* n) { return col(n, TypeId::UInt64); };
    auto time = [](const char* n) { return col(n, TypeId::DateTime); };
    std::vector<ColumnDescription> rcols{str("database"), str("table"), str("engine"), u8("is_leader"), u8("can_become_leader"), u8("is_readonly"),
                                         u8("is_session_expired"), str("zookeeper_name"), str("zookeeper_path"), str("replica_name"),
                                         str("replica_path"), u32("queue_size"), u32("inserts_in_queue"), u32("merges_in_queue"),
                                         u32("part_mutations_in_queue"), time("queue_oldest_time"), time("inserts_oldest_time"),
                                         time("merges_oldest_time"), u64("log_max_index"), u64("log_pointer"), time("last_queue_update"),
                                         u64("absolute_delay"), u8("total_replicas"), u8("active_replicas"), str("last_queue_update_exception"),
                                         str("zookeeper_exception")};
    catalog.addTable("system", "replicas", std::make_shared<StorageGenerated>("SystemReplicas", rcols, [rcols](QueryContext& ctx) {
        RowBuilder rb(rcols);
        forEachReplicated(ctx, [&](const std::string& db, const std::string& table, StorageMergeTree& mt, ReplicatedMergeTree& r) {
            auto s = r.status();
            rb.add({db, table, mt.engineName(), uint64_t(s.is_leader), uint64_t(1), uint64_t(s.is_readonly), uint64_t(s.is_session_expired),
                    std::string("default"), r.zookeeperPath(), r.replicaName(), r.replicaPath(), uint64_t(s.queue_size), uint64_t(s.inserts_in_queue),
                    uint64_t(s.merges_in_queue), uint64_t(0), uint64_t(s.queue_oldest_time), uint64_t(s.inserts_oldest_time),
                    uint64_t(s.merges_oldest_time), uint64_t(s.log_max_index), uint64_t(s.log_pointer), uint64_t(s.last_queue_update),
                    uint64_t(s.absolute_delay), uint64_t(s.total_replicas), uint64_t(s.active_replicas), s.last_queue_update_exception,
                    s.zookeeper_exception});
        });
        return rb.build();
    }), false);
    std::vector<ColumnDescription> qcols{str("database"), str("table"), str("replica_name"), u32("position"), str("node_name"), str("type"),
                                         time("create_time"), str("source_replica"), str("new_part_name"),
                                         col("parts_to_merge", makeArray(makeType(TypeId::String))), u8("is_currently_executing"),
                                         u32("num_tries"), str("last_exception"), time("last_exception_time"), time("last_attempt_time"),
                                         u32("num_postponed"), str("postpone_reason"), time("last_postpone_time")};
    catalog.addTable("system", "replication_queue", std::make_shared<StorageGenerated>("SystemReplicationQueue", qcols, [qcols](QueryContext& ctx) {
        RowBuilder rb(qcols);
        forEachReplicated(ctx, [&](const std::string& db, const std::string& table, StorageMergeTree&, ReplicatedMergeTree& r) {
            uint64_t position = 0;
            for (auto& q : r.queue()) {
                FieldArray sources;
                for (auto& p : q.entry.source_parts) sources.items.push_back(Field(p));
                rb.add({db, table, r.replicaName(), position++, q.node_name, std::string(q.entry.typeName()), uint64_t(q.entry.create_time),
                        q.entry.source_replica, q.entry.new_part_name, Field(sources), uint64_t(q.executing), uint64_t(q.num_tries),
                        q.last_exception, uint64_t(q.last_exception_time), uint64_t(q.last_attempt_time), uint64_t(q.num_postponed),
                        q.postpone_reason, uint64_t(q.last_postpone_time)});
            }
        });
        return rb.build();
    }), false);
}

}  // namespace basalt
