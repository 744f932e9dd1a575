// parser.cpp — recursive-descent parser for basalt's ClickHouse SQL dialect: SELECT (with UNION),
// DDL (CREATE/DROP/TRUNCATE/DETACH/RENAME/EXCHANGE), SHOW/DESCRIBE/USE/SET/EXPLAIN and INSERT, plus
// splitStatements for scripts. Operators are desugared to ClickHouse function names here so the
// rest of the engine only ever sees function calls.
//
// Error reporting follows ClickHouse: every failed attempt to match something notes what was
// expected at that token; the error is reported at the furthest token reached, listing what was
// expected there. Internal failures are a private SyntaxFail type so alternatives can backtrack; only
// the top level turns them into Exception(SYNTAX_ERROR).
//
// Robustness (the parser is fuzzed): every recursive path passes a DepthGuard, and operator chains
// that deepen the tree (a + b + c ..., x[1][2]...) count toward the same limit, so both parsing and
// later tree walks (destructors, clone, formatting) are bounded by max_parser_depth.
#include "sql/parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/exception.h"
#include "common/string_utils.h"
#include "sql/lexer.h"

namespace basalt {

namespace {

struct SyntaxFail {};

// Words that never become an implicit alias (`SELECT a b` makes b an alias, `SELECT a FROM` does not).
bool isRestrictedAlias(std::string_view w) {
    static const char* kWords[] = {
        "FROM", "WHERE", "PREWHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "SETTINGS", "FORMAT",
        "UNION", "EXCEPT", "INTERSECT", "INTO", "WITH", "AS", "ARRAY", "LEFT", "RIGHT", "INNER", "OUTER",
        "FULL", "CROSS", "JOIN", "ANY", "ALL", "ASOF", "SEMI", "ANTI", "PASTE", "GLOBAL", "LOCAL", "ON", "NATURAL",
        "USING", "FINAL", "SAMPLE", "AND", "OR", "NOT", "BETWEEN", "LIKE", "ILIKE", "IN", "IS", "QUALIFY",
        "WINDOW", "BY", "ASC", "DESC", "ASCENDING", "DESCENDING", "NULLS", "COLLATE", "DIV", "MOD", "THEN",
        "ELSE", "END", "WHEN", "FETCH", "TOTALS", "DISTINCT", "PARALLEL", "REGEXP", "ESCAPE", "OVER",
        "FILTER", "TIES", "FILL", "STEP", "INTERPOLATE", "OUTFILE", "SELECT", "VALUES", "TO", "TTL",
        "ENGINE", "PARTITION", "PRIMARY", "COMMENT", "CODEC", "DEFAULT", "MATERIALIZED", "ALIAS",
        "EPHEMERAL", "NULL", "CONSTRAINT", "INDEX", "POPULATE", "SYNC", "APPLY", "REPLACE", "ROLLUP", "CUBE",
    };
    for (const char* k : kWords)
        if (iequals(w, k)) return true;
    return false;
}

// Words that cannot start an expression as a bare identifier; keeps `SELECT FROM t` an error instead
// of selecting a column named FROM.
bool isReservedStart(std::string_view w) {
    static const char* kWords[] = {"SELECT", "FROM", "WHERE", "PREWHERE", "HAVING", "UNION", "SETTINGS", "FORMAT",
                                   "THEN", "ELSE", "END", "WHEN", "AND", "OR", "AS", "QUALIFY", "BETWEEN"};
    for (const char* k : kWords)
        if (iequals(w, k)) return true;
    return false;
}

// INTERVAL / toInterval<Unit> units, accepting singular and plural spellings.
const char* intervalUnit(std::string_view w) {
    static const std::pair<const char*, const char*> kUnits[] = {
        {"NANOSECOND", "Nanosecond"}, {"MICROSECOND", "Microsecond"}, {"MILLISECOND", "Millisecond"},
        {"SECOND", "Second"}, {"MINUTE", "Minute"}, {"HOUR", "Hour"}, {"DAY", "Day"}, {"WEEK", "Week"},
        {"MONTH", "Month"}, {"QUARTER", "Quarter"}, {"YEAR", "Year"},
    };
    for (auto& [k, v] : kUnits) {
        if (iequals(w, k)) return v;
        if (w.size() == std::string_view(k).size() + 1 && (w.back() == 's' || w.back() == 'S') && iequals(w.substr(0, w.size() - 1), k)) return v;
    }
    return nullptr;
}

const char* extractFunction(std::string_view unit) {
    static const std::pair<const char*, const char*> kParts[] = {
        {"YEAR", "toYear"}, {"QUARTER", "toQuarter"}, {"MONTH", "toMonth"}, {"WEEK", "toISOWeek"},
        {"DAY", "toDayOfMonth"}, {"HOUR", "toHour"}, {"MINUTE", "toMinute"}, {"SECOND", "toSecond"},
    };
    for (auto& [k, v] : kParts)
        if (iequals(unit, k)) return v;
    return nullptr;
}

std::shared_ptr<ASTFunction> makeFunction(std::string name, ASTs args, size_t pos, bool is_operator = false) {
    auto f = std::make_shared<ASTFunction>();
    f->name = std::move(name);
    f->arguments = std::move(args);
    f->position = pos;
    f->is_operator = is_operator;
    return f;
}

std::shared_ptr<ASTLiteral> makeLiteral(Field v, size_t pos) {
    auto l = std::make_shared<ASTLiteral>(std::move(v));
    l->position = pos;
    return l;
}

// A Number token's value: UInt64 when it fits, otherwise Float64 (as ClickHouse does for 2^64 and up).
std::optional<Field> parseNumber(std::string_view text) {
    std::string s;
    s.reserve(text.size());
    for (char c : text)
        if (c != '_') s += c;
    bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    bool bin = s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B');
    bool is_float = hex ? (s.find_first_of(".pP") != std::string::npos) : (!bin && s.find_first_of(".eE") != std::string::npos);
    if (!is_float) {
        uint64_t v = 0;
        const char* b = s.data() + (hex || bin ? 2 : 0);
        const char* e = s.data() + s.size();
        auto r = std::from_chars(b, e, v, hex ? 16 : bin ? 2 : 10);
        if (r.ec == std::errc() && r.ptr == e) return Field(v);
        if (r.ec != std::errc::result_out_of_range) return std::nullopt;
        if (bin) return std::nullopt;
    }
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
    return Field(d);
}

std::optional<double> specialFloat(std::string_view w) {
    if (iequals(w, "inf") || iequals(w, "infinity")) return std::numeric_limits<double>::infinity();
    if (iequals(w, "nan")) return std::numeric_limits<double>::quiet_NaN();
    return std::nullopt;
}

class Parser {
public:
    Parser(std::string_view sql, const ParserLimits& limits) : q_(sql), lexer_(sql), limits_(limits) {}

    ParsedStatement parseStatementTop() {
        ParsedStatement st;
        st.text = std::string(q_);
        st.end = q_.size();
        run([&] {
            st.ast = parseStatementBody(st.output, /*top=*/true);
            if (!stopped_) {
                parseOutputOptions(st.output);
                accept(TokenType::Semicolon, "semicolon");
                expectEnd();
            }
        });
        if (!on_cluster_.empty()) {
            st.on_cluster = on_cluster_;
            st.text_without_on_cluster = std::string(q_.substr(0, on_cluster_begin_)) + std::string(q_.substr(on_cluster_end_));
        }
        return st;
    }

    ASTPtr parseExpressionTop() {
        ASTPtr e;
        run([&] {
            e = parseExprWithAlias(false);
            expectEnd();
        });
        return e;
    }

private:
    // ---- token access -------------------------------------------------------------------------

    const Token& tok(size_t k = 0) {
        while (toks_.size() <= i_ + k) {
            if (!toks_.empty() && (toks_.back().isEnd())) return toks_.back();
            Token t = lexer_.next();
            if (t.type == TokenType::Error) throwLexError(t);
            if (t.end > limits_.max_query_size) {
                throw Exception(ErrorCodes::SYNTAX_ERROR,
                                formatSyntaxError(q_, t.begin, t.end, false, "Max query size exceeded."));
            }
            toks_.push_back(std::move(t));
        }
        return toks_[i_ + k];
    }
    std::string_view text(size_t k = 0) { const Token& t = tok(k); return t.text(q_); }
    bool is(TokenType t, size_t k = 0) { return tok(k).type == t; }
    bool isWord(size_t k = 0) { return tok(k).type == TokenType::BareWord; }
    bool isIdent(size_t k = 0) { return tok(k).type == TokenType::BareWord || tok(k).type == TokenType::QuotedIdentifier; }
    bool isKw(const char* kw, size_t k = 0) { return isWord(k) && iequals(text(k), kw); }
    size_t pos() { return tok().begin; }
    size_t prevEnd() { return i_ == 0 ? 0 : toks_[i_ - 1].end; }

    void noteExpected(const std::string& what) {
        if (i_ > fail_tok_) {
            fail_tok_ = i_;
            expected_.clear();
        }
        if (i_ == fail_tok_ && std::find(expected_.begin(), expected_.end(), what) == expected_.end())
            expected_.push_back(what);
    }
    [[noreturn]] void fail(const std::string& what = "") {
        if (!what.empty()) noteExpected(what);
        else if (i_ > fail_tok_) { fail_tok_ = i_; expected_.clear(); }
        throw SyntaxFail{};
    }
    bool acceptKw(const char* kw) {
        if (isKw(kw)) { ++i_; return true; }
        noteExpected(kw);
        return false;
    }
    bool acceptKws(const char* a, const char* b) {
        if (isKw(a) && isKw(b, 1)) { i_ += 2; return true; }
        noteExpected(std::string(a) + " " + b);
        return false;
    }
    void expectKw(const char* kw) { if (!acceptKw(kw)) fail(); }
    bool accept(TokenType t, const char* name) {
        if (is(t)) { ++i_; return true; }
        noteExpected(name);
        return false;
    }
    void expect(TokenType t, const char* name) { if (!accept(t, name)) fail(); }
    void expectEnd() {
        if (!tok().isEnd()) fail("end of query");
    }

    struct DepthGuard {
        Parser& p;
        size_t n;
        explicit DepthGuard(Parser& parser, size_t count = 1) : p(parser), n(count) { p.enter(n); }
        ~DepthGuard() { p.depth_ -= n; }
    };
    void enter(size_t n) {
        depth_ += n;
        if (depth_ > limits_.max_parser_depth) {
            depth_ -= n;
            throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "Maximum parse depth (" + std::to_string(limits_.max_parser_depth) +
                                                                ") exceeded. Consider rising max_parser_depth parameter.");
        }
    }
    // Operator chains deepen the tree without recursing; each link counts as one level until the
    // enclosing expression is done.
    struct ChainGuard {
        Parser& p;
        size_t n = 0;
        explicit ChainGuard(Parser& parser) : p(parser) {}
        void link() { p.enter(1); ++n; }
        ~ChainGuard() { p.depth_ -= n; }
    };

    template <typename F> void run(F&& body) {
        try {
            body();
        } catch (const SyntaxFail&) {
            throwSyntaxError();
        }
    }

    [[noreturn]] void throwLexError(const Token& t) {
        throw Exception(ErrorCodes::SYNTAX_ERROR, t.value + ": " + formatSyntaxError(q_, t.begin, t.end, false, "."));
    }

    [[noreturn]] void throwSyntaxError() {
        // Unbalanced brackets get ClickHouse's dedicated message: it is what the user needs to fix.
        std::vector<size_t> stack;
        size_t upto = std::min(fail_tok_ + 1, toks_.size());
        for (size_t k = 0; k < upto; ++k) {
            TokenType t = toks_[k].type;
            if (t == TokenType::OpeningRound || t == TokenType::OpeningSquare || t == TokenType::OpeningCurly) {
                stack.push_back(k);
            } else if (t == TokenType::ClosingRound || t == TokenType::ClosingSquare || t == TokenType::ClosingCurly) {
                TokenType want = t == TokenType::ClosingRound ? TokenType::OpeningRound
                                 : t == TokenType::ClosingSquare ? TokenType::OpeningSquare : TokenType::OpeningCurly;
                if (stack.empty() || toks_[stack.back()].type != want) {
                    const Token& bad = toks_[k];
                    throw Exception(ErrorCodes::SYNTAX_ERROR,
                                    formatSyntaxError(q_, bad.begin, bad.end, false,
                                                      "Unmatched parentheses: " + std::string(bad.text(q_)) + "."));
                }
                stack.pop_back();
            }
        }
        const Token& at = fail_tok_ < toks_.size() ? toks_[fail_tok_] : toks_.back();
        if (at.isEnd() && !stack.empty()) {
            const Token& open = toks_[stack.back()];
            throw Exception(ErrorCodes::SYNTAX_ERROR,
                            formatSyntaxError(q_, open.begin, open.end, false,
                                              "Unmatched parentheses: " + std::string(open.text(q_)) + "."));
        }
        std::string tail;
        if (expected_.size() == 1) tail = "Expected " + expected_[0] + ".";
        else if (!expected_.empty()) {
            tail = "Expected one of: ";
            for (size_t k = 0; k < expected_.size(); ++k) tail += (k ? ", " : "") + expected_[k];
            tail += ".";
        }
        throw Exception(ErrorCodes::SYNTAX_ERROR, formatSyntaxError(q_, at.begin, at.end, at.isEnd(), tail));
    }

    // ---- identifiers, aliases, literals -------------------------------------------------------

    std::string identName(size_t k = 0) {
        const Token& t = tok(k);
        return t.type == TokenType::QuotedIdentifier ? t.value : std::string(t.text(q_));
    }
    std::string parseIdent(const char* what = "identifier") {
        if (!isIdent()) fail(what);
        std::string n = identName();
        ++i_;
        return n;
    }
    // [db.]name
    void parseQualifiedName(std::string& db, std::string& name) {
        name = parseIdent();
        if (is(TokenType::Dot) && isIdent(1)) {
            ++i_;
            db = std::move(name);
            name = parseIdent();
        }
    }

    // Optional alias after an expression; implicit (no AS) aliases only where ClickHouse allows them.
    void parseAlias(IAST& node, bool implicit) {
        if (isKw("AS")) {
            if (!isIdent(1)) { ++i_; fail("alias"); }
            ++i_;
            node.alias = parseIdent("alias");
            return;
        }
        noteExpected("AS");
        if (implicit) {
            if (is(TokenType::QuotedIdentifier) || (isWord() && !isRestrictedAlias(text()))) {
                node.alias = identName();
                ++i_;
                return;
            }
            noteExpected("alias");
        }
    }

    ASTPtr parseExprWithAlias(bool implicit) {
        ASTPtr e = parseExpr();
        parseAlias(*e, implicit);
        return e;
    }

    Field parseLiteralValue() {
        ASTPtr e = parseUnary();
        auto* lit = e->as<ASTLiteral>();
        if (!lit) fail("literal");
        return lit->value;
    }

    SettingsChanges parseSettingsList() {
        SettingsChanges out;
        do {
            std::string name = parseIdent("setting name");
            Field value = Field(uint64_t(1));
            if (accept(TokenType::Equals, "equals")) value = parseLiteralValue();
            out.emplace_back(std::move(name), std::move(value));
        } while (accept(TokenType::Comma, "Comma"));
        return out;
    }

    // ---- expressions --------------------------------------------------------------------------

    ASTPtr parseExpr() {
        DepthGuard g(*this);
        return parseLambda();
    }

    ASTPtr parseLambda() {
        size_t start = pos();
        ASTPtr left = parseTernary();
        if (!is(TokenType::Arrow)) {
            noteExpected("arrow");
            return left;
        }
        ASTs params;
        if (auto* id = left->as<ASTIdentifier>(); id && id->parts.size() == 1 && left->alias.empty()) {
            params.push_back(left);
        } else if (auto* f = left->as<ASTFunction>(); f && f->name == "tuple" && f->is_operator) {
            for (auto& a : f->arguments) {
                auto* pid = a->as<ASTIdentifier>();
                if (!pid || pid->parts.size() != 1) fail("lambda parameter");
                params.push_back(a);
            }
        } else {
            fail("end of expression");
        }
        ++i_;
        ASTPtr body = parseExpr();
        auto tuple = makeFunction("tuple", std::move(params), start);
        return makeFunction("lambda", {tuple, body}, start, true);
    }

    ASTPtr parseTernary() {
        DepthGuard g(*this);
        size_t start = pos();
        ASTPtr cond = parseOr();
        if (!is(TokenType::QuestionMark)) {
            noteExpected("question mark");
            return cond;
        }
        ++i_;
        ASTPtr then = parseTernary();
        expect(TokenType::Colon, "colon");
        ASTPtr otherwise = parseTernary();
        return makeFunction("if", {cond, then, otherwise}, start, true);
    }

    ASTPtr parseOr() {
        size_t start = pos();
        ASTs items{parseAnd()};
        while (acceptKw("OR")) items.push_back(parseAnd());
        if (items.size() == 1) return items[0];
        return makeFunction("or", std::move(items), start, true);   // a OR b OR c is one or(a, b, c)
    }

    ASTPtr parseAnd() {
        size_t start = pos();
        ASTs items{parseNot()};
        while (acceptKw("AND")) items.push_back(parseNot());
        if (items.size() == 1) return items[0];
        return makeFunction("and", std::move(items), start, true);
    }

    ASTPtr parseNot() {
        DepthGuard g(*this);
        size_t start = pos();
        // NOT as an operator; `not(x)` reads the same. NOT followed by an operator keyword is left to
        // the comparison level (it cannot start an expression).
        if (isKw("NOT") && !is(TokenType::Comma, 1) && !is(TokenType::ClosingRound, 1) && !tok(1).isEnd()) {
            ++i_;
            ASTPtr arg = parseNot();
            return makeFunction("not", {arg}, start, true);
        }
        return parseComparison();
    }

    // ClickHouse's rewrite of `x op ANY|ALL (subquery)`:  = ANY -> IN, != ALL -> NOT IN,
    // = ALL / != ANY -> [NOT] IN (SELECT singleValueOrNull(*) FROM (subquery)), < > <= >= compare
    // with (SELECT min(*) | max(*) FROM (subquery)). Null for other operators.
    ASTPtr rewriteAnyAll(const std::string& op, bool all, const ASTPtr& left, const ASTPtr& sq, size_t start) {
        std::string agg;
        std::string fname = op;
        if (op == "equals" || op == "notEquals") {
            fname = op == "equals" ? "in" : "notIn";
            if ((op == "equals") != all) return makeFunction(fname, {left, sq}, start, true);
            agg = "singleValueOrNull";
        } else if (op == "greater" || op == "greaterOrEquals") {
            agg = all ? "max" : "min";
        } else if (op == "less" || op == "lessOrEquals") {
            agg = all ? "min" : "max";
        } else {
            return nullptr;
        }
        auto star = std::make_shared<ASTAsterisk>();
        star->position = start;
        auto select = std::make_shared<ASTSelectQuery>();
        select->position = start;
        select->select.push_back(makeFunction(agg, {star}, start));
        select->from = std::make_shared<ASTTableExpression>();
        select->from->subquery = std::static_pointer_cast<ASTSubquery>(sq);
        auto with_union = std::make_shared<ASTSelectWithUnion>();
        with_union->position = start;
        with_union->selects.push_back(select);
        auto outer = std::make_shared<ASTSubquery>();
        outer->position = start;
        outer->query = with_union;
        return makeFunction(fname, {left, outer}, start, true);
    }

    ASTPtr parseComparison() {
        size_t start = pos();
        ASTPtr left = parseConcat();
        ChainGuard chain(*this);
        while (true) {
            const char* op = nullptr;
            switch (tok().type) {
                case TokenType::Equals: op = "equals"; break;
                case TokenType::NotEquals: op = "notEquals"; break;
                case TokenType::Less: op = "less"; break;
                case TokenType::LessOrEquals: op = "lessOrEquals"; break;
                case TokenType::NullSafeEquals: op = "isNotDistinctFrom"; break;
                case TokenType::Greater: op = "greater"; break;
                case TokenType::GreaterOrEquals: op = "greaterOrEquals"; break;
                default: break;
            }
            if (op) {
                ++i_;
                chain.link();
                // x op ANY|SOME|ALL (subquery), rewritten as ClickHouse's parser does.
                if ((isKw("ANY") || isKw("SOME") || isKw("ALL")) && is(TokenType::OpeningRound, 1) && isSelectStart(2)) {
                    bool all = isKw("ALL");
                    size_t sq_start = tok(1).begin;
                    ++i_;
                    ASTPtr sq = parsePrimary();
                    if (!sq->as<ASTSubquery>()) fail("subquery");
                    if (ASTPtr r = rewriteAnyAll(op, all, left, sq, sq_start)) { left = r; continue; }
                    fail("comparison with ANY/ALL");
                }
                left = makeFunction(op, {left, parseConcat()}, start, true);
                continue;
            }
            if (isKw("IS")) {
                size_t k = 1;
                bool neg = isKw("NOT", 1);
                if (neg) ++k;
                if (!isKw("NULL", k)) { i_ += k; fail("NULL"); }
                i_ += k + 1;
                chain.link();
                left = makeFunction(neg ? "isNotNull" : "isNull", {left}, start, true);
                continue;
            }
            noteExpected("IS NULL");
            noteExpected("IS NOT NULL");
            bool neg = isKw("NOT");
            size_t k = neg ? 1 : 0;
            if (isKw("BETWEEN", k)) {
                i_ += k + 1;
                chain.link();
                ASTPtr lo = parseConcat();
                expectKw("AND");
                ASTPtr hi = parseConcat();
                if (neg)
                    left = makeFunction("or", {makeFunction("less", {left, lo}, start, true), makeFunction("greater", {left->clone(), hi}, start, true)}, start, true);
                else
                    left = makeFunction("and", {makeFunction("greaterOrEquals", {left, lo}, start, true), makeFunction("lessOrEquals", {left->clone(), hi}, start, true)}, start, true);
                continue;
            }
            if (isKw("LIKE", k) || isKw("ILIKE", k)) {
                bool ci = isKw("ILIKE", k);
                i_ += k + 1;
                chain.link();
                const char* name = ci ? (neg ? "notILike" : "ilike") : (neg ? "notLike" : "like");
                left = makeFunction(name, {left, parseConcat()}, start, true);
                continue;
            }
            if (!neg && isKw("REGEXP")) {
                ++i_;
                chain.link();
                left = makeFunction("match", {left, parseConcat()}, start, true);
                continue;
            }
            bool global = isKw("GLOBAL");
            size_t g = global ? 1 : 0;
            bool gneg = isKw("NOT", g);
            if (isKw("IN", g + (gneg ? 1 : 0))) {
                i_ += g + (gneg ? 1 : 0) + 1;
                chain.link();
                const char* name = global ? (gneg ? "globalNotIn" : "globalIn") : (gneg ? "notIn" : "in");
                left = makeFunction(name, {left, parseConcat()}, start, true);
                continue;
            }
            for (const char* e : {"BETWEEN", "NOT BETWEEN", "LIKE", "ILIKE", "NOT LIKE", "NOT ILIKE", "IN", "NOT IN", "GLOBAL IN"})
                noteExpected(e);
            return left;
        }
    }

    ASTPtr parseConcat() {
        size_t start = pos();
        ASTs items{parseAdditive()};
        while (accept(TokenType::Concatenation, "concatenation operator")) items.push_back(parseAdditive());
        if (items.size() == 1) return items[0];
        return makeFunction("concat", std::move(items), start, true);   // flattened, as ClickHouse does
    }

    ASTPtr parseAdditive() {
        size_t start = pos();
        ASTPtr left = parseMultiplicative();
        ChainGuard chain(*this);
        while (true) {
            const char* op = is(TokenType::Plus) ? "plus" : is(TokenType::Minus) ? "minus" : nullptr;
            if (!op) {
                noteExpected("plus");
                noteExpected("minus");
                return left;
            }
            ++i_;
            chain.link();
            left = makeFunction(op, {left, parseMultiplicative()}, start, true);
        }
    }

    ASTPtr parseMultiplicative() {
        size_t start = pos();
        ASTPtr left = parseUnary();
        ChainGuard chain(*this);
        while (true) {
            const char* op = nullptr;
            if (is(TokenType::Asterisk)) op = "multiply";
            else if (is(TokenType::Slash)) op = "divide";
            else if (is(TokenType::Percent)) op = "modulo";
            else if (isKw("DIV")) op = "intDiv";
            else if (isKw("MOD")) op = "modulo";
            if (!op) {
                for (const char* e : {"asterisk", "slash", "percent", "DIV", "MOD"}) noteExpected(e);
                return left;
            }
            ++i_;
            chain.link();
            left = makeFunction(op, {left, parseUnary()}, start, true);
        }
    }

    ASTPtr parseUnary() {
        DepthGuard g(*this);
        size_t start = pos();
        if (is(TokenType::Minus)) {
            // `-1` (even `- 1`) is a negative literal, as in ClickHouse: the column is named -1.
            if (is(TokenType::Number, 1)) {
                ++i_;
                ASTPtr lit = parseNumberLiteral(true, start);
                return parsePostfix(lit, start);
            }
            if (isWord(1) && specialFloat(text(1)) && !is(TokenType::OpeningRound, 2) && !is(TokenType::Dot, 2)) {
                double d = -*specialFloat(text(1));
                i_ += 2;
                return parsePostfix(makeLiteral(Field(d), start), start);
            }
            ++i_;
            ASTPtr arg = parseUnary();
            return makeFunction("negate", {arg}, start, true);
        }
        if (is(TokenType::Plus)) {
            ++i_;
            return parseUnary();
        }
        ASTPtr base = parsePrimary();
        return parsePostfix(base, start);
    }

    ASTPtr parseNumberLiteral(bool negative, size_t start) {
        auto v = parseNumber(text());
        if (!v) fail("number");
        ++i_;
        Field f = *v;
        if (negative) {
            if (f.is<uint64_t>()) {
                uint64_t u = f.get<uint64_t>();
                if (u <= uint64_t(std::numeric_limits<int64_t>::max()) + 1)
                    f = Field(int64_t(0 - u));   // two's complement wrap gives INT64_MIN for 2^63
                else
                    f = Field(-double(u));
            } else {
                f = Field(-f.get<double>());
            }
        }
        return makeLiteral(std::move(f), start);
    }

    // Postfix operators bind tightest: x::T, x[i], x.1, x.name.
    ASTPtr parsePostfix(ASTPtr base, size_t start) {
        ChainGuard chain(*this);
        while (true) {
            if (is(TokenType::DoubleColon)) {
                size_t src_end = prevEnd();
                ++i_;
                chain.link();
                std::string type = parseTypeText(true);
                ASTPtr value = base;
                // ClickHouse casts the literal's text for `1::UInt8`, naming the column CAST('1', 'UInt8').
                if (auto* lit = base->as<ASTLiteral>(); lit && base->alias.empty()) {
                    std::string src = lit->value.is<std::string>() ? lit->value.get<std::string>() : std::string(q_.substr(start, src_end - start));
                    value = makeLiteral(Field(src), start);
                }
                base = makeFunction("CAST", {value, makeLiteral(Field(type), start)}, start, true);
                continue;
            }
            if (is(TokenType::OpeningSquare)) {
                ++i_;
                chain.link();
                ASTPtr idx = parseExpr();
                expect(TokenType::ClosingSquare, "closing square bracket");
                base = makeFunction("arrayElement", {base, idx}, start, true);
                continue;
            }
            if (is(TokenType::Dot) && is(TokenType::Number, 1)) {
                ++i_;
                chain.link();
                auto v = parseNumber(text());
                if (!v || !v->is<uint64_t>()) fail("tuple element index");
                ASTPtr idx = makeLiteral(*v, pos());
                ++i_;
                base = makeFunction("tupleElement", {base, idx}, start, true);
                continue;
            }
            if (is(TokenType::Dot) && isIdent(1)) {
                ++i_;
                chain.link();
                ASTPtr name = makeLiteral(Field(identName()), pos());
                ++i_;
                base = makeFunction("tupleElement", {base, name}, start, true);
                continue;
            }
            noteExpected("DoubleColon");
            noteExpected("opening square bracket");
            return base;
        }
    }

    bool isSelectStart(size_t k) {
        // Skip a run of '(' : ((SELECT 1) UNION ALL (SELECT 2)) is still a subquery.
        while (is(TokenType::OpeningRound, k)) {
            if (k > 1000) return false;
            ++k;
        }
        return isKw("SELECT", k) || isKw("WITH", k);
    }

    std::shared_ptr<ASTSubquery> parseSubqueryBody(size_t start) {
        auto sq = std::make_shared<ASTSubquery>();
        sq->position = start;
        sq->query = parseSelectWithUnion();
        return sq;
    }

    ASTPtr parsePrimary() {
        DepthGuard g(*this);
        size_t start = pos();
        const Token& t = tok();
        switch (t.type) {
            case TokenType::Number: {
                return parseNumberLiteral(false, start);
            }
            case TokenType::StringLiteral: {
                std::string v = t.value;
                ++i_;
                return makeLiteral(Field(std::move(v)), start);
            }
            case TokenType::OpeningRound: return parseParenthesized(start);
            case TokenType::OpeningSquare: {
                ++i_;
                ASTs items;
                if (!is(TokenType::ClosingSquare)) {
                    do {
                        if (is(TokenType::ClosingSquare)) break;   // trailing comma
                        items.push_back(parseExprWithAlias(false));
                    } while (accept(TokenType::Comma, "Comma"));
                }
                expect(TokenType::ClosingSquare, "closing square bracket");
                return foldLiterals("array", std::move(items), start);
            }
            case TokenType::OpeningCurly: {
                // {name:Type}: the type is the raw text up to the matching closing brace.
                if (!(tok(1).type == TokenType::BareWord && tok(2).type == TokenType::Colon)) break;
                auto p = std::make_shared<ASTQueryParameter>();
                p->name = std::string(text(1));
                i_ += 3;
                size_t type_begin = tok().begin;
                int depth = 0;
                while (!tok().isEnd() && !(depth == 0 && is(TokenType::ClosingCurly))) {
                    if (is(TokenType::OpeningRound)) ++depth;
                    if (is(TokenType::ClosingRound)) --depth;
                    ++i_;
                }
                size_t type_end = tok().begin;
                expect(TokenType::ClosingCurly, "closing curly bracket");
                p->type = std::string(q_.substr(type_begin, type_end - type_begin));
                while (!p->type.empty() && isspace((unsigned char)p->type.back())) p->type.pop_back();
                if (p->type.empty()) fail();
                p->position = start;
                return p;
            }
            case TokenType::Asterisk: {
                ++i_;
                auto a = std::make_shared<ASTAsterisk>();
                a->position = start;
                parseTransformers(a->transformers);
                return a;
            }
            case TokenType::BareWord: return parseWordPrimary(start);
            case TokenType::QuotedIdentifier: return parseIdentifierOrFunction(start);
            default: break;
        }
        for (const char* e : {"number", "string literal", "opening round bracket", "opening square bracket", "identifier", "function"})
            noteExpected(e);
        fail();
    }

    ASTPtr parseParenthesized(size_t start) {
        // A subquery if a SELECT follows (possibly after more brackets); else a tuple or a grouping.
        if (isSelectStart(1)) {
            size_t save = i_;
            bool direct = isKw("SELECT", 1) || isKw("WITH", 1);
            try {
                ++i_;
                auto sq = parseSubqueryBody(start);
                expect(TokenType::ClosingRound, "closing round bracket");
                return sq;
            } catch (const SyntaxFail&) {
                if (direct) throw;
                i_ = save;   // ((SELECT 1) + 1): retry as an expression
            }
        }
        ++i_;
        if (accept(TokenType::ClosingRound, "closing round bracket")) {
            return makeLiteral(Field(FieldTuple{}), start);
        }
        ASTs items;
        bool comma = false;
        do {
            if (!items.empty() && is(TokenType::ClosingRound)) break;   // (1,) is a one-element tuple
            items.push_back(parseExprWithAlias(false));
        } while (accept(TokenType::Comma, "Comma") && (comma = true));
        expect(TokenType::ClosingRound, "closing round bracket");
        if (items.size() == 1 && !comma) return items[0];
        return foldLiterals("tuple", std::move(items), start);
    }

    // [1, 2] and (1, 'a') of constants become one Literal (ClickHouse names the column `[1, 2]`).
    ASTPtr foldLiterals(const char* fn, ASTs items, size_t start) {
        bool all = std::all_of(items.begin(), items.end(), [](const ASTPtr& a) { return a->as<ASTLiteral>() && a->alias.empty(); });
        if (all) {
            std::vector<Field> values;
            for (auto& a : items) values.push_back(a->as<ASTLiteral>()->value);
            if (std::string_view(fn) == "array") return makeLiteral(Field(FieldArray{std::move(values)}), start);
            return makeLiteral(Field(FieldTuple{std::move(values)}), start);
        }
        return makeFunction(fn, std::move(items), start, true);
    }

    ASTPtr parseWordPrimary(size_t start) {
        std::string_view w = text();
        bool call = is(TokenType::OpeningRound, 1);
        if (!call && !is(TokenType::Dot, 1)) {
            if (iequals(w, "NULL")) { ++i_; return makeLiteral(Field(), start); }
            if (iequals(w, "TRUE")) { ++i_; return makeLiteral(Field(true), start); }
            if (iequals(w, "FALSE")) { ++i_; return makeLiteral(Field(false), start); }
            if (auto f = specialFloat(w)) { ++i_; return makeLiteral(Field(*f), start); }
            if (iequals(w, "CASE")) return parseCase(start);
            if ((iequals(w, "DATE") || iequals(w, "TIMESTAMP")) && is(TokenType::StringLiteral, 1)) {
                const char* fn = iequals(w, "DATE") ? "toDate" : "toDateTime";
                ++i_;
                ASTPtr s = makeLiteral(Field(tok().value), pos());
                ++i_;
                return makeFunction(fn, {s}, start);
            }
            if (iequals(w, "INTERVAL") && (is(TokenType::Number, 1) || is(TokenType::StringLiteral, 1) || is(TokenType::OpeningRound, 1) ||
                                           is(TokenType::Minus, 1) || (isIdent(1) && isWord(2) && intervalUnit(text(2)))))
                return parseInterval(start);
            if (isReservedStart(w) || (iequals(w, "GROUP") && isKw("BY", 1)) || (iequals(w, "ORDER") && isKw("BY", 1))) {
                for (const char* e : {"number", "string literal", "identifier", "function"}) noteExpected(e);
                fail();
            }
        }
        if (call) {
            if (iequals(w, "CAST")) return parseCast(start);
            if (iequals(w, "EXTRACT") && isWord(2) && extractFunction(text(2)) && isKw("FROM", 3)) {
                const char* fn = extractFunction(text(2));
                i_ += 4;
                ASTPtr arg = parseExpr();
                expect(TokenType::ClosingRound, "closing round bracket");
                return makeFunction(fn, {arg}, start);
            }
            if (iequals(w, "EXISTS") && isSelectStart(2)) {
                i_ += 2;
                auto sq = parseSubqueryBody(pos());
                expect(TokenType::ClosingRound, "closing round bracket");
                return makeFunction("exists", {sq}, start);
            }
            if (iequals(w, "COLUMNS")) return parseColumnsMatcher(start);
            // TRIM([BOTH | LEADING | TRAILING] chars FROM s) -> trimBoth / trimLeft / trimRight(s, chars)
            if (iequals(w, "TRIM") && isWord(2) && (isKw("BOTH", 2) || isKw("LEADING", 2) || isKw("TRAILING", 2))) {
                const char* fn = isKw("BOTH", 2) ? "trimBoth" : isKw("LEADING", 2) ? "trimLeft" : "trimRight";
                i_ += 3;
                ASTPtr chars = parseExpr();
                if (!isKw("FROM")) { noteExpected("FROM"); fail(); }
                ++i_;
                ASTPtr str = parseExpr();
                expect(TokenType::ClosingRound, "closing round bracket");
                return makeFunction(fn, {str, chars}, start);
            }
        }
        return parseIdentifierOrFunction(start);
    }

    ASTPtr parseIdentifierOrFunction(size_t start) {
        std::vector<std::string> parts{identName()};
        ++i_;
        while (is(TokenType::Dot)) {
            if (isIdent(1)) {
                parts.push_back(identName(1));
                i_ += 2;
            } else if (is(TokenType::Asterisk, 1)) {
                i_ += 2;
                auto a = std::make_shared<ASTAsterisk>();
                a->position = start;
                a->qualifier = std::move(parts);
                parseTransformers(a->transformers);
                return a;
            } else {
                break;
            }
        }
        if (parts.size() == 1 && is(TokenType::OpeningRound)) return parseFunctionCall(parts[0], start);
        auto id = std::make_shared<ASTIdentifier>(std::move(parts));
        id->position = start;
        return id;
    }

    ASTs parseCallArgs(const std::string& name, bool& distinct) {
        expect(TokenType::OpeningRound, "opening round bracket");
        ASTs args;
        if (isKw("DISTINCT") && !is(TokenType::ClosingRound, 1) && !is(TokenType::Comma, 1)) {
            distinct = true;
            ++i_;
        } else if (isKw("ALL") && !is(TokenType::ClosingRound, 1) && !is(TokenType::Comma, 1) && !is(TokenType::Dot, 1)) {
            ++i_;
        }
        if (!is(TokenType::ClosingRound)) {
            do {
                if (isKw("SELECT") || isKw("WITH")) {   // exists(SELECT 1), in(x, SELECT ...)
                    args.push_back(parseSubqueryBody(pos()));
                    continue;
                }
                if (is(TokenType::Asterisk) && is(TokenType::ClosingRound, 1) && iequals(name, "count") && args.empty()) {
                    ++i_;   // count(*) is count()
                    continue;
                }
                args.push_back(parseExprWithAlias(false));
            } while (accept(TokenType::Comma, "Comma"));
        }
        expect(TokenType::ClosingRound, "closing round bracket");
        return args;
    }

    ASTPtr parseFunctionCall(const std::string& name, size_t start) {
        auto f = makeFunction(name, {}, start);
        bool distinct = false;
        f->arguments = parseCallArgs(name, distinct);
        if (is(TokenType::OpeningRound)) {   // parametric: quantile(0.9)(x)
            if (distinct) fail("closing round bracket");
            f->parameters = std::move(f->arguments);
            f->arguments = parseCallArgs(name, distinct);
        }
        f->distinct = distinct;
        if (acceptKw("OVER")) {   // window function: f(x) OVER (spec) | f(x) OVER name
            if (is(TokenType::OpeningRound)) {
                ++i_;
                f->window = parseWindowSpec();
                expect(TokenType::ClosingRound, "closing round bracket");
            } else {
                f->window_name = parseIdent("window name");
            }
        }
        return f;
    }

    // The inside of OVER (...) / WINDOW w AS (...): [parent] [PARTITION BY exprs] [ORDER BY elems]
    // [ROWS|RANGE|GROUPS {BETWEEN bound AND bound | bound}].
    std::shared_ptr<ASTWindowDefinition> parseWindowSpec() {
        auto w = std::make_shared<ASTWindowDefinition>();
        w->position = pos();
        auto frameWord = [&](size_t k) { return isKw("ROWS", k) || isKw("RANGE", k) || isKw("GROUPS", k); };
        if (isIdent() && !(isKw("PARTITION") && isKw("BY", 1)) && !(isKw("ORDER") && isKw("BY", 1)) && !frameWord(0)) {
            w->parent_window = identName();
            ++i_;
        }
        if (acceptKws("PARTITION", "BY")) {
            do w->partition_by.push_back(parseExprWithAlias(false));
            while (accept(TokenType::Comma, "Comma"));
        }
        if (acceptKws("ORDER", "BY")) {
            do w->order_by.push_back(parseOrderByElement());
            while (accept(TokenType::Comma, "Comma"));
        }
        if (frameWord(0)) {
            w->frame_is_default = false;
            w->frame_type = isKw("ROWS") ? ASTWindowDefinition::FrameType::Rows
                          : isKw("RANGE") ? ASTWindowDefinition::FrameType::Range : ASTWindowDefinition::FrameType::Groups;
            ++i_;
            auto bound = [&](ASTWindowDefinition::Bound& b) {
                if (acceptKw("UNBOUNDED")) {
                    b.kind = ASTWindowDefinition::BoundKind::Unbounded;
                } else if (acceptKws("CURRENT", "ROW")) {
                    b.kind = ASTWindowDefinition::BoundKind::Current;
                    b.preceding = false;
                    return;
                } else {
                    b.kind = ASTWindowDefinition::BoundKind::Offset;
                    b.offset = parseExpr();
                }
                if (acceptKw("PRECEDING")) b.preceding = true;
                else if (acceptKw("FOLLOWING")) b.preceding = false;
                else fail("PRECEDING or FOLLOWING");
            };
            if (acceptKw("BETWEEN")) {
                bound(w->frame_begin);
                expectKw("AND");
                bound(w->frame_end);
            } else {
                bound(w->frame_begin);
                w->frame_end = {ASTWindowDefinition::BoundKind::Current, false, nullptr};
            }
        }
        return w;
    }

    ASTPtr parseCase(size_t start) {
        ++i_;
        ASTPtr subject;
        if (!isKw("WHEN")) subject = parseExpr();
        ASTs args;
        if (subject) args.push_back(subject);
        if (!isKw("WHEN")) fail("WHEN");
        while (acceptKw("WHEN")) {
            args.push_back(parseExpr());
            expectKw("THEN");
            args.push_back(parseExpr());
        }
        if (acceptKw("ELSE")) args.push_back(parseExpr());
        else args.push_back(makeLiteral(Field(), pos()));   // no ELSE: NULL, as ClickHouse does
        expectKw("END");
        return makeFunction(subject ? "caseWithExpression" : "multiIf", std::move(args), start);
    }

    ASTPtr parseCast(size_t start) {
        std::string name(text());
        i_ += 2;
        ASTPtr value = parseExpr();   // no alias here: CAST(x AS T) uses AS for the type
        if (acceptKw("AS")) {
            std::string type = parseTypeText(true);
            expect(TokenType::ClosingRound, "closing round bracket");
            return makeFunction("CAST", {value, makeLiteral(Field(type), start)}, start);
        }
        ASTs args{value};
        while (accept(TokenType::Comma, "Comma")) args.push_back(parseExprWithAlias(false));
        expect(TokenType::ClosingRound, "closing round bracket");
        return makeFunction(name, std::move(args), start);
    }

    ASTPtr parseInterval(size_t start) {
        ++i_;
        // INTERVAL '5 day': number and unit inside one string.
        if (is(TokenType::StringLiteral) && !(isWord(1) && intervalUnit(text(1)))) {
            std::string s = tok().value;
            size_t p = s.find_first_not_of(" \t");
            size_t q = p == std::string::npos ? p : s.find_first_of(" \t", p);
            if (q != std::string::npos) {
                std::string num = s.substr(p, q - p);
                size_t u = s.find_first_not_of(" \t", q);
                std::string unit = u == std::string::npos ? "" : s.substr(u);
                while (!unit.empty() && (unit.back() == ' ' || unit.back() == '\t')) unit.pop_back();
                bool neg = !num.empty() && num[0] == '-';
                auto v = parseNumber(std::string_view(num).substr(neg ? 1 : 0));
                if (v && intervalUnit(unit)) {
                    Field f = *v;
                    if (neg) f = f.is<uint64_t>() ? Field(-int64_t(f.get<uint64_t>())) : Field(-f.get<double>());
                    ++i_;
                    return makeFunction(std::string("toInterval") + intervalUnit(unit), {makeLiteral(f, start)}, start);
                }
            }
            fail("interval unit");
        }
        ASTPtr value = parseUnary();
        if (!isWord() || !intervalUnit(text())) fail("interval unit");
        std::string fn = std::string("toInterval") + intervalUnit(text());
        ++i_;
        return makeFunction(fn, {value}, start);
    }

    ASTPtr parseColumnsMatcher(size_t start) {
        i_ += 2;
        auto m = std::make_shared<ASTColumnsMatcher>();
        m->position = start;
        if (is(TokenType::StringLiteral)) {
            m->regex = tok().value;
            ++i_;
        } else {
            do m->columns.push_back(parseIdent("column name"));
            while (accept(TokenType::Comma, "Comma"));
        }
        expect(TokenType::ClosingRound, "closing round bracket");
        parseTransformers(m->transformers);
        return m;
    }

    // EXCEPT (a, b) | EXCEPT a | EXCEPT('re') and REPLACE (expr AS name, ...) after *, t.*, COLUMNS().
    void parseTransformers(ColumnTransformers& tr) {
        while (true) {
            bool except_paren = is(TokenType::OpeningRound, 1) && !isSelectStart(1);
            bool except_bare = (isIdent(1) && !isKw("SELECT", 1)) || is(TokenType::StringLiteral, 1);
            if (isKw("EXCEPT") && (except_paren || except_bare)) {
                ++i_;
                if (isKw("STRICT")) ++i_;
                bool paren = accept(TokenType::OpeningRound, "opening round bracket");
                if (is(TokenType::StringLiteral)) {
                    tr.except_regex = tok().value;
                    ++i_;
                } else {
                    do tr.except_names.push_back(parseIdent("column name"));
                    while (paren && accept(TokenType::Comma, "Comma"));
                }
                if (paren) expect(TokenType::ClosingRound, "closing round bracket");
                continue;
            }
            if (isKw("REPLACE") && (is(TokenType::OpeningRound, 1) || !tok(1).isEnd())) {
                ++i_;
                if (isKw("STRICT")) ++i_;
                bool paren = accept(TokenType::OpeningRound, "opening round bracket");
                do {
                    ASTPtr e = parseExpr();
                    expectKw("AS");
                    std::string name = parseIdent("column name");
                    tr.replace.emplace_back(std::move(name), std::move(e));
                } while (paren && accept(TokenType::Comma, "Comma"));
                if (paren) expect(TokenType::ClosingRound, "closing round bracket");
                continue;
            }
            noteExpected("EXCEPT");
            noteExpected("REPLACE");
            return;
        }
    }

    // ---- data types -----------------------------------------------------------------------------

    // Type text normalized to ClickHouse's spelling: Decimal(10, 2), Enum8('a' = 1), Tuple(a UInt8).
    std::string parseTypeText(bool top) {
        DepthGuard g(*this);
        std::string out = parseIdent("data type");
        // Multi-word SQL-standard names.
        static const char* kSecond[] = {"PRECISION", "UNSIGNED", "SIGNED", "VARYING", "LARGE"};
        while (isWord()) {
            bool more = false;
            for (const char* s : kSecond)
                if (isKw(s)) more = true;
            if (!more) break;
            out += " " + std::string(text());
            ++i_;
        }
        if (is(TokenType::OpeningRound)) {
            ++i_;
            out += "(";
            bool first = true;
            if (!is(TokenType::ClosingRound)) {
                do {
                    if (!first) out += ", ";
                    first = false;
                    out += parseTypeArgument();
                } while (accept(TokenType::Comma, "Comma"));
            }
            expect(TokenType::ClosingRound, "closing round bracket");
            out += ")";
        } else if (!top && isIdent()) {
            // Named tuple element: `a UInt8` (the first word was the element name).
            std::string name = out;
            bool quoted = toks_[i_ - 1].type == TokenType::QuotedIdentifier;
            out = (quoted ? "`" + name + "`" : name) + " " + parseTypeText(false);
        }
        return out;
    }

    std::string parseTypeArgument() {
        if (is(TokenType::StringLiteral)) {
            std::string s = quoteString(tok().value);
            ++i_;
            if (accept(TokenType::Equals, "equals")) {
                bool neg = accept(TokenType::Minus, "minus");
                if (!is(TokenType::Number)) fail("number");
                s += std::string(" = ") + (neg ? "-" : "") + std::string(text());
                ++i_;
            }
            return s;
        }
        if (is(TokenType::Number) || is(TokenType::Minus)) {
            bool neg = accept(TokenType::Minus, "minus");
            if (!is(TokenType::Number)) fail("number");
            std::string s = (neg ? "-" : "") + std::string(text());
            ++i_;
            return s;
        }
        return parseTypeText(false);
    }

    // ---- SELECT ---------------------------------------------------------------------------------

    std::shared_ptr<ASTSelectWithUnion> parseSelectWithUnion() {
        DepthGuard g(*this);
        auto u = std::make_shared<ASTSelectWithUnion>();
        u->position = pos();
        u->selects.push_back(parseSelectOrParen());
        while (acceptKw("UNION")) {
            // Bare UNION is stored as DISTINCT (ClickHouse's union_default_mode decides; basalt
            // follows the SQL standard meaning).
            UnionMode mode = UnionMode::Distinct;
            if (acceptKw("ALL")) mode = UnionMode::All;
            else acceptKw("DISTINCT");
            u->modes.push_back(mode);
            u->selects.push_back(parseSelectOrParen());
        }
        return u;
    }

    ASTPtr parseSelectOrParen() {
        DepthGuard g(*this);
        if (is(TokenType::OpeningRound)) {
            ++i_;
            auto inner = parseSelectWithUnion();
            expect(TokenType::ClosingRound, "closing round bracket");
            if (inner->selects.size() == 1) return inner->selects[0];
            return inner;
        }
        return parseSelect();
    }

    std::shared_ptr<ASTSelectQuery> parseSelect() {
        auto s = std::make_shared<ASTSelectQuery>();
        s->position = pos();
        if (acceptKw("WITH")) {
            if (isKw("RECURSIVE") && !is(TokenType::Comma, 1) && !isKw("AS", 1)) {
                ++i_;
                s->with_recursive = true;
            }
            do s->with.push_back(parseWithElement());
            while (accept(TokenType::Comma, "Comma"));
        }
        expectKw("SELECT");
        if (acceptKw("DISTINCT")) s->distinct = true;
        else if (isKw("ALL") && !is(TokenType::Comma, 1) && !is(TokenType::Dot, 1)) ++i_;
        do s->select.push_back(parseExprWithAlias(true));
        while (accept(TokenType::Comma, "Comma"));

        if (acceptKw("FROM")) {
            s->from = parseTableExpression();
            parseJoins(*s);
        }
        // ARRAY JOIN clauses (only after FROM, as in ClickHouse), each possibly followed by more JOINs.
        if (s->from)
            while (parseArrayJoinClause(*s)) parseJoins(*s);
        if (acceptKw("PREWHERE")) s->prewhere = parseExpr();
        if (acceptKw("WHERE")) s->where = parseExpr();
        if (acceptKws("GROUP", "BY")) {
            if (isKw("ALL") && !is(TokenType::Comma, 1) && !is(TokenType::OpeningRound, 1)) {
                ++i_;
                s->group_by_all = true;
            } else {
                do s->group_by.push_back(parseExpr());
                while (accept(TokenType::Comma, "Comma"));
            }
        }
        while (isKw("WITH")) {
            if (isKw("ROLLUP", 1)) s->with_rollup = true;
            else if (isKw("CUBE", 1)) s->with_cube = true;
            else if (isKw("TOTALS", 1)) s->with_totals = true;
            else break;
            i_ += 2;
        }
        if (acceptKw("HAVING")) s->having = parseExpr();
        if (acceptKw("WINDOW")) {
            do {
                std::string name = parseIdent("window name");
                expectKw("AS");
                expect(TokenType::OpeningRound, "opening round bracket");
                s->windows.emplace_back(std::move(name), parseWindowSpec());
                expect(TokenType::ClosingRound, "closing round bracket");
            } while (accept(TokenType::Comma, "Comma"));
        }
        if (acceptKw("QUALIFY")) s->qualify = parseExpr();
        if (acceptKws("ORDER", "BY")) {
            do s->order_by.push_back(parseOrderByElement());
            while (accept(TokenType::Comma, "Comma"));
        }
        parseLimitClauses(*s);
        if (acceptKw("SETTINGS")) s->settings = parseSettingsList();
        return s;
    }

    ASTPtr parseWithElement() {
        // name AS (SELECT ...) is a CTE; anything else is `expr AS name`.
        if (isIdent() && isKw("AS", 1) && is(TokenType::OpeningRound, 2) && isSelectStart(3)) {
            size_t start = pos();
            std::string name = identName();
            i_ += 3;
            auto sq = parseSubqueryBody(start);
            expect(TokenType::ClosingRound, "closing round bracket");
            sq->alias = std::move(name);
            sq->cte = true;
            return sq;
        }
        return parseExprWithAlias(false);
    }

    // JOIN clauses after the first table: `, t` | [GLOBAL|LOCAL] [ANY|ALL|ASOF|SEMI|ANTI]
    // [INNER|LEFT|RIGHT|FULL|CROSS|PASTE] [OUTER] [ANY|ALL|...] JOIN t [ON expr | USING (...)].
    void parseJoins(ASTSelectQuery& s) {
        while (true) {
            if (accept(TokenType::Comma, "Comma")) {
                auto j = std::make_shared<ASTTableJoin>();
                j->position = pos();
                j->join_kind = JoinKind::Cross;
                j->comma = true;
                j->table = parseTableExpression();
                s.joins.push_back(j);
                continue;
            }
            size_t save = i_;
            auto j = std::make_shared<ASTTableJoin>();
            j->position = pos();
            if (acceptKw("GLOBAL")) j->global = true;
            else acceptKw("LOCAL");
            if (acceptKw("NATURAL")) j->natural = true;
            auto strictness = [&]() {
                if (acceptKw("ANY")) j->strictness = JoinStrictness::Any;
                else if (acceptKw("ALL")) j->strictness = JoinStrictness::All;
                else if (acceptKw("ASOF")) j->strictness = JoinStrictness::Asof;
                else if (acceptKw("SEMI")) j->strictness = JoinStrictness::Semi;
                else if (acceptKw("ANTI")) j->strictness = JoinStrictness::Anti;
                else return false;
                return true;
            };
            bool had_strictness = strictness();
            bool had_kind = true;
            // LEFT ARRAY JOIN is not a table join.
            if (isKw("LEFT") && isKw("ARRAY", 1)) { i_ = save; return; }
            if (acceptKw("INNER")) j->join_kind = JoinKind::Inner;
            else if (acceptKw("LEFT")) j->join_kind = JoinKind::Left;
            else if (acceptKw("RIGHT")) j->join_kind = JoinKind::Right;
            else if (acceptKw("FULL")) j->join_kind = JoinKind::Full;
            else if (acceptKw("CROSS")) j->join_kind = JoinKind::Cross;
            else if (acceptKw("PASTE")) j->join_kind = JoinKind::Paste;
            else had_kind = false;
            if (had_kind && j->join_kind != JoinKind::Inner && j->join_kind != JoinKind::Cross && j->join_kind != JoinKind::Paste) acceptKw("OUTER");
            if (!had_strictness) had_strictness = strictness();
            bool semi_anti = j->strictness == JoinStrictness::Semi || j->strictness == JoinStrictness::Anti;
            if (semi_anti && !had_kind) j->join_kind = JoinKind::Left;   // SEMI JOIN = LEFT SEMI JOIN
            if (had_kind && had_strictness && (j->join_kind == JoinKind::Cross || j->join_kind == JoinKind::Paste ||
                                               (semi_anti && j->join_kind != JoinKind::Left && j->join_kind != JoinKind::Right))) {
                i_ = save;
                fail("JOIN");
            }
            if (!acceptKw("JOIN")) {
                if (had_kind || had_strictness || j->global || j->natural) fail("JOIN");
                i_ = save;
                noteExpected("JOIN");
                return;
            }
            j->table = parseTableExpression();
            if (j->join_kind == JoinKind::Paste || j->join_kind == JoinKind::Cross || j->natural) {
                noteExpected("JOIN");
                s.joins.push_back(j);
                continue;
            }
            if (acceptKw("ON")) {
                j->on = parseExpr();
            } else if (acceptKw("USING")) {
                bool paren = accept(TokenType::OpeningRound, "opening round bracket");
                do j->using_columns.push_back(parseExprWithAlias(false));
                while (accept(TokenType::Comma, "Comma"));
                if (paren) expect(TokenType::ClosingRound, "closing round bracket");
            } else if (j->join_kind != JoinKind::Cross && j->join_kind != JoinKind::Paste) {
                noteExpected("ON");
                fail("USING");
            }
            s.joins.push_back(j);
        }
    }

    // `[LEFT] ARRAY JOIN item, ...`: one clause, appended to s.array_join (later clauses recorded in
    // s.array_join_more). False (nothing consumed) when the next tokens are not ARRAY JOIN.
    bool parseArrayJoinClause(ASTSelectQuery& s) {
        bool left = false;
        if (isKw("ARRAY") && isKw("JOIN", 1)) {
            i_ += 2;
        } else if (isKw("LEFT") && isKw("ARRAY", 1) && isKw("JOIN", 2)) {
            i_ += 3;
            left = true;
        } else {
            noteExpected("ARRAY JOIN");
            return false;
        }
        // ClickHouse's parser takes an empty list at the end of the query; running it fails (42).
        if (tok().isEnd() || is(TokenType::Semicolon) || is(TokenType::ClosingRound)) {
            s.array_join_without_items = true;
            return false;
        }
        if (s.array_join.empty()) s.left_array_join = left;
        else s.array_join_more.emplace_back(s.array_join.size(), left);
        do s.array_join.push_back(parseExprWithAlias(true));
        while (accept(TokenType::Comma, "Comma"));
        return true;
    }

    std::shared_ptr<ASTTableExpression> parseTableExpression() {
        auto te = std::make_shared<ASTTableExpression>();
        te->position = pos();
        if (is(TokenType::OpeningRound) && !isSelectStart(1) && isIdent(1)) {
            // (t2 JOIN t3 ON ...): a parenthesized join, read as (SELECT * FROM t2 JOIN t3 ON ...).
            size_t start = pos();
            ++i_;
            auto inner = std::make_shared<ASTSelectQuery>();
            inner->position = start;
            inner->select.push_back(std::make_shared<ASTAsterisk>());
            inner->from = parseTableExpression();
            parseJoins(*inner);
            expect(TokenType::ClosingRound, "closing round bracket");
            auto u = std::make_shared<ASTSelectWithUnion>();
            u->selects.push_back(inner);
            te->subquery = std::make_shared<ASTSubquery>();
            te->subquery->position = start;
            te->subquery->query = u;
        } else if (is(TokenType::OpeningRound)) {
            size_t start = pos();
            ++i_;
            te->subquery = parseSubqueryBody(start);
            expect(TokenType::ClosingRound, "closing round bracket");
        } else {
            if (!isIdent()) fail("table");
            size_t start = pos();
            std::string first = parseIdent("table");
            if (is(TokenType::OpeningRound)) {
                auto f = parseFunctionCall(first, start);
                te->table_function = std::static_pointer_cast<ASTFunction>(f);
            } else if (is(TokenType::Dot) && isIdent(1)) {
                ++i_;
                te->database = std::move(first);
                te->table = parseIdent("table");
            } else {
                te->table = std::move(first);
            }
        }
        if (acceptKw("FINAL")) te->final = true;
        parseAlias(*te, true);
        if (acceptKw("FINAL")) te->final = true;
        return te;
    }

    std::shared_ptr<ASTOrderByElement> parseOrderByElement() {
        auto e = std::make_shared<ASTOrderByElement>();
        e->position = pos();
        e->expr = parseExprWithAlias(false);
        if (acceptKw("DESC") || acceptKw("DESCENDING")) e->descending = true;
        else if (!acceptKw("ASC")) acceptKw("ASCENDING");
        if (acceptKw("NULLS")) {
            if (acceptKw("FIRST")) e->nulls_first = true;
            else if (acceptKw("LAST")) e->nulls_first = false;
            else fail();
        }
        if (acceptKw("COLLATE")) {
            if (!is(TokenType::StringLiteral)) fail("string literal");
            e->collation = tok().value;
            ++i_;
        }
        if (isKw("WITH") && isKw("FILL", 1)) {
            i_ += 2;
            e->with_fill = true;
            // FROM / TO / STEP bounds are parsed for compatibility; the AST keeps only the flag.
            for (const char* kw : {"FROM", "TO", "STEP"})
                if (acceptKw(kw)) parseExpr();
        }
        return e;
    }

    void parseLimitClauses(ASTSelectQuery& s) {
        for (int round = 0; round < 2; ++round) {
            if (!acceptKw("LIMIT")) break;
            ASTPtr a = parseExpr(), offset;
            ASTPtr length = a;
            if (accept(TokenType::Comma, "Comma")) {
                offset = a;
                length = parseExpr();
            } else if (acceptKw("OFFSET")) {
                offset = parseExpr();
            }
            if (acceptKw("BY")) {
                if (!s.limit_by.empty()) fail();
                s.limit_by_length = length;
                s.limit_by_offset = offset;
                do s.limit_by.push_back(parseExpr());
                while (accept(TokenType::Comma, "Comma"));
                continue;
            }
            s.limit_length = length;
            s.limit_offset = offset;
            if (isKw("WITH") && isKw("TIES", 1)) {
                i_ += 2;
                s.limit_with_ties = true;
            }
            break;
        }
        if (!s.limit_offset && acceptKw("OFFSET")) {
            s.limit_offset = parseExpr();
            if (!acceptKw("ROWS")) acceptKw("ROW");
            if (acceptKw("FETCH")) {
                if (!acceptKw("FIRST")) expectKw("NEXT");
                s.limit_length = parseExpr();
                if (!acceptKw("ROWS")) expectKw("ROW");
                if (isKw("WITH") && isKw("TIES", 1)) {
                    i_ += 2;
                    s.limit_with_ties = true;
                } else {
                    expectKw("ONLY");
                }
            }
        }
    }

    // ---- statements -----------------------------------------------------------------------------

    ASTPtr parseStatementBody(QueryOutputOptions& out, bool top) {
        DepthGuard g(*this);
        if (isKw("SELECT") || isKw("WITH") || is(TokenType::OpeningRound)) return parseSelectWithUnion();
        if (isKw("CREATE") && (isKw("USER", 1) || isKw("ROLE", 1) || isKw("QUOTA", 1) || (isKw("ROW", 1) && isKw("POLICY", 2)) ||
                               (isKw("OR", 1) && isKw("REPLACE", 2) && (isKw("USER", 3) || isKw("ROLE", 3) || isKw("ROW", 3) || isKw("QUOTA", 3)))))
            return parseAccess();
        if (isKw("DROP") && (isKw("USER", 1) || isKw("ROLE", 1) || isKw("QUOTA", 1) || (isKw("ROW", 1) && isKw("POLICY", 2)))) return parseAccess();
        if (isKw("GRANT") || isKw("REVOKE") || (isKw("SHOW") && isKw("GRANTS", 1))) return parseAccess();
        if (isKw("CREATE")) return parseCreate();
        if (isKw("DROP") || isKw("TRUNCATE") || isKw("DETACH")) return parseDrop();
        if (isKw("ATTACH")) return parseAttach();
        if (isKw("RENAME") || isKw("EXCHANGE")) return parseRename();
        if (isKw("SHOW")) return parseShow();
        if (isKw("DESCRIBE") || isKw("DESC")) return parseDescribe();
        if (isKw("OPTIMIZE")) {
            auto o = std::make_shared<ASTOptimizeQuery>();
            o->position = pos();
            ++i_;
            expectKw("TABLE");
            parseQualifiedName(o->database, o->table);
            skipOnCluster();
            if (acceptKw("PARTITION")) {
                if (acceptKw("ID")) {
                    if (!is(TokenType::StringLiteral)) fail("string literal");
                    o->partition_id = parseString();
                } else {
                    o->partition = parseExpr();
                }
            } else noteExpected("PARTITION");
            if (acceptKw("FINAL")) o->final = true;
            else noteExpected("FINAL");
            if (acceptKw("DEDUPLICATE")) {
                o->deduplicate = true;
                if (acceptKw("BY")) {
                    o->deduplicate_by.push_back(parseExpr());
                    while (is(TokenType::Comma)) { ++i_; o->deduplicate_by.push_back(parseExpr()); }
                }
            }
            return o;
        }
        if (isKw("ALTER")) return parseAlter();
        if (isKw("DELETE") && isKw("FROM", 1)) {
            auto d = std::make_shared<ASTDeleteQuery>();
            d->position = pos();
            i_ += 2;
            parseQualifiedName(d->database, d->table);
            skipOnCluster();
            expectKw("WHERE");
            d->predicate = parseExpr();
            return d;
        }
        if (isKw("SYSTEM")) {
            auto q = std::make_shared<ASTSystemQuery>();
            q->position = pos();
            ++i_;
            bool found = false;
            if (isKw("STOP") || isKw("START")) {
                std::string verb = isKw("STOP") ? "STOP" : "START";
                if (isKw("MERGES", 1)) { i_ += 2; q->action = verb + " MERGES"; found = true; }
                else if (isKw("TTL", 1) && isKw("MERGES", 2)) { i_ += 3; q->action = verb + " TTL MERGES"; found = true; }
                else if (isKw("DISTRIBUTED", 1) && isKw("SENDS", 2)) { i_ += 3; q->action = verb + " DISTRIBUTED SENDS"; found = true; }
            }
            if (!found && isKw("FLUSH") && isKw("DISTRIBUTED", 1)) {
                i_ += 2;
                q->action = "FLUSH DISTRIBUTED";
                parseQualifiedName(q->database, q->table);
                return q;
            }
            if (!found && isKw("FLUSH") && isKw("LOGS", 1)) { i_ += 2; q->action = "FLUSH LOGS"; return q; }
            if (!found && isKw("RELOAD") && isKw("DICTIONARIES", 1)) { i_ += 2; q->action = "RELOAD DICTIONARIES"; return q; }
            for (const char* verb : {"REFRESH", "WAIT", "STOP", "START", "CANCEL"}) {
                if (found || !isKw(verb)) continue;
                if (isKw("VIEWS", 1)) { i_ += 2; q->action = std::string(verb) + " VIEWS"; return q; }
                if (isKw("VIEW", 1)) {
                    i_ += 2;
                    q->action = std::string(verb) + " VIEW";
                    parseQualifiedName(q->database, q->table);
                    return q;
                }
            }
            if (!found && isKw("RELOAD") && isKw("DICTIONARY", 1)) {
                i_ += 2;
                q->action = "RELOAD DICTIONARY";
                parseQualifiedName(q->database, q->table);
                return q;
            }
            if (!found && isKw("SYNC") && isKw("REPLICA", 1)) {
                // SYSTEM SYNC REPLICA db.t [STRICT | LIGHTWEIGHT | PULL]
                i_ += 2;
                q->action = "SYNC REPLICA";
                parseQualifiedName(q->database, q->table);
                for (const char* mode : {"STRICT", "LIGHTWEIGHT", "PULL"})
                    if (acceptKw(mode)) break;
                return q;
            }
            if (!found && isKw("RESTART") && isKw("REPLICA", 1)) {
                i_ += 2;
                q->action = "RESTART REPLICA";
                parseQualifiedName(q->database, q->table);
                return q;
            }
            if (!found && isKw("RESTART") && isKw("REPLICAS", 1)) { i_ += 2; q->action = "RESTART REPLICAS"; return q; }
            if (!found) { noteExpected("STOP MERGES"); noteExpected("START MERGES"); noteExpected("FLUSH LOGS"); }
            if (!found) fail();
            if (isIdent()) parseQualifiedName(q->database, q->table);
            return q;
        }
        if (isKw("KILL")) {
            auto k = std::make_shared<ASTKillQuery>();
            k->position = pos();
            ++i_;
            if (acceptKw("QUERY")) k->what = "QUERY";
            else expectKw("MUTATION");
            skipOnCluster();
            expectKw("WHERE");
            k->where = parseExpr();
            for (const char* m : {"SYNC", "ASYNC", "TEST"})
                if (acceptKw(m)) { k->mode = m; break; }
            return k;
        }
        if (isKw("USE")) {
            auto u = std::make_shared<ASTUseQuery>();
            u->position = pos();
            ++i_;
            u->database = parseIdent("database name");
            return u;
        }
        if (isKw("SET")) {
            auto s = std::make_shared<ASTSetQuery>();
            s->position = pos();
            ++i_;
            s->changes = parseSettingsList();
            return s;
        }
        if (isKw("EXPLAIN")) return parseExplain(out);
        if (isKw("INSERT")) return parseInsert(out, top);
        for (const char* e : {"SELECT", "WITH", "CREATE", "DROP", "TRUNCATE", "DETACH", "ATTACH", "RENAME", "EXCHANGE", "SHOW", "DESCRIBE",
                              "USE", "SET", "EXPLAIN", "INSERT", "OPTIMIZE", "SYSTEM", "ALTER", "DELETE", "KILL"})
            noteExpected(e);
        fail();
    }

    void parseOutputOptions(QueryOutputOptions& out) {
        if (isKw("INTO") && isKw("OUTFILE", 1)) {
            i_ += 2;
            if (!is(TokenType::StringLiteral)) fail("string literal");
            out.into_outfile = tok().value;
            ++i_;
            if (!acceptKw("TRUNCATE")) acceptKw("APPEND");
        } else {
            noteExpected("INTO OUTFILE");
        }
        if (acceptKw("FORMAT")) out.format = parseIdent("format name");
        if (acceptKw("SETTINGS")) {
            auto more = parseSettingsList();
            out.settings.insert(out.settings.end(), more.begin(), more.end());
        }
    }

    // CREATE / DROP USER | ROLE | ROW POLICY, GRANT, REVOKE, SHOW GRANTS.
    ASTPtr parseAccess() {
        using A = ASTAccessQuery::Action;
        auto q = std::make_shared<ASTAccessQuery>();
        q->position = pos();
        auto nameList = [&](std::vector<std::string>& out) {
            out.push_back(parseIdent("name"));
            while (is(TokenType::Comma)) { ++i_; out.push_back(parseIdent("name")); }
        };
        auto onTarget = [&] {
            expectKw("ON");
            // db.table, db.*, *.*, or a table of the current database.
            if (is(TokenType::Asterisk)) { ++i_; expect(TokenType::Dot, "."); expect(TokenType::Asterisk, "*"); q->database = "*"; q->table = "*"; return; }
            std::string first = parseIdent("database or table name");
            if (is(TokenType::Dot)) {
                ++i_;
                q->database = first;
                if (is(TokenType::Asterisk)) { ++i_; q->table = "*"; }
                else q->table = parseIdent("table name");
            } else {
                q->table = first;
            }
        };
        if (acceptKw("SHOW")) {
            expectKw("GRANTS");
            q->action = A::ShowGrants;
            if (acceptKw("FOR")) nameList(q->names);
            return q;
        }
        if (acceptKw("CREATE")) {
            if (acceptKws("OR", "REPLACE")) q->or_replace = true;
            if (acceptKw("USER")) q->action = A::CreateUser;
            else if (acceptKw("ROLE")) q->action = A::CreateRole;
            else if (acceptKw("QUOTA")) q->action = A::CreateQuota;
            else { expectKw("ROW"); expectKw("POLICY"); q->action = A::CreateRowPolicy; }
            if (!q->or_replace && isKw("IF") && isKw("NOT", 1) && isKw("EXISTS", 2)) { i_ += 3; q->if_not_exists = true; }
            nameList(q->names);
            skipOnCluster();
            if (q->action == A::CreateUser) {
                while (!tok().isEnd() && !is(TokenType::Semicolon)) {
                    if (acceptKw("IDENTIFIED")) {
                        if (acceptKw("WITH")) {
                            std::string method = toLower(parseIdent("authentication method"));
                            if (method == "no_password") continue;
                            if (method != "plaintext_password" && method != "sha256_password" && method != "sha256_hash")
                                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Authentication method " + method + " is not supported");
                            expectKw("BY");
                            if (!is(TokenType::StringLiteral)) fail("string literal");
                            if (method == "sha256_hash") q->password_sha256_hex = parseString();
                            else { q->password = parseString(); q->has_password = true; }
                        } else {
                            expectKw("BY");
                            if (!is(TokenType::StringLiteral)) fail("string literal");
                            q->password = parseString();
                            q->has_password = true;
                        }
                    } else if (acceptKws("NOT", "IDENTIFIED")) {
                    } else if (acceptKw("HOST")) {
                        if (!acceptKw("ANY")) { acceptKw("LOCAL"); }
                    } else if (acceptKw("SETTINGS")) {
                        if (acceptKw("PROFILE")) {
                            if (!is(TokenType::StringLiteral)) fail("string literal");
                            q->readonly = parseString() == "readonly";
                        } else {
                            expectKw("readonly");
                            expect(TokenType::Equals, "=");
                            if (!is(TokenType::Number)) fail("number");
                            q->readonly = std::string(text()) != "0";
                            ++i_;
                        }
                    } else {
                        fail("IDENTIFIED, HOST or SETTINGS");
                    }
                }
            } else if (q->action == A::CreateQuota) {
                if (acceptKw("KEYED")) { expectKw("BY"); parseIdent("key"); } else if (acceptKw("NOT")) expectKw("KEYED");
                while (acceptKw("FOR")) {
                    acceptKw("RANDOMIZED");
                    expectKw("INTERVAL");
                    ASTAccessQuery::QuotaInterval iv;
                    uint64_t n = 1;
                    if (is(TokenType::Number)) { n = std::stoull(std::string(text())); ++i_; }
                    std::string unit = toLower(parseIdent("interval unit"));
                    if (!unit.empty() && unit.back() == 's') unit.pop_back();
                    static const std::pair<const char*, uint64_t> units[] = {{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400},
                                                                              {"week", 604800}, {"month", 2629746}, {"quarter", 7889238}, {"year", 31556952}};
                    uint64_t mult = 0;
                    for (auto& [u, m] : units) if (unit == u) mult = m;
                    if (!mult) fail("SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER or YEAR");
                    iv.seconds = n * mult;
                    if (acceptKws("NO", "LIMITS") || acceptKws("TRACKING", "ONLY")) {
                    } else {
                        expectKw("MAX");
                        while (true) {
                            std::string res = toLower(parseIdent("resource"));
                            static const char* resources[] = {"queries", "query_selects", "query_inserts", "errors", "result_rows", "result_bytes",
                                                              "read_rows", "read_bytes", "execution_time", "written_bytes"};
                            bool known = false;
                            for (auto* r : resources) known = known || res == r;
                            if (!known) fail("quota resource");
                            expect(TokenType::Equals, "=");
                            if (!is(TokenType::Number)) fail("number");
                            iv.limits.emplace_back(res, std::stod(std::string(text())));
                            ++i_;
                            if (!is(TokenType::Comma) || !isIdent(1) || isKw("FOR", 1)) break;
                            ++i_;
                            acceptKw("MAX");
                        }
                    }
                    q->quota_intervals.push_back(std::move(iv));
                    if (is(TokenType::Comma)) ++i_;
                }
                if (acceptKw("TO")) nameList(q->grantees);
            } else if (q->action == A::CreateRowPolicy) {
                if (q->names.size() != 1) fail("one row policy name");
                onTarget();
                if (acceptKw("AS")) { if (!acceptKw("PERMISSIVE")) expectKw("RESTRICTIVE"); }
                if (acceptKw("FOR")) expectKw("SELECT");
                expectKw("USING");
                q->condition = parseExpr();
                expectKw("TO");
                nameList(q->grantees);
            }
            return q;
        }
        if (acceptKw("DROP")) {
            if (acceptKw("USER")) q->action = A::DropUser;
            else if (acceptKw("ROLE")) q->action = A::DropRole;
            else if (acceptKw("QUOTA")) q->action = A::DropQuota;
            else { expectKw("ROW"); expectKw("POLICY"); q->action = A::DropRowPolicy; }
            if (isKw("IF") && isKw("EXISTS", 1)) { i_ += 2; q->if_exists = true; }
            nameList(q->names);
            if (q->action == A::DropRowPolicy) onTarget();
            return q;
        }
        bool grant = acceptKw("GRANT");
        if (!grant) expectKw("REVOKE");
        q->action = grant ? A::Grant : A::Revoke;
        static const char* kPrivileges[] = {"SELECT", "INSERT", "ALTER", "CREATE", "DROP", "TRUNCATE", "ALL"};
        auto isPrivilege = [&] {
            for (const char* p : kPrivileges) if (isKw(p)) return true;
            return false;
        };
        if (isPrivilege()) {
            while (true) {
                if (!isPrivilege()) fail("privilege");
                std::string p = toUpper(std::string(text()));
                ++i_;
                if (p == "ALL") acceptKw("PRIVILEGES");
                std::vector<std::string> columns;
                if (is(TokenType::OpeningRound)) {   // column list: SELECT(a, b)
                    ++i_;
                    while (true) {
                        columns.push_back(parseIdent("column name"));
                        if (!is(TokenType::Comma)) break;
                        ++i_;
                    }
                    expect(TokenType::ClosingRound, ")");
                }
                q->privileges.push_back(p);
                q->privilege_columns.push_back(std::move(columns));
                if (!is(TokenType::Comma)) break;
                ++i_;
            }
            onTarget();
        } else {
            nameList(q->granted_roles);
        }
        if (grant) expectKw("TO"); else expectKw("FROM");
        nameList(q->grantees);
        if (grant && acceptKw("WITH")) {
            if (acceptKw("GRANT")) q->with_grant_option = true;
            else expectKw("ADMIN");   // WITH ADMIN OPTION on roles: accepted, roles are granted by administrators
            expectKw("OPTION");
        }
        return q;
    }

    ASTPtr parseCreate() {
        auto c = std::make_shared<ASTCreateQuery>();
        c->position = pos();
        ++i_;
        if (acceptKws("OR", "REPLACE")) c->or_replace = true;
        if (acceptKw("TEMPORARY")) c->temporary = true;
        if (acceptKw("DATABASE")) {
            c->what = ASTCreateQuery::What::Database;
            if (isKw("IF") && isKw("NOT", 1) && isKw("EXISTS", 2)) { i_ += 3; c->if_not_exists = true; }
            c->database = parseIdent("database name");
            skipOnCluster();
            if (acceptKw("ENGINE")) parseEngine(*c);
            if (acceptKw("COMMENT")) c->comment = parseString();
            return c;
        }
        if (acceptKw("DICTIONARY")) return parseCreateDictionary(c);
        if (acceptKw("TABLE")) c->what = ASTCreateQuery::What::Table;
        else if (acceptKw("VIEW")) c->what = ASTCreateQuery::What::View;
        else if (acceptKws("MATERIALIZED", "VIEW")) c->what = ASTCreateQuery::What::MaterializedView;
        else fail();
        if (isKw("IF") && isKw("NOT", 1) && isKw("EXISTS", 2)) { i_ += 3; c->if_not_exists = true; }
        else noteExpected("IF NOT EXISTS");
        parseQualifiedName(c->database, c->table);
        if (acceptKw("UUID")) c->uuid = parseString();
        skipOnCluster();
        if (c->what == ASTCreateQuery::What::MaterializedView && acceptKw("REFRESH")) {
            if (acceptKw("EVERY")) c->refresh_kind = "EVERY";
            else if (acceptKw("AFTER")) c->refresh_kind = "AFTER";
            else { noteExpected("EVERY"); noteExpected("AFTER"); fail(); }
            auto interval = [&](uint64_t& value, std::string& unit) {
                value = parseLiteralValue().get<uint64_t>();
                unit = toUpper(parseIdent("interval unit"));
                static const char* units[] = {"SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "YEAR"};
                bool ok = false;
                for (const char* u : units) ok = ok || unit == u || unit == std::string(u) + "S";
                if (!ok) throw Exception(ErrorCodes::SYNTAX_ERROR, "Unknown refresh interval unit " + unit);
                if (unit.back() == 'S') unit.pop_back();
            };
            interval(c->refresh_value, c->refresh_unit);
            if (acceptKw("OFFSET")) interval(c->refresh_offset_value, c->refresh_offset_unit);
            if (acceptKws("RANDOMIZE", "FOR")) { uint64_t v; std::string u; interval(v, u); }
            if (acceptKws("DEPENDS", "ON")) {
                do { std::string d, t; parseQualifiedName(d, t); } while (accept(TokenType::Comma, "Comma"));
            }
            if (acceptKw("APPEND")) c->refresh_append = true;
        }
        if (c->what == ASTCreateQuery::What::MaterializedView && acceptKw("TO")) parseQualifiedName(c->to_database, c->to_table);
        if (is(TokenType::OpeningRound) && !isSelectStart(1)) parseColumnList(*c);
        if (c->what == ASTCreateQuery::What::Table && isKw("AS") && !isSelectStart(1)) {
            ++i_;
            size_t start = pos();
            std::string first = parseIdent("table");
            if (is(TokenType::OpeningRound)) {
                c->as_table_function = std::static_pointer_cast<ASTFunction>(parseFunctionCall(first, start));
            } else if (is(TokenType::Dot) && isIdent(1)) {
                ++i_;
                c->as_database = std::move(first);
                c->as_table = parseIdent("table");
            } else {
                c->as_table = std::move(first);
            }
        }
        parseStorage(*c);
        if (c->what == ASTCreateQuery::What::MaterializedView && acceptKw("POPULATE")) c->populate = true;
        if (c->what == ASTCreateQuery::What::MaterializedView && !c->refresh_kind.empty() && acceptKw("EMPTY")) c->empty = true;
        if (acceptKw("AS")) c->as_select = parseSelectWithUnion();
        else if (c->what == ASTCreateQuery::What::View || c->what == ASTCreateQuery::What::MaterializedView) fail();
        if (acceptKw("COMMENT")) c->comment = parseString();
        return c;
    }

    // ON CLUSTER name: remembered (with its text span) for distributed DDL.
    void skipOnCluster() {
        if (isKw("ON") && isKw("CLUSTER", 1)) {
            size_t begin = tok().begin;
            i_ += 2;
            if (is(TokenType::StringLiteral)) { on_cluster_ = tok().value; ++i_; }
            else on_cluster_ = parseIdent("cluster name");
            on_cluster_begin_ = begin;
            on_cluster_end_ = toks_[i_ - 1].end;
        }
    }

    std::string parseString() {
        if (!is(TokenType::StringLiteral)) fail("string literal");
        std::string v = tok().value;
        ++i_;
        return v;
    }

    void parseEngine(ASTCreateQuery& c) {
        accept(TokenType::Equals, "equals");
        size_t start = pos();
        std::string name = parseIdent("engine name");
        if (is(TokenType::OpeningRound)) c.engine = std::static_pointer_cast<ASTFunction>(parseFunctionCall(name, start));
        else c.engine = makeFunction(name, {}, start);
    }

    void parseStorage(ASTCreateQuery& c) {
        while (true) {
            if (acceptKw("ENGINE")) parseEngine(c);
            else if (acceptKws("PARTITION", "BY")) c.partition_by = parseExpr();
            else if (acceptKws("PRIMARY", "KEY")) c.primary_key = parseExpr();
            else if (acceptKws("ORDER", "BY")) c.order_by = parseExpr();
            else if (acceptKws("SAMPLE", "BY")) c.sample_by = parseExpr();
            else if (acceptKw("TTL")) {
                c.ttl = parseExpr();
                acceptKw("DELETE");
                if (acceptKw("WHERE")) c.ttl_where = parseExpr();
            } else if (acceptKw("SETTINGS")) {
                auto s = parseSettingsList();
                c.engine_settings.insert(c.engine_settings.end(), s.begin(), s.end());
            } else if (isKw("COMMENT") && is(TokenType::StringLiteral, 1)) {
                ++i_;
                c.comment = parseString();
            } else {
                return;
            }
        }
    }

    // name expr TYPE type [GRANULARITY n] (after the INDEX keyword).
    std::shared_ptr<ASTIndexDeclaration> parseIndexDeclaration() {
        auto d = std::make_shared<ASTIndexDeclaration>();
        d->position = pos();
        d->name = parseIdent("index name");
        d->expr = parseExpr();
        expectKw("TYPE");
        d->type = parseExpr();
        if (!d->type->as<ASTFunction>() && !d->type->as<ASTIdentifier>()) fail("index type");
        if (acceptKw("GRANULARITY")) {
            ASTPtr g = parseExpr();
            auto* lit = g->as<ASTLiteral>();
            if (!lit || !lit->value.is<uint64_t>() || lit->value.get<uint64_t>() == 0)
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Index GRANULARITY must be a positive integer");
            d->granularity = lit->value.get<uint64_t>();
        }
        return d;
    }

    void parseColumnList(ASTCreateQuery& c) {
        expect(TokenType::OpeningRound, "opening round bracket");
        do {
            size_t start = pos();
            if (acceptKw("CONSTRAINT")) {
                auto k = std::make_shared<ASTConstraint>();
                k->position = start;
                k->name = parseIdent("constraint name");
                if (acceptKw("CHECK")) k->type = "CHECK";
                else if (acceptKw("ASSUME")) k->type = "ASSUME";
                else fail();
                k->expr = parseExpr();
                c.constraints.push_back(k);
            } else if (isKw("INDEX") && isIdent(1)) {
                ++i_;
                c.indices.push_back(parseIndexDeclaration());
            } else if (isKw("PRIMARY") && isKw("KEY", 1)) {
                i_ += 2;
                c.primary_key = parseExpr();
            } else {
                c.columns.push_back(parseColumnDeclaration(c));
            }
        } while (accept(TokenType::Comma, "Comma"));
        expect(TokenType::ClosingRound, "closing round bracket");
    }

    // CREATE DICTIONARY [IF NOT EXISTS] name (attributes) PRIMARY KEY ... SOURCE(...) LAYOUT(...)
    // LIFETIME(...) [RANGE(...)] [SETTINGS(...)] [COMMENT '...'], clauses in any order.
    ASTPtr parseCreateDictionary(std::shared_ptr<ASTCreateQuery> c) {
        c->what = ASTCreateQuery::What::Dictionary;
        if (isKw("IF") && isKw("NOT", 1) && isKw("EXISTS", 2)) { i_ += 3; c->if_not_exists = true; }
        else noteExpected("IF NOT EXISTS");
        parseQualifiedName(c->database, c->table);
        if (acceptKw("UUID")) c->uuid = parseString();
        skipOnCluster();
        expect(TokenType::OpeningRound, "opening round bracket");
        do {
            auto col = std::make_shared<ASTColumnDeclaration>();
            col->position = pos();
            col->name = parseIdent("column name");
            col->type = parseTypeText(true);
            while (true) {
                if (acceptKw("DEFAULT")) { col->default_kind = "DEFAULT"; col->default_expr = parseExpr(); }
                else if (acceptKw("EXPRESSION")) col->dictionary_expression = parseExpr();
                else if (acceptKw("HIERARCHICAL")) col->dictionary_flags.push_back("HIERARCHICAL");
                else if (acceptKw("INJECTIVE")) col->dictionary_flags.push_back("INJECTIVE");
                else if (acceptKw("IS_OBJECT_ID")) col->dictionary_flags.push_back("IS_OBJECT_ID");
                else break;
            }
            c->columns.push_back(col);
        } while (accept(TokenType::Comma, "Comma"));
        expect(TokenType::ClosingRound, "closing round bracket");
        // TYPE(key value key value ...) with string, number or identifier values.
        auto params = [&](std::string& type, std::vector<ASTCreateQuery::DictionaryParam>& out) {
            expect(TokenType::OpeningRound, "opening round bracket");
            type = parseIdent("source or layout type");
            expect(TokenType::OpeningRound, "opening round bracket");
            while (!is(TokenType::ClosingRound)) {
                ASTCreateQuery::DictionaryParam p;
                p.key = parseIdent("parameter name");
                if (is(TokenType::StringLiteral) || is(TokenType::Number) || is(TokenType::Minus)) p.value = parseLiteralValue();
                else p.value = Field(parseIdent("parameter value"));
                out.push_back(std::move(p));
                accept(TokenType::Comma, "Comma");
            }
            expect(TokenType::ClosingRound, "closing round bracket");
            expect(TokenType::ClosingRound, "closing round bracket");
        };
        while (true) {
            if (acceptKws("PRIMARY", "KEY")) {
                do c->dictionary_key.push_back(parseIdent("key column")); while (accept(TokenType::Comma, "Comma"));
            } else if (acceptKw("SOURCE")) {
                params(c->dictionary_source, c->dictionary_source_params);
            } else if (acceptKw("LAYOUT")) {
                params(c->dictionary_layout, c->dictionary_layout_params);
            } else if (acceptKw("LIFETIME")) {
                expect(TokenType::OpeningRound, "opening round bracket");
                if (acceptKw("MIN")) {
                    c->lifetime_min = parseLiteralValue().get<uint64_t>();
                    expectKw("MAX");
                    c->lifetime_max = parseLiteralValue().get<uint64_t>();
                } else {
                    c->lifetime_min = 0;
                    c->lifetime_max = parseLiteralValue().get<uint64_t>();
                }
                expect(TokenType::ClosingRound, "closing round bracket");
            } else if (acceptKw("RANGE")) {
                expect(TokenType::OpeningRound, "opening round bracket");
                expectKw("MIN");
                c->range_min = parseIdent("range column");
                expectKw("MAX");
                c->range_max = parseIdent("range column");
                expect(TokenType::ClosingRound, "closing round bracket");
            } else if (acceptKw("SETTINGS")) {
                expect(TokenType::OpeningRound, "opening round bracket");
                while (!is(TokenType::ClosingRound)) { parseIdent("setting"); accept(TokenType::Equals, "="); parseLiteralValue(); accept(TokenType::Comma, "Comma"); }
                expect(TokenType::ClosingRound, "closing round bracket");
            } else if (acceptKw("COMMENT")) {
                c->comment = parseString();
            } else {
                break;
            }
        }
        if (c->dictionary_key.empty()) throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "Cannot create dictionary " + c->table + ": PRIMARY KEY is required");
        if (c->dictionary_source.empty()) throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "Cannot create dictionary " + c->table + ": SOURCE is required");
        if (c->dictionary_layout.empty()) throw Exception(ErrorCodes::INCORRECT_DICTIONARY_DEFINITION, "Cannot create dictionary " + c->table + ": LAYOUT is required");
        return c;
    }

    std::shared_ptr<ASTColumnDeclaration> parseColumnDeclaration(ASTCreateQuery& c) {
        auto col = std::make_shared<ASTColumnDeclaration>();
        col->position = pos();
        col->name = parseIdent("column name");
        static const char* kNotType[] = {"DEFAULT", "MATERIALIZED", "ALIAS", "EPHEMERAL", "COMMENT", "CODEC", "TTL", "NULL", "NOT", "PRIMARY"};
        bool has_type = isIdent();
        for (const char* k : kNotType)
            if (isKw(k)) has_type = false;
        if (has_type) col->type = parseTypeText(true);
        if (acceptKw("NULL")) col->null_modifier = true;
        else if (acceptKws("NOT", "NULL")) col->null_modifier = false;
        for (const char* kind : {"DEFAULT", "MATERIALIZED", "ALIAS", "EPHEMERAL"}) {
            if (acceptKw(kind)) {
                col->default_kind = kind;
                bool optional = std::string_view(kind) == "EPHEMERAL";
                if (!optional || !(is(TokenType::Comma) || is(TokenType::ClosingRound) || isKw("COMMENT") || isKw("CODEC")))
                    col->default_expr = parseExpr();
                break;
            }
        }
        while (true) {
            if (acceptKw("COMMENT")) col->comment = parseString();
            else if (acceptKw("CODEC")) {
                expect(TokenType::OpeningRound, "opening round bracket");
                std::string codec;
                do {
                    if (!codec.empty()) codec += ", ";
                    codec += parseExpr()->formatSQL();
                } while (accept(TokenType::Comma, "Comma"));
                expect(TokenType::ClosingRound, "closing round bracket");
                col->codec = std::move(codec);
            } else if (acceptKw("TTL")) col->ttl = parseExpr();
            else if (acceptKws("PRIMARY", "KEY")) {
                auto id = std::make_shared<ASTIdentifier>(std::vector<std::string>{col->name});
                c.primary_key = id;
            } else break;
        }
        return col;
    }

    // PARTITION ID 'x' | PARTITION ALL | PARTITION expr (after the PARTITION keyword).
    void parsePartitionSpec(ASTAlterCommand& c) {
        c.has_partition = true;
        if (acceptKw("ID")) {
            if (!is(TokenType::StringLiteral)) fail("string literal");
            c.partition_id = parseString();
        } else if (acceptKw("ALL")) {
            c.partition_all = true;
        } else {
            c.partition = parseExpr();
        }
    }

    bool acceptIfExists() {
        if (isKw("IF") && isKw("EXISTS", 1)) { i_ += 2; return true; }
        return false;
    }
    bool acceptIfNotExists() {
        if (isKw("IF") && isKw("NOT", 1) && isKw("EXISTS", 2)) { i_ += 3; return true; }
        return false;
    }

    ASTPtr parseAlter() {
        auto q = std::make_shared<ASTAlterQuery>();
        q->position = pos();
        ++i_;
        expectKw("TABLE");
        parseQualifiedName(q->database, q->table);
        skipOnCluster();
        using T = ASTAlterCommand::Type;
        do {
            ASTAlterCommand c;
            if (acceptKw("ADD")) {
                if (acceptKw("COLUMN")) {
                    c.type = T::AddColumn;
                    c.if_not_exists = acceptIfNotExists();
                    ASTCreateQuery dummy;
                    c.column = parseColumnDeclaration(dummy);
                    if (acceptKw("AFTER")) c.after = parseIdent("column name");
                    else if (acceptKw("FIRST")) c.first = true;
                } else if (acceptKw("INDEX")) {
                    c.type = T::AddIndex;
                    c.if_not_exists = acceptIfNotExists();
                    c.index = parseIndexDeclaration();
                    c.index_name = c.index->name;
                    if (acceptKw("AFTER")) c.after = parseIdent("index name");
                    else if (acceptKw("FIRST")) c.first = true;
                } else fail("COLUMN or INDEX");
            } else if (acceptKw("DROP")) {
                if (acceptKw("COLUMN")) { c.type = T::DropColumn; c.if_exists = acceptIfExists(); c.column_name = parseIdent("column name"); }
                else if (acceptKw("INDEX")) { c.type = T::DropIndex; c.if_exists = acceptIfExists(); c.index_name = parseIdent("index name"); }
                else if (acceptKw("PARTITION")) { c.type = T::DropPartition; parsePartitionSpec(c); }
                else if (acceptKw("PART")) { c.type = T::DropPart; c.part_name = parseString(); }
                else if (acceptKw("DETACHED")) fail("PARTITION");
                else fail("COLUMN, INDEX, PARTITION or PART");
            } else if (acceptKw("MODIFY")) {
                if (acceptKw("COLUMN")) {
                    c.type = T::ModifyColumn;
                    c.if_exists = acceptIfExists();
                    if (isKw("REMOVE", 1) && isKw("TTL", 2)) {   // MODIFY COLUMN c REMOVE TTL
                        c.column = std::make_shared<ASTColumnDeclaration>();
                        c.column->name = parseIdent("column name");
                        i_ += 2;
                        c.remove_ttl = true;
                    } else {
                        ASTCreateQuery dummy;
                        c.column = parseColumnDeclaration(dummy);
                    }
                } else if (acceptKw("SETTING")) { c.type = T::ModifySetting; c.settings = parseSettingsList(); }
                else if (acceptKw("TTL")) {
                    c.type = T::ModifyTTL;
                    c.ttl = parseExpr();
                    acceptKw("DELETE");
                    if (acceptKw("WHERE")) c.ttl_where = parseExpr();
                }
                else if (acceptKw("COMMENT")) { c.type = T::ModifyComment; c.comment = parseString(); }
                else if (acceptKw("QUERY")) { c.type = T::ModifyQuery; c.query = std::static_pointer_cast<ASTSelectWithUnion>(parseSelectWithUnion()); }
                else fail("COLUMN, SETTING, TTL, COMMENT or QUERY");
            } else if (acceptKw("RESET")) {
                expectKw("SETTING");
                c.type = T::ResetSetting;
                do c.reset_settings.push_back(parseIdent("setting name")); while (accept(TokenType::Comma, "Comma"));
            } else if (acceptKw("RENAME")) {
                expectKw("COLUMN");
                c.type = T::RenameColumn;
                c.if_exists = acceptIfExists();
                c.column_name = parseIdent("column name");
                expectKw("TO");
                c.new_name = parseIdent("column name");
            } else if (acceptKw("CLEAR")) {
                if (acceptKw("COLUMN")) { c.type = T::ClearColumn; c.if_exists = acceptIfExists(); c.column_name = parseIdent("column name"); }
                else if (acceptKw("INDEX")) { c.type = T::ClearIndex; c.if_exists = acceptIfExists(); c.index_name = parseIdent("index name"); }
                else fail("COLUMN or INDEX");
                if (acceptKws("IN", "PARTITION")) parsePartitionSpec(c);
            } else if (acceptKw("COMMENT")) {
                expectKw("COLUMN");
                c.type = T::CommentColumn;
                c.if_exists = acceptIfExists();
                c.column_name = parseIdent("column name");
                c.comment = parseString();
            } else if (acceptKw("MATERIALIZE")) {
                if (acceptKw("COLUMN")) { c.type = T::MaterializeColumn; c.column_name = parseIdent("column name"); }
                else if (acceptKw("INDEX")) { c.type = T::MaterializeIndex; c.if_exists = acceptIfExists(); c.index_name = parseIdent("index name"); }
                else if (acceptKw("TTL")) c.type = T::MaterializeTTL;
                else fail("COLUMN, INDEX or TTL");
                if (acceptKws("IN", "PARTITION")) parsePartitionSpec(c);
            } else if (acceptKw("REMOVE")) {
                expectKw("TTL");
                c.type = T::RemoveTTL;
            } else if (acceptKw("DELETE")) {
                c.type = T::Delete;
                if (acceptKws("IN", "PARTITION")) parsePartitionSpec(c);
                expectKw("WHERE");
                c.predicate = parseExpr();
            } else if (acceptKw("UPDATE")) {
                c.type = T::Update;
                do {
                    std::string col = parseIdent("column name");
                    expect(TokenType::Equals, "=");
                    c.assignments.push_back({col, parseExpr()});
                } while (accept(TokenType::Comma, "Comma"));
                if (acceptKws("IN", "PARTITION")) parsePartitionSpec(c);
                expectKw("WHERE");
                c.predicate = parseExpr();
            } else if (acceptKw("DETACH")) {
                if (acceptKw("PARTITION")) { c.type = T::DetachPartition; parsePartitionSpec(c); }
                else if (acceptKw("PART")) { c.type = T::DetachPart; c.part_name = parseString(); }
                else fail("PARTITION or PART");
            } else if (acceptKw("ATTACH")) {
                if (acceptKw("PARTITION")) {
                    c.type = T::AttachPartition;
                    parsePartitionSpec(c);
                    if (acceptKw("FROM")) { c.type = T::AttachPartitionFrom; parseQualifiedName(c.from_database, c.from_table); }
                } else if (acceptKw("PART")) { c.type = T::AttachPart; c.part_name = parseString(); }
                else fail("PARTITION or PART");
            } else if (acceptKw("REPLACE")) {
                expectKw("PARTITION");
                c.type = T::ReplacePartition;
                parsePartitionSpec(c);
                expectKw("FROM");
                parseQualifiedName(c.from_database, c.from_table);
            } else if (acceptKw("MOVE")) {
                expectKw("PARTITION");
                c.type = T::MovePartitionToTable;
                parsePartitionSpec(c);
                expectKw("TO");
                expectKw("TABLE");
                parseQualifiedName(c.to_database, c.to_table);
            } else if (acceptKw("FREEZE")) {
                c.type = T::Freeze;
                if (acceptKw("PARTITION")) parsePartitionSpec(c);
                if (acceptKws("WITH", "NAME")) c.freeze_name = parseString();
            } else {
                for (const char* e : {"ADD", "DROP", "MODIFY", "RENAME", "CLEAR", "COMMENT", "MATERIALIZE", "DELETE", "UPDATE",
                                      "DETACH", "ATTACH", "REPLACE", "MOVE", "FREEZE", "RESET", "REMOVE"})
                    noteExpected(e);
                fail();
            }
            q->commands.push_back(std::move(c));
        } while (accept(TokenType::Comma, "Comma"));
        if (acceptKw("SETTINGS")) {
            // ALTER ... SETTINGS mutations_sync = 2: query-level settings.
            q->settings = parseSettingsList();
        }
        return q;
    }

    ASTPtr parseDrop() {
        auto d = std::make_shared<ASTDropQuery>();
        d->position = pos();
        if (acceptKw("TRUNCATE")) {
            d->drop_kind = ASTDropQuery::Kind::Truncate;
            acceptKw("TEMPORARY");
            acceptKw("TABLE");
        } else {
            d->drop_kind = acceptKw("DETACH") ? ASTDropQuery::Kind::Detach : (expectKw("DROP"), ASTDropQuery::Kind::Drop);
            acceptKw("TEMPORARY");
            if (acceptKw("DATABASE")) d->what = ASTDropQuery::What::Database;
            else if (acceptKw("TABLE")) d->what = ASTDropQuery::What::Table;
            else if (acceptKw("VIEW")) d->what = ASTDropQuery::What::View;
            else if (acceptKw("DICTIONARY")) d->what = ASTDropQuery::What::Dictionary;
            else fail();
        }
        if (isKw("IF") && isKw("EXISTS", 1)) { i_ += 2; d->if_exists = true; }
        else noteExpected("IF EXISTS");
        if (d->what == ASTDropQuery::What::Database) d->database = parseIdent("database name");
        else parseQualifiedName(d->database, d->table);
        skipOnCluster();
        acceptKw("PERMANENTLY");
        if (!acceptKw("SYNC") && isKw("NO") && isKw("DELAY", 1)) i_ += 2;
        return d;
    }

    // ATTACH TABLE [IF NOT EXISTS] [db.]name — brings back a table detached by DETACH TABLE.
    ASTPtr parseAttach() {
        auto c = std::make_shared<ASTCreateQuery>();
        c->position = pos();
        expectKw("ATTACH");
        expectKw("TABLE");
        c->attach = true;
        if (isKw("IF") && isKw("NOT", 1) && isKw("EXISTS", 2)) { i_ += 3; c->if_not_exists = true; }
        parseQualifiedName(c->database, c->table);
        skipOnCluster();
        return c;
    }

    ASTPtr parseRename() {
        auto r = std::make_shared<ASTRenameQuery>();
        r->position = pos();
        if (acceptKw("EXCHANGE")) {
            if (!acceptKw("TABLES")) expectKw("DICTIONARIES");
            r->exchange = true;
            ASTRenameQuery::Element e;
            parseQualifiedName(e.from_database, e.from_table);
            expectKw("AND");
            parseQualifiedName(e.to_database, e.to_table);
            r->elements.push_back(std::move(e));
            skipOnCluster();
            return r;
        }
        expectKw("RENAME");
        if (acceptKw("DATABASE")) {
            r->database = true;
            ASTRenameQuery::Element e;
            e.from_database = parseIdent("database name");
            expectKw("TO");
            e.to_database = parseIdent("database name");
            r->elements.push_back(std::move(e));
            skipOnCluster();
            return r;
        }
        if (!acceptKw("TABLE")) acceptKw("DICTIONARY");
        do {
            ASTRenameQuery::Element e;
            parseQualifiedName(e.from_database, e.from_table);
            expectKw("TO");
            parseQualifiedName(e.to_database, e.to_table);
            r->elements.push_back(std::move(e));
        } while (accept(TokenType::Comma, "Comma"));
        skipOnCluster();
        return r;
    }

    void parseLikeClause(ASTShowQuery& s) {
        size_t k = isKw("NOT") ? 1 : 0;
        if (isKw("LIKE", k) || isKw("ILIKE", k)) {
            s.not_like = k == 1;
            s.ilike = isKw("ILIKE", k);
            i_ += k + 1;
            s.like = parseString();
        } else {
            noteExpected("LIKE");
            noteExpected("ILIKE");
        }
    }

    ASTPtr parseShow() {
        auto s = std::make_shared<ASTShowQuery>();
        s->position = pos();
        ++i_;
        acceptKw("FULL");
        acceptKw("EXTENDED");
        if (acceptKw("TABLES")) {
            s->what = ASTShowQuery::What::Tables;
            if (acceptKw("FROM") || acceptKw("IN")) s->database = parseIdent("database name");
            parseLikeClause(*s);
            if (acceptKw("LIMIT")) s->limit = parseExpr();
        } else if (acceptKw("DATABASES")) {
            s->what = ASTShowQuery::What::Databases;
            parseLikeClause(*s);
            if (acceptKw("LIMIT")) s->limit = parseExpr();
        } else if (acceptKw("CREATE")) {
            if (acceptKw("DATABASE")) {
                s->what = ASTShowQuery::What::CreateDatabase;
                s->database = parseIdent("database name");
            } else {
                s->what = ASTShowQuery::What::CreateTable;
                acceptKw("TEMPORARY");
                if (!acceptKw("TABLE") && !acceptKw("VIEW")) acceptKw("DICTIONARY");
                parseQualifiedName(s->database, s->table);
            }
        } else if (acceptKw("SETTINGS") || (acceptKw("CHANGED") && (expectKw("SETTINGS"), true))) {
            s->what = ASTShowQuery::What::Settings;
            parseLikeClause(*s);
        } else if (acceptKw("FUNCTIONS")) {
            s->what = ASTShowQuery::What::Functions;
            parseLikeClause(*s);
        } else if (acceptKw("COLUMNS") || acceptKw("FIELDS")) {
            s->what = ASTShowQuery::What::Columns;
            if (!acceptKw("FROM")) expectKw("IN");
            parseQualifiedName(s->database, s->table);
            if (acceptKw("FROM") || acceptKw("IN")) s->database = parseIdent("database name");
            parseLikeClause(*s);
            if (acceptKw("LIMIT")) s->limit = parseExpr();
        } else {
            fail();
        }
        return s;
    }

    ASTPtr parseDescribe() {
        auto d = std::make_shared<ASTDescribeQuery>();
        d->position = pos();
        ++i_;
        if (!(isKw("TABLE") && !is(TokenType::Dot, 1) && !tok(1).isEnd() && !is(TokenType::Semicolon, 1))) noteExpected("TABLE");
        else ++i_;
        d->table = parseTableExpression();
        return d;
    }

    ASTPtr parseExplain(QueryOutputOptions& out) {
        auto e = std::make_shared<ASTExplainQuery>();
        e->position = pos();
        ++i_;
        if (acceptKw("AST")) e->explain_kind = ASTExplainQuery::Kind::AST;
        else if (acceptKw("SYNTAX")) e->explain_kind = ASTExplainQuery::Kind::Syntax;
        else if (acceptKw("PLAN")) e->explain_kind = ASTExplainQuery::Kind::Plan;
        else if (acceptKw("PIPELINE")) e->explain_kind = ASTExplainQuery::Kind::Pipeline;
        else if (acceptKw("ESTIMATE")) e->explain_kind = ASTExplainQuery::Kind::Estimate;
        // EXPLAIN header = 1, actions = 1 SELECT ...: settings are `name = value` pairs before the query.
        if (isWord() && is(TokenType::Equals, 1)) e->explain_settings = parseSettingsList();
        e->query = parseStatementBody(out, false);
        return e;
    }

    ASTPtr parseInsert(QueryOutputOptions& out, bool top) {
        auto ins = std::make_shared<ASTInsertQuery>();
        ins->position = pos();
        ++i_;
        expectKw("INTO");
        if (acceptKw("FUNCTION")) {
            size_t start = pos();
            std::string name = parseIdent("table function");
            if (!is(TokenType::OpeningRound)) fail("opening round bracket");
            ins->table_function = std::static_pointer_cast<ASTFunction>(parseFunctionCall(name, start));
        } else {
            if (isKw("TABLE") && isIdent(1) && !is(TokenType::Dot, 1)) ++i_;
            parseQualifiedName(ins->database, ins->table);
        }
        if (is(TokenType::OpeningRound) && !isSelectStart(1)) {
            ++i_;
            if (!is(TokenType::ClosingRound)) {
                do {
                    std::string c = parseIdent("column name");
                    while (is(TokenType::Dot) && isIdent(1)) { c += "." + identName(1); i_ += 2; }
                    ins->columns.push_back(std::move(c));
                } while (accept(TokenType::Comma, "Comma"));
            }
            expect(TokenType::ClosingRound, "closing round bracket");
        }
        if (acceptKw("SETTINGS")) out.settings = parseSettingsList();
        if (isKw("VALUES")) {
            // Inline data is never tokenized: it runs from right after the keyword to the end.
            ins->format = "Values";
            takeInlineData(*ins, tok().end, top);
            return ins;
        }
        noteExpected("VALUES");
        if (isKw("FORMAT") && isIdent(1)) {
            ++i_;
            ins->format = identName();
            size_t data = tok().end;
            if (data < q_.size() && (q_[data] == ' ' || q_[data] == '\t' || q_[data] == '\n')) ++data;
            else if (data + 1 < q_.size() && q_[data] == '\r' && q_[data + 1] == '\n') data += 2;
            takeInlineData(*ins, data, top);
            return ins;
        }
        noteExpected("FORMAT");
        if (isSelectStart(0)) {
            ins->select = parseSelectWithUnion();
            return ins;
        }
        noteExpected("SELECT");
        return ins;
    }

    void takeInlineData(ASTInsertQuery& ins, size_t from, bool top) {
        std::string_view data = q_.substr(std::min(from, q_.size()));
        // parseStatement("INSERT ... VALUES (1);") — the statement's own ';' is not data.
        size_t end = data.size();
        while (end > 0 && (data[end - 1] == ' ' || data[end - 1] == '\t' || data[end - 1] == '\n' || data[end - 1] == '\r')) --end;
        if (end > 0 && data[end - 1] == ';') data = data.substr(0, end - 1);
        ins.data = std::string(data);
        ins.has_inline_data = data.find_first_not_of(" \t\r\n") != std::string_view::npos;
        (void)top;
        stopped_ = true;
    }

    std::string_view q_;
    Lexer lexer_;
    ParserLimits limits_;
    std::vector<Token> toks_;
    size_t i_ = 0;
    size_t depth_ = 0;
    size_t fail_tok_ = 0;
    std::vector<std::string> expected_;
    bool stopped_ = false;  // INSERT inline data reached: nothing after it is SQL
    std::string on_cluster_;
    size_t on_cluster_begin_ = 0, on_cluster_end_ = 0;
};

bool isSpaceChar(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

ParsedStatement parseStatement(std::string_view sql, const ParserLimits& limits) {
    Parser p(sql, limits);
    return p.parseStatementTop();
}

ASTPtr parseExpression(std::string_view text, const ParserLimits& limits) {
    Parser p(text, limits);
    return p.parseExpressionTop();
}

std::vector<std::string_view> splitStatements(std::string_view script) {
    std::vector<std::string_view> out;
    size_t n = script.size();
    size_t start = 0, i = 0;
    // Per-statement state: words seen at bracket depth 0, to recognise INSERT ... VALUES/FORMAT.
    bool first_word_seen = false, is_insert = false, has_select = false, has_content = false;
    int depth = 0;
    std::string_view prev_word;

    auto emit = [&](size_t end) {
        std::string_view s = script.substr(start, end - start);
        size_t b = 0, e = s.size();
        while (b < e && isSpaceChar(s[b])) ++b;
        while (e > b && isSpaceChar(s[e - 1])) --e;
        if (has_content) out.push_back(s.substr(b, e - b));
        first_word_seen = is_insert = has_select = has_content = false;
        depth = 0;
        prev_word = {};
    };
    // Inline data: up to the next ';' that ends a line (only spaces/tabs before the newline).
    // VALUES data is SQL-like, so a ';' inside a quoted string does not end it; FORMAT data is opaque.
    auto skipData = [&](size_t from, bool quote_aware) {
        size_t k = from;
        int paren = 0;
        while (k < n) {
            if (quote_aware && script[k] == '\'') {
                ++k;
                while (k < n && script[k] != '\'') k += script[k] == '\\' ? 2 : 1;
                ++k;
                continue;
            }
            // VALUES rows are parenthesized: a ';' outside them ends the statement even mid-line
            // (`INSERT INTO t VALUES (1); SELECT 1` on one line, as clickhouse-client splits it).
            if (quote_aware && (script[k] == '(' || script[k] == '[')) ++paren;
            if (quote_aware && (script[k] == ')' || script[k] == ']')) --paren;
            if (quote_aware && script[k] == ';' && paren <= 0) return k;
            if (script[k] == ';') {
                size_t m = k + 1;
                while (m < n && (script[m] == ' ' || script[m] == '\t' || script[m] == '\r')) ++m;
                if (m >= n || script[m] == '\n') return k;
            }
            ++k;
        }
        return n;
    };

    while (i < n) {
        char c = script[i];
        if (isSpaceChar(c)) { ++i; continue; }
        if ((c == '-' && i + 1 < n && script[i + 1] == '-') || c == '#') {
            while (i < n && script[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && i + 1 < n && script[i + 1] == '*') {
            int d = 0;
            while (i < n) {
                if (script[i] == '/' && i + 1 < n && script[i + 1] == '*') { ++d; i += 2; }
                else if (script[i] == '*' && i + 1 < n && script[i + 1] == '/') { i += 2; if (--d == 0) break; }
                else ++i;
            }
            continue;
        }
        if (c == ';') {
            emit(i);
            start = ++i;
            continue;
        }
        has_content = true;
        if (c == '\'' || c == '"' || c == '`') {
            ++i;
            while (i < n) {
                if (script[i] == '\\') { i += 2; continue; }
                if (script[i] == c) {
                    if (i + 1 < n && script[i + 1] == c) { i += 2; continue; }
                    break;
                }
                ++i;
            }
            i = std::min(i + 1, n);
            prev_word = {};
            continue;
        }
        if (c == '(' || c == '[') { ++depth; ++i; prev_word = {}; continue; }
        if (c == ')' || c == ']') { --depth; ++i; prev_word = {}; continue; }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            size_t b = i;
            while (i < n && ((script[i] >= 'a' && script[i] <= 'z') || (script[i] >= 'A' && script[i] <= 'Z') || script[i] == '_' ||
                             (script[i] >= '0' && script[i] <= '9')))
                ++i;
            std::string_view w = script.substr(b, i - b);
            if (!first_word_seen) {
                first_word_seen = true;
                is_insert = iequals(w, "INSERT");
            } else if (is_insert && depth == 0 && !has_select) {
                if (iequals(w, "SELECT") || iequals(w, "WITH")) has_select = true;
                bool data = iequals(w, "VALUES");
                if (!data && !prev_word.empty() && iequals(prev_word, "FORMAT")) data = true;   // FORMAT <name> <data>
                if (data) {
                    size_t end = std::min(skipData(i, iequals(w, "VALUES")), n);
                    emit(end);
                    i = end < n ? end + 1 : n;
                    start = i;
                    continue;
                }
            }
            prev_word = w;
            continue;
        }
        prev_word = {};
        ++i;
    }
    emit(n);
    return out;
}

}  // namespace basalt
