// analyzer.h — name and type resolution: AST expressions -> typed ExprNode DAGs over a known block
// layout. Handles alias expansion (aliases usable anywhere, as in ClickHouse), constant folding,
// GROUP BY key matching and aggregate extraction for the post-aggregation stage, lambdas, IN sets,
// scalar and EXISTS subqueries (run through a callback into the interpreter).
#pragma once
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "aggregates/aggregate_function.h"
#include "analyzer/expression.h"
#include "sql/ast.h"

namespace basalt {

struct QueryContext;

struct SourceColumn {
    std::string name;
    DataTypePtr type;
};

struct AggregateDescription {
    AggregateFunctionPtr function;
    std::vector<ExprNodePtr> args;   // over the source (pre-aggregation) block
    std::string name;                // column name, e.g. "sum(number)"
};

// Runs a subquery and returns its result header + rows (used for IN, scalar and EXISTS subqueries).
using SubqueryRunner = std::function<Block(const ASTPtr& select_with_union, size_t max_rows)>;

// One resolution scope: the columns of the block the expressions will run on.
struct Scope {
    std::vector<SourceColumn> columns;
    std::set<std::string> qualifiers;        // table name / alias usable as `t.col`
    // Joined tables: `t.col` / `db.t.col` -> position (column names there are made unique, so the
    // qualified form is how a duplicate name of another table is reached).
    std::map<std::string, size_t> qualified;
    const char* clause = "SELECT";           // for error messages
    bool allow_aggregates = false;

    // Post-aggregation scope: block = [keys..., aggregates...]
    bool aggregated = false;
    Scope* source = nullptr;                 // pre-aggregation scope (aggregate arguments)
    std::vector<std::string> key_names;      // canonical names of GROUP BY keys
    std::vector<AggregateDescription>* aggregates = nullptr;

    // Lambda parameters visible in this scope: name -> input position.
    std::vector<std::pair<std::string, size_t>> lambda_params;
    std::map<std::string, ExprNodePtr> cache;   // shared nodes by column name
};

class Analyzer {
public:
    Analyzer(QueryContext& ctx, SubqueryRunner runner) : ctx_(ctx), runner_(std::move(runner)) {}

    ExprNodePtr analyze(const ASTPtr& ast, Scope& scope);
    // Evaluates a constant expression (LIMIT values, settings, table function arguments); throws if
    // it is not constant.
    Field evaluateConstant(const ASTPtr& ast, const char* what);

    QueryContext& context() { return ctx_; }

private:
    ExprNodePtr analyzeImpl(const ASTPtr& ast, Scope& scope);
    ExprNodePtr analyzeIdentifier(const ASTIdentifier& id, Scope& scope);
    ExprNodePtr analyzeFunction(const ASTFunction& fn, Scope& scope);
    ExprNodePtr analyzeAggregate(const ASTFunction& fn, Scope& scope);
    ASTPtr rewriteSumOfShift(const ASTFunction& fn, const std::string& fname, const std::vector<ExprNodePtr>& args, const DataTypePtr& result_type);
    ExprNodePtr analyzeIn(const ASTFunction& fn, Scope& scope);
    ExprNodePtr analyzeHigherOrder(const ASTFunction& fn, Scope& scope);
    // Scalar and EXISTS subqueries (correlated.cpp): a constant, or for a subquery that reads columns
    // of `scope` (the enclosing query) a node evaluating it per distinct combination of their values.
    ExprNodePtr analyzeSubquery(const ASTSubquery& sq, const std::string& name, Scope& scope);
    ExprNodePtr analyzeExists(const ASTFunction& fn, Scope& scope);
    // Runs a subquery whose unresolved identifiers may refer to `scope`: true with the result when it
    // is uncorrelated; false with the outer references (name, node over `scope`) and the header.
    bool runSubqueryIn(const ASTPtr& query, size_t max_rows, Scope& scope, Block& result,
                       std::vector<std::pair<std::string, ExprNodePtr>>& refs);
    ExprNodePtr makeCorrelatedNode(bool exists, const ASTPtr& query, std::vector<std::pair<std::string, ExprNodePtr>> refs,
                                   const Block& header, const std::string& name);
    // An identifier unknown in its own query: an outer reference of a subquery being analyzed or run.
    ExprNodePtr resolveOuterIdentifier(const ASTIdentifier& id);
    ExprNodePtr makeFunctionNode(const std::string& fname, std::vector<ExprNodePtr> args, const std::string& name);

    QueryContext& ctx_;
    SubqueryRunner runner_;
    int depth_ = 0;
};

// Alias expansion: replaces identifiers that name an alias by (a clone of) the aliased expression,
// recursively, keeping the outer alias. An alias is not expanded inside its own definition (so
// `number + 1 AS number` reads the column) nor where a lambda parameter shadows it. Throws
// CYCLIC_ALIASES (174) for cycles and MULTIPLE_EXPRESSIONS_FOR_ALIAS (179) for conflicting aliases.
class AliasMap {
public:
    void add(const std::string& alias, const ASTPtr& expr);
    bool has(const std::string& name) const { return aliases_.count(name) > 0; }
    ASTPtr expand(const ASTPtr& ast) const;

private:
    ASTPtr expandImpl(const ASTPtr& ast, std::vector<std::string>& stack, const std::set<std::string>& shadowed) const;
    std::map<std::string, ASTPtr> aliases_;
};

// Collects aliases defined anywhere in an expression tree (ClickHouse allows `f(x AS y)`).
void collectAliases(const ASTPtr& ast, AliasMap& map);

// True if the tree contains an aggregate function call outside lambdas and subqueries.
bool containsAggregate(const ASTPtr& ast);

}  // namespace basalt
