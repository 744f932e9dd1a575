// access_control.cpp — see access_control.h. The state is small and changes rarely: one mutex
// guards it, and every change rewrites DATA/access.sql (temporary file, fsync, rename) as the
// statements that rebuild it, replayed at startup.
#include "access/access_control.h"

#include <fcntl.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/exception.h"
#include "common/sha256.h"
#include "common/string_utils.h"
#include "sql/parser.h"

namespace basalt {

namespace {

AccessType parseAccessType(const std::string& p) {
    if (p == "SELECT") return AccessType::Select;
    if (p == "INSERT") return AccessType::Insert;
    if (p == "ALTER") return AccessType::Alter;
    if (p == "CREATE") return AccessType::Create;
    if (p == "DROP") return AccessType::Drop;
    if (p == "TRUNCATE") return AccessType::Truncate;
    if (p == "ALL") return AccessType::All;
    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Unknown privilege " + p);
}

std::string target(const std::string& db, const std::string& table) {
    return (db == "*" ? std::string("*") : backQuote(db)) + "." + (table == "*" ? std::string("*") : backQuote(table));
}

// GRANT statements for a set of grants: column grants of one privilege and table grouped as
// SELECT(a, b) (the set is ordered by type, database, table, column).
std::vector<std::string> grantStatements(const std::set<AccessControl::Grant>& grants, const std::set<AccessControl::Grant>& options,
                                         const std::string& who) {
    std::vector<std::string> lines;
    for (auto it = grants.begin(); it != grants.end();) {
        bool option = options.count(*it) > 0;
        std::string columns;
        auto next = it;
        while (next != grants.end() && next->type == it->type && next->database == it->database && next->table == it->table &&
               !next->column.empty() && !it->column.empty() && (options.count(*next) > 0) == option) {
            columns += (columns.empty() ? "" : ", ") + backQuote(next->column);
            ++next;
        }
        if (next == it) ++next;
        lines.push_back(std::string("GRANT ") + accessTypeName(it->type) + (columns.empty() ? "" : "(" + columns + ")") + " ON " +
                        target(it->database, it->table) + " TO " + backQuote(who) + (option ? " WITH GRANT OPTION" : ""));
        it = next;
    }
    return lines;
}

}  // namespace

const char* accessTypeName(AccessType t) {
    switch (t) {
        case AccessType::Select: return "SELECT";
        case AccessType::Insert: return "INSERT";
        case AccessType::Alter: return "ALTER";
        case AccessType::Create: return "CREATE";
        case AccessType::Drop: return "DROP";
        case AccessType::Truncate: return "TRUNCATE";
        case AccessType::All: return "ALL";
    }
    return "";
}

AccessControl::AccessControl(std::string file) : file_(std::move(file)) {
    if (file_.empty() || !std::filesystem::exists(file_)) return;
    std::ifstream in(file_);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string script = ss.str();
    // Replayed by an administrator; the statements were produced by dumpLocked().
    for (auto stmt : splitStatements(script)) {
        auto parsed = parseStatement(stmt);
        auto* q = parsed.ast->as<ASTAccessQuery>();
        if (!q) throw Exception(ErrorCodes::CORRUPTED_DATA, "Unexpected statement in " + file_ + ": " + std::string(stmt));
        execute(*q, "", "default");
    }
}

bool AccessControl::isSqlUser(const std::string& user) const {
    std::lock_guard lock(mutex_);
    return users_.count(user) > 0;
}

std::optional<AccessControl::User> AccessControl::authenticate(const std::string& user, const std::string& password) const {
    std::lock_guard lock(mutex_);
    auto it = users_.find(user);
    if (it == users_.end()) return std::nullopt;
    const User& u = it->second;
    if (!passwordMatches(password, u.password_sha256_hex)) throw Exception(ErrorCodes::AUTHENTICATION_FAILED, user + ": Authentication failed: password is incorrect, or there is no user with such name.");
    return u;
}

AccessControl::Coverage AccessControl::coverage(const User& u, AccessType type, const std::string& database, const std::string& table,
                                                bool options) const {
    Coverage c;
    auto add = [&](const std::set<Grant>& grants) {
        for (auto& g : grants) {
            if (g.type != type && g.type != AccessType::All) continue;
            if (g.database != "*" && g.database != database) continue;
            if (g.table != "*" && g.table != table) continue;
            if (g.column.empty()) c.whole = true;
            else c.columns.insert(g.column);
        }
    };
    add(options ? u.grant_options : u.grants);
    for (auto& r : u.roles)
        if (auto rit = roles_.find(r); rit != roles_.end()) add(options ? rit->second.grant_options : rit->second.grants);
    return c;
}

void AccessControl::check(const std::string& user, AccessType type, const std::string& database, const std::string& table,
                          const std::vector<std::string>* columns) const {
    std::lock_guard lock(mutex_);
    auto it = users_.find(user);
    if (it == users_.end()) return;   // an administrator (config user, basalt local)
    const User& u = it->second;
    if (database == "system" && type == AccessType::Select) return;
    if (u.readonly && type != AccessType::Select)
        throw Exception(ErrorCodes::READONLY, user + ": Cannot execute query in readonly mode");
    Coverage c = coverage(u, type, database, table);
    if (c.whole) return;
    std::string needed;   // the column list the error names
    if (!columns) {
        if (!c.columns.empty()) return;
    } else if (columns->empty()) {
        if (!c.columns.empty()) return;
    } else {
        bool all = true;
        for (auto& col : *columns) all = all && c.columns.count(col);
        if (all) return;
        for (auto& col : *columns) needed += (needed.empty() ? "" : ", ") + backQuote(col);
        needed = "(" + needed + ")";
    }
    throw Exception(ErrorCodes::ACCESS_DENIED, user + ": Not enough privileges. To execute this query, it's necessary to have the grant " +
                                                   accessTypeName(type) + needed + " ON " + target(database, table));
}

ASTPtr AccessControl::rowPolicy(const std::string& user, const std::string& database, const std::string& table) const {
    std::lock_guard lock(mutex_);
    auto uit = users_.find(user);
    std::set<std::string> names{user};
    if (uit != users_.end()) names.insert(uit->second.roles.begin(), uit->second.roles.end());
    ASTPtr result;
    bool any_policy_on_table = false;
    for (auto& [key, p] : policies_) {
        if (p.database != database || p.table != table) continue;
        any_policy_on_table = true;
        bool applies = false;
        for (auto& n : p.to) applies = applies || names.count(n);
        if (!applies) continue;
        if (!result) {
            result = p.condition->clone();
        } else {
            auto f = std::make_shared<ASTFunction>();
            f->name = "or";
            f->arguments = {result, p.condition->clone()};
            result = f;
        }
    }
    // As ClickHouse: once a table has row policies, a SQL user none of them covers sees no rows.
    if (!result && any_policy_on_table && uit != users_.end()) result = std::make_shared<ASTLiteral>(Field(uint64_t(0)));
    return result;
}

const AccessControl::Quota* AccessControl::quotaFor(const std::string& user) const {
    std::set<std::string> names{user};
    if (auto u = users_.find(user); u != users_.end()) names.insert(u->second.roles.begin(), u->second.roles.end());
    for (auto& [n, q] : quotas_)
        for (auto& t : q.to)
            if (names.count(t) || t == "ALL") return &q;
    return nullptr;
}

void AccessControl::quotaBeforeQuery(const std::string& user, bool select, bool insert) {
    std::lock_guard lock(mutex_);
    const Quota* q = quotaFor(user);
    if (!q) return;
    int64_t now = int64_t(std::time(nullptr));
    for (size_t i = 0; i < q->intervals.size(); ++i) {
        auto& iv = q->intervals[i];
        Usage& u = usage_[{q->name, user, i}];
        int64_t len = int64_t(std::max<uint64_t>(1, iv.seconds));
        if (u.start == 0 || now >= u.start + len) {
            u.start = u.start == 0 ? now : u.start + (now - u.start) / len * len;
            u.used.clear();
        }
        u.used["queries"] += 1;
        if (select) u.used["query_selects"] += 1;
        if (insert) u.used["query_inserts"] += 1;
        for (auto& [res, max] : iv.limits) {
            double used = u.used.count(res) ? u.used[res] : 0;
            bool counted_now = res == "queries" || (res == "query_selects" && select) || (res == "query_inserts" && insert);
            if (counted_now ? used > max : used >= max) {
                char end[32];
                std::time_t e = std::time_t(u.start + len);
                std::tm tm{};
                gmtime_r(&e, &tm);
                std::strftime(end, sizeof end, "%Y-%m-%d %H:%M:%S", &tm);
                throw Exception(ErrorCodes::QUOTA_EXCEEDED, "Quota for user `" + user + "` for " + std::to_string(iv.seconds) + "s has been exceeded: " +
                                                                res + " = " + formatFloat(used) + "/" + formatFloat(max) + ". Interval will end at " + end +
                                                                ". Name of quota template: `" + q->name + "`");
            }
        }
    }
}

void AccessControl::quotaAfterQuery(const std::string& user, const QueryUsage& usage) {
    std::lock_guard lock(mutex_);
    const Quota* q = quotaFor(user);
    if (!q) return;
    for (size_t i = 0; i < q->intervals.size(); ++i) {
        auto it = usage_.find({q->name, user, i});
        if (it == usage_.end()) continue;
        auto& used = it->second.used;
        if (usage.error) used["errors"] += 1;
        used["result_rows"] += usage.result_rows;
        used["result_bytes"] += usage.result_bytes;
        used["read_rows"] += usage.read_rows;
        used["read_bytes"] += usage.read_bytes;
        used["written_bytes"] += usage.written_bytes;
        used["execution_time"] += usage.seconds;
    }
}

std::vector<AccessControl::QuotaUsageRow> AccessControl::quotaUsage() const {
    std::lock_guard lock(mutex_);
    std::vector<QuotaUsageRow> rows;
    for (auto& [key, u] : usage_) {
        auto& [quota, user, i] = key;
        auto q = quotas_.find(quota);
        if (q == quotas_.end() || i >= q->second.intervals.size()) continue;
        for (auto& [res, max] : q->second.intervals[i].limits)
            rows.push_back({quota, user, q->second.intervals[i].seconds, res, u.used.count(res) ? u.used.at(res) : 0.0, max});
    }
    return rows;
}

std::vector<std::string> AccessControl::execute(const ASTAccessQuery& q, const std::string& issuer, const std::string& current_database) {
    using A = ASTAccessQuery::Action;
    std::unique_lock lock(mutex_);
    if (q.action == A::ShowGrants) {
        std::string who = q.names.empty() ? issuer : q.names[0];
        // A SQL user sees its own grants only (others' need SHOW USERS, which only administrators have).
        if (!issuer.empty() && users_.count(issuer) && who != issuer)
            throw Exception(ErrorCodes::ACCESS_DENIED, issuer + ": Not enough privileges. To execute this query, it's necessary to have the grant SHOW USERS ON *.*");
        lock.unlock();
        return grantLines(who);
    }
    auto dbOf = [&](const std::string& db) { return db.empty() ? current_database : db; };
    if (auto it = issuer.empty() ? users_.end() : users_.find(issuer); it != users_.end()) {
        // A SQL user: only GRANT / REVOKE of privileges it holds WITH GRANT OPTION.
        bool privilege_statement = (q.action == A::Grant || q.action == A::Revoke) && !q.privileges.empty();
        if (!privilege_statement)
            throw Exception(ErrorCodes::ACCESS_DENIED, issuer + ": Not enough privileges. To execute this query, it's necessary to have the grant ACCESS MANAGEMENT ON *.*");
        std::string db = q.database == "*" ? "*" : dbOf(q.database), table = q.table.empty() ? "*" : q.table;
        for (size_t i = 0; i < q.privileges.size(); ++i) {
            AccessType t = parseAccessType(q.privileges[i]);
            Coverage c = coverage(it->second, t, db, table, true);
            const std::vector<std::string>* columns = i < q.privilege_columns.size() ? &q.privilege_columns[i] : nullptr;
            bool ok = c.whole;
            std::string needed;
            if (!ok && columns && !columns->empty()) {
                ok = true;
                for (auto& col : *columns) ok = ok && c.columns.count(col);
                for (auto& col : *columns) needed += (needed.empty() ? "" : ", ") + backQuote(col);
                needed = "(" + needed + ")";
            }
            if (!ok)
                throw Exception(ErrorCodes::ACCESS_DENIED, issuer + ": Not enough privileges. To execute this query, it's necessary to have the grant " +
                                                               accessTypeName(t) + needed + " ON " + target(db, table) + " WITH GRANT OPTION");
        }
    }
    switch (q.action) {
        case A::CreateUser:
            for (auto& n : q.names) {
                if (users_.count(n) && !q.or_replace) {
                    if (q.if_not_exists) continue;
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "user `" + n + "`: cannot insert because user `" + n + "` already exists");
                }
                if (roles_.count(n)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "user `" + n + "`: a role with this name already exists");
                User u;
                u.name = n;
                u.password_sha256_hex = q.has_password ? sha256Hex(q.password) : toLower(q.password_sha256_hex);
                if (!q.password_sha256_hex.empty() && q.password_sha256_hex.size() != 64)
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Password hash for the 'SHA256_PASSWORD' authentication type has length " +
                                                                   std::to_string(q.password_sha256_hex.size()) + " but must be exactly 64 characters.");
                u.readonly = q.readonly.value_or(false);
                users_[n] = std::move(u);
            }
            break;
        case A::DropUser:
            for (auto& n : q.names) {
                if (!users_.erase(n) && !q.if_exists) throw Exception(ErrorCodes::UNKNOWN_USER, "There is no user `" + n + "` in user directories");
                for (auto& [k, p] : policies_) p.to.erase(n);
            }
            break;
        case A::CreateRole:
            for (auto& n : q.names) {
                if (roles_.count(n) && !q.or_replace) {
                    if (q.if_not_exists) continue;
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "role `" + n + "`: cannot insert because role `" + n + "` already exists");
                }
                if (users_.count(n)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "role `" + n + "`: a user with this name already exists");
                roles_[n] = Role{n, {}, {}};
            }
            break;
        case A::DropRole:
            for (auto& n : q.names) {
                if (!roles_.erase(n) && !q.if_exists) throw Exception(ErrorCodes::UNKNOWN_ROLE, "There is no role `" + n + "` in user directories");
                for (auto& [un, u] : users_) u.roles.erase(n);
            }
            break;
        case A::Grant: case A::Revoke: {
            bool grant = q.action == A::Grant;
            // Column lists: SELECT and INSERT only, on one table (checked before anything changes).
            for (size_t i = 0; i < q.privilege_columns.size() && i < q.privileges.size(); ++i) {
                if (q.privilege_columns[i].empty()) continue;
                AccessType t = parseAccessType(q.privileges[i]);
                if (t != AccessType::Select && t != AccessType::Insert)
                    throw Exception(ErrorCodes::INVALID_GRANT, std::string(accessTypeName(t)) + " cannot be granted on the column level");
                if (grant && (q.database == "*" || q.table.empty() || q.table == "*"))
                    throw Exception(ErrorCodes::INVALID_GRANT, "Wildcard grants are not allowed for columns: " + std::string(accessTypeName(t)) + " ON " +
                                                                   target(q.database.empty() ? current_database : q.database, q.table.empty() ? "*" : q.table));
            }
            for (auto& g : q.grantees) {
                std::set<Grant>* grants = nullptr;
                std::set<Grant>* options = nullptr;
                std::set<std::string>* user_roles = nullptr;
                if (auto u = users_.find(g); u != users_.end()) { grants = &u->second.grants; options = &u->second.grant_options; user_roles = &u->second.roles; }
                else if (auto r = roles_.find(g); r != roles_.end()) { grants = &r->second.grants; options = &r->second.grant_options; }
                else throw Exception(ErrorCodes::UNKNOWN_USER, "There is no user or role `" + g + "` in user directories");
                if (!q.privileges.empty()) {
                    std::string db = q.database == "*" ? "*" : dbOf(q.database);
                    std::string table = q.table.empty() ? "*" : q.table;
                    for (size_t i = 0; i < q.privileges.size(); ++i) {
                        Grant gr{parseAccessType(q.privileges[i]), db, table, ""};
                        const std::vector<std::string>* columns = i < q.privilege_columns.size() ? &q.privilege_columns[i] : nullptr;
                        if (columns && !columns->empty()) {
                            // Column grants: one entry per column (REVOKE removes just those).
                            for (auto& col : *columns) {
                                Grant cg = gr;
                                cg.column = col;
                                if (grant) {
                                    grants->insert(cg);
                                    if (q.with_grant_option) options->insert(cg);
                                } else {
                                    grants->erase(cg);
                                    options->erase(cg);
                                }
                            }
                        } else if (grant) {
                            grants->insert(gr);
                            if (q.with_grant_option) options->insert(gr);
                        } else {
                            // A whole-table REVOKE takes the column grants of that privilege too (ALL: every privilege).
                            for (auto* set : {grants, options})
                                for (auto it = set->begin(); it != set->end();)
                                    it = (it->database == gr.database && it->table == gr.table && (gr.type == AccessType::All || it->type == gr.type))
                                             ? set->erase(it) : std::next(it);
                        }
                    }
                } else {
                    if (!user_roles) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Roles can be granted to users only");
                    for (auto& r : q.granted_roles) {
                        if (!roles_.count(r)) throw Exception(ErrorCodes::UNKNOWN_ROLE, "There is no role `" + r + "` in user directories");
                        if (grant) user_roles->insert(r);
                        else user_roles->erase(r);
                    }
                }
            }
            break;
        }
        case A::CreateRowPolicy: {
            RowPolicy p;
            p.name = q.names.at(0);
            p.database = dbOf(q.database);
            p.table = q.table;
            p.condition = q.condition;
            p.to.insert(q.grantees.begin(), q.grantees.end());
            std::string key = p.name + " ON " + p.database + "." + p.table;
            if (policies_.count(key) && !q.or_replace) {
                if (q.if_not_exists) break;
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "row policy `" + key + "`: cannot insert because it already exists");
            }
            policies_[key] = std::move(p);
            break;
        }
        case A::DropRowPolicy: {
            std::string key = q.names.at(0) + " ON " + dbOf(q.database) + "." + q.table;
            if (!policies_.erase(key) && !q.if_exists) throw Exception(ErrorCodes::UNKNOWN_ROW_POLICY, "There is no row policy `" + key + "` in user directories");
            break;
        }
        case A::CreateQuota: {
            const std::string& n = q.names.at(0);
            if (quotas_.count(n) && !q.or_replace) {
                if (q.if_not_exists) break;
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "quota `" + n + "`: cannot insert because quota `" + n + "` already exists");
            }
            Quota quota{n, q.quota_intervals, {q.grantees.begin(), q.grantees.end()}};
            quotas_[n] = std::move(quota);
            for (auto it = usage_.begin(); it != usage_.end();) it = std::get<0>(it->first) == n ? usage_.erase(it) : std::next(it);
            break;
        }
        case A::DropQuota:
            for (auto& n : q.names)
                if (!quotas_.erase(n) && !q.if_exists) throw Exception(ErrorCodes::UNKNOWN_QUOTA, "There is no quota `" + n + "` in user directories");
            break;
        case A::ShowGrants: break;
    }
    std::string dump = dumpLocked();
    lock.unlock();
    if (!file_.empty()) {
        // Durable before the statement is acknowledged: temporary file, fsync, rename.
        std::string tmp = file_ + ".tmp";
        int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot write " + tmp);
        bool ok = ::write(fd, dump.data(), dump.size()) == ssize_t(dump.size()) && ::fsync(fd) == 0;
        ::close(fd);
        if (!ok || ::rename(tmp.c_str(), file_.c_str()) != 0) throw Exception(ErrorCodes::CANNOT_FSYNC, "Cannot persist " + file_);
    }
    return {};
}

std::string AccessControl::dumpLocked() const {
    // Passwords are kept as their SHA-256 only.
    std::string out;
    for (auto& [n, r] : roles_) out += "CREATE ROLE " + backQuote(n) + ";\n";
    for (auto& [n, u] : users_) {
        out += "CREATE USER " + backQuote(n);
        if (!u.password_sha256_hex.empty()) out += " IDENTIFIED WITH sha256_hash BY '" + u.password_sha256_hex + "'";
        if (u.readonly) out += " SETTINGS readonly = 1";
        out += ";\n";
    }
    auto grants = [&](const std::string& who, const std::set<Grant>& gs, const std::set<Grant>& options) {
        for (auto& line : grantStatements(gs, options, who)) out += line + ";\n";
    };
    for (auto& [n, r] : roles_) grants(n, r.grants, r.grant_options);
    for (auto& [n, u] : users_) {
        grants(n, u.grants, u.grant_options);
        for (auto& r : u.roles) out += "GRANT " + backQuote(r) + " TO " + backQuote(n) + ";\n";
    }
    for (auto& [n, q] : quotas_) {
        ASTAccessQuery a;
        a.action = ASTAccessQuery::Action::CreateQuota;
        a.names = {n};
        a.quota_intervals = q.intervals;
        a.grantees.assign(q.to.begin(), q.to.end());
        out += a.formatSQL(false) + ";\n";
    }
    for (auto& [k, p] : policies_) {
        out += "CREATE ROW POLICY " + backQuote(p.name) + " ON " + target(p.database, p.table) + " USING " + p.condition->formatSQL(false) + " TO ";
        bool first = true;
        for (auto& t : p.to) { out += (first ? "" : ", ") + backQuote(t); first = false; }
        out += ";\n";
    }
    return out;
}

std::vector<std::string> AccessControl::grantLines(const std::string& name) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> lines;
    const std::set<Grant>* gs = nullptr;
    const std::set<Grant>* options = nullptr;
    const std::set<std::string>* rs = nullptr;
    if (auto u = users_.find(name); u != users_.end()) { gs = &u->second.grants; options = &u->second.grant_options; rs = &u->second.roles; }
    else if (auto r = roles_.find(name); r != roles_.end()) { gs = &r->second.grants; options = &r->second.grant_options; }
    else {
        lines.push_back("GRANT ALL ON *.* TO " + backQuote(name) + " WITH GRANT OPTION");   // an administrator
        return lines;
    }
    lines = grantStatements(*gs, *options, name);
    if (rs)
        for (auto& r : *rs) lines.push_back("GRANT " + backQuote(r) + " TO " + backQuote(name));
    return lines;
}

std::vector<AccessControl::User> AccessControl::users() const {
    std::lock_guard lock(mutex_);
    std::vector<User> r;
    for (auto& [n, u] : users_) r.push_back(u);
    return r;
}

std::vector<AccessControl::Role> AccessControl::roles() const {
    std::lock_guard lock(mutex_);
    std::vector<Role> r;
    for (auto& [n, x] : roles_) r.push_back(x);
    return r;
}

std::vector<AccessControl::RowPolicy> AccessControl::rowPolicies() const {
    std::lock_guard lock(mutex_);
    std::vector<RowPolicy> r;
    for (auto& [n, x] : policies_) r.push_back(x);
    return r;
}

}  // namespace basalt
