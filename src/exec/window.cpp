// window.cpp — see window.h.
#include "exec/window.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// Row positions inside the sorted block: [begin, end) of each partition, the start of each row's
// peer group and the end of it.
struct Layout {
    std::vector<uint32_t> partitions;   // partition starts, then rows
    std::vector<uint32_t> peer_begin, peer_end;
};

// flags[i] = 1 where row i differs from row i - 1 in any of `cols`.
void markChanges(const std::vector<ColumnPtr>& cols, std::vector<uint8_t>& flags) {
    size_t n = flags.size();
    for (auto& c : cols) {
        const IColumn& col = *c;
        for (size_t i = 1; i < n; ++i)
            if (!flags[i] && col.compareAt(i, i - 1, col, 1) != 0) flags[i] = 1;
    }
}

Layout computeLayout(const Block& sorted, const WindowSpec& spec) {
    size_t n = sorted.rows();
    Layout l;
    std::vector<ColumnPtr> pcols, ocols;
    for (size_t p : spec.partition_by) pcols.push_back(materialize(sorted.at(p).column));
    for (auto& o : spec.order_by) ocols.push_back(materialize(sorted.at(o.position).column));
    std::vector<uint8_t> part(n, 0);
    if (n) part[0] = 1;
    markChanges(pcols, part);
    for (size_t i = 0; i < n; ++i)
        if (part[i]) l.partitions.push_back(uint32_t(i));
    l.partitions.push_back(uint32_t(n));
    std::vector<uint8_t> peer = part;
    markChanges(ocols, peer);
    l.peer_begin.resize(n);
    l.peer_end.resize(n);
    for (size_t i = 0; i < n; ++i) l.peer_begin[i] = peer[i] ? uint32_t(i) : l.peer_begin[i - 1];
    for (size_t i = n; i-- > 0;) l.peer_end[i] = (i + 1 == n || peer[i + 1]) ? uint32_t(i + 1) : l.peer_end[i + 1];
    return l;
}

// Compares the ORDER BY value of row `compared` with (value of row `reference`) ∓ offset, like
// ClickHouse's compareValuesWithOffset[Nullable]: -1 / 0 / 1; a NULL compared row is less than any
// value, a NULL reference greater than any value.
using RangeCompare = std::function<int(size_t compared, size_t reference, uint64_t offset, bool preceding)>;

template <typename T>
RangeCompare makeRangeCompare(const IColumn& nested, const PODArray<uint8_t>* nulls) {
    const T* data = static_cast<const ColumnVector<T>&>(nested).getData().data();
    return [data, nulls](size_t c, size_t r, uint64_t offset, bool preceding) -> int {
        if (nulls) {
            bool cn = (*nulls)[c] != 0, rn = (*nulls)[r] != 0;
            if (cn && !rn) return -1;
            if (cn && rn) return 0;
            if (!cn && rn) return 1;
        }
        if constexpr (std::is_floating_point_v<T>) {
            T ref = data[r];
            ref = preceding ? ref - T(offset) : ref + T(offset);
            return data[c] < ref ? -1 : data[c] == ref ? 0 : 1;
        } else {
            // Exact in 128 bits: an out-of-range bound compares as ClickHouse's overflow rule does.
            __int128 ref = __int128(data[r]);
            ref = preceding ? ref - __int128(offset) : ref + __int128(offset);
            __int128 v = __int128(data[c]);
            return v < ref ? -1 : v == ref ? 0 : 1;
        }
    };
}

bool rangeOffsetTypeId(TypeId id) {
    switch (id) {
        case TypeId::UInt8: case TypeId::UInt16: case TypeId::UInt32: case TypeId::UInt64:
        case TypeId::Int8: case TypeId::Int16: case TypeId::Int32: case TypeId::Int64:
        case TypeId::Float32: case TypeId::Float64:
        case TypeId::Date: case TypeId::Date32: case TypeId::DateTime:
            return true;
        default:
            return false;
    }
}

RangeCompare rangeCompareFor(const ColumnPtr& col, const DataType& type) {
    const IColumn* nested = col.get();
    const PODArray<uint8_t>* nulls = nullptr;
    const DataType* t = &type;
    if (auto* n = dynamic_cast<const ColumnNullable*>(col.get())) {
        nested = &n->getNested();
        nulls = &n->getNullMap();
        t = type.nested[0].get();
    }
    RangeCompare out;
    dispatchNumber(t->id == TypeId::Date ? TypeId::UInt16 : t->id == TypeId::Date32 ? TypeId::Int32 : t->id == TypeId::DateTime ? TypeId::UInt32 : t->id,
                   [&](auto tag) {
                       using T = typename decltype(tag)::type;
                       out = makeRangeCompare<T>(*nested, nulls);
                   });
    return out;
}

// Frame [start, end) of every row of one partition, as ClickHouse moves it: both ends only move
// forward; RANGE offsets advance from the previous row's position.
struct FrameBounds {
    std::vector<uint32_t> start, end;
};

void computeFrames(const WindowFrame& f, const Layout& l, bool rows_peers, size_t pb, size_t pe, const RangeCompare& cmp, int direction,
                   FrameBounds& out) {
    size_t n = pe - pb;
    out.start.resize(n);
    out.end.resize(n);
    size_t s = pb, e = pb;
    // PRECEDING/FOLLOWING swap for descending order (the bound is in the value domain).
    bool begin_preceding_value = f.begin_preceding == (direction > 0);
    bool end_preceding_value = f.end_preceding == (direction > 0);
    for (size_t i = pb; i < pe; ++i) {
        size_t pbeg = rows_peers ? i : l.peer_begin[i];
        size_t pend = rows_peers ? i + 1 : l.peer_end[i];
        switch (f.begin) {
            case WindowFrame::Bound::Unbounded: s = pb; break;
            case WindowFrame::Bound::Current: s = pbeg; break;
            case WindowFrame::Bound::Offset:
                if (f.type == WindowFrame::Type::Rows) {
                    if (f.begin_preceding) s = i - pb >= f.begin_offset ? i - f.begin_offset : pb;
                    else s = pe - i > f.begin_offset ? i + f.begin_offset : pe;
                } else {
                    while (s < pe && cmp(s, i, f.begin_offset, begin_preceding_value) * direction < 0) ++s;
                }
                break;
        }
        switch (f.end) {
            case WindowFrame::Bound::Unbounded: e = pe; break;
            case WindowFrame::Bound::Current: e = std::max(e, pend); break;
            case WindowFrame::Bound::Offset:
                if (f.type == WindowFrame::Type::Rows) {
                    if (f.end_preceding) e = i - pb + 1 > f.end_offset ? i + 1 - f.end_offset : pb;
                    else e = pe - i > f.end_offset + 1 ? i + f.end_offset + 1 : pe;
                } else {
                    while (e < pe && !(cmp(e, i, f.end_offset, end_preceding_value) * direction > 0)) ++e;
                }
                break;
        }
        out.start[i - pb] = uint32_t(s);
        out.end[i - pb] = uint32_t(std::max(s, e));
    }
}

ColumnPtr argumentColumn(const Block& b, size_t pos) { return recursiveRemoveLowCardinality(materialize(b.at(pos).column)); }

// Aggregate function over frames: one state; a frame whose start did not move gets its new tail rows.
void runAggregate(const WindowFunctionDesc& fd, const Block& sorted, const Layout& l, bool rows_peers, const RangeCompare& cmp, int direction,
                  IColumn& result) {
    const IAggregateFunction& a = *fd.aggregate;
    std::vector<ColumnPtr> holders;
    std::vector<const IColumn*> cols;
    for (size_t p : fd.arguments) {
        holders.push_back(argumentColumn(sorted, p));
        cols.push_back(holders.back().get());
    }
    Arena arena;
    char* place = arena.alloc(std::max<size_t>(a.sizeOfData(), 1), std::max<size_t>(a.alignOfData(), 1));
    const IColumn** args = cols.data();
    size_t rows = sorted.rows();
    bool whole = fd.frame.begin == WindowFrame::Bound::Unbounded && fd.frame.end == WindowFrame::Bound::Unbounded;
    FrameBounds fb;
    for (size_t k = 0; k + 1 < l.partitions.size(); ++k) {
        size_t pb = l.partitions[k], pe = l.partitions[k + 1];
        a.create(place);
        try {
            if (whole) {
                // One value for the whole partition.
                if (pb == 0 && pe == rows) {
                    a.addBatchSinglePlace(rows, place, args, &arena);
                } else {
                    for (size_t i = pb; i < pe; ++i) a.add(place, args, i, &arena);
                }
                auto one = result.cloneEmpty();
                a.insertResultInto(place, *one, &arena);
                for (size_t i = pb; i < pe; ++i) result.insertFrom(*one, 0);
            } else {
                computeFrames(fd.frame, l, rows_peers, pb, pe, cmp, direction, fb);
                size_t prev_s = pb, prev_e = pb;
                for (size_t i = pb; i < pe; ++i) {
                    size_t s = fb.start[i - pb], e = fb.end[i - pb];
                    size_t from = prev_e;
                    if (s != prev_s) {
                        a.destroy(place);
                        a.create(place);
                        from = s;
                    }
                    for (size_t r = from; r < e; ++r) a.add(place, args, r, &arena);
                    a.insertResultInto(place, result, &arena);
                    prev_s = s;
                    prev_e = e;
                }
            }
        } catch (...) {
            a.destroy(place);
            throw;
        }
        a.destroy(place);
    }
}

void runFunction(const WindowFunctionDesc& fd, const Block& sorted, const Layout& l, const WindowSpec& spec, IColumn& result) {
    size_t rows = sorted.rows();
    bool rows_peers = fd.frame.type == WindowFrame::Type::Rows;   // ROWS frames: a row is only its own peer
    RangeCompare cmp;
    int direction = 1;
    if (fd.frame.isOffsetRange()) {
        const auto& o = spec.order_by.at(0);
        cmp = rangeCompareFor(materialize(sorted.at(o.position).column), *sorted.at(o.position).type);
        direction = o.descending ? -1 : 1;
    }
    if (fd.kind == WindowFunctionKind::Aggregate) return runAggregate(fd, sorted, l, rows_peers, cmp, direction, result);

    auto peerBegin = [&](size_t i) { return rows_peers ? i : size_t(l.peer_begin[i]); };
    auto peerEnd = [&](size_t i) { return rows_peers ? i + 1 : size_t(l.peer_end[i]); };
    switch (fd.kind) {
        case WindowFunctionKind::RowNumber:
        case WindowFunctionKind::Rank:
        case WindowFunctionKind::DenseRank:
        case WindowFunctionKind::Ntile: {
            auto& out = static_cast<ColumnUInt64&>(result).getData();
            out.resize(rows);
            uint64_t* o = out.data();
            for (size_t k = 0; k + 1 < l.partitions.size(); ++k) {
                size_t pb = l.partitions[k], pe = l.partitions[k + 1];
                if (fd.kind == WindowFunctionKind::RowNumber) {
                    for (size_t i = pb; i < pe; ++i) o[i] = i - pb + 1;
                } else if (fd.kind == WindowFunctionKind::Rank) {
                    if (rows_peers) for (size_t i = pb; i < pe; ++i) o[i] = i - pb + 1;
                    else for (size_t i = pb; i < pe; ++i) o[i] = l.peer_begin[i] - pb + 1;
                } else if (fd.kind == WindowFunctionKind::DenseRank) {
                    uint64_t rank = 0;
                    for (size_t i = pb; i < pe; ++i) {
                        rank += peerBegin(i) == i;
                        o[i] = rank;
                    }
                } else {
                    // ntile(n): the first size % n buckets get one row more.
                    uint64_t size = pe - pb, buckets = fd.param;
                    uint64_t small = size / buckets, big_buckets = size % buckets;
                    uint64_t bucket = 1, left = small + (big_buckets > 0 ? 1 : 0);
                    for (size_t i = pb; i < pe; ++i) {
                        if (left == 0) {
                            ++bucket;
                            left = small + (bucket <= big_buckets ? 1 : 0);
                        }
                        o[i] = bucket;
                        --left;
                    }
                }
            }
            return;
        }
        case WindowFunctionKind::PercentRank:
        case WindowFunctionKind::CumeDist: {
            auto& out = static_cast<ColumnFloat64&>(result).getData();
            out.resize(rows);
            double* o = out.data();
            for (size_t k = 0; k + 1 < l.partitions.size(); ++k) {
                size_t pb = l.partitions[k], pe = l.partitions[k + 1];
                double size = double(pe - pb);
                if (fd.kind == WindowFunctionKind::PercentRank) {
                    for (size_t i = pb; i < pe; ++i) o[i] = pe - pb > 1 ? double(peerBegin(i) - pb) / (size - 1) : 0.0;
                } else {
                    for (size_t i = pb; i < pe; ++i) o[i] = double(peerEnd(i) - pb) / size;
                }
            }
            return;
        }
        case WindowFunctionKind::LagInFrame:
        case WindowFunctionKind::LeadInFrame:
        case WindowFunctionKind::NthValue: {
            ColumnPtr value = argumentColumn(sorted, fd.arguments[0]);
            ColumnPtr def = fd.has_default ? argumentColumn(sorted, fd.arguments[1]) : nullptr;
            result.reserve(rows);
            FrameBounds fb;
            for (size_t k = 0; k + 1 < l.partitions.size(); ++k) {
                size_t pb = l.partitions[k], pe = l.partitions[k + 1];
                computeFrames(fd.frame, l, rows_peers, pb, pe, cmp, direction, fb);
                for (size_t i = pb; i < pe; ++i) {
                    size_t s = fb.start[i - pb], e = fb.end[i - pb];
                    size_t target = SIZE_MAX;
                    if (fd.kind == WindowFunctionKind::LagInFrame) target = i >= fd.param ? i - fd.param : SIZE_MAX;
                    else if (fd.kind == WindowFunctionKind::LeadInFrame) target = rows - i > fd.param ? i + fd.param : SIZE_MAX;
                    else target = e - s >= fd.param ? s + fd.param - 1 : SIZE_MAX;
                    if (target != SIZE_MAX && target >= s && target < e) result.insertFrom(*value, target);
                    else if (def) result.insertFrom(*def, i);
                    else result.insertDefault();
                }
            }
            return;
        }
        case WindowFunctionKind::Aggregate:
            break;
    }
}

}  // namespace

bool isWindowOnlyFunctionName(const std::string& name, WindowFunctionKind* kind) {
    static const std::pair<const char*, WindowFunctionKind> kNames[] = {
        {"row_number", WindowFunctionKind::RowNumber}, {"rank", WindowFunctionKind::Rank},
        {"dense_rank", WindowFunctionKind::DenseRank}, {"percent_rank", WindowFunctionKind::PercentRank},
        {"cume_dist", WindowFunctionKind::CumeDist}, {"ntile", WindowFunctionKind::Ntile},
        {"lagInFrame", WindowFunctionKind::LagInFrame}, {"leadInFrame", WindowFunctionKind::LeadInFrame},
        {"nth_value", WindowFunctionKind::NthValue},
    };
    for (auto& [n, k] : kNames) {
        bool match = name == n;
        // The SQL-standard names are case-insensitive.
        if (!match && k != WindowFunctionKind::LagInFrame && k != WindowFunctionKind::LeadInFrame && name.size() == std::strlen(n)) {
            match = true;
            for (size_t i = 0; i < name.size(); ++i) match = match && std::tolower(static_cast<unsigned char>(name[i])) == n[i];
        }
        if (match) {
            if (kind) *kind = k;
            return true;
        }
    }
    return false;
}

bool windowRangeOffsetSupported(const DataType& type) {
    if (type.id == TypeId::Nullable) return rangeOffsetTypeId(type.nested[0]->id);
    return rangeOffsetTypeId(type.id);
}

Block computeWindowFunctions(const Block& input, const std::vector<WindowSpec>& specs) {
    Block block = input;
    for (const auto& spec : specs) {
        std::vector<SortColumn> sort;
        for (size_t p : spec.partition_by) sort.push_back({p, false, 1});
        for (auto& o : spec.order_by) sort.push_back(o);
        Block sorted = sort.empty() ? block : sortBlock(block, sort, 0);
        Layout l = computeLayout(sorted, spec);
        std::vector<ColumnWithTypeAndName> outs;
        for (const auto& fd : spec.functions) {
            auto col = createColumn(fd.result_type);
            runFunction(fd, sorted, l, spec, *col);
            outs.push_back({std::move(col), fd.result_type, fd.name});
        }
        for (auto& c : outs) sorted.insert(std::move(c));
        block = std::move(sorted);
    }
    return block;
}

}  // namespace basalt
