// storage_mergetree.cpp — the MergeTree engine (see storage_mergetree.h): engine clauses, INSERT
// into parts, pruned parallel reads, merge selection and k-way merging, startup recovery.
#include "storage/mergetree/storage_mergetree.h"

#include <cmath>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/analyzer.h"
#include "common/exception.h"
#include "common/memory_tracker.h"
#include "common/parallel_for.h"
#include "common/sip_hash.h"
#include "compression/codec.h"
#include "exec/block_ops.h"
#include "functions/cast.h"
#include "interpreter/context.h"
#include "storage/mergetree/serialization.h"
#include "storage/mergetree/skip_index.h"
#include "types/create_column.h"
#include "types/nested.h"

namespace fs = std::filesystem;

namespace basalt {

// ---------------------------------------------------------------- settings
void MergeTreeSettings::apply(const std::string& name, const Field& v) {
    auto num = [&]() -> uint64_t {
        if (v.is<uint64_t>()) return v.get<uint64_t>();
        if (v.is<int64_t>() && v.get<int64_t>() >= 0) return uint64_t(v.get<int64_t>());
        if (v.is<bool>()) return v.get<bool>();
        if (v.is<std::string>()) {
            try { return std::stoull(v.get<std::string>()); } catch (...) {}
        }
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Cannot parse value " + v.toSQL() + " of MergeTree setting " + name);
    };
    if (name == "index_granularity") {
        index_granularity = num();
        if (index_granularity == 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "index_granularity: value 0 makes no sense");
    } else if (name == "parts_to_throw_insert") parts_to_throw_insert = num();
    else if (name == "parts_to_delay_insert") parts_to_delay_insert = num();
    else if (name == "max_parts_to_merge_at_once") max_parts_to_merge_at_once = std::max<uint64_t>(2, num());
    else if (name == "min_compress_block_size") min_compress_block_size = num();
    else if (name == "max_compress_block_size") max_compress_block_size = std::max<uint64_t>(1, num());
    else if (name == "merge_max_block_size") merge_max_block_size = std::max<uint64_t>(1, num());
    else if (name == "merge_with_ttl_timeout") merge_with_ttl_timeout = num();
    else if (name == "allow_dimensions_outside_sorting_key") allow_dimensions_outside_sorting_key = num() != 0;
    else {
        // ClickHouse MergeTree settings that do not change behaviour here yet.
        static const char* accepted[] = {"index_granularity_bytes", "min_bytes_for_wide_part", "min_rows_for_wide_part",
                                         "enable_mixed_granularity_parts", "storage_policy", "allow_nullable_key",
                                         "ttl_only_drop_parts", "old_parts_lifetime",
                                         "min_bytes_for_full_part_storage", "compress_marks", "compress_primary_key",
                                         "replicated_deduplication_window", "non_replicated_deduplication_window",
                                         "max_bytes_to_merge_at_max_space_in_pool", "number_of_free_entries_in_pool_to_lower_max_size_of_merge",
                                         "deduplicate_merge_projection_mode", "lightweight_mutation_projection_mode",
                                         "add_minmax_index_for_numeric_columns", "add_minmax_index_for_string_columns",
                                         "auto_statistics_types", "min_age_to_force_merge_seconds", "merge_selector_algorithm"};
        for (const char* a : accepted)
            if (name == a) { other[name] = v.toSQL(); return; }
        throw Exception(ErrorCodes::UNKNOWN_SETTING, "Unknown setting '" + name + "' for storage MergeTree");
    }
}

// ---------------------------------------------------------------- key evaluation
namespace {

std::vector<ASTPtr> flattenTuple(const ASTPtr& a) {
    if (!a) return {};
    if (auto* f = a->as<ASTFunction>(); f && f->name == "tuple") return f->arguments;
    return {a};
}

std::string describeKey(const std::vector<ASTPtr>& k) {
    std::string s;
    for (size_t i = 0; i < k.size(); ++i) s += (i ? ", " : "") + k[i]->formatSQL(false);
    return s;
}

void collectColumnNames(const ASTPtr& a, std::set<std::string>& out) {
    if (!a) return;
    if (auto* id = a->as<ASTIdentifier>()) { out.insert(id->name()); return; }
    if (auto* f = a->as<ASTFunction>())
        for (auto& x : f->arguments) collectColumnNames(x, out);
}

Block subBlock(const Block& b, size_t start, size_t n) {
    Block r;
    for (auto& c : b.data()) r.insert({c.column->cut(start, n), c.type, c.name});
    if (b.columns() == 0) r.setRowsWithoutColumns(n);
    return r;
}

// One partition value the way ClickHouse's FieldVisitorHash feeds it to SipHash: the Field type
// tag (Null 0, UInt64 1, Int64 2, Float64 3, UInt128 4, Int128 5, String 16, UUID 27, Bool 28,
// IPv4 30, IPv6 31), then the value bytes (strings: 8-byte length, then bytes).
void appendFieldForHash(const DataType& type, const IColumn& col, std::string& out) {
    auto tagged = [&](uint8_t tag, const void* p, size_t n) {
        out.push_back(char(tag));
        out.append(static_cast<const char*>(p), n);
    };
    if (col.isNullAt(0)) { out.push_back(char(0)); return; }
    const DataType& t = type.id == TypeId::Nullable || type.id == TypeId::LowCardinality ? *type.nested[0] : type;
    const IColumn& c = type.id == TypeId::Nullable ? static_cast<const ColumnNullable&>(col).getNested() : col;
    Field f = c.get(0);
    switch (t.id) {
        case TypeId::String: case TypeId::FixedString: {
            const std::string& s = f.get<std::string>();
            uint64_t n = s.size();
            tagged(16, &n, 8);
            out.append(s);
            return;
        }
        case TypeId::Float32: case TypeId::Float64: { double d = f.is<double>() ? f.get<double>() : 0; tagged(3, &d, 8); return; }
        case TypeId::Bool: { uint8_t b = c.rawData()[0] != 0; tagged(28, &b, 1); return; }
        case TypeId::IPv4: tagged(30, c.rawData(), 4); return;
        case TypeId::IPv6: tagged(31, c.rawData(), 16); return;
        case TypeId::UUID: tagged(27, c.rawData(), 16); return;
        case TypeId::UInt128: tagged(4, c.rawData(), 16); return;
        case TypeId::Int128: tagged(5, c.rawData(), 16); return;
        default: break;
    }
    if (f.is<uint64_t>()) { uint64_t v = f.get<uint64_t>(); tagged(1, &v, 8); return; }
    if (f.is<int64_t>()) { int64_t v = f.get<int64_t>(); tagged(2, &v, 8); return; }
    if (f.is<bool>()) { uint64_t v = f.get<bool>(); tagged(1, &v, 8); return; }
    // Decimals, arrays, tuples: basalt's own (stable) encoding; IDs differ from ClickHouse's here.
    out.push_back(char(0xff));
    std::string v;
    col.serializeValue(0, v);
    out.append(v);
}

}  // namespace

// The table's key expressions, analyzed over its physical columns for one query context.
struct StorageMergeTree::KeyEvaluator {
    std::vector<ExprNodePtr> sorting, partition;
    std::vector<ExprNodePtr> skip;   // expressions of every skip index, index by index
    // Row TTL: `expired` is 1 for rows the TTL deletes now; `ttl_seconds` the TTL moment of rows
    // the TTL applies to (its WHERE holds), as unix seconds — both null without a table TTL.
    ExprNodePtr expired, ttl_seconds, ttl_applies;
    // Column TTL: values of `position` whose `expired` is 1 become the column's DEFAULT (or the
    // type's default when it has none) when a merge rewrites them.
    struct ColumnTTL {
        size_t position;
        ExprNodePtr expired, default_value;
        ExprNodePtr seconds;   // the TTL moment of each value, unix seconds
    };
    std::vector<ColumnTTL> column_ttl;
    std::vector<NameAndType> columns;

    Block input(const Block& block) const {
        Block in;
        for (auto& c : columns) {
            const auto* src = block.findByName(c.name);
            if (!src) throw Exception(ErrorCodes::LOGICAL_ERROR, "Column " + c.name + " missing in MergeTree block");
            in.insert({src->column, c.type, c.name});
        }
        return in;
    }
    static Block eval(const std::vector<ExprNodePtr>& nodes, const Block& in) {
        Block out;
        auto cols = evaluateAll(nodes, in);
        for (size_t i = 0; i < nodes.size(); ++i) out.insert({cols[i]->convertToFullColumn(cols[i]), nodes[i]->type, nodes[i]->name});
        return out;
    }
};

std::unique_ptr<StorageMergeTree::KeyEvaluator> StorageMergeTree::makeEvaluator(QueryContext& ctx) const {
    auto ev = std::make_unique<KeyEvaluator>();
    ev->columns = schema_.columns;
    Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block {
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subqueries are not allowed in key expressions");
    });
    Scope scope;
    for (auto& c : schema_.columns) scope.columns.push_back({c.name, c.type});
    for (auto& k : sorting_key_) ev->sorting.push_back(analyzer.analyze(k, scope));
    for (auto& k : partition_key_) ev->partition.push_back(analyzer.analyze(k, scope));
    for (auto& d : schema_.skip_indexes)
        for (auto& e : d->exprs) ev->skip.push_back(analyzer.analyze(e, scope));
    if (create_query && create_query->ttl) {
        auto fn = [](const std::string& name, ASTs args) {
            auto f = std::make_shared<ASTFunction>();
            f->name = name;
            f->arguments = std::move(args);
            return f;
        };
        ASTPtr seconds = fn("toUnixTimestamp", {fn("toDateTime", {create_query->ttl->clone()})});
        ASTPtr applies = create_query->ttl_where ? create_query->ttl_where->clone() : std::make_shared<ASTLiteral>(Field(uint64_t(1)));
        ASTPtr expired = fn("and", {fn("lessOrEquals", {seconds->clone(), fn("toUnixTimestamp", {fn("now", {})})}), applies->clone()});
        ev->ttl_seconds = analyzer.analyze(seconds, scope);
        ev->ttl_applies = analyzer.analyze(applies, scope);
        ev->expired = analyzer.analyze(expired, scope);
    }
    if (create_query) {
        auto fn = [](const std::string& name, ASTs args) {
            auto f = std::make_shared<ASTFunction>();
            f->name = name;
            f->arguments = std::move(args);
            return f;
        };
        for (auto& decl : create_query->columns) {
            if (!decl->ttl) continue;
            size_t pos = SIZE_MAX;
            for (size_t i = 0; i < schema_.columns.size(); ++i) if (schema_.columns[i].name == decl->name) pos = i;
            if (pos == SIZE_MAX) continue;
            KeyEvaluator::ColumnTTL ct;
            ct.position = pos;
            ASTPtr seconds = fn("toUnixTimestamp", {fn("toDateTime", {decl->ttl->clone()})});
            ASTPtr expired = fn("lessOrEquals", {seconds->clone(), fn("toUnixTimestamp", {fn("now", {})})});
            ct.expired = analyzer.analyze(expired, scope);
            ct.seconds = analyzer.analyze(seconds, scope);
            if (decl->default_expr && (decl->default_kind.empty() || decl->default_kind == "DEFAULT" || decl->default_kind == "MATERIALIZED")) {
                ASTPtr typed = fn("_CAST", {decl->default_expr->clone(), std::make_shared<ASTLiteral>(Field(schema_.columns[pos].type->name()))});
                ct.default_value = analyzer.analyze(typed, scope);
            }
            ev->column_ttl.push_back(std::move(ct));
        }
    }
    return ev;
}

// TTL expressions must give a date or time (BAD_TTL_EXPRESSION) and key columns cannot expire
// (ILLEGAL_COLUMN), as ClickHouse checks them.
void StorageMergeTree::validateTTL(QueryContext& ctx) const {
    if (!create_query) return;
    Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subqueries are not allowed in TTL"); });
    Scope scope;
    for (auto& c : schema_.columns) scope.columns.push_back({c.name, c.type});
    auto checkType = [&](const ASTPtr& ttl) {
        auto n = analyzer.analyze(ttl, scope);
        TypeId id = removeNullable(n->type)->id;
        if (id != TypeId::Date && id != TypeId::Date32 && id != TypeId::DateTime && id != TypeId::DateTime64)
            throw Exception(ErrorCodes::BAD_TTL_EXPRESSION,
                            "TTL expression result column should have Date, Date32, DateTime or DateTime64 type, but has " + n->type->name());
    };
    if (create_query->ttl) checkType(create_query->ttl);
    std::set<std::string> key_columns;
    for (auto& k : sorting_key_) collectColumnNames(k, key_columns);
    for (auto& k : primary_key_) collectColumnNames(k, key_columns);
    for (auto& k : partition_key_) collectColumnNames(k, key_columns);
    for (auto& decl : create_query->columns) {
        if (!decl->ttl) continue;
        if (key_columns.count(decl->name)) throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Trying to set TTL for key column " + decl->name);
        checkType(decl->ttl);
    }
}

namespace {

// Min/max TTL moment over the rows the TTL applies to; false if none.
// Calls f(row, moment) for every row whose TTL moment (unix seconds, `seconds` evaluated over
// `block`) is not NULL. toUnixTimestamp gives UInt32: read directly; other types per value.
template <typename F>
void forEachTTLMoment(const ExprNodePtr& seconds, const Block& block, F&& f) {
    ColumnPtr v = evaluate(seconds, block);
    v = v->convertToFullColumn(v);
    if (const auto* u32 = dynamic_cast<const ColumnUInt32*>(v.get())) {
        const auto& d = u32->getData();
        for (size_t i = 0; i < block.rows(); ++i) f(i, int64_t(d[i]));
        return;
    }
    for (size_t i = 0; i < block.rows(); ++i) {
        if (v->isNullAt(i)) continue;
        Field x = v->get(i);
        f(i, x.is<uint64_t>() ? int64_t(x.get<uint64_t>()) : x.is<int64_t>() ? x.get<int64_t>() : 0);
    }
}

// Min/max TTL moment over the rows the TTL applies to; false if none.
bool ttlRange(const ExprNodePtr& seconds, const ExprNodePtr& applies, const Block& block, int64_t& mn, int64_t& mx) {
    if (!seconds || !block.rows()) return false;
    Filter f;
    size_t kept = 0;
    predicateToFilter(evaluate(applies, block), block.rows(), f, kept);
    bool any = false;
    forEachTTLMoment(seconds, block, [&](size_t i, int64_t t) {
        if (!f[i]) return;
        if (!any || t < mn) mn = t;
        if (!any || t > mx) mx = t;
        any = true;
    });
    return any;
}

// What a part's ttl.txt records, accumulated block by block as the part is written.
struct PartTTL {
    bool has_rows = false, has_columns = false;
    int64_t row_min = 0, row_max = 0, column_min = 0;

    // Row TTL range of `input` (the evaluator's columns) and the earliest column-TTL moment after
    // `columns_after` (values at or before it were already reset by this write).
    template <typename Evaluator>
    void add(const Evaluator& ev, const Block& input, int64_t columns_after) {
        int64_t mn = 0, mx = 0;
        if (ttlRange(ev.ttl_seconds, ev.ttl_applies, input, mn, mx)) {
            row_min = has_rows ? std::min(row_min, mn) : mn;
            row_max = has_rows ? std::max(row_max, mx) : mx;
            has_rows = true;
        }
        for (auto& ct : ev.column_ttl)
            forEachTTLMoment(ct.seconds, input, [&](size_t, int64_t t) {
                if (t <= columns_after) return;
                column_min = has_columns ? std::min(column_min, t) : t;
                has_columns = true;
            });
    }
    void apply(PartWriter& w) const {
        if (has_rows) w.setTTL(row_min, row_max);
        if (has_columns) w.setColumnTTL(column_min);
    }
};

}  // namespace

Block StorageMergeTree::primaryKeyColumns(const KeyEvaluator& ev, const Block& block) const {
    Block keys = KeyEvaluator::eval(ev.sorting, ev.input(block));
    Block pk;
    for (size_t i = 0; i < schema_.key_columns.size(); ++i) pk.insert({keys.at(i).column, schema_.key_columns[i].type, schema_.key_columns[i].name});
    appendSkipIndexColumns(ev, ev.input(block), pk);
    return pk;
}

void StorageMergeTree::appendSkipIndexColumns(const KeyEvaluator& ev, const Block& input, Block& keys) const {
    if (ev.skip.empty()) return;
    Block skip = KeyEvaluator::eval(ev.skip, input);
    for (auto& c : skip.data()) keys.insert({c.column, c.type, "__skip_" + std::to_string(keys.columns())});
}

Block StorageMergeTree::primaryKeyColumns(const Block& block, QueryContext& ctx) const { return primaryKeyColumns(*makeEvaluator(ctx), block); }

// ---------------------------------------------------------------- construction
StorageMergeTree::StorageMergeTree(TableMetadata md, std::shared_ptr<ASTCreateQuery> q, std::string data_dir, QueryContext& ctx)
    : dir_(std::move(data_dir)) {
    metadata_ = std::move(md);
    create_query = q;
    parts_ = std::make_shared<std::vector<DataPartPtr>>();
    if (q->engine && q->engine->name == "MergeTree" && !q->engine->arguments.empty())
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH,
                        "Engine MergeTree expects no parameters (the deprecated MergeTree(date, key, granularity) syntax is not supported)");
    if (q->engine) {
        std::vector<NameAndType> cols;
        for (auto& c : metadata_.columns) cols.push_back({c.name, c.type});
        const ASTFunction* engine = q->engine.get();
        ASTFunction unreplicated;
        if (engine->name.rfind("Replicated", 0) == 0) {
            // Replicated<Family>MergeTree(['zookeeper_path', 'replica_name',] family arguments...):
            // the first two arguments are there when the first is a string literal (ClickHouse).
            replicated_engine_ = true;
            unreplicated = *engine;
            unreplicated.name = engine->name.substr(10);
            auto literal = [](const ASTPtr& a) -> const std::string* {
                auto* lit = a ? a->as<ASTLiteral>() : nullptr;
                return lit && lit->value.is<std::string>() ? &lit->value.get<std::string>() : nullptr;
            };
            if (!engine->arguments.empty() && literal(engine->arguments[0])) {
                if (engine->arguments.size() < 2 || !literal(engine->arguments[1]))
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Expected two string literal arguments: zookeeper_path and replica_name");
                replicated_path_arg_ = *literal(engine->arguments[0]);
                replica_name_arg_ = *literal(engine->arguments[1]);
                unreplicated.arguments.erase(unreplicated.arguments.begin(), unreplicated.arguments.begin() + 2);
            }
            engine = &unreplicated;
        }
        merging_params_ = MergingParams::fromEngine(*engine, cols);
    }
    for (auto& [n, v] : q->engine_settings) settings_.apply(n, v);
    bool has_granularity = false;
    for (auto& [n, v] : q->engine_settings) has_granularity = has_granularity || n == "index_granularity";
    if (!has_granularity) q->engine_settings.push_back({"index_granularity", Field(uint64_t(8192))});

    rebuildSchema(ctx);
    // Without ORDER BY / PRIMARY KEY the table is unsorted (ClickHouse's
    // create_table_empty_primary_key_by_default, on in current releases).
    sorting_key_ = flattenTuple(q->order_by ? q->order_by : q->primary_key);
    primary_key_ = q->primary_key ? flattenTuple(q->primary_key) : sorting_key_;
    // VersionedCollapsingMergeTree sorts by the version last (ClickHouse adds it to the sorting key).
    if (merging_params_.mode == MergingParams::Mode::VersionedCollapsing &&
        std::none_of(sorting_key_.begin(), sorting_key_.end(), [&](auto& k) { return k->getColumnName() == merging_params_.version_column; }))
        sorting_key_.push_back(std::make_shared<ASTIdentifier>(std::vector<std::string>{merging_params_.version_column}));
    if (primary_key_.size() > sorting_key_.size())
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Primary key must be a prefix of the sorting key, but its length: " + std::to_string(primary_key_.size()) +
                        " is greater than the sorting key length: " + std::to_string(sorting_key_.size()));
    for (size_t i = 0; i < primary_key_.size(); ++i)
        if (primary_key_[i]->getColumnName() != sorting_key_[i]->getColumnName())
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Primary key must be a prefix of the sorting key, but the column in the position " + std::to_string(i) +
                            " is " + sorting_key_[i]->getColumnName() + ", not " + primary_key_[i]->getColumnName());
    partition_key_ = flattenTuple(q->partition_by);
    if (merging_params_.mode == MergingParams::Mode::Summing && !merging_params_.columns_to_sum.empty()) {
        std::vector<std::string> sources = sortingKeySources();
        std::string both;
        for (auto& n : merging_params_.columns_to_sum)
            if (std::find(sources.begin(), sources.end(), n) != sources.end()) both += (both.empty() ? "" : ", ") + n;
        if (!both.empty())
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Columns: " + both + " listed both in columns to sum and in sorting key. That is not allowed.");
    }
    if (merging_params_.mode == MergingParams::Mode::Aggregating && !settings_.allow_dimensions_outside_sorting_key) {
        // As ClickHouse 25+: a plain column outside the sorting key would keep an arbitrary row's value.
        std::vector<std::string> sources = sortingKeySources(), loose;
        for (auto& c : metadata_.columns)
            if (c.default_kind != "ALIAS" && c.default_kind != "EPHEMERAL" && c.type->id != TypeId::AggregateFunction && !c.type->isSimpleAggregate() &&
                std::find(sources.begin(), sources.end(), c.name) == sources.end())
                loose.push_back(c.name);
        if (!loose.empty()) {
            std::string list;
            for (auto& n : loose) list += (list.empty() ? "" : ", ") + n;
            throw Exception(ErrorCodes::BAD_ARGUMENTS,
                            "Column(s) " + list + " of the AggregatingMergeTree table are neither part of the sorting key nor aggregate measures "
                            "(AggregateFunction or SimpleAggregateFunction). During background merges, rows with the same value of the sorting key "
                            "are collapsed into one, so these columns keep an arbitrary value, which silently produces wrong results for queries "
                            "that GROUP BY or filter on them. Add them to the sorting key (ORDER BY), or set 'allow_dimensions_outside_sorting_key = 1' "
                            "if this is intentional (for example, when the columns are functionally dependent on the sorting key).");
        }
    }

    auto ev = makeEvaluator(ctx);   // validates every key expression (UNKNOWN_IDENTIFIER, ...)
    validateTTL(ctx);
    for (size_t i = 0; i < primary_key_.size(); ++i) {
        auto& n = ev->sorting[i];
        if (n->type->isNullable() || n->type->id == TypeId::Array || n->type->id == TypeId::Map)
            throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Sorting key contains nullable columns, but merge tree setting `allow_nullable_key` is disabled");
    }
    for (size_t i = 0; i < primary_key_.size(); ++i) schema_.key_columns.push_back({ev->sorting[i]->name, ev->sorting[i]->type});
    for (auto& n : ev->partition) schema_.partition_columns.push_back({n->name, n->type});
    std::set<std::string> minmax;
    for (auto& k : partition_key_) collectColumnNames(k, minmax);
    for (auto& c : schema_.columns)
        if (minmax.count(c.name)) { schema_.minmax_columns.push_back(c); minmax_columns_.push_back(c.name); }

    schema_.index_granularity = settings_.index_granularity;
    schema_.min_compress_block_size = settings_.min_compress_block_size;
    schema_.max_compress_block_size = settings_.max_compress_block_size;
}

StorageMergeTree::~StorageMergeTree() = default;

std::string StorageMergeTree::engineName() const {
    return create_query && create_query->engine ? create_query->engine->name : "MergeTree";
}

std::vector<std::string> StorageMergeTree::sortingKeySources() const {
    std::set<std::string> names;
    for (auto& k : sorting_key_) collectColumnNames(k, names);
    return {names.begin(), names.end()};
}

// Physical columns, per-column codecs and constant fills from metadata_ (construction and ALTER).
void StorageMergeTree::rebuildSchema(QueryContext& ctx) {
    schema_.columns.clear();
    schema_.codec_specs.clear();
    for (auto& c : metadata_.columns)
        if (c.default_kind.empty() || c.default_kind == "DEFAULT" || c.default_kind == "MATERIALIZED") schema_.columns.push_back({c.name, c.type});
    schema_.default_codec = defaultCodec();
    for (auto& c : schema_.columns) {
        ColumnDescription* d = nullptr;
        for (auto& cd : metadata_.columns) if (cd.name == c.name) d = &cd;
        std::string spec = d ? d->codec : "";
        if (!spec.empty()) {
            // Validates (UNKNOWN_CODEC, ...) and stores what ClickHouse prints: CODEC(Delta(4), LZ4).
            spec = normalizeCodecSpec(spec, c.type.get());
            if (spec.rfind("CODEC(", 0) == 0 && spec.back() == ')') spec = spec.substr(6, spec.size() - 7);
            d->codec = spec;
            if (create_query)
                for (auto& decl : create_query->columns) if (decl->name == c.name) decl->codec = spec;
        }
        schema_.codec_specs.push_back(spec);
    }
    // Data-skipping indexes: expressions analyzed over the physical columns (UNKNOWN_IDENTIFIER),
    // types and parameters validated as ClickHouse does.
    {
        std::vector<SkipIndexPtr> indexes;
        std::set<std::string> names;
        Analyzer idx_analyzer(ctx, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subqueries are not allowed in index expressions"); });
        Scope scope;
        for (auto& c : schema_.columns) scope.columns.push_back({c.name, c.type});
        for (auto& decl : create_query ? create_query->indices : std::vector<std::shared_ptr<ASTIndexDeclaration>>{}) {
            if (!names.insert(decl->name).second)
                throw Exception(ErrorCodes::ILLEGAL_INDEX, "Duplicated index name " + decl->name + " is not allowed. Please use a different index name.");
            std::vector<NameAndType> evaluated;
            for (auto& e : flattenTuple(decl->expr)) {
                auto n = idx_analyzer.analyze(e, scope);
                evaluated.push_back({n->name, n->type});
            }
            indexes.push_back(makeSkipIndex(*decl, evaluated));
        }
        schema_.skip_indexes = std::move(indexes);
    }
    // Columns added by ALTER are absent from older parts: readers fill them with their DEFAULT when
    // it is a constant (other defaults are materialized by the ALTER itself).
    fill_.clear();
    Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subquery in DEFAULT"); });
    for (auto& c : metadata_.columns) {
        if (!c.default_expr || (c.default_kind != "DEFAULT" && c.default_kind != "MATERIALIZED")) continue;
        try {
            Scope scope;
            auto n = analyzer.analyze(c.default_expr, scope);
            if (n->isConstant()) {
                ColumnPtr v = castColumn(n->constant, n->type, c.type, ctx.functionContext());
                fill_[c.name] = v->convertToFullColumn(v);
            }
        } catch (const Exception&) {
            // Not a constant: needs the row's other columns.
        }
    }
}

std::string StorageMergeTree::sortingKeyDescription() const { return describeKey(sorting_key_); }
std::string StorageMergeTree::primaryKeyDescription() const { return describeKey(primary_key_); }
std::string StorageMergeTree::partitionKeyDescription() const { return describeKey(partition_key_); }

// ---------------------------------------------------------------- startup / recovery
void StorageMergeTree::startup() {
    fs::create_directories(dir_);
    // Unacknowledged multi-part inserts: an intent file lists parts to roll back.
    for (auto& e : fs::directory_iterator(dir_)) {
        std::string name = e.path().filename().string();
        if (name.rfind("insert_intent_", 0) == 0) {
            std::string list = readWholeFile(e.path().string());
            size_t p = 0;
            while (p < list.size()) {
                size_t nl = list.find('\n', p);
                std::string part = list.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
                if (!part.empty() && part.find('/') == std::string::npos && part != "." && part != "..") {
                    std::error_code ec;
                    fs::remove_all(fs::path(dir_) / part, ec);
                }
                if (nl == std::string::npos) break;
                p = nl + 1;
            }
            fs::remove(e.path());
        }
    }
    std::vector<MutableDataPartPtr> loaded;
    struct Broken { std::string name; MergeTreePartInfo info; std::string error; };
    std::vector<Broken> broken;
    for (auto& e : fs::directory_iterator(dir_)) {
        std::string name = e.path().filename().string();
        if (!e.is_directory()) continue;
        if (name.rfind("tmp_", 0) == 0 || name.rfind("delete_tmp_", 0) == 0) {   // interrupted insert, merge or removal
            std::error_code ec;
            fs::remove_all(e.path(), ec);
            continue;
        }
        if (name == "detached") continue;
        auto info = MergeTreePartInfo::parse(name);
        if (!info) continue;
        try {
            loaded.push_back(MergeTreeDataPart::load(dir_ + name + "/", *info, schema_));
        } catch (const Exception& ex) {
            broken.push_back({name, *info, ex.displayText()});
        }
    }
    std::sort(loaded.begin(), loaded.end(), [](auto& a, auto& b) { return a->info < b->info; });
    auto coveredByLoaded = [&](const MergeTreePartInfo& info) {
        for (auto& o : loaded)
            if (o->info.contains(info)) return true;
        return false;
    };
    for (auto& b : broken) {
        std::error_code ec;
        if (coveredByLoaded(b.info)) {   // a superseded part whose removal was interrupted
            fs::remove_all(fs::path(dir_) / b.name, ec);
            continue;
        }
        // Never serve a damaged part: set it aside for inspection.
        fs::create_directories(fs::path(dir_) / "detached");
        fs::rename(fs::path(dir_) / b.name, fs::path(dir_) / "detached" / ("broken_" + b.name), ec);
        std::cerr << "MergeTree " << dir_ << ": part " << b.name << " is broken and was moved to detached/broken_" << b.name << ": " << b.error << "\n";
        broken_.push_back(b.name);
    }
    // Parts covered by a merged part are leftovers of a merge that finished before a restart.
    std::vector<DataPartPtr> active;
    int64_t max_block = 0;
    for (auto& b : broken) max_block = std::max(max_block, b.info.max_block);
    for (auto& p : loaded) {
        max_block = std::max({max_block, p->info.max_block, p->info.mutation});
        if (coveredByLoaded(p->info)) { p->remove_on_destroy = true; continue; }
        active.push_back(p);
    }
    next_block_ = max_block + 1;
    {
        std::lock_guard lock(mutex_);
        parts_ = std::make_shared<std::vector<DataPartPtr>>(std::move(active));
    }
    loadMutations();   // queued mutations resume; next_block_ stays above their versions
    BackgroundMergePool::instance().registerTable(weak_from_this());
    if (replication_) replication_->startup();
    scheduleMerges();
}

void StorageMergeTree::shutdown() {
    // No new merge or mutation starts; running ones stop at their next block (ABORTED) or finish.
    // Wait for them, so the caller may remove the table's files (a temporary catalog's root).
    if (replication_) replication_->shutdown();
    shutdown_ = true;
    for (int i = 0; i < 2000; ++i) {
        {
            std::lock_guard lock(mutex_);
            if (merging_.empty() && merge_steps_ == 0) return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

namespace {
std::atomic<bool> g_all_merges_stopped{false};
}

void StorageMergeTree::setAllMergesStopped(bool stopped) { g_all_merges_stopped = stopped; }

void StorageMergeTree::setMergesStopped(bool stopped) {
    merges_stopped_ = stopped;
    if (!stopped) scheduleMerges();
    if (!stopped && replication_) replication_->wake();
}

bool StorageMergeTree::mergesStopped() const { return merges_stopped_ || g_all_merges_stopped; }

std::vector<std::string> StorageMergeTree::brokenParts() const {
    std::lock_guard lock(mutex_);
    return broken_;
}

// ---------------------------------------------------------------- INSERT
std::string StorageMergeTree::partitionId(const Block& row) const {
    if (row.columns() == 0) return "all";
    bool integral = true;
    for (auto& c : row.data()) {
        TypeId id = c.type->id;
        bool ok = (id >= TypeId::UInt8 && id <= TypeId::UInt64) || (id >= TypeId::Int8 && id <= TypeId::Int64) || id == TypeId::Date ||
                  id == TypeId::Date32 || id == TypeId::DateTime || id == TypeId::Enum8 || id == TypeId::Enum16;
        integral = integral && ok;
    }
    if (integral) {
        std::string id;
        for (size_t i = 0; i < row.columns(); ++i) {
            if (i) id += "-";
            const auto& c = row.at(i);
            Field f = c.column->get(0);
            if (c.type->id == TypeId::Date || c.type->id == TypeId::Date32) {
                int64_t days = f.is<uint64_t>() ? int64_t(f.get<uint64_t>()) : f.get<int64_t>();
                // Civil date from days since 1970-01-01 (proleptic Gregorian).
                int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
                int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
                int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
                int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
                id += std::to_string((y + (m <= 2)) * 10000 + m * 100 + d);
            } else if (f.is<uint64_t>()) {
                id += std::to_string(f.get<uint64_t>());
            } else if (f.is<int64_t>()) {
                id += std::to_string(f.get<int64_t>());
            } else {
                id += f.toSQL();
            }
        }
        return id;
    }
    std::string fields;
    for (auto& c : row.data()) appendFieldForHash(*c.type, *c.column, fields);
    return partitionHashId(fields);
}

std::string StorageMergeTree::partitionIdFromAST(const ASTPtr& partition, QueryContext& ctx) const {
    // `PARTITION tuple()` / `PARTITION ALL`-less tables: the single partition "all".
    std::vector<ASTPtr> values = flattenTuple(partition);
    if (auto* lit = partition->as<ASTLiteral>(); lit && lit->value.is<FieldTuple>()) {
        values.clear();
        for (auto& f : lit->value.get<FieldTuple>().items) values.push_back(std::make_shared<ASTLiteral>(f));
    }
    if (values.size() != schema_.partition_columns.size())
        throw Exception(ErrorCodes::INVALID_PARTITION_VALUE, "Wrong number of fields in the partition expression: " + std::to_string(values.size()) +
                        ", must be: " + std::to_string(schema_.partition_columns.size()));
    if (values.empty()) return "all";
    Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subquery in PARTITION"); });
    Block row;
    for (size_t i = 0; i < values.size(); ++i) {
        Scope scope;
        auto node = analyzer.analyze(values[i], scope);
        if (!node->isConstant())
            throw Exception(ErrorCodes::INVALID_PARTITION_VALUE, "Partition expression " + values[i]->formatSQL(false) + " is not a constant");
        auto& pc = schema_.partition_columns[i];
        ColumnPtr c = castColumn(node->constant, node->type, pc.type, ctx.functionContext());
        row.insert({c->convertToFullColumn(c), pc.type, pc.name});
    }
    return partitionId(row);
}

void StorageMergeTree::checkPartsToThrow(const std::vector<MutableDataPartPtr>&) const {
    auto snap = parts();
    std::map<std::string, size_t> per_partition;
    size_t max_count = 0;
    for (auto& p : *snap) max_count = std::max(max_count, ++per_partition[p->info.partition_id]);
    if (settings_.parts_to_throw_insert && max_count >= settings_.parts_to_throw_insert) {
        std::string table = create_query ? create_query->database + "." + create_query->table : dir_;
        throw Exception(ErrorCodes::TOO_MANY_PARTS, "Too many parts (" + std::to_string(max_count) + " with average size of " +
                        "unknown" + ") in table '" + table + "'. Merges are processing significantly slower than inserts");
    }
}

// The parts of a prepared INSERT, in tmp_insert_* directories until commit() publishes them. The
// structure lock stays held shared in between, so no ALTER changes the columns under them.
class StorageMergeTree::PreparedParts final : public IStorage::PreparedWrite {
public:
    PreparedParts(StorageMergeTree& t, std::shared_lock<std::shared_mutex> lock, std::vector<MutableDataPartPtr> parts)
        : t_(t), lock_(std::move(lock)), parts_(std::move(parts)) {}
    ~PreparedParts() override {
        if (committed_) return;
        std::error_code ec;
        for (auto& p : parts_) {
            fs::remove_all(fs::path(p->path).parent_path(), ec);
            if (t_.replication_) t_.replication_->releaseBlockNumber(p->info.partition_id, p->info.min_block);
        }
    }
    void prepareCommit() override { intent_ = t_.writeInsertIntent(parts_); }
    void commit() override {
        committed_ = true;
        if (t_.replication_) t_.publishReplicatedParts(parts_, deduplicate_, token_);
        else t_.publishParts(parts_, replace_, intent_);
    }
    void finishCommit() noexcept override {
        if (!intent_.empty()) t_.removeInsertIntent(intent_);
    }
    bool replace_ = false;   // commit makes these parts the whole table
    bool deduplicate_ = true;   // replicated: insert_deduplicate
    std::string token_;         // replicated: insert_deduplication_token

private:
    StorageMergeTree& t_;
    std::shared_lock<std::shared_mutex> lock_;
    std::vector<MutableDataPartPtr> parts_;
    std::string intent_;   // set by prepareCommit (a multi-table INSERT); removed by finishCommit
    bool committed_ = false;
};

void StorageMergeTree::write(std::vector<Block> blocks, QueryContext& ctx) { prepareWrite(std::move(blocks), ctx)->commit(); }

std::unique_ptr<IStorage::PreparedWrite> StorageMergeTree::prepareReplace(std::vector<Block> blocks, QueryContext& ctx) {
    requireNotReplicated("Replacing the whole table");
    auto p = prepareWrite(std::move(blocks), ctx);
    static_cast<PreparedParts&>(*p).replace_ = true;
    return p;
}

std::unique_ptr<IStorage::PreparedWrite> StorageMergeTree::prepareWrite(std::vector<Block> blocks, QueryContext& ctx) {
    if (replication_) replication_->checkWritable();
    std::shared_lock structure(structure_mutex_);
    checkPartsToThrow({});
    auto ev = makeEvaluator(ctx);
    size_t max_rows = std::max<uint64_t>(1, ctx.settings.max_insert_block_size);
    std::vector<MutableDataPartPtr> written;
    std::vector<std::string> cleanup;
    std::vector<std::pair<std::string, int64_t>> allocated;   // replicated: block number locks
    try {
        // Squash the INSERT's blocks into chunks of at most max_insert_block_size rows.
        std::vector<Block> chunks;
        {
            std::vector<Block> pending;
            size_t pending_rows = 0;
            auto flush = [&] {
                if (!pending_rows) return;
                chunks.push_back(pending.size() == 1 ? pending[0] : concatBlocks(pending, pending[0].cloneEmpty()));
                pending.clear();
                pending_rows = 0;
            };
            for (auto& b0 : blocks) {
                if (!b0.rows()) continue;
                Block b = ev->input(b0);
                validateNestedArraySizes(b);
                for (size_t off = 0; off < b.rows();) {
                    size_t take = std::min(b.rows() - off, max_rows - pending_rows);
                    pending.push_back(off == 0 && take == b.rows() ? b : subBlock(b, off, take));
                    pending_rows += take;
                    off += take;
                    if (pending_rows >= max_rows) flush();
                }
            }
            flush();
        }
        // 1. Per chunk (in parallel): split by partition and sort by the sorting key.
        struct Group {
            Block data, keys, partition_row;
            std::string partition_id;
            MergeTreePartInfo info;
        };
        std::vector<std::vector<Group>> chunk_groups(chunks.size());
        size_t threads = std::max<size_t>(1, ctx.settings.effectiveThreads());
        MemoryTracker* tracker = ctx.memory.get();
        parallelFor(chunks.size(), threads, [&](size_t ci) {
            MemoryTrackerScope mem(tracker);
            const Block& chunk = chunks[ci];
            size_t rows = chunk.rows();
            Block keys = KeyEvaluator::eval(ev->sorting, chunk);
            Block skip_cols;
            appendSkipIndexColumns(*ev, chunk, skip_cols);
            Block parts = KeyEvaluator::eval(ev->partition, chunk);
            // Partition index of every row, in order of first appearance.
            auto group = ColumnUInt32::create(rows);
            std::vector<size_t> first_row;
            if (parts.columns()) {
                std::unordered_map<std::string, uint32_t> ids;
                std::string key;
                for (size_t r = 0; r < rows; ++r) {
                    key.clear();
                    for (auto& c : parts.data()) c.column->serializeValue(r, key);
                    auto [it, inserted] = ids.try_emplace(key, uint32_t(ids.size()));
                    if (inserted) first_row.push_back(r);
                    group->getData()[r] = it->second;
                }
            } else {
                std::memset(group->getData().data(), 0, rows * sizeof(uint32_t));
                first_row.push_back(0);
            }
            // One sort by (partition, sorting key) orders every partition's rows at once.
            Block all = chunk;
            size_t key_pos = all.columns();
            for (auto& k : keys.data()) all.insert({k.column, k.type, "__key_" + std::to_string(all.columns())});
            size_t skip_pos = all.columns();
            for (auto& k : skip_cols.data()) all.insert({k.column, k.type, "__skip_" + std::to_string(all.columns())});
            size_t group_pos = all.columns();
            all.insert({group, makeType(TypeId::UInt32), "__partition"});
            std::vector<SortColumn> sort;
            if (first_row.size() > 1) sort.push_back({group_pos});
            for (size_t i = 0; i < keys.columns(); ++i) sort.push_back({key_pos + i});
            Block sorted = sort.empty() ? all : sortBlock(all, sort, 0);
            const auto& gcol = static_cast<const ColumnUInt32&>(*sorted.at(group_pos).column->convertToFullColumn(sorted.at(group_pos).column)).getData();
            for (size_t begin = 0; begin < rows;) {
                size_t end = begin;
                while (end < rows && gcol[end] == gcol[begin]) ++end;
                Group g;
                for (size_t i = 0; i < key_pos; ++i) g.data.insert({sorted.at(i).column->cut(begin, end - begin), sorted.at(i).type, sorted.at(i).name});
                for (size_t i = 0; i < primary_key_.size(); ++i) {
                    auto& k = sorted.at(key_pos + i);
                    g.keys.insert({k.column->cut(begin, end - begin), schema_.key_columns[i].type, schema_.key_columns[i].name});
                }
                for (size_t i = skip_pos; i < group_pos; ++i)
                    g.keys.insert({sorted.at(i).column->cut(begin, end - begin), sorted.at(i).type, sorted.at(i).name});
                if (!merging_params_.ordinary() && ctx.settings.optimize_on_insert) {
                    // The engine's merging mode applied to the block (ClickHouse's optimize_on_insert).
                    Block sort_keys;
                    for (size_t i = 0; i < keys.columns(); ++i)
                        sort_keys.insert({sorted.at(key_pos + i).column->cut(begin, end - begin), sorted.at(key_pos + i).type, sorted.at(key_pos + i).name});
                    std::vector<NameAndType> layout;
                    for (auto& c : g.data.data()) layout.push_back({c.name, c.type});
                    SortedGroupMerger merger(merging_params_, layout, sortingKeySources(), false);
                    g.data = merger.push(std::move(g.data), std::move(sort_keys), true);
                    g.keys = primaryKeyColumns(*ev, g.data);
                }
                size_t src_row = first_row[gcol[begin]];
                for (auto& c : parts.data()) g.partition_row.insert({c.column->cut(src_row, 1), c.type, c.name});
                g.partition_id = partitionId(g.partition_row);
                chunk_groups[ci].push_back(std::move(g));
                begin = end;
            }
        });
        // 2. Block numbers in insertion order (deterministic part names whatever the threads did).
        std::vector<Group*> groups;
        for (auto& cg : chunk_groups)
            for (auto& g : cg) {
                if (!g.data.rows()) continue;   // every row collapsed away (optimize_on_insert)
                g.info.partition_id = g.partition_id;
                if (replication_) {
                    g.info.min_block = g.info.max_block = replication_->allocateBlockNumber(g.partition_id);
                    allocated.push_back({g.partition_id, g.info.min_block});
                } else {
                    g.info.min_block = g.info.max_block = next_block_++;
                }
                cleanup.push_back(dir_ + "tmp_insert_" + g.info.name());
                groups.push_back(&g);
            }
        // 3. Write the parts (in parallel).
        written.resize(groups.size());
        parallelFor(groups.size(), threads, [&](size_t gi) {
            MemoryTrackerScope mem(tracker);
            Group& g = *groups[gi];
            PartWriter writer(dir_, "insert", g.info, schema_);
            writer.write(g.data, g.keys);
            PartTTL ttl;
            ttl.add(*ev, ev->input(g.data), INT64_MIN);
            ttl.apply(writer);
            written[gi] = writer.finish(g.partition_row);
            g = Group();   // free the sorted rows as soon as they are on disk
        });
    } catch (...) {
        std::error_code ec;
        for (auto& d : cleanup) fs::remove_all(d, ec);
        for (auto& [pid, n] : allocated) replication_->releaseBlockNumber(pid, n);
        throw;
    }
    auto prepared = std::make_unique<PreparedParts>(*this, std::move(structure), std::move(written));
    prepared->deduplicate_ = ctx.settings.insert_deduplicate;
    prepared->token_ = ctx.settings.insert_deduplication_token;
    return prepared;
}

std::string StorageMergeTree::writeInsertIntent(const std::vector<MutableDataPartPtr>& parts) {
    if (parts.empty()) return "";
    std::string list;
    for (auto& p : parts) list += p->name + "\n";
    std::string intent = dir_ + "insert_intent_" + std::to_string(parts.front()->info.min_block) + ".txt";
    // The file's contents are fsynced; its directory entry becomes durable with the fsync of this
    // same directory that follows the first part's rename (commitPart), so no part can be visible
    // after a crash without its intent. (Before that rename there is nothing to roll back.)
    writeSmallFileDurably(intent, list);
    return intent;
}

void StorageMergeTree::removeInsertIntent(const std::string& intent) noexcept {
    std::error_code ec;
    fs::remove(intent, ec);
    try {
        fsyncDirectory(dir_);
    } catch (...) {
        // The intent is gone from the directory listing; a lost removal only rolls back at startup
        // an INSERT that was not acknowledged yet.
    }
}

void StorageMergeTree::publishParts(const std::vector<MutableDataPartPtr>& written, bool replace, const std::string& outer_intent) {
    if (written.empty() && !replace) return;
    // Publish: every part of this INSERT becomes visible at once. With several parts an intent
    // file makes the set atomic across a crash (startup rolls back parts listed in it); a caller
    // publishing several tables together wrote one per table already (outer_intent) and removes
    // them once every table is published.
    std::lock_guard wlock(write_mutex_);
    std::string intent;
    if (outer_intent.empty() && written.size() > 1) intent = writeInsertIntent(written);
    try {
        for (auto& p : written) commitPart(*p, dir_);
    } catch (...) {
        std::error_code ec;
        for (auto& p : written) { fs::remove_all(fs::path(p->path).parent_path(), ec); }
        if (!intent.empty()) fs::remove(intent, ec);
        if (!outer_intent.empty()) fs::remove(outer_intent, ec);
        throw;
    }
    {
        std::lock_guard lock(mutex_);
        auto next = std::make_shared<std::vector<DataPartPtr>>(*parts_);
        if (replace) {
            // The new parts become the whole table (a refreshable view's target): old parts go.
            for (auto& p : *parts_) p->remove_on_destroy = true;
            next->clear();
        }
        for (auto& p : written) next->push_back(p);
        std::sort(next->begin(), next->end(), [](auto& a, auto& b) { return a->info < b->info; });
        parts_ = std::move(next);
    }
    if (!intent.empty()) removeInsertIntent(intent);
    scheduleMerges();
}

void StorageMergeTree::truncate() {
    if (replication_) {
        QueryContext ctx;
        replication_->truncate(ctx);   // a DROP_RANGE per partition through the log
        return;
    }
    truncateLocal();
}

void StorageMergeTree::truncateLocal() {
    std::lock_guard wlock(write_mutex_);
    std::lock_guard lock(mutex_);
    for (auto& p : *parts_) p->remove_on_destroy = true;
    parts_ = std::make_shared<std::vector<DataPartPtr>>();
}

void StorageMergeTree::drop() {
    if (replication_) {
        replication_->shutdown();
        replication_->drop();
    }
    shutdown_ = true;
    truncateLocal();
    std::error_code ec;
    fs::remove_all(fs::path(dir_) / "detached", ec);
    {
        std::lock_guard lock(mutex_);
        for (auto& [v, m] : mutations_) fs::remove(dir_ + mutationId(v), ec);
        mutations_.clear();
        mutation_cv_.notify_all();
    }
    // The directory itself goes when the last part is released (parts remove their own dirs).
    fs::remove(fs::path(dir_), ec);
}

std::optional<uint64_t> StorageMergeTree::totalRows() const {
    uint64_t n = 0;
    // The snapshot must outlive the loop (a temporary shared_ptr in the range expression would not).
    for (auto snap = parts(); auto& p : *snap) n += p->rows;
    return n;
}

std::optional<uint64_t> StorageMergeTree::totalBytes() const {
    uint64_t n = 0;
    // The snapshot must outlive the loop (a temporary shared_ptr in the range expression would not).
    for (auto snap = parts(); auto& p : *snap) n += p->bytes_on_disk;
    return n;
}

// ---------------------------------------------------------------- SELECT
std::vector<std::pair<DataPartPtr, std::vector<std::pair<size_t, size_t>>>> StorageMergeTree::selectRanges(
    const std::shared_ptr<const std::vector<DataPartPtr>>& snap, const ASTPtr& filter, QueryContext& ctx, MergeTreeReadStats* stats,
    bool allow_skip_indexes, std::vector<std::vector<bool>>* exact_out) const {
    std::vector<std::pair<std::string, DataTypePtr>> cols;
    for (auto& c : schema_.columns) cols.push_back({c.name, c.type});
    std::unique_ptr<KeyCondition> part_cond, pk_cond;
    if (filter) {
        std::vector<KeyDescription> pkeys;
        for (size_t i = 0; i < partition_key_.size(); ++i)
            pkeys.push_back({schema_.partition_columns[i].name, partition_key_[i], schema_.partition_columns[i].type});
        for (auto& m : schema_.minmax_columns)
            pkeys.push_back({m.name, std::make_shared<ASTIdentifier>(std::vector<std::string>{m.name}), m.type});
        if (!pkeys.empty()) part_cond = std::make_unique<KeyCondition>(filter, pkeys, cols, ctx);
        std::vector<KeyDescription> keys;
        for (size_t i = 0; i < primary_key_.size(); ++i) keys.push_back({schema_.key_columns[i].name, primary_key_[i], schema_.key_columns[i].type});
        if (!keys.empty()) pk_cond = std::make_unique<KeyCondition>(filter, keys, cols, ctx);
    }
    bool use_part = part_cond && part_cond->useful();
    bool use_pk = pk_cond && pk_cond->useful();
    std::vector<std::unique_ptr<SkipIndexCondition>> skip_conds;
    if (filter && ctx.settings.use_skip_indexes && allow_skip_indexes)
        for (auto& d : schema_.skip_indexes) {
            auto c = std::make_unique<SkipIndexCondition>(d, filter, cols, ctx);
            if (!c->useful()) continue;
            if (stats) stats->skip.push_back({d->name, d->typeName() + " GRANULARITY " + std::to_string(d->granularity)});
            skip_conds.push_back(std::move(c));
        }
    if (!ctx.settings.force_data_skipping_indices.empty()) {
        std::string list = ctx.settings.force_data_skipping_indices;
        for (size_t b = 0; b <= list.size();) {
            size_t e = list.find(',', b);
            if (e == std::string::npos) e = list.size();
            std::string name = list.substr(b, e - b);
            name.erase(0, name.find_first_not_of(" \t`"));
            name.erase(name.find_last_not_of(" \t`") + 1);
            b = e + 1;
            if (name.empty()) continue;
            bool used = false;
            for (auto& c : skip_conds) used = used || c->description().name == name;
            if (!used) throw Exception(ErrorCodes::INDEX_NOT_USED, "Index `" + name + "` is not used and setting 'force_data_skipping_indices' contains it");
        }
    }
    std::unique_ptr<SkipIndexDisjunction> disjunction;
    if (filter && ctx.settings.use_skip_indexes && allow_skip_indexes && !schema_.skip_indexes.empty()) {
        disjunction = std::make_unique<SkipIndexDisjunction>(schema_.skip_indexes, filter, cols, ctx);
        if (!disjunction->useful()) disjunction.reset();
    }
    auto countGranules = [](const std::vector<std::pair<size_t, size_t>>& rs) {
        size_t n = 0;
        for (auto& [l, r] : rs) n += r - l;
        return n;
    };
    std::vector<std::pair<DataPartPtr, std::vector<std::pair<size_t, size_t>>>> out;
    for (auto& part : *snap) {
        size_t marks = part->marksCount();
        if (stats) { stats->parts_total++; stats->granules_total += marks; }
        if (!marks) continue;
        // exact[i]: every row of ranges[i] satisfies the filter (the partition value and min/max
        // index, or the primary index, prove it), so the source need not evaluate it there.
        bool part_exact = false;
        if (use_part) {
            std::vector<KeyRange> r;
            for (auto& c : part->partition_value.data()) r.push_back({c.column.get(), 0, c.column.get(), 0});
            for (auto& c : part->minmax.data()) r.push_back({c.column.get(), 0, c.column.get(), 1});
            if (r.size() == partition_key_.size() + schema_.minmax_columns.size()) {
                if (!part_cond->mayBeTrue(r)) continue;
                part_exact = part_cond->alwaysTrue(r);
            }
        }
        if (stats) { stats->parts_after_partition++; stats->granules_after_partition += marks; }
        std::vector<std::pair<size_t, size_t>> ranges;
        std::vector<bool> exact;
        auto addRange = [&](std::vector<std::pair<size_t, size_t>>& rs, std::vector<bool>& ex, size_t l, size_t r, bool e) {
            if (!rs.empty() && rs.back().second == l && ex.back() == e) rs.back().second = r;
            else { rs.push_back({l, r}); ex.push_back(e); }
        };
        if (use_pk && !part_exact && part->index.rows() == marks + 1) {
            // ClickHouse's index walk: test a range, keep it whole when it is one granule or when
            // every row in it matches, else split it into up to 8 pieces and test each.
            std::vector<std::pair<size_t, size_t>> stack{{0, marks}};
            while (!stack.empty()) {
                auto [l, r] = stack.back();
                stack.pop_back();
                auto key_ranges = KeyCondition::indexRanges(part->index, l, r);
                if (!pk_cond->mayBeTrue(key_ranges)) continue;
                if (pk_cond->alwaysTrue(key_ranges)) {
                    addRange(ranges, exact, l, r, true);
                    continue;
                }
                if (r - l == 1) {
                    addRange(ranges, exact, l, r, false);
                    continue;
                }
                size_t step = (r - l + 7) / 8;
                std::vector<std::pair<size_t, size_t>> pieces;
                for (size_t b = l; b < r; b += step) pieces.push_back({b, std::min(r, b + step)});
                for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) stack.push_back(*it);
            }
        } else {
            ranges.push_back({0, marks});
            exact.push_back(part_exact);
        }
        for (size_t si = 0; si < skip_conds.size() && !ranges.empty(); ++si) {
            const auto& cond = *skip_conds[si];
            if (stats) { stats->skip[si].parts_before++; stats->skip[si].granules_before += countGranules(ranges); }
            auto it = part->skip_indexes.find(cond.description().name);
            if (it != part->skip_indexes.end()) {
                // Keep the marks of the index granules the condition may match.
                size_t g = cond.description().granularity;
                std::vector<std::pair<size_t, size_t>> kept;
                std::vector<bool> kept_exact;
                for (size_t ri = 0; ri < ranges.size(); ++ri)
                    for (size_t b = ranges[ri].first, r = ranges[ri].second; b < r;) {
                        size_t ig = b / g, e = std::min(r, (ig + 1) * g);
                        if (cond.mayBeTrue(*it->second, ig)) addRange(kept, kept_exact, b, e, exact[ri]);
                        b = e;
                    }
                ranges = std::move(kept);
                exact = std::move(kept_exact);
            }
            if (stats && !ranges.empty()) { stats->skip[si].parts_after++; stats->skip[si].granules_after += countGranules(ranges); }
        }
        if (disjunction && !ranges.empty()) {
            std::vector<std::pair<size_t, size_t>> kept;
            std::vector<bool> kept_exact;
            for (size_t ri = 0; ri < ranges.size(); ++ri)
                for (size_t m = ranges[ri].first; m < ranges[ri].second; ++m)
                    if (disjunction->mayBeTrue(*part, m)) addRange(kept, kept_exact, m, m + 1, exact[ri]);
            ranges = std::move(kept);
            exact = std::move(kept_exact);
        }
        if (ranges.empty()) continue;
        if (stats) {
            stats->parts_selected++;
            for (auto& [l, r] : ranges) {
                stats->granules_selected += r - l;
                stats->rows_selected += part->granule_offsets[r] - part->granule_offsets[l];
            }
        }
        out.push_back({part, std::move(ranges)});
        if (exact_out) exact_out->push_back(std::move(exact));
    }
    return out;
}

MergeTreeReadStats StorageMergeTree::analyzeRead(const ASTPtr& filter, QueryContext& ctx) const {
    MergeTreeReadStats s;
    selectRanges(parts(), filter, ctx, &s);
    return s;
}

struct StorageMergeTree::ReadTask {
    DataPartPtr part;
    size_t begin, end;   // granules
    bool exact = false;  // every row matches the PREWHERE filter (proved by the indexes)
};

class StorageMergeTree::Source final : public ISource {
public:
    struct Shared {
        std::vector<ReadTask> tasks;
        std::atomic<size_t> next{0};
        std::vector<NameAndType> columns;   // requested, table types
        std::map<std::string, ColumnPtr> fill;
        size_t granules_per_block = 8;
        QueryContext* ctx = nullptr;
        // PREWHERE: the query's filter over `prewhere_columns`, read first; the other requested
        // columns are read only for granules with matching rows. output[i]: position of requested
        // column i in (prewhere columns, then rest columns).
        ExprNodePtr prewhere;
        std::vector<NameAndType> prewhere_columns, rest_columns;
        std::vector<size_t> output;
        // placeholder[i]: requested column i is read only by the filter (a constant stands in for it once
        // the filter is applied here: exact ranges, PREWHERE); exact_columns are the others.
        std::vector<bool> placeholder;
        std::vector<NameAndType> exact_columns;
        // Top-N dynamic filter: rows whose `topk_position` prewhere column is worse than the bound
        // are dropped before the rest columns are read.
        std::shared_ptr<TopKThreshold> topk;
        size_t topk_position = 0;
        std::vector<NameAndType> topk_column;   // read alone first: blocks with no row within the bound are skipped
        bool twoStage() const { return prewhere || topk; }
        // Requested columns not in the first stage become rest columns; output maps each
        // requested column to its position in (prewhere columns, then rest columns).
        void layoutStages() {
            rest_columns.clear();
            output.clear();
            auto find = [](const std::vector<NameAndType>& v, const std::string& name) {
                for (size_t i = 0; i < v.size(); ++i) if (v[i].name == name) return i;
                return v.size();
            };
            for (auto& c : columns) {
                size_t pos = find(prewhere_columns, c.name);
                if (pos == prewhere_columns.size()) {
                    size_t r = find(rest_columns, c.name);
                    if (r == rest_columns.size()) rest_columns.push_back(c);
                    pos = prewhere_columns.size() + r;
                }
                output.push_back(pos);
            }
        }
    };
    explicit Source(std::shared_ptr<Shared> s) : shared_(std::move(s)) {}

    Block read() override {
        while (true) {
            if (task_ && cur_ < task_->end) {
                size_t end = std::min(task_->end, cur_ + shared_->granules_per_block);
                size_t first = cur_;
                cur_ = end;
                if (!shared_->twoStage()) return conform(reader_->read(first, end), shared_->columns);
                if (task_->exact && !shared_->topk) return readExact(first, end);
                Block b = readWithPrewhere(first, end);
                if (b.rows()) return b;
                continue;
            }
            size_t i = shared_->next.fetch_add(1);
            if (i >= shared_->tasks.size()) return Block();
            task_ = &shared_->tasks[i];
            if (!reader_ || reader_part_ != task_->part.get()) {
                if (shared_->twoStage()) {
                    reader_ = std::make_unique<PartReader>(task_->part, shared_->prewhere_columns, shared_->fill);
                    rest_reader_ = std::make_unique<PartReader>(task_->part, shared_->rest_columns, shared_->fill);
                    if (shared_->topk) topk_reader_ = std::make_unique<PartReader>(task_->part, shared_->topk_column, shared_->fill);
                } else {
                    reader_ = std::make_unique<PartReader>(task_->part, shared_->columns, shared_->fill);
                }
                reader_part_ = task_->part.get();
            }
            cur_ = task_->begin;
        }
    }

private:
    // Parts written before an ALTER may store another type: convert to the table's.
    Block conform(Block b, const std::vector<NameAndType>& columns) {
        conformToTypes(b, columns, shared_->ctx->functionContext());
        return b;
    }

    // Granules [first, end) where the indexes proved the filter for every row: the requested
    // columns without evaluating it, and columns only the filter reads not at all (constant
    // defaults stand in for them).
    Block readExact(size_t first, size_t end) {
        if (!exact_reader_ || exact_reader_part_ != task_->part.get()) {
            exact_reader_ = std::make_unique<PartReader>(task_->part, shared_->exact_columns, shared_->fill);
            exact_reader_part_ = task_->part.get();
        }
        const size_t rows = task_->part->granule_offsets[end] - task_->part->granule_offsets[first];
        Block read = conform(exact_reader_->read(first, end), shared_->exact_columns);
        Block out;
        for (size_t i = 0, next = 0; i < shared_->columns.size(); ++i) {
            const auto& c = shared_->columns[i];
            if (!shared_->placeholder[i]) { out.insert(read.at(next++)); continue; }
            auto one = createColumn(c.type);
            one->insertDefault();
            out.insert({std::make_shared<ColumnConst>(std::move(one), rows), c.type, c.name});
        }
        if (out.columns() == 0) out.setRowsWithoutColumns(rows);   // count(): only the row count matters
        return out;
    }

    // Granules [first, end): the filter columns, then the rest for the runs of granules that
    // have a matching row; only matching rows are returned.
    Block readWithPrewhere(size_t first, size_t end) {
        const auto& offsets = task_->part->granule_offsets;
        if (shared_->topk && shared_->prewhere) {
            // Once the top-N bound is known, most blocks have no row within it: the bound's column
            // alone decides that, before the filter columns are read.
            const TopKThreshold& t = *shared_->topk;
            const double bound = t.bound.load(std::memory_order_relaxed);
            if (!std::isinf(bound)) {
                Block tb = conform(topk_reader_->read(first, end), shared_->topk_column);
                const auto& c = tb.at(0);
                ColumnPtr values = materialize(c.column);
                const size_t n = tb.rows();
                topk_values_.resize(n);
                topKValues(*c.type, *values, topk_values_.data());
                // Branch-free over the block (it vectorizes): most blocks have no row within the bound.
                const double* v = topk_values_.data();
                bool any = false;
                if (t.descending) for (size_t r = 0; r < n; ++r) any |= v[r] >= bound;
                else for (size_t r = 0; r < n; ++r) any |= v[r] <= bound;
                if (!any) {
                    filtered_rows += n;
                    filtered_bytes += tb.bytes();
                    return Block();
                }
            }
        }
        Block pw = conform(reader_->read(first, end), shared_->prewhere_columns);
        size_t rows = pw.rows();
        Filter f;
        size_t kept = 0;
        if (shared_->prewhere) predicateToFilter(evaluate(shared_->prewhere, pw), rows, f, kept);
        else { f.resize(rows); std::memset(f.data(), 1, rows); kept = rows; }
        if (shared_->topk && kept) {
            const TopKThreshold& t = *shared_->topk;
            const double bound = t.bound.load(std::memory_order_relaxed);
            if (!std::isinf(bound)) {
                const auto& c = pw.at(shared_->topk_position);
                ColumnPtr values = materialize(c.column);   // a column added by ALTER is a constant in old parts
                topk_values_.resize(rows);
                topKValues(*c.type, *values, topk_values_.data());
                for (size_t r = 0; r < rows; ++r)
                    if (f[r] && !t.keeps(topk_values_[r], bound)) { f[r] = 0; --kept; }
            }
        }
        if (kept < rows) {
            filtered_rows += rows - kept;
            filtered_bytes += rows ? pw.bytes() / rows * (rows - kept) : 0;
        }
        if (kept == 0) return Block();
        Block rest;
        Filter rest_filter;
        if (!shared_->rest_columns.empty()) {
            if (kept == rows) {
                rest = conform(rest_reader_->read(first, end), shared_->rest_columns);
                rest_filter = f;
            } else {
                std::vector<Block> pieces;
                size_t base = offsets[first];
                for (size_t g = first; g < end;) {
                    auto hasMatch = [&](size_t gr) {
                        for (size_t r = offsets[gr] - base; r < offsets[gr + 1] - base; ++r) if (f[r]) return true;
                        return false;
                    };
                    if (!hasMatch(g)) { ++g; continue; }
                    size_t run_end = g + 1;
                    while (run_end < end && hasMatch(run_end)) ++run_end;
                    pieces.push_back(conform(rest_reader_->read(g, run_end), shared_->rest_columns));
                    rest_filter.append(f.data() + (offsets[g] - base), offsets[run_end] - offsets[g]);
                    g = run_end;
                }
                rest = pieces.size() == 1 ? std::move(pieces[0]) : concatBlocks(pieces, pieces[0].cloneEmpty());
                size_t skipped = rows - rest.rows();
                filtered_bytes += rows ? rest.bytes() / std::max<size_t>(1, rest.rows()) * skipped : 0;
            }
        }
        Block out;
        size_t npw = shared_->prewhere_columns.size();
        for (size_t i = 0; i < shared_->columns.size(); ++i) {
            size_t pos = shared_->output[i];
            const auto& src = pos < npw ? pw.at(pos) : rest.at(pos - npw);
            if (shared_->prewhere && shared_->placeholder[i] && kept != src.column->size()) {
                // Read only for the filter, which this source has applied: a constant stands in
                // (filtering `x` of `count() WHERE x != 0` was a quarter of that query).
                auto one = src.column->cloneEmpty();
                one->insertDefault();
                out.insert({std::make_shared<ColumnConst>(std::move(one), kept), src.type, src.name});
                continue;
            }
            const Filter& filt = pos < npw ? f : rest_filter;
            out.insert({kept == src.column->size() ? src.column : src.column->filter(filt, kept), src.type, src.name});
        }
        if (out.columns() == 0) out.setRowsWithoutColumns(kept);   // count(): only the row count matters
        return out;
    }

    std::shared_ptr<Shared> shared_;
    const ReadTask* task_ = nullptr;
    size_t cur_ = 0;
    PODArray<double> topk_values_;
    std::unique_ptr<PartReader> reader_, rest_reader_, topk_reader_, exact_reader_;
    const MergeTreeDataPart* reader_part_ = nullptr;
    const MergeTreeDataPart* exact_reader_part_ = nullptr;
};

namespace {
// A column to read: one of the table's, or the `size` subcolumn of a String one (`s.size`, UInt64).
NameAndType resolveReadColumn(const std::vector<NameAndType>& schema, const std::string& name) {
    for (auto& sc : schema)
        if (sc.name == name) return sc;
    std::string base = stringSizeSubcolumnBase(name);
    for (auto& sc : schema)
        if (!base.empty() && sc.name == base && sc.type->id == TypeId::String) return {name, makeType(TypeId::UInt64)};
    throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + name + " in table");
}
}  // namespace

Sources StorageMergeTree::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) {
    return read(columns, SelectQueryInfo{}, ctx, num_streams);
}

namespace {

// Functions whose value depends on the block layout or on the moment of evaluation: a filter
// using them is not moved into the storage.
bool movableToPrewhere(const ExprNodePtr& n) {
    static const std::set<std::string> block_dependent = {"rowNumberInBlock", "rowNumberInAllBlocks", "blockNumber", "blockSize",
                                                          "runningDifference", "runningDifferenceStartingWithFirstValue",
                                                          "runningAccumulate", "neighbor", "sleep", "sleepEachRow", "throwIf"};
    if (n->kind == ExprNode::Kind::Lambda) return false;
    if (n->kind == ExprNode::Kind::Function) {
        if (!n->function || !n->function->deterministic || block_dependent.count(n->function->name)) return false;
    }
    for (auto& a : n->args) if (!movableToPrewhere(a)) return false;
    return true;
}

void collectInputs(const ExprNodePtr& n, std::set<size_t>& out) {
    if (n->kind == ExprNode::Kind::Input) out.insert(n->input);
    for (auto& a : n->args) collectInputs(a, out);
}

}  // namespace

Sources StorageMergeTree::read(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t num_streams) {
    if (info.final) return readFinal(columns, info, ctx, num_streams);
    auto shared = std::make_shared<Source::Shared>();
    shared->ctx = &ctx;
    PartSchema schema;
    {
        std::lock_guard lock(mutex_);
        schema = schema_;
        shared->fill = fill_;
    }
    for (auto& c : columns) shared->columns.push_back(resolveReadColumn(schema.columns, c));
    // PREWHERE: the whole filter, when it is over the table's columns and safe to evaluate here.
    if (info.filter && ctx.settings.optimize_move_to_prewhere) {
        try {
            ExprNodePtr over_all = analyzeOverColumns(info.filter, ctx);
            std::set<size_t> inputs;
            collectInputs(over_all, inputs);
            if (!inputs.empty() && movableToPrewhere(over_all)) {
                Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::NOT_IMPLEMENTED, "subquery"); });
                Scope scope;
                for (size_t i : inputs) {
                    shared->prewhere_columns.push_back(schema.columns[i]);
                    scope.columns.push_back({schema.columns[i].name, schema.columns[i].type});
                }
                shared->prewhere = analyzer.analyze(info.filter, scope);
                shared->layoutStages();
                info.filter_applied = true;
            }
        } catch (const Exception&) {
            // Subqueries, unknown names (aliases of the SELECT list), ...: the executor filters.
            shared->prewhere = nullptr;
            shared->prewhere_columns.clear();
            shared->rest_columns.clear();
            shared->output.clear();
        }
    }
    // Top-N dynamic filter: its column joins the first stage (with or without a PREWHERE).
    if (info.topk) {
        const NameAndType* col = nullptr;
        for (auto& sc : schema.columns)
            if (sc.name == info.topk->column) col = &sc;
        if (col && topKComparable(*col->type)) {
            // Appended, so the PREWHERE expression's inputs keep their positions.
            if (!shared->prewhere) shared->prewhere_columns.clear();
            size_t pos = 0;
            while (pos < shared->prewhere_columns.size() && shared->prewhere_columns[pos].name != col->name) ++pos;
            if (pos == shared->prewhere_columns.size()) shared->prewhere_columns.push_back(*col);
            shared->layoutStages();
            shared->topk_position = pos;
            shared->topk = info.topk;
            shared->topk_column = {*col};
        }
    }
    shared->granules_per_block = std::max<size_t>(1, ctx.settings.max_block_size / std::max<size_t>(1, settings_.index_granularity));
    std::vector<std::vector<bool>> exact;
    auto selected = selectRanges(parts(), info.filter, ctx, nullptr, true, &exact);
    // Exact ranges skip the filter only when the source evaluates it (PREWHERE = the whole WHERE).
    const bool use_exact = shared->prewhere != nullptr;
    for (auto& c : shared->columns) {
        bool only_filter = std::find(info.filter_only_columns.begin(), info.filter_only_columns.end(), c.name) != info.filter_only_columns.end();
        shared->placeholder.push_back(only_filter);
        if (!only_filter) shared->exact_columns.push_back(c);
    }
    size_t total = 0;
    for (auto& [p, ranges] : selected) for (auto& [l, r] : ranges) total += r - l;
    num_streams = std::max<size_t>(1, num_streams);
    // Contiguous chunks keep decompressed blocks hot; several chunks per stream balance the load.
    size_t chunk = std::max<size_t>(shared->granules_per_block, total / (num_streams * 4) + 1);
    for (size_t pi = 0; pi < selected.size(); ++pi) {
        auto& [p, ranges] = selected[pi];
        for (size_t ri = 0; ri < ranges.size(); ++ri)
            for (size_t b = ranges[ri].first, r = ranges[ri].second; b < r; b += chunk)
                shared->tasks.push_back({p, b, std::min(r, b + chunk), use_exact && exact[pi][ri]});
    }
    Sources sources;
    size_t n = std::max<size_t>(1, std::min(num_streams, shared->tasks.size()));
    for (size_t i = 0; i < n; ++i) sources.push_back(std::make_unique<Source>(shared));
    return sources;
}

// ---------------------------------------------------------------- reading in key order
StorageMergeTree::ReadSnapshot StorageMergeTree::snapshotForRead(const std::vector<std::string>& columns) const {
    ReadSnapshot r;
    {
        std::lock_guard lock(mutex_);
        r.schema = schema_;
        r.fill = fill_;
    }
    for (auto& c : columns) r.columns.push_back(resolveReadColumn(r.schema.columns, c));
    return r;
}

class StorageMergeTree::InOrderSource final : public ISource {
public:
    struct Cursor {
        DataPartPtr part;
        std::unique_ptr<PartReader> reader;
        std::vector<size_t> granules;   // in reading order
        size_t next = 0;
        Block block;                    // read columns, in the output order (reversed when descending)
        std::vector<ColumnPtr> keys;
        size_t row = 0;
        bool done = false;
    };

    InOrderSource(std::vector<Cursor> cursors, std::vector<NameAndType> read_columns, size_t outputs, std::vector<ExprNodePtr> key_nodes,
                  bool descending, size_t block_rows, QueryContext& ctx)
        : cursors_(std::move(cursors)), read_columns_(std::move(read_columns)), outputs_(outputs), key_nodes_(std::move(key_nodes)),
          descending_(descending), block_rows_(block_rows), ctx_(ctx) {
        for (auto& c : cursors_) advance(c);
    }

    Block read() override {
        std::vector<MutableColumnPtr> out;
        for (size_t i = 0; i < outputs_; ++i) out.push_back(createColumn(read_columns_[i].type));
        size_t rows = 0;
        while (rows < block_rows_) {
            // The cursor with the next row in order, and the runner-up.
            int best = -1, second = -1;
            for (size_t i = 0; i < cursors_.size(); ++i) {
                if (cursors_[i].done) continue;
                if (best < 0 || before(cursors_[i], cursors_[i].row, cursors_[best], cursors_[best].row)) { second = best; best = int(i); }
                else if (second < 0 || before(cursors_[i], cursors_[i].row, cursors_[second], cursors_[second].row)) second = int(i);
            }
            if (best < 0) break;
            Cursor& c = cursors_[best];
            size_t end = std::min(c.block.rows(), c.row + (block_rows_ - rows));
            if (second >= 0) {
                // Rows of `best` not after the runner-up's current row (the block is ordered).
                const Cursor& sc = cursors_[second];
                size_t lo = c.row + 1, hi = end;
                while (lo < hi) {
                    size_t mid = (lo + hi) / 2;
                    if (!before(sc, sc.row, c, mid)) lo = mid + 1;
                    else hi = mid;
                }
                end = lo;
            }
            size_t n = end - c.row;
            for (size_t i = 0; i < outputs_; ++i) out[i]->insertRangeFrom(*c.block.at(i).column, c.row, n);
            rows += n;
            c.row = end;
            advance(c);
        }
        Block b;
        for (size_t i = 0; i < outputs_; ++i) b.insert({std::move(out[i]), read_columns_[i].type, read_columns_[i].name});
        if (outputs_ == 0) b.setRowsWithoutColumns(rows);
        if (rows == 0) return Block();
        return b;
    }

private:
    // Whether row ra of a comes strictly before row rb of b in the output order.
    bool before(const Cursor& a, size_t ra, const Cursor& b, size_t rb) const {
        for (size_t k = 0; k < key_nodes_.size(); ++k) {
            int c = a.keys[k]->compareAt(ra, rb, *b.keys[k], 1);
            if (c) return descending_ ? c > 0 : c < 0;
        }
        return false;
    }

    // Loads the cursor's next granule when its block is used up.
    void advance(Cursor& c) {
        while (!c.done && c.row >= c.block.rows()) {
            if (c.next >= c.granules.size()) { c.done = true; c.block = Block(); c.keys.clear(); return; }
            ctx_.checkLimits();
            size_t g = c.granules[c.next++];
            Block b = c.reader->read(g, g + 1);
            conformToTypes(b, read_columns_, ctx_.functionContext());
            if (descending_) {
                Permutation rev(b.rows());
                for (size_t i = 0; i < b.rows(); ++i) rev[i] = uint32_t(b.rows() - 1 - i);
                Block r;
                for (auto& col : b.data()) r.insert({col.column->permute(rev, 0), col.type, col.name});
                b = std::move(r);
            }
            c.keys.clear();
            for (auto& k : key_nodes_) {
                ColumnPtr v = evaluate(k, b);
                c.keys.push_back(v->convertToFullColumn(v));
            }
            c.block = std::move(b);
            c.row = 0;
        }
    }

    std::vector<Cursor> cursors_;
    std::vector<NameAndType> read_columns_;   // requested columns first, then key-only columns
    size_t outputs_;
    std::vector<ExprNodePtr> key_nodes_;
    bool descending_;
    size_t block_rows_;
    QueryContext& ctx_;
};

Sources StorageMergeTree::readInOrder(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t prefix,
                                      bool descending) {
    auto [schema, fill, read_columns] = snapshotForRead(columns);
    size_t outputs = read_columns.size();
    std::set<std::string> key_sources;
    for (size_t i = 0; i < prefix && i < sorting_key_.size(); ++i) collectColumnNames(sorting_key_[i], key_sources);
    for (auto& sc : schema.columns)
        if (key_sources.count(sc.name) && std::none_of(read_columns.begin(), read_columns.end(), [&](auto& r) { return r.name == sc.name; }))
            read_columns.push_back(sc);
    Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subqueries are not allowed in key expressions"); });
    Scope scope;
    for (auto& c : read_columns) scope.columns.push_back({c.name, c.type});
    std::vector<ExprNodePtr> key_nodes;
    for (size_t i = 0; i < prefix && i < sorting_key_.size(); ++i) key_nodes.push_back(analyzer.analyze(sorting_key_[i], scope));
    // Parts put NaN last; a descending read would meet them first where ORDER BY ... DESC puts
    // them last: not applicable (the caller reads normally).
    if (descending)
        for (auto& k : key_nodes)
            if (removeLowCardinality(k->type)->id == TypeId::Float32 || removeLowCardinality(k->type)->id == TypeId::Float64) return {};
    std::vector<InOrderSource::Cursor> cursors;
    for (auto& [part, ranges] : selectRanges(parts(), info.filter, ctx, nullptr)) {
        InOrderSource::Cursor c;
        c.part = part;
        c.reader = std::make_unique<PartReader>(part, read_columns, fill);
        for (auto& [l, r] : ranges) for (size_t g = l; g < r; ++g) c.granules.push_back(g);
        if (descending) std::reverse(c.granules.begin(), c.granules.end());
        cursors.push_back(std::move(c));
    }
    size_t block_rows = std::max<size_t>(1, std::min<size_t>(ctx.settings.max_block_size, settings_.index_granularity));
    Sources sources;
    sources.push_back(std::make_unique<InOrderSource>(std::move(cursors), std::move(read_columns), outputs, std::move(key_nodes), descending,
                                                      block_rows, ctx));
    return sources;
}

// ---------------------------------------------------------------- SELECT ... FINAL
// A FINAL read of one group of parts can be split into ranges of the primary key: every row of one
// sorting key has one primary key (a prefix), so the ranges collapse independently in parallel.
// Range j holds the keys in [points[j - 1], points[j]); its reader gets the granules that may
// hold such keys and drops the rows outside it.
struct FinalKeyRange {
    std::shared_ptr<const std::vector<ColumnPtr>> points;   // primary-key columns, one row per split point
    std::optional<size_t> lower, upper;                     // rows of `points`; absent = unbounded

    // -1 / 0 / +1: row r of `keys` (primary-key columns first) against split point p.
    int compare(const std::vector<ColumnPtr>& keys, size_t r, size_t p) const {
        for (size_t k = 0; k < points->size(); ++k)
            if (int c = keys[k]->compareAt(r, p, *(*points)[k], 1)) return c;
        return 0;
    }
    // First row of the sorted `keys` (n rows) not below split point p.
    size_t lowerBound(const std::vector<ColumnPtr>& keys, size_t n, size_t p) const {
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (compare(keys, mid, p) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
};

// Reads groups of parts one after another, each merged in sorting-key order (InOrderSource) and
// collapsed by the engine's merging mode; returns the requested columns.
class StorageMergeTree::FinalSource final : public ISource {
public:
    struct Group {
        std::unique_ptr<InOrderSource> source;
        std::optional<FinalKeyRange> range;
    };

    FinalSource(std::vector<Group> groups, std::vector<NameAndType> read_columns, size_t outputs, std::vector<ExprNodePtr> key_nodes,
                const MergingParams& params, const std::vector<std::string>& key_sources)
        : groups_(std::move(groups)), read_columns_(std::move(read_columns)), outputs_(outputs), key_nodes_(std::move(key_nodes)),
          params_(params), key_sources_(key_sources) {}

    Block read() override {
        while (current_ < groups_.size()) {
            Group& group = groups_[current_];
            if (!merger_) merger_ = std::make_unique<SortedGroupMerger>(params_, read_columns_, key_sources_, true);
            Block b;
            std::vector<ColumnPtr> keys;
            bool last = range_done_;
            if (!last) {
                b = group.source->read();
                last = !b.rows();
            }
            if (!last) {
                keys = evaluateKeys(b);
                if (group.range && !trimToRange(*group.range, b, keys)) continue;
                last = !b.rows();
            }
            if (last) {
                b = Block();
                for (auto& c : read_columns_) b.insert({createColumn(c.type), c.type, c.name});
                keys = evaluateKeys(b);
            }
            Block key_block;
            for (size_t i = 0; i < key_nodes_.size(); ++i) key_block.insert({keys[i], key_nodes_[i]->type, key_nodes_[i]->name});
            Block merged = merger_->push(std::move(b), std::move(key_block), last);
            if (last) {
                group.source.reset();
                ++current_;
                range_done_ = false;
                merger_.reset();
            }
            if (!merged.rows()) continue;
            Block out;
            for (size_t i = 0; i < outputs_; ++i) out.insert(merged.at(i));
            if (outputs_ == 0) out.setRowsWithoutColumns(merged.rows());
            return out;
        }
        return Block();
    }

private:
    std::vector<ColumnPtr> evaluateKeys(const Block& b) const {
        auto cols = evaluateAll(key_nodes_, b);
        for (auto& c : cols) c = c->convertToFullColumn(c);
        return cols;
    }

    // Keeps the rows of `b` (sorted) inside the range. Returns false when nothing is left yet the
    // range may continue in the next block; past the upper bound the group is finished.
    bool trimToRange(const FinalKeyRange& range, Block& b, std::vector<ColumnPtr>& keys) {
        size_t n = b.rows();
        size_t from = range.lower ? range.lowerBound(keys, n, *range.lower) : 0;
        size_t to = range.upper ? range.lowerBound(keys, n, *range.upper) : n;
        if (to < n) range_done_ = true;
        if (from >= to) {
            b = cutBlock(b, 0, 0);
            return range_done_;
        }
        if (from > 0 || to < n) {
            b = cutBlock(b, from, to - from);
            for (auto& k : keys) k = k->cut(from, to - from);
        }
        return true;
    }

    std::vector<Group> groups_;
    size_t current_ = 0;
    bool range_done_ = false;
    std::vector<NameAndType> read_columns_;
    size_t outputs_;
    std::vector<ExprNodePtr> key_nodes_;
    MergingParams params_;
    std::vector<std::string> key_sources_;
    std::unique_ptr<SortedGroupMerger> merger_;
};

namespace {

using PartRanges = std::vector<std::pair<DataPartPtr, std::vector<std::pair<size_t, size_t>>>>;

std::vector<ColumnPtr> fullIndexColumns(const MergeTreeDataPart& part, size_t key_size) {
    std::vector<ColumnPtr> cols;
    for (size_t k = 0; k < key_size && k < part.index.columns(); ++k) cols.push_back(part.index.at(k).column->convertToFullColumn(part.index.at(k).column));
    return cols;
}

// Up to `count` - 1 strictly increasing split points of the primary key, taken at evenly spaced
// marks of the group's biggest part; empty when the group cannot be split.
std::shared_ptr<const std::vector<ColumnPtr>> finalSplitPoints(const PartRanges& list, size_t key_size, size_t count) {
    const MergeTreeDataPart* biggest = nullptr;
    for (auto& [part, ranges] : list)
        if (!biggest || part->rows > biggest->rows) biggest = part.get();
    if (!biggest || key_size == 0 || biggest->index.columns() < key_size || biggest->index.rows() < 3) return nullptr;
    auto index = fullIndexColumns(*biggest, key_size);
    size_t marks = biggest->index.rows() - 1;
    auto compareRows = [&](size_t a, size_t b) {
        for (auto& c : index)
            if (int r = c->compareAt(a, b, *c, 1)) return r;
        return 0;
    };
    Permutation rows;
    for (size_t i = 1; i < count; ++i) {
        size_t m = i * marks / count;
        if (m == 0 || m >= marks) continue;
        if (!rows.empty() && compareRows(rows.back(), m) >= 0) continue;
        rows.push_back(uint32_t(m));
    }
    if (rows.empty()) return nullptr;
    auto points = std::make_shared<std::vector<ColumnPtr>>();
    for (auto& c : index) points->push_back(c->permute(rows, rows.size()));
    return points;
}

// The granules of `ranges` in `part` that may hold keys of [lower, upper).
std::vector<size_t> granulesInRange(const MergeTreeDataPart& part, const std::vector<std::pair<size_t, size_t>>& ranges, const FinalKeyRange& range,
                                    size_t key_size) {
    std::vector<size_t> out;
    // A part without a usable index (none loaded, or written before a key change) is read whole.
    bool usable = part.index.columns() >= key_size && part.index.rows() > 0;
    auto index = usable ? fullIndexColumns(part, key_size) : std::vector<ColumnPtr>();
    for (auto& [l, r] : ranges)
        for (size_t g = l; g < r; ++g) {
            if (!usable || g >= part.index.rows()) { out.push_back(g); continue; }
            // Granule g holds keys in [index[g], index[g + 1]].
            if (range.upper && range.compare(index, g, *range.upper) >= 0) continue;
            if (range.lower && g + 1 < part.index.rows() && range.compare(index, g + 1, *range.lower) < 0) continue;
            out.push_back(g);
        }
    return out;
}

}  // namespace

Sources StorageMergeTree::readFinal(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t num_streams) {
    // Requested columns first, then what the sorting key and the merging mode need.
    auto [schema, fill, read_columns] = snapshotForRead(columns);
    size_t outputs = read_columns.size();
    std::set<std::string> needed;
    for (auto& n : sortingKeySources()) needed.insert(n);
    for (auto& n : merging_params_.requiredColumns()) needed.insert(n);
    for (auto& sc : schema.columns)
        if ((needed.count(sc.name)) && std::none_of(read_columns.begin(), read_columns.end(), [&](auto& r) { return r.name == sc.name; }))
            read_columns.push_back(sc);
    Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subqueries are not allowed in key expressions"); });
    Scope scope;
    for (auto& c : read_columns) scope.columns.push_back({c.name, c.type});
    std::vector<ExprNodePtr> key_nodes;
    for (auto& k : sorting_key_) key_nodes.push_back(analyzer.analyze(k, scope));

    // Rows of one sorting key can sit in different partitions; they are merged per partition only
    // when asked to, or when every partition-key column is itself a sorting-key column (then equal
    // keys imply equal partitions).
    bool per_partition = ctx.settings.do_not_merge_across_partitions_select_final;
    if (!per_partition && !partition_key_.empty()) {
        std::set<std::string> part_sources;
        for (auto& k : partition_key_) collectColumnNames(k, part_sources);
        per_partition = std::all_of(part_sources.begin(), part_sources.end(), [&](const std::string& n) {
            return std::any_of(sorting_key_.begin(), sorting_key_.end(), [&](const ASTPtr& k) { return k->as<ASTIdentifier>() && k->getColumnName() == n; });
        });
    }
    std::map<std::string, PartRanges> groups;
    for (auto& pr : selectRanges(parts(), info.filter, ctx, nullptr, /*allow_skip_indexes=*/false))
        groups[per_partition ? pr.first->info.partition_id : std::string()].push_back(pr);
    size_t block_rows = std::max<size_t>(1, std::min<size_t>(ctx.settings.max_block_size, settings_.index_granularity));
    num_streams = std::max<size_t>(1, num_streams);
    // Fewer groups than streams: each group is split into primary-key ranges.
    size_t ranges_per_group = groups.empty() ? 1 : std::max<size_t>(1, num_streams / groups.size());
    size_t key_size = primary_key_.size();
    std::vector<FinalSource::Group> all;
    for (auto& [pid, list] : groups) {
        // Older blocks first: among equal keys the merge keeps the earlier part's rows first.
        std::sort(list.begin(), list.end(), [](auto& a, auto& b) { return a.first->info.min_block < b.first->info.min_block; });
        auto points = ranges_per_group > 1 ? finalSplitPoints(list, key_size, ranges_per_group) : nullptr;
        size_t pieces = points ? points->at(0)->size() + 1 : 1;
        for (size_t j = 0; j < pieces; ++j) {
            std::optional<FinalKeyRange> range;
            if (points) {
                range = FinalKeyRange{points, std::nullopt, std::nullopt};
                if (j > 0) range->lower = j - 1;
                if (j + 1 < pieces) range->upper = j;
            }
            std::vector<InOrderSource::Cursor> cursors;
            for (auto& [part, ranges] : list) {
                InOrderSource::Cursor c;
                if (range) c.granules = granulesInRange(*part, ranges, *range, key_size);
                else for (auto& [l, r] : ranges) for (size_t g = l; g < r; ++g) c.granules.push_back(g);
                if (c.granules.empty()) continue;
                c.part = part;
                c.reader = std::make_unique<PartReader>(part, read_columns, fill);
                cursors.push_back(std::move(c));
            }
            if (cursors.empty()) continue;
            all.push_back({std::make_unique<InOrderSource>(std::move(cursors), read_columns, read_columns.size(), key_nodes, false, block_rows, ctx),
                           std::move(range)});
        }
    }
    size_t streams = std::max<size_t>(1, std::min(num_streams, all.size()));
    std::vector<std::vector<FinalSource::Group>> per_stream(streams);
    for (size_t i = 0; i < all.size(); ++i) per_stream[i % streams].push_back(std::move(all[i]));
    Sources sources;
    for (auto& g : per_stream)
        sources.push_back(std::make_unique<FinalSource>(std::move(g), read_columns, outputs, key_nodes, merging_params_, sortingKeySources()));
    return sources;
}

// ---------------------------------------------------------------- merges
std::vector<DataPartPtr> StorageMergeTree::selectPartsToMerge(bool final, const std::optional<std::string>& partition, const RangeFilter* allowed) {
    std::lock_guard lock(mutex_);
    std::map<std::string, std::vector<DataPartPtr>> by_partition;
    for (auto& p : *parts_)
        if (!partition || p->info.partition_id == *partition) by_partition[p->info.partition_id].push_back(p);
    // A part still waiting for a mutation is not merged: the merged part could not tell which of
    // its rows the mutation has seen.
    auto unavailable = [&](const DataPartPtr& p) { return merging_.count(p->name) || needsAnyMutation(*p); };
    if (final) {
        // OPTIMIZE FINAL rewrites the partition into one part, even a single part (as ClickHouse).
        for (auto& [pid, list] : by_partition) {
            bool busy = false;
            for (auto& p : list) busy = busy || unavailable(p);
            if (busy || (allowed && !(*allowed)(list.front()->info, list.back()->info))) continue;
            for (auto& p : list) merging_.insert(p->name);
            return list;
        }
    }
    if (final) return {};
    // A part holding rows or values whose TTL has passed is rewritten alone (a TTL merge), at most
    // once per merge_with_ttl_timeout in a partition (as ClickHouse).
    int64_t now = int64_t(time(nullptr));
    // (Not for replicated tables: replicas evaluating TTL at different moments would diverge.)
    for (auto& [pid, list] : by_partition) {
        if (allowed) break;
        auto last = last_ttl_merge_.find(pid);
        if (last != last_ttl_merge_.end() && now - last->second < int64_t(settings_.merge_with_ttl_timeout)) continue;
        for (auto& p : list)
            if (((p->has_ttl && p->ttl_min <= now) || (p->has_column_ttl && p->column_ttl_min <= now)) && !unavailable(p)) {
                merging_.insert(p->name);
                last_ttl_merge_[pid] = now;
                return {p};
            }
    }
    // Background selection (in the spirit of ClickHouse's simple merge selector): among runs of
    // adjacent parts not already merging, choose the range whose largest part is at most half the
    // total (no rewriting a big part for a tiny gain) with the smallest cost per part removed.
    std::vector<DataPartPtr> best;
    double best_score = 0;
    for (auto& [pid, list] : by_partition) {
        size_t i = 0;
        while (i < list.size()) {
            if (unavailable(list[i])) { ++i; continue; }
            size_t j = i;
            while (j < list.size() && !unavailable(list[j])) ++j;
            // Candidate ranges inside [i, j).
            for (size_t a = i; a < j; ++a) {
                uint64_t sum = 0, mx = 0;
                for (size_t b = a; b < j && b - a < settings_.max_parts_to_merge_at_once; ++b) {
                    uint64_t sz = std::max<uint64_t>(1, list[b]->bytes_on_disk);
                    sum += sz;
                    mx = std::max(mx, sz);
                    size_t count = b - a + 1;
                    if (count < 2 || mx * 2 > sum) continue;
                    if (allowed && !(*allowed)(list[a]->info, list[b]->info)) continue;
                    double score = double(sum) / double(count - 1);
                    if (best.empty() || score < best_score) {
                        best.assign(list.begin() + a, list.begin() + b + 1);
                        best_score = score;
                    }
                }
            }
            i = j;
        }
    }
    for (auto& p : best) merging_.insert(p->name);
    return best;
}

// Callers hold structure_mutex_ shared (taken before the parts were reserved).
MutableDataPartPtr StorageMergeTree::mergeParts(const std::vector<DataPartPtr>& sources, QueryContext& ctx, const std::vector<size_t>* deduplicate) {
    MergeTreePartInfo info;
    info.partition_id = sources.front()->info.partition_id;
    info.min_block = sources.front()->info.min_block;
    info.max_block = sources.back()->info.max_block;
    for (auto& p : sources) {
        info.level = std::max(info.level, p->info.level);
        info.mutation = std::max(info.mutation, p->info.mutation);
    }
    info.level += 1;
    auto ev = makeEvaluator(ctx);
    PartWriter writer(dir_, "merge", info, schema_);
    // Visible in system.merges while it runs.
    MergeEntry entry;
    entry.result_part = info.name();
    entry.partition_id = info.partition_id;
    entry.start_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    for (auto& p : sources) { entry.sources.push_back(p->name); entry.total_rows += p->rows; entry.total_bytes += p->bytes_on_disk; }
    auto rows_read = entry.rows_read;
    {
        std::lock_guard lock(mutex_);
        running_merges_.push_back(entry);
    }
    struct Unregister {
        StorageMergeTree* t;
        std::string name;
        ~Unregister() {
            std::lock_guard lock(t->mutex_);
            auto& v = t->running_merges_;
            v.erase(std::remove_if(v.begin(), v.end(), [&](auto& m) { return m.result_part == name; }), v.end());
        }
    } unregister{this, entry.result_part};
    struct Cursor {
        std::unique_ptr<PartReader> reader;
        DataPartPtr part;
        size_t next_granule = 0;
        Block block, keys, skip;   // skip: skip-index expression columns
        size_t row = 0;
        bool done = false;
    };
    std::vector<Cursor> cursors(sources.size());
    size_t granules_per_block = std::max<size_t>(1, settings_.merge_max_block_size / std::max<size_t>(1, settings_.index_granularity));
    auto advance = [&](Cursor& c) {
        while (!c.done && c.row >= c.block.rows()) {
            if (c.next_granule >= c.part->marksCount()) { c.done = true; c.block = Block(); c.keys = Block(); c.skip = Block(); return; }
            size_t end = std::min(c.part->marksCount(), c.next_granule + granules_per_block);
            Block raw = c.reader->read(c.next_granule, end);
            c.next_granule = end;
            *rows_read += raw.rows();
            // Conform stored types to the table's, then the sorting-key columns.
            conformToTypes(raw, schema_.columns, ctx.functionContext());
            c.block = std::move(raw);
            c.keys = KeyEvaluator::eval(ev->sorting, c.block);
            c.skip = Block();
            appendSkipIndexColumns(*ev, ev->input(c.block), c.skip);
            c.row = 0;
        }
    };
    for (size_t i = 0; i < sources.size(); ++i) {
        cursors[i].part = sources[i];
        cursors[i].reader = std::make_unique<PartReader>(sources[i], schema_.columns, fill_);
        advance(cursors[i]);
    }
    auto less = [&](const Cursor& a, size_t ra, const Cursor& b, size_t rb) {
        for (size_t k = 0; k < a.keys.columns(); ++k) {
            int c = a.keys.at(k).column->compareAt(ra, rb, *b.keys.at(k).column, 1);
            if (c) return c;
        }
        return 0;
    };
    std::vector<MutableColumnPtr> out, out_keys;
    for (auto& c : schema_.columns) out.push_back(createColumn(c.type));
    // Primary-key columns, then the skip-index expression columns.
    std::vector<NameAndType> out_key_types = schema_.key_columns;
    for (auto& n : ev->skip) out_key_types.push_back({"__skip_" + std::to_string(out_key_types.size()), n->type});
    for (auto& k : out_key_types) out_keys.push_back(createColumn(k.type));
    size_t out_rows = 0;
    PartTTL ttl;
    const int64_t merge_time = int64_t(time(nullptr));
    // The engine's merging mode (ReplacingMergeTree, ...): rows of equal sorting key collapse.
    std::unique_ptr<SortedGroupMerger> merger;
    if (!merging_params_.ordinary()) merger = std::make_unique<SortedGroupMerger>(merging_params_, schema_.columns, sortingKeySources(), false);
    // DEDUPLICATE: duplicates have equal sorting keys, so they are adjacent in the merged order up
    // to rows of the same key; the set of rows seen is kept per key only.
    std::string dedup_key;
    std::unordered_set<std::string> dedup_seen;
    auto deduplicateRows = [&](Block& b, Block& k) {
        Block keys = KeyEvaluator::eval(ev->sorting, b);
        Filter keep(b.rows());
        size_t kept = 0;
        std::string kk, rk;
        for (size_t r = 0; r < b.rows(); ++r) {
            kk.clear();
            for (auto& c : keys.data()) c.column->serializeValue(r, kk);
            if (kk != dedup_key) { dedup_seen.clear(); dedup_key = kk; }
            rk.clear();
            if (deduplicate->empty()) for (auto& c : b.data()) c.column->serializeValue(r, rk);
            else for (size_t pos : *deduplicate) b.at(pos).column->serializeValue(r, rk);
            keep[r] = dedup_seen.insert(rk).second;
            kept += keep[r];
        }
        if (kept == b.rows()) return;
        Block fb, fk;
        for (auto& c : b.data()) fb.insert({c.column->filter(keep, kept), c.type, c.name});
        for (auto& c : k.data()) fk.insert({c.column->filter(keep, kept), c.type, c.name});
        b = std::move(fb);
        k = std::move(fk);
    };
    auto flush = [&](bool last) {
        if (!out_rows && !(last && merger)) return;
        Block b, k;
        for (size_t i = 0; i < out.size(); ++i) { b.insert({out[i], schema_.columns[i].type, schema_.columns[i].name}); out[i] = createColumn(schema_.columns[i].type); }
        for (size_t i = 0; i < out_keys.size(); ++i) { k.insert({out_keys[i], out_key_types[i].type, out_key_types[i].name}); out_keys[i] = createColumn(out_key_types[i].type); }
        out_rows = 0;
        if (merger) {
            Block sort_keys = KeyEvaluator::eval(ev->sorting, ev->input(b));
            b = merger->push(std::move(b), std::move(sort_keys), last);
            k = primaryKeyColumns(*ev, b);
        }
        if (deduplicate) deduplicateRows(b, k);
        // Column TTL: expired values become the column's default.
        bool ttl_changed = false;
        for (auto& ct : ev->column_ttl) {
            Filter expired;
            size_t n_expired = 0;
            predicateToFilter(evaluate(ct.expired, b), b.rows(), expired, n_expired);
            if (!n_expired) continue;
            ColumnPtr def;
            if (ct.default_value) { def = evaluate(ct.default_value, b); def = def->convertToFullColumn(def); }
            auto& col = b.at(ct.position);
            auto replaced = col.column->cloneEmpty();
            replaced->reserve(b.rows());
            for (size_t r = 0; r < b.rows(); ++r) {
                if (!expired[r]) replaced->insertFrom(*col.column, r);
                else if (def) replaced->insertFrom(*def, r);
                else replaced->insertDefault();
            }
            col.column = std::move(replaced);
            ttl_changed = true;
        }
        if (ttl_changed && !schema_.skip_indexes.empty()) k = primaryKeyColumns(*ev, b);   // indexes see the new values
        if (ev->expired) {
            // Row TTL: merges drop the rows whose TTL has passed.
            Filter drop;
            size_t n_drop = 0;
            predicateToFilter(evaluate(ev->expired, b), b.rows(), drop, n_drop);
            if (n_drop) {
                for (auto& x : drop) x = !x;
                size_t keep = b.rows() - n_drop;
                Block fb, fk;
                for (auto& c : b.data()) fb.insert({c.column->filter(drop, keep), c.type, c.name});
                for (auto& c : k.data()) fk.insert({c.column->filter(drop, keep), c.type, c.name});
                b = std::move(fb);
                k = std::move(fk);
            }
        }
        ttl.add(*ev, b, ev->column_ttl.empty() ? 0 : merge_time);
        if (b.rows()) writer.write(b, k);
    };
    size_t flush_rows = std::max<size_t>(settings_.index_granularity, 65536);
    while (true) {
        if (shutdown_) throw Exception(ErrorCodes::ABORTED, "Cancelled merging parts");
        // The smallest current row (ties go to the older part: merges are stable), and the runner-up.
        int best = -1, second = -1;
        for (size_t i = 0; i < cursors.size(); ++i) {
            if (cursors[i].done) continue;
            if (best < 0 || less(cursors[i], cursors[i].row, cursors[best], cursors[best].row) < 0) { second = best; best = int(i); }
            else if (second < 0 || less(cursors[i], cursors[i].row, cursors[second], cursors[second].row) < 0) second = int(i);
        }
        if (best < 0) break;
        Cursor& c = cursors[best];
        size_t end = c.block.rows();
        if (second >= 0) {
            // Rows of `best` that still sort before the runner-up's current row (binary search: the
            // block is sorted). Equal keys stay with the lower-numbered (older) part first.
            const Cursor& s = cursors[second];
            bool take_equal = best < second;
            size_t lo = c.row + 1, hi = c.block.rows();
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int cmp = less(c, mid, s, s.row);
                if (cmp < 0 || (cmp == 0 && take_equal)) lo = mid + 1;
                else hi = mid;
            }
            end = lo;
        }
        size_t n = end - c.row;
        for (size_t i = 0; i < out.size(); ++i) out[i]->insertRangeFrom(*c.block.at(i).column, c.row, n);
        for (size_t k = 0; k < primary_key_.size(); ++k) out_keys[k]->insertRangeFrom(*c.keys.at(k).column, c.row, n);
        for (size_t k = primary_key_.size(); k < out_keys.size(); ++k) out_keys[k]->insertRangeFrom(*c.skip.at(k - primary_key_.size()).column, c.row, n);
        out_rows += n;
        c.row = end;
        advance(c);
        if (out_rows >= flush_rows) flush(false);
    }
    flush(true);
    ttl.apply(writer);
    return writer.finish(sources.front()->partition_value);
}

bool StorageMergeTree::commitMerge(const std::vector<DataPartPtr>& sources, MutableDataPartPtr merged) {
    std::lock_guard lock(mutex_);
    for (auto& s : sources) merging_.erase(s->name);
    for (auto& s : sources)
        if (std::find(parts_->begin(), parts_->end(), s) == parts_->end()) {
            merged->remove_on_destroy = true;   // a source vanished (TRUNCATE/DROP): discard
            return false;
        }
    bool empty = merged->rows == 0;   // every row expired by TTL
    if (empty) merged->remove_on_destroy = true;
    else commitPart(*merged, dir_);
    auto next = std::make_shared<std::vector<DataPartPtr>>();
    for (auto& p : *parts_)
        if (std::find(sources.begin(), sources.end(), p) == sources.end()) next->push_back(p);
    if (!empty) next->push_back(merged);
    std::sort(next->begin(), next->end(), [](auto& a, auto& b) { return a->info < b->info; });
    for (auto& s : sources) s->remove_on_destroy = true;
    parts_ = std::move(next);
    return true;
}

bool StorageMergeTree::dropExpiredParts() {
    // Only an unconditional row TTL over a non-Nullable moment expires every row of a part once
    // its latest row has expired (with TTL ... WHERE, rows outside the condition stay).
    if (!create_query || !create_query->ttl || create_query->ttl_where) return false;
    std::shared_lock structure(structure_mutex_);
    int64_t now = int64_t(time(nullptr));
    std::vector<DataPartPtr> expired;
    {
        std::lock_guard lock(mutex_);
        for (auto& p : *parts_)
            if (p->has_ttl && p->ttl_max <= now && !merging_.count(p->name) && !needsAnyMutation(*p)) expired.push_back(p);
        if (expired.empty()) return false;
    }
    QueryContext ctx;
    auto ev = makeEvaluator(ctx);
    if (!ev->ttl_seconds || ev->ttl_seconds->type->isNullable()) return false;
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<DataPartPtr>>();
    size_t dropped = 0;
    for (auto& p : *parts_) {
        bool gone = std::find(expired.begin(), expired.end(), p) != expired.end() && !merging_.count(p->name);
        if (gone) { p->remove_on_destroy = true; ++dropped; }
        else next->push_back(p);
    }
    if (!dropped) return false;
    parts_ = std::move(next);
    return true;
}

// Rewrites one part through a data mutation (or hard-links it when the mutation cannot affect it).
// Callers hold structure_mutex_ shared and have reserved the part.
MutableDataPartPtr StorageMergeTree::mutatePart(const DataPartPtr& part, const Mutation& m, int64_t version, QueryContext& ctx) {
    MergeTreePartInfo info = part->info;
    info.mutation = version;
    if (!m.transform || (m.affects && !m.affects(part)))
        return clonePartWithHardLinks(*part, dir_, "mutate", info, schema_.columns, m.renamed_from, schema_, m.cleared_indexes);
    auto ev = makeEvaluator(ctx);
    PartReader reader(part, schema_.columns, fill_);
    PartWriter writer(dir_, "mutate", info, schema_);
    PartTTL ttl;
    size_t step = std::max<size_t>(1, 65536 / std::max<size_t>(1, settings_.index_granularity));
    size_t rows = 0;
    for (size_t g = 0; g < part->marksCount(); g += step) {
        if (shutdown_) throw Exception(ErrorCodes::ABORTED, "Cancelled mutating parts");
        Block b = reader.read(g, std::min(part->marksCount(), g + step));
        conformToTypes(b, schema_.columns, ctx.functionContext());
        Block out = m.transform(std::move(b));
        if (!out.rows()) continue;
        rows += out.rows();
        Block input = ev->input(out);
        ttl.add(*ev, input, INT64_MIN);
        writer.write(out, primaryKeyColumns(*ev, out));
    }
    ttl.apply(writer);
    MutableDataPartPtr np = writer.finish(part->partition_value);
    if (rows) return np;
    np->remove_on_destroy = true;   // every row deleted: the part just goes
    return nullptr;
}

bool StorageMergeTree::mergeStep() {
    // Declared first, so it is released last: after every part reference of this step.
    struct StepCount {
        std::atomic<int>& n;
        explicit StepCount(std::atomic<int>& c) : n(c) { ++n; }
        ~StepCount() { --n; }
    } step_count(merge_steps_);
    if (shutdown_ || merges_stopped_ || g_all_merges_stopped) return false;
    if (replication_) {
        // Merges of a replicated table are assigned through the replication log (the replication
        // thread of the leader selects them); TTL drops would diverge replicas. Mutations come
        // from the log with their version and are applied here like local ones.
        replication_->wake();
        QueryContext ctx;
        return mutationStep(ctx, INT64_MAX);
    }
    if (dropExpiredParts()) return true;
    QueryContext ctx;
    if (mutationStep(ctx, INT64_MAX)) return true;
    std::shared_lock structure(structure_mutex_);
    auto sources = selectPartsToMerge(false, std::nullopt);
    if (sources.empty()) return false;
    try {
        auto merged = mergeParts(sources, ctx);
        return commitMerge(sources, merged);
    } catch (...) {
        std::lock_guard lock(mutex_);
        for (auto& s : sources) merging_.erase(s->name);
        throw;
    }
}

bool StorageMergeTree::optimize(const std::optional<std::string>& partition_id, bool final, QueryContext& ctx,
                                const std::vector<size_t>* deduplicate) {
    // SYSTEM STOP MERGES on this table makes OPTIMIZE fail, as in ClickHouse (tables created after a
    // global STOP MERGES only have their background merges paused).
    if (merges_stopped_) throw Exception(ErrorCodes::ABORTED, "Cancelled merging parts");
    if (replication_) {
        if (deduplicate) requireNotReplicated("OPTIMIZE ... DEDUPLICATE");
        return replication_->optimize(partition_id, final, ctx);
    }
    // Parts waiting for a mutation cannot be merged: apply what is queued first.
    while (mutationStep(ctx, INT64_MAX)) ctx.checkLimits();
    std::shared_lock structure(structure_mutex_);
    std::vector<std::optional<std::string>> targets;
    if (final && !partition_id) {
        std::set<std::string> ids;
        // The snapshot must outlive the loop (a temporary shared_ptr in the range expression would not).
        for (auto snap = parts(); auto& p : *snap) ids.insert(p->info.partition_id);
        for (auto& id : ids) targets.push_back(id);
    } else {
        targets.push_back(partition_id);
    }
    bool merged_any = false;
    for (auto& target : targets) {
        std::vector<DataPartPtr> sources;
        // A partition busy with a background merge is waited for (OPTIMIZE is synchronous).
        for (int attempt = 0; attempt < 6000; ++attempt) {
            sources = selectPartsToMerge(final, target);
            if (!sources.empty() || !final) break;
            bool busy = false;
            {
                std::lock_guard lock(mutex_);
                for (auto& p : *parts_) busy = busy || ((!target || p->info.partition_id == *target) && merging_.count(p->name));
            }
            if (!busy) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            ctx.checkLimits();
        }
        if (sources.empty() && !final) {
            // An explicit OPTIMIZE merges even what the background selector would leave for later
            // (as ClickHouse): all parts of the first partition that has several.
            std::lock_guard lock(mutex_);
            std::map<std::string, std::vector<DataPartPtr>> by_partition;
            std::set<std::string> busy;   // a partition with a running merge: its parts are not contiguous for us
            for (auto& p : *parts_)
                if (!target || p->info.partition_id == *target) {
                    by_partition[p->info.partition_id].push_back(p);
                    if (merging_.count(p->name)) busy.insert(p->info.partition_id);
                }
            for (auto& [pid, list] : by_partition)
                if (list.size() >= 2 && !busy.count(pid)) {
                    for (auto& p : list) merging_.insert(p->name);
                    sources = list;
                    break;
                }
        }
        if (sources.empty()) continue;
        try {
            auto merged = mergeParts(sources, ctx, deduplicate);
            merged_any = commitMerge(sources, merged) || merged_any;
        } catch (...) {
            std::lock_guard lock(mutex_);
            for (auto& s : sources) merging_.erase(s->name);
            throw;
        }
    }
    return merged_any;
}

// ---------------------------------------------------------------- replication support
void StorageMergeTree::requireNotReplicated(const char* what) const {
    if (replication_)
        throw Exception(ErrorCodes::NOT_IMPLEMENTED, std::string(what) + " is not supported for Replicated tables yet (table " +
                                                     (create_query ? create_query->database + "." + create_query->table : dir_) + ")");
}

std::vector<DataPartPtr> StorageMergeTree::selectMergeForReplication(bool aggressive, const std::optional<std::string>& partition, const RangeFilter& allowed) {
    auto sources = selectPartsToMerge(aggressive, partition, &allowed);
    std::lock_guard lock(mutex_);
    for (auto& p : sources) merging_.erase(p->name);   // the replication queue reserves them when it runs the merge
    return sources;
}

StorageMergeTree::ExactMerge StorageMergeTree::mergeExactly(const std::vector<std::string>& source_names, const std::string& result, QueryContext& ctx) {
    auto info = MergeTreePartInfo::parse(result);
    if (!info) throw Exception(ErrorCodes::BAD_DATA_PART_NAME, "Unexpected part name: " + result);
    if (activePartCovering(*info)) return ExactMerge::Covered;
    std::shared_lock structure(structure_mutex_);
    std::vector<DataPartPtr> sources;
    {
        std::lock_guard lock(mutex_);
        for (auto& n : source_names) {
            auto it = std::find_if(parts_->begin(), parts_->end(), [&](auto& p) { return p->name == n; });
            if (it == parts_->end()) return ExactMerge::Missing;
            if (merging_.count(n)) return ExactMerge::Busy;
            sources.push_back(*it);
        }
        std::sort(sources.begin(), sources.end(), [](auto& a, auto& b) { return a->info < b->info; });
        for (auto& p : sources) merging_.insert(p->name);
    }
    try {
        auto merged = mergeParts(sources, ctx);
        if (merged->name != result) {
            // The sources named a different result (a bug or a foreign log): never publish it.
            merged->remove_on_destroy = true;
            std::lock_guard lock(mutex_);
            for (auto& s : sources) merging_.erase(s->name);
            throw Exception(ErrorCodes::LOGICAL_ERROR, "Merge of " + std::to_string(sources.size()) + " parts gives " + merged->name + ", the log expects " + result);
        }
        // (A merge whose rows all collapse away publishes nothing, on every replica alike.)
        if (!commitMerge(sources, merged)) return ExactMerge::Missing;
    } catch (...) {
        std::lock_guard lock(mutex_);
        for (auto& s : sources) merging_.erase(s->name);
        throw;
    }
    return ExactMerge::Done;
}

DataPartPtr StorageMergeTree::activePartCovering(const MergeTreePartInfo& info) const {
    auto snap = parts();
    for (auto& p : *snap)
        if (p->info == info || p->info.contains(info)) return p;
    return nullptr;
}

std::vector<std::string> StorageMergeTree::attachPartFromDirectory(const std::string& dir, const MergeTreePartInfo& info) {
    std::shared_lock structure(structure_mutex_);
    MutableDataPartPtr part = MergeTreeDataPart::load(dir, info, schema_);   // verifies every file's checksum
    std::lock_guard wlock(write_mutex_);
    std::vector<std::string> replaced;
    commitPart(*part, dir_);
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<DataPartPtr>>();
    for (auto& p : *parts_) {
        if (info.contains(p->info) && !merging_.count(p->name)) {
            p->remove_on_destroy = true;
            replaced.push_back(p->name);
        } else {
            next->push_back(p);
        }
    }
    next->push_back(part);
    std::sort(next->begin(), next->end(), [](auto& a, auto& b) { return a->info < b->info; });
    parts_ = std::move(next);
    return replaced;
}

std::vector<std::string> StorageMergeTree::dropPartsInRange(const MergeTreePartInfo& range, bool detach) {
    std::lock_guard wlock(write_mutex_);
    std::lock_guard lock(mutex_);
    std::vector<std::string> dropped;
    auto next = std::make_shared<std::vector<DataPartPtr>>();
    for (auto& p : *parts_) {
        if (range.contains(p->info)) {
            if (detach) {
                fs::create_directories(fs::path(dir_) / "detached");
                hardLinkDirectory(p->path, dir_ + "detached/" + p->name);
            }
            p->remove_on_destroy = true;
            dropped.push_back(p->name);
        } else {
            next->push_back(p);
        }
    }
    parts_ = std::move(next);
    return dropped;
}

void StorageMergeTree::detachUnexpectedPart(const std::string& name) {
    std::lock_guard wlock(write_mutex_);
    std::lock_guard lock(mutex_);
    auto it = std::find_if(parts_->begin(), parts_->end(), [&](auto& p) { return p->name == name; });
    if (it == parts_->end()) return;
    std::error_code ec;
    fs::create_directories(fs::path(dir_) / "detached", ec);
    fs::rename(fs::path(dir_) / name, fs::path(dir_) / "detached" / ("unexpected_" + name), ec);
    auto next = std::make_shared<std::vector<DataPartPtr>>(*parts_);
    next->erase(next->begin() + (it - parts_->begin()));
    parts_ = std::move(next);
}

void StorageMergeTree::resolveUncommittedPart(const std::string& name, bool keep) {
    std::error_code ec;
    auto info = MergeTreePartInfo::parse(name);
    if (!info || !fs::exists(fs::path(dir_) / name, ec)) return;
    if (!keep) {
        fs::remove_all(fs::path(dir_) / name, ec);
        return;
    }
    std::shared_lock structure(structure_mutex_);
    MutableDataPartPtr part = MergeTreeDataPart::load(dir_ + name + "/", *info, schema_);
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<DataPartPtr>>(*parts_);
    next->push_back(part);
    std::sort(next->begin(), next->end(), [](auto& a, auto& b) { return a->info < b->info; });
    parts_ = std::move(next);
}

void StorageMergeTree::publishReplicatedParts(std::vector<MutableDataPartPtr>& written, bool deduplicate, const std::string& token) {
    // Each part is committed on its own (as ClickHouse: every partition's block is deduplicated
    // separately): renamed into place durably, registered in ZooKeeper (block id, log entry, this
    // replica's part list — one transaction), and only then made visible. A crash between rename
    // and registration leaves a part the replica set does not know: detached as unexpected_ at the
    // next start, and the unacknowledged INSERT can be retried.
    std::lock_guard wlock(write_mutex_);
    for (size_t i = 0; i < written.size(); ++i) {
        auto& p = written[i];
        bool registered = false;
        try {
            commitPart(*p, dir_);
            registered = replication_->commitInsertedPart(*p, deduplicate, token, i);
        } catch (const Exception& e) {
            std::error_code ec;
            // Unknown outcome: the part stays where it is until the replication resolves it.
            if (e.code() != ErrorCodes::UNKNOWN_STATUS_OF_INSERT) fs::remove_all(fs::path(p->path).parent_path(), ec);
            for (size_t j = i + 1; j < written.size(); ++j) {
                fs::remove_all(fs::path(written[j]->path).parent_path(), ec);
                replication_->releaseBlockNumber(written[j]->info.partition_id, written[j]->info.min_block);
            }
            throw;
        }
        if (!registered) {
            std::error_code ec;
            fs::remove_all(fs::path(p->path).parent_path(), ec);   // a block inserted before
            continue;
        }
        std::lock_guard lock(mutex_);
        auto next = std::make_shared<std::vector<DataPartPtr>>(*parts_);
        next->push_back(p);
        std::sort(next->begin(), next->end(), [](auto& a, auto& b) { return a->info < b->info; });
        parts_ = std::move(next);
    }
    replication_->wake();
}

void StorageMergeTree::scheduleMerges() {
    if (!shutdown_) BackgroundMergePool::instance().schedule(weak_from_this());
}

// ---------------------------------------------------------------- background pool
BackgroundMergePool& BackgroundMergePool::instance() {
    static BackgroundMergePool pool;
    return pool;
}

BackgroundMergePool::BackgroundMergePool() {
    unsigned n = std::max(1u, std::min(4u, std::thread::hardware_concurrency() / 2));
    for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { worker(); });
}

BackgroundMergePool::~BackgroundMergePool() { stop(); }

void BackgroundMergePool::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stop_) return;
        stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
}

void BackgroundMergePool::schedule(const std::weak_ptr<StorageMergeTree>& table) {
    {
        std::lock_guard lock(mutex_);
        if (stop_) return;
        if (isQueued(table)) return;
        queue_.push_back(table);
    }
    cv_.notify_one();
}

bool BackgroundMergePool::isQueued(const std::weak_ptr<StorageMergeTree>& table) const {
    for (auto& q : queue_)
        if (!q.owner_before(table) && !table.owner_before(q)) return true;
    return false;
}

void BackgroundMergePool::dropExpiredRegistrations() {
    registered_.erase(std::remove_if(registered_.begin(), registered_.end(), [](auto& w) { return w.expired(); }), registered_.end());
}

void BackgroundMergePool::registerTable(const std::weak_ptr<StorageMergeTree>& table) {
    std::lock_guard lock(mutex_);
    dropExpiredRegistrations();
    registered_.push_back(table);
}

void BackgroundMergePool::worker() {
    // Without inserts nothing schedules a table; every few seconds each one is looked at again
    // (TTL that has come due, mutations to retry), as ClickHouse's background selection does.
    constexpr auto kTick = std::chrono::seconds(3);
    while (true) {
        std::weak_ptr<StorageMergeTree> next;
        {
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, kTick, [&] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            auto now = std::chrono::steady_clock::now();
            if (now - last_tick_ >= kTick) {
                last_tick_ = now;
                dropExpiredRegistrations();
                for (auto& t : registered_)
                    if (!isQueued(t)) queue_.push_back(t);
            }
            if (queue_.empty()) continue;
            next = queue_.front();
            queue_.erase(queue_.begin());
        }
        auto table = next.lock();
        if (!table) continue;
        try {
            if (table->mergeStep()) schedule(next);   // more may be possible
        } catch (const Exception& e) {
            if (e.code() != ErrorCodes::ABORTED) std::cerr << "Background merge failed: " << e.displayText() << "\n";
        } catch (const std::exception& e) {
            std::cerr << "Background merge failed: " << e.what() << "\n";
        }
    }
}

}  // namespace basalt
