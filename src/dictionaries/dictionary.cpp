// dictionary.cpp — see dictionary.h.
#include "dictionaries/dictionary.h"

#include <chrono>
#include <random>

#include "common/exception.h"
#include "common/periodic.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// A range bound or lookup point as Int64 (dates, date-times and integers).
int64_t rangeValue(const IColumn& c, size_t row) {
    Field f = c.get(row);
    if (f.is<uint64_t>()) return int64_t(f.get<uint64_t>());
    if (f.is<int64_t>()) return f.get<int64_t>();
    if (f.is<bool>()) return f.get<bool>();
    if (f.isNull()) return 0;
    throw Exception(ErrorCodes::TYPE_MISMATCH, "Range values of a RANGE_HASHED dictionary must be integers, dates or date-times");
}

constexpr uint64_t kMaxFlatKey = 500000;

}  // namespace

struct Dictionary::Data {
    Block block;
    std::vector<int32_t> flat;                                   // FLAT: key -> row, -1 absent
    std::unordered_map<uint64_t, uint32_t> hashed;               // HASHED
    std::unordered_map<std::string, uint32_t> complex;           // COMPLEX_KEY_HASHED: serialized key
    struct Range { int64_t min, max; uint32_t row; };
    std::unordered_map<uint64_t, std::vector<Range>> ranges;     // RANGE_HASHED, ordered by min
    size_t bytes = 0;
};

std::string DictionaryStructure::layoutName() const {
    switch (layout) {
        case Layout::Flat: return "Flat";
        case Layout::Hashed: return "Hashed";
        case Layout::ComplexKeyHashed: return "ComplexKeyHashed";
        case Layout::RangeHashed: return "RangeHashed";
    }
    return "";
}

const DictionaryAttribute* DictionaryStructure::attribute(const std::string& name) const {
    for (auto& c : columns)
        if (c.name == name && !isKey(name)) return &c;
    return nullptr;
}

bool DictionaryStructure::isKey(const std::string& name) const {
    for (auto& k : key_names)
        if (k == name) return true;
    return false;
}

Dictionary::Dictionary(std::string database, std::string name, DictionaryStructure structure, Loader loader)
    : database_(std::move(database)), name_(std::move(name)), structure_(std::move(structure)), loader_(std::move(loader)) {}

std::shared_ptr<const Dictionary::Data> Dictionary::get() {
    {
        std::lock_guard lock(mutex_);
        if (snapshot_ && (next_reload_ == 0 || unixSeconds() < next_reload_)) return snapshot_;
    }
    try {
        load();
    } catch (...) {
        std::lock_guard lock(mutex_);
        if (!snapshot_) throw;   // never loaded: the source's error is the lookup's error
        // A failed reload keeps serving the previous version (and retries after the lifetime).
    }
    std::lock_guard lock(mutex_);
    return snapshot_;
}

void Dictionary::reload() { load(); }

void Dictionary::shutdown() {
    std::lock_guard load_lock(load_mutex_);
    shut_down_ = true;
}

void Dictionary::reloadIfDue() {
    {
        std::lock_guard lock(mutex_);
        if (!snapshot_ || next_reload_ == 0 || unixSeconds() < next_reload_) return;
    }
    try {
        // The shutdown check and the load under one lock: a catalog going away waits for us.
        std::lock_guard load_lock(load_mutex_);
        if (shut_down_) return;
        loadLocked();
    } catch (...) {
        std::lock_guard lock(mutex_);
        next_reload_ = unixSeconds() + 5;   // retry soon; the error is in last_exception
    }
}

void Dictionary::load() {
    std::lock_guard load_lock(load_mutex_);
    loadLocked();
}

void Dictionary::loadLocked() {
    auto start = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        loading_start_time_ = unixSeconds();
    }
    auto data = std::make_shared<Data>();
    try {
        data->block = loader_();
        const Block& b = data->block;
        size_t rows = b.rows();
        auto keyColumn = [&](size_t k) { return b.findByName(structure_.key_names[k])->column; };
        using Layout = DictionaryStructure::Layout;
        if (structure_.layout == Layout::Flat || structure_.layout == Layout::Hashed || structure_.layout == Layout::RangeHashed) {
            ColumnPtr key = keyColumn(0);
            key = key->convertToFullColumn(key);
            const auto& keys = static_cast<const ColumnUInt64&>(*key).getData();
            if (structure_.layout == Layout::Flat) {
                for (size_t r = 0; r < rows; ++r) {
                    if (keys[r] >= kMaxFlatKey)
                        throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Dictionary " + name_ + ": key value " + std::to_string(keys[r]) +
                                                                               " out of range for FLAT layout (max " + std::to_string(kMaxFlatKey) + ")");
                    if (keys[r] >= data->flat.size()) data->flat.resize(std::max<size_t>(keys[r] + 1, data->flat.size() * 2), -1);
                    data->flat[keys[r]] = int32_t(r);
                }
                data->bytes += data->flat.size() * sizeof(int32_t);
            } else if (structure_.layout == Layout::Hashed) {
                data->hashed.reserve(rows);
                for (size_t r = 0; r < rows; ++r) {
                    if (structure_.first_wins) data->hashed.emplace(keys[r], uint32_t(r));
                    else data->hashed[keys[r]] = uint32_t(r);   // the last row of a key wins
                }
                data->bytes += data->hashed.size() * (sizeof(uint64_t) + sizeof(uint32_t) + 16);
            } else {
                const IColumn& lo = *b.findByName(structure_.range_min)->column;
                const IColumn& hi = *b.findByName(structure_.range_max)->column;
                for (size_t r = 0; r < rows; ++r) data->ranges[keys[r]].push_back({rangeValue(lo, r), rangeValue(hi, r), uint32_t(r)});
                for (auto& [k, v] : data->ranges)
                    std::stable_sort(v.begin(), v.end(), [](auto& a, auto& c) { return a.min < c.min; });
                data->bytes += rows * sizeof(Data::Range) + data->ranges.size() * 32;
            }
        } else {
            std::vector<ColumnPtr> keys;
            for (size_t k = 0; k < structure_.key_names.size(); ++k) keys.push_back(keyColumn(k)->convertToFullColumn(keyColumn(k)));
            std::string buf;
            for (size_t r = 0; r < rows; ++r) {
                buf.clear();
                for (auto& c : keys) c->serializeValue(r, buf);
                if (structure_.first_wins) data->complex.emplace(buf, uint32_t(r));
                else data->complex[buf] = uint32_t(r);
            }
            data->bytes += data->complex.size() * 48;
        }
        data->bytes += b.bytes();
    } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        last_exception_ = formatException(e);
        loading_duration_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        throw;
    }
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(data);
    last_exception_.clear();
    last_success_ = unixSeconds();
    loading_duration_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (structure_.lifetime_max > 0) {
        // A random moment in [MIN, MAX], as ClickHouse spreads reloads.
        static thread_local std::mt19937_64 rng{std::random_device{}()};
        uint64_t lo = structure_.lifetime_min, hi = std::max(structure_.lifetime_min, structure_.lifetime_max);
        next_reload_ = last_success_ + int64_t(lo + (hi > lo ? rng() % (hi - lo + 1) : 0));
    } else {
        next_reload_ = 0;
    }
}

void Dictionary::lookup(const Data& d, const DictionaryStructure& s, const Columns& keys, const ColumnPtr& range, size_t rows,
                        std::vector<int64_t>& out) {
    out.assign(rows, -1);
    using Layout = DictionaryStructure::Layout;
    if (s.layout == Layout::ComplexKeyHashed) {
        std::string buf;
        for (size_t r = 0; r < rows; ++r) {
            buf.clear();
            for (auto& c : keys) c->serializeValue(r, buf);
            auto it = d.complex.find(buf);
            if (it != d.complex.end()) out[r] = it->second;
        }
        return;
    }
    const auto& k = static_cast<const ColumnUInt64&>(*keys[0]).getData();
    switch (s.layout) {
        case Layout::Flat:
            for (size_t r = 0; r < rows; ++r)
                if (k[r] < d.flat.size()) out[r] = d.flat[k[r]];
            return;
        case Layout::Hashed:
            for (size_t r = 0; r < rows; ++r) {
                auto it = d.hashed.find(k[r]);
                if (it != d.hashed.end()) out[r] = it->second;
            }
            return;
        case Layout::RangeHashed: {
            if (!range) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "A RANGE_HASHED dictionary needs a range argument");
            for (size_t r = 0; r < rows; ++r) {
                auto it = d.ranges.find(k[r]);
                if (it == d.ranges.end()) continue;
                int64_t point = rangeValue(*range, r);
                for (auto& rg : it->second)
                    if (rg.min <= point && point <= rg.max) { out[r] = rg.row; break; }
            }
            return;
        }
        default: return;
    }
}

const Block& Dictionary::block(const Data& d) { return d.block; }

Dictionary::Status Dictionary::status() const {
    std::lock_guard lock(mutex_);
    Status s;
    if (snapshot_) s.status = "LOADED";
    else if (!last_exception_.empty()) s.status = "FAILED";
    else s.status = "NOT_LOADED";
    s.last_exception = last_exception_;
    if (snapshot_) {
        s.element_count = snapshot_->block.rows();
        s.bytes_allocated = snapshot_->bytes;
    }
    s.query_count = query_count_;
    s.loading_start_time = loading_start_time_;
    s.last_successful_update_time = last_success_;
    s.loading_duration = loading_duration_;
    return s;
}

// ---------------------------------------------------------------- the Dictionary table engine
namespace {
class OneBlockSource final : public ISource {
public:
    explicit OneBlockSource(Block b) : block_(std::move(b)) {}
    Block read() override {
        if (done_) return Block();
        done_ = true;
        return std::move(block_);
    }
private:
    Block block_;
    bool done_ = false;
};
}  // namespace

Sources StorageDictionary::read(const std::vector<std::string>& columns, QueryContext&, size_t) {
    auto data = dict_->get();
    const Block& all = Dictionary::block(*data);
    Block out;
    for (auto& c : columns) {
        const auto* col = all.findByName(c);
        if (!col) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + c + " in dictionary " + dict_->name());
        out.insert(*col);
    }
    if (columns.empty()) out.setRowsWithoutColumns(all.rows());
    Sources s;
    s.push_back(std::make_unique<OneBlockSource>(all.rows() ? std::move(out) : Block()));
    return s;
}

void StorageDictionary::write(std::vector<Block>, QueryContext&) {
    throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Method write is not supported by storage Dictionary");
}

std::optional<uint64_t> StorageDictionary::totalRows() const {
    auto s = dict_->status();
    return s.status == "LOADED" ? std::optional<uint64_t>(s.element_count) : std::nullopt;
}

}  // namespace basalt
