// combinators.cpp — wrappers that change how a nested aggregate function sees its rows:
//   NULL skipping (any Nullable argument), -If (last argument is the condition), -OrNull,
//   -Distinct, -Array, and the state combinators: -State (the result is the serialized state, an
//   AggregateFunction(f, T...) value), -Merge (arguments are such states: each is deserialized into
//   a scratch place and merged; -MergeState is State(Merge(f)) and keeps f's state type), and
//   -SimpleState (the final value typed SimpleAggregateFunction(f, R)).
#include <new>

#include "aggregates/aggregate_function.h"
#include "aggregates/aggregate_helpers.h"
#include "common/exception.h"
#include "common/hash_table.h"
#include "types/create_column.h"

namespace basalt {

namespace {

using agg::ScratchPlace;

// Prefix-flag wrapper: [flag byte padded to nested alignment][nested state].
class FlagWrapper : public IAggregateFunction {
public:
    FlagWrapper(std::string name, AggregateFunctionPtr nested, DataTypes args, DataTypePtr rt)
        : IAggregateFunction(std::move(name), std::move(args), nested->parameters(), std::move(rt)), nested_(std::move(nested)) {
        prefix_ = std::max<size_t>(nested_->alignOfData(), 1);
    }
    size_t sizeOfData() const override { return prefix_ + nested_->sizeOfData(); }
    size_t alignOfData() const override { return nested_->alignOfData(); }
    void create(AggregateDataPtr p) const override { p[0] = 0; nested_->create(p + prefix_); }
    void destroy(AggregateDataPtr p) const noexcept override { nested_->destroy(p + prefix_); }
    bool hasTrivialDestructor() const override { return nested_->hasTrivialDestructor(); }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena* a) const override {
        if (r[0]) { p[0] = 1; nested_->merge(p + prefix_, r + prefix_, a); }
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override { out += p[0]; nested_->serialize(p + prefix_, out); }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena* a) const override {
        if (pos >= end) throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Truncated aggregate state");
        p[0] = *pos++;
        nested_->deserialize(p + prefix_, pos, end, a);
    }
protected:
    AggregateFunctionPtr nested_;
    size_t prefix_;
};

class NullSkipping final : public FlagWrapper {
public:
    NullSkipping(AggregateFunctionPtr nested, DataTypes args, bool nullable_result)
        : FlagWrapper(nested->name(), nested, args, nullable_result ? makeNullable(nested->resultType()) : nested->resultType()),
          nullable_result_(nullable_result) {}
    // Strips Nullable columns; returns false if the row has a NULL in any argument.
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena* a) const override {
        size_t n = argumentTypes().size();
        const IColumn* inner[8];
        for (size_t i = 0; i < n && i < 8; ++i) {
            if (cols[i]->isNullable()) {
                auto& nc = static_cast<const ColumnNullable&>(*cols[i]);
                if (nc.isNullAt(row)) return;
                inner[i] = &nc.getNested();
            } else inner[i] = cols[i];
        }
        p[0] = 1;
        nested_->add(p + prefix_, inner, row, a);
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        PODArray<uint8_t> f;
        const IColumn* inner[8];
        stripBatch(rows, cols, filter, f, inner);
        for (size_t i = 0; i < rows; ++i) if (f[i]) places[i][off] = 1;
        nested_->addBatch(rows, places, off + prefix_, inner, a, f.data());
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        PODArray<uint8_t> f;
        const IColumn* inner[8];
        stripBatch(rows, cols, filter, f, inner);
        for (size_t i = 0; i < rows; ++i) if (f[i]) { p[0] = 1; break; }
        nested_->addBatchSinglePlace(rows, p + prefix_, inner, a, f.data());
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena* a) const override {
        if (!nullable_result_) { nested_->insertResultInto(p + prefix_, to, a); return; }
        auto& nc = static_cast<ColumnNullable&>(to);
        if (!p[0]) { nc.insertDefault(); return; }
        nested_->insertResultInto(p + prefix_, nc.getNested(), a);
        nc.getNullMap().push_back(0);
    }
private:
    void stripBatch(size_t rows, const IColumn** cols, const uint8_t* filter, PODArray<uint8_t>& f, const IColumn** inner) const {
        f.resize(rows);
        if (filter) std::memcpy(f.data(), filter, rows);
        else std::memset(f.data(), 1, rows);
        size_t n = argumentTypes().size();
        if (n > 8) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Too many arguments for aggregate function");
        for (size_t k = 0; k < n; ++k) {
            if (cols[k]->isNullable()) {
                auto& nc = static_cast<const ColumnNullable&>(*cols[k]);
                auto& nm = nc.getNullMap();
                for (size_t i = 0; i < rows; ++i) f[i] &= !nm[i];
                inner[k] = &nc.getNested();
            } else inner[k] = cols[k];
        }
    }
    bool nullable_result_;
};

// A combinator whose state is exactly the nested function's: everything forwards to it, and
// subclasses replace what differs (how rows are added, how the result is written).
class StateForwarding : public IAggregateFunction {
public:
    StateForwarding(std::string name, AggregateFunctionPtr nested, DataTypes args, DataTypePtr rt)
        : IAggregateFunction(std::move(name), std::move(args), nested->parameters(), std::move(rt)), nested_(std::move(nested)) {}
    size_t sizeOfData() const override { return nested_->sizeOfData(); }
    size_t alignOfData() const override { return nested_->alignOfData(); }
    void create(AggregateDataPtr p) const override { nested_->create(p); }
    void destroy(AggregateDataPtr p) const noexcept override { nested_->destroy(p); }
    bool hasTrivialDestructor() const override { return nested_->hasTrivialDestructor(); }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena* a) const override { nested_->add(p, cols, row, a); }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        nested_->addBatch(rows, places, off, cols, a, filter);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        nested_->addBatchSinglePlace(rows, p, cols, a, filter);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena* a) const override { nested_->merge(p, r, a); }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override { nested_->serialize(p, out); }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena* a) const override { nested_->deserialize(p, pos, end, a); }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena* a) const override { nested_->insertResultInto(p, to, a); }
protected:
    AggregateFunctionPtr nested_;
};

class IfCombinator final : public StateForwarding {
public:
    IfCombinator(AggregateFunctionPtr nested, DataTypes args)
        : StateForwarding(nested->name() + "If", nested, std::move(args), nested->resultType()) {}
    static bool cond(const IColumn* c, size_t row) {
        if (c->isNullable()) {
            auto& nc = static_cast<const ColumnNullable&>(*c);
            return !nc.isNullAt(row) && static_cast<const ColumnUInt8&>(nc.getNested()).getData()[row];
        }
        return static_cast<const ColumnUInt8*>(c)->getData()[row];
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena* a) const override {
        if (cond(cols[argumentTypes().size() - 1], row)) nested_->add(p, cols, row, a);
    }
    void makeFilter(size_t rows, const IColumn** cols, const uint8_t* filter, PODArray<uint8_t>& f) const {
        f.resize(rows);
        const IColumn* c = cols[argumentTypes().size() - 1];
        for (size_t i = 0; i < rows; ++i) f[i] = (!filter || filter[i]) && cond(c, i);
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        PODArray<uint8_t> f;
        makeFilter(rows, cols, filter, f);
        nested_->addBatch(rows, places, off, cols, a, f.data());
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        PODArray<uint8_t> f;
        makeFilter(rows, cols, filter, f);
        nested_->addBatchSinglePlace(rows, p, cols, a, f.data());
    }
};

// -OrNull / -OrDefault: a flag records whether the nested function saw any row; without rows the
// result is NULL (-OrNull) or the result type's default value (-OrDefault) instead of the nested
// function's own empty answer (avgOrDefault of nothing is 0, not nan).
class OrNullCombinator final : public FlagWrapper {
public:
    OrNullCombinator(AggregateFunctionPtr nested, DataTypes args, bool or_default)
        : FlagWrapper(nested->name() + (or_default ? "OrDefault" : "OrNull"), nested, args,
                      !or_default && nested->resultType()->canBeInsideNullable() ? makeNullable(nested->resultType()) : nested->resultType()),
          or_default_(or_default) {}
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena* a) const override { p[0] = 1; nested_->add(p + prefix_, cols, row, a); }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) places[i][off] = 1;
        nested_->addBatch(rows, places, off + prefix_, cols, a, filter);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) { p[0] = 1; break; }
        nested_->addBatchSinglePlace(rows, p + prefix_, cols, a, filter);
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena* a) const override {
        if (or_default_) {
            if (p[0]) nested_->insertResultInto(p + prefix_, to, a);
            else to.insertDefault();
            return;
        }
        if (resultType()->id != TypeId::Nullable) { nested_->insertResultInto(p + prefix_, to, a); return; }
        auto& nc = static_cast<ColumnNullable&>(to);
        if (!p[0]) { nc.insertDefault(); return; }
        nested_->insertResultInto(p + prefix_, nc.getNested(), a);
        nc.getNullMap().push_back(0);
    }
private:
    bool or_default_;
};

// -Distinct: remembers the argument tuples seen (as serialized bytes) and forwards only new ones.
// Merging replays the other state's distinct set; the nested states are rebuilt at finalize.
struct DistinctState { std::vector<std::string> seen_order; FixedHashMap<UInt128, uint8_t> seen; };

class DistinctCombinator final : public IAggregateFunction {
public:
    DistinctCombinator(AggregateFunctionPtr nested, DataTypes args)
        : IAggregateFunction(nested->name() + "Distinct", args, nested->parameters(), nested->resultType()), nested_(std::move(nested)) {}
    size_t sizeOfData() const override { return sizeof(DistinctState); }
    size_t alignOfData() const override { return alignof(DistinctState); }
    void create(AggregateDataPtr p) const override { new (p) DistinctState{}; }
    void destroy(AggregateDataPtr p) const noexcept override { reinterpret_cast<DistinctState*>(p)->~DistinctState(); }
    void remember(DistinctState& d, std::string key) const {
        uint64_t h1 = bytesHash(key.data(), key.size());
        UInt128 k = (UInt128(h1) << 64) | intHash64(h1 + key.size());
        if (k == 0) k = 1;
        bool ins;
        d.seen.emplace(k, ins);
        if (ins) d.seen_order.push_back(std::move(key));
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        std::string key;
        for (size_t i = 0; i < argumentTypes().size(); ++i) cols[i]->serializeValue(row, key);
        remember(*reinterpret_cast<DistinctState*>(p), std::move(key));
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        for (auto& k : reinterpret_cast<const DistinctState*>(r)->seen_order) remember(*reinterpret_cast<DistinctState*>(p), k);
    }
    // The distinct argument tuples: VarUInt count, then each as VarUInt length + bytes.
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& d = *reinterpret_cast<const DistinctState*>(p);
        agg::writeVarUInt(out, d.seen_order.size());
        for (auto& k : d.seen_order) {
            agg::writeVarUInt(out, k.size());
            out += k;
        }
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& d = *reinterpret_cast<DistinctState*>(p);
        uint64_t n = agg::readVarUInt(pos, end);
        for (uint64_t i = 0; i < n; ++i) {
            uint64_t len = agg::readVarUInt(pos, end);
            if (uint64_t(end - pos) < len) agg::throwTruncated();
            remember(d, std::string(pos, len));
            pos += len;
        }
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena* a) const override {
        auto& d = *reinterpret_cast<DistinctState*>(p);
        std::vector<MutableColumnPtr> cols;
        for (auto& t : argumentTypes()) cols.push_back(createColumn(t));
        for (auto& k : d.seen_order) {
            const char* pos = k.data();
            for (auto& c : cols) c->deserializeAndInsert(pos);
        }
        std::vector<char> state(nested_->sizeOfData() + nested_->alignOfData());
        char* place = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(state.data()) + nested_->alignOfData() - 1) & ~(uintptr_t(nested_->alignOfData()) - 1));
        nested_->create(place);
        std::vector<const IColumn*> raw;
        for (auto& c : cols) raw.push_back(c.get());
        try {
            nested_->addBatchSinglePlace(d.seen_order.size(), place, raw.data(), a);
            nested_->insertResultInto(place, to, a);
        } catch (...) {
            nested_->destroy(place);
            throw;
        }
        nested_->destroy(place);
    }
private:
    AggregateFunctionPtr nested_;
};

// Row `row` of array arguments (-Array, -ForEach): the element range [begin, end) shared by every
// argument (SIZES_OF_ARRAYS_DONT_MATCH otherwise) and the element columns in `inner`.
std::pair<size_t, size_t> arrayRow(const IAggregateFunction& f, const IColumn** cols, size_t row, std::vector<const IColumn*>& inner) {
    size_t n = f.argumentTypes().size();
    inner.resize(n);
    auto& first = static_cast<const ColumnArray&>(*cols[0]);
    size_t b = first.offsetAt(row), e = first.getOffsets()[row];
    for (size_t k = 0; k < n; ++k) {
        auto& arr = static_cast<const ColumnArray&>(*cols[k]);
        if (arr.sizeAt(row) != e - b)
            throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Arrays passed to " + f.name() + " aggregate function have different sizes");
        inner[k] = &arr.getData();
    }
    return {b, e};
}

class ArrayCombinator final : public StateForwarding {
public:
    ArrayCombinator(AggregateFunctionPtr nested, DataTypes args)
        : StateForwarding(nested->name() + "Array", nested, std::move(args), nested->resultType()) {}
    // Rows are arrays: every batch form goes element by element through add().
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        IAggregateFunction::addBatch(rows, places, off, cols, a, filter);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        IAggregateFunction::addBatchSinglePlace(rows, p, cols, a, filter);
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena* a) const override {
        std::vector<const IColumn*> inner;
        auto [b, e] = arrayRow(*this, cols, row, inner);
        for (size_t i = b; i < e; ++i) nested_->add(p, inner.data(), i, a);
    }
};

// -ForEach: f over the arrays' elements position by position; the result is an array of f's
// results. The state is a growable run of nested states in the arena (moved with memcpy on growth,
// as ClickHouse does: states are relocatable).
struct ForEachState {
    size_t count = 0;
    char* states = nullptr;
};

class ForEachCombinator final : public IAggregateFunction {
public:
    ForEachCombinator(AggregateFunctionPtr nested, DataTypes args)
        : IAggregateFunction(nested->name() + "ForEach", std::move(args), nested->parameters(), makeArray(nested->resultType())),
          nested_(std::move(nested)), stride_((nested_->sizeOfData() + nested_->alignOfData() - 1) / nested_->alignOfData() * nested_->alignOfData()) {}
    size_t sizeOfData() const override { return sizeof(ForEachState); }
    size_t alignOfData() const override { return alignof(ForEachState); }
    void create(AggregateDataPtr p) const override { new (p) ForEachState{}; }
    void destroy(AggregateDataPtr p) const noexcept override {
        auto& s = *reinterpret_cast<ForEachState*>(p);
        for (size_t i = 0; i < s.count; ++i) nested_->destroy(s.states + i * stride_);
    }
    // Makes room for n elements (new ones created).
    ForEachState& ensure(AggregateDataPtr p, size_t n, Arena* a) const {
        auto& s = *reinterpret_cast<ForEachState*>(p);
        if (n <= s.count) return s;
        if (!a) throw Exception(ErrorCodes::LOGICAL_ERROR, "-ForEach needs an arena");
        char* grown = a->alloc(n * stride_, std::max<size_t>(nested_->alignOfData(), 1));
        if (s.count) std::memcpy(grown, s.states, s.count * stride_);
        for (size_t i = s.count; i < n; ++i) nested_->create(grown + i * stride_);
        s.states = grown;
        s.count = n;
        return s;
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena* a) const override {
        std::vector<const IColumn*> inner;
        auto [b, e] = arrayRow(*this, cols, row, inner);
        auto& s = ensure(p, e - b, a);
        for (size_t i = b; i < e; ++i) nested_->add(s.states + (i - b) * stride_, inner.data(), i, a);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena* a) const override {
        auto& rs = *reinterpret_cast<const ForEachState*>(r);
        auto& s = ensure(p, rs.count, a);
        for (size_t i = 0; i < rs.count; ++i) nested_->merge(s.states + i * stride_, rs.states + i * stride_, a);
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& s = *reinterpret_cast<const ForEachState*>(p);
        agg::writeVarUInt(out, s.count);
        for (size_t i = 0; i < s.count; ++i) nested_->serialize(s.states + i * stride_, out);
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena* a) const override {
        uint64_t n = agg::readVarUInt(pos, end);
        if (n > uint64_t(end - pos) + 1) agg::throwTruncated();   // every element takes at least a byte
        auto& s = ensure(p, n, a);
        for (size_t i = 0; i < n; ++i) nested_->deserialize(s.states + i * stride_, pos, end, a);
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena* a) const override {
        auto& s = *reinterpret_cast<ForEachState*>(p);
        auto& arr = static_cast<ColumnArray&>(to);
        for (size_t i = 0; i < s.count; ++i) nested_->insertResultInto(s.states + i * stride_, arr.getData(), a);
        arr.getOffsets().push_back(arr.getData().size());
    }
private:
    AggregateFunctionPtr nested_;
    size_t stride_;
};


class StateCombinator final : public StateForwarding {
public:
    StateCombinator(AggregateFunctionPtr nested, DataTypes args, DataTypePtr state_type)
        : StateForwarding(nested->name() + "State", nested, std::move(args), std::move(state_type)) {}
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        std::string buf;
        nested_->serialize(p, buf);
        static_cast<ColumnString&>(to).insertData(buf);
    }
};

// Arguments: one column of serialized states of `nested`.
class MergeCombinator final : public StateForwarding {
public:
    MergeCombinator(AggregateFunctionPtr nested, DataTypes args)
        : StateForwarding(nested->name() + "Merge", nested, std::move(args), nested->resultType()) {}
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena* a) const override {
        ScratchPlace scratch(*nested_);
        nested_->merge(p, scratch.load(static_cast<const ColumnString&>(*cols[0]).getView(row), a), a);
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        auto& states = static_cast<const ColumnString&>(*cols[0]);
        ScratchPlace scratch(*nested_);
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) nested_->merge(places[i] + off, scratch.load(states.getView(i), a), a);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        auto& states = static_cast<const ColumnString&>(*cols[0]);
        ScratchPlace scratch(*nested_);
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) nested_->merge(p, scratch.load(states.getView(i), a), a);
    }
};

// -SimpleState: f's final value, typed SimpleAggregateFunction(f, R).
class SimpleStateCombinator final : public StateForwarding {
public:
    SimpleStateCombinator(AggregateFunctionPtr nested, DataTypes args, DataTypePtr rt)
        : StateForwarding(nested->name() + "SimpleState", nested, std::move(args), std::move(rt)) {}
};

// "f" or "f(p1, p2)" as AggregateFunction type names print it.
std::string printedName(const IAggregateFunction& f) {
    std::string s = f.name();
    if (f.parameters().empty()) return s;
    s += "(";
    for (size_t i = 0; i < f.parameters().size(); ++i) s += (i ? ", " : "") + f.parameters()[i].toSQL();
    return s + ")";
}

}  // namespace

AggregateFunctionPtr makeStateCombinator(AggregateFunctionPtr nested, const DataTypes& args) {
    // fMergeState keeps f's state type: the merged state is f's state.
    DataTypePtr state_type;
    if (dynamic_cast<const MergeCombinator*>(nested.get())) state_type = args[0];
    else state_type = makeAggregateFunctionType(nested, printedName(*nested), args);
    return std::make_shared<StateCombinator>(nested, args, state_type);
}

AggregateFunctionPtr makeMergeCombinator(const std::string& nested_name, const DataTypes& args, const std::vector<Field>& params) {
    if (args.size() != 1)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Incorrect number of arguments for aggregate function with Merge suffix");
    const DataType& t = *args[0];
    if (t.id != TypeId::AggregateFunction)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t.name() +
                                                                  " of argument for aggregate function with Merge suffix. It must be AggregateFunction(...)");
    std::string fname = t.function.substr(0, t.function.find('('));
    if (fname != nested_name) {
        // As ClickHouse: the named function over the state's argument types first (its own errors),
        // then the state type must be that function's.
        auto expected = AggregateFunctionFactory::instance().get(nested_name, t.nested, params);
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t.name() + " of argument for aggregate function " + nested_name +
                                                                  "Merge, expected " + makeAggregateFunctionType(expected, printedName(*expected), t.nested)->name() + " or equivalent type");
    }
    return std::make_shared<MergeCombinator>(t.aggregate_function, args);
}

AggregateFunctionPtr makeSimpleStateCombinator(AggregateFunctionPtr nested, const DataTypes& args) {
    auto rt = std::make_shared<DataType>(*removeSimpleAggregate(nested->resultType()));
    rt->simple_function = nested->name();
    rt->aggregate_function = nested;
    return std::make_shared<SimpleStateCombinator>(nested, args, rt);
}

AggregateFunctionPtr makeIfCombinator(AggregateFunctionPtr nested, const DataTypes& args) { return std::make_shared<IfCombinator>(nested, args); }
AggregateFunctionPtr makeNullSkipping(AggregateFunctionPtr nested, const DataTypes& args, bool nullable_result) {
    return std::make_shared<NullSkipping>(nested, args, nullable_result);
}
AggregateFunctionPtr makeOrNullCombinator(AggregateFunctionPtr nested, const DataTypes& args) { return std::make_shared<OrNullCombinator>(nested, args, false); }
AggregateFunctionPtr makeOrDefaultCombinator(AggregateFunctionPtr nested, const DataTypes& args) { return std::make_shared<OrNullCombinator>(nested, args, true); }
AggregateFunctionPtr makeDistinctCombinator(AggregateFunctionPtr nested, const DataTypes& args) { return std::make_shared<DistinctCombinator>(nested, args); }
AggregateFunctionPtr makeForEachCombinator(AggregateFunctionPtr nested, const DataTypes& args) { return std::make_shared<ForEachCombinator>(nested, args); }
AggregateFunctionPtr makeArrayCombinator(AggregateFunctionPtr nested, const DataTypes& args) { return std::make_shared<ArrayCombinator>(nested, args); }
void registerCombinators(AggregateFunctionFactory&) {}

}  // namespace basalt
