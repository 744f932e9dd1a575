// lexer.h — tokenizer for basalt's ClickHouse SQL dialect, plus the syntax-error message builder the
// parser shares. The lexer is pull-based (next()) so the parser can stop before inline INSERT data,
// which must never be tokenized (CSV/JSON payloads are not SQL).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace basalt {

enum class TokenType {
    BareWord,          // identifier or keyword (keywords are recognised by the parser, case-insensitively)
    QuotedIdentifier,  // `x` or "x"; Token::value holds the unescaped name
    Number,            // 1, 0x1F, 0b101, 1.5e3, .5
    StringLiteral,     // 'x'; Token::value holds the unescaped bytes
    OpeningRound, ClosingRound, OpeningSquare, ClosingSquare, OpeningCurly, ClosingCurly,
    Comma, Semicolon, Dot, Asterisk, Plus, Minus, Slash, Percent, Arrow, QuestionMark, Colon,
    DoubleColon, Equals, NotEquals, Less, Greater, LessOrEquals, GreaterOrEquals, Concatenation, NullSafeEquals,
    At, DollarSign,
    EndOfStream,
    Error,             // malformed input; Token::value holds the reason
};

struct Token {
    TokenType type = TokenType::EndOfStream;
    size_t begin = 0, end = 0;   // byte offsets in the query text
    std::string value;           // decoded string / identifier, or error reason
    std::string_view text(std::string_view query) const { return query.substr(begin, end - begin); }
    bool isEnd() const { return type == TokenType::EndOfStream; }
};

// Describes a token type in "Expected ..." lists (e.g. "opening round bracket").
const char* tokenTypeName(TokenType t);

class Lexer {
public:
    explicit Lexer(std::string_view text) : s_(text) {}
    // Returns the next significant token (comments and whitespace skipped). After EndOfStream or
    // Error, keeps returning that token.
    Token next();
    size_t offset() const { return pos_; }

private:
    void skipWhitespaceAndComments(Token& err);
    Token lexNumber(size_t start);
    Token lexQuoted(size_t start, char quote, TokenType type);

    std::string_view s_;
    size_t pos_ = 0;
    TokenType prev_ = TokenType::EndOfStream;   // used to lex `t.1` as Dot + Number, not `t` + `.1`
    bool done_ = false;
    Token last_;
};

// Unescapes the body of a quoted literal (without quotes): backslash escapes and doubled quotes.
std::string unescapeQuoted(std::string_view body, char quote);

// Builds ClickHouse's syntax-error text: "Syntax error: failed at position N (token) (line L, col C):
// rest. <tail>" — line/col only for multi-line queries. `tail` is e.g. "Expected one of: a, b".
std::string formatSyntaxError(std::string_view query, size_t pos, size_t token_end, bool end_of_query,
                              std::string_view tail);

}  // namespace basalt
