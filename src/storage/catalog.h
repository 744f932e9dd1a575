// catalog.h — databases and their tables. One Catalog per process owns every table; a mutex guards
// the maps (statements hold StoragePtr copies, so DROP during a running SELECT is safe). With a data
// path, each CREATE statement is persisted as DIR/metadata/<db>/<table>.sql (written to a temp file,
// fsynced, renamed) and replayed at startup.
#pragma once
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "access/access_control.h"
#include "storage/process_list.h"
#include "storage/query_log.h"
#include "storage/storage.h"

namespace basalt {

struct DatabaseInfo {
    std::string name;
    std::string engine = "Atomic";
    std::map<std::string, StoragePtr> tables;
};

class Catalog {
public:
    explicit Catalog(std::string data_path = "");

    ~Catalog();
    const std::string& dataPath() const { return data_path_; }
    // Directory for a table's data, DATA/store/<uuid>/ (under a temporary root, removed with the
    // catalog, when the catalog has no path). Created if missing.
    std::string tableDataDir(const std::string& uuid);
    QueryLog& queryLog() { return query_log_; }
    ProcessList& processList() { return process_list_; }
    // Users, roles, grants and row policies created with SQL (DATA/access.sql).
    AccessControl& access() { return *access_; }
    void createDatabase(const std::string& name, bool if_not_exists, const std::string& engine = "Atomic");
    void dropDatabase(const std::string& name, bool if_exists);
    bool hasDatabase(const std::string& name) const;
    void assertDatabase(const std::string& name) const;   // UNKNOWN_DATABASE (81)
    std::vector<std::string> databases() const;

    StoragePtr tryGetTable(const std::string& db, const std::string& table) const;
    StoragePtr getTable(const std::string& db, const std::string& table) const;   // UNKNOWN_TABLE (60)
    bool hasTable(const std::string& db, const std::string& table) const { return tryGetTable(db, table) != nullptr; }
    // Registers the table; persists its create_query when the catalog has a path.
    void addTable(const std::string& db, const std::string& table, StoragePtr storage, bool if_not_exists, bool replace = false);
    StoragePtr removeTable(const std::string& db, const std::string& table, bool if_exists);
    // DETACH TABLE: unregistered, its data and stored metadata kept (a restart attaches it again,
    // as ClickHouse's non-permanent DETACH); ATTACH TABLE takes its CREATE statement back.
    StoragePtr detachTable(const std::string& db, const std::string& table, bool if_exists);
    std::shared_ptr<ASTCreateQuery> takeDetached(const std::string& db, const std::string& table);
    // Re-persists a table's (changed) CREATE statement after ALTER.
    void updateTableMetadata(const std::string& db, const std::string& table);
    void renameTable(const std::string& db, const std::string& from, const std::string& to_db, const std::string& to);
    void exchangeTables(const std::string& db1, const std::string& t1, const std::string& db2, const std::string& t2);
    std::vector<std::pair<std::string, StoragePtr>> tables(const std::string& db) const;

    // Replays persisted metadata; `create` turns a stored CREATE statement into a storage.
    void loadFromDisk(const std::function<StoragePtr(const std::string& db, const std::shared_ptr<ASTCreateQuery>&)>& create);

private:
    StoragePtr unregisterTable(const std::string& db, const std::string& table, bool if_exists);
    void persistTable(const std::string& db, const std::string& table, const StoragePtr& s);
    void unpersistTable(const std::string& db, const std::string& table);
    void persistDatabase(const std::string& db);

    mutable std::mutex mutex_;
    std::map<std::string, DatabaseInfo> dbs_;
    std::map<std::pair<std::string, std::string>, std::shared_ptr<ASTCreateQuery>> detached_;
    std::string data_path_;
    std::string temp_root_;   // data root of a path-less catalog
    std::unique_ptr<AccessControl> access_;
    ProcessList process_list_;
    QueryLog query_log_;
};

// Writes `content` to `path` durably: temp file in the same directory, fsync, rename, fsync dir.
void writeFileAtomically(const std::string& path, const std::string& content);

}  // namespace basalt
