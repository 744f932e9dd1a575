// catalog.cpp — see catalog.h.
#include "storage/catalog.h"

#include <iostream>

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/exception.h"
#include "sql/parser.h"

namespace fs = std::filesystem;

namespace basalt {

namespace {
[[noreturn]] void unknownTable(const std::string& db, const std::string& t) {
    throw Exception(ErrorCodes::UNKNOWN_TABLE, "Table " + db + "." + t + " does not exist");
}
// Table and database names become file names: escape anything outside [A-Za-z0-9_].
std::string escapeForFileName(const std::string& s) {
    std::string r;
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if (isalnum(c) || c == '_') r += char(c);
        else { r += '%'; r += hex[c >> 4]; r += hex[c & 15]; }
    }
    return r;
}
std::string unescapeFileName(const std::string& s) {
    std::string r;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) { r += char(std::stoi(s.substr(i + 1, 2), nullptr, 16)); i += 2; }
        else r += s[i];
    }
    return r;
}
}  // namespace

void writeFileAtomically(const std::string& path, const std::string& content) {
    std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open file " + tmp + ": " + strerror(errno));
    size_t off = 0;
    while (off < content.size()) {
        ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            throw Exception(ErrorCodes::CANNOT_WRITE_TO_FILE_DESCRIPTOR, "Cannot write to file " + tmp);
        }
        off += size_t(n);
    }
    ::fsync(fd);
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) throw Exception(ErrorCodes::CANNOT_RENAME, "Cannot rename " + tmp + " to " + path);
    int dfd = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) { ::fsync(dfd); ::close(dfd); }
}

Catalog::Catalog(std::string data_path) : data_path_(std::move(data_path)) {
    dbs_["default"] = DatabaseInfo{"default", "Atomic", {}};
    dbs_["system"] = DatabaseInfo{"system", "Memory", {}};
    // ClickHouse always shows both spellings of the SQL-standard schema database.
    dbs_["INFORMATION_SCHEMA"] = DatabaseInfo{"INFORMATION_SCHEMA", "Memory", {}};
    dbs_["information_schema"] = DatabaseInfo{"information_schema", "Memory", {}};
    if (!data_path_.empty()) {
        fs::create_directories(fs::path(data_path_) / "metadata" / "default");
    }
    access_ = std::make_unique<AccessControl>(data_path_.empty() ? std::string() : (fs::path(data_path_) / "access.sql").string());
}

Catalog::~Catalog() {
    // Tables may own background work and files: stop it and release them before removing a
    // temporary root (a merge still writing there would fail).
    for (auto& [name, db] : dbs_)
        for (auto& [t, s] : db.tables) {
            try {
                s->flushBeforeShutdown();
            } catch (const std::exception& e) {
                std::cerr << "Cannot flush " << name << "." << t << " at shutdown: " << e.what() << "\n";
            }
        }
    for (auto& [name, db] : dbs_)
        for (auto& [t, s] : db.tables) s->shutdown();
    dbs_.clear();
    if (!temp_root_.empty()) {
        std::error_code ec;
        fs::remove_all(temp_root_, ec);
    }
}

std::string Catalog::tableDataDir(const std::string& uuid) {
    std::string root;
    {
        std::lock_guard lock(mutex_);
        if (!data_path_.empty()) root = data_path_;
        else {
            if (temp_root_.empty()) {
                std::string tmpl = (fs::temp_directory_path() / "basalt-local-XXXXXX").string();
                if (!::mkdtemp(tmpl.data())) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot create a temporary data directory");
                temp_root_ = tmpl;
            }
            root = temp_root_;
        }
    }
    fs::path dir = fs::path(root) / "store" / uuid.substr(0, 3) / uuid;
    fs::create_directories(dir);
    return dir.string() + "/";
}

void Catalog::createDatabase(const std::string& name, bool if_not_exists, const std::string& engine) {
    std::lock_guard lock(mutex_);
    if (dbs_.count(name)) {
        if (if_not_exists) return;
        throw Exception(ErrorCodes::DATABASE_ALREADY_EXISTS, "Database " + name + " already exists");
    }
    if (engine != "Atomic" && engine != "Memory" && engine != "Ordinary")
        throw Exception(ErrorCodes::UNKNOWN_DATABASE_ENGINE, "Unknown database engine: " + engine);
    dbs_[name] = DatabaseInfo{name, engine, {}};
    persistDatabase(name);
}

void Catalog::dropDatabase(const std::string& name, bool if_exists) {
    std::map<std::string, StoragePtr> dropped;
    {
        std::lock_guard lock(mutex_);
        auto it = dbs_.find(name);
        if (it == dbs_.end()) {
            if (if_exists) return;
            throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + name + " does not exist");
        }
        if (name == "system") throw Exception(ErrorCodes::BAD_ARGUMENTS, "Cannot drop system database");
        dropped = std::move(it->second.tables);
        dbs_.erase(it);
        if (!data_path_.empty()) {
            std::error_code ec;
            fs::remove_all(fs::path(data_path_) / "metadata" / escapeForFileName(name), ec);
            fs::remove(fs::path(data_path_) / "metadata" / (escapeForFileName(name) + ".sql"), ec);
        }
    }
    for (auto& [n, s] : dropped) s->drop();
}

bool Catalog::hasDatabase(const std::string& name) const {
    std::lock_guard lock(mutex_);
    return dbs_.count(name) > 0;
}

void Catalog::assertDatabase(const std::string& name) const {
    if (!hasDatabase(name)) throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + name + " does not exist");
}

std::vector<std::string> Catalog::databases() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> r;
    for (auto& [n, d] : dbs_) r.push_back(n);
    return r;
}

StoragePtr Catalog::tryGetTable(const std::string& db, const std::string& table) const {
    std::lock_guard lock(mutex_);
    auto it = dbs_.find(db);
    if (it == dbs_.end()) return nullptr;
    auto t = it->second.tables.find(table);
    return t == it->second.tables.end() ? nullptr : t->second;
}

StoragePtr Catalog::getTable(const std::string& db, const std::string& table) const {
    {
        std::lock_guard lock(mutex_);
        if (!dbs_.count(db)) throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + db + " does not exist");
    }
    auto s = tryGetTable(db, table);
    if (!s) unknownTable(db, table);
    return s;
}

void Catalog::addTable(const std::string& db, const std::string& table, StoragePtr storage, bool if_not_exists, bool replace) {
    std::lock_guard lock(mutex_);
    auto it = dbs_.find(db);
    if (it == dbs_.end()) throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + db + " does not exist");
    if (it->second.tables.count(table) && !replace) {
        if (if_not_exists) return;
        throw Exception(ErrorCodes::TABLE_ALREADY_EXISTS, "Table " + db + "." + table + " already exists");
    }
    persistTable(db, table, storage);
    it->second.tables[table] = std::move(storage);
}

// Unregisters a table under mutex_ (null if absent and if_exists).
StoragePtr Catalog::unregisterTable(const std::string& db, const std::string& table, bool if_exists) {
    auto it = dbs_.find(db);
    if (it == dbs_.end()) {
        if (if_exists) return nullptr;
        throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + db + " does not exist");
    }
    auto t = it->second.tables.find(table);
    if (t == it->second.tables.end()) {
        if (if_exists) return nullptr;
        unknownTable(db, table);
    }
    StoragePtr s = t->second;
    it->second.tables.erase(t);
    return s;
}

StoragePtr Catalog::detachTable(const std::string& db, const std::string& table, bool if_exists) {
    std::lock_guard lock(mutex_);
    StoragePtr s = unregisterTable(db, table, if_exists);
    if (s && s->create_query) detached_[{db, table}] = std::static_pointer_cast<ASTCreateQuery>(s->create_query->clone());
    return s;
}

std::shared_ptr<ASTCreateQuery> Catalog::takeDetached(const std::string& db, const std::string& table) {
    std::lock_guard lock(mutex_);
    auto it = detached_.find({db, table});
    if (it == detached_.end()) unknownTable(db, table);
    auto q = it->second;
    detached_.erase(it);
    return q;
}

StoragePtr Catalog::removeTable(const std::string& db, const std::string& table, bool if_exists) {
    std::lock_guard lock(mutex_);
    StoragePtr s = unregisterTable(db, table, if_exists);
    if (s) unpersistTable(db, table);
    return s;
}

void Catalog::updateTableMetadata(const std::string& db, const std::string& table) {
    std::lock_guard lock(mutex_);
    auto it = dbs_.find(db);
    if (it == dbs_.end()) return;
    auto t = it->second.tables.find(table);
    if (t != it->second.tables.end()) persistTable(db, table, t->second);
}

void Catalog::renameTable(const std::string& db, const std::string& from, const std::string& to_db, const std::string& to) {
    std::lock_guard lock(mutex_);
    auto src = dbs_.find(db);
    if (src == dbs_.end()) throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + db + " does not exist");
    auto dst = dbs_.find(to_db);
    if (dst == dbs_.end()) throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + to_db + " does not exist");
    auto t = src->second.tables.find(from);
    if (t == src->second.tables.end()) unknownTable(db, from);
    if (dst->second.tables.count(to)) throw Exception(ErrorCodes::TABLE_ALREADY_EXISTS, "Table " + to_db + "." + to + " already exists");
    StoragePtr s = t->second;
    src->second.tables.erase(t);
    unpersistTable(db, from);
    if (s->create_query) { s->create_query->database = to_db; s->create_query->table = to; }
    dst->second.tables[to] = s;
    persistTable(to_db, to, s);
}

void Catalog::exchangeTables(const std::string& db1, const std::string& t1, const std::string& db2, const std::string& t2) {
    std::lock_guard lock(mutex_);
    auto d1 = dbs_.find(db1), d2 = dbs_.find(db2);
    if (d1 == dbs_.end()) throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + db1 + " does not exist");
    if (d2 == dbs_.end()) throw Exception(ErrorCodes::UNKNOWN_DATABASE, "Database " + db2 + " does not exist");
    auto a = d1->second.tables.find(t1);
    if (a == d1->second.tables.end()) unknownTable(db1, t1);
    auto b = d2->second.tables.find(t2);
    if (b == d2->second.tables.end()) unknownTable(db2, t2);
    std::swap(a->second, b->second);
    for (auto [d, t, s] : {std::tuple{db1, t1, a->second}, std::tuple{db2, t2, b->second}}) {
        if (s->create_query) { s->create_query->database = d; s->create_query->table = t; }
        persistTable(d, t, s);
    }
}

std::vector<std::pair<std::string, StoragePtr>> Catalog::tables(const std::string& db) const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, StoragePtr>> r;
    auto it = dbs_.find(db);
    if (it == dbs_.end()) return r;
    for (auto& [n, s] : it->second.tables) r.push_back({n, s});
    return r;
}

void Catalog::persistDatabase(const std::string& db) {
    if (data_path_.empty()) return;
    fs::path dir = fs::path(data_path_) / "metadata";
    fs::create_directories(dir / escapeForFileName(db));
    writeFileAtomically((dir / (escapeForFileName(db) + ".sql")).string(), "CREATE DATABASE " + db + " ENGINE = " + dbs_[db].engine + "\n");
}

void Catalog::persistTable(const std::string& db, const std::string& table, const StoragePtr& s) {
    if (data_path_.empty() || !s->create_query || db == "system") return;
    fs::path dir = fs::path(data_path_) / "metadata" / escapeForFileName(db);
    fs::create_directories(dir);
    auto q = std::static_pointer_cast<ASTCreateQuery>(s->create_query->clone());
    q->database = db;
    q->table = table;
    if (q->what == ASTCreateQuery::What::Table) q->as_select = nullptr;   // data is not re-derived on load (a view keeps its query)
    q->populate = false;
    q->if_not_exists = false;
    q->or_replace = false;
    q->show_uuid = true;
    writeFileAtomically((dir / (escapeForFileName(table) + ".sql")).string(), q->formatSQL() + "\n");
}

void Catalog::unpersistTable(const std::string& db, const std::string& table) {
    if (data_path_.empty()) return;
    std::error_code ec;
    fs::remove(fs::path(data_path_) / "metadata" / escapeForFileName(db) / (escapeForFileName(table) + ".sql"), ec);
}

void Catalog::loadFromDisk(const std::function<StoragePtr(const std::string&, const std::shared_ptr<ASTCreateQuery>&)>& create) {
    if (data_path_.empty()) return;
    fs::path dir = fs::path(data_path_) / "metadata";
    if (!fs::exists(dir)) return;
    std::vector<std::string> db_names;
    for (auto& e : fs::directory_iterator(dir))
        if (e.is_directory()) db_names.push_back(unescapeFileName(e.path().filename().string()));
    for (auto& db : db_names) {
        std::string engine = "Atomic";
        std::ifstream dbf(dir / (escapeForFileName(db) + ".sql"));
        if (dbf) {
            std::stringstream ss;
            ss << dbf.rdbuf();
            auto pos = ss.str().find("ENGINE = ");
            if (pos != std::string::npos) { engine = ss.str().substr(pos + 9); while (!engine.empty() && isspace((unsigned char)engine.back())) engine.pop_back(); }
        }
        {
            std::lock_guard lock(mutex_);
            if (!dbs_.count(db)) dbs_[db] = DatabaseInfo{db, engine, {}};
        }
        for (auto& e : fs::directory_iterator(dir / escapeForFileName(db))) {
            if (e.path().extension() != ".sql") continue;
            std::ifstream f(e.path());
            std::stringstream ss;
            ss << f.rdbuf();
            auto stmt = parseStatement(ss.str());
            auto q = std::dynamic_pointer_cast<ASTCreateQuery>(stmt.ast);
            if (!q) continue;
            std::string table = unescapeFileName(e.path().stem().string());
            StoragePtr s = create(db, q);
            std::lock_guard lock(mutex_);
            dbs_[db].tables[table] = s;
        }
    }
}

}  // namespace basalt
