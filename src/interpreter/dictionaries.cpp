// dictionaries.cpp — CREATE DICTIONARY: the structure from the statement and the loader that runs
// its SOURCE (dictionaries/dictionary.h holds the data and the lookups).
//   SOURCE(CLICKHOUSE(TABLE 't' [DB 'd'] [WHERE 'cond'])) -> SELECT <declared columns> FROM d.t
//   SOURCE(CLICKHOUSE(QUERY 'SELECT ...'))               -> the query; columns by name, else position
//   SOURCE(FILE(PATH 'p' FORMAT 'f'))                     -> file('p', 'f', '<declared structure>')
// A load runs in its own query context on the same catalog (so it never sees the caller's settings).
#include "common/exception.h"
#include "common/periodic.h"
#include "common/string_utils.h"
#include "exec/block_ops.h"
#include "dictionaries/dictionary.h"
#include "functions/cast.h"
#include "interpreter/interpreter.h"
#include "interpreter/select.h"
#include "sql/ast.h"
#include "sql/parser.h"
#include "storage/catalog.h"
#include "types/create_column.h"

namespace basalt {

namespace {

std::string param(const ASTCreateQuery& q, const char* key) {
    for (auto& p : q.dictionary_source_params)
        if (iequals(p.key, key)) return p.value.is<std::string>() ? p.value.get<std::string>() : p.value.toSQL();
    return "";
}

}  // namespace

std::shared_ptr<IStorage> createDictionaryStorage(const std::shared_ptr<ASTCreateQuery>& q, QueryContext& ctx) {
    std::string db = q->database.empty() ? ctx.current_database : q->database;
    TableMetadata md = buildTableMetadata(*q, ctx);
    DictionaryStructure st;
    std::string layout = toLower(q->dictionary_layout);
    using Layout = DictionaryStructure::Layout;
    if (layout == "flat") st.layout = Layout::Flat;
    else if (layout == "hashed" || layout == "sparse_hashed" || layout == "hashed_array") st.layout = Layout::Hashed;
    else if (layout == "complex_key_hashed" || layout == "complex_key_sparse_hashed" || layout == "complex_key_hashed_array") st.layout = Layout::ComplexKeyHashed;
    else if (layout == "range_hashed") st.layout = Layout::RangeHashed;
    else throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown dictionary layout type: " + layout);
    st.key_names = q->dictionary_key;
    for (auto& c : md.columns) {
        DictionaryAttribute a;
        a.name = c.name;
        a.type = c.type;
        auto v = createColumn(c.type);
        if (c.default_expr) {
            auto* lit = c.default_expr->as<ASTLiteral>();
            if (!lit) throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "DEFAULT of dictionary attribute " + c.name + " must be a literal");
            a.null_value = materialize(castField(lit->value, literalType(lit->value), c.type, ctx.functionContext()));
        } else {
            v->insertDefault();
            a.null_value = std::move(v);
        }
        st.columns.push_back(std::move(a));
    }
    for (auto& k : st.key_names) {
        const ColumnDescription* c = md.find(k);
        if (!c) throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "Unknown key attribute " + k + " of dictionary " + q->table);
        st.key_types.push_back(c->type);
    }
    bool simple = st.layout != Layout::ComplexKeyHashed;
    if (simple && (st.key_names.size() != 1 || st.key_types[0]->id != TypeId::UInt64))
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Dictionary " + q->table + " with layout " + st.layoutName() +
                                                       " needs one UInt64 key (use COMPLEX_KEY_HASHED for other keys)");
    if (st.layout == Layout::RangeHashed) {
        if (q->range_min.empty()) throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "RANGE_HASHED dictionary " + q->table + " needs RANGE(MIN a MAX b)");
        st.range_min = q->range_min;
        st.range_max = q->range_max;
        if (!md.find(st.range_min) || !md.find(st.range_max))
            throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "RANGE columns of dictionary " + q->table + " must be declared");
    }
    st.lifetime_min = q->lifetime_min;
    st.lifetime_max = q->lifetime_max;

    // The source as a query over the catalog.
    std::string source = toLower(q->dictionary_source);
    std::string columns_sql;
    for (auto& c : md.columns) columns_sql += (columns_sql.empty() ? "" : ", ") + std::string("`") + c.name + "`";
    std::string sql;
    bool by_name = true;
    if (source == "clickhouse") {
        std::string table = param(*q, "table"), query = param(*q, "query"), sdb = param(*q, "db"), where = param(*q, "where");
        if (sdb.empty()) sdb = db;
        if (!table.empty()) {
            sql = "SELECT " + columns_sql + " FROM `" + sdb + "`.`" + table + "`" + (where.empty() ? "" : " WHERE " + where);
            st.source_description = "ClickHouse: " + sdb + "." + table;
        } else if (!query.empty()) {
            sql = query;
            by_name = false;
            st.source_description = "ClickHouse: " + query;
        } else {
            throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "CLICKHOUSE source of dictionary " + q->table + " needs TABLE or QUERY");
        }
    } else if (source == "file") {
        std::string path = param(*q, "path"), format = param(*q, "format");
        if (path.empty() || format.empty()) throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "FILE source of dictionary " + q->table + " needs PATH and FORMAT");
        std::string structure;
        for (auto& c : md.columns) structure += (structure.empty() ? "" : ", ") + c.name + " " + c.type->name();
        sql = "SELECT " + columns_sql + " FROM file(" + quoteString(path) + ", " + quoteString(format) + ", " + quoteString(structure) + ")";
        st.source_description = "File: " + path + " " + format;
    } else {
        throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown dictionary source type: " + source);
    }
    Catalog* catalog = ctx.catalog;
    Settings settings = ctx.settings;
    std::vector<ColumnDescription> cols = md.columns;
    auto loader = [catalog, settings, db, sql, cols, by_name]() -> Block {
        QueryContext lctx;
        lctx.settings = settings;
        lctx.catalog = catalog;
        lctx.current_database = db;
        MemoryTrackerScope scope(lctx.memory.get());
        QueryResult r = executeSelect(parseStatement(sql).ast, lctx);
        std::vector<Block> blocks;
        for (auto& b : r.blocks) if (b.rows()) blocks.push_back(std::move(b));
        Block all = blocks.empty() ? r.header.cloneEmpty() : concatBlocks(blocks, r.header);
        Block out;
        auto fctx = lctx.functionContext();
        for (size_t i = 0; i < cols.size(); ++i) {
            const ColumnWithTypeAndName* src = by_name ? all.findByName(cols[i].name) : nullptr;
            if (!src && i < all.columns()) src = &all.at(i);
            if (!src) throw Exception(ErrorCodes::THERE_IS_NO_COLUMN, "The source of the dictionary has no column " + cols[i].name);
            out.insert({materialize(castColumn(src->column, src->type, cols[i].type, fctx)), cols[i].type, cols[i].name});
        }
        return out;
    };
    auto dict = std::make_shared<Dictionary>(db, q->table, std::move(st), std::move(loader));
    std::weak_ptr<Dictionary> weak = dict;
    PeriodicRunner::instance().add(weak, [weak] {
        if (auto d = weak.lock()) d->reloadIfDue();
    });
    auto s = std::make_shared<StorageDictionary>(std::move(md), std::move(dict));
    s->create_query = q;
    return s;
}

}  // namespace basalt
