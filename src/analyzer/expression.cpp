// expression.cpp — evaluation of ExprNode DAGs over blocks.
#include "analyzer/expression.h"

#include <cstring>
#include <unordered_map>

#include "common/exception.h"
#include "types/create_column.h"

namespace basalt {

namespace {

struct Evaluator {
    const Block& block;
    size_t rows;
    std::unordered_map<const ExprNode*, ColumnPtr> cache;

    ColumnPtr eval(const ExprNodePtr& n) {
        auto it = cache.find(n.get());
        if (it != cache.end()) return it->second;
        ColumnPtr r = compute(*n);
        cache.emplace(n.get(), r);
        return r;
    }

    ColumnPtr compute(const ExprNode& n) {
        switch (n.kind) {
            case ExprNode::Kind::Input:
                if (n.input >= block.columns())
                    throw Exception(ErrorCodes::LOGICAL_ERROR, "Expression input " + std::to_string(n.input) + " is out of block");
                return block.at(n.input).column;
            case ExprNode::Kind::Constant:
                return std::make_shared<ColumnConst>(n.constant, rows);
            case ExprNode::Kind::Lambda:
                throw Exception(ErrorCodes::LOGICAL_ERROR, "Lambda evaluated outside of a higher-order function");
            case ExprNode::Kind::Function:
                break;
        }
        if (n.higher_order) return computeHigherOrder(n);
        ColumnsWithTypeAndName args;
        args.reserve(n.args.size());
        for (auto& a : n.args) args.push_back({eval(a), a->type, a->name});
        ColumnPtr r = n.function->execute(args, rows);
        if (r->size() != rows)
            throw Exception(ErrorCodes::LOGICAL_ERROR, "Function " + n.function->name + " returned " + std::to_string(r->size()) +
                                                           " rows instead of " + std::to_string(rows));
        return r;
    }

    // f(lambda, arr1, ..., arrN): evaluates the lambda body once over all array elements (the
    // enclosing block's rows replicated per element plus the element columns), then hands the
    // flattened body result and the arrays to the function.
    ColumnPtr computeHigherOrder(const ExprNode& n) {
        const ExprNode& lambda = *n.args[0];
        ColumnsWithTypeAndName arrays;
        for (size_t i = 1; i < n.args.size(); ++i) arrays.push_back({materialize(eval(n.args[i])), n.args[i]->type, n.args[i]->name});
        if (arrays.empty()) throw Exception(ErrorCodes::LOGICAL_ERROR, "Higher-order function without arrays");
        const ColumnArray* first = nullptr;
        if (arrays[0].type->id == TypeId::Array || arrays[0].type->id == TypeId::Map) first = &static_cast<const ColumnArray&>(*arrays[0].column);
        else throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument 2 of function " + n.function->name + " must be an array");
        for (size_t i = 1; i < arrays.size(); ++i) {
            auto& a = static_cast<const ColumnArray&>(*arrays[i].column);
            if (a.getOffsets().size() != first->getOffsets().size() ||
                std::memcmp(a.getOffsets().data(), first->getOffsets().data(), a.getOffsets().size() * 8) != 0)
                throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Arrays passed to " + n.function->name + " must have equal size");
        }
        const Offsets& offsets = first->getOffsets();
        Block inner;
        for (size_t c = 0; c < block.columns(); ++c)
            inner.insert({block.at(c).column->replicate(offsets), block.at(c).type, block.at(c).name});
        for (size_t p = 0; p < lambda.lambda_params.size() && p < arrays.size(); ++p) {
            auto& a = static_cast<const ColumnArray&>(*arrays[p].column);
            DataTypePtr et = arrays[p].type->id == TypeId::Map ? makeTuple({arrays[p].type->nested[0], arrays[p].type->nested[1]})
                                                                : arrays[p].type->nested[0];
            inner.insert({a.getDataPtr(), et, lambda.lambda_params[p]});
        }
        size_t inner_rows = offsets.empty() ? 0 : offsets.back();
        if (inner.columns() == 0) inner.setRowsWithoutColumns(inner_rows);
        Evaluator sub{inner, inner_rows, {}};
        ColumnPtr body = materialize(sub.eval(lambda.args[0]));
        ColumnsWithTypeAndName args;
        args.push_back({body, lambda.args[0]->type, "__lambda"});
        for (auto& a : arrays) args.push_back(a);
        return n.function->execute(args, rows);
    }
};

}  // namespace

ColumnPtr evaluate(const ExprNodePtr& node, const Block& block) {
    Evaluator e{block, block.rows(), {}};
    return e.eval(node);
}

std::vector<ColumnPtr> evaluateAll(const std::vector<ExprNodePtr>& nodes, const Block& block) {
    Evaluator e{block, block.rows(), {}};
    std::vector<ColumnPtr> r;
    r.reserve(nodes.size());
    for (auto& n : nodes) r.push_back(e.eval(n));
    return r;
}

ExprNodePtr makeConstantNode(ColumnPtr one_row, DataTypePtr type, std::string name) {
    auto n = std::make_shared<ExprNode>();
    n->kind = ExprNode::Kind::Constant;
    n->constant = materialize(std::move(one_row));
    if (n->constant->size() != 1) n->constant = n->constant->cut(0, 1);
    n->type = std::move(type);
    n->name = std::move(name);
    return n;
}

}  // namespace basalt
