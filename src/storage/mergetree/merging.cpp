// merging.cpp — the MergeTree family's merging modes (see merging.h): engine arguments, and the
// group-by-sorting-key collapse shared by merges, optimize_on_insert and SELECT ... FINAL.
// Each block is split into runs of equal sorting key once; the mode then picks rows (Replacing,
// Collapsing, VersionedCollapsing: one permute of the block) or aggregates every run with one
// addBatch per column over per-run states (Summing, Aggregating).
#include "storage/mergetree/merging.h"

#include <algorithm>
#include <optional>
#include <set>

#include "aggregates/aggregate_helpers.h"
#include "common/exception.h"
#include "exec/block_ops.h"
#include "sql/ast.h"
#include "types/create_column.h"
#include "types/nested.h"

namespace basalt {

namespace {

std::vector<std::string> identifierList(const ASTPtr& a) {
    if (auto* id = a->as<ASTIdentifier>()) return {id->name()};
    if (auto* f = a->as<ASTFunction>(); f && f->name == "tuple") {
        std::vector<std::string> r;
        for (auto& x : f->arguments) for (auto& n : identifierList(x)) r.push_back(n);
        return r;
    }
    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Engine argument must be a column name, got " + a->getColumnName());
}

const NameAndType* findColumn(const std::vector<NameAndType>& columns, const std::string& name) {
    for (auto& c : columns) if (c.name == name) return &c;
    return nullptr;
}

bool isVersionType(const DataType& t) {
    return t.isInteger() || t.id == TypeId::Date || t.id == TypeId::Date32 || t.id == TypeId::DateTime || t.id == TypeId::DateTime64;
}

// Whether SummingMergeTree sums a column of this type as a number.
bool isSummableNumber(const DataType& t) {
    return (t.isNumber() || t.isDecimal()) && !t.isSimpleAggregate();
}

bool endsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ClickHouse's nested maps: Array columns `<x>Map.<a>` of one Nested structure, at least two; the
// first column and those named *ID / *Key / *Type are the key (no floats), the others numbers.
std::vector<MergingParams::NestedMap> findNestedMaps(const std::vector<NameAndType>& columns) {
    std::vector<std::pair<std::string, std::vector<const NameAndType*>>> tables;
    for (auto& c : columns) {
        if (c.type->id != TypeId::Array) continue;
        std::string table = nestedTableName(c.name);
        if (!endsWith(table, "Map")) continue;
        auto it = std::find_if(tables.begin(), tables.end(), [&](auto& t) { return t.first == table; });
        if (it == tables.end()) tables.push_back({table, {&c}});
        else it->second.push_back(&c);
    }
    std::vector<MergingParams::NestedMap> maps;
    for (auto& [table, cols] : tables) {
        if (cols.size() < 2) continue;
        MergingParams::NestedMap m;
        bool valid = true;
        for (size_t i = 0; i < cols.size() && valid; ++i) {
            const DataType& element = *cols[i]->type->nested[0];
            std::string sub = cols[i]->name.substr(table.size() + 1);
            if (i == 0 || endsWith(sub, "ID") || endsWith(sub, "Key") || endsWith(sub, "Type")) {
                const DataType& k = *removeLowCardinality(cols[i]->type->nested[0]);
                valid = !k.isFloat() && !k.isNullable() && k.id != TypeId::Array && k.id != TypeId::Tuple && k.id != TypeId::Map &&
                        k.id != TypeId::AggregateFunction;
                m.keys.push_back(cols[i]->name);
            } else {
                valid = (element.isNumber() || element.isDecimal()) && !element.isSimpleAggregate();
                m.values.push_back(cols[i]->name);
            }
        }
        if (valid && !m.values.empty()) maps.push_back(std::move(m));
    }
    return maps;
}

int8_t signAt(const ColumnInt8& c, size_t row) {
    int8_t s = c.getData()[row];
    if (s != 1 && s != -1) throw Exception(ErrorCodes::INCORRECT_DATA, "Incorrect data: Sign = " + std::to_string(int(s)) + " (must be 1 or -1)");
    return s;
}

}  // namespace

MergingParams MergingParams::fromEngine(const ASTFunction& engine, const std::vector<NameAndType>& columns) {
    MergingParams p;
    const std::string& e = engine.name;
    auto args = [&](size_t min, size_t max, const char* what) {
        if (engine.arguments.size() < min || engine.arguments.size() > max)
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH,
                            "With extended storage definition syntax storage " + e + " requires " +
                                (min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max)) + " parameters: \n" + what);
    };
    auto column = [&](size_t i, const char* role) -> const NameAndType& {
        auto names = identifierList(engine.arguments[i]);
        if (names.size() != 1) throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string(role) + " column for storage " + e + " must be one column name");
        const NameAndType* c = findColumn(columns, names[0]);
        if (!c) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, std::string(role) + " column " + names[0] + " does not exist in table declaration.");
        return *c;
    };
    auto checkSign = [&](const NameAndType& c) {
        if (c.type->id != TypeId::Int8)
            throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, "Sign column (" + c.name + ") for storage " + e +
                                                               " must have type Int8. Provided column of type " + c.type->name() + ".");
        p.sign_column = c.name;
    };
    auto checkVersion = [&](const NameAndType& c) {
        if (!isVersionType(*c.type))
            throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, "The column " + c.name + " cannot be used as a version column for storage " + e +
                                                               " because it is of type " + c.type->name() +
                                                               " (must be of an integer type or of type Date/DateTime/DateTime64)");
        p.version_column = c.name;
    };
    if (e == "MergeTree") {
        args(0, 0, "");
    } else if (e == "ReplacingMergeTree") {
        p.mode = Mode::Replacing;
        args(0, 2, "[version column], [is_deleted column]");
        if (engine.arguments.size() >= 1) checkVersion(column(0, "Version"));
        if (engine.arguments.size() == 2) {
            auto& c = column(1, "is_deleted");
            if (c.type->id != TypeId::UInt8)
                throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, "is_deleted column (" + c.name + ") for storage ReplacingMergeTree must have type UInt8. Provided column of type " +
                                                                   c.type->name() + ".");
            p.is_deleted_column = c.name;
        }
    } else if (e == "SummingMergeTree") {
        p.mode = Mode::Summing;
        args(0, 1, "[columns to sum]");
        if (engine.arguments.size() == 1)
            for (auto& n : identifierList(engine.arguments[0])) {
                // A Nested structure may be listed by its name (its nested map is summed anyway).
                bool nested = std::any_of(columns.begin(), columns.end(), [&](const NameAndType& c) { return nestedTableName(c.name) == n; });
                if (!findColumn(columns, n) && !nested)
                    throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "Column " + n + " listed in columns to sum does not exist in table declaration.");
                p.columns_to_sum.push_back(n);
            }
        p.nested_maps = findNestedMaps(columns);
    } else if (e == "AggregatingMergeTree") {
        p.mode = Mode::Aggregating;
        args(0, 0, "");
    } else if (e == "CollapsingMergeTree") {
        p.mode = Mode::Collapsing;
        args(1, 1, "sign column");
        checkSign(column(0, "Sign"));
    } else if (e == "VersionedCollapsingMergeTree") {
        p.mode = Mode::VersionedCollapsing;
        args(2, 2, "sign column\nversion column");
        checkSign(column(0, "Sign"));
        checkVersion(column(1, "Version"));
    } else {
        throw Exception(ErrorCodes::UNKNOWN_STORAGE, "Unknown table engine " + e);
    }
    return p;
}

std::vector<std::string> MergingParams::requiredColumns() const {
    std::vector<std::string> r;
    for (auto* c : {&sign_column, &version_column, &is_deleted_column})
        if (!c->empty()) r.push_back(*c);
    return r;
}

// ---------------------------------------------------------------- aggregation of runs
struct SortedGroupMerger::Impl {
    enum class Kind { SumNumber, MergeStates, Simple };
    struct Aggregated {
        size_t position;
        Kind kind;
        AggregateFunctionPtr function;   // SumNumber: sumWithOverflow(T); MergeStates: f; Simple: f(T)
    };
    std::vector<Aggregated> aggregated;
    struct NestedMapPositions {
        std::vector<size_t> keys, values;
        std::vector<AggregateFunctionPtr> sums;   // sumWithOverflow(element type) per value column
    };
    std::vector<NestedMapPositions> nested_maps;

    // Sums a nested map within each run [starts[g], starts[g+1]) of `block` into `out` (one row per
    // run): entries sorted by key, equal keys summed, all-zero entries dropped.
    static void sumNestedMap(const NestedMapPositions& m, const Block& block, const std::vector<uint32_t>& starts, Block& out);
};

void SortedGroupMerger::Impl::sumNestedMap(const NestedMapPositions& m, const Block& block, const std::vector<uint32_t>& starts, Block& out) {
    auto arrayAt = [&](size_t position) {
        ColumnPtr c = block.at(position).column;
        return c->convertToFullColumn(c);
    };
    std::vector<ColumnPtr> key_arrays, value_arrays;
    for (size_t p : m.keys) key_arrays.push_back(arrayAt(p));
    for (size_t p : m.values) value_arrays.push_back(arrayAt(p));
    // Every array of the structure has the first key's sizes (checked at INSERT).
    const auto& first = static_cast<const ColumnArray&>(*key_arrays[0]);
    std::vector<const IColumn*> key_data, value_data;
    for (auto& a : key_arrays) key_data.push_back(&static_cast<const ColumnArray&>(*a).getData());
    for (auto& a : value_arrays) {
        const auto& arr = static_cast<const ColumnArray&>(*a);
        if (arr.getOffsets().size() != first.getOffsets().size() || arr.offsetAt(arr.size()) != first.offsetAt(first.size()))
            throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Arrays of a nested map have different sizes");
        value_data.push_back(&arr.getData());
    }
    auto keyLess = [&](uint32_t a, uint32_t b) {
        for (auto* k : key_data) {
            int c = k->compareAt(a, b, *k, 1);
            if (c) return c < 0;
        }
        return false;
    };
    // Elements of run g are the contiguous slice [offsetAt(starts[g]), offsetAt(starts[g + 1])).
    size_t runs = starts.size() - 1;
    size_t elements = first.offsetAt(starts.back());
    Permutation order;
    order.reserve(elements);
    std::vector<uint32_t> entry_of(elements);     // element → entry
    Permutation entry_first;                       // entry → one of its elements
    std::vector<uint32_t> run_entries_end(runs);   // entries of run g end here
    for (size_t g = 0; g < runs; ++g) {
        size_t base = order.size();
        for (size_t e = first.offsetAt(starts[g]); e < first.offsetAt(starts[g + 1]); ++e) order.push_back(uint32_t(e));
        std::stable_sort(order.begin() + base, order.end(), keyLess);
        for (size_t i = base; i < order.size(); ++i) {
            if (i == base || keyLess(order[i - 1], order[i])) entry_first.push_back(order[i]);
            entry_of[order[i]] = uint32_t(entry_first.size() - 1);
        }
        run_entries_end[g] = uint32_t(entry_first.size());
    }
    size_t entries = entry_first.size();
    Arena arena;
    PODArray<char*> element_places(elements);
    std::vector<char*> entry_places(entries);
    std::vector<ColumnPtr> sums;
    Filter nonzero;
    nonzero.resize_fill(entries, 0);
    for (size_t v = 0; v < m.values.size(); ++v) {
        const IAggregateFunction& f = *m.sums[v];
        for (auto& p : entry_places) {
            p = arena.alloc(f.sizeOfData(), f.alignOfData());
            f.create(p);
        }
        for (size_t e = 0; e < elements; ++e) element_places[e] = entry_places[entry_of[e]];
        const IColumn* cols[1] = {value_data[v]};
        f.addBatch(elements, element_places.data(), 0, cols, &arena);
        auto result = value_data[v]->cloneEmpty();
        result->reserve(entries);
        for (auto* p : entry_places) f.insertResultInto(p, *result, &arena);
        size_t w = result->valueSizeOfFixed();
        const char* data = result->rawData();
        for (size_t e = 0; e < entries; ++e)
            if (!nonzero[e])
                for (size_t b = 0; b < w; ++b)
                    if (data[e * w + b]) { nonzero[e] = 1; break; }
        sums.push_back(std::move(result));
    }
    size_t kept = 0;
    for (uint8_t x : nonzero) kept += x;
    Offsets offsets(runs);
    for (size_t g = 0, e = 0, total = 0; g < runs; ++g) {
        for (; e < run_entries_end[g]; ++e) total += nonzero[e];
        offsets[g] = total;
    }
    auto arrayOf = [&](ColumnPtr data) {
        ColumnPtr filtered = kept == entries ? data : data->filter(nonzero, kept);
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(filtered), offsets);
    };
    for (size_t k = 0; k < m.keys.size(); ++k) out.at(m.keys[k]).column = arrayOf(key_data[k]->permute(entry_first, entry_first.size()));
    for (size_t v = 0; v < m.values.size(); ++v) out.at(m.values[v]).column = arrayOf(sums[v]);
}

SortedGroupMerger::SortedGroupMerger(const MergingParams& params, std::vector<NameAndType> columns, const std::vector<std::string>& key_sources,
                                     bool final)
    : params_(params), columns_(std::move(columns)), final_(final), impl_(std::make_unique<Impl>()) {
    std::set<std::string> keys(key_sources.begin(), key_sources.end());
    if (params_.mode != MergingParams::Mode::Summing && params_.mode != MergingParams::Mode::Aggregating) return;
    auto& factory = AggregateFunctionFactory::instance();
    // A nested map is summed only when the block carries all its columns.
    auto positionOf = [&](const std::string& name) -> std::optional<size_t> {
        for (size_t i = 0; i < columns_.size(); ++i) if (columns_[i].name == name) return i;
        return std::nullopt;
    };
    for (auto& m : params_.nested_maps) {
        Impl::NestedMapPositions pos;
        bool complete = true;
        for (auto& n : m.keys) { auto p = positionOf(n); complete = complete && p; if (p) pos.keys.push_back(*p); }
        for (auto& n : m.values) {
            auto p = positionOf(n);
            complete = complete && p;
            if (!p) continue;
            pos.values.push_back(*p);
            pos.sums.push_back(factory.get("sumWithOverflow", {columns_[*p].type->nested[0]}, {}));
        }
        if (complete) impl_->nested_maps.push_back(std::move(pos));
    }
    for (size_t i = 0; i < columns_.size(); ++i) {
        const auto& c = columns_[i];
        if (keys.count(c.name)) continue;
        if (c.type->id == TypeId::AggregateFunction) {
            impl_->aggregated.push_back({i, Impl::Kind::MergeStates, c.type->aggregate_function});
        } else if (c.type->isSimpleAggregate()) {
            impl_->aggregated.push_back({i, Impl::Kind::Simple, c.type->aggregate_function});
        } else if (params_.mode == MergingParams::Mode::Summing && isSummableNumber(*c.type) &&
                   (params_.columns_to_sum.empty() ||
                    std::find(params_.columns_to_sum.begin(), params_.columns_to_sum.end(), c.name) != params_.columns_to_sum.end())) {
            impl_->aggregated.push_back({i, Impl::Kind::SumNumber, factory.get("sumWithOverflow", {c.type}, {})});
        }
    }
}

SortedGroupMerger::~SortedGroupMerger() = default;

Block SortedGroupMerger::push(Block block, Block keys, bool last) {
    if (params_.ordinary()) return block;
    if (pending_.rows()) {
        block = concatBlocks({pending_, block}, pending_);
        keys = concatBlocks({pending_keys_, keys}, pending_keys_);
        pending_ = Block();
        pending_keys_ = Block();
    }
    size_t n = block.rows();
    if (!last && n) {
        size_t s = n - 1;
        auto equalRows = [&](size_t a, size_t b) {
            for (auto& k : keys.data())
                if (k.column->compareAt(a, b, *k.column, 1) != 0) return false;
            return true;
        };
        while (s > 0 && equalRows(s, s - 1)) --s;
        pending_ = cutBlock(block, s, n - s);
        pending_keys_ = cutBlock(keys, s, n - s);
        block = cutBlock(block, 0, s);
        keys = cutBlock(keys, 0, s);
        // One key spanning many blocks: Replacing/Summing/Aggregating pre-merge what is held back
        // (their merges are associative), so memory stays bounded.
        if (pending_.rows() > 65536 && (params_.mode == MergingParams::Mode::Replacing || params_.mode == MergingParams::Mode::Summing ||
                                        params_.mode == MergingParams::Mode::Aggregating)) {
            bool was_final = final_;
            final_ = false;
            Block merged = mergeGroups(pending_, pending_keys_);
            final_ = was_final;
            if (merged.rows()) {
                pending_ = merged;
                pending_keys_ = cutBlock(pending_keys_, 0, merged.rows());
            }
        }
    }
    if (!block.rows()) return block;
    return mergeGroups(block, keys);
}

Block SortedGroupMerger::mergeGroups(const Block& block, const Block& keys) const {
    size_t n = block.rows();
    // starts[g]: first row of run g; starts.back() == n.
    std::vector<uint32_t> starts;
    starts.push_back(0);
    {
        std::vector<uint8_t> boundary(n, 0);
        for (auto& k : keys.data()) {
            const IColumn& c = *k.column;
            for (size_t r = 1; r < n; ++r)
                if (!boundary[r] && c.compareAt(r, r - 1, c, 1) != 0) boundary[r] = 1;
        }
        for (size_t r = 1; r < n; ++r) if (boundary[r]) starts.push_back(uint32_t(r));
        starts.push_back(uint32_t(n));
    }
    size_t groups = starts.size() - 1;
    auto columnOf = [&](const std::string& name) -> ColumnPtr {
        for (auto& c : block.data()) if (c.name == name) return c.column->convertToFullColumn(c.column);
        throw Exception(ErrorCodes::LOGICAL_ERROR, "Merging column " + name + " is missing from the block");
    };
    auto permuted = [&](const Permutation& rows) {
        Block out;
        for (auto& c : block.data()) out.insert({c.column->permute(rows, rows.size()), c.type, c.name});
        if (rows.empty()) for (auto& c : out.data()) c.column = c.column->cloneEmpty();
        return out;
    };
    Permutation pick;
    using Mode = MergingParams::Mode;
    switch (params_.mode) {
        case Mode::Ordinary: return block;
        case Mode::Replacing: {
            ColumnPtr version = params_.version_column.empty() ? nullptr : columnOf(params_.version_column);
            ColumnPtr deleted = params_.is_deleted_column.empty() ? nullptr : columnOf(params_.is_deleted_column);
            for (size_t g = 0; g < groups; ++g) {
                size_t best = starts[g + 1] - 1;   // without a version: the last row
                if (version) {
                    best = starts[g];
                    for (size_t r = starts[g] + 1; r < starts[g + 1]; ++r)
                        if (version->compareAt(r, best, *version, 1) >= 0) best = r;
                }
                if (final_ && deleted && static_cast<const ColumnUInt8&>(*deleted).getData()[best]) continue;
                pick.push_back(uint32_t(best));
            }
            return permuted(pick);
        }
        case Mode::Collapsing: {
            auto sign_col = columnOf(params_.sign_column);
            auto& sign = static_cast<const ColumnInt8&>(*sign_col);
            for (size_t g = 0; g < groups; ++g) {
                size_t positive = 0, negative = 0, first_negative = 0, last_positive = 0;
                bool last_is_positive = false;
                for (size_t r = starts[g]; r < starts[g + 1]; ++r) {
                    if (signAt(sign, r) > 0) { ++positive; last_positive = r; last_is_positive = true; }
                    else { if (!negative) first_negative = r; ++negative; last_is_positive = false; }
                }
                if (!last_is_positive && positive == negative) continue;
                if (positive <= negative && negative && !final_) pick.push_back(uint32_t(first_negative));
                if (positive >= negative && positive) pick.push_back(uint32_t(last_positive));
            }
            return permuted(pick);
        }
        case Mode::VersionedCollapsing: {
            // The version is part of the sorting key, so a run is one key and one version.
            auto sign_col = columnOf(params_.sign_column);
            auto& sign = static_cast<const ColumnInt8&>(*sign_col);
            std::vector<uint32_t> kept;
            for (size_t g = 0; g < groups; ++g) {
                kept.clear();
                for (size_t r = starts[g]; r < starts[g + 1]; ++r) {
                    int8_t s = signAt(sign, r);
                    // A row cancels the most recent kept row of the opposite sign.
                    if (!kept.empty() && sign.getData()[kept.back()] != s) kept.pop_back();
                    else kept.push_back(uint32_t(r));
                }
                for (uint32_t r : kept) pick.push_back(r);
            }
            return permuted(pick);
        }
        case Mode::Summing: case Mode::Aggregating: break;
    }

    // Summing / Aggregating: non-aggregated columns from each run's first row, aggregated columns
    // from one state per run.
    for (size_t g = 0; g < groups; ++g) pick.push_back(starts[g]);
    Block out = permuted(pick);
    for (auto& m : impl_->nested_maps) Impl::sumNestedMap(m, block, starts, out);
    if (impl_->aggregated.empty()) return out;
    Arena arena;
    PODArray<char*> row_places(n);
    std::vector<char*> group_places(groups);
    Filter nonzero;
    size_t nonzero_count = 0;
    bool any_number = false;
    for (auto& agg : impl_->aggregated) {
        const IAggregateFunction& f = *agg.function;
        ColumnPtr src = block.at(agg.position).column;
        src = src->convertToFullColumn(src);
        for (size_t g = 0; g < groups; ++g) {
            group_places[g] = arena.alloc(f.sizeOfData(), f.alignOfData());
            f.create(group_places[g]);
        }
        auto result = createColumn(agg.kind == Impl::Kind::MergeStates ? block.at(agg.position).type : removeSimpleAggregate(f.resultType()));
        result->reserve(groups);
        try {
            if (agg.kind == Impl::Kind::MergeStates) {
                // The run's first state is read straight into the run's place; later ones are merged.
                auto& states = static_cast<const ColumnString&>(*src);
                agg::ScratchPlace scratch(f);
                for (size_t g = 0; g < groups; ++g) {
                    for (size_t r = starts[g]; r < starts[g + 1]; ++r) {
                        auto v = states.getView(r);
                        if (r == starts[g]) {
                            const char* pos = v.data();
                            f.deserialize(group_places[g], pos, v.data() + v.size(), &arena);
                        } else {
                            f.merge(group_places[g], scratch.load(v, &arena), &arena);
                        }
                    }
                }
                std::string buf;
                for (size_t g = 0; g < groups; ++g) {
                    buf.clear();
                    f.serialize(group_places[g], buf);
                    static_cast<ColumnString&>(*result).insertData(buf);
                }
            } else {
                for (size_t g = 0; g < groups; ++g)
                    for (size_t r = starts[g]; r < starts[g + 1]; ++r) row_places[r] = group_places[g];
                const IColumn* cols[1] = {src.get()};
                f.addBatch(n, row_places.data(), 0, cols, &arena);
                for (size_t g = 0; g < groups; ++g) f.insertResultInto(group_places[g], *result, &arena);
            }
        } catch (...) {
            if (!f.hasTrivialDestructor()) for (auto* p : group_places) f.destroy(p);
            throw;
        }
        if (!f.hasTrivialDestructor()) for (auto* p : group_places) f.destroy(p);
        if (agg.kind == Impl::Kind::SumNumber) {
            // SummingMergeTree drops a row whose summed numbers are all zero.
            if (!any_number) { nonzero.resize_fill(groups, 0); any_number = true; }
            size_t w = result->valueSizeOfFixed();
            const char* data = result->rawData();
            for (size_t g = 0; g < groups; ++g)
                if (!nonzero[g])
                    for (size_t b = 0; b < w; ++b)
                        if (data[g * w + b]) { nonzero[g] = 1; break; }
        }
        out.at(agg.position).column = std::move(result);
    }
    // ClickHouse keeps all-zero rows of a table with nested maps.
    if (any_number && params_.mode == MergingParams::Mode::Summing && params_.nested_maps.empty()) {
        for (uint8_t v : nonzero) nonzero_count += v;
        if (nonzero_count < groups) {
            Block filtered;
            for (auto& c : out.data()) filtered.insert({c.column->filter(nonzero, nonzero_count), c.type, c.name});
            return filtered;
        }
    }
    return out;
}

}  // namespace basalt
