// output_formats.cpp — owns every output format (createOutputFormat) and the format registry
// (listFormats / isInputFormat / isOutputFormat). Each writer appends to one std::string buffer
// and hands it to the callback when it passes ~1 MiB and at flush(), so values are never
// allocated one by one on the hot path. Layouts match ClickHouse 26.x defaults byte for byte
// (row numbers in Pretty, column-name footer for long tables, Vertical fallback, number tips).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "formats/format.h"
#include "formats/value_text.h"
#include "types/create_column.h"

namespace basalt {

namespace {

constexpr size_t kFlushThreshold = 1 << 20;

bool isNullValue(const DataType& t, const IColumn& c, size_t row) {
    if (t.id == TypeId::Nothing) return true;
    if (t.id == TypeId::LowCardinality) return isNullValue(*t.nested[0], c, row);
    if (t.id != TypeId::Nullable) return false;
    return c.isNullAt(row);
}

const DataType& baseType(const DataType& t) {
    if (t.id == TypeId::Nullable || t.id == TypeId::LowCardinality) return baseType(*t.nested[0]);
    return t;
}

// ClickHouse right-aligns numbers, decimals, dates and intervals in Pretty/Markdown.
bool alignRight(const DataType& t0) {
    const DataType& t = baseType(t0);
    return t.isNumber() || t.isDecimal() || t.isDateOrDateTime() || t.id == TypeId::Interval;
}

class OutputBase : public IOutputFormat {
public:
    OutputBase(const Block& header, WriteCallback cb, const FormatSettings& s)
        : header_(header), cb_(std::move(cb)), s_(s) {}
    void flush() override {
        if (!buf_.empty()) { cb_(buf_); buf_.clear(); }
    }

protected:
    void maybeFlush() { if (buf_.size() >= kFlushThreshold) flush(); }
    const DataType& type(size_t i) const { return *header_.at(i).type; }
    void value(const Block& b, size_t col, size_t row, TextStyle style) {
        serializeText(*b.at(col).type, *b.at(col).column, row, buf_, style, s_);
    }

    Block header_;
    WriteCallback cb_;
    FormatSettings s_;
    std::string buf_;
};

// ---------------------------------------------------------------- TabSeparated / CSV
class TSVOutput final : public OutputBase {
public:
    TSVOutput(const Block& h, WriteCallback cb, const FormatSettings& s, bool names, bool types, bool raw)
        : OutputBase(h, std::move(cb), s), names_(names), types_(types), raw_(raw) {}
    void writePrefix() override {
        if (names_) line([&](size_t i) { appendEscapedTSV(buf_, header_.at(i).name); });
        if (types_) line([&](size_t i) { appendEscapedTSV(buf_, header_.at(i).type->name()); });
    }
    void write(const Block& b) override {
        for (size_t r = 0; r < b.rows(); ++r) { row(b, r); maybeFlush(); }
    }
    void writeTotals(const Block& b) override {
        buf_ += '\n';
        if (b.rows()) row(b, 0);
    }

private:
    template <typename F> void line(F&& f) {
        for (size_t i = 0; i < header_.columns(); ++i) { if (i) buf_ += '\t'; f(i); }
        buf_ += '\n';
    }
    void row(const Block& b, size_t r) {
        for (size_t i = 0; i < b.columns(); ++i) {
            if (i) buf_ += '\t';
            if (raw_) {
                if (isNullValue(*b.at(i).type, *b.at(i).column, r)) buf_ += "\\N";
                else value(b, i, r, TextStyle::Raw);
            } else {
                value(b, i, r, TextStyle::Escaped);
            }
        }
        buf_ += '\n';
    }
    bool names_, types_, raw_;
};

class CSVOutput final : public OutputBase {
public:
    CSVOutput(const Block& h, WriteCallback cb, const FormatSettings& s, bool names, bool types)
        : OutputBase(h, std::move(cb), s), names_(names), types_(types) {}
    void writePrefix() override {
        if (names_) line([&](size_t i) { appendCSVString(buf_, header_.at(i).name); });
        if (types_) line([&](size_t i) { appendCSVString(buf_, header_.at(i).type->name()); });
    }
    void write(const Block& b) override {
        for (size_t r = 0; r < b.rows(); ++r) { row(b, r); maybeFlush(); }
    }
    void writeTotals(const Block& b) override {
        buf_ += '\n';
        if (b.rows()) row(b, 0);
    }

private:
    template <typename F> void line(F&& f) {
        for (size_t i = 0; i < header_.columns(); ++i) { if (i) buf_ += s_.csv_delimiter; f(i); }
        buf_ += '\n';
    }
    void row(const Block& b, size_t r) {
        for (size_t i = 0; i < b.columns(); ++i) {
            if (i) buf_ += s_.csv_delimiter;
            value(b, i, r, TextStyle::CSV);
        }
        buf_ += '\n';
    }
    bool names_, types_;
};

// ---------------------------------------------------------------- JSON family
class JSONEachRowOutput final : public OutputBase {
public:
    JSONEachRowOutput(const Block& h, WriteCallback cb, const FormatSettings& s, bool compact)
        : OutputBase(h, std::move(cb), s), compact_(compact) {
        for (size_t i = 0; i < h.columns(); ++i) {
            std::string k;
            appendJSONString(k, h.at(i).name);
            keys_.push_back(k + ":");
        }
    }
    void write(const Block& b) override {
        for (size_t r = 0; r < b.rows(); ++r) {
            buf_ += compact_ ? '[' : '{';
            for (size_t i = 0; i < b.columns(); ++i) {
                if (i) buf_ += compact_ ? ", " : ",";
                if (!compact_) buf_ += keys_[i];
                value(b, i, r, TextStyle::JSON);
            }
            buf_ += compact_ ? "]\n" : "}\n";
            maybeFlush();
        }
    }

private:
    bool compact_;
    std::vector<std::string> keys_;
};

class JSONOutput final : public OutputBase {
public:
    JSONOutput(const Block& h, WriteCallback cb, const FormatSettings& s, bool compact)
        : OutputBase(h, std::move(cb), s), compact_(compact) {}
    void writePrefix() override {
        buf_ += "{\n\t\"meta\":\n\t[\n";
        for (size_t i = 0; i < header_.columns(); ++i) {
            buf_ += "\t\t{\n\t\t\t\"name\": ";
            appendJSONString(buf_, header_.at(i).name);
            buf_ += ",\n\t\t\t\"type\": ";
            appendJSONString(buf_, header_.at(i).type->name());
            buf_ += i + 1 < header_.columns() ? "\n\t\t},\n" : "\n\t\t}\n";
        }
        buf_ += "\t],\n\n\t\"data\":\n\t[\n";
    }
    void write(const Block& b) override {
        for (size_t r = 0; r < b.rows(); ++r) {
            if (rows_++) buf_ += ",\n";
            if (compact_) compactRow(b, r, "\t\t");
            else objectRow(b, r, "\t\t");
            maybeFlush();
        }
    }
    void writeTotals(const Block& b) override {
        closeData();
        if (!b.rows()) return;
        if (compact_) {
            buf_ += "\t\"totals\": ";
            compactRow(b, 0, "");
        } else {
            buf_ += "\t\"totals\":\n";
            objectRow(b, 0, "\t");
        }
        buf_ += ",\n\n";
    }
    void writeSuffix(const OutputStatistics& st) override {
        closeData();
        buf_ += "\t\"rows\": " + std::to_string(rows_) + ",\n\n";
        buf_ += "\t\"statistics\":\n\t{\n\t\t\"elapsed\": ";
        appendFloat(buf_, st.elapsed_seconds);
        buf_ += ",\n\t\t\"rows_read\": " + std::to_string(st.rows_read);
        buf_ += ",\n\t\t\"bytes_read\": " + std::to_string(st.bytes_read);
        buf_ += "\n\t}\n}\n";
    }

private:
    void closeData() {
        if (data_closed_) return;
        data_closed_ = true;
        buf_ += "\n\t],\n\n";
    }
    void objectRow(const Block& b, size_t r, const char* indent) {
        buf_ += indent; buf_ += "{\n";
        for (size_t i = 0; i < b.columns(); ++i) {
            buf_ += indent; buf_ += '\t';
            appendJSONString(buf_, b.at(i).name);
            buf_ += ": ";
            value(b, i, r, TextStyle::JSON);
            buf_ += i + 1 < b.columns() ? ",\n" : "\n";
        }
        buf_ += indent; buf_ += '}';
    }
    void compactRow(const Block& b, size_t r, const char* indent) {
        buf_ += indent; buf_ += '[';
        for (size_t i = 0; i < b.columns(); ++i) {
            if (i) buf_ += ", ";
            value(b, i, r, TextStyle::JSON);
        }
        buf_ += ']';
    }
    bool compact_;
    size_t rows_ = 0;
    bool data_closed_ = false;
};

// ---------------------------------------------------------------- Pretty family / Vertical

// Display width of UTF-8 text starting at terminal column `prefix` (tabs jump to multiples of 8,
// which is how ClickHouse measures cells containing tabs); wide East Asian characters count 2.
size_t displayWidth(std::string_view s, size_t prefix = 0) {
    size_t w = 0;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t') { w += 8 - (prefix + w) % 8; ++i; continue; }
        if (c < 0x80) { ++w; ++i; continue; }
        uint32_t cp = 0;
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        cp = len == 1 ? c : (c & (0xFF >> (len + 1)));
        for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | ((unsigned char)s[i + k] & 63);
        i += len;
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
                    (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
    }
    return w;
}

const char* kNullSign = "ᴺᵁᴸᴸ";

// "-- 12.35 million": the readable-quantity tip ClickHouse appends to numbers above 10^6
// (output_format_pretty_single_large_number_tip_threshold) — for a lone value in Pretty, for
// every numeric value in Vertical.
std::string numberTip(const DataType& t0, const IColumn& c, size_t row, const FormatSettings& s) {
    const DataType& t = baseType(t0);
    if (!(t.isNumber() || t.isDecimal()) || isNullValue(t0, c, row)) return {};
    std::string text;
    serializeText(t0, c, row, text, TextStyle::Raw, s);
    double v = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(v) || std::fabs(v) <= 1e6) return {};
    static const char* units[] = {"", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion",
                                  "sextillion", "septillion", "octillion", "nonillion", "decillion", "undecillion",
                                  "duodecillion", "tredecillion", "quattuordecillion", "quindecillion", "sexdecillion",
                                  "septendecillion", "octodecillion", "novemdecillion", "vigintillion"};
    int k = 0;
    double a = v;
    while (std::fabs(a) >= 1000 && k < 21) { a /= 1000; ++k; }
    char buf[64];
    std::snprintf(buf, sizeof(buf), " -- %.2f %s", a, units[k]);
    return buf;
}

enum class PrettyKind { Grid, Compact, Space };

class PrettyOutput final : public OutputBase {
public:
    PrettyOutput(const Block& h, WriteCallback cb, const FormatSettings& s, PrettyKind kind)
        : OutputBase(h, std::move(cb), s), kind_(kind) {}
    void write(const Block& b) override {
        if (!b.rows()) return;
        size_t n = b.rows();
        if (shown_ >= s_.pretty_max_rows) { total_ += n; return; }
        size_t take = std::min(n, s_.pretty_max_rows - shown_);
        total_ += n;
        renderTable(b, take, shown_, false);
        shown_ += take;
        maybeFlush();
    }
    void writeTotals(const Block& b) override {
        if (!b.rows()) return;
        buf_ += "\nTotals:\n";
        renderTable(b, 1, 0, true);
    }
    void writeSuffix(const OutputStatistics&) override {
        if (total_ > shown_) buf_ += "Showed " + std::to_string(shown_) + " out of " + std::to_string(total_) + " rows.\n";
    }

private:
    struct Cell { std::vector<std::string_view> lines; size_t width = 0; };

    void renderTable(const Block& b, size_t rows, size_t first_row, bool totals) {
        size_t cols = b.columns();
        // Cell texts live in one arena string; cells refer to it by offset until rendering.
        std::string arena;
        std::vector<std::pair<size_t, size_t>> spans(rows * cols);
        bool multiline = false;
        for (size_t r = 0; r < rows; ++r)
            for (size_t c = 0; c < cols; ++c) {
                size_t st = arena.size();
                if (isNullValue(*b.at(c).type, *b.at(c).column, r)) arena += kNullSign;
                else serializeText(*b.at(c).type, *b.at(c).column, r, arena, TextStyle::Raw, s_);
                if (arena.size() - st > s_.pretty_max_value_width && s_.pretty_max_value_width && !(rows == 1 && cols == 1)) {
                    arena.resize(st + s_.pretty_max_value_width);
                    arena += "⋯";
                }
                spans[r * cols + c] = {st, arena.size() - st};
                if (!multiline && std::memchr(arena.data() + st, '\n', arena.size() - st)) multiline = true;
            }
        size_t last_row_no = first_row + rows;
        size_t num_w = s_.pretty_row_numbers ? std::to_string(last_row_no).size() + 2 : 0;

        // Widths, computed left to right because tab stops depend on the cell's line position.
        std::vector<size_t> width(cols);
        std::vector<Cell> cells(rows * cols);
        size_t offset = num_w;
        size_t total_width = 0;
        for (size_t c = 0; c < cols; ++c) {
            size_t col_start = offset + (kind_ == PrettyKind::Space ? 1 : 2);
            size_t w = displayWidth(b.at(c).name);
            for (size_t r = 0; r < rows; ++r) {
                Cell& cell = cells[r * cols + c];
                std::string_view text(arena.data() + spans[r * cols + c].first, spans[r * cols + c].second);
                size_t p = 0;
                while (true) {
                    size_t nl = text.find('\n', p);
                    std::string_view ln = text.substr(p, nl == std::string_view::npos ? std::string_view::npos : nl - p);
                    cell.lines.push_back(ln);
                    cell.width = std::max(cell.width, displayWidth(ln, col_start));
                    if (nl == std::string_view::npos) break;
                    p = nl + 1;
                }
                w = std::max(w, cell.width);
            }
            width[c] = w;
            total_width += w;
            offset += w + 3;
        }

        if (!totals && s_.pretty_fallback_to_vertical && rows <= 10 && cols > 5 && (total_width >= 250 || multiline)) {
            renderVertical(b, rows, first_row);
            return;
        }

        std::string pad(num_w, ' ');
        auto rule = [&](const char* l, const char* fill, const char* mid, const char* r) {
            buf_ += pad; buf_ += l;
            for (size_t c = 0; c < cols; ++c) {
                if (c) buf_ += mid;
                for (size_t k = 0; k < width[c] + 2; ++k) buf_ += fill;
            }
            buf_ += r; buf_ += '\n';
        };
        auto aligned = [&](std::string_view text, size_t tw, size_t w, bool right, const char* fill) {
            if (right) for (size_t k = tw; k < w; ++k) buf_ += fill;
            buf_ += text;
            if (!right) for (size_t k = tw; k < w; ++k) buf_ += fill;
        };
        auto nameRow = [&](const char* bar) {  // "┃ n ┃ s ┃" (Grid) or the Space header line
            buf_ += pad;
            for (size_t c = 0; c < cols; ++c) {
                if (kind_ == PrettyKind::Space) buf_ += c ? "   " : " ";
                else { buf_ += bar; buf_ += ' '; }
                aligned(b.at(c).name, displayWidth(b.at(c).name), width[c], alignRight(*b.at(c).type), " ");
                if (kind_ != PrettyKind::Space) buf_ += ' ';
            }
            // The Space header has no trailing pad (rows do): ClickHouse's layout, kept verbatim.
            if (kind_ != PrettyKind::Space) buf_ += bar;
            buf_ += '\n';
        };
        auto compactNames = [&](const char* l, const char* mid, const char* r) {  // "┌─n─┬─s─┐"
            buf_ += pad; buf_ += l;
            for (size_t c = 0; c < cols; ++c) {
                if (c) buf_ += mid;
                buf_ += "─";
                aligned(b.at(c).name, displayWidth(b.at(c).name), width[c], alignRight(*b.at(c).type), "─");
                buf_ += "─";
            }
            buf_ += r; buf_ += '\n';
        };

        // header
        if (kind_ == PrettyKind::Grid) {
            rule("┏", "━", "┳", "┓");
            nameRow("┃");
            rule("┡", "━", "╇", "┩");
        } else if (kind_ == PrettyKind::Compact) {
            compactNames("┌", "┬", "┐");
        } else {
            nameRow("");
            buf_ += '\n';
        }
        for (size_t r = 0; r < rows; ++r) {
            // ClickHouse appends the readable-quantity tip of the last column's value to each row.
            std::string tip = cols ? numberTip(*b.at(cols - 1).type, *b.at(cols - 1).column, r, s_) : std::string();
            if (r && kind_ == PrettyKind::Grid) rule("├", "─", "┼", "┤");
            size_t nlines = 1;
            for (size_t c = 0; c < cols; ++c) nlines = std::max(nlines, cells[r * cols + c].lines.size());
            for (size_t ln = 0; ln < nlines; ++ln) {
                if (num_w) {
                    if (ln == 0) {
                        std::string no = std::to_string(first_row + r + 1) + ".";
                        buf_.append(num_w - 1 - no.size(), ' ');
                        buf_ += no; buf_ += ' ';
                    } else buf_ += pad;
                }
                for (size_t c = 0; c < cols; ++c) {
                    const Cell& cell = cells[r * cols + c];
                    bool has = ln < cell.lines.size();
                    bool more = ln + 1 < cell.lines.size();
                    if (kind_ == PrettyKind::Space) buf_ += c ? " " : "";
                    else buf_ += "│";
                    buf_ += (has && ln > 0) ? "↳" : " ";
                    if (has) {
                        size_t col_start = num_w + (kind_ == PrettyKind::Space ? 1 : 2);
                        for (size_t k = 0; k < c; ++k) col_start += width[k] + 3;
                        size_t tw = displayWidth(cell.lines[ln], col_start);
                        aligned(cell.lines[ln], tw, width[c], alignRight(*b.at(c).type), " ");
                    } else {
                        buf_.append(width[c], ' ');
                    }
                    buf_ += more ? "↴" : " ";
                }
                if (kind_ != PrettyKind::Space) buf_ += "│";
                if (ln == 0 && !tip.empty()) buf_ += tip;
                buf_ += '\n';
            }
        }
        bool footer = s_.pretty_footer_min_rows && rows >= s_.pretty_footer_min_rows;
        if (kind_ == PrettyKind::Grid) {
            if (footer) {
                rule("┢", "━", "╈", "┪");
                nameRow("┃");
                rule("┗", "━", "┻", "┛");
            } else {
                rule("└", "─", "┴", "┘");
            }
        } else if (kind_ == PrettyKind::Compact) {
            if (footer) compactNames("└", "┴", "┘");
            else rule("└", "─", "┴", "┘");
        } else if (footer) {
            buf_ += '\n';
            nameRow("");
            buf_ += '\n';
        }
    }

    void renderVertical(const Block& b, size_t rows, size_t first_row);

    PrettyKind kind_;
    size_t shown_ = 0;
    size_t total_ = 0;
};

void appendVerticalRows(std::string& buf, const Block& b, size_t rows, size_t first_row, const FormatSettings& s,
                        bool& any_output) {
    size_t name_w = 0;
    for (size_t c = 0; c < b.columns(); ++c) name_w = std::max(name_w, displayWidth(b.at(c).name));
    for (size_t r = 0; r < rows; ++r) {
        if (any_output) buf += '\n';
        any_output = true;
        std::string title = "Row " + std::to_string(first_row + r + 1) + ":";
        buf += title; buf += '\n';
        for (size_t k = 0; k < title.size(); ++k) buf += "─";
        buf += '\n';
        for (size_t c = 0; c < b.columns(); ++c) {
            buf += b.at(c).name;
            buf += ':';
            buf.append(name_w + 1 - displayWidth(b.at(c).name), ' ');
            if (isNullValue(*b.at(c).type, *b.at(c).column, r)) buf += kNullSign;
            else {
                serializeText(*b.at(c).type, *b.at(c).column, r, buf, TextStyle::Raw, s);
                buf += numberTip(*b.at(c).type, *b.at(c).column, r, s);
            }
            buf += '\n';
        }
    }
}

void PrettyOutput::renderVertical(const Block& b, size_t rows, size_t first_row) {
    bool any = first_row > 0;
    appendVerticalRows(buf_, b, rows, first_row, s_, any);
}

class VerticalOutput final : public OutputBase {
public:
    using OutputBase::OutputBase;
    void write(const Block& b) override {
        appendVerticalRows(buf_, b, b.rows(), rows_, s_, any_);
        rows_ += b.rows();
        maybeFlush();
    }
    void writeTotals(const Block& b) override {
        if (!b.rows()) return;
        buf_ += "\n\nTotals:\n───────\n";
        size_t name_w = 0;
        for (size_t c = 0; c < b.columns(); ++c) name_w = std::max(name_w, displayWidth(b.at(c).name));
        for (size_t c = 0; c < b.columns(); ++c) {
            buf_ += b.at(c).name;
            buf_ += ':';
            buf_.append(name_w + 1 - displayWidth(b.at(c).name), ' ');
            if (isNullValue(*b.at(c).type, *b.at(c).column, 0)) buf_ += kNullSign;
            else { value(b, c, 0, TextStyle::Raw); buf_ += numberTip(*b.at(c).type, *b.at(c).column, 0, s_); }
            buf_ += '\n';
        }
    }

private:
    size_t rows_ = 0;
    bool any_ = false;
};

class MarkdownOutput final : public OutputBase {
public:
    using OutputBase::OutputBase;
    void writePrefix() override {
        buf_ += '|';
        for (size_t i = 0; i < header_.columns(); ++i) { buf_ += ' '; buf_ += header_.at(i).name; buf_ += " |"; }
        buf_ += "\n|";
        for (size_t i = 0; i < header_.columns(); ++i) buf_ += alignRight(type(i)) ? "-:|" : ":-|";
        buf_ += '\n';
    }
    void write(const Block& b) override {
        for (size_t r = 0; r < b.rows(); ++r) {
            buf_ += '|';
            for (size_t i = 0; i < b.columns(); ++i) { buf_ += ' '; value(b, i, r, TextStyle::Escaped); buf_ += " |"; }
            buf_ += '\n';
            maybeFlush();
        }
    }
};

class ValuesOutput final : public OutputBase {
public:
    using OutputBase::OutputBase;
    void write(const Block& b) override {
        for (size_t r = 0; r < b.rows(); ++r) {
            if (rows_++) buf_ += ',';
            buf_ += '(';
            for (size_t i = 0; i < b.columns(); ++i) { if (i) buf_ += ','; value(b, i, r, TextStyle::Quoted); }
            buf_ += ')';
            maybeFlush();
        }
    }

private:
    size_t rows_ = 0;
};

class NullOutput final : public OutputBase {
public:
    using OutputBase::OutputBase;
    void write(const Block&) override {}
};

// ---------------------------------------------------------------- RowBinary
void putVarUInt(std::string& out, uint64_t v) {
    while (v >= 0x80) { out += char(uint8_t(v) | 0x80); v >>= 7; }
    out += char(v);
}

void writeBinary(const DataType& t, const IColumn& c0, size_t row, std::string& out) {
    const IColumn* cp = &c0;
    if (cp->isConst()) { cp = &static_cast<const ColumnConst&>(c0).getDataColumn(); row = 0; }
    const IColumn& c = *cp;
    switch (t.id) {
        case TypeId::Nothing: return;
        case TypeId::Nullable: {
            auto& n = static_cast<const ColumnNullable&>(c);
            bool null = n.isNullAt(row);
            out += char(null ? 1 : 0);
            if (!null) writeBinary(*t.nested[0], n.getNested(), row, out);
            return;
        }
        case TypeId::LowCardinality:
            if (c.isLowCardinality()) {
                auto& lc = static_cast<const ColumnLowCardinality&>(c);
                writeBinary(*t.nested[0], lc.getDictionaryValues(), lc.indexAt(row), out);
            } else {
                writeBinary(*t.nested[0], c, row, out);
            }
            return;
        case TypeId::String: case TypeId::AggregateFunction: {
            auto v = static_cast<const ColumnString&>(c).getView(row);
            putVarUInt(out, v.size());
            out += v;
            return;
        }
        case TypeId::FixedString: out += static_cast<const ColumnFixedString&>(c).getView(row); return;
        case TypeId::Array: {
            auto& a = static_cast<const ColumnArray&>(c);
            putVarUInt(out, a.sizeAt(row));
            for (size_t i = a.offsetAt(row); i < a.getOffsets()[row]; ++i) writeBinary(*t.nested[0], a.getData(), i, out);
            return;
        }
        case TypeId::Map: {
            auto& a = static_cast<const ColumnArray&>(c);
            auto& kv = static_cast<const ColumnTuple&>(a.getData());
            putVarUInt(out, a.sizeAt(row));
            for (size_t i = a.offsetAt(row); i < a.getOffsets()[row]; ++i) {
                writeBinary(*t.nested[0], kv.getColumn(0), i, out);
                writeBinary(*t.nested[1], kv.getColumn(1), i, out);
            }
            return;
        }
        case TypeId::Tuple: {
            auto& tu = static_cast<const ColumnTuple&>(c);
            for (size_t i = 0; i < t.nested.size(); ++i) writeBinary(*t.nested[i], tu.getColumn(i), row, out);
            return;
        }
        case TypeId::UUID: {
            // ClickHouse writes a UUID as its high 64-bit half then its low half, each little-endian.
            UInt128 v = static_cast<const ColumnVector<UInt128>&>(c).getData()[row];
            uint64_t hi = uint64_t(v >> 64), lo = uint64_t(v);
            out.append(reinterpret_cast<const char*>(&hi), 8);
            out.append(reinterpret_cast<const char*>(&lo), 8);
            return;
        }
        default:
            if (c.isFixedAndContiguous()) {
                size_t sz = c.valueSizeOfFixed();
                out.append(c.rawData() + row * sz, sz);
                return;
            }
            throw Exception(ErrorCodes::NOT_IMPLEMENTED, "RowBinary output of type " + t.name() + " is not supported");
    }
}

class RowBinaryOutput final : public OutputBase {
public:
    RowBinaryOutput(const Block& h, WriteCallback cb, const FormatSettings& s, bool names, bool types)
        : OutputBase(h, std::move(cb), s), names_(names), types_(types) {}
    void writePrefix() override {
        if (!names_) return;
        putVarUInt(buf_, header_.columns());
        for (size_t i = 0; i < header_.columns(); ++i) { putVarUInt(buf_, header_.at(i).name.size()); buf_ += header_.at(i).name; }
        if (types_)
            for (size_t i = 0; i < header_.columns(); ++i) {
                std::string n = header_.at(i).type->name();
                putVarUInt(buf_, n.size());
                buf_ += n;
            }
    }
    void write(const Block& b) override {
        for (size_t r = 0; r < b.rows(); ++r) {
            for (size_t i = 0; i < b.columns(); ++i) writeBinary(*b.at(i).type, *b.at(i).column, r, buf_);
            maybeFlush();
        }
    }

private:
    bool names_, types_;
};

struct FormatInfo { const char* name; bool input; bool output; };
const FormatInfo kFormats[] = {
    {"TabSeparated", true, true}, {"TSV", true, true},
    {"TabSeparatedWithNames", true, true}, {"TSVWithNames", true, true},
    {"TabSeparatedWithNamesAndTypes", true, true}, {"TSVWithNamesAndTypes", true, true},
    {"TabSeparatedRaw", true, true}, {"TSVRaw", true, true}, {"Raw", true, true},
    {"TabSeparatedRawWithNames", true, true}, {"TSVRawWithNames", true, true},
    {"TabSeparatedRawWithNamesAndTypes", true, true}, {"TSVRawWithNamesAndTypes", true, true},
    {"CSV", true, true}, {"CSVWithNames", true, true}, {"CSVWithNamesAndTypes", true, true},
    {"JSONEachRow", true, true}, {"JSONLines", true, true}, {"NDJSON", true, true},
    {"JSONCompactEachRow", true, true},
    {"JSON", false, true}, {"JSONCompact", false, true},
    {"Pretty", false, true}, {"PrettyCompact", false, true}, {"PrettySpace", false, true},
    {"PrettyNoEscapes", false, true}, {"PrettyCompactNoEscapes", false, true}, {"PrettySpaceNoEscapes", false, true},
    {"PrettyMonoBlock", false, true}, {"PrettyCompactMonoBlock", false, true}, {"PrettySpaceMonoBlock", false, true},
    {"PrettyNoEscapesMonoBlock", false, true}, {"PrettyCompactNoEscapesMonoBlock", false, true},
    {"PrettySpaceNoEscapesMonoBlock", false, true},
    {"Vertical", false, true}, {"Markdown", false, true}, {"MD", false, true}, {"Null", false, true},
    {"RowBinary", false, true}, {"RowBinaryWithNames", false, true}, {"RowBinaryWithNamesAndTypes", false, true},
    {"Values", true, true},
};

const FormatInfo* findFormat(const std::string& name) {
    for (auto& f : kFormats) if (name == f.name) return &f;
    // ClickHouse also resolves format names case-insensitively (tsv, json, csv ...).
    for (auto& f : kFormats) if (iequals(name, f.name)) return &f;
    return nullptr;
}

}  // namespace

std::string canonicalFormatName(const std::string& name) {
    const FormatInfo* f = findFormat(name);
    return f ? f->name : name;
}

std::unique_ptr<IOutputFormat> createOutputFormat(const std::string& name0, const Block& header, WriteCallback write,
                                                  const FormatSettings& settings) {
    const FormatInfo* f = findFormat(name0);
    if (!f || !f->output) throw Exception(ErrorCodes::UNKNOWN_FORMAT, "Unknown output format " + name0);
    std::string n = f->name;
    auto& h = header;
    auto& s = settings;
    auto cb = std::move(write);
    if (n == "TabSeparated" || n == "TSV") return std::make_unique<TSVOutput>(h, cb, s, false, false, false);
    if (n == "TabSeparatedWithNames" || n == "TSVWithNames") return std::make_unique<TSVOutput>(h, cb, s, true, false, false);
    if (n == "TabSeparatedWithNamesAndTypes" || n == "TSVWithNamesAndTypes") return std::make_unique<TSVOutput>(h, cb, s, true, true, false);
    if (n == "TabSeparatedRaw" || n == "TSVRaw" || n == "Raw") return std::make_unique<TSVOutput>(h, cb, s, false, false, true);
    if (n == "TabSeparatedRawWithNames" || n == "TSVRawWithNames") return std::make_unique<TSVOutput>(h, cb, s, true, false, true);
    if (n == "TabSeparatedRawWithNamesAndTypes" || n == "TSVRawWithNamesAndTypes") return std::make_unique<TSVOutput>(h, cb, s, true, true, true);
    if (n == "CSV") return std::make_unique<CSVOutput>(h, cb, s, false, false);
    if (n == "CSVWithNames") return std::make_unique<CSVOutput>(h, cb, s, true, false);
    if (n == "CSVWithNamesAndTypes") return std::make_unique<CSVOutput>(h, cb, s, true, true);
    if (n == "JSONEachRow" || n == "JSONLines" || n == "NDJSON") return std::make_unique<JSONEachRowOutput>(h, cb, s, false);
    if (n == "JSONCompactEachRow") return std::make_unique<JSONEachRowOutput>(h, cb, s, true);
    if (n == "JSON") return std::make_unique<JSONOutput>(h, cb, s, false);
    if (n == "JSONCompact") return std::make_unique<JSONOutput>(h, cb, s, true);
    if (n.rfind("PrettyCompact", 0) == 0) return std::make_unique<PrettyOutput>(h, cb, s, PrettyKind::Compact);
    if (n.rfind("PrettySpace", 0) == 0) return std::make_unique<PrettyOutput>(h, cb, s, PrettyKind::Space);
    if (n.rfind("Pretty", 0) == 0) return std::make_unique<PrettyOutput>(h, cb, s, PrettyKind::Grid);
    if (n == "Vertical") return std::make_unique<VerticalOutput>(h, cb, s);
    if (n == "Markdown" || n == "MD") return std::make_unique<MarkdownOutput>(h, cb, s);
    if (n == "Null") return std::make_unique<NullOutput>(h, cb, s);
    if (n == "RowBinary") return std::make_unique<RowBinaryOutput>(h, cb, s, false, false);
    if (n == "RowBinaryWithNames") return std::make_unique<RowBinaryOutput>(h, cb, s, true, false);
    if (n == "RowBinaryWithNamesAndTypes") return std::make_unique<RowBinaryOutput>(h, cb, s, true, true);
    if (n == "Values") return std::make_unique<ValuesOutput>(h, cb, s);
    throw Exception(ErrorCodes::UNKNOWN_FORMAT, "Unknown output format " + name0);
}

bool isInputFormat(const std::string& name) { auto* f = findFormat(name); return f && f->input; }
bool isOutputFormat(const std::string& name) { auto* f = findFormat(name); return f && f->output; }

std::vector<std::tuple<std::string, bool, bool>> listFormats() {
    std::vector<std::tuple<std::string, bool, bool>> r;
    for (auto& f : kFormats) r.emplace_back(f.name, f.input, f.output);
    return r;
}

}  // namespace basalt
