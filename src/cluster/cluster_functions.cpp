// cluster_functions.cpp — how SQL reaches the cluster module: ENGINE = Distributed(...), the
// remote() / remoteSecure() / cluster() / clusterAllReplicas() table functions, and the
// system.clusters / system.macros / system.distribution_queue tables.
#include "cluster/cluster_functions.h"

#include "client/connection.h"
#include "cluster/storage_distributed.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "interpreter/context.h"
#include "storage/catalog.h"
#include "storage/system_tables.h"
#include "types/create_column.h"
#include "types/data_type.h"

namespace basalt {

std::string generateUUIDv4();   // interpreter.cpp
void registerZooKeeperSystemTable(Catalog& catalog);   // system_zookeeper.cpp
void registerReplicationSystemTables(Catalog& catalog);   // replication/system_replicas.cpp

namespace {

// A name argument: 'literal', identifier, or currentDatabase().
std::string nameArgument(const ASTPtr& a, QueryContext& ctx, const std::string& what) {
    if (auto* lit = a->as<ASTLiteral>(); lit && lit->value.is<std::string>()) return lit->value.get<std::string>();
    if (auto* f = a->as<ASTFunction>(); f && (f->name == "currentDatabase" || f->name == "DATABASE")) return ctx.current_database;
    if (auto* id = a->as<ASTIdentifier>()) return id->name();
    throw Exception(ErrorCodes::BAD_ARGUMENTS, what + " must be a name or a string literal, got " + a->formatSQL(false));
}

// 'db.table' or `db`.`table` split at the first dot.
void splitQualified(const std::string& s, std::string& db, std::string& table, QueryContext& ctx) {
    size_t dot = s.find('.');
    if (dot == std::string::npos) { db = ctx.current_database; table = s; }
    else { db = s.substr(0, dot); table = s.substr(dot + 1); }
}

// The remote table's ordinary columns, from DESCRIBE on the first shard that answers.
TableMetadata remoteStructure(StorageDistributed& probe, QueryContext& ctx) {
    auto c = probe.cluster();
    std::string log;
    for (auto& shard : c->shards) {
        try {
            auto conn = connectToShard(shard, ctx.settings);
            auto blocks = conn->execute("DESCRIBE TABLE " + probe.remoteTableSQL());
            TableMetadata md;
            for (auto& b : blocks)
                for (size_t i = 0; i < b.rows(); ++i) {
                    std::string kind = b.columns() > 2 ? b.at(2).column->get(i).get<std::string>() : "";
                    if (kind == "MATERIALIZED" || kind == "ALIAS" || kind == "EPHEMERAL") continue;
                    md.columns.push_back({b.at(0).column->get(i).get<std::string>(), parseDataType(b.at(1).column->get(i).get<std::string>()), "", nullptr, "", ""});
                }
            return md;
        } catch (const Exception& e) {
            if (e.code() != ErrorCodes::ALL_CONNECTION_TRIES_FAILED) throw;
            log += std::string("\n\n") + e.what();
        }
    }
    throw Exception(ErrorCodes::NO_REMOTE_SHARD_AVAILABLE, "All attempts to get table structure failed. Log: " + log);
}

}  // namespace

bool isClusterTableFunction(const std::string& name) {
    return name == "remote" || name == "remoteSecure" || name == "cluster" || name == "clusterAllReplicas";
}

std::shared_ptr<IStorage> createClusterTableFunction(const ASTFunction& fn, QueryContext& ctx) {
    const std::string& name = fn.name;
    auto& args = fn.arguments;
    bool is_remote = name == "remote" || name == "remoteSecure";
    if (name == "remoteSecure") throw Exception(ErrorCodes::SUPPORT_IS_DISABLED, "remoteSecure: basalt's native protocol has no TLS yet; use remote()");
    if (args.size() < 2)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH,
                        is_remote ? "Table function 'remote' requires from 2 to 6 parameters: addresses pattern, name of remote database, name of remote table [, username[, password], sharding_key]."
                                  : "Table function '" + name + "' requires from 2 to 4 parameters: cluster name, name of remote database, name of remote table[, sharding_key].");
    std::string first = nameArgument(args[0], ctx, "The first argument of table function " + name);
    std::string db, table;
    size_t next;
    std::string second = nameArgument(args[1], ctx, "The database argument of table function " + name);
    if (args.size() >= 3 && second.find('.') == std::string::npos) {
        db = second;
        table = nameArgument(args[2], ctx, "The table argument of table function " + name);
        next = 3;
    } else {
        splitQualified(second, db, table, ctx);
        next = 2;
    }
    std::shared_ptr<const Cluster> cluster;
    if (is_remote) {
        std::string user = "default", password;
        if (next < args.size()) user = nameArgument(args[next++], ctx, "The user argument of table function remote");
        if (next < args.size()) password = nameArgument(args[next++], ctx, "The password argument of table function remote");
        auto config = clusterConfig();
        cluster = std::make_shared<Cluster>(parseRemoteAddresses(first, config->self_tcp_port ? config->self_tcp_port : 9000, user, password));
    } else {
        auto config = clusterConfig();
        const Cluster& named = findCluster(*config, first);
        if (name == "clusterAllReplicas") {
            // Every replica as its own shard.
            auto all = std::make_shared<Cluster>();
            all->name = named.name;
            for (auto& s : named.shards)
                for (auto& r : s.replicas) {
                    ClusterShard one;
                    one.shard_num = uint32_t(all->shards.size() + 1);
                    one.replicas = {r};
                    one.replicas[0].replica_num = 1;
                    all->shards.push_back(one);
                }
            cluster = all;
        } else {
            cluster = std::shared_ptr<const Cluster>(config, &named);
        }
    }
    auto probe = std::make_shared<StorageDistributed>(TableMetadata{}, cluster, db, table);
    auto storage = std::make_shared<StorageDistributed>(remoteStructure(*probe, ctx), cluster, db, table);
    return storage;
}

std::shared_ptr<IStorage> createDistributedStorage(const std::shared_ptr<ASTCreateQuery>& q, TableMetadata md, QueryContext& ctx) {
    auto& args = q->engine->arguments;
    if (args.size() < 3 || args.size() > 5)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH,
                        "Storage Distributed requires from 3 to 5 parameters - name of configuration section with list of remote servers, name of remote database, "
                        "name of remote table, sharding key expression (optional), policy to store data in (optional).");
    std::string cluster_name = expandMacros(nameArgument(args[0], ctx, "The cluster name of storage Distributed"));
    std::string db = nameArgument(args[1], ctx, "The database of storage Distributed");
    std::string table = nameArgument(args[2], ctx, "The table of storage Distributed");
    // Names are stored resolved (currentDatabase() becomes its value), as ClickHouse shows them.
    args[1] = std::make_shared<ASTLiteral>(Field(db));
    args[2] = std::make_shared<ASTLiteral>(Field(table));
    ASTPtr sharding_key = args.size() >= 4 ? args[3] : nullptr;
    std::string data_dir;
    if (ctx.catalog && !ctx.catalog->dataPath().empty()) {
        if (q->uuid.empty()) q->uuid = generateUUIDv4();
        data_dir = ctx.catalog->tableDataDir(q->uuid);
    }
    auto s = std::make_shared<StorageDistributed>(std::move(md), cluster_name, db, table, sharding_key, data_dir);
    if (sharding_key) {
        // The key must be an integer expression over the table's columns (checked now, as ClickHouse).
        Block probe;
        for (auto& c : s->metadata().columns) probe.insert({createColumn(c.type), c.type, c.name});
        s->checkShardingKey(probe, ctx);
    }
    s->startup();
    return s;
}

void registerClusterSystemTables(Catalog& catalog) {
    auto add = [&](const std::string& name, StoragePtr s) { catalog.addTable("system", name, std::move(s), false); };
    std::vector<ColumnDescription> ccols{col("cluster", TypeId::String), col("shard_num", TypeId::UInt32), col("shard_weight", TypeId::UInt32),
                                         col("internal_replication", TypeId::UInt8), col("replica_num", TypeId::UInt32),
                                         col("host_name", TypeId::String), col("host_address", TypeId::String), col("port", TypeId::UInt16),
                                         col("is_local", TypeId::UInt8), col("user", TypeId::String), col("default_database", TypeId::String)};
    add("clusters", std::make_shared<StorageGenerated>("SystemClusters", ccols, [ccols](QueryContext&) {
        RowBuilder rb(ccols);
        auto config = clusterConfig();
        for (auto& [name, c] : config->clusters)
            for (auto& s : c.shards)
                for (auto& r : s.replicas)
                    rb.add({name, uint64_t(s.shard_num), uint64_t(s.weight), uint64_t(s.internal_replication), uint64_t(r.replica_num), r.host, r.host,
                            uint64_t(r.port), uint64_t(config->isLocal(r)), r.user, ""});
        return rb.build();
    }));
    std::vector<ColumnDescription> mcols{col("macro", TypeId::String), col("substitution", TypeId::String)};
    add("macros", std::make_shared<StorageGenerated>("SystemMacros", mcols, [mcols](QueryContext&) {
        RowBuilder rb(mcols);
        for (auto& [k, v] : clusterConfig()->macros) rb.add({k, v});
        return rb.build();
    }));
    std::vector<ColumnDescription> qcols{col("database", TypeId::String), col("table", TypeId::String), col("data_path", TypeId::String),
                                         col("is_blocked", TypeId::UInt8), col("error_count", TypeId::UInt64), col("data_files", TypeId::UInt64),
                                         col("data_compressed_bytes", TypeId::UInt64), col("last_exception", TypeId::String)};
    add("distribution_queue", std::make_shared<StorageGenerated>("SystemDistributionQueue", qcols, [qcols](QueryContext& ctx) {
        RowBuilder rb(qcols);
        for (auto& d : ctx.catalog->databases())
            for (auto& [n, s] : ctx.catalog->tables(d))
                if (auto* dist = dynamic_cast<StorageDistributed*>(s.get()))
                    for (auto& st : dist->queueStatus())
                        rb.add({d, n, st.destination, uint64_t(0), uint64_t(st.last_error.empty() ? 0 : 1), st.files, st.bytes, st.last_error});
        return rb.build();
    }));
    registerZooKeeperSystemTable(catalog);
    registerReplicationSystemTables(catalog);
}

}  // namespace basalt
