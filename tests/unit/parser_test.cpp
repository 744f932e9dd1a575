// parser_test.cpp — unit tests for the SQL front end (sql/lexer, sql/parser, sql/ast): every
// statement kind, operator precedence and desugaring, ClickHouse column names (checked against real
// ClickHouse), formatting, error positions and messages, splitStatements, depth limits, and a
// truncation sweep asserting malformed input only ever yields SYNTAX_ERROR / TOO_DEEP_RECURSION.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/exception.h"
#include "sql/lexer.h"
#include "sql/parser.h"

using namespace basalt;

namespace {

std::shared_ptr<ASTSelectQuery> firstSelect(const ASTPtr& ast) {
    auto* u = ast->as<ASTSelectWithUnion>();
    EXPECT_NE(u, nullptr);
    return std::static_pointer_cast<ASTSelectQuery>(u->selects.at(0));
}

std::shared_ptr<ASTSelectQuery> select(std::string_view sql) { return firstSelect(parseStatement(sql).ast); }

// Result-column names of a SELECT list, the way ClickHouse names them (alias if set).
std::vector<std::string> names(std::string_view sql) {
    std::vector<std::string> out;
    auto s = select(sql);
    for (auto& e : s->select) out.push_back(e->alias.empty() ? e->getColumnName() : e->alias);
    return out;
}

std::string name(std::string_view expr) { return parseExpression(expr)->getColumnName(); }

// The exception a statement raises, or "" if it parses.
std::string errorOf(std::string_view sql, int* code = nullptr) {
    try {
        parseStatement(sql);
    } catch (const Exception& e) {
        if (code) *code = e.code();
        return e.what();
    }
    return "";
}

template <typename T> std::shared_ptr<T> stmt(std::string_view sql) {
    auto ast = parseStatement(sql).ast;
    auto p = std::dynamic_pointer_cast<T>(ast);
    EXPECT_NE(p, nullptr) << sql;
    return p;
}

}  // namespace

// ---- lexer ------------------------------------------------------------------------------------------

TEST(Lexer, TokensAndPositions) {
    Lexer lx("SELECT `a b`, \"c\", 'x\\ny', 0x1F, 1.5e3 -- comment\n /* a /* nested */ b */ :: -> || <> != <= # c");
    std::vector<Token> toks;
    for (Token t = lx.next(); !t.isEnd(); t = lx.next()) toks.push_back(t);
    ASSERT_EQ(toks.size(), 16u);
    EXPECT_EQ(toks[0].type, TokenType::BareWord);
    EXPECT_EQ(toks[0].begin, 0u);
    EXPECT_EQ(toks[1].type, TokenType::QuotedIdentifier);
    EXPECT_EQ(toks[1].value, "a b");
    EXPECT_EQ(toks[3].value, "c");
    EXPECT_EQ(toks[5].type, TokenType::StringLiteral);
    EXPECT_EQ(toks[5].value, "x\ny");
    EXPECT_EQ(toks[7].type, TokenType::Number);
    EXPECT_EQ(toks[9].type, TokenType::Number);
    EXPECT_EQ(toks[10].type, TokenType::DoubleColon);
    EXPECT_EQ(toks[11].type, TokenType::Arrow);
    EXPECT_EQ(toks[12].type, TokenType::Concatenation);
    EXPECT_EQ(toks[13].type, TokenType::NotEquals);
    EXPECT_EQ(toks[14].type, TokenType::NotEquals);
    EXPECT_EQ(toks[15].type, TokenType::LessOrEquals);
}

TEST(Lexer, StringEscapes) {
    EXPECT_EQ(unescapeQuoted("a\\tb\\\\c\\'d''e\\0f\\x41", '\''), std::string("a\tb\\c'd'e") + '\0' + "fA");
    EXPECT_EQ(unescapeQuoted("\\w\\%", '\''), "\\w\\%");   // unknown escapes keep the backslash
}

TEST(Lexer, TupleAccessIsNotAFloat) {
    Lexer lx("t.1.2");
    EXPECT_EQ(lx.next().type, TokenType::BareWord);
    EXPECT_EQ(lx.next().type, TokenType::Dot);
    EXPECT_EQ(lx.next().type, TokenType::Number);
    EXPECT_EQ(lx.next().type, TokenType::Dot);
    EXPECT_EQ(lx.next().type, TokenType::Number);
}

// ---- column names (verified against ClickHouse) ----------------------------------------------------

TEST(ColumnNames, Literals) {
    EXPECT_EQ(names("SELECT 1+1, -1, [1,2], (1,'x'), 'a', 1.5, -1.5, NULL, true, 1e10, 0x10, -(1), - 1"),
              (std::vector<std::string>{"plus(1, 1)", "-1", "[1, 2]", "(1, 'x')", "'a'", "1.5", "-1.5", "NULL", "true",
                                        "10000000000.", "16", "negate(1)", "-1"}));
    EXPECT_EQ(names("SELECT 1.0, 0.1, 1e-7, 1e21, 100., inf, -inf, nan, 1.5e3, 'a\\nb', 'it''s', [], (), tuple(1), "
                    "[[1,2],[3]], [(1,'a')], ([1],2), 18446744073709551615, 18446744073709551616, "
                    "-9223372036854775808, 0b101, 1_000, 0.000001, 1e100"),
              (std::vector<std::string>{"1.", "0.1", "1e-7", "1e21", "100.", "inf", "-inf", "nan", "1500.", "'a\\nb'",
                                        "'it\\'s'", "[]", "()", "(1)", "[[1, 2], [3]]", "[(1, 'a')]", "([1], 2)",
                                        "18446744073709551615", "18446744073709552000.", "-9223372036854775808", "5",
                                        "1000", "0.000001", "1e100"}));
}

TEST(ColumnNames, Operators) {
    EXPECT_EQ(names("SELECT 1 + 2 * 3, 1 AND 0 AND 1, not 1, 1 = 1, 1 != 2, 1 <> 2, 1 IS NULL, 1 BETWEEN 0 AND 2, "
                    "'a' LIKE 'b', 1 IN (1,2), (1,2).1, [1,2][1], 'a' || 'b' || 'c'"),
              (std::vector<std::string>{"plus(1, multiply(2, 3))", "and(1, 0, 1)", "not(1)", "equals(1, 1)",
                                        "notEquals(1, 2)", "notEquals(1, 2)", "isNull(1)",
                                        "and(greaterOrEquals(1, 0), lessOrEquals(1, 2))", "like('a', 'b')",
                                        "in(1, (1, 2))", "tupleElement((1, 2), 1)", "arrayElement([1, 2], 1)",
                                        "concat('a', 'b', 'c')"}));
    EXPECT_EQ(names("SELECT x + 1, -x, [x, 2], (x, 2), x = 1 OR x = 2 OR x = 3, x::String, [1,2]::Array(UInt8), "
                    "'1'::UInt8, -1::Int8, CAST(x AS Nullable(String)), CAST(x, 'String'), 1.5::Float32, (1 + 2)::String"),
              (std::vector<std::string>{"plus(x, 1)", "negate(x)", "[x, 2]", "(x, 2)",
                                        "or(equals(x, 1), equals(x, 2), equals(x, 3))", "CAST(x, 'String')",
                                        "CAST('[1,2]', 'Array(UInt8)')", "CAST('1', 'UInt8')", "CAST('-1', 'Int8')",
                                        "CAST(x, 'Nullable(String)')", "CAST(x, 'String')", "CAST('1.5', 'Float32')",
                                        "CAST(plus(1, 2), 'String')"}));
    EXPECT_EQ(names("SELECT - - 1, -(-1), 1 - -1, - -x, +1, 1 + +1, -0, 5 DIV 2, 5 MOD 2, 5 % 2, x ? 1 : 2"),
              (std::vector<std::string>{"negate(-1)", "negate(-1)", "minus(1, -1)", "negate(negate(x))", "1", "plus(1, 1)",
                                        "0", "intDiv(5, 2)", "modulo(5, 2)", "modulo(5, 2)", "if(x, 1, 2)"}));
    EXPECT_EQ(names("SELECT x NOT IN (1), x GLOBAL IN (1), x GLOBAL NOT IN (1), x IN 1, x IN [1,2], x NOT LIKE 'a', "
                    "x ILIKE 'a', x NOT ILIKE 'a', x IS NOT NULL, x NOT BETWEEN 1 AND 2"),
              (std::vector<std::string>{"notIn(x, 1)", "globalIn(x, 1)", "globalNotIn(x, 1)", "in(x, 1)",
                                        "in(x, [1, 2])", "notLike(x, 'a')", "ilike(x, 'a')", "notILike(x, 'a')",
                                        "isNotNull(x)", "or(less(x, 1), greater(x, 2))"}));
}

TEST(ColumnNames, SpecialForms) {
    EXPECT_EQ(names("SELECT arrayMap(x -> x + 1, [1]), CASE WHEN 1 THEN 2 ELSE 3 END, CASE 1 WHEN 1 THEN 2 END, "
                    "CAST(1 AS String), 1::UInt8, INTERVAL 1 DAY, EXTRACT(YEAR FROM now()), "
                    "arrayMap((x, y) -> x + y, [1], [2])"),
              (std::vector<std::string>{"arrayMap(lambda(tuple(x), plus(x, 1)), [1])", "multiIf(1, 2, 3)",
                                        "caseWithExpression(1, 1, 2, NULL)", "CAST(1, 'String')", "CAST('1', 'UInt8')",
                                        "toIntervalDay(1)", "toYear(now())",
                                        "arrayMap(lambda(tuple(x, y), plus(x, y)), [1], [2])"}));
    EXPECT_EQ(names("SELECT count(*), count(DISTINCT number), quantile(0.5)(number), countIf(number > 1), "
                    "DATE '2020-01-01', TIMESTAMP '2020-01-01 00:00:00', INTERVAL '5 day', INTERVAL 5 HOUR"),
              (std::vector<std::string>{"count()", "countDistinct(number)", "quantile(0.5)(number)",
                                        "countIf(greater(number, 1))", "toDate('2020-01-01')",
                                        "toDateTime('2020-01-01 00:00:00')", "toIntervalDay(5)", "toIntervalHour(5)"}));
    EXPECT_EQ(names("SELECT 1 AS x, 2 y, `a b` + 1, array(x, 2), tuple(1, 2)"),
              (std::vector<std::string>{"x", "y", "plus(a b, 1)", "[x, 2]", "(1, 2)"}));
}

// ---- expression structure ---------------------------------------------------------------------------

TEST(Expressions, PrecedenceAndDesugaring) {
    EXPECT_EQ(name("a OR b AND c"), "or(a, and(b, c))");
    EXPECT_EQ(name("NOT a = b"), "not(equals(a, b))");
    EXPECT_EQ(name("a = 1 AND b = 2 AND c"), "and(equals(a, 1), equals(b, 2), c)");
    EXPECT_EQ(name("1 + 2 + 3"), "plus(plus(1, 2), 3)");
    EXPECT_EQ(name("a || b + c"), "concat(a, plus(b, c))");
    EXPECT_EQ(name("-x[1]"), "negate(arrayElement(x, 1))");
    EXPECT_EQ(name("-x::Int8"), "negate(CAST(x, 'Int8'))");
    EXPECT_EQ(name("a ? b : c ? d : e"), "if(a, b, if(c, d, e))");
    EXPECT_EQ(name("t.a"), "t.a");
    EXPECT_EQ(name("f(x).name"), "tupleElement(f(x), 'name')");
    EXPECT_EQ(name("x BETWEEN 1 + 1 AND 3 AND y"), "and(and(greaterOrEquals(x, plus(1, 1)), lessOrEquals(x, 3)), y)");
    EXPECT_EQ(name("EXISTS(SELECT 1)"), "exists(_subquery)");
    EXPECT_EQ(name("x IN (SELECT 1)"), "in(x, _subquery)");
    EXPECT_EQ(name("CASE WHEN a THEN 1 WHEN b THEN 2 END"), "multiIf(a, 1, b, 2, NULL)");
    EXPECT_EQ(name("INTERVAL -1 MONTH"), "toIntervalMonth(-1)");
    EXPECT_EQ(name("INTERVAL 2 weeks"), "toIntervalWeek(2)");
    EXPECT_EQ(name("EXTRACT(MONTH FROM d)"), "toMonth(d)");
    EXPECT_EQ(name("extract(s, 'a+')"), "extract(s, 'a+')");
    EXPECT_EQ(name("date"), "date");   // DATE is only a literal prefix before a string
    EXPECT_EQ(name("sum(DISTINCT x)"), "sumDistinct(x)");
    EXPECT_EQ(name("CAST(x AS Decimal(10,2))"), "CAST(x, 'Decimal(10, 2)')");
    EXPECT_EQ(name("((SELECT 1) + 1)"), "plus(_subquery, 1)");
    EXPECT_EQ(name("x REGEXP 'a'"), "match(x, 'a')");
}

TEST(Expressions, LiteralValues) {
    auto lit = [](std::string_view e) { return parseExpression(e)->as<ASTLiteral>()->value; };
    EXPECT_EQ(lit("1"), Field(uint64_t(1)));
    EXPECT_EQ(lit("-1"), Field(int64_t(-1)));
    EXPECT_EQ(lit("-9223372036854775808"), Field(std::numeric_limits<int64_t>::min()));
    EXPECT_EQ(lit("1.5"), Field(1.5));
    EXPECT_EQ(lit("'a'"), Field("a"));
    EXPECT_TRUE(lit("NULL").isNull());
    EXPECT_EQ(lit("true"), Field(true));
    EXPECT_EQ(lit("[1, 2]"), Field(FieldArray{{Field(uint64_t(1)), Field(uint64_t(2))}}));
    EXPECT_EQ(lit("(1, 'a')"), Field(FieldTuple{{Field(uint64_t(1)), Field("a")}}));
    EXPECT_NE(parseExpression("[1, x]")->as<ASTFunction>(), nullptr);
}

TEST(Expressions, FunctionsAndLambdas) {
    auto f = std::dynamic_pointer_cast<ASTFunction>(parseExpression("quantiles(0.5, 0.9)(x)"));
    ASSERT_TRUE(f && f->parameters);
    EXPECT_EQ(f->parameters->size(), 2u);
    EXPECT_EQ(f->arguments.size(), 1u);
    f = std::dynamic_pointer_cast<ASTFunction>(parseExpression("count(DISTINCT x)"));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->name, "count");
    EXPECT_TRUE(f->distinct);
    f = std::dynamic_pointer_cast<ASTFunction>(parseExpression("count(*)"));
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->arguments.empty());
    f = std::dynamic_pointer_cast<ASTFunction>(parseExpression("(x, y) -> x + y"));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->name, "lambda");
    EXPECT_EQ(f->arguments[0]->getColumnName(), "(x, y)");
    EXPECT_THROW(parseExpression("(x + 1) -> x"), Exception);
}

TEST(Expressions, FormatSQL) {
    auto fmt = [](std::string_view e) { return parseExpression(e)->formatSQL(); };
    EXPECT_EQ(fmt("x -> x + 1"), "x -> (x + 1)");
    EXPECT_EQ(fmt("(1 + 2) * 3"), "(1 + 2) * 3");
    EXPECT_EQ(fmt("a OR b AND c"), "a OR (b AND c)");
    EXPECT_EQ(fmt("-(-1)"), "-(-1)");
    EXPECT_EQ(fmt("1 - -1"), "1 - -1");
    EXPECT_EQ(fmt("x NOT BETWEEN 1 AND 2"), "(x < 1) OR (x > 2)");
    EXPECT_EQ(fmt("`a b` + `select`"), "`a b` + `select`");
    EXPECT_EQ(fmt("'it''s'"), "'it\\'s'");
    EXPECT_EQ(fmt("f(x AS y)"), "f(x AS y)");
    EXPECT_EQ(fmt("t.1"), "t.1");
    EXPECT_EQ(fmt("a[1][2]"), "a[1][2]");
    EXPECT_EQ(fmt("x::UInt8"), "CAST(x, 'UInt8')");
    EXPECT_EQ(fmt("count(DISTINCT x)"), "count(DISTINCT x)");
    EXPECT_EQ(fmt("x IN (SELECT 1)"), "x IN (SELECT 1)");
}

// ---- SELECT -------------------------------------------------------------------------------------------

TEST(Select, AllClauses) {
    auto s = select(
        "WITH 1 AS one, cte AS (SELECT 1) SELECT DISTINCT a, b AS bb, c cc FROM db.t AS tt FINAL "
        "LEFT ARRAY JOIN arr AS x PREWHERE a > 1 WHERE b < 2 GROUP BY a, b WITH ROLLUP WITH TOTALS HAVING count() > 1 "
        "QUALIFY 1 ORDER BY a DESC NULLS FIRST, b ASC COLLATE 'en' WITH FILL LIMIT 1, 2 BY a LIMIT 10 OFFSET 5 "
        "SETTINGS max_threads = 1, s = 'x'");
    ASSERT_EQ(s->with.size(), 2u);
    EXPECT_EQ(s->with[0]->alias, "one");
    auto* cte = s->with[1]->as<ASTSubquery>();
    ASSERT_NE(cte, nullptr);
    EXPECT_TRUE(cte->cte);
    EXPECT_EQ(cte->alias, "cte");
    EXPECT_TRUE(s->distinct);
    ASSERT_EQ(s->select.size(), 3u);
    EXPECT_EQ(s->select[1]->alias, "bb");
    EXPECT_EQ(s->select[2]->alias, "cc");
    ASSERT_TRUE(s->from);
    EXPECT_EQ(s->from->database, "db");
    EXPECT_EQ(s->from->table, "t");
    EXPECT_EQ(s->from->alias, "tt");
    EXPECT_TRUE(s->from->final);
    EXPECT_TRUE(s->left_array_join);
    ASSERT_EQ(s->array_join.size(), 1u);
    EXPECT_EQ(s->array_join[0]->alias, "x");
    EXPECT_EQ(s->prewhere->getColumnName(), "greater(a, 1)");
    EXPECT_EQ(s->where->getColumnName(), "less(b, 2)");
    EXPECT_EQ(s->group_by.size(), 2u);
    EXPECT_TRUE(s->with_rollup);
    EXPECT_TRUE(s->with_totals);
    EXPECT_TRUE(s->having);
    EXPECT_TRUE(s->qualify);
    ASSERT_EQ(s->order_by.size(), 2u);
    EXPECT_TRUE(s->order_by[0]->descending);
    EXPECT_EQ(s->order_by[0]->nulls_first, std::optional<bool>(true));
    EXPECT_EQ(s->order_by[1]->collation, "en");
    EXPECT_TRUE(s->order_by[1]->with_fill);
    EXPECT_EQ(s->limit_by_offset->getColumnName(), "1");
    EXPECT_EQ(s->limit_by_length->getColumnName(), "2");
    EXPECT_EQ(s->limit_by.size(), 1u);
    EXPECT_EQ(s->limit_length->getColumnName(), "10");
    EXPECT_EQ(s->limit_offset->getColumnName(), "5");
    ASSERT_EQ(s->settings.size(), 2u);
    EXPECT_EQ(s->settings[1].second, Field("x"));
}

TEST(Select, LimitForms) {
    auto s = select("SELECT 1 LIMIT 5, 10 WITH TIES");
    EXPECT_EQ(s->limit_offset->getColumnName(), "5");
    EXPECT_EQ(s->limit_length->getColumnName(), "10");
    EXPECT_TRUE(s->limit_with_ties);
    s = select("SELECT 1 OFFSET 3 ROWS");
    EXPECT_EQ(s->limit_offset->getColumnName(), "3");
    EXPECT_FALSE(s->limit_length);
    s = select("SELECT 1 OFFSET 3 ROWS FETCH FIRST 2 ROWS ONLY");
    EXPECT_EQ(s->limit_length->getColumnName(), "2");
    s = select("SELECT 1 LIMIT 2 BY x");
    EXPECT_EQ(s->limit_by_length->getColumnName(), "2");
    EXPECT_FALSE(s->limit_length);
}

TEST(Select, MatchersAndTransformers) {
    auto s = select("SELECT *, t.*, * EXCEPT (a, b), * EXCEPT a, * EXCEPT('^x'), * REPLACE (a + 1 AS a), "
                    "COLUMNS('^a'), COLUMNS(a, b) EXCEPT (a) FROM t");
    auto* star = s->select[0]->as<ASTAsterisk>();
    ASSERT_NE(star, nullptr);
    EXPECT_TRUE(star->qualifier.empty());
    EXPECT_EQ(s->select[1]->as<ASTAsterisk>()->qualifier, std::vector<std::string>{"t"});
    EXPECT_EQ(s->select[2]->as<ASTAsterisk>()->transformers.except_names, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(s->select[3]->as<ASTAsterisk>()->transformers.except_names, std::vector<std::string>{"a"});
    EXPECT_EQ(s->select[4]->as<ASTAsterisk>()->transformers.except_regex, "^x");
    ASSERT_EQ(s->select[5]->as<ASTAsterisk>()->transformers.replace.size(), 1u);
    EXPECT_EQ(s->select[6]->as<ASTColumnsMatcher>()->regex, "^a");
    auto* m = s->select[7]->as<ASTColumnsMatcher>();
    EXPECT_EQ(m->columns, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(m->transformers.except_names, std::vector<std::string>{"a"});
}

TEST(Select, FromForms) {
    auto s = select("SELECT * FROM numbers(10) AS n");
    ASSERT_TRUE(s->from->table_function);
    EXPECT_EQ(s->from->table_function->name, "numbers");
    EXPECT_EQ(s->from->alias, "n");
    s = select("SELECT * FROM (SELECT 1) sub");
    ASSERT_TRUE(s->from->subquery);
    EXPECT_EQ(s->from->alias, "sub");
    s = select("SELECT * FROM t ARRAY JOIN a, b");
    EXPECT_EQ(s->from->table, "t");
    EXPECT_FALSE(s->left_array_join);
    EXPECT_EQ(s->array_join.size(), 2u);
    s = select("SELECT a FROM t GROUP BY ALL WITH CUBE");
    EXPECT_TRUE(s->group_by_all);
    EXPECT_TRUE(s->with_cube);
}

TEST(Select, UnionAndParentheses) {
    auto st = parseStatement("SELECT 1 UNION ALL SELECT 2 UNION DISTINCT SELECT 3 UNION (SELECT 4 UNION ALL SELECT 5)");
    auto* u = st.ast->as<ASTSelectWithUnion>();
    ASSERT_EQ(u->selects.size(), 4u);
    EXPECT_EQ(u->modes, (std::vector<UnionMode>{UnionMode::All, UnionMode::Distinct, UnionMode::Distinct}));
    EXPECT_NE(u->selects[3]->as<ASTSelectWithUnion>(), nullptr);
    st = parseStatement("((SELECT 1))");
    EXPECT_EQ(st.ast->as<ASTSelectWithUnion>()->selects.size(), 1u);
    EXPECT_EQ(parseStatement("SELECT 1 UNION ALL SELECT 2").ast->formatSQL(), "SELECT 1 UNION ALL SELECT 2");
}

TEST(Select, OutputOptions) {
    auto st = parseStatement("SELECT 1 INTO OUTFILE 'out.tsv' FORMAT JSONEachRow SETTINGS max_threads = 2;");
    EXPECT_EQ(st.output.into_outfile, "out.tsv");
    EXPECT_EQ(st.output.format, "JSONEachRow");
    ASSERT_EQ(st.output.settings.size(), 1u);
    EXPECT_EQ(st.output.settings[0].first, "max_threads");
    st = parseStatement("SELECT 1 SETTINGS a = 1 FORMAT TSV");
    EXPECT_EQ(firstSelect(st.ast)->settings.size(), 1u);
    EXPECT_EQ(st.output.format, "TSV");
    st = parseStatement("SHOW TABLES FORMAT JSON");
    EXPECT_EQ(st.output.format, "JSON");
}

TEST(Select, FormatRoundTrip) {
    const char* queries[] = {
        "WITH 1 AS x, t AS (SELECT 1) SELECT DISTINCT x, * EXCEPT (a) FROM numbers(10) FINAL GROUP BY ALL WITH TOTALS "
        "ORDER BY x ASC WITH FILL LIMIT 1 BY x LIMIT 2, 3 WITH TIES",
        "SELECT a AS b, count() FROM db.t AS tt PREWHERE a WHERE b > 1 GROUP BY a HAVING count() > 1 ORDER BY a DESC NULLS LAST",
        "SELECT x FROM t LEFT ARRAY JOIN arr AS x SETTINGS max_threads = 1",
    };
    for (const char* q : queries) {
        std::string once = parseStatement(q).ast->formatSQL();
        EXPECT_EQ(once, q);
        EXPECT_EQ(parseStatement(once).ast->formatSQL(), once);
    }
}

TEST(Select, CloneIsDeep) {
    auto ast = parseStatement("SELECT a + 1 AS x FROM t WHERE b IN (SELECT 1) ORDER BY x").ast;
    auto copy = ast->clone();
    EXPECT_EQ(copy->formatSQL(), ast->formatSQL());
    auto s1 = firstSelect(ast), s2 = firstSelect(copy);
    EXPECT_NE(s1->select[0].get(), s2->select[0].get());
    EXPECT_NE(s1->where.get(), s2->where.get());
    s2->select[0]->alias = "changed";
    EXPECT_EQ(s1->select[0]->alias, "x");
}

TEST(Select, DumpTree) {
    EXPECT_EQ(dumpTree(*parseStatement("SELECT 1 AS x, a.b + 1 FROM db.t AS tt").ast),
              "SelectWithUnionQuery (children 1)\n"
              " ExpressionList (children 1)\n"
              "  SelectQuery (children 2)\n"
              "   ExpressionList (children 2)\n"
              "    Literal UInt64_1 (alias x)\n"
              "    Function plus (children 1)\n"
              "     ExpressionList (children 2)\n"
              "      Identifier a.b\n"
              "      Literal UInt64_1\n"
              "   TablesInSelectQuery (children 1)\n"
              "    TablesInSelectQueryElement (children 1)\n"
              "     TableExpression (children 1)\n"
              "      TableIdentifier db.t (alias tt)\n");
}

// ---- DDL and utility statements ---------------------------------------------------------------------

TEST(Create, TableWithEverything) {
    auto c = stmt<ASTCreateQuery>(
        "CREATE OR REPLACE TABLE IF NOT EXISTS db.t (a UInt8, b String DEFAULT 'x', c Nullable(DateTime64(3, 'UTC')) "
        "COMMENT 'hi', d UInt32 MATERIALIZED a + 1 CODEC(Delta, ZSTD(1)), e Enum8('a' = 1, 'b'=2), "
        "f Tuple(a UInt8, b String), `g h` Decimal(10,2) ALIAS 1, n UInt8 NOT NULL, m String EPHEMERAL, "
        "k UInt8 TTL d + INTERVAL 1 DAY, CONSTRAINT c1 CHECK a > 0, INDEX i b TYPE bloom_filter GRANULARITY 1, "
        "PRIMARY KEY (a)) ENGINE = ReplacingMergeTree(d) PARTITION BY a % 2 ORDER BY (a, b) SAMPLE BY a "
        "TTL d + INTERVAL 1 DAY SETTINGS index_granularity = 8192 COMMENT 'tbl'");
    EXPECT_TRUE(c->or_replace);
    EXPECT_TRUE(c->if_not_exists);
    EXPECT_EQ(c->database, "db");
    EXPECT_EQ(c->table, "t");
    ASSERT_EQ(c->columns.size(), 10u);
    EXPECT_EQ(c->columns[1]->default_kind, "DEFAULT");
    EXPECT_EQ(c->columns[2]->type, "Nullable(DateTime64(3, 'UTC'))");
    EXPECT_EQ(c->columns[2]->comment, "hi");
    EXPECT_EQ(c->columns[3]->default_kind, "MATERIALIZED");
    EXPECT_EQ(c->columns[3]->codec, "Delta, ZSTD(1)");
    EXPECT_EQ(c->columns[4]->type, "Enum8('a' = 1, 'b' = 2)");
    EXPECT_EQ(c->columns[5]->type, "Tuple(a UInt8, b String)");
    EXPECT_EQ(c->columns[6]->name, "g h");
    EXPECT_EQ(c->columns[6]->type, "Decimal(10, 2)");
    EXPECT_EQ(c->columns[7]->null_modifier, std::optional<bool>(false));
    EXPECT_EQ(c->columns[8]->default_kind, "EPHEMERAL");
    EXPECT_FALSE(c->columns[8]->default_expr);
    EXPECT_TRUE(c->columns[9]->ttl);
    ASSERT_EQ(c->constraints.size(), 1u);
    EXPECT_EQ(c->constraints[0]->name, "c1");
    ASSERT_EQ(c->indices.size(), 1u);
    EXPECT_EQ(c->indices[0]->formatSQL(false), "INDEX i b TYPE bloom_filter GRANULARITY 1");
    ASSERT_TRUE(c->engine);
    EXPECT_EQ(c->engine->name, "ReplacingMergeTree");
    EXPECT_EQ(c->engine->arguments.size(), 1u);
    EXPECT_EQ(c->partition_by->getColumnName(), "modulo(a, 2)");
    EXPECT_EQ(c->primary_key->formatSQL(), "a");
    EXPECT_EQ(c->order_by->formatSQL(), "(a, b)");
    EXPECT_TRUE(c->sample_by);
    EXPECT_TRUE(c->ttl);
    EXPECT_EQ(c->engine_settings.size(), 1u);
    EXPECT_EQ(c->comment, "tbl");
}

TEST(Create, ShowCreateLayout) {
    // Layout checked against ClickHouse's SHOW CREATE TABLE.
    EXPECT_EQ(parseStatement("CREATE TABLE default.t1 (a UInt8, b String DEFAULT 'x', c Nullable(DateTime64(3,'UTC')) "
                             "COMMENT 'hi', d UInt32 MATERIALIZED a + 1 CODEC(ZSTD(1)), e Enum8('a' = 1, 'b'=2), "
                             "`g h` Decimal(10,2) ALIAS 1, CONSTRAINT c1 CHECK a > 0) ENGINE = Memory")
                  .ast->formatSQL(),
              "CREATE TABLE default.t1\n(\n    `a` UInt8,\n    `b` String DEFAULT 'x',\n"
              "    `c` Nullable(DateTime64(3, 'UTC')) COMMENT 'hi',\n    `d` UInt32 MATERIALIZED a + 1 CODEC(ZSTD(1)),\n"
              "    `e` Enum8('a' = 1, 'b' = 2),\n    `g h` Decimal(10, 2) ALIAS 1,\n    CONSTRAINT c1 CHECK a > 0\n)\n"
              "ENGINE = Memory");
    EXPECT_EQ(parseStatement("CREATE TABLE default.t3 (a UInt8) ENGINE = MergeTree ORDER BY a "
                             "SETTINGS index_granularity = 1024, min_bytes_for_wide_part=0")
                  .ast->formatSQL(),
              "CREATE TABLE default.t3\n(\n    `a` UInt8\n)\nENGINE = MergeTree\nORDER BY a\n"
              "SETTINGS index_granularity = 1024, min_bytes_for_wide_part = 0");
    EXPECT_EQ(parseStatement("CREATE TABLE t2 (a UInt8, b String, d DateTime) ENGINE = ReplacingMergeTree(d) "
                             "PARTITION BY a % 2 PRIMARY KEY a ORDER BY (a, b) SAMPLE BY a COMMENT 'tbl'")
                  .ast->formatSQL(),
              "CREATE TABLE t2\n(\n    `a` UInt8,\n    `b` String,\n    `d` DateTime\n)\nENGINE = ReplacingMergeTree(d)\n"
              "PARTITION BY a % 2\nPRIMARY KEY a\nORDER BY (a, b)\nSAMPLE BY a\nCOMMENT 'tbl'");
    EXPECT_EQ(parseStatement("CREATE DATABASE IF NOT EXISTS d ENGINE = Atomic").ast->formatSQL(),
              "CREATE DATABASE IF NOT EXISTS d\nENGINE = Atomic");
}

TEST(Create, OtherForms) {
    auto c = stmt<ASTCreateQuery>("CREATE TABLE t AS db.other ENGINE = Memory");
    EXPECT_EQ(c->as_database, "db");
    EXPECT_EQ(c->as_table, "other");
    EXPECT_EQ(c->engine->name, "Memory");
    c = stmt<ASTCreateQuery>("CREATE TABLE t AS numbers(10)");
    ASSERT_TRUE(c->as_table_function);
    EXPECT_EQ(c->as_table_function->name, "numbers");
    c = stmt<ASTCreateQuery>("CREATE TABLE t ENGINE = Memory AS SELECT 1 AS x");
    ASSERT_TRUE(c->as_select);
    c = stmt<ASTCreateQuery>("CREATE TEMPORARY TABLE t (x UInt8)");
    EXPECT_TRUE(c->temporary);
    c = stmt<ASTCreateQuery>("CREATE VIEW IF NOT EXISTS v AS SELECT 1");
    EXPECT_EQ(c->what, ASTCreateQuery::What::View);
    EXPECT_TRUE(c->as_select);
    c = stmt<ASTCreateQuery>("CREATE MATERIALIZED VIEW db.mv TO db.t AS SELECT a FROM src");
    EXPECT_EQ(c->what, ASTCreateQuery::What::MaterializedView);
    EXPECT_EQ(c->to_database, "db");
    EXPECT_EQ(c->to_table, "t");
    c = stmt<ASTCreateQuery>("CREATE MATERIALIZED VIEW mv ENGINE = MergeTree ORDER BY a POPULATE AS SELECT a FROM src");
    EXPECT_TRUE(c->populate);
    EXPECT_TRUE(c->order_by);
    c = stmt<ASTCreateQuery>("CREATE DATABASE db");
    EXPECT_EQ(c->what, ASTCreateQuery::What::Database);
    EXPECT_EQ(c->database, "db");
    c = stmt<ASTCreateQuery>("CREATE TABLE t (a Array(LowCardinality(Nullable(String))), m Map(String, UInt64), "
                             "agg AggregateFunction(quantiles(0.5, 0.9), UInt64), d DOUBLE PRECISION) ENGINE = Log");
    EXPECT_EQ(c->columns[0]->type, "Array(LowCardinality(Nullable(String)))");
    EXPECT_EQ(c->columns[1]->type, "Map(String, UInt64)");
    EXPECT_EQ(c->columns[2]->type, "AggregateFunction(quantiles(0.5, 0.9), UInt64)");
    EXPECT_EQ(c->columns[3]->type, "DOUBLE PRECISION");
    c = stmt<ASTCreateQuery>("CREATE TABLE t (a UInt8 PRIMARY KEY, b DEFAULT 1) ENGINE = MergeTree");
    EXPECT_EQ(c->primary_key->formatSQL(), "a");
    EXPECT_EQ(c->columns[1]->type, "");
    EXPECT_EQ(c->columns[1]->default_kind, "DEFAULT");
}

TEST(Statements, DropTruncateDetach) {
    auto d = stmt<ASTDropQuery>("DROP TABLE IF EXISTS db.t SYNC");
    EXPECT_EQ(d->drop_kind, ASTDropQuery::Kind::Drop);
    EXPECT_EQ(d->what, ASTDropQuery::What::Table);
    EXPECT_TRUE(d->if_exists);
    EXPECT_EQ(d->database, "db");
    EXPECT_EQ(d->table, "t");
    d = stmt<ASTDropQuery>("DROP DATABASE d");
    EXPECT_EQ(d->what, ASTDropQuery::What::Database);
    EXPECT_EQ(d->database, "d");
    d = stmt<ASTDropQuery>("DROP VIEW v");
    EXPECT_EQ(d->what, ASTDropQuery::What::View);
    d = stmt<ASTDropQuery>("DROP DICTIONARY dict");
    EXPECT_EQ(d->what, ASTDropQuery::What::Dictionary);
    d = stmt<ASTDropQuery>("TRUNCATE TABLE IF EXISTS t");
    EXPECT_EQ(d->drop_kind, ASTDropQuery::Kind::Truncate);
    EXPECT_TRUE(d->if_exists);
    d = stmt<ASTDropQuery>("TRUNCATE t");
    EXPECT_EQ(d->table, "t");
    d = stmt<ASTDropQuery>("DETACH TABLE t");
    EXPECT_EQ(d->drop_kind, ASTDropQuery::Kind::Detach);
    EXPECT_EQ(d->formatSQL(), "DETACH TABLE t");
}

TEST(Statements, RenameExchange) {
    auto r = stmt<ASTRenameQuery>("RENAME TABLE a TO b, db.c TO db2.d");
    ASSERT_EQ(r->elements.size(), 2u);
    EXPECT_EQ(r->elements[1].from_database, "db");
    EXPECT_EQ(r->elements[1].to_table, "d");
    EXPECT_EQ(r->formatSQL(), "RENAME TABLE a TO b, db.c TO db2.d");
    r = stmt<ASTRenameQuery>("RENAME DATABASE x TO y");
    EXPECT_TRUE(r->database);
    EXPECT_EQ(r->elements[0].from_database, "x");
    EXPECT_EQ(r->elements[0].to_database, "y");
    r = stmt<ASTRenameQuery>("EXCHANGE TABLES a AND b");
    EXPECT_TRUE(r->exchange);
    EXPECT_EQ(r->elements[0].to_table, "b");
}

TEST(Statements, Show) {
    auto s = stmt<ASTShowQuery>("SHOW TABLES FROM db NOT ILIKE '%a' LIMIT 5");
    EXPECT_EQ(s->what, ASTShowQuery::What::Tables);
    EXPECT_EQ(s->database, "db");
    EXPECT_EQ(s->like, "%a");
    EXPECT_TRUE(s->not_like);
    EXPECT_TRUE(s->ilike);
    EXPECT_TRUE(s->limit);
    s = stmt<ASTShowQuery>("SHOW DATABASES LIKE 'x%'");
    EXPECT_EQ(s->what, ASTShowQuery::What::Databases);
    EXPECT_EQ(s->like, "x%");
    s = stmt<ASTShowQuery>("SHOW CREATE TABLE db.t");
    EXPECT_EQ(s->what, ASTShowQuery::What::CreateTable);
    EXPECT_EQ(s->table, "t");
    s = stmt<ASTShowQuery>("SHOW CREATE t");
    EXPECT_EQ(s->table, "t");
    s = stmt<ASTShowQuery>("SHOW CREATE DATABASE db");
    EXPECT_EQ(s->what, ASTShowQuery::What::CreateDatabase);
    s = stmt<ASTShowQuery>("SHOW SETTINGS LIKE 'max%'");
    EXPECT_EQ(s->what, ASTShowQuery::What::Settings);
    s = stmt<ASTShowQuery>("SHOW FUNCTIONS");
    EXPECT_EQ(s->what, ASTShowQuery::What::Functions);
    s = stmt<ASTShowQuery>("SHOW COLUMNS FROM t FROM db");
    EXPECT_EQ(s->what, ASTShowQuery::What::Columns);
    EXPECT_EQ(s->database, "db");
    EXPECT_EQ(s->table, "t");
}

TEST(Statements, DescribeUseSetExplain) {
    auto d = stmt<ASTDescribeQuery>("DESCRIBE TABLE db.t");
    EXPECT_EQ(d->table->table, "t");
    d = stmt<ASTDescribeQuery>("DESC t");
    EXPECT_EQ(d->table->table, "t");
    d = stmt<ASTDescribeQuery>("DESCRIBE (SELECT 1)");
    EXPECT_TRUE(d->table->subquery);
    d = stmt<ASTDescribeQuery>("DESCRIBE numbers(3)");
    EXPECT_TRUE(d->table->table_function);
    EXPECT_EQ(stmt<ASTUseQuery>("USE db")->database, "db");
    auto s = stmt<ASTSetQuery>("SET a = 1, b = 'x', c = -1.5, d = true");
    ASSERT_EQ(s->changes.size(), 4u);
    EXPECT_EQ(s->changes[2].second, Field(-1.5));
    EXPECT_EQ(s->formatSQL(), "SET a = 1, b = 'x', c = -1.5, d = true");
    auto e = stmt<ASTExplainQuery>("EXPLAIN AST SELECT 1");
    EXPECT_EQ(e->explain_kind, ASTExplainQuery::Kind::AST);
    e = stmt<ASTExplainQuery>("EXPLAIN SELECT 1");
    EXPECT_EQ(e->explain_kind, ASTExplainQuery::Kind::Plan);
    e = stmt<ASTExplainQuery>("EXPLAIN PIPELINE header = 1, graph = 0 SELECT 1");
    EXPECT_EQ(e->explain_kind, ASTExplainQuery::Kind::Pipeline);
    EXPECT_EQ(e->explain_settings.size(), 2u);
    e = stmt<ASTExplainQuery>("EXPLAIN SYNTAX CREATE TABLE t (a UInt8) ENGINE = Memory");
    EXPECT_NE(e->query->as<ASTCreateQuery>(), nullptr);
}

TEST(Statements, Insert) {
    auto st = parseStatement("INSERT INTO db.t (a, b) VALUES (1, 'x;y'), (2, 'z');");
    auto i = std::dynamic_pointer_cast<ASTInsertQuery>(st.ast);
    ASSERT_TRUE(i);
    EXPECT_EQ(i->database, "db");
    EXPECT_EQ(i->table, "t");
    EXPECT_EQ(i->columns, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(i->format, "Values");
    EXPECT_EQ(i->data, " (1, 'x;y'), (2, 'z')");
    EXPECT_TRUE(i->has_inline_data);
    i = stmt<ASTInsertQuery>("INSERT INTO TABLE t FORMAT CSV\n1,\"a\n2,'b\n");
    EXPECT_EQ(i->format, "CSV");
    EXPECT_EQ(i->data, "1,\"a\n2,'b\n");   // never tokenized, so unbalanced quotes are fine
    i = stmt<ASTInsertQuery>("INSERT INTO t FORMAT JSONEachRow {\"a\": 1}");
    EXPECT_EQ(i->data, "{\"a\": 1}");
    i = stmt<ASTInsertQuery>("INSERT INTO t SELECT * FROM s");
    EXPECT_TRUE(i->select);
    EXPECT_FALSE(i->has_inline_data);
    i = stmt<ASTInsertQuery>("INSERT INTO t WITH 1 AS x SELECT x");
    EXPECT_TRUE(i->select);
    i = stmt<ASTInsertQuery>("INSERT INTO t (x) (SELECT 1)");
    EXPECT_TRUE(i->select);
    i = stmt<ASTInsertQuery>("INSERT INTO FUNCTION file('a.csv', 'CSV') VALUES (1)");
    ASSERT_TRUE(i->table_function);
    EXPECT_EQ(i->table_function->name, "file");
    i = stmt<ASTInsertQuery>("INSERT INTO t VALUES");
    EXPECT_FALSE(i->has_inline_data);
    st = parseStatement("INSERT INTO t SETTINGS async_insert = 1 VALUES (1)");
    EXPECT_EQ(st.output.settings.size(), 1u);
}

// ---- errors ----------------------------------------------------------------------------------------

TEST(Errors, ClickHouseMessageShape) {
    int code = 0;
    EXPECT_EQ(errorOf("SELECT 1 +", &code).rfind("Syntax error: failed at position 11 (end of query): . Expected one of: ", 0), 0u);
    EXPECT_EQ(code, ErrorCodes::SYNTAX_ERROR);
    EXPECT_EQ(errorOf("SELECT (1"), "Syntax error: failed at position 8 ((): (1. Unmatched parentheses: (.");
    EXPECT_EQ(errorOf("SELECT 'abc"), "Single quoted string is not closed: Syntax error: failed at position 8 ('abc): 'abc. .");
    EXPECT_EQ(errorOf("SELECT 1 ! 2"), "Exclamation mark can only occur in != operator: Syntax error: failed at position 10 (!): ! 2. .");
    std::string e = errorOf("SELECT 1 2 3");
    EXPECT_EQ(e.rfind("Syntax error: failed at position 10 (2): 2 3. Expected one of: ", 0), 0u) << e;
    EXPECT_NE(e.find("FROM"), std::string::npos);
    EXPECT_NE(e.find("end of query"), std::string::npos);
    e = errorOf("SELECT 1,\n  2 +");
    EXPECT_NE(e.find("failed at position 16 (end of query) (line 2, col 6)"), std::string::npos) << e;
    e = errorOf("SELECT 1 FROM");
    EXPECT_EQ(e.rfind("Syntax error: failed at position 14 (end of query): . Expected", 0), 0u) << e;
    e = errorOf("SELEC 1");
    EXPECT_EQ(e.rfind("Syntax error: failed at position 1 (SELEC): SELEC 1. Expected one of: SELECT", 0), 0u) << e;
    e = errorOf("SELECT 1 FROM t WHERE a b " + std::string(300, 'x'));
    EXPECT_NE(e.find("... Expected"), std::string::npos);
    EXPECT_EQ(errorOf("SELECT 1 /* open"), "Multiline comment is not closed: Syntax error: failed at position 10 (/* open): /* open. .");
    EXPECT_NE(errorOf("SELECT f(1))").find("Unmatched parentheses: )"), std::string::npos);
}

TEST(Errors, Limits) {
    int code = 0;
    std::string deep = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')');
    EXPECT_EQ(errorOf(deep, &code), "Maximum parse depth (1000) exceeded. Consider rising max_parser_depth parameter.");
    EXPECT_EQ(code, ErrorCodes::TOO_DEEP_RECURSION);
    // Chains that build deep trees without recursion count toward the same limit.
    std::string sum = "SELECT 1";
    for (int i = 0; i < 3000; ++i) sum += " + 1";
    errorOf(sum, &code);
    EXPECT_EQ(code, ErrorCodes::TOO_DEEP_RECURSION);
    std::string minus = "SELECT ";
    for (int i = 0; i < 5000; ++i) minus += "- ";
    minus += "1";
    errorOf(minus, &code);
    EXPECT_EQ(code, ErrorCodes::TOO_DEEP_RECURSION);
    // Moderate nesting is fine.
    EXPECT_EQ(errorOf("SELECT " + std::string(50, '(') + "1" + std::string(50, ')')), "");
    ParserLimits small;
    small.max_query_size = 10;
    try {
        parseStatement("SELECT 1111111111111111", small);
        FAIL();
    } catch (const Exception& e) {
        EXPECT_EQ(e.code(), ErrorCodes::SYNTAX_ERROR);
        EXPECT_NE(std::string(e.what()).find("Max query size exceeded"), std::string::npos);
    }
    // Inline INSERT data does not count toward max_query_size.
    EXPECT_NO_THROW(parseStatement("INSERT INTO t VALUES " + std::string(100, '1'), ParserLimits{30, 1000}));
}

// Every prefix of a valid query either parses or fails with a basalt syntax/depth error — never a
// crash, never another exception type.
TEST(Errors, TruncationsNeverCrash) {
    const char* queries[] = {
        "WITH 1 AS x, t AS (SELECT 1) SELECT DISTINCT x, [1, 2], (1, 'a'), a.b.c, t.1, arr[1], -1::Int8, "
        "CASE WHEN a THEN 'x' ELSE 'y' END, CAST(a AS Nullable(String)), INTERVAL '5 day', x -> x + 1, "
        "count(DISTINCT y), quantile(0.5)(z), * EXCEPT (a) REPLACE (b + 1 AS b), COLUMNS('^a') "
        "FROM db.t AS tt FINAL LEFT ARRAY JOIN arr AS e PREWHERE a WHERE b IN (SELECT 1) AND c NOT BETWEEN 1 AND 2 "
        "GROUP BY a WITH TOTALS HAVING count() > 1 ORDER BY a DESC NULLS FIRST LIMIT 1 BY a LIMIT 10 OFFSET 2 "
        "SETTINGS max_threads = 1 UNION ALL (SELECT 1) FORMAT JSON",
        "CREATE TABLE IF NOT EXISTS db.t (a UInt8 DEFAULT 1 COMMENT 'c' CODEC(ZSTD(1)), b Enum8('a' = 1), "
        "c Tuple(x UInt8, y String), CONSTRAINT k CHECK a > 0, INDEX i a TYPE minmax GRANULARITY 1) "
        "ENGINE = MergeTree() PARTITION BY a ORDER BY (a, b) SETTINGS index_granularity = 1 COMMENT 'x'",
        "INSERT INTO db.t (a, b) VALUES (1, 'a')",
        "SHOW TABLES FROM db NOT LIKE '%a' LIMIT 5",
        "EXPLAIN PIPELINE header = 1 SELECT 1",
        "RENAME TABLE a TO b, c TO d",
        "SELECT 'a\\'b' || `c``d` || \"e\" /* c */ -- x",
    };
    for (const char* q : queries) {
        std::string full(q);
        EXPECT_NO_THROW(parseStatement(full)) << full;
        for (size_t n = 0; n <= full.size(); ++n) {
            std::string prefix = full.substr(0, n);
            try {
                auto st = parseStatement(prefix);
                if (st.ast) {
                    (void)st.ast->formatSQL();
                    (void)st.ast->clone();
                    (void)dumpTree(*st.ast);
                }
            } catch (const Exception& e) {
                EXPECT_TRUE(e.code() == ErrorCodes::SYNTAX_ERROR || e.code() == ErrorCodes::TOO_DEEP_RECURSION)
                    << prefix << " -> " << e.what();
            } catch (...) {
                ADD_FAILURE() << "non-basalt exception for: " << prefix;
            }
        }
    }
}

TEST(Errors, GarbageNeverCrashes) {
    const char* inputs[] = {"", ";", ")", "(((", "[[[", "SELECT ,", "SELECT * EXCEPT", "SELECT 1 ::", "SELECT x.",
                            "SELECT 0x", "SELECT 1e", "SELECT 1abc", "SELECT 'a' 'b'", "CREATE TABLE t (a", "INSERT",
                            "SELECT CASE", "SELECT INTERVAL", "SELECT t.*.*", "SELECT -", "SELECT ?", "\xff\xfe",
                            "SELECT `", "SELECT \"", "SELECT $", "SELECT {x:UInt8}", "EXPLAIN EXPLAIN", "SET",
                            "SELECT 1 LIMIT 1 BY x LIMIT 2 BY y", "SELECT f()()()", "SELECT (x, 1) -> 1"};
    for (const char* in : inputs) {
        try {
            parseStatement(in);
        } catch (const Exception& e) {
            EXPECT_TRUE(e.code() == ErrorCodes::SYNTAX_ERROR || e.code() == ErrorCodes::TOO_DEEP_RECURSION) << in;
        }
    }
}

// ---- splitStatements --------------------------------------------------------------------------------

TEST(Split, Basic) {
    auto v = splitStatements("SELECT 1; SELECT ';' ; -- c; d\n SELECT `a;b`; /* ; */ ;;  \n");
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0], "SELECT 1");
    EXPECT_EQ(v[1], "SELECT ';'");
    EXPECT_EQ(v[2], "-- c; d\n SELECT `a;b`");
    EXPECT_TRUE(splitStatements("  -- only a comment\n /* x */ ; ").empty());
}

TEST(Split, InsertInlineData) {
    auto v = splitStatements("INSERT INTO t FORMAT CSV\n1;2\n3,4;\nSELECT 1;\nINSERT INTO t VALUES (1, 'a;\nb');\nSELECT 2");
    ASSERT_EQ(v.size(), 4u);
    EXPECT_EQ(v[0], "INSERT INTO t FORMAT CSV\n1;2\n3,4");
    EXPECT_EQ(v[1], "SELECT 1");
    EXPECT_EQ(v[2], "INSERT INTO t VALUES (1, 'a;\nb')");
    EXPECT_EQ(v[3], "SELECT 2");
    auto ins = stmt<ASTInsertQuery>(v[0]);
    EXPECT_EQ(ins->data, "1;2\n3,4");
    // INSERT ... SELECT is ordinary SQL.
    v = splitStatements("INSERT INTO t SELECT 1; INSERT INTO t SELECT 2");
    EXPECT_EQ(v.size(), 2u);
    // Data runs to the end of the script when no ';' ends a line.
    v = splitStatements("INSERT INTO t FORMAT TSV\na\tb");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(stmt<ASTInsertQuery>(v[0])->data, "a\tb");
}
