// dictionary_functions.cpp — dictGet, dictGetOrDefault, dictGetOrNull, dictHas and the typed
// dictGet<Type> forms over dictionaries (dictionaries/dictionary.h). The dictionary and attribute
// names must be constants; keys are converted to the dictionary's key types once per block, looked up
// in one pass, and attribute values gathered with one permute when every key was found.
#include "common/exception.h"
#include "dictionaries/dictionary.h"
#include "functions/cast.h"
#include <algorithm>

#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

enum class Mode { Get, OrDefault, OrNull, Has };

std::string constString(const ColumnWithTypeAndName& a, const std::string& fn, size_t i) {
    if (!a.column || !a.column->isConst() || removeLowCardinality(a.type)->id != TypeId::String)
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Argument " + std::to_string(i + 1) + " of function " + fn + " must be a constant string");
    return static_cast<const ColumnConst&>(*a.column).getDataColumn().get(0).get<std::string>();
}

FunctionPtr buildDictGet(const std::string& fn, Mode mode, const DataTypePtr& expected, const ColumnsWithTypeAndName& a, const FunctionContext& ctx,
                         bool join = false) {
    size_t min_args = mode == Mode::Has ? 2 : mode == Mode::OrDefault ? 4 : 3;
    if (a.size() < min_args || a.size() > min_args + 1) throwArgumentCount(fn, a.size(), std::to_string(min_args));
    std::string dict_name = constString(a[0], fn, 0);
    auto& finder = join ? ctx.find_join : ctx.find_dictionary;
    auto dict = finder ? finder(dict_name) : nullptr;
    if (!dict) {
        if (join) throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Table " + dict_name + " does not exist or is not a Join table");
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Dictionary (`" + dict_name + "`) not found");
    }
    const DictionaryStructure& st = dict->structure();
    if (join && st.join_use_nulls && mode == Mode::Get) mode = Mode::OrNull;
    // joinGet serves Join(ANY, LEFT, ...) tables only; their key columns are not values to get.
    if (join && !st.first_wins) throw Exception(ErrorCodes::INCOMPATIBLE_TYPE_OF_JOIN, "Table " + dict_name + " has incompatible type of JOIN");
    auto joinAttributeCheck = [&](const std::string& name) {
        if (!join) return;
        bool is_key = std::find(st.key_names.begin(), st.key_names.end(), name) != st.key_names.end();
        if (is_key || !st.attribute(name)) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "The column " + name + " is not a value column of Join table " + dict_name);
    };
    // Attributes: one name, or a tuple of names (the result is then a tuple).
    std::vector<const DictionaryAttribute*> attrs;
    bool tuple_result = false;
    size_t key_arg = 1;
    if (mode != Mode::Has) {
        key_arg = 2;
        const auto& an = a[1];
        if (an.column && an.column->isConst() && an.type->id == TypeId::Tuple) {
            tuple_result = true;
            Field f = static_cast<const ColumnConst&>(*an.column).getDataColumn().get(0);
            for (auto& item : f.get<FieldTuple>().items) {
                const auto* at = st.attribute(item.get<std::string>());
                if (!at) throw Exception(ErrorCodes::BAD_ARGUMENTS, "No such attribute '" + item.get<std::string>() + "'");
                attrs.push_back(at);
            }
        } else {
            std::string name = constString(an, fn, 1);
            joinAttributeCheck(name);
            const auto* at = st.attribute(name);
            if (!at) throw Exception(ErrorCodes::BAD_ARGUMENTS, "No such attribute '" + name + "'");
            attrs.push_back(at);
        }
        if (expected && !attrs[0]->type->equals(*expected))
            throw Exception(ErrorCodes::TYPE_MISMATCH, "Type mismatch: attribute " + attrs[0]->name + " has type " + attrs[0]->type->name() + ", but " +
                                                           fn + " returns " + expected->name());
    }
    bool range = st.layout == DictionaryStructure::Layout::RangeHashed && mode != Mode::Has;
    if (range && a.size() <= key_arg + 1 + (mode == Mode::OrDefault)) throwArgumentCount(fn, a.size(), std::to_string(min_args + 1));
    size_t range_arg = key_arg + 1;
    size_t default_arg = range ? range_arg + 1 : key_arg + 1;

    DataTypePtr result;
    if (mode == Mode::Has) result = makeType(TypeId::UInt8);
    else {
        DataTypes types;
        for (auto* at : attrs) types.push_back(mode == Mode::OrNull && at->type->canBeInsideNullable() ? makeNullable(at->type) : at->type);
        result = tuple_result ? makeTuple(types) : types[0];
    }
    DataTypes key_types = st.key_types;
    DataTypePtr key_arg_type = a[key_arg].type;
    if (join) {
        // A Join table's keys are matched as stored: the argument types must be the key types.
        DataTypes given = key_arg_type->id == TypeId::Tuple ? key_arg_type->nested : DataTypes{key_arg_type};
        if (given.size() != key_types.size())
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Number of arguments for function " + fn + " doesn't match: passed " +
                                                                             std::to_string(given.size() + 2) + ", should be " + std::to_string(key_types.size() + 2));
        bool same = true;
        for (size_t k = 0; same && k < given.size(); ++k) same = removeLowCardinality(given[k])->equals(*removeLowCardinality(key_types[k]));
        if (!same) throw Exception(ErrorCodes::TYPE_MISMATCH, "Type mismatch in joinGet key: expected " + key_types[0]->name() + ", got " + key_arg_type->name());
    }
    DataTypePtr default_type = mode == Mode::OrDefault ? a[default_arg].type : nullptr;
    return makeFunction(fn, result, [=](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
        auto data = dict->get();
        dict->countQuery();
        // Keys in the dictionary's key types: a tuple's elements for composite keys.
        Columns keys;
        ColumnPtr key = materialize(x[key_arg].column);
        if (key_types.size() > 1 || key_arg_type->id == TypeId::Tuple) {
            if (key_arg_type->id != TypeId::Tuple || key_arg_type->nested.size() != key_types.size())
                throw Exception(ErrorCodes::TYPE_MISMATCH, "Key of dictionary " + dict->name() + " must be a tuple of " + std::to_string(key_types.size()) + " elements");
            auto& t = static_cast<const ColumnTuple&>(*key);
            for (size_t k = 0; k < key_types.size(); ++k)
                keys.push_back(materialize(castColumn(t.getColumnPtr(k), key_arg_type->nested[k], key_types[k], FunctionContext{})));
        } else {
            keys.push_back(materialize(castColumn(key, key_arg_type, key_types[0], FunctionContext{})));
        }
        ColumnPtr point = range ? materialize(x[range_arg].column) : nullptr;
        std::vector<int64_t> found;
        Dictionary::lookup(*data, st, keys, point, rows, found);
        if (mode == Mode::Has) {
            auto r = ColumnUInt8::create(rows);
            for (size_t i = 0; i < rows; ++i) r->getData()[i] = found[i] >= 0;
            return r;
        }
        bool all_found = true;
        for (int64_t f : found) all_found = all_found && f >= 0;
        const Block& block = Dictionary::block(*data);
        ColumnPtr defaults;
        if (mode == Mode::OrDefault) defaults = materialize(x[default_arg].column);
        std::vector<ColumnPtr> outs;
        for (size_t ai = 0; ai < attrs.size(); ++ai) {
            const DictionaryAttribute& at = *attrs[ai];
            ColumnPtr values = block.findByName(at.name)->column;
            ColumnPtr col;
            if (all_found) {
                Permutation perm(rows);
                for (size_t i = 0; i < rows; ++i) perm[i] = uint32_t(found[i]);
                col = rows ? values->permute(perm, rows) : values->cloneEmpty();
            } else {
                // Misses take the attribute's DEFAULT, the given default, or NULL.
                ColumnPtr def = at.null_value;
                if (mode == Mode::OrDefault) {
                    DataTypePtr dt = tuple_result ? default_type->nested[ai] : default_type;
                    ColumnPtr d = tuple_result ? static_cast<const ColumnTuple&>(*defaults).getColumnPtr(ai) : defaults;
                    def = materialize(castColumn(d, dt, at.type, FunctionContext{}));
                }
                auto m = values->cloneEmpty();
                m->reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    if (found[i] >= 0) m->insertFrom(*values, size_t(found[i]));
                    else m->insertFrom(*def, def->size() == 1 ? 0 : i);
                }
                col = std::move(m);
            }
            if (mode == Mode::OrNull && at.type->canBeInsideNullable()) {
                auto nulls = ColumnUInt8::create(rows);
                for (size_t i = 0; i < rows; ++i) nulls->getData()[i] = found[i] < 0;
                col = std::make_shared<ColumnNullable>(std::const_pointer_cast<IColumn>(col), nulls);
            }
            outs.push_back(std::move(col));
        }
        if (!tuple_result) return outs[0];
        std::vector<MutableColumnPtr> m;
        for (auto& c : outs) m.push_back(std::const_pointer_cast<IColumn>(c));
        return std::make_shared<ColumnTuple>(std::move(m));
    });
}

}  // namespace

void registerDictionaryFunctions(FunctionFactory& f) {
    FunctionProperties props{.default_nulls = false, .default_constants = false, .deterministic = false};
    f.registerFunction("dictGet", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) { return buildDictGet("dictGet", Mode::Get, nullptr, a, ctx); }, props);
    f.registerFunction("dictGetOrDefault", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
        return buildDictGet("dictGetOrDefault", Mode::OrDefault, nullptr, a, ctx);
    }, props);
    f.registerFunction("dictGetOrNull", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
        return buildDictGet("dictGetOrNull", Mode::OrNull, nullptr, a, ctx);
    }, props);
    f.registerFunction("dictHas", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) { return buildDictGet("dictHas", Mode::Has, nullptr, a, ctx); },
                       props);
    // joinGet(join_table, 'column', key...): a Join-engine table's value for the key (the column's
    // default when absent; joinGetOrNull: NULL). Several keys travel as one tuple to the lookup.
    for (bool or_null : {false, true}) {
        std::string name = or_null ? "joinGetOrNull" : "joinGet";
        f.registerFunction(name, [name, or_null](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
            if (a.size() < 3) throwArgumentCount(name, a.size(), "at least 3");
            if (a.size() == 3) return buildDictGet(name, or_null ? Mode::OrNull : Mode::Get, nullptr, a, ctx, true);
            ColumnsWithTypeAndName packed(a.begin(), a.begin() + 2);
            DataTypes types;
            for (size_t i = 2; i < a.size(); ++i) types.push_back(a[i].type);
            packed.push_back({nullptr, makeTuple(types), "keys"});
            auto inner = buildDictGet(name, or_null ? Mode::OrNull : Mode::Get, nullptr, packed, ctx, true);
            return makeFunction(name, inner->result_type, [inner, n = a.size()](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                std::vector<MutableColumnPtr> cols;
                for (size_t i = 2; i < n; ++i) cols.push_back(std::const_pointer_cast<IColumn>(materialize(x[i].column)));
                ColumnsWithTypeAndName args(x.begin(), x.begin() + 2);
                args.push_back({std::make_shared<ColumnTuple>(std::move(cols)), nullptr, "keys"});
                return inner->execute(args, rows);
            });
        }, props);
    }
    // dictGetUInt8(...), dictGetString(...), ...: dictGet checking the attribute's type.
    for (const char* t : {"UInt8", "UInt16", "UInt32", "UInt64", "Int8", "Int16", "Int32", "Int64", "Float32", "Float64", "Date", "DateTime",
                          "UUID", "String", "IPv4", "IPv6"}) {
        std::string type = t;
        f.registerFunction("dictGet" + type, [type](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
            return buildDictGet("dictGet" + type, Mode::Get, parseDataType(type), a, ctx);
        }, props);
        f.registerFunction("dictGet" + type + "OrDefault", [type](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) {
            return buildDictGet("dictGet" + type + "OrDefault", Mode::OrDefault, parseDataType(type), a, ctx);
        }, props);
    }
}

}  // namespace basalt
