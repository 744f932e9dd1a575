// create_column.cpp — DataType -> column layout.
#include "types/create_column.h"

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/wide_integer.h"

namespace basalt {

MutableColumnPtr createColumn(const DataType& type) {
    MutableColumnPtr res;
    if (dispatchFixed(type.id, [&](auto tag) { res = std::make_shared<ColumnVector<typename decltype(tag)::type>>(); }))
        return res;
    switch (type.id) {
        case TypeId::Nothing: return std::make_shared<ColumnUInt8>();  // Nothing stores placeholder bytes
        // 256-bit values are kept out of dispatchFixed (and so out of most kernels' instantiations).
        case TypeId::Int256: case TypeId::Decimal256: return std::make_shared<ColumnVector<Int256>>();
        case TypeId::UInt256: return std::make_shared<ColumnVector<UInt256>>();
        case TypeId::String: case TypeId::AggregateFunction: return std::make_shared<ColumnString>();
        case TypeId::FixedString: return std::make_shared<ColumnFixedString>(type.n);
        case TypeId::Nullable: return std::make_shared<ColumnNullable>(createColumn(*type.nested[0]), ColumnUInt8::create());
        case TypeId::LowCardinality: return std::make_shared<ColumnLowCardinality>(createColumn(*type.nested[0]));
        case TypeId::Array: return std::make_shared<ColumnArray>(createColumn(*type.nested[0]));
        case TypeId::Map: {
            std::vector<MutableColumnPtr> kv{createColumn(*type.nested[0]), createColumn(*type.nested[1])};
            return std::make_shared<ColumnArray>(std::make_shared<ColumnTuple>(std::move(kv)));
        }
        case TypeId::Tuple: {
            std::vector<MutableColumnPtr> cols;
            for (auto& t : type.nested) cols.push_back(createColumn(*t));
            return std::make_shared<ColumnTuple>(std::move(cols));
        }
        default:
            throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Columns of type " + type.name() + " are not supported yet");
    }
}

ColumnPtr createConstColumn(const DataTypePtr& type, const Field& value, size_t n) {
    auto col = createColumn(*type);
    col->insert(value);
    return std::make_shared<ColumnConst>(std::move(col), n);
}

ColumnPtr convertToLowCardinality(const ColumnPtr& col, const DataTypePtr& lc_type) {
    if (col->isConst()) {
        auto& cc = static_cast<const ColumnConst&>(*col);
        if (cc.getDataColumn().isLowCardinality()) return col;
        return std::make_shared<ColumnConst>(convertToLowCardinality(cc.getDataColumnPtr(), lc_type), cc.size());
    }
    if (col->isLowCardinality()) return col;
    auto res = std::make_shared<ColumnLowCardinality>(createColumn(*lc_type->nested[0]));
    res->insertRangeFromFull(*col, 0, col->size());
    return res;
}

}  // namespace basalt
