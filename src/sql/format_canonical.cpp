// format_canonical.cpp — ClickHouse's EXPLAIN SYNTAX rendering of a query (see formatCanonical in
// ast.h). ClickHouse (with the analyzer) prints the normalized query multi-line, one clause per line,
// every operator as a function call, and applies a few syntactic normalizations that are reproduced
// here:
//   * SELECT without FROM reads FROM system.one;
//   * NULL, array and tuple literals are wrapped as _CAST(literal, 'Type') with the literal's type
//     (except a tuple literal on the right side of IN, which stays a plain tuple);
//   * UNION chains are normalized like NormalizeSelectWithUnionQueryVisitor (a UNION DISTINCT
//     absorbs everything to its left), and each union member is printed in parentheses;
//   * ORDER BY elements always show ASC/DESC, LIMIT n OFFSET m becomes LIMIT m, n,
//     count(DISTINCT x) becomes countDistinct(x), lambdas print as lambda(tuple(args), body).
// Layout follows ClickHouse's IAST::format with one_line = false: clause keywords at the query's
// indent, expression lists with more than one element one element per line indented one level
// deeper, subqueries as "(\n<query one level deeper>\n<indent>)".
#include <algorithm>
#include <cstdint>

#include "sql/ast.h"

#include "common/string_utils.h"

namespace basalt {

namespace {

std::string ident(const std::string& name) { return ASTIdentifier({name}).formatSQL(false); }
std::string literalText(const Field& f) { return ASTLiteral(f).formatSQL(false); }
std::string spaces(int indent) { return std::string(size_t(4 * indent), ' '); }

// ---- literal types (for the _CAST wrapping of composite literals) -------------------------------

struct LitType {
    enum Kind { Nothing, UInt, Int, Float, String, Bool, Array, Tuple, Invalid } kind = Nothing;
    int bits = 0;
    bool nullable = false;
    std::vector<LitType> items;   // Array: one element type; Tuple: one per element

    std::string name() const {
        std::string s;
        switch (kind) {
            case Nothing: s = "Nothing"; break;
            case UInt: s = "UInt" + std::to_string(bits); break;
            case Int: s = "Int" + std::to_string(bits); break;
            case Float: s = "Float64"; break;
            case String: s = "String"; break;
            case Bool: s = "Bool"; break;
            case Array: s = "Array(" + items[0].name() + ")"; break;
            case Tuple:
                s = "Tuple(";
                for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i].name();
                s += ")";
                break;
            case Invalid: s = "Invalid"; break;
        }
        return nullable ? "Nullable(" + s + ")" : s;
    }
};

int unsignedBits(uint64_t v) { return v <= 0xFF ? 8 : v <= 0xFFFF ? 16 : v <= 0xFFFFFFFFull ? 32 : 64; }
int signedBits(int64_t v) {
    return (v >= INT8_MIN && v <= INT8_MAX) ? 8 : (v >= INT16_MIN && v <= INT16_MAX) ? 16 : (v >= INT32_MIN && v <= INT32_MAX) ? 32 : 64;
}

LitType superType(const LitType& a, const LitType& b);

LitType typeOfField(const Field& f) {
    LitType t;
    std::visit([&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, NullField>) { t.kind = LitType::Nothing; t.nullable = true; }
        else if constexpr (std::is_same_v<T, bool>) t.kind = LitType::Bool;
        else if constexpr (std::is_same_v<T, uint64_t>) { t.kind = LitType::UInt; t.bits = unsignedBits(v); }
        else if constexpr (std::is_same_v<T, int64_t>) {
            if (v >= 0) { t.kind = LitType::UInt; t.bits = unsignedBits(uint64_t(v)); }
            else { t.kind = LitType::Int; t.bits = signedBits(v); }
        } else if constexpr (std::is_same_v<T, double>) t.kind = LitType::Float;
        else if constexpr (std::is_same_v<T, std::string>) t.kind = LitType::String;
        else if constexpr (std::is_same_v<T, FieldArray>) {
            t.kind = LitType::Array;
            LitType elem;   // Nothing
            for (auto& item : v.items) elem = superType(elem, typeOfField(item));
            t.items.push_back(elem);
        } else {
            t.kind = LitType::Tuple;
            for (auto& item : v.items) t.items.push_back(typeOfField(item));
        }
    }, f.value);
    return t;
}

LitType superType(const LitType& a, const LitType& b) {
    LitType r;
    bool nullable = a.nullable || b.nullable;
    if (a.kind == LitType::Nothing) { r = b; r.nullable = nullable; return r; }
    if (b.kind == LitType::Nothing) { r = a; r.nullable = nullable; return r; }
    auto numeric = [](const LitType& t) { return t.kind == LitType::UInt || t.kind == LitType::Int || t.kind == LitType::Float; };
    if (numeric(a) && numeric(b)) {
        if (a.kind == LitType::Float || b.kind == LitType::Float) r.kind = LitType::Float;
        else if (a.kind == b.kind) { r.kind = a.kind; r.bits = std::max(a.bits, b.bits); }
        else {
            const LitType& s = a.kind == LitType::Int ? a : b;
            const LitType& u = a.kind == LitType::Int ? b : a;
            r.kind = LitType::Int;
            r.bits = u.bits < s.bits ? s.bits : std::min(64, u.bits * 2);
        }
    } else if (a.kind == b.kind && a.kind == LitType::Array) {
        r.kind = LitType::Array;
        r.items.push_back(superType(a.items[0], b.items[0]));
    } else if (a.kind == b.kind && a.kind == LitType::Tuple && a.items.size() == b.items.size()) {
        r.kind = LitType::Tuple;
        for (size_t i = 0; i < a.items.size(); ++i) r.items.push_back(superType(a.items[i], b.items[i]));
    } else if (a.kind == b.kind) {
        r = a;
    } else {
        r.kind = LitType::Invalid;
    }
    r.nullable = nullable;
    return r;
}

// The literal's elements converted to its (super)type, as ClickHouse stores them: [1.5, 2] -> [1.5, 2.].
Field convertTo(const Field& f, const LitType& t) {
    if (t.kind == LitType::Float) {
        if (f.is<uint64_t>()) return Field(double(f.get<uint64_t>()));
        if (f.is<int64_t>()) return Field(double(f.get<int64_t>()));
        return f;
    }
    if (t.kind == LitType::Array && f.is<FieldArray>()) {
        FieldArray a = f.get<FieldArray>();
        for (auto& item : a.items) item = convertTo(item, t.items[0]);
        return Field(std::move(a));
    }
    if (t.kind == LitType::Tuple && f.is<FieldTuple>()) {
        FieldTuple a = f.get<FieldTuple>();
        for (size_t i = 0; i < a.items.size() && i < t.items.size(); ++i) a.items[i] = convertTo(a.items[i], t.items[i]);
        return Field(std::move(a));
    }
    return f;
}

// ---- formatting ---------------------------------------------------------------------------------

struct Formatter {
    std::string out;
    bool keep_operators = false;   // SHOW CREATE VIEW: operators as written (`a > 1`), not greater(a, 1)

    void expr(const IAST& a, int indent, bool raw_tuple = false) {
        exprNoAlias(a, indent, raw_tuple);
        if (!a.alias.empty() && !(a.as<ASTSubquery>() && a.as<ASTSubquery>()->cte)) out += " AS " + ident(a.alias);
    }

    void list(const ASTs& items, int indent) {
        for (size_t i = 0; i < items.size(); ++i) {
            if (i) out += ", ";
            expr(*items[i], indent);
        }
    }

    // ClickHouse's ASTExpressionList::formatImplMultiline.
    template <typename List, typename Fn> void multiline(const List& items, int indent, Fn&& each) {
        if (items.size() <= 1) out += ' ';
        for (size_t i = 0; i < items.size(); ++i) {
            if (i) out += ',';
            if (items.size() > 1) out += "\n" + spaces(indent + 1);
            each(items[i], indent + 1);
        }
    }
    void multilineExprs(const ASTs& items, int indent) {
        multiline(items, indent, [&](const ASTPtr& a, int ind) { expr(*a, ind); });
    }

    void literal(const ASTLiteral& l, bool raw_tuple) {
        if (l.value.isNull()) {
            out += "_CAST(NULL, 'Nullable(Nothing)')";
            return;
        }
        if (l.value.is<FieldTuple>() && l.value.get<FieldTuple>().items.empty()) {
            out += "tuple()";
            return;
        }
        bool composite = l.value.is<FieldArray>() || l.value.is<FieldTuple>();
        if (composite && !(raw_tuple && l.value.is<FieldTuple>())) {
            LitType type = typeOfField(l.value);
            out += "_CAST(" + literalText(convertTo(l.value, type)) + ", ";
            appendQuotedString(out, type.name());
            out += ")";
            return;
        }
        out += literalText(l.value);
    }

    void subquery(const ASTSubquery& s, int indent) {
        out += "(\n";
        if (s.query) query(*s.query, indent + 1);
        out += "\n" + spaces(indent) + ")";
    }

    void exprNoAlias(const IAST& a, int indent, bool raw_tuple) {
        if (auto* l = a.as<ASTLiteral>()) return literal(*l, raw_tuple);
        if (auto* f = a.as<ASTFunction>()) return function(*f, indent);
        if (auto* s = a.as<ASTSubquery>()) {
            if (s->cte) {
                // WITH name AS (SELECT ...)
                out += ident(s->alias) + " AS\n" + spaces(indent);
            }
            return subquery(*s, indent);
        }
        if (auto* o = a.as<ASTOrderByElement>()) {
            expr(*o->expr, indent);
            out += o->descending ? " DESC" : " ASC";
            if (o->nulls_first) out += *o->nulls_first ? " NULLS FIRST" : " NULLS LAST";
            if (!o->collation.empty()) {
                out += " COLLATE ";
                appendQuotedString(out, o->collation);
            }
            if (o->with_fill) out += " WITH FILL";
            return;
        }
        // ClickHouse prints a one-name EXCEPT without parentheses: * EXCEPT a.
        const ColumnTransformers* tr = nullptr;
        if (auto* ast = a.as<ASTAsterisk>()) tr = &ast->transformers;
        if (auto* cm = a.as<ASTColumnsMatcher>()) tr = &cm->transformers;
        if (tr && tr->except_names.size() == 1 && tr->except_regex.empty() && tr->replace.empty()) {
            auto copy = a.clone();
            if (auto* ast = copy->as<ASTAsterisk>()) ast->transformers = {};
            if (auto* cm = copy->as<ASTColumnsMatcher>()) cm->transformers = {};
            out += copy->formatSQL(false) + " EXCEPT " + ident(tr->except_names[0]);
            return;
        }
        out += a.formatSQL(false);   // identifiers, asterisks, COLUMNS(...)
    }

    void function(const ASTFunction& f, int indent) {
        if (keep_operators && f.is_operator) {
            out += f.formatSQL(false);
            return;
        }
        out += f.name;
        if (f.distinct) out += "Distinct";
        if (f.parameters) {
            out += '(';
            list(*f.parameters, indent);
            out += ')';
        }
        out += '(';
        bool in_like = f.name == "in" || f.name == "notIn" || f.name == "globalIn" || f.name == "globalNotIn" ||
                       f.name == "nullIn" || f.name == "notNullIn" || f.name == "globalNullIn" || f.name == "globalNotNullIn";
        for (size_t i = 0; i < f.arguments.size(); ++i) {
            if (i) out += ", ";
            expr(*f.arguments[i], indent, in_like && i == 1);
        }
        out += ')';
        if (f.window) {
            out += " OVER (";
            window(*f.window, indent);
            out += ')';
        } else if (!f.window_name.empty()) {
            out += " OVER " + ident(f.window_name);
        }
    }

    void window(const ASTWindowDefinition& w, int indent) {
        bool first = true;
        auto sep = [&] { if (!first) out += ' '; first = false; };
        if (!w.parent_window.empty()) { sep(); out += ident(w.parent_window); }
        if (!w.partition_by.empty()) {
            sep();
            out += "PARTITION BY ";
            for (size_t i = 0; i < w.partition_by.size(); ++i) {
                if (i) out += ", ";
                expr(*w.partition_by[i], indent);
            }
        }
        if (!w.order_by.empty()) {
            sep();
            out += "ORDER BY ";
            for (size_t i = 0; i < w.order_by.size(); ++i) {
                if (i) out += ", ";
                expr(*w.order_by[i], indent);
            }
        }
        if (!w.frame_is_default) {
            sep();
            using W = ASTWindowDefinition;
            out += w.frame_type == W::FrameType::Rows ? "ROWS" : w.frame_type == W::FrameType::Range ? "RANGE" : "GROUPS";
            auto bound = [&](const W::Bound& b) {
                if (b.kind == W::BoundKind::Current) { out += "CURRENT ROW"; return; }
                if (b.kind == W::BoundKind::Unbounded) out += "UNBOUNDED";
                else expr(*b.offset, indent);
                out += b.preceding ? " PRECEDING" : " FOLLOWING";
            };
            out += " BETWEEN ";
            bound(w.frame_begin);
            out += " AND ";
            bound(w.frame_end);
        }
    }

    void table(const ASTTableExpression& t, int indent) {
        if (t.subquery) {
            out += "\n" + spaces(indent);
            subquery(*t.subquery, indent);
        } else if (t.table_function) {
            out += ' ';
            exprNoAlias(*t.table_function, indent, false);
        } else {
            out += ' ';
            if (!t.database.empty()) out += ident(t.database) + ".";
            out += ident(t.table);
        }
        if (!t.alias.empty()) out += " AS " + ident(t.alias);
        if (t.final) out += "\n" + spaces(indent) + "FINAL";
    }

    void select(const ASTSelectQuery& q, int indent) {
        std::string ind = spaces(indent);
        if (!q.with.empty()) {
            out += ind + (q.with_recursive ? "WITH RECURSIVE" : "WITH");
            // ClickHouse starts WITH elements on a new line even when there is only one.
            for (size_t i = 0; i < q.with.size(); ++i) {
                if (i) out += ',';
                out += "\n" + spaces(indent + 1);
                expr(*q.with[i], indent + 1);
            }
            out += "\n";
        }
        out += ind + "SELECT";
        if (q.distinct) out += " DISTINCT";
        multilineExprs(q.select, indent);
        out += "\n" + ind + "FROM";
        if (q.from) table(*q.from, indent);
        else out += " system.one";
        for (auto& c : q.arrayJoinClauses()) {
            out += "\n" + ind + (c.left ? "LEFT ARRAY JOIN" : "ARRAY JOIN");
            multilineExprs(ASTs(q.array_join.begin() + long(c.begin), q.array_join.begin() + long(c.end)), indent);
        }
        if (q.prewhere) { out += "\n" + ind + "PREWHERE "; expr(*q.prewhere, indent); }
        if (q.where) { out += "\n" + ind + "WHERE "; expr(*q.where, indent); }
        if (q.group_by_all) out += "\n" + ind + "GROUP BY ALL";
        else if (!q.group_by.empty()) {
            out += "\n" + ind + "GROUP BY";
            multilineExprs(q.group_by, indent);
        }
        if (q.with_rollup) out += "\n" + ind + "    WITH ROLLUP";
        if (q.with_cube) out += "\n" + ind + "    WITH CUBE";
        if (q.with_totals) out += "\n" + ind + "    WITH TOTALS";
        if (q.having) { out += "\n" + ind + "HAVING "; expr(*q.having, indent); }
        if (!q.windows.empty()) {
            // One window stays on the WINDOW line; several get a line each.
            bool one = q.windows.size() == 1;
            out += "\n" + ind + "WINDOW";
            for (size_t i = 0; i < q.windows.size(); ++i) {
                if (i) out += ",";
                out += one ? " " : "\n" + spaces(indent + 1);
                out += ident(q.windows[i].first) + " AS (";
                window(*q.windows[i].second, indent);
                out += ')';
            }
        }
        if (q.qualify) { out += "\n" + ind + "QUALIFY "; expr(*q.qualify, indent); }
        if (!q.order_by.empty()) {
            out += "\n" + ind + "ORDER BY";
            multiline(q.order_by, indent, [&](const std::shared_ptr<ASTOrderByElement>& o, int i) { expr(*o, i); });
        }
        if (!q.limit_by.empty()) {
            out += "\n" + ind + "LIMIT ";
            if (q.limit_by_offset) { expr(*q.limit_by_offset, indent); out += ", "; }
            if (q.limit_by_length) expr(*q.limit_by_length, indent);
            out += " BY";
            multilineExprs(q.limit_by, indent);
        }
        if (q.limit_length) {
            out += "\n" + ind + "LIMIT ";
            if (q.limit_offset) { expr(*q.limit_offset, indent); out += ", "; }
            expr(*q.limit_length, indent);
            if (q.limit_with_ties) out += "\n" + ind + " WITH TIES";
        } else if (q.limit_offset) {
            out += "\n" + ind + "OFFSET ";
            expr(*q.limit_offset, indent);
        }
        if (!q.settings.empty()) {
            out += "\n" + ind + "SETTINGS ";
            for (size_t i = 0; i < q.settings.size(); ++i) {
                if (i) out += ", ";
                out += ident(q.settings[i].first) + " = " + literalText(q.settings[i].second);
            }
        }
    }

    // A normalized UNION: either a single SELECT (`select` set) or a list of members joined by `mode`.
    struct UnionNode {
        const ASTSelectQuery* select = nullptr;
        UnionMode mode = UnionMode::All;
        std::vector<UnionNode> members;
    };

    static void flattenInto(const UnionNode& n, std::vector<UnionNode>& out) {
        if (n.select) out.push_back(n);
        else for (auto& m : n.members) flattenInto(m, out);
    }

    // NormalizeSelectWithUnionQueryVisitor: the rightmost UNION DISTINCT turns everything to its left
    // into one flat DISTINCT list; UNION ALL members are lifted into the enclosing UNION ALL list.
    static UnionNode normalize(const IAST& a) {
        if (auto* s = a.as<ASTSelectQuery>()) return UnionNode{s, UnionMode::All, {}};
        auto& u = *a.as<ASTSelectWithUnion>();
        std::vector<UnionNode> list;
        for (auto& s : u.selects) list.push_back(normalize(*s));
        if (list.size() == 1) return list[0];
        std::vector<UnionNode> selects;
        auto pushLifted = [&](const UnionNode& n) {
            if (!n.select && n.mode == UnionMode::All)
                for (auto it = n.members.rbegin(); it != n.members.rend(); ++it) selects.push_back(*it);
            else selects.push_back(n);
        };
        long i = long(list.size()) - 2;
        for (; i >= 0; --i) {
            UnionMode m = size_t(i) < u.modes.size() ? u.modes[size_t(i)] : UnionMode::All;
            if (m == UnionMode::All) {
                pushLifted(list[size_t(i) + 1]);
            } else {
                UnionNode d;
                d.mode = UnionMode::Distinct;
                for (long j = 0; j <= i + 1; ++j) flattenInto(list[size_t(j)], d.members);
                selects.push_back(std::move(d));
                break;
            }
        }
        if (i < 0) pushLifted(list[0]);
        std::reverse(selects.begin(), selects.end());
        if (selects.size() == 1 && !selects[0].select) return selects[0];
        UnionNode r;
        r.mode = UnionMode::All;
        r.members = std::move(selects);
        return r;
    }

    void unionNode(const UnionNode& n, int indent) {
        if (n.select) return select(*n.select, indent);
        std::string ind = spaces(indent);
        for (size_t i = 0; i < n.members.size(); ++i) {
            if (i) out += "\n" + ind + (n.mode == UnionMode::All ? "UNION ALL" : "UNION DISTINCT") + "\n";
            out += ind + "(\n";
            unionNode(n.members[i], indent + 1);
            out += "\n" + ind + ")";
        }
    }

    void query(const IAST& q, int indent) {
        if (q.as<ASTSelectQuery>() || q.as<ASTSelectWithUnion>()) unionNode(normalize(q), indent);
        else out += spaces(indent) + q.formatSQL();
    }
};

}  // namespace

std::string formatCanonical(const IAST& ast, bool keep_operators) {
    Formatter f;
    f.keep_operators = keep_operators;
    f.query(ast, 0);
    return f.out;
}

}  // namespace basalt
