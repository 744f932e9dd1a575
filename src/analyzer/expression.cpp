// expression.cpp — evaluation of ExprNode DAGs over blocks.
#include "analyzer/expression.h"

#include <cstring>
#include <set>
#include <unordered_map>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "types/create_column.h"
#include "common/field.h"

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
        if (n.short_circuit && rows > 0 && needsShortCircuit(n)) return computeShortCircuit(n);
        ColumnsWithTypeAndName args;
        args.reserve(n.args.size());
        for (auto& a : n.args) args.push_back({eval(a), a->type, a->name});
        ColumnPtr r = n.function->execute(args, rows);
        if (!r) throw Exception(ErrorCodes::LOGICAL_ERROR, "Function " + n.function->name + " returned no column");
        if (r->size() != rows)
            throw Exception(ErrorCodes::LOGICAL_ERROR, "Function " + n.function->name + " returned " + std::to_string(r->size()) +
                                                           " rows instead of " + std::to_string(rows));
        return r;
    }

    // A branch is worth evaluating lazily only if it computes something (a function call may throw,
    // e.g. intDiv by zero, or be expensive); inputs and constants are free.
    static bool needsShortCircuit(const ExprNode& n) {
        for (size_t i = 1; i < n.args.size(); ++i)
            if (n.args[i]->kind == ExprNode::Kind::Function && !cheapAndSafe(*n.args[i])) return true;
        return false;
    }

    // Comparisons of numbers/dates and logical operators over such: they cannot throw and cost
    // less than masking (ClickBench's `CounterID = 62 AND EventDate >= ... AND IsRefresh = 0 ...`
    // spent half its time filtering and scattering columns for lazy AND branches).
    static bool cheapAndSafe(const ExprNode& n) {
        if (n.kind == ExprNode::Kind::Input || n.kind == ExprNode::Kind::Constant) return true;
        if (n.kind != ExprNode::Kind::Function || !n.function || n.higher_order) return false;
        static const std::set<std::string> comparisons = {"equals", "notEquals", "less", "greater", "lessOrEquals", "greaterOrEquals", "in", "notIn"};
        static const std::set<std::string> logical = {"and", "or", "not"};
        const std::string& f = n.function->name;
        if (comparisons.count(f)) {
            // Columns of numbers/dates against columns or constants (a constant's conversion, e.g.
            // of '2013-07-01' to a Date, does not depend on which rows are evaluated).
            for (auto& a : n.args) {
                if (a->kind == ExprNode::Kind::Constant) continue;
                const DataType& t = *removeNullable(a->type);
                bool plain = t.isNumber() || t.id == TypeId::Date || t.id == TypeId::Date32 || t.id == TypeId::DateTime || t.id == TypeId::Bool;
                if (!plain || a->kind != ExprNode::Kind::Input) return false;
            }
            return true;
        }
        if (!logical.count(f)) return false;
        for (auto& a : n.args) if (!cheapAndSafe(*a)) return false;
        return true;
    }

    // Evaluates `node` only on rows where mask[i] != 0; other rows get the type's default.
    ColumnPtr evaluateMasked(const ExprNodePtr& node, const Filter& mask, size_t kept) {
        if (kept == rows) return materialize(eval(node));
        auto full = createColumn(node->type);
        if (kept == 0) {
            full->insertManyDefaults(rows);
            return full;
        }
        // Only the columns the node reads are filtered; the others stand in as constants.
        std::vector<bool> used(block.columns(), false);
        bool all = false;
        auto mark = [&](auto& self, const ExprNode& x) -> void {
            if (x.kind == ExprNode::Kind::Input && x.input < used.size()) used[x.input] = true;
            if (x.kind == ExprNode::Kind::Lambda) all = true;   // lambda bodies index past the block
            for (auto& a : x.args) self(self, *a);
        };
        mark(mark, *node);
        Block sub;
        for (size_t i = 0; i < block.columns(); ++i) {
            const auto& c = block.at(i);
            if (all || used[i] || c.column->size() == 0) { sub.insert({c.column->filter(mask, kept), c.type, c.name}); continue; }
            auto one = c.column->cloneEmpty();
            one->insertDefault();
            sub.insert({std::make_shared<ColumnConst>(std::move(one), kept), c.type, c.name});
        }
        if (block.columns() == 0) sub.setRowsWithoutColumns(kept);
        Evaluator inner{sub, kept, {}};
        ColumnPtr part = materialize(inner.eval(node));
        // Scatter back: typed for fixed-width columns, row copies otherwise.
        bool typed = !node->type->isNullable() && dispatchFixed(node->type->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            auto out = std::make_shared<ColumnVector<T>>(rows);
            T* d = out->getData().data();
            const T* src = static_cast<const ColumnVector<T>&>(*part).getData().data();
            size_t j = 0;
            for (size_t i = 0; i < rows; ++i) d[i] = mask[i] ? src[j++] : T{};
            full = out;
        });
        if (typed) return full;
        full->reserve(rows);
        size_t j = 0;
        for (size_t i = 0; i < rows; ++i) {
            if (mask[i]) full->insertFrom(*part, j++);
            else full->insertDefault();
        }
        return full;
    }

    static void truthMask(const ColumnPtr& c_in, size_t rows, Filter& out) {
        out.resize(rows);
        ColumnPtr c = removeLowCardinality(c_in);
        const IColumn* values = c.get();
        const uint8_t* nulls = nullptr;
        if (c->isNullable()) {
            values = &static_cast<const ColumnNullable&>(*c).getNested();
            nulls = static_cast<const ColumnNullable&>(*c).getNullMap().data();
        }
        if (auto* u8 = dynamic_cast<const ColumnUInt8*>(values)) {
            const uint8_t* d = u8->getData().data();
            for (size_t i = 0; i < rows; ++i) out[i] = d[i] != 0 && !(nulls && nulls[i]);
            return;
        }
        for (size_t i = 0; i < rows; ++i) {
            Field v = c->isNullAt(i) ? Field() : c->get(i);
            out[i] = !v.isNull() && !(v == Field(uint64_t(0))) && !(v == Field(int64_t(0))) && !(v == Field(0.0)) && !(v == Field(false));
        }
    }

    // if / multiIf / and / or with lazily evaluated branches (short_circuit_function_evaluation).
    ColumnPtr computeShortCircuit(const ExprNode& n) {
        const std::string& f = n.function->name;
        ColumnsWithTypeAndName args;
        Filter remaining(rows), mask;
        std::fill(remaining.begin(), remaining.end(), 1);
        auto count = [](const Filter& m) { size_t k = 0; for (auto v : m) k += v != 0; return k; };
        if (f == "and" || f == "or") {
            bool is_and = f == "and";
            for (size_t k = 0; k < n.args.size(); ++k) {
                // Rows already decided (false for AND, true for OR) skip the remaining arguments.
                ColumnPtr c = k == 0 ? materialize(eval(n.args[0])) : evaluateMasked(n.args[k], remaining, count(remaining));
                args.push_back({c, n.args[k]->type, n.args[k]->name});
                truthMask(c, rows, mask);
                ColumnPtr plain = removeLowCardinality(c);
                const uint8_t* nulls = plain->isNullable() ? static_cast<const ColumnNullable&>(*plain).getNullMap().data() : nullptr;
                for (size_t i = 0; i < rows; ++i)
                    if (remaining[i] && !(nulls && nulls[i]) && (is_and ? !mask[i] : mask[i])) remaining[i] = 0;
            }
            return n.function->execute(args, rows);
        }
        // if(c, a, b) and multiIf(c1, a1, c2, a2, ..., else)
        size_t nconds = n.args.size() / 2;
        for (size_t k = 0; k < nconds; ++k) {
            ColumnPtr c = k == 0 ? materialize(eval(n.args[0])) : evaluateMasked(n.args[2 * k], remaining, count(remaining));
            truthMask(c, rows, mask);
            Filter take(rows);
            for (size_t i = 0; i < rows; ++i) take[i] = remaining[i] && mask[i];
            ColumnPtr v = evaluateMasked(n.args[2 * k + 1], take, count(take));
            for (size_t i = 0; i < rows; ++i) if (take[i]) remaining[i] = 0;
            args.push_back({c, n.args[2 * k]->type, n.args[2 * k]->name});
            args.push_back({v, n.args[2 * k + 1]->type, n.args[2 * k + 1]->name});
        }
        ColumnPtr e = evaluateMasked(n.args.back(), remaining, count(remaining));
        args.push_back({e, n.args.back()->type, n.args.back()->name});
        return n.function->execute(args, rows);
    }

    // f(lambda, [fixed...,] arr1, ..., arrN): evaluates the lambda body once over all array elements
    // (the enclosing block's rows replicated per element plus the element columns), then hands the
    // flattened body result, the fixed arguments and the arrays to the function.
    ColumnPtr computeHigherOrder(const ExprNode& n) {
        if (n.lambda_fold) return computeFold(n);
        const ExprNode& lambda = *n.args[0];
        size_t first_array = 1 + n.lambda_fixed_args;
        ColumnsWithTypeAndName fixed, arrays;
        for (size_t i = 1; i < first_array; ++i) fixed.push_back({eval(n.args[i]), n.args[i]->type, n.args[i]->name});
        for (size_t i = first_array; i < n.args.size(); ++i)
            arrays.push_back({recursiveRemoveLowCardinality(materialize(eval(n.args[i]))), n.args[i]->type, n.args[i]->name});
        if (arrays.empty()) throw Exception(ErrorCodes::LOGICAL_ERROR, "Higher-order function without arrays");
        const ColumnArray* first = nullptr;
        if (arrays[0].type->id == TypeId::Array || arrays[0].type->id == TypeId::Map) first = &static_cast<const ColumnArray&>(*arrays[0].column);
        else throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument 2 of function " + n.function->name + " must be an array");
        checkEqualOffsets(n, arrays, *first);
        const Offsets& offsets = first->getOffsets();
        Block inner;
        for (size_t c = 0; c < block.columns(); ++c)
            inner.insert({block.at(c).column->replicate(offsets), block.at(c).type, block.at(c).name});
        for (size_t p = 0; p < lambda.lambda_params.size() && p < arrays.size(); ++p) {
            auto& a = static_cast<const ColumnArray&>(*arrays[p].column);
            DataTypePtr et = arrays[p].type->id == TypeId::Map ? makeTuple({arrays[p].type->nested[0], arrays[p].type->nested[1]})
                                                                : arrays[p].type->nested[0];
            inner.insert({a.getDataPtr(), recursiveRemoveLowCardinality(et), lambda.lambda_params[p]});
        }
        size_t inner_rows = offsets.empty() ? 0 : offsets.back();
        if (inner.columns() == 0) inner.setRowsWithoutColumns(inner_rows);
        Evaluator sub{inner, inner_rows, {}};
        ColumnPtr body = materialize(sub.eval(lambda.args[0]));
        ColumnsWithTypeAndName args;
        args.push_back({body, lambda.args[0]->type, "__lambda"});
        for (auto& a : fixed) args.push_back(a);
        for (auto& a : arrays) args.push_back(a);
        return n.function->execute(args, rows);
    }

    static void checkEqualOffsets(const ExprNode& n, const ColumnsWithTypeAndName& arrays, const ColumnArray& first) {
        for (size_t i = 1; i < arrays.size(); ++i) {
            auto& a = static_cast<const ColumnArray&>(*arrays[i].column);
            if (a.getOffsets().size() != first.getOffsets().size() ||
                std::memcmp(a.getOffsets().data(), first.getOffsets().data(), a.getOffsets().size() * 8) != 0)
                throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Arrays passed to " + n.function->name + " must have equal size");
        }
    }

    // arrayFold(lambda(acc, x1, ..., xN), arr1, ..., arrN, init): step k applies the lambda to the
    // rows whose arrays have more than k elements, with their current accumulator and k-th
    // elements. Rows drop out as their arrays end (their final accumulators are collected in drop
    // order and put back in row order at the end), so each step costs only the rows still running.
    ColumnPtr computeFold(const ExprNode& n) {
        const ExprNode& lambda = *n.args[0];
        ColumnsWithTypeAndName arrays;
        for (size_t i = 1; i + 1 < n.args.size(); ++i)
            arrays.push_back({recursiveRemoveLowCardinality(materialize(eval(n.args[i]))), n.args[i]->type, n.args[i]->name});
        const ExprNode& acc_node = *n.args.back();
        DataTypePtr acc_type = recursiveRemoveLowCardinality(acc_node.type);
        ColumnPtr acc0 = eval(n.args.back());
        ColumnPtr acc = recursiveRemoveLowCardinality(materialize(acc0));
        auto& first = static_cast<const ColumnArray&>(*arrays[0].column);
        checkEqualOffsets(n, arrays, first);
        // The lambda body's inputs: the block's columns it reads (others stand in as constants),
        // then the accumulator and one element per array.
        std::vector<bool> used(block.columns(), false);
        auto mark = [&](auto& self, const ExprNode& x) -> void {
            if (x.kind == ExprNode::Kind::Input && x.input < used.size()) used[x.input] = true;
            for (auto& a : x.args) self(self, *a);
        };
        mark(mark, *lambda.args[0]);
        std::vector<ColumnPtr> outer(block.columns());
        for (size_t c = 0; c < block.columns(); ++c) outer[c] = used[c] ? materialize(block.at(c).column) : nullptr;

        std::vector<uint32_t> ids(rows);              // rows still folding, in row order
        for (size_t i = 0; i < rows; ++i) ids[i] = uint32_t(i);
        auto result = acc->cloneEmpty();             // final accumulators in the order rows finish
        std::vector<uint32_t> finish_order;
        finish_order.reserve(rows);
        size_t max_size = 0;
        for (size_t i = 0; i < rows; ++i) max_size = std::max<size_t>(max_size, first.sizeAt(i));
        Filter keep;
        for (size_t k = 0; k < max_size && !ids.empty(); ++k) {
            keep.resize(ids.size());
            size_t kept = 0;
            for (size_t j = 0; j < ids.size(); ++j) { keep[j] = first.sizeAt(ids[j]) > k; kept += keep[j]; }
            if (kept != ids.size()) {
                Filter done(ids.size());
                for (size_t j = 0; j < ids.size(); ++j) done[j] = !keep[j];
                ColumnPtr finished = acc->filter(done, ids.size() - kept);
                result->insertRangeFrom(*finished, 0, finished->size());
                size_t w = 0;
                for (size_t j = 0; j < ids.size(); ++j) {
                    if (keep[j]) ids[w++] = ids[j];
                    else finish_order.push_back(ids[j]);
                }
                ids.resize(w);
                acc = acc->filter(keep, kept);
                for (auto& c : outer) if (c) c = c->filter(keep, kept);
            }
            if (ids.empty()) break;
            Block inner;
            for (size_t c = 0; c < block.columns(); ++c) {
                const auto& col = block.at(c);
                if (outer[c]) { inner.insert({outer[c], col.type, col.name}); continue; }
                auto one = col.column->cloneEmpty();
                one->insertDefault();
                inner.insert({std::make_shared<ColumnConst>(std::move(one), ids.size()), col.type, col.name});
            }
            inner.insert({acc, acc_type, lambda.lambda_params[0]});
            Permutation perm(ids.size());
            for (size_t p = 0; p < arrays.size(); ++p) {
                auto& a = static_cast<const ColumnArray&>(*arrays[p].column);
                for (size_t j = 0; j < ids.size(); ++j) perm[j] = uint32_t(a.offsetAt(ids[j]) + k);
                inner.insert({a.getData().permute(perm, 0), recursiveRemoveLowCardinality(arrays[p].type->nested[0]), lambda.lambda_params[p + 1]});
            }
            Evaluator sub{inner, ids.size(), {}};
            acc = materialize(sub.eval(lambda.args[0]));
        }
        result->insertRangeFrom(*acc, 0, acc->size());
        for (uint32_t id : ids) finish_order.push_back(id);
        Permutation back(rows);
        for (size_t t = 0; t < finish_order.size(); ++t) back[finish_order[t]] = uint32_t(t);
        ColumnsWithTypeAndName args;
        args.push_back({result->permute(back, 0), acc_type, "__lambda"});
        for (auto& a : arrays) args.push_back(a);
        args.push_back({acc0, acc_node.type, acc_node.name});
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
