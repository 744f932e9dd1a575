// system_zookeeper.cpp — system.zookeeper: the children of the ZooKeeper nodes named by the WHERE
// clause (`path = '/a'`, `path IN ('/a', '/b')`, `path IN (SELECT ...)`, in any conjunct), one row
// per child with its value and Stat, as ClickHouse's StorageSystemZooKeeper. Without such a
// condition: BAD_ARGUMENTS (36). A path that does not exist gives no rows (ClickHouse's tryGetChildren).
// The table exists only when the server configuration has ZooKeeper hosts (as in ClickHouse).
#include <set>

#include "analyzer/analyzer.h"
#include "cluster/zookeeper.h"
#include "common/exception.h"
#include "exec/block_ops.h"
#include "interpreter/context.h"
#include "interpreter/select.h"
#include "storage/catalog.h"
#include "storage/system_tables.h"
#include "types/data_type.h"

namespace basalt {

void registerZooKeeperSystemTable(Catalog& catalog);

namespace {

bool isPathIdentifier(const ASTPtr& ast) {
    auto* id = ast ? ast->as<ASTIdentifier>() : nullptr;
    return id && !id->parts.empty() && id->parts.back() == "path";
}

void addStringField(const Field& f, std::vector<std::string>& out, bool& ok) {
    if (f.is<std::string>()) out.push_back(f.get<std::string>());
    else ok = false;
}

// Collects the paths of `path = const`, `const = path`, `path IN (consts)` and `path IN (subquery)`
// in the conjunction `ast`.
void extractPaths(const ASTPtr& ast, QueryContext& ctx, std::vector<std::string>& paths, bool& found) {
    auto* fn = ast ? ast->as<ASTFunction>() : nullptr;
    if (!fn) return;
    if (fn->name == "and") {
        for (auto& a : fn->arguments) extractPaths(a, ctx, paths, found);
        return;
    }
    if (fn->arguments.size() != 2) return;
    Analyzer analyzer(ctx, [&ctx](const ASTPtr& sq, size_t) {
        auto r = executeSelect(sq, ctx);
        return r.blocks.empty() ? r.header : concatBlocks(r.blocks, r.header);
    });
    auto constant = [&](const ASTPtr& value, Field& out) {
        try {
            out = analyzer.evaluateConstant(value, "system.zookeeper path");
            return true;
        } catch (const Exception&) {
            return false;   // not a constant: not a path condition (the executor reports real errors)
        }
    };
    if (fn->name == "equals") {
        ASTPtr value;
        if (isPathIdentifier(fn->arguments[0])) value = fn->arguments[1];
        else if (isPathIdentifier(fn->arguments[1])) value = fn->arguments[0];
        else return;
        Field f;
        if (!constant(value, f) || !f.is<std::string>()) return;
        paths.push_back(f.get<std::string>());
        found = true;
    } else if (fn->name == "in" || fn->name == "globalIn") {
        if (!isPathIdentifier(fn->arguments[0])) return;
        const ASTPtr& value = fn->arguments[1];
        std::vector<std::string> got;
        bool ok = true;
        if (auto* sq = value->as<ASTSubquery>()) {
            auto r = executeSelect(sq->query, ctx);
            if (r.header.columns() != 1 || removeNullable(removeLowCardinality(r.header.at(0).type))->id != TypeId::String) return;
            for (auto& b : r.blocks)
                for (size_t i = 0; i < b.rows(); ++i) {
                    Field f = b.at(0).column->get(i);
                    if (f.is<std::string>()) got.push_back(f.get<std::string>());
                }
        } else {
            Field f;
            if (!constant(value, f)) return;
            if (f.is<FieldTuple>()) for (auto& e : f.get<FieldTuple>().items) addStringField(e, got, ok);
            else if (f.is<FieldArray>()) for (auto& e : f.get<FieldArray>().items) addStringField(e, got, ok);
            else addStringField(f, got, ok);
        }
        if (!ok) return;
        paths.insert(paths.end(), got.begin(), got.end());
        found = true;
    }
}

// ClickHouse's pathCorrected: a leading '/' added, a trailing one removed (except for the root).
std::string correctedPath(const std::string& path) {
    std::string p = path.empty() || path[0] != '/' ? "/" + path : path;
    if (p != "/" && p.back() == '/') p.pop_back();
    return p;
}

std::vector<ColumnDescription> zookeeperColumns() {
    return {col("name", TypeId::String),          col("value", TypeId::String),     col("czxid", TypeId::Int64),
            col("mzxid", TypeId::Int64),          col("ctime", TypeId::DateTime),   col("mtime", TypeId::DateTime),
            col("version", TypeId::Int32),        col("cversion", TypeId::Int32),   col("aversion", TypeId::Int32),
            col("ephemeralOwner", TypeId::Int64), col("dataLength", TypeId::Int32), col("numChildren", TypeId::Int32),
            col("pzxid", TypeId::Int64),          col("path", TypeId::String)};
}

class StorageSystemZooKeeper final : public IStorage {
public:
    StorageSystemZooKeeper() { metadata_.columns = zookeeperColumns(); }
    std::string engineName() const override { return "SystemZooKeeper"; }
    bool isSystem() const override { return true; }

    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override {
        return read(columns, SelectQueryInfo{}, ctx, num_streams);
    }

    Sources read(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t) override {
        std::vector<std::string> paths;
        bool found = false;
        extractPaths(info.filter, ctx, paths, found);
        if (!found)
            throw Exception(ErrorCodes::BAD_ARGUMENTS,
                            "SELECT from system.zookeeper table must contain condition like path = 'path' or path IN ('path1','path2'...) "
                            "or path IN (subquery) in WHERE clause unless `set allow_unrestricted_reads_from_keeper = 'true'`.");
        Block full;
        try {
            full = fill(*getZooKeeper(), paths);
        } catch (const Exception& e) {
            // A session that died since its last use (ZooKeeper restarted, connection lost):
            // one more try on a new session.
            if (e.code() != ErrorCodes::KEEPER_EXCEPTION) throw;
            auto existing = tryGetExistingZooKeeper();
            if (existing) throw;   // the session is alive: a real error
            full = fill(*getZooKeeper(), paths);
        }
        return sourceOfGeneratedBlock(full, columns, "system.zookeeper");
    }

private:
    Block fill(ZooKeeper& zk, const std::vector<std::string>& paths) {
        RowBuilder rb(metadata_.columns);
        std::set<std::string> listed, added;
        for (auto& path : paths) {
            std::string corrected = correctedPath(path);
            if (!listed.insert(path).second) continue;
            std::vector<std::string> children;
            // Nodes may vanish concurrently: no consistency guarantees, as in ClickHouse.
            if (zk.tryGetChildren(corrected, children) != Coordination::ZOK) continue;
            std::string prefix = corrected == "/" ? "" : corrected;
            for (auto& child : children) {
                std::string key = prefix + "/" + child;
                Coordination::Stat st;
                auto value = zk.tryGet(key, &st);
                if (!value || !added.insert(key).second) continue;
                // `path` as written in the query, so the WHERE condition keeps the row.
                rb.add({child, *value, int64_t(st.czxid), int64_t(st.mzxid), uint64_t(st.ctime / 1000), uint64_t(st.mtime / 1000),
                        int64_t(st.version), int64_t(st.cversion), int64_t(st.aversion), int64_t(st.ephemeralOwner),
                        int64_t(st.dataLength), int64_t(st.numChildren), int64_t(st.pzxid), path});
            }
        }
        return rb.build();
    }
};

}  // namespace

void registerZooKeeperSystemTable(Catalog& catalog) {
    auto config = clusterConfig();
    if (!config || config->zookeeper.empty()) return;
    catalog.addTable("system", "zookeeper", std::make_shared<StorageSystemZooKeeper>(), false);
}

}  // namespace basalt
