// select_window.h — the SELECT executor's window-function stage (and QUALIFY).
//
// A query with window calls (f(args) OVER ...) or QUALIFY runs in two expression stages:
//   1. the ordinary SELECT machinery computes the "pre-window" list: every row-dependent subtree
//      of the select list / ORDER BY / LIMIT BY / QUALIFY that contains no window call, plus each
//      window call's arguments and PARTITION BY / ORDER BY expressions (over the source, or over
//      keys + aggregates when aggregating);
//   2. exec/window computes the window columns over that whole block, then the outer expressions
//      (window calls replaced by identifiers naming their columns) are evaluated over
//      [pre-window columns, window columns] and QUALIFY filters the rows.
// The result has the layout the executor's finishing steps expect: the select list, then ORDER BY /
// LIMIT BY extras.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "exec/window.h"

namespace basalt {

struct FunctionContext;

// True if the expression has a window call (f(x) OVER ...) outside lambdas.
bool containsWindowCall(const ASTPtr& ast);

class WindowPlan {
public:
    // Null when the query has neither window calls nor QUALIFY. Otherwise `select_exprs` becomes the
    // pre-window list and `order_exprs` / `limit_by` become empty (the plan keeps the originals).
    static std::unique_ptr<WindowPlan> build(const ASTSelectQuery& q, const AliasMap& aliases, std::vector<ASTPtr>& select_exprs,
                                             std::vector<ASTPtr>& order_exprs, std::vector<ASTPtr>& limit_by);

    // Name of pre-window column i (its expression's column name).
    const std::string& preName(size_t i) const { return pre_names_[i]; }

    // Resolves the window functions over the analyzed pre-window list and analyzes the outer
    // expressions; `select_names` are the output names of the select list.
    void analyze(Analyzer& analyzer, const std::vector<ExprNodePtr>& pre_nodes, const std::vector<std::string>& select_names);

    size_t visible() const { return visible_; }
    const std::vector<size_t>& orderPositions() const { return order_positions_; }
    const std::vector<size_t>& limitByPositions() const { return limit_by_positions_; }
    // The output header (select list only).
    Block header() const;
    // Pre-window block -> final layout (select list, ORDER BY / LIMIT BY extras), QUALIFY applied.
    Block apply(const Block& data, const FunctionContext& fctx) const;

private:
    struct Call {
        std::shared_ptr<ASTFunction> fn;
        std::shared_ptr<ASTWindowDefinition> def;   // resolved: no parent, no name
        std::string name;
    };
    std::vector<Call> calls_;
    std::vector<ASTPtr> outer_select_, outer_order_, outer_limit_by_;
    ASTPtr outer_qualify_;
    std::vector<std::string> pre_names_;

    // Filled by analyze().
    struct DefaultCast { size_t source; DataTypePtr from, to; };
    std::vector<DefaultCast> defaults_;   // appended after the pre-window columns
    std::vector<WindowSpec> specs_;
    std::vector<ExprNodePtr> final_nodes_;
    std::vector<std::string> final_names_;
    ExprNodePtr qualify_node_;
    size_t visible_ = 0;
    std::vector<size_t> order_positions_, limit_by_positions_;
};

}  // namespace basalt
