// access_control.h — users, roles, grants and row policies created with SQL (CREATE USER, CREATE
// ROLE, GRANT, REVOKE, CREATE ROW POLICY), kept in the catalog and persisted as DATA/access.sql.
//
// Who is checked: users created with SQL. Users the server's config declares (and `basalt local`'s
// default user) are administrators: every privilege, and the right to manage access — as
// ClickHouse's config users with access_management. A SQL user's privileges are its own grants
// plus those of its roles; SELECT needs SELECT on the table (or its database / *.*), INSERT needs
// INSERT, CREATE / DROP / ALTER / TRUNCATE their own privilege; ALL covers them all. The system
// database is readable by everyone. A row policy `USING expr TO u` shows u only the rows where
// expr holds. SELECT and INSERT can be granted per column (GRANT SELECT(a, b) ON db.t): a query
// then reads / writes only those columns. A SQL user may GRANT / REVOKE exactly what it holds
// WITH GRANT OPTION (every other access statement is for administrators). Missing privileges: ACCESS_DENIED (497) naming the grant
// that would allow it.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sql/ast.h"

namespace basalt {

enum class AccessType { Select, Insert, Alter, Create, Drop, Truncate, All };
const char* accessTypeName(AccessType t);

class AccessControl {
public:
    struct Grant {
        AccessType type;
        std::string database = "*", table = "*";   // "*" = any
        std::string column;                         // SELECT(column) / INSERT(column); "" = every column
        bool operator<(const Grant& o) const { return std::tie(type, database, table, column) < std::tie(o.type, o.database, o.table, o.column); }
    };
    struct User {
        std::string name;
        std::string password_sha256_hex;   // "" = no password
        bool readonly = false;
        std::set<Grant> grants;
        std::set<Grant> grant_options;     // the grants it may pass on (WITH GRANT OPTION)
        std::set<std::string> roles;
    };
    struct Role {
        std::string name;
        std::set<Grant> grants;
        std::set<Grant> grant_options;
    };
    struct RowPolicy {
        std::string name, database, table;
        ASTPtr condition;
        std::set<std::string> to;   // users / roles
    };

    // `file`: where the state persists ("" = memory only). Loads it when present.
    explicit AccessControl(std::string file);

    // A SQL user with this name and password (AUTHENTICATION_FAILED, 516, when the name is a SQL
    // user and the password is wrong); nullopt when there is no such SQL user.
    std::optional<User> authenticate(const std::string& user, const std::string& password) const;
    bool isSqlUser(const std::string& user) const;

    // ACCESS_DENIED unless `user` may do `type` on db.table (administrators always may). With
    // `columns`, a column-level grant (SELECT(a, b)) must cover each of them unless the table is
    // granted whole; an empty list (SELECT count()) needs any column. Without, any grant of `type`
    // on the table will do (the caller checks the columns once it knows them).
    void check(const std::string& user, AccessType type, const std::string& database, const std::string& table,
               const std::vector<std::string>* columns = nullptr) const;
    // The row-policy condition for `user` reading db.table (several policies are OR-ed), or null.
    ASTPtr rowPolicy(const std::string& user, const std::string& database, const std::string& table) const;

    // Runs CREATE/DROP USER|ROLE|ROW POLICY, GRANT, REVOKE issued by `issuer`; SHOW GRANTS
    // returns lines. Only administrators manage access (ACCESS_DENIED otherwise).
    std::vector<std::string> execute(const ASTAccessQuery& q, const std::string& issuer, const std::string& current_database);

    // Quotas (CREATE QUOTA q FOR INTERVAL ... MAX queries = n, result_rows = n, ... TO u): before a
    // statement, QUOTA_EXCEEDED (201) when a limit of the user's quota is reached (the statement
    // counts as a query); after it, what it read and returned is added. Intervals start at first
    // use and roll over.
    struct QueryUsage {
        bool select = false, insert = false, error = false;
        double result_rows = 0, result_bytes = 0, read_rows = 0, read_bytes = 0, written_bytes = 0, seconds = 0;
    };
    void quotaBeforeQuery(const std::string& user, bool select, bool insert);
    void quotaAfterQuery(const std::string& user, const QueryUsage& usage);
    struct QuotaUsageRow { std::string quota, user; uint64_t duration; std::string resource; double used, max; };
    std::vector<QuotaUsageRow> quotaUsage() const;

    std::vector<User> users() const;
    std::vector<Role> roles() const;
    std::vector<RowPolicy> rowPolicies() const;
    std::vector<std::string> grantLines(const std::string& name) const;

private:
    // Grants of `type` on db.table the user holds (own and roles'): whole-table, else the columns.
    struct Coverage { bool whole = false; std::set<std::string> columns; };
    // `options`: only the grants held WITH GRANT OPTION.
    Coverage coverage(const User& u, AccessType type, const std::string& database, const std::string& table, bool options = false) const;   // mutex_ held
    void persist() const;
    std::string dumpLocked() const;

    std::string file_;
    mutable std::mutex mutex_;
    std::map<std::string, User> users_;
    std::map<std::string, Role> roles_;
    std::map<std::string, RowPolicy> policies_;   // key: "name ON db.table"
    struct Quota {
        std::string name;
        std::vector<ASTAccessQuery::QuotaInterval> intervals;
        std::set<std::string> to;
    };
    std::map<std::string, Quota> quotas_;
    // (quota, user, interval) → the interval's start and resource counters.
    struct Usage {
        int64_t start = 0;
        std::map<std::string, double> used;
    };
    std::map<std::tuple<std::string, std::string, size_t>, Usage> usage_;
    const Quota* quotaFor(const std::string& user) const;   // mutex_ held
};

}  // namespace basalt
