// ast.cpp — AST node methods: deep clone, result-column naming (ClickHouse's rules), SQL formatting
// (EXPLAIN SYNTAX, SHOW CREATE TABLE layout, stored metadata) and the EXPLAIN AST tree dump.
#include "sql/ast.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/string_utils.h"

namespace basalt {

namespace {

bool isBareWord(std::string_view s) {
    if (s.empty()) return false;
    auto word_start = [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!word_start(s[0])) return false;
    for (unsigned char c : s)
        if (!word_start(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

// Keywords that would be misread if printed bare where an identifier is expected.
bool isKeyword(std::string_view s) {
    static const char* kWords[] = {"SELECT", "FROM", "WHERE", "PREWHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET",
                                   "SETTINGS", "FORMAT", "UNION", "EXCEPT", "INTERSECT", "INTO", "WITH", "AS", "AND",
                                   "OR", "NOT", "BETWEEN", "LIKE", "ILIKE", "IN", "IS", "NULL", "TRUE", "FALSE", "CASE",
                                   "WHEN", "THEN", "ELSE", "END", "ARRAY", "JOIN", "ON", "USING", "FINAL", "DISTINCT",
                                   "ALL", "BY", "ASC", "DESC", "INTERVAL", "CAST", "QUALIFY", "GLOBAL", "ANY", "LEFT",
                                   "RIGHT", "INNER", "FULL", "CROSS", "SAMPLE", "DIV", "MOD", "TABLE", "VALUES"};
    for (const char* k : kWords)
        if (iequals(s, k)) return true;
    return false;
}

void appendBackQuoted(std::string& out, std::string_view s) {
    out += '`';
    for (char c : s) {
        if (c == '`' || c == '\\') out += '\\';
        out += c;
    }
    out += '`';
}

void appendIdent(std::string& out, std::string_view s) {
    if (isBareWord(s) && !isKeyword(s)) out += s;
    else appendBackQuoted(out, s);
}

std::string qualified(const std::string& db, const std::string& name) {
    std::string out;
    if (!db.empty()) {
        appendIdent(out, db);
        out += '.';
    }
    appendIdent(out, name);
    return out;
}

// Float text as ClickHouse prints literals: shortest round-trip digits, fixed notation while the
// decimal exponent is in [-6, 21) and scientific outside (1e21, 1e-7), like JavaScript's
// Number#toString. string_utils' formatFloat picks whichever notation is shorter, so it differs for
// e.g. 1e10 and 0.000001; column names need the exact ClickHouse spelling.
std::string literalFloat(double v) {
    if (std::isnan(v) || std::isinf(v) || v == 0) return formatFloat(v);
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
    std::string_view s(buf, res.ptr - buf);
    std::string out;
    if (s[0] == '-') {
        out += '-';
        s.remove_prefix(1);
    }
    size_t e = s.find('e');
    std::string digits;
    for (char c : s.substr(0, e))
        if (c != '.') digits += c;
    int exp10 = std::atoi(std::string(s.substr(e + 1)).c_str());
    int k = int(digits.size()), n = exp10 + 1;   // value = 0.digits * 10^n
    if (k <= n && n <= 21) {
        out += digits + std::string(size_t(n - k), '0');
    } else if (0 < n && n <= 21) {
        out += digits.substr(0, size_t(n)) + "." + digits.substr(size_t(n));
    } else if (-6 < n && n <= 0) {
        out += "0." + std::string(size_t(-n), '0') + digits;
    } else {
        out += digits.substr(0, 1);
        if (k > 1) out += "." + digits.substr(1);
        out += "e" + std::string(n - 1 < 0 ? "-" : "") + std::to_string(std::abs(n - 1));
    }
    return out;
}

// Literal text as ClickHouse names columns: floats that print as integers keep a trailing '.'
// (1e10 -> `10000000000.`), strings are quoted, arrays/tuples use [..] and (..).
void appendFieldName(std::string& out, const Field& f) {
    std::visit([&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, double>) {
            std::string s = literalFloat(v);
            bool integral = !s.empty() && s.find_first_not_of("-0123456789") == std::string::npos;
            out += s;
            if (integral) out += '.';
        } else if constexpr (std::is_same_v<T, FieldArray> || std::is_same_v<T, FieldTuple>) {
            out += std::is_same_v<T, FieldArray> ? '[' : '(';
            for (size_t i = 0; i < v.items.size(); ++i) {
                if (i) out += ", ";
                appendFieldName(out, v.items[i]);
            }
            out += std::is_same_v<T, FieldArray> ? ']' : ')';
        } else {
            out += f.toSQL();
        }
    }, f.value);
}

// EXPLAIN AST spelling of a literal: UInt64_1, Int64_-1, Float64_1.5, 'a', Array_[UInt64_1].
void appendFieldDump(std::string& out, const Field& f) {
    std::visit([&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, NullField>) out += "NULL";
        else if constexpr (std::is_same_v<T, uint64_t>) out += "UInt64_" + std::to_string(v);
        else if constexpr (std::is_same_v<T, int64_t>) out += "Int64_" + std::to_string(v);
        else if constexpr (std::is_same_v<T, double>) out += "Float64_" + literalFloat(v);
        else if constexpr (std::is_same_v<T, bool>) out += v ? "Bool_1" : "Bool_0";
        else if constexpr (std::is_same_v<T, std::string>) appendQuotedString(out, v);
        else {
            out += std::is_same_v<T, FieldArray> ? "Array_[" : "Tuple_(";
            for (size_t i = 0; i < v.items.size(); ++i) {
                if (i) out += ", ";
                appendFieldDump(out, v.items[i]);
            }
            out += std::is_same_v<T, FieldArray> ? ']' : ')';
        }
    }, f.value);
}

ASTs cloneAll(const ASTs& v) {
    ASTs out;
    out.reserve(v.size());
    for (auto& a : v) out.push_back(a ? a->clone() : nullptr);
    return out;
}
ASTPtr cloneOrNull(const ASTPtr& p) { return p ? p->clone() : nullptr; }
template <typename T> std::shared_ptr<T> cloneTyped(const std::shared_ptr<T>& p) { return p ? cloneAs(*p) : nullptr; }

void appendList(std::string& out, const ASTs& items) {
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += items[i]->formatSQL();
    }
}

void appendSettings(std::string& out, const SettingsChanges& s) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (i) out += ", ";
        appendIdent(out, s[i].first);
        out += " = ";
        appendFieldName(out, s[i].second);
    }
}

const char* binaryOperator(const std::string& name) {
    static const std::pair<const char*, const char*> kOps[] = {
        {"plus", " + "}, {"minus", " - "}, {"multiply", " * "}, {"divide", " / "}, {"modulo", " % "},
        {"equals", " = "}, {"notEquals", " != "}, {"less", " < "}, {"lessOrEquals", " <= "}, {"greater", " > "},
        {"greaterOrEquals", " >= "}, {"like", " LIKE "}, {"notLike", " NOT LIKE "}, {"ilike", " ILIKE "},
        {"notILike", " NOT ILIKE "}, {"in", " IN "}, {"notIn", " NOT IN "}, {"globalIn", " GLOBAL IN "},
        {"globalNotIn", " GLOBAL NOT IN "}, {"concat", " || "}, {"and", " AND "}, {"or", " OR "},
    };
    for (auto& [n, op] : kOps)
        if (name == n) return op;
    return nullptr;
}

// Operator-form children that need parentheses to keep their grouping when printed infix.
bool needsParens(const ASTPtr& a) {
    auto* f = a->as<ASTFunction>();
    if (f && f->is_operator && f->alias.empty()) {
        if (binaryOperator(f->name) || f->name == "not" || f->name == "negate" || f->name == "isNull" ||
            f->name == "isNotNull" || f->name == "lambda" || f->name == "if")
            return true;
    }
    return !a->alias.empty();
}

void appendOperand(std::string& out, const ASTPtr& a) {
    if (needsParens(a)) {
        out += '(';
        out += a->formatSQL();
        out += ')';
    } else {
        out += a->formatSQL();
    }
}

}  // namespace

// ---- IAST ---------------------------------------------------------------------------------------

std::string IAST::getColumnName() const { return formatSQL(false); }

std::string IAST::formatSQL(bool with_alias) const {
    std::string out;
    if (auto* sq = as<ASTSubquery>(); sq && sq->cte && with_alias) {
        appendIdent(out, alias);
        out += " AS ";
        formatImpl(out);
        return out;
    }
    formatImpl(out);
    // Table expressions place their alias before FINAL themselves.
    if (with_alias && !alias.empty() && !as<ASTTableExpression>()) {
        out += " AS ";
        appendIdent(out, alias);
    }
    return out;
}

// ---- expressions --------------------------------------------------------------------------------

std::string ASTLiteral::getColumnName() const {
    std::string out;
    appendFieldName(out, value);
    return out;
}

void ASTLiteral::formatImpl(std::string& out) const { appendFieldName(out, value); }

std::string ASTIdentifier::name() const {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) out += '.';
        out += parts[i];
    }
    return out;
}

void ASTIdentifier::formatImpl(std::string& out) const {
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) out += '.';
        appendIdent(out, parts[i]);
    }
}

void ColumnTransformers::format(std::string& out) const {
    if (!except_regex.empty()) {
        out += " EXCEPT(";
        appendQuotedString(out, except_regex);
        out += ")";
    } else if (!except_names.empty()) {
        out += " EXCEPT (";
        for (size_t i = 0; i < except_names.size(); ++i) {
            if (i) out += ", ";
            appendIdent(out, except_names[i]);
        }
        out += ")";
    }
    if (!replace.empty()) {
        out += " REPLACE (";
        for (size_t i = 0; i < replace.size(); ++i) {
            if (i) out += ", ";
            out += replace[i].second->formatSQL();
            out += " AS ";
            appendIdent(out, replace[i].first);
        }
        out += ")";
    }
}

void ASTAsterisk::formatImpl(std::string& out) const {
    for (auto& q : qualifier) {
        appendIdent(out, q);
        out += '.';
    }
    out += '*';
    transformers.format(out);
}

void ASTColumnsMatcher::formatImpl(std::string& out) const {
    out += "COLUMNS(";
    if (!regex.empty() || columns.empty()) appendQuotedString(out, regex);
    for (size_t i = 0; i < columns.size(); ++i) {
        if (i) out += ", ";
        appendIdent(out, columns[i]);
    }
    out += ")";
    transformers.format(out);
}

ASTPtr ASTFunction::clone() const {
    auto f = std::make_shared<ASTFunction>(*this);
    f->arguments = cloneAll(arguments);
    if (parameters) f->parameters = cloneAll(*parameters);
    f->window = cloneTyped(window);
    return f;
}

// The body of OVER (...) in column names: column names of the expressions, ORDER BY elements with
// their direction, the frame only when written.
static std::string windowColumnName(const ASTWindowDefinition& w) {
    std::string body;
    auto sep = [&] { if (!body.empty()) body += ' '; };
    if (!w.parent_window.empty()) body += w.parent_window;
    if (!w.partition_by.empty()) {
        sep();
        body += "PARTITION BY ";
        for (size_t i = 0; i < w.partition_by.size(); ++i) body += (i ? ", " : "") + w.partition_by[i]->getColumnName();
    }
    if (!w.order_by.empty()) {
        sep();
        body += "ORDER BY ";
        for (size_t i = 0; i < w.order_by.size(); ++i) {
            const auto& o = *w.order_by[i];
            body += (i ? ", " : "") + o.expr->getColumnName() + (o.descending ? " DESC" : " ASC");
            if (o.nulls_first) body += *o.nulls_first ? " NULLS FIRST" : " NULLS LAST";
        }
    }
    if (!w.frame_is_default) {
        sep();
        using W = ASTWindowDefinition;
        body += w.frame_type == W::FrameType::Rows ? "ROWS" : w.frame_type == W::FrameType::Range ? "RANGE" : "GROUPS";
        auto bound = [&](const W::Bound& b) {
            if (b.kind == W::BoundKind::Current) return std::string("CURRENT ROW");
            std::string r = b.kind == W::BoundKind::Unbounded ? "UNBOUNDED" : b.offset->getColumnName();
            return r + (b.preceding ? " PRECEDING" : " FOLLOWING");
        };
        body += " BETWEEN " + bound(w.frame_begin) + " AND " + bound(w.frame_end);
    }
    return body;
}

std::string ASTFunction::getColumnName() const {
    std::string out;
    auto args = [&](const ASTs& list) {
        for (size_t i = 0; i < list.size(); ++i) {
            if (i) out += ", ";
            out += list[i]->getColumnName();
        }
    };
    // ClickHouse names array(...) and tuple(...) with bracket syntax, except the lambda's parameter tuple.
    if (name == "array" && !parameters) {
        out += '[';
        args(arguments);
        out += ']';
        return out;
    }
    if (name == "tuple" && !parameters) {
        out += '(';
        args(arguments);
        out += ')';
        return out;
    }
    if (name == "lambda" && arguments.size() == 2) {
        out += "lambda(tuple(";
        if (auto* t = arguments[0]->as<ASTFunction>()) args(t->arguments);
        else out += arguments[0]->getColumnName();
        out += "), ";
        out += arguments[1]->getColumnName();
        out += ')';
        return out;
    }
    out += name;
    if (distinct) out += "Distinct";   // count(DISTINCT x) is named countDistinct(x)
    if (parameters) {
        out += '(';
        args(*parameters);
        out += ')';
    }
    out += '(';
    args(arguments);
    out += ')';
    // Window calls are named as ClickHouse does: `f(x) OVER w`, `f(x) OVER (PARTITION BY a ORDER BY b ASC ...)`.
    if (window) {
        out += " OVER (";
        out += windowColumnName(*window);
        out += ')';
    } else if (!window_name.empty()) {
        out += " OVER " + window_name;
    }
    return out;
}

void ASTFunction::formatImpl(std::string& out) const {
    if (is_operator) {
        if (const char* op = binaryOperator(name); op && arguments.size() >= 2) {
            for (size_t i = 0; i < arguments.size(); ++i) {
                if (i) out += op;
                appendOperand(out, arguments[i]);
            }
            return;
        }
        if (arguments.size() == 1) {
            if (name == "not") { out += "NOT "; appendOperand(out, arguments[0]); return; }
            if (name == "negate") {
                // -(-1): a negative literal needs brackets, or it would read as the comment "--1".
                auto* l = arguments[0]->as<ASTLiteral>();
                bool negative_literal = l && ((l->value.is<int64_t>() && l->value.get<int64_t>() < 0) ||
                                              (l->value.is<double>() && std::signbit(l->value.get<double>())));
                out += '-';
                if (negative_literal) out += "(" + arguments[0]->formatSQL() + ")";
                else appendOperand(out, arguments[0]);
                return;
            }
            if (name == "isNull") { appendOperand(out, arguments[0]); out += " IS NULL"; return; }
            if (name == "isNotNull") { appendOperand(out, arguments[0]); out += " IS NOT NULL"; return; }
        }
        if (name == "arrayElement" && arguments.size() == 2) {
            appendOperand(out, arguments[0]);
            out += '[';
            out += arguments[1]->formatSQL();
            out += ']';
            return;
        }
        if (name == "tupleElement" && arguments.size() == 2) {
            auto* lit = arguments[1]->as<ASTLiteral>();
            if (lit && lit->value.is<uint64_t>()) {
                appendOperand(out, arguments[0]);
                out += '.' + std::to_string(lit->value.get<uint64_t>());
                return;
            }
            if (lit && lit->value.is<std::string>()) {
                appendOperand(out, arguments[0]);
                out += '.';
                appendIdent(out, lit->value.get<std::string>());
                return;
            }
        }
        if (name == "array") {
            out += '[';
            appendList(out, arguments);
            out += ']';
            return;
        }
        if (name == "tuple" && arguments.size() >= 2) {
            out += '(';
            appendList(out, arguments);
            out += ')';
            return;
        }
        if (name == "lambda" && arguments.size() == 2) {
            auto* params = arguments[0]->as<ASTFunction>();
            if (params && params->arguments.size() == 1) {
                out += params->arguments[0]->formatSQL();
            } else {
                out += '(';
                if (params) appendList(out, params->arguments);
                out += ')';
            }
            out += " -> ";
            appendOperand(out, arguments[1]);
            return;
        }
    }
    out += name;
    if (parameters) {
        out += '(';
        appendList(out, *parameters);
        out += ')';
    }
    out += '(';
    if (distinct) out += "DISTINCT ";
    appendList(out, arguments);
    out += ')';
    if (window) {
        out += " OVER (" + window->formatSQL() + ")";
    } else if (!window_name.empty()) {
        out += " OVER ";
        appendIdent(out, window_name);
    }
}

ASTPtr ASTSubquery::clone() const {
    auto s = std::make_shared<ASTSubquery>(*this);
    s->query = cloneOrNull(query);
    return s;
}

// Subquery columns get a positional name from the analyzer in ClickHouse (_subquery_N); the parser
// cannot know N, so it gives the stable prefix and leaves numbering to the analyzer.
std::string ASTSubquery::getColumnName() const { return number ? "_subquery_" + std::to_string(number) : "_subquery"; }

void ASTSubquery::formatImpl(std::string& out) const {
    out += '(';
    if (query) out += query->formatSQL();
    out += ')';
}

ASTPtr ASTOrderByElement::clone() const {
    auto e = std::make_shared<ASTOrderByElement>(*this);
    e->expr = cloneOrNull(expr);
    return e;
}

void ASTOrderByElement::formatImpl(std::string& out) const {
    out += expr->formatSQL();
    out += descending ? " DESC" : " ASC";
    if (nulls_first) out += *nulls_first ? " NULLS FIRST" : " NULLS LAST";
    if (!collation.empty()) {
        out += " COLLATE ";
        appendQuotedString(out, collation);
    }
    if (with_fill) out += " WITH FILL";
}

ASTPtr ASTTableExpression::clone() const {
    auto t = std::make_shared<ASTTableExpression>(*this);
    t->table_function = cloneTyped(table_function);
    t->subquery = cloneTyped(subquery);
    return t;
}

void ASTTableExpression::formatImpl(std::string& out) const {
    if (subquery) out += subquery->formatSQL(false);
    else if (table_function) out += table_function->formatSQL(false);
    else out += qualified(database, table);
    if (!alias.empty()) {
        out += " AS ";
        appendIdent(out, alias);
    }
    if (final) out += " FINAL";
}

ASTPtr ASTTableJoin::clone() const {
    auto j = std::make_shared<ASTTableJoin>(*this);
    j->table = cloneTyped(table);
    j->on = cloneOrNull(on);
    j->using_columns = cloneAll(using_columns);
    return j;
}

ASTs ASTTableJoin::children() const {
    ASTs out{table};
    if (on) out.push_back(on);
    for (auto& u : using_columns) out.push_back(u);
    return out;
}

void ASTTableJoin::formatImpl(std::string& out) const {
    if (comma) {
        out += ", " + table->formatSQL();
        return;
    }
    out += ' ';
    if (global) out += "GLOBAL ";
    static const char* kinds[] = {"INNER", "LEFT", "RIGHT", "FULL", "CROSS", "PASTE"};
    static const char* strictnesses[] = {"", "ALL", "ANY", "SEMI", "ANTI", "ASOF"};
    if (strictness != JoinStrictness::Unspecified) out += std::string(strictnesses[int(strictness)]) + " ";
    if (natural) out += "NATURAL ";
    out += std::string(kinds[int(join_kind)]) + " JOIN " + table->formatSQL();
    if (on) out += " ON " + on->formatSQL();
    if (!using_columns.empty()) {
        out += " USING (";
        appendList(out, using_columns);
        out += ')';
    }
}

ASTPtr ASTWindowDefinition::clone() const {
    auto w = std::make_shared<ASTWindowDefinition>(*this);
    w->partition_by = cloneAll(partition_by);
    for (auto& o : w->order_by) o = cloneTyped(o);
    w->frame_begin.offset = cloneOrNull(frame_begin.offset);
    w->frame_end.offset = cloneOrNull(frame_end.offset);
    return w;
}

ASTs ASTWindowDefinition::children() const {
    ASTs out = partition_by;
    for (auto& o : order_by) out.push_back(o);
    return out;
}

void ASTWindowDefinition::formatImpl(std::string& out) const {
    std::string body;
    auto sep = [&] { if (!body.empty()) body += ' '; };
    if (!parent_window.empty()) appendIdent(body, parent_window);
    if (!partition_by.empty()) {
        sep();
        body += "PARTITION BY ";
        appendList(body, partition_by);
    }
    if (!order_by.empty()) {
        sep();
        body += "ORDER BY ";
        for (size_t i = 0; i < order_by.size(); ++i) body += (i ? ", " : "") + order_by[i]->formatSQL();
    }
    if (!frame_is_default) {
        sep();
        body += frame_type == FrameType::Rows ? "ROWS" : frame_type == FrameType::Range ? "RANGE" : "GROUPS";
        auto bound = [&](const Bound& b) {
            if (b.kind == BoundKind::Current) return std::string("CURRENT ROW");
            std::string r = b.kind == BoundKind::Unbounded ? "UNBOUNDED" : b.offset->formatSQL();
            return r + (b.preceding ? " PRECEDING" : " FOLLOWING");
        };
        body += " BETWEEN " + bound(frame_begin) + " AND " + bound(frame_end);
    }
    out += body;
}

// ---- SELECT -------------------------------------------------------------------------------------

ASTPtr ASTSelectQuery::clone() const {
    auto s = std::make_shared<ASTSelectQuery>(*this);
    s->with = cloneAll(with);
    s->select = cloneAll(select);
    s->from = cloneTyped(from);
    for (auto& j : s->joins) j = cloneTyped(j);
    for (auto& w : s->windows) w.second = cloneTyped(w.second);
    s->array_join = cloneAll(array_join);
    s->prewhere = cloneOrNull(prewhere);
    s->where = cloneOrNull(where);
    s->having = cloneOrNull(having);
    s->qualify = cloneOrNull(qualify);
    s->group_by = cloneAll(group_by);
    for (auto& o : s->order_by) o = cloneTyped(o);
    s->limit_by_length = cloneOrNull(limit_by_length);
    s->limit_by_offset = cloneOrNull(limit_by_offset);
    s->limit_by = cloneAll(limit_by);
    s->limit_length = cloneOrNull(limit_length);
    s->limit_offset = cloneOrNull(limit_offset);
    return s;
}

std::vector<ASTSelectQuery::ArrayJoinClause> ASTSelectQuery::arrayJoinClauses() const {
    std::vector<ArrayJoinClause> out;
    if (array_join.empty()) return out;
    size_t begin = 0;
    bool left = left_array_join;
    for (auto& [start, l] : array_join_more) {
        if (start <= begin || start >= array_join.size()) continue;
        out.push_back({begin, start, left});
        begin = start;
        left = l;
    }
    out.push_back({begin, array_join.size(), left});
    return out;
}

ASTs ASTSelectQuery::children() const {
    ASTs out;
    auto add = [&](const ASTPtr& p) { if (p) out.push_back(p); };
    auto addAll = [&](const ASTs& v) { for (auto& p : v) add(p); };
    addAll(with);
    addAll(select);
    add(from);
    for (auto& j : joins) add(j);
    addAll(array_join);
    add(prewhere);
    add(where);
    addAll(group_by);
    add(having);
    add(qualify);
    for (auto& o : order_by) add(o);
    add(limit_by_offset);
    add(limit_by_length);
    addAll(limit_by);
    add(limit_offset);
    add(limit_length);
    return out;
}

void ASTSelectQuery::formatImpl(std::string& out) const {
    if (!with.empty()) {
        out += with_recursive ? "WITH RECURSIVE " : "WITH ";
        appendList(out, with);
        out += ' ';
    }
    out += "SELECT ";
    if (distinct) out += "DISTINCT ";
    appendList(out, select);
    if (from) out += " FROM " + from->formatSQL();
    for (auto& j : joins) out += j->formatSQL();
    for (auto& c : arrayJoinClauses()) {
        out += c.left ? " LEFT ARRAY JOIN " : " ARRAY JOIN ";
        appendList(out, ASTs(array_join.begin() + long(c.begin), array_join.begin() + long(c.end)));
    }
    if (array_join_without_items) out += " ARRAY JOIN";
    if (prewhere) out += " PREWHERE " + prewhere->formatSQL();
    if (where) out += " WHERE " + where->formatSQL();
    if (group_by_all) out += " GROUP BY ALL";
    else if (!group_by.empty()) {
        out += " GROUP BY ";
        appendList(out, group_by);
    }
    if (with_rollup) out += " WITH ROLLUP";
    if (with_cube) out += " WITH CUBE";
    if (with_totals) out += " WITH TOTALS";
    if (having) out += " HAVING " + having->formatSQL();
    if (!windows.empty()) {
        out += " WINDOW ";
        for (size_t i = 0; i < windows.size(); ++i) {
            if (i) out += ", ";
            appendIdent(out, windows[i].first);
            out += " AS (" + windows[i].second->formatSQL() + ")";
        }
    }
    if (qualify) out += " QUALIFY " + qualify->formatSQL();
    if (!order_by.empty()) {
        out += " ORDER BY ";
        for (size_t i = 0; i < order_by.size(); ++i) {
            if (i) out += ", ";
            out += order_by[i]->formatSQL();
        }
    }
    if (!limit_by.empty()) {
        out += " LIMIT ";
        if (limit_by_offset) out += limit_by_offset->formatSQL() + ", ";
        if (limit_by_length) out += limit_by_length->formatSQL();
        out += " BY ";
        appendList(out, limit_by);
    }
    if (limit_length) {
        out += " LIMIT ";
        if (limit_offset) out += limit_offset->formatSQL() + ", ";
        out += limit_length->formatSQL();
        if (limit_with_ties) out += " WITH TIES";
    } else if (limit_offset) {
        out += " OFFSET " + limit_offset->formatSQL();
    }
    if (!settings.empty()) {
        out += " SETTINGS ";
        appendSettings(out, settings);
    }
}

ASTPtr ASTSelectWithUnion::clone() const {
    auto u = std::make_shared<ASTSelectWithUnion>(*this);
    u->selects = cloneAll(selects);
    return u;
}

void ASTSelectWithUnion::formatImpl(std::string& out) const {
    for (size_t i = 0; i < selects.size(); ++i) {
        if (i) out += (i - 1 < modes.size() && modes[i - 1] == UnionMode::All) ? " UNION ALL " : " UNION DISTINCT ";
        bool nested = selects.size() > 1 && selects[i]->as<ASTSelectWithUnion>();
        if (nested) out += '(';
        out += selects[i]->formatSQL();
        if (nested) out += ')';
    }
}

// ---- DDL and utility statements -----------------------------------------------------------------

ASTPtr ASTColumnDeclaration::clone() const {
    auto c = std::make_shared<ASTColumnDeclaration>(*this);
    c->default_expr = cloneOrNull(default_expr);
    c->ttl = cloneOrNull(ttl);
    return c;
}

void ASTColumnDeclaration::formatImpl(std::string& out) const {
    appendBackQuoted(out, name);   // SHOW CREATE TABLE always backquotes column names
    if (!type.empty()) out += ' ' + type;
    if (null_modifier) out += *null_modifier ? " NULL" : " NOT NULL";
    if (!default_kind.empty()) {
        out += ' ' + default_kind;
        if (default_expr) out += ' ' + default_expr->formatSQL();
    }
    if (!comment.empty()) {
        out += " COMMENT ";
        appendQuotedString(out, comment);
    }
    if (!codec.empty()) out += " CODEC(" + codec + ")";
    if (ttl) out += " TTL " + ttl->formatSQL();
    if (dictionary_expression) out += " EXPRESSION " + dictionary_expression->formatSQL();
    for (auto& f : dictionary_flags) out += " " + f;
}

ASTPtr ASTConstraint::clone() const {
    auto c = std::make_shared<ASTConstraint>(*this);
    c->expr = cloneOrNull(expr);
    return c;
}

void ASTConstraint::formatImpl(std::string& out) const {
    out += "CONSTRAINT ";
    appendIdent(out, name);
    out += ' ' + type + ' ';
    if (expr) out += expr->formatSQL();
}

ASTPtr ASTIndexDeclaration::clone() const {
    auto c = std::make_shared<ASTIndexDeclaration>(*this);
    c->expr = cloneOrNull(expr);
    c->type = cloneOrNull(type);
    return c;
}

void ASTIndexDeclaration::formatImpl(std::string& out) const {
    out += "INDEX ";
    appendIdent(out, name);
    out += ' ';
    if (expr) out += expr->formatSQL();
    out += " TYPE ";
    if (type) out += type->formatSQL();
    out += " GRANULARITY " + std::to_string(granularity);
}

std::string ASTIndexDeclaration::typeName() const {
    if (auto* f = type ? type->as<ASTFunction>() : nullptr) return f->name;
    if (auto* id = type ? type->as<ASTIdentifier>() : nullptr) return id->name();
    return "";
}

ASTs ASTIndexDeclaration::typeArguments() const {
    if (auto* f = type ? type->as<ASTFunction>() : nullptr) return f->arguments;
    return {};
}

ASTPtr ASTCreateQuery::clone() const {
    auto c = std::make_shared<ASTCreateQuery>(*this);
    for (auto& col : c->columns) col = cloneTyped(col);
    for (auto& k : c->constraints) k = cloneTyped(k);
    for (auto& i : c->indices) i = cloneTyped(i);
    c->engine = cloneTyped(engine);
    c->partition_by = cloneOrNull(partition_by);
    c->primary_key = cloneOrNull(primary_key);
    c->order_by = cloneOrNull(order_by);
    c->sample_by = cloneOrNull(sample_by);
    c->ttl = cloneOrNull(ttl);
    c->ttl_where = cloneOrNull(ttl_where);
    c->as_select = cloneTyped(as_select);
    c->as_table_function = cloneTyped(as_table_function);
    return c;
}

namespace {
// ENGINE = Memory / ENGINE = ReplacingMergeTree(ver): no brackets when there are no arguments, as in
// ClickHouse's SHOW CREATE.
void appendEngine(std::string& out, const ASTFunction& engine) {
    out += "\nENGINE = " + engine.name;
    if (engine.parameters) {
        out += '(';
        appendList(out, *engine.parameters);
        out += ')';
    }
    if (!engine.arguments.empty()) {
        out += '(';
        appendList(out, engine.arguments);
        out += ')';
    }
}
}  // namespace

void ASTCreateQuery::formatImpl(std::string& out) const {
    if (attach) {
        out += "ATTACH TABLE ";
        if (if_not_exists) out += "IF NOT EXISTS ";
        out += qualified(database, table);
        return;
    }
    out += "CREATE ";
    if (or_replace) out += "OR REPLACE ";
    if (temporary) out += "TEMPORARY ";
    switch (what) {
        case What::Database: out += "DATABASE "; break;
        case What::Table: out += "TABLE "; break;
        case What::View: out += "VIEW "; break;
        case What::MaterializedView: out += "MATERIALIZED VIEW "; break;
        case What::Dictionary: out += "DICTIONARY "; break;
    }
    if (if_not_exists) out += "IF NOT EXISTS ";
    if (what == What::Database) {
        appendIdent(out, database);
        if (engine) appendEngine(out, *engine);
        if (!comment.empty()) {
            out += "\nCOMMENT ";
            appendQuotedString(out, comment);
        }
        return;
    }
    out += qualified(database, table);
    if (show_uuid && !uuid.empty()) { out += " UUID "; appendQuotedString(out, uuid); }
    if (!refresh_kind.empty()) {
        out += "\nREFRESH " + refresh_kind + " " + std::to_string(refresh_value) + " " + refresh_unit;
        if (!refresh_offset_unit.empty()) out += " OFFSET " + std::to_string(refresh_offset_value) + " " + refresh_offset_unit;
        if (refresh_append) out += " APPEND";
    }
    if (!to_table.empty()) out += " TO " + qualified(to_database, to_table);
    if (!as_table.empty()) out += " AS " + qualified(as_database, as_table);
    if (as_table_function) out += " AS " + as_table_function->formatSQL(false);
    // ClickHouse's SHOW CREATE layout: one element per line, four-space indent, clauses on new lines.
    if (!columns.empty() || !constraints.empty() || !indices.empty()) {
        out += "\n(\n";
        bool first = true;
        auto line = [&](const std::string& s) {
            if (!first) out += ",\n";
            first = false;
            out += "    " + s;
        };
        for (auto& c : columns) line(c->formatSQL(false));
        for (auto& i : indices) line(i->formatSQL(false));
        for (auto& k : constraints) line(k->formatSQL(false));
        out += "\n)";
    }
    if (what == What::Dictionary) {
        // ClickHouse's SHOW CREATE DICTIONARY layout.
        auto params = [&](const std::vector<DictionaryParam>& ps) {
            std::string s;
            for (auto& p : ps) {
                if (!s.empty()) s += " ";
                s += toUpper(p.key) + " ";
                if (p.value.is<std::string>()) appendQuotedString(s, p.value.get<std::string>());
                else s += p.value.toSQL();
            }
            return s;
        };
        out += "\nPRIMARY KEY ";
        for (size_t i = 0; i < dictionary_key.size(); ++i) out += (i ? ", " : "") + dictionary_key[i];
        out += "\nSOURCE(" + toUpper(dictionary_source) + "(" + params(dictionary_source_params) + "))";
        out += "\nLIFETIME(MIN " + std::to_string(lifetime_min) + " MAX " + std::to_string(lifetime_max) + ")";
        out += "\nLAYOUT(" + toUpper(dictionary_layout) + "(" + params(dictionary_layout_params) + "))";
        if (!range_min.empty()) out += "\nRANGE(MIN " + range_min + " MAX " + range_max + ")";
        if (!comment.empty()) {
            out += "\nCOMMENT ";
            appendQuotedString(out, comment);
        }
        return;
    }
    if (engine) appendEngine(out, *engine);
    if (partition_by) out += "\nPARTITION BY " + partition_by->formatSQL();
    if (primary_key) out += "\nPRIMARY KEY " + primary_key->formatSQL();
    if (order_by) out += "\nORDER BY " + order_by->formatSQL();
    if (sample_by) out += "\nSAMPLE BY " + sample_by->formatSQL();
    if (ttl) out += "\nTTL " + ttl->formatSQL();
    if (ttl && ttl_where) out += " WHERE " + ttl_where->formatSQL();
    if (!engine_settings.empty()) {
        out += "\nSETTINGS ";
        appendSettings(out, engine_settings);
    }
    if (populate) out += "\nPOPULATE";
    // A view's query in ClickHouse's normalized layout (as SHOW CREATE prints it).
    if (as_select) out += "\nAS " + (what == What::View || what == What::MaterializedView ? formatCanonical(*as_select, true) : as_select->formatSQL());
    if (!comment.empty()) {
        out += "\nCOMMENT ";
        appendQuotedString(out, comment);
    }
}

void ASTDropQuery::formatImpl(std::string& out) const {
    switch (drop_kind) {
        case Kind::Drop: out += "DROP "; break;
        case Kind::Truncate: out += "TRUNCATE "; break;
        case Kind::Detach: out += "DETACH "; break;
    }
    switch (what) {
        case What::Database: out += "DATABASE "; break;
        case What::Table: out += "TABLE "; break;
        case What::View: out += "VIEW "; break;
        case What::Dictionary: out += "DICTIONARY "; break;
    }
    if (if_exists) out += "IF EXISTS ";
    if (what == What::Database) appendIdent(out, database);
    else out += qualified(database, table);
}

void ASTRenameQuery::formatImpl(std::string& out) const {
    if (exchange) out += "EXCHANGE TABLES ";
    else out += database ? "RENAME DATABASE " : "RENAME TABLE ";
    for (size_t i = 0; i < elements.size(); ++i) {
        const auto& e = elements[i];
        if (i) out += ", ";
        if (database) {
            appendIdent(out, e.from_database);
            out += " TO ";
            appendIdent(out, e.to_database);
        } else {
            out += qualified(e.from_database, e.from_table);
            out += exchange ? " AND " : " TO ";
            out += qualified(e.to_database, e.to_table);
        }
    }
}

void ASTShowQuery::formatImpl(std::string& out) const {
    auto like_clause = [&] {
        if (like.empty()) return;
        out += not_like ? " NOT" : "";
        out += ilike ? " ILIKE " : " LIKE ";
        appendQuotedString(out, like);
    };
    switch (what) {
        case What::Tables:
            out += "SHOW TABLES";
            if (!database.empty()) { out += " FROM "; appendIdent(out, database); }
            like_clause();
            break;
        case What::Databases: out += "SHOW DATABASES"; like_clause(); break;
        case What::CreateTable: out += "SHOW CREATE TABLE " + qualified(database, table); break;
        case What::CreateDatabase: out += "SHOW CREATE DATABASE "; appendIdent(out, database); break;
        case What::Settings: out += "SHOW SETTINGS"; like_clause(); break;
        case What::Functions: out += "SHOW FUNCTIONS"; like_clause(); break;
        case What::Columns: out += "SHOW COLUMNS FROM " + qualified(database, table); like_clause(); break;
    }
    if (limit) out += " LIMIT " + limit->formatSQL();
}

ASTPtr ASTDescribeQuery::clone() const {
    auto d = std::make_shared<ASTDescribeQuery>(*this);
    d->table = cloneTyped(table);
    return d;
}

void ASTDescribeQuery::formatImpl(std::string& out) const {
    out += "DESCRIBE TABLE ";
    if (table) out += table->formatSQL();
}

void ASTOptimizeQuery::formatImpl(std::string& out) const {
    out += "OPTIMIZE TABLE " + qualified(database, table);
    if (partition) out += " PARTITION " + partition->formatSQL(false);
    if (!partition_id.empty()) { out += " PARTITION ID "; appendQuotedString(out, partition_id); }
    if (final) out += " FINAL";
    if (deduplicate) {
        out += " DEDUPLICATE";
        for (size_t i = 0; i < deduplicate_by.size(); ++i) out += (i ? ", " : " BY ") + deduplicate_by[i]->formatSQL(false);
    }
}

void ASTAlterQuery::formatImpl(std::string& out) const {
    out += "ALTER TABLE " + qualified(database, table) + " (" + std::to_string(commands.size()) + " commands)";
}

void ASTDeleteQuery::formatImpl(std::string& out) const {
    out += "DELETE FROM " + qualified(database, table);
    if (predicate) out += " WHERE " + predicate->formatSQL(false);
}

void ASTSystemQuery::formatImpl(std::string& out) const {
    out += "SYSTEM " + action;
    if (!table.empty()) out += " " + qualified(database, table);
}

void ASTKillQuery::formatImpl(std::string& out) const {
    out += "KILL " + what + " WHERE " + where->formatSQL(false);
    if (!mode.empty()) out += " " + mode;
}

void ASTAccessQuery::formatImpl(std::string& out) const {
    auto identText = [](const std::string& n) { std::string r; appendIdent(r, n); return r; };
    auto list = [&](const std::vector<std::string>& v) {
        std::string r;
        for (size_t i = 0; i < v.size(); ++i) r += (i ? ", " : "") + identText(v[i]);
        return r;
    };
    std::string on = (database.empty() ? std::string("*") : identText(database)) + "." + (table == "*" ? std::string("*") : identText(table));
    switch (action) {
        case Action::CreateUser:
            out += std::string("CREATE USER ") + (if_not_exists ? "IF NOT EXISTS " : or_replace ? "OR REPLACE " : "") + list(names);
            if (has_password || !password_sha256_hex.empty()) out += " IDENTIFIED WITH sha256_password BY '[HIDDEN]'";
            if (readonly) out += std::string(" SETTINGS readonly = ") + (*readonly ? "1" : "0");
            return;
        case Action::DropUser: out += std::string("DROP USER ") + (if_exists ? "IF EXISTS " : "") + list(names); return;
        case Action::CreateRole: out += std::string("CREATE ROLE ") + (if_not_exists ? "IF NOT EXISTS " : or_replace ? "OR REPLACE " : "") + list(names); return;
        case Action::DropRole: out += std::string("DROP ROLE ") + (if_exists ? "IF EXISTS " : "") + list(names); return;
        case Action::Grant: case Action::Revoke: {
            out += action == Action::Grant ? "GRANT " : "REVOKE ";
            if (!privileges.empty()) {
                for (size_t i = 0; i < privileges.size(); ++i) {
                    out += (i ? ", " : "") + privileges[i];
                    if (i < privilege_columns.size() && !privilege_columns[i].empty()) out += "(" + list(privilege_columns[i]) + ")";
                }
                out += " ON " + on;
            } else {
                out += list(granted_roles);
            }
            out += (action == Action::Grant ? " TO " : " FROM ") + list(grantees);
            if (with_grant_option) out += " WITH GRANT OPTION";
            return;
        }
        case Action::ShowGrants: out += "SHOW GRANTS"; if (!names.empty()) out += " FOR " + list(names); return;
        case Action::CreateRowPolicy:
            out += std::string("CREATE ROW POLICY ") + (if_not_exists ? "IF NOT EXISTS " : or_replace ? "OR REPLACE " : "") + list(names) + " ON " + on +
                   " USING " + condition->formatSQL(false) + " TO " + list(grantees);
            return;
        case Action::DropRowPolicy: out += std::string("DROP ROW POLICY ") + (if_exists ? "IF EXISTS " : "") + list(names) + " ON " + on; return;
        case Action::CreateQuota: {
            out += std::string("CREATE QUOTA ") + (if_not_exists ? "IF NOT EXISTS " : or_replace ? "OR REPLACE " : "") + list(names);
            for (size_t i = 0; i < quota_intervals.size(); ++i) {
                out += (i ? ", FOR INTERVAL " : " FOR INTERVAL ") + std::to_string(quota_intervals[i].seconds) + " second";
                auto& lim = quota_intervals[i].limits;
                if (lim.empty()) out += " NO LIMITS";
                for (size_t k = 0; k < lim.size(); ++k) out += (k ? ", " : " MAX ") + lim[k].first + " = " + formatFloat(lim[k].second);
            }
            out += " TO " + list(grantees);
            return;
        }
        case Action::DropQuota: out += std::string("DROP QUOTA ") + (if_exists ? "IF EXISTS " : "") + list(names); return;
    }
}

void ASTUseQuery::formatImpl(std::string& out) const {
    out += "USE ";
    appendIdent(out, database);
}

void ASTSetQuery::formatImpl(std::string& out) const {
    out += "SET ";
    appendSettings(out, changes);
}

ASTPtr ASTExplainQuery::clone() const {
    auto e = std::make_shared<ASTExplainQuery>(*this);
    e->query = cloneOrNull(query);
    return e;
}

void ASTExplainQuery::formatImpl(std::string& out) const {
    out += "EXPLAIN";
    switch (explain_kind) {
        case Kind::AST: out += " AST"; break;
        case Kind::Syntax: out += " SYNTAX"; break;
        case Kind::Plan: break;   // the default kind prints as plain EXPLAIN
        case Kind::Pipeline: out += " PIPELINE"; break;
        case Kind::Estimate: out += " ESTIMATE"; break;
    }
    if (!explain_settings.empty()) {
        out += ' ';
        appendSettings(out, explain_settings);
    }
    if (query) out += ' ' + query->formatSQL();
}

ASTPtr ASTInsertQuery::clone() const {
    auto i = std::make_shared<ASTInsertQuery>(*this);
    i->table_function = cloneTyped(table_function);
    i->select = cloneTyped(select);
    return i;
}

void ASTInsertQuery::formatImpl(std::string& out) const {
    out += "INSERT INTO ";
    if (table_function) out += "FUNCTION " + table_function->formatSQL(false);
    else out += qualified(database, table);
    if (!columns.empty()) {
        out += " (";
        for (size_t i = 0; i < columns.size(); ++i) {
            if (i) out += ", ";
            appendIdent(out, columns[i]);
        }
        out += ')';
    }
    if (select) out += ' ' + select->formatSQL();
    else if (format == "Values") out += " VALUES";
    else if (!format.empty()) out += " FORMAT " + format;
}

// ---- EXPLAIN AST ----------------------------------------------------------------------------------

namespace {

// A node of the dump: ClickHouse shows intermediate ExpressionList / TablesInSelectQuery nodes that
// basalt's AST folds into vectors, so the dump rebuilds them.
struct DumpNode {
    std::string label;
    std::vector<DumpNode> children;
};

DumpNode dumpNode(const IAST& ast);

std::string aliasSuffix(const IAST& a) { return a.alias.empty() ? "" : " (alias " + a.alias + ")"; }

DumpNode exprList(const ASTs& items) {
    DumpNode n{"ExpressionList", {}};
    for (auto& a : items)
        if (a) n.children.push_back(dumpNode(*a));
    return n;
}

DumpNode transformersNode(const ColumnTransformers& t) {
    DumpNode list{"ColumnsTransformerList", {}};
    if (!t.except_names.empty() || !t.except_regex.empty()) {
        DumpNode e{"ColumnsExceptTransformer", {}};
        for (auto& n : t.except_names) e.children.push_back({"Identifier " + n, {}});
        if (!t.except_regex.empty()) e.children.push_back({"Literal " + quoteString(t.except_regex), {}});
        list.children.push_back(std::move(e));
    }
    if (!t.replace.empty()) {
        DumpNode r{"ColumnsReplaceTransformer", {}};
        for (auto& [name, expr] : t.replace) {
            DumpNode el{"ColumnsReplaceTransformer::Replacement", {}};
            el.children.push_back(dumpNode(*expr));
            el.label += " (alias " + name + ")";
            r.children.push_back(std::move(el));
        }
        list.children.push_back(std::move(r));
    }
    return list;
}

DumpNode dumpNode(const IAST& ast) {
    if (auto* l = ast.as<ASTLiteral>()) {
        std::string s = "Literal ";
        appendFieldDump(s, l->value);
        return {s + aliasSuffix(ast), {}};
    }
    if (auto* id = ast.as<ASTIdentifier>()) return {"Identifier " + id->name() + aliasSuffix(ast), {}};
    if (auto* f = ast.as<ASTFunction>()) {
        DumpNode n{"Function " + f->name + aliasSuffix(ast), {}};
        if (f->parameters) n.children.push_back(exprList(*f->parameters));
        n.children.push_back(exprList(f->arguments));
        return n;
    }
    if (auto* a = ast.as<ASTAsterisk>()) {
        DumpNode n{a->qualifier.empty() ? "Asterisk" : "QualifiedAsterisk", {}};
        if (!a->qualifier.empty()) {
            std::string q;
            for (size_t i = 0; i < a->qualifier.size(); ++i) q += (i ? "." : "") + a->qualifier[i];
            n.children.push_back({"Identifier " + q, {}});
        }
        if (!a->transformers.empty()) n.children.push_back(transformersNode(a->transformers));
        return n;
    }
    if (auto* m = ast.as<ASTColumnsMatcher>()) {
        DumpNode n{m->columns.empty() ? "ColumnsRegexpMatcher" : "ColumnsListMatcher", {}};
        for (auto& c : m->columns) n.children.push_back({"Identifier " + c, {}});
        if (!m->transformers.empty()) n.children.push_back(transformersNode(m->transformers));
        return n;
    }
    if (auto* s = ast.as<ASTSubquery>()) {
        DumpNode n{"Subquery" + aliasSuffix(ast), {}};
        if (s->query) n.children.push_back(dumpNode(*s->query));
        return n;
    }
    if (auto* o = ast.as<ASTOrderByElement>()) {
        DumpNode n{"OrderByElement", {}};
        if (o->expr) n.children.push_back(dumpNode(*o->expr));
        return n;
    }
    if (auto* t = ast.as<ASTTableExpression>()) {
        DumpNode n{"TableExpression", {}};
        if (t->subquery) {
            DumpNode sq = dumpNode(*t->subquery);
            sq.label = "Subquery" + aliasSuffix(ast);
            n.children.push_back(std::move(sq));
        } else if (t->table_function) {
            DumpNode f = dumpNode(*t->table_function);
            f.label += aliasSuffix(ast);
            n.children.push_back(std::move(f));
        } else {
            n.children.push_back({"TableIdentifier " + (t->database.empty() ? t->table : t->database + "." + t->table) + aliasSuffix(ast), {}});
        }
        return n;
    }
    if (auto* s = ast.as<ASTSelectQuery>()) {
        DumpNode n{"SelectQuery", {}};
        if (!s->with.empty()) n.children.push_back(exprList(s->with));
        n.children.push_back(exprList(s->select));
        if (s->from || !s->array_join.empty()) {
            DumpNode tables{"TablesInSelectQuery", {}};
            if (s->from) tables.children.push_back({"TablesInSelectQueryElement", {dumpNode(*s->from)}});
            for (auto& c : s->arrayJoinClauses())
                tables.children.push_back({"TablesInSelectQueryElement",
                                           {{"ArrayJoin", {exprList(ASTs(s->array_join.begin() + long(c.begin), s->array_join.begin() + long(c.end)))}}}});
            n.children.push_back(std::move(tables));
        }
        if (s->prewhere) n.children.push_back(dumpNode(*s->prewhere));
        if (s->where) n.children.push_back(dumpNode(*s->where));
        if (!s->group_by.empty()) n.children.push_back(exprList(s->group_by));
        if (s->having) n.children.push_back(dumpNode(*s->having));
        if (s->qualify) n.children.push_back(dumpNode(*s->qualify));
        if (!s->order_by.empty()) {
            DumpNode ob{"ExpressionList", {}};
            for (auto& o : s->order_by) ob.children.push_back(dumpNode(*o));
            n.children.push_back(std::move(ob));
        }
        if (s->limit_by_offset) n.children.push_back(dumpNode(*s->limit_by_offset));
        if (s->limit_by_length) n.children.push_back(dumpNode(*s->limit_by_length));
        if (!s->limit_by.empty()) n.children.push_back(exprList(s->limit_by));
        if (s->limit_offset) n.children.push_back(dumpNode(*s->limit_offset));
        if (s->limit_length) n.children.push_back(dumpNode(*s->limit_length));
        if (!s->settings.empty()) n.children.push_back({"Set", {}});
        return n;
    }
    if (auto* u = ast.as<ASTSelectWithUnion>()) return {"SelectWithUnionQuery", {exprList(u->selects)}};
    if (auto* e = ast.as<ASTExplainQuery>()) {
        DumpNode n{"Explain", {}};
        if (e->query) n.children.push_back(dumpNode(*e->query));
        return n;
    }
    if (auto* c = ast.as<ASTCreateQuery>()) {
        DumpNode n{std::string("CreateQuery ") + (c->database.empty() ? c->table : c->table.empty() ? c->database : c->database + "." + c->table), {}};
        if (!c->columns.empty()) {
            DumpNode cols{"Columns definition", {}};
            DumpNode list{"ExpressionList", {}};
            for (auto& col : c->columns) {
                DumpNode cd{"ColumnDeclaration " + col->name, {}};
                if (!col->type.empty()) cd.children.push_back({"DataType " + col->type, {}});
                if (col->default_expr) cd.children.push_back(dumpNode(*col->default_expr));
                list.children.push_back(std::move(cd));
            }
            cols.children.push_back(std::move(list));
            n.children.push_back(std::move(cols));
        }
        if (c->engine) {
            DumpNode storage{"Storage definition", {dumpNode(*c->engine)}};
            for (const ASTPtr& p : {c->partition_by, c->primary_key, c->order_by, c->sample_by, c->ttl})
                if (p) storage.children.push_back(dumpNode(*p));
            if (!c->engine_settings.empty()) storage.children.push_back({"Set", {}});
            n.children.push_back(std::move(storage));
        }
        if (c->as_select) n.children.push_back(dumpNode(*c->as_select));
        return n;
    }
    if (auto* i = ast.as<ASTInsertQuery>()) {
        DumpNode n{"InsertQuery", {}};
        if (i->table_function) n.children.push_back(dumpNode(*i->table_function));
        else n.children.push_back({"Identifier " + (i->database.empty() ? i->table : i->database + "." + i->table), {}});
        if (i->select) n.children.push_back(dumpNode(*i->select));
        return n;
    }
    if (auto* d = ast.as<ASTDescribeQuery>()) {
        DumpNode n{"DescribeQuery", {}};
        if (d->table) n.children.push_back(dumpNode(*d->table));
        return n;
    }
    if (auto* d = ast.as<ASTDropQuery>()) {
        const char* kinds[] = {"DropQuery", "TruncateQuery", "DetachQuery"};
        return {std::string(kinds[int(d->drop_kind)]) + " " + (d->table.empty() ? d->database : d->database.empty() ? d->table : d->database + "." + d->table) + " query", {}};
    }
    if (ast.as<ASTSetQuery>()) return {"Set", {}};
    if (auto* u = ast.as<ASTUseQuery>()) return {"UseQuery " + u->database, {}};
    if (ast.as<ASTShowQuery>()) return {"ShowQuery", {}};
    if (ast.as<ASTRenameQuery>()) return {"Rename", {}};
    DumpNode n{std::string(ast.kind()) + aliasSuffix(ast), {}};
    for (auto& ch : ast.children())
        if (ch) n.children.push_back(dumpNode(*ch));
    return n;
}

void printDump(const DumpNode& n, size_t indent, std::string& out) {
    out.append(indent, ' ');
    out += n.label;
    if (!n.children.empty()) out += " (children " + std::to_string(n.children.size()) + ")";
    out += '\n';
    for (auto& c : n.children) printDump(c, indent + 1, out);
}

}  // namespace

std::string dumpTree(const IAST& ast) {
    std::string out;
    printDump(dumpNode(ast), 0, out);
    return out;
}

}  // namespace basalt
