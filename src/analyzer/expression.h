// expression.h — analyzed, typed expressions (ExprNode) and their vectorized evaluation.
// The analyzer (analyzer/analyzer.h) turns AST into ExprNode DAGs whose leaves are input columns of
// a known block layout and constants; evaluate() runs a DAG over a Block, computing each shared
// node once per block and calling each function once per block (never per row).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "columns/block.h"
#include "functions/function.h"

namespace basalt {

struct ExprNode;
using ExprNodePtr = std::shared_ptr<ExprNode>;

struct ExprNode {
    enum class Kind { Input, Constant, Function, Lambda };
    Kind kind = Kind::Constant;
    DataTypePtr type;
    std::string name;                 // result column name (ClickHouse naming)
    size_t input = 0;                 // Input: position in the input block
    ColumnPtr constant;               // Constant: a one-row full column of `type`
    FunctionPtr function;             // Function
    std::vector<ExprNodePtr> args;    // Function arguments; Lambda: args[0] is the body
    // Lambda: parameters become input columns appended after the enclosing block's columns.
    std::vector<std::string> lambda_params;
    bool higher_order = false;        // Function whose args[0] is a Lambda (arrayMap, ...)
    // Higher-order: args[1 .. 1 + lambda_fixed_args) are ordinary arguments (arrayPartialSort's
    // limit); the arrays follow. lambda_fold (arrayFold): the last argument is the accumulator,
    // bound to the lambda's first parameter, and the lambda is applied element by element.
    size_t lambda_fixed_args = 0;
    bool lambda_fold = false;
    bool short_circuit = false;       // if/multiIf/and/or: branches evaluated only where needed

    bool isConstant() const { return kind == Kind::Constant; }
};

// Evaluates `node` over `block` (rows = block.rows()); the result has block.rows() rows and may be a
// ColumnConst.
ColumnPtr evaluate(const ExprNodePtr& node, const Block& block);
// Evaluates several nodes sharing one cache (common subexpressions computed once).
std::vector<ColumnPtr> evaluateAll(const std::vector<ExprNodePtr>& nodes, const Block& block);

// A constant node from a one-row column.
ExprNodePtr makeConstantNode(ColumnPtr one_row, DataTypePtr type, std::string name);

}  // namespace basalt
