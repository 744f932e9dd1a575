// ast.h — the abstract syntax tree produced by the parser (sql/parser.h) and consumed by the
// analyzer and interpreters. Nodes are plain structs deriving from IAST; dispatch with as<T>().
// Every node can carry an alias (`expr AS name`). getColumnName() gives the result-column name
// ClickHouse would give the expression (e.g. `1 + 1` -> "plus(1, 1)"); formatSQL() renders the node
// back to SQL text (EXPLAIN SYNTAX, SHOW CREATE TABLE, stored table metadata).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/field.h"

namespace basalt {

struct IAST;
using ASTPtr = std::shared_ptr<IAST>;
using ASTs = std::vector<ASTPtr>;

struct IAST : std::enable_shared_from_this<IAST> {
    std::string alias;
    virtual ~IAST() = default;
    virtual const char* kind() const = 0;   // "Literal", "Function", ... (EXPLAIN AST)
    virtual ASTPtr clone() const = 0;
    virtual ASTs children() const { return {}; }   // for tree walks and EXPLAIN AST
    // Name of the result column for this expression, ignoring alias.
    virtual std::string getColumnName() const;
    // SQL text including " AS alias" when an alias is set and with_alias.
    std::string formatSQL(bool with_alias = true) const;
    virtual void formatImpl(std::string& out) const = 0;
    // Offset of the node's first token in the query text (error messages).
    size_t position = 0;

    template <typename T> T* as() { return dynamic_cast<T*>(this); }
    template <typename T> const T* as() const { return dynamic_cast<const T*>(this); }
};

template <typename T> std::shared_ptr<T> cloneAs(const T& node) { return std::static_pointer_cast<T>(node.clone()); }

struct ASTLiteral : IAST {
    Field value;
    // Set for a literal written with an explicit type, e.g. from folding `-1`.
    explicit ASTLiteral(Field v = Field()) : value(std::move(v)) {}
    const char* kind() const override { return "Literal"; }
    ASTPtr clone() const override { return std::make_shared<ASTLiteral>(*this); }
    std::string getColumnName() const override;
    void formatImpl(std::string& out) const override;
};

// {name:Type}: a query parameter, bound at execution (parameterized views `FROM v(name = value)`,
// HTTP param_name). The analyzer reads the value from QueryContext::query_parameters.
struct ASTQueryParameter : IAST {
    std::string name;
    std::string type;   // as written: UInt64, Array(String), DateTime('UTC')
    const char* kind() const override { return "QueryParameter"; }
    ASTPtr clone() const override { return std::make_shared<ASTQueryParameter>(*this); }
    std::string getColumnName() const override { return "{" + name + ":" + type + "}"; }
    void formatImpl(std::string& out) const override { out += "{" + name + ":" + type + "}"; }
};

struct ASTIdentifier : IAST {
    std::vector<std::string> parts;   // a.b.c -> {"a","b","c"}
    ASTIdentifier() = default;
    explicit ASTIdentifier(std::vector<std::string> p) : parts(std::move(p)) {}
    std::string name() const;         // parts joined with '.'
    const char* kind() const override { return "Identifier"; }
    ASTPtr clone() const override { return std::make_shared<ASTIdentifier>(*this); }
    std::string getColumnName() const override { return name(); }
    void formatImpl(std::string& out) const override;
};

// Column transformers attached to *, t.*, COLUMNS(...): EXCEPT (a, b) / EXCEPT('re'), REPLACE (expr AS a).
struct ColumnTransformers {
    std::vector<std::string> except_names;
    std::string except_regex;
    std::vector<std::pair<std::string, ASTPtr>> replace;   // column name -> replacement expression
    bool empty() const { return except_names.empty() && except_regex.empty() && replace.empty(); }
    void format(std::string& out) const;
};

struct ASTAsterisk : IAST {
    std::vector<std::string> qualifier;   // empty for plain *, {"t"} for t.*
    ColumnTransformers transformers;
    const char* kind() const override { return "Asterisk"; }
    ASTPtr clone() const override { return std::make_shared<ASTAsterisk>(*this); }
    void formatImpl(std::string& out) const override;
};

struct ASTColumnsMatcher : IAST {
    std::string regex;                    // COLUMNS('re')
    std::vector<std::string> columns;     // COLUMNS(a, b)
    ColumnTransformers transformers;
    const char* kind() const override { return "ColumnsMatcher"; }
    ASTPtr clone() const override { return std::make_shared<ASTColumnsMatcher>(*this); }
    void formatImpl(std::string& out) const override;
};

// Function calls and every operator. Operators are desugared to ClickHouse's function names:
// a+b -> plus, a-b -> minus, * multiply, / divide, % modulo, || concat, = equals, != notEquals,
// < less, <= lessOrEquals, > greater, >= greaterOrEquals, AND and, OR or, NOT not, -x negate,
// LIKE like, NOT LIKE notLike, ILIKE ilike, NOT ILIKE notILike, IN in, NOT IN notIn,
// GLOBAL IN globalIn, IS NULL isNull, IS NOT NULL isNotNull, BETWEEN -> and(greaterOrEquals, lessOrEquals),
// a[i] arrayElement, t.1 tupleElement, [..] array, (a, b) tuple, CASE -> caseWithExpression / multiIf,
// x::T and CAST(x AS T) -> CAST(x, 'T'), INTERVAL n unit -> toIntervalUnit(n),
// EXTRACT(part FROM x) -> toYear/... , x -> expr is lambda(tuple(x), expr), EXISTS(subq) -> exists(subq),
// DATE 'str' -> toDate('str'), TIMESTAMP 'str' -> toDateTime('str').
struct ASTWindowDefinition;

struct ASTFunction : IAST {
    std::string name;
    ASTs arguments;
    std::optional<ASTs> parameters;   // quantile(0.9)(x): parameters={0.9}, arguments={x}
    bool is_operator = false;         // written as an operator (affects formatSQL only)
    bool distinct = false;            // count(DISTINCT x)
    // Window function call: f(x) OVER (...) sets `window`; f(x) OVER w sets `window_name` only.
    std::shared_ptr<ASTWindowDefinition> window;
    std::string window_name;
    bool isWindowFunction() const { return window || !window_name.empty(); }
    const char* kind() const override { return "Function"; }
    ASTPtr clone() const override;
    ASTs children() const override { return arguments; }
    std::string getColumnName() const override;
    void formatImpl(std::string& out) const override;
};

struct ASTSelectWithUnion;

struct ASTSubquery : IAST {
    ASTPtr query;   // an ASTSelectWithUnion
    // WITH name AS (SELECT ...): a named table expression (CTE) whose name is `alias`, as opposed to
    // WITH (SELECT ...) AS name, a scalar subquery. Both are ASTSubquery in ASTSelectQuery::with.
    bool cte = false;
    // Scalar/IN subqueries are named `_subquery_N` as in ClickHouse; N is assigned per statement by
    // numberSubqueries (interpreter/select.cpp), 0 = not numbered ("_subquery").
    size_t number = 0;
    const char* kind() const override { return "Subquery"; }
    ASTPtr clone() const override;
    ASTs children() const override { return {query}; }
    std::string getColumnName() const override;
    void formatImpl(std::string& out) const override;
};

// Name of a type in CAST / column declarations is kept as text and parsed by parseDataType.
struct ASTOrderByElement : IAST {
    ASTPtr expr;
    bool descending = false;
    std::optional<bool> nulls_first;  // unset = default (NULLS LAST for ASC and for DESC in ClickHouse)
    std::string collation;
    bool with_fill = false;
    const char* kind() const override { return "OrderByElement"; }
    ASTPtr clone() const override;
    ASTs children() const override { return {expr}; }
    void formatImpl(std::string& out) const override;
};

// FROM source: exactly one of table/table_function/subquery is set.
struct ASTTableExpression : IAST {
    std::string database;             // "" = current database
    std::string table;
    std::shared_ptr<ASTFunction> table_function;
    std::shared_ptr<ASTSubquery> subquery;
    bool final = false;
    const char* kind() const override { return "TableExpression"; }
    ASTPtr clone() const override;
    void formatImpl(std::string& out) const override;
};

// One JOIN of a FROM clause: `[GLOBAL] [kind] [strictness] JOIN table ON expr | USING (cols)`;
// comma joins are Cross with `comma` set (formatting only).
enum class JoinKind { Inner, Left, Right, Full, Cross, Paste };
enum class JoinStrictness { Unspecified, All, Any, Semi, Anti, Asof };
struct ASTTableJoin : IAST {
    std::shared_ptr<ASTTableExpression> table;
    JoinKind join_kind = JoinKind::Inner;
    JoinStrictness strictness = JoinStrictness::Unspecified;
    bool global = false;
    bool comma = false;
    bool natural = false;             // NATURAL JOIN: USING every column name both sides have
    ASTPtr on;
    ASTs using_columns;               // identifiers (or expressions with aliases) of USING (...)
    const char* kind() const override { return "TableJoin"; }
    ASTPtr clone() const override;
    ASTs children() const override;
    void formatImpl(std::string& out) const override;
};

// A window: OVER (parent PARTITION BY ... ORDER BY ... frame) or WINDOW name AS (...).
struct ASTWindowDefinition : IAST {
    enum class FrameType { Rows, Range, Groups };
    enum class BoundKind { Unbounded, Current, Offset };
    struct Bound {
        BoundKind kind = BoundKind::Unbounded;
        bool preceding = true;
        ASTPtr offset;                // BoundKind::Offset: a constant expression
    };
    std::string parent_window;        // OVER (w ORDER BY x): refines named window w
    ASTs partition_by;
    std::vector<std::shared_ptr<ASTOrderByElement>> order_by;
    bool frame_is_default = true;     // no frame written: RANGE UNBOUNDED PRECEDING .. CURRENT ROW
    FrameType frame_type = FrameType::Range;
    Bound frame_begin{BoundKind::Unbounded, true, nullptr};
    Bound frame_end{BoundKind::Current, false, nullptr};
    const char* kind() const override { return "WindowDefinition"; }
    ASTPtr clone() const override;
    ASTs children() const override;
    void formatImpl(std::string& out) const override;
};

using SettingsChanges = std::vector<std::pair<std::string, Field>>;

struct ASTSelectQuery : IAST {
    ASTs with;                        // WITH x AS a, (SELECT ...) AS s, name AS (SELECT ...) [CTE]
    bool with_recursive = false;      // WITH RECURSIVE: a CTE may read itself
    bool distinct = false;
    ASTs select;                      // select list
    std::shared_ptr<ASTTableExpression> from;   // null = SELECT without FROM
    std::vector<std::shared_ptr<ASTTableJoin>> joins;   // JOINs after `from`, in order
    ASTs array_join;                  // items of every ARRAY JOIN clause, in order (empty = none)
    bool left_array_join = false;     // the first clause is LEFT ARRAY JOIN
    // Further ARRAY JOIN clauses (`ARRAY JOIN a AS x LEFT ARRAY JOIN b AS y`): the index in
    // `array_join` where each starts and whether it is LEFT. Each clause multiplies the rows of the
    // ones before; the items of one clause are zipped.
    std::vector<std::pair<size_t, bool>> array_join_more;
    // An `ARRAY JOIN` without items ended the query: ClickHouse's parser takes it, the query then
    // fails with 42 when it runs.
    bool array_join_without_items = false;
    ASTPtr prewhere, where, having, qualify;
    std::vector<std::pair<std::string, std::shared_ptr<ASTWindowDefinition>>> windows;   // WINDOW name AS (...)
    ASTs group_by;
    bool group_by_all = false;
    bool with_totals = false, with_rollup = false, with_cube = false;
    std::vector<std::shared_ptr<ASTOrderByElement>> order_by;
    ASTPtr limit_by_length, limit_by_offset;
    ASTs limit_by;
    ASTPtr limit_length, limit_offset;
    bool limit_with_ties = false;
    SettingsChanges settings;
    struct ArrayJoinClause { size_t begin, end; bool left; };
    std::vector<ArrayJoinClause> arrayJoinClauses() const;
    const char* kind() const override { return "SelectQuery"; }
    ASTPtr clone() const override;
    ASTs children() const override;
    void formatImpl(std::string& out) const override;
};

enum class UnionMode { All, Distinct };

struct ASTSelectWithUnion : IAST {
    ASTs selects;                     // ASTSelectQuery or nested ASTSelectWithUnion (parenthesized)
    std::vector<UnionMode> modes;     // modes[i] joins selects[i] and selects[i+1]
    const char* kind() const override { return "SelectWithUnionQuery"; }
    ASTPtr clone() const override;
    ASTs children() const override { return selects; }
    void formatImpl(std::string& out) const override;
};

// Output options any query may end with.
struct QueryOutputOptions {
    std::string format;               // FORMAT name; "" = default
    std::string into_outfile;
    SettingsChanges settings;         // trailing SETTINGS of non-SELECT statements
};

struct ASTColumnDeclaration : IAST {
    std::string name;
    std::string type;                 // type text as written ("" if omitted, e.g. `a DEFAULT 1`)
    std::optional<bool> null_modifier;   // NULL / NOT NULL after type
    std::string default_kind;         // "", "DEFAULT", "MATERIALIZED", "ALIAS", "EPHEMERAL"
    ASTPtr default_expr;
    std::string codec;                // CODEC(...) text as written, e.g. "ZSTD(1)"
    std::string comment;
    ASTPtr ttl;
    // Dictionary attributes: EXPRESSION expr, and the HIERARCHICAL / INJECTIVE / IS_OBJECT_ID flags.
    ASTPtr dictionary_expression;
    std::vector<std::string> dictionary_flags;
    const char* kind() const override { return "ColumnDeclaration"; }
    ASTPtr clone() const override;
    void formatImpl(std::string& out) const override;
};

struct ASTConstraint : IAST {
    std::string name;
    std::string type = "CHECK";       // CHECK or ASSUME
    ASTPtr expr;
    const char* kind() const override { return "Constraint"; }
    ASTPtr clone() const override;
    void formatImpl(std::string& out) const override;
};

// INDEX name expr TYPE type(args) GRANULARITY n — a data-skipping index of a MergeTree table.
struct ASTIndexDeclaration : IAST {
    std::string name;
    ASTPtr expr;
    ASTPtr type;                      // identifier (minmax) or function (set(100), tokenbf_v1(...))
    uint64_t granularity = 1;         // ClickHouse's default; always printed
    const char* kind() const override { return "IndexDeclaration"; }
    ASTPtr clone() const override;
    void formatImpl(std::string& out) const override;
    // The type's name and arguments ("set", [100]).
    std::string typeName() const;
    ASTs typeArguments() const;
};

struct ASTCreateQuery : IAST {
    enum class What { Database, Table, View, MaterializedView, Dictionary } what = What::Table;
    bool if_not_exists = false;
    bool or_replace = false;
    bool temporary = false;
    bool attach = false;                  // ATTACH TABLE name (a detached table comes back)
    std::string database, table;
    std::vector<std::shared_ptr<ASTColumnDeclaration>> columns;
    std::vector<std::shared_ptr<ASTConstraint>> constraints;
    std::vector<std::shared_ptr<ASTIndexDeclaration>> indices;   // data-skipping indexes
    std::shared_ptr<ASTFunction> engine;  // ENGINE = Name(args); null if omitted
    ASTPtr partition_by, primary_key, order_by, sample_by, ttl;
    ASTPtr ttl_where;                     // TTL expr DELETE WHERE cond
    SettingsChanges engine_settings;  // SETTINGS in the storage clause
    std::shared_ptr<ASTSelectWithUnion> as_select;
    std::string as_database, as_table;    // CREATE TABLE t AS other
    std::shared_ptr<ASTFunction> as_table_function;   // CREATE TABLE t AS numbers(10)
    std::string to_database, to_table;    // materialized view TO
    bool populate = false;
    // Refreshable materialized view: REFRESH EVERY|AFTER n UNIT [OFFSET n UNIT] [APPEND] ... [EMPTY].
    std::string refresh_kind;             // "", "EVERY" or "AFTER"
    uint64_t refresh_value = 0, refresh_offset_value = 0;
    std::string refresh_unit, refresh_offset_unit;   // SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, YEAR
    bool refresh_append = false;
    bool empty = false;                   // EMPTY: no initial refresh
    // CREATE DICTIONARY: PRIMARY KEY names, SOURCE(TYPE(key value ...)), LAYOUT(TYPE(key value ...)),
    // LIFETIME(MIN a MAX b), RANGE(MIN col MAX col).
    struct DictionaryParam { std::string key; Field value; };
    std::vector<std::string> dictionary_key;
    std::string dictionary_source;
    std::vector<DictionaryParam> dictionary_source_params;
    std::string dictionary_layout;
    std::vector<DictionaryParam> dictionary_layout_params;
    uint64_t lifetime_min = 0, lifetime_max = 0;
    std::string range_min, range_max;
    std::string comment;
    // Table UUID (`CREATE TABLE t UUID '...'`): names the table's data directory (store/<uuid>/), so
    // RENAME/EXCHANGE never move data. Printed only when show_uuid is set (persisted metadata);
    // SHOW CREATE TABLE omits it as ClickHouse does.
    std::string uuid;
    bool show_uuid = false;
    const char* kind() const override { return "CreateQuery"; }
    ASTPtr clone() const override;
    void formatImpl(std::string& out) const override;   // ClickHouse's SHOW CREATE layout
};

struct ASTDropQuery : IAST {
    enum class Kind { Drop, Truncate, Detach } drop_kind = Kind::Drop;
    enum class What { Database, Table, View, Dictionary } what = What::Table;
    bool if_exists = false;
    std::string database, table;
    const char* kind() const override { return "DropQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTDropQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

struct ASTRenameQuery : IAST {
    struct Element { std::string from_database, from_table, to_database, to_table; };
    std::vector<Element> elements;
    bool exchange = false;            // EXCHANGE TABLES a AND b
    bool database = false;            // RENAME DATABASE
    const char* kind() const override { return "RenameQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTRenameQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

struct ASTShowQuery : IAST {
    enum class What { Tables, Databases, CreateTable, CreateDatabase, Settings, Functions, Columns } what = What::Tables;
    std::string database, table;      // SHOW TABLES FROM db / SHOW CREATE TABLE db.t
    std::string like;                 // LIKE 'pattern'
    bool not_like = false, ilike = false;
    ASTPtr limit;
    const char* kind() const override { return "ShowQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTShowQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

struct ASTDescribeQuery : IAST {
    std::shared_ptr<ASTTableExpression> table;
    const char* kind() const override { return "DescribeQuery"; }
    ASTPtr clone() const override;
    void formatImpl(std::string& out) const override;
};

// OPTIMIZE TABLE [db.]t [PARTITION expr | PARTITION ID 'id'] [FINAL] [DEDUPLICATE [BY cols]]
struct ASTOptimizeQuery : IAST {
    std::string database, table;
    ASTPtr partition;              // PARTITION expr
    std::string partition_id;      // PARTITION ID 'id'
    bool final = false;
    bool deduplicate = false;
    ASTs deduplicate_by;
    const char* kind() const override { return "OptimizeQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTOptimizeQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

// One ALTER TABLE command (ClickHouse syntax); which fields are set depends on `type`.
struct ASTAlterCommand {
    enum class Type {
        AddColumn, DropColumn, ModifyColumn, RenameColumn, ClearColumn, CommentColumn, MaterializeColumn,
        ModifySetting, ResetSetting, ModifyTTL, RemoveTTL, MaterializeTTL, AddIndex, DropIndex, MaterializeIndex, ClearIndex,
        Delete, Update, DropPartition, DropPart, DetachPartition, DetachPart, AttachPartition, AttachPart,
        AttachPartitionFrom, ReplacePartition, MovePartitionToTable, Freeze, ModifyComment, ModifyQuery
    };
    Type type = Type::AddColumn;
    bool if_exists = false, if_not_exists = false;
    std::shared_ptr<ASTColumnDeclaration> column;            // ADD / MODIFY COLUMN
    std::string column_name, new_name, after;                 // DROP/RENAME/CLEAR/COMMENT; ADD ... AFTER
    bool first = false;                                       // ADD ... FIRST
    bool remove_ttl = false;                                  // MODIFY COLUMN c REMOVE TTL
    std::string comment;                                      // COMMENT COLUMN, MODIFY COMMENT
    ASTPtr predicate;                                         // DELETE / UPDATE ... WHERE
    std::vector<std::pair<std::string, ASTPtr>> assignments;  // UPDATE a = expr, ...
    ASTPtr partition;                                         // PARTITION expr
    std::string partition_id;                                 // PARTITION ID 'id'
    bool partition_all = false;                               // PARTITION ALL
    bool has_partition = false;
    std::string part_name;                                    // DROP/DETACH/ATTACH PART 'name'
    std::string from_database, from_table;                    // ATTACH/REPLACE PARTITION ... FROM t
    std::string to_database, to_table;                        // MOVE PARTITION ... TO TABLE t
    SettingsChanges settings;                                 // MODIFY SETTING
    std::vector<std::string> reset_settings;                  // RESET SETTING
    std::string index_name;                                   // DROP/MATERIALIZE/CLEAR INDEX
    std::shared_ptr<ASTIndexDeclaration> index;               // ADD INDEX (after/first as for columns)
    ASTPtr ttl;                                               // MODIFY TTL
    ASTPtr ttl_where;
    std::string freeze_name;                                  // FREEZE ... WITH NAME
    std::shared_ptr<ASTSelectWithUnion> query;                // MODIFY QUERY (materialized views)
};

struct ASTAlterQuery : IAST {
    std::string database, table;
    std::vector<ASTAlterCommand> commands;
    SettingsChanges settings;   // ALTER ... SETTINGS mutations_sync = 2: for this statement only
    const char* kind() const override { return "AlterQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTAlterQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

// Lightweight DELETE FROM t [IN PARTITION p] WHERE expr.
struct ASTDeleteQuery : IAST {
    std::string database, table;
    ASTPtr predicate;
    const char* kind() const override { return "DeleteQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTDeleteQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

// SYSTEM <action> [db.table]: STOP MERGES, START MERGES, RELOAD ..., SYNC REPLICA, ...
struct ASTSystemQuery : IAST {
    std::string action;            // upper-case words, e.g. "STOP MERGES"
    std::string database, table;   // optional target
    const char* kind() const override { return "SystemQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTSystemQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

// KILL MUTATION | QUERY WHERE expr [SYNC | ASYNC | TEST]: the WHERE is evaluated over
// system.mutations / system.processes.
struct ASTKillQuery : IAST {
    std::string what = "MUTATION";   // "MUTATION" or "QUERY"
    ASTPtr where;
    std::string mode;   // "", "SYNC", "ASYNC" or "TEST"
    const char* kind() const override { return "KillQueryQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTKillQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

// CREATE USER / ROLE / ROW POLICY, DROP USER / ROLE / ROW POLICY, GRANT, REVOKE, SHOW GRANTS
// (access/access_control.h runs them). Formatting never shows a password ('[HIDDEN]').
struct ASTAccessQuery : IAST {
    enum class Action { CreateUser, DropUser, CreateRole, DropRole, Grant, Revoke, ShowGrants, CreateRowPolicy, DropRowPolicy, CreateQuota,
                        DropQuota };
    Action action = Action::CreateUser;
    std::vector<std::string> names;          // users, roles, or the row policy's name
    bool if_exists = false, if_not_exists = false, or_replace = false;
    bool has_password = false;                // IDENTIFIED [WITH plaintext_password | sha256_password] BY 'x'
    std::string password;
    std::string password_sha256_hex;          // IDENTIFIED WITH sha256_hash BY 'hex'
    std::optional<bool> readonly;             // SETTINGS readonly = 0 | 1, or PROFILE 'readonly'
    std::vector<std::string> privileges;      // GRANT / REVOKE: SELECT, INSERT, ALTER, CREATE, DROP, TRUNCATE, ALL
    std::vector<std::vector<std::string>> privilege_columns;   // per privilege: SELECT(a, b) → {a, b}; empty = whole table
    std::vector<std::string> granted_roles;   // GRANT role TO user
    std::string database, table;              // ON db.table ("*" = any)
    std::vector<std::string> grantees;        // TO / FROM
    bool with_grant_option = false;           // GRANT ... WITH GRANT OPTION
    ASTPtr condition;                         // ROW POLICY ... USING expr
    // CREATE QUOTA q FOR INTERVAL n unit MAX resource = limit [, ...] TO ...: one per interval.
    struct QuotaInterval {
        uint64_t seconds = 0;
        std::vector<std::pair<std::string, double>> limits;   // queries, result_rows, read_rows, errors, execution_time, ...
    };
    std::vector<QuotaInterval> quota_intervals;
    const char* kind() const override { return "AccessQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTAccessQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

struct ASTUseQuery : IAST {
    std::string database;
    const char* kind() const override { return "UseQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTUseQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

struct ASTSetQuery : IAST {
    SettingsChanges changes;
    const char* kind() const override { return "SetQuery"; }
    ASTPtr clone() const override { return std::make_shared<ASTSetQuery>(*this); }
    void formatImpl(std::string& out) const override;
};

struct ASTExplainQuery : IAST {
    enum class Kind { AST, Syntax, Plan, Pipeline, Estimate } explain_kind = Kind::Plan;
    ASTPtr query;
    SettingsChanges explain_settings;  // EXPLAIN PLAN header = 1, ...
    const char* kind() const override { return "ExplainQuery"; }
    ASTPtr clone() const override;
    void formatImpl(std::string& out) const override;
};

struct ASTInsertQuery : IAST {
    std::string database, table;
    std::shared_ptr<ASTFunction> table_function;   // INSERT INTO FUNCTION file(...)
    std::vector<std::string> columns;              // empty = all non-materialized columns
    std::shared_ptr<ASTSelectWithUnion> select;    // INSERT ... SELECT
    std::string format;                            // "Values" for VALUES, else FORMAT name
    // Inline data: for VALUES the text after the keyword; for FORMAT the text after the format name
    // and one whitespace/newline, up to the end of the statement. Points into the query text.
    std::string data;
    bool has_inline_data = false;
    const char* kind() const override { return "InsertQuery"; }
    ASTPtr clone() const override;
    void formatImpl(std::string& out) const override;
};

// A parsed statement: the AST plus its trailing FORMAT / INTO OUTFILE / SETTINGS.
struct ParsedStatement {
    ASTPtr ast;
    QueryOutputOptions output;
    std::string text;                 // the statement's own text (without the ';')
    size_t begin = 0, end = 0;        // offsets in the script
    // DDL with ON CLUSTER name: the cluster, and the text every host runs (the clause removed).
    std::string on_cluster, text_without_on_cluster;
};

// Deep-printing of the tree for EXPLAIN AST (ClickHouse's layout: "SelectWithUnionQuery (children 1)"
// with one-space indentation per level, as ClickHouse prints it).
std::string dumpTree(const IAST& ast);

// The query as ClickHouse's EXPLAIN SYNTAX prints it: normalized (operators as function calls,
// FROM system.one, _CAST-wrapped composite literals, normalized UNION chains) and laid out one clause
// per line ('\n'-separated). Implemented in format_canonical.cpp; independent of formatSQL.
// keep_operators: operators stay operators (SHOW CREATE VIEW), as opposed to EXPLAIN SYNTAX's calls.
std::string formatCanonical(const IAST& ast, bool keep_operators = false);

}  // namespace basalt
