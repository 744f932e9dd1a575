// lexer.cpp — tokenizer for the SQL dialect and the shared syntax-error message builder.
// Hand-written: the token set is small and the lexer must be exact about byte positions and never
// read past the input (it is fuzzed).
#include "sql/lexer.h"

#include <algorithm>

namespace basalt {

namespace {

bool isWordStart(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }
bool isWordChar(unsigned char c) { return isWordStart(c) || (c >= '0' && c <= '9') || c == '$'; }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(unsigned char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
int hexValue(unsigned char c) {
    if (isDigit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

}  // namespace

const char* tokenTypeName(TokenType t) {
    switch (t) {
        case TokenType::BareWord: return "identifier";
        case TokenType::QuotedIdentifier: return "quoted identifier";
        case TokenType::Number: return "number";
        case TokenType::StringLiteral: return "string literal";
        case TokenType::OpeningRound: return "opening round bracket";
        case TokenType::ClosingRound: return "closing round bracket";
        case TokenType::OpeningSquare: return "opening square bracket";
        case TokenType::ClosingSquare: return "closing square bracket";
        case TokenType::OpeningCurly: return "opening curly bracket";
        case TokenType::ClosingCurly: return "closing curly bracket";
        case TokenType::Comma: return "comma";
        case TokenType::Semicolon: return "semicolon";
        case TokenType::Dot: return "Dot";
        case TokenType::Asterisk: return "asterisk";
        case TokenType::Plus: return "plus";
        case TokenType::Minus: return "minus";
        case TokenType::Slash: return "slash";
        case TokenType::Percent: return "percent";
        case TokenType::Arrow: return "arrow";
        case TokenType::QuestionMark: return "question mark";
        case TokenType::Colon: return "colon";
        case TokenType::DoubleColon: return "DoubleColon";
        case TokenType::Equals: return "equals";
        case TokenType::NotEquals: return "not equals";
        case TokenType::Less: return "less";
        case TokenType::Greater: return "greater";
        case TokenType::LessOrEquals: return "less or equals";
        case TokenType::NullSafeEquals: return "<=>";
        case TokenType::GreaterOrEquals: return "greater or equals";
        case TokenType::Concatenation: return "concatenation operator";
        case TokenType::At: return "at";
        case TokenType::DollarSign: return "dollar sign";
        case TokenType::EndOfStream: return "end of query";
        case TokenType::Error: return "error";
    }
    return "token";
}

std::string unescapeQuoted(std::string_view body, char quote) {
    std::string out;
    out.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c == quote && i + 1 < body.size() && body[i + 1] == quote) {   // '' -> '
            out += quote;
            ++i;
        } else if (c == '\\' && i + 1 < body.size()) {
            char e = body[++i];
            switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'a': out += '\a'; break;
                case 'v': out += '\v'; break;
                case 'e': out += '\x1b'; break;
                case '0': out += '\0'; break;
                case '\\': out += '\\'; break;
                case '\'': out += '\''; break;
                case '"': out += '"'; break;
                case '`': out += '`'; break;
                case '\n': out += '\n'; break;   // line continuation keeps the newline
                case 'x':
                    if (i + 2 < body.size() && isHexDigit(body[i + 1]) && isHexDigit(body[i + 2])) {
                        out += char(hexValue(body[i + 1]) * 16 + hexValue(body[i + 2]));
                        i += 2;
                    } else {
                        out += "\\x";
                    }
                    break;
                default:
                    // Unknown escapes keep their backslash, as ClickHouse does, so regular
                    // expressions like '\w' and LIKE patterns like '\%' survive.
                    out += '\\';
                    out += e;
            }
        } else {
            out += c;
        }
    }
    return out;
}

void Lexer::skipWhitespaceAndComments(Token& err) {
    while (pos_ < s_.size()) {
        unsigned char c = s_[pos_];
        if (isSpace(c)) {
            ++pos_;
        } else if ((c == '-' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '-') || c == '#') {
            while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
        } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
            // Nested block comments: /* a /* b */ c */ is one comment.
            size_t start = pos_;
            int depth = 0;
            while (pos_ < s_.size()) {
                if (s_[pos_] == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') { ++depth; pos_ += 2; }
                else if (s_[pos_] == '*' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') { pos_ += 2; if (--depth == 0) break; }
                else ++pos_;
            }
            if (depth != 0) {
                err.type = TokenType::Error;
                err.begin = start;
                err.end = s_.size();
                err.value = "Multiline comment is not closed";
                return;
            }
        } else {
            return;
        }
    }
}

Token Lexer::lexQuoted(size_t start, char quote, TokenType type) {
    Token t;
    t.begin = start;
    size_t i = start + 1;
    while (i < s_.size()) {
        if (s_[i] == '\\') { i += 2; continue; }
        if (s_[i] == quote) {
            if (i + 1 < s_.size() && s_[i + 1] == quote) { i += 2; continue; }
            break;
        }
        ++i;
    }
    if (i >= s_.size()) {
        t.type = TokenType::Error;
        t.end = s_.size();
        t.value = quote == '\'' ? "Single quoted string is not closed"
                  : quote == '`' ? "Back quoted string is not closed" : "Double quoted string is not closed";
        return t;
    }
    t.type = type;
    t.end = i + 1;
    t.value = unescapeQuoted(s_.substr(start + 1, i - start - 1), quote);
    return t;
}

Token Lexer::lexNumber(size_t start) {
    Token t;
    t.type = TokenType::Number;
    t.begin = start;
    size_t i = start;
    auto digits = [&](auto pred) { while (i < s_.size() && (pred((unsigned char)s_[i]) || (s_[i] == '_' && i + 1 < s_.size() && pred((unsigned char)s_[i + 1])))) ++i; };
    bool after_dot = prev_ == TokenType::Dot;   // t.1.2 is two tuple accesses, not a float
    if (s_[i] == '0' && i + 2 < s_.size() && (s_[i + 1] == 'x' || s_[i + 1] == 'X') && isHexDigit(s_[i + 2])) {
        i += 2;
        digits(isHexDigit);
        if (!after_dot && i < s_.size() && s_[i] == '.') { ++i; digits(isHexDigit); }
        if (!after_dot && i < s_.size() && (s_[i] == 'p' || s_[i] == 'P')) {
            size_t j = i + 1;
            if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
            if (j < s_.size() && isDigit(s_[j])) { i = j; digits(isDigit); }
        }
    } else if (s_[i] == '0' && i + 2 < s_.size() && (s_[i + 1] == 'b' || s_[i + 1] == 'B') && (s_[i + 2] == '0' || s_[i + 2] == '1')) {
        i += 2;
        digits([](unsigned char c) { return c == '0' || c == '1'; });
    } else {
        digits(isDigit);
        if (!after_dot && i < s_.size() && s_[i] == '.') { ++i; digits(isDigit); }
        if (!after_dot && i < s_.size() && (s_[i] == 'e' || s_[i] == 'E')) {
            size_t j = i + 1;
            if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
            if (j < s_.size() && isDigit(s_[j])) { i = j; digits(isDigit); }
        }
    }
    // A number glued to letters (1abc) is an error, as in ClickHouse; but 1 AS x needs the space.
    if (i < s_.size() && isWordChar((unsigned char)s_[i])) {
        while (i < s_.size() && isWordChar((unsigned char)s_[i])) ++i;
        t.type = TokenType::Error;
        t.value = "Wrong number";
    }
    t.end = i;
    return t;
}

Token Lexer::next() {
    if (done_) return last_;
    Token t;
    skipWhitespaceAndComments(t);
    if (t.type == TokenType::Error) {
        done_ = true;
        last_ = t;
        return t;
    }
    size_t start = pos_;
    t.begin = start;
    if (pos_ >= s_.size()) {
        t.type = TokenType::EndOfStream;
        t.begin = t.end = s_.size();
        done_ = true;
        last_ = t;
        return t;
    }
    unsigned char c = s_[pos_];
    auto peekc = [&](size_t k) -> char { return pos_ + k < s_.size() ? s_[pos_ + k] : '\0'; };
    auto simple = [&](TokenType type, size_t len) { t.type = type; pos_ += len; t.end = pos_; };
    if (isDigit(c) || (c == '.' && isDigit(peekc(1)) && prev_ != TokenType::BareWord && prev_ != TokenType::QuotedIdentifier &&
                       prev_ != TokenType::ClosingRound && prev_ != TokenType::ClosingSquare && prev_ != TokenType::Number)) {
        t = lexNumber(start);
        pos_ = t.end;
    } else if (isWordStart(c)) {
        while (pos_ < s_.size() && isWordChar((unsigned char)s_[pos_])) ++pos_;
        t.type = TokenType::BareWord;
        t.end = pos_;
    } else if (c == '\'') {
        t = lexQuoted(start, '\'', TokenType::StringLiteral);
        pos_ = t.end;
    } else if (c == '`' || c == '"') {
        t = lexQuoted(start, char(c), TokenType::QuotedIdentifier);
        pos_ = t.end;
    } else {
        switch (c) {
            case '(': simple(TokenType::OpeningRound, 1); break;
            case ')': simple(TokenType::ClosingRound, 1); break;
            case '[': simple(TokenType::OpeningSquare, 1); break;
            case ']': simple(TokenType::ClosingSquare, 1); break;
            case '{': simple(TokenType::OpeningCurly, 1); break;
            case '}': simple(TokenType::ClosingCurly, 1); break;
            case ',': simple(TokenType::Comma, 1); break;
            case ';': simple(TokenType::Semicolon, 1); break;
            case '.': simple(TokenType::Dot, 1); break;
            case '*': simple(TokenType::Asterisk, 1); break;
            case '+': simple(TokenType::Plus, 1); break;
            case '/': simple(TokenType::Slash, 1); break;
            case '%': simple(TokenType::Percent, 1); break;
            case '?': simple(TokenType::QuestionMark, 1); break;
            case '@': simple(TokenType::At, 1); break;
            case '$': simple(TokenType::DollarSign, 1); break;
            case '-': peekc(1) == '>' ? simple(TokenType::Arrow, 2) : simple(TokenType::Minus, 1); break;
            case ':': peekc(1) == ':' ? simple(TokenType::DoubleColon, 2) : simple(TokenType::Colon, 1); break;
            case '=': peekc(1) == '=' ? simple(TokenType::Equals, 2) : simple(TokenType::Equals, 1); break;
            case '!':
                if (peekc(1) == '=') simple(TokenType::NotEquals, 2);
                else { t.type = TokenType::Error; t.end = start + 1; t.value = "Exclamation mark can only occur in != operator"; pos_ = t.end; }
                break;
            case '<':
                if (peekc(1) == '=' && peekc(2) == '>') simple(TokenType::NullSafeEquals, 3);
                else if (peekc(1) == '=') simple(TokenType::LessOrEquals, 2);
                else if (peekc(1) == '>') simple(TokenType::NotEquals, 2);
                else simple(TokenType::Less, 1);
                break;
            case '>': peekc(1) == '=' ? simple(TokenType::GreaterOrEquals, 2) : simple(TokenType::Greater, 1); break;
            case '|':
                if (peekc(1) == '|') simple(TokenType::Concatenation, 2);
                else { t.type = TokenType::Error; t.end = start + 1; t.value = "Pipe symbol could only occur in || operator"; pos_ = t.end; }
                break;
            default:
                t.type = TokenType::Error;
                t.end = start + 1;
                t.value = "Unrecognized token";
                pos_ = t.end;
        }
    }
    if (t.type == TokenType::Error) {
        done_ = true;
        last_ = t;
    }
    prev_ = t.type;
    return t;
}

std::string formatSyntaxError(std::string_view query, size_t pos, size_t token_end, bool end_of_query,
                              std::string_view tail) {
    pos = std::min(pos, query.size());
    token_end = std::clamp(token_end, pos, query.size());
    std::string msg = "Syntax error: failed at position " + std::to_string(pos + 1) + " (";
    if (end_of_query) {
        msg += "end of query";
    } else {
        std::string_view tok = query.substr(pos, token_end - pos);
        if (tok.size() > 160) tok = tok.substr(0, 160);
        msg += tok;
    }
    msg += ")";
    if (query.find('\n') != std::string_view::npos) {
        size_t line = 1, col = 1;
        for (size_t i = 0; i < pos; ++i) {
            if (query[i] == '\n') { ++line; col = 1; } else ++col;
        }
        msg += " (line " + std::to_string(line) + ", col " + std::to_string(col) + ")";
    }
    msg += ": ";
    // The rest of the query from the failing token, cut like ClickHouse does for long queries.
    constexpr size_t kShowChars = 160;
    std::string_view rest = query.substr(pos);
    if (rest.size() > kShowChars) {
        msg += rest.substr(0, kShowChars);
        msg += "... ";
    } else {
        msg += rest;
        msg += ". ";
    }
    msg += tail;
    return msg;
}

}  // namespace basalt
