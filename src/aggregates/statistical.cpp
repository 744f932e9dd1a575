// statistical.cpp — moment-based statistics (varPop, varSamp, stddevPop, stddevSamp, covarPop,
// covarSamp, corr, their -Stable variants and the SQL-standard aliases VAR_POP, STDDEV_SAMP, STD, ...)
// and the registration hub for the approximate/statistical family (uniq.cpp, quantile.cpp,
// collections.cpp).
//
// The plain functions keep raw power sums (count, Σx, Σx²...) exactly as ClickHouse does, so results
// match it bit for bit — including its known cancellation on large offsets (varPop of 1e9 + small
// noise is 0). The -Stable variants use Welford's online update with Chan's parallel merge for
// numerically robust results. Every argument is converted to Float64 one block at a time in a typed
// loop, then one tight loop updates the state: no per-row virtual calls.
#include <algorithm>
#include <cmath>
#include <limits>

#include "aggregates/aggregate_helpers.h"

namespace basalt {

namespace {

using namespace agg;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

enum class Finalize { Pop, Samp, StddevPop, StddevSamp, Corr };

// ---------------------------------------------------------------- raw power sums (ClickHouse-exact)
struct VarSums {
    static constexpr bool kStable = false;
    static constexpr size_t kArgs = 1;
    double m0, m1, m2;
    void add(double x) { m0 += 1; m1 += x; m2 += x * x; }
    void merge(const VarSums& r) { m0 += r.m0; m1 += r.m1; m2 += r.m2; }
    double result(Finalize f) const {
        // Rounding can make the difference slightly negative; a variance cannot be, so clamp at 0.
        if (f == Finalize::Pop || f == Finalize::StddevPop) {
            if (m0 == 0) return kNaN;
            double v = std::max(0.0, (m2 - m1 * m1 / m0) / m0);
            return f == Finalize::Pop ? v : std::sqrt(v);
        }
        if (m0 <= 1) return kNaN;
        double v = std::max(0.0, (m2 - m1 * m1 / m0) / (m0 - 1));
        return f == Finalize::Samp ? v : std::sqrt(v);
    }
};

struct CovarSums {
    static constexpr bool kStable = false;
    static constexpr size_t kArgs = 2;
    double m0, x1, y1, xy;
    void add(double x, double y) { m0 += 1; x1 += x; y1 += y; xy += x * y; }
    void merge(const CovarSums& r) { m0 += r.m0; x1 += r.x1; y1 += r.y1; xy += r.xy; }
    double result(Finalize f) const {
        if (f == Finalize::Pop) return m0 == 0 ? kNaN : (xy - x1 * y1 / m0) / m0;
        return m0 <= 1 ? kNaN : (xy - x1 * y1 / m0) / (m0 - 1);
    }
};

struct CorrSums {
    static constexpr bool kStable = false;
    static constexpr size_t kArgs = 2;
    double m0, x1, y1, xy, x2, y2;
    void add(double x, double y) { m0 += 1; x1 += x; y1 += y; xy += x * y; x2 += x * x; y2 += y * y; }
    void merge(const CorrSums& r) { m0 += r.m0; x1 += r.x1; y1 += r.y1; xy += r.xy; x2 += r.x2; y2 += r.y2; }
    double result(Finalize) const { return (m0 * xy - x1 * y1) / std::sqrt((m0 * x2 - x1 * x1) * (m0 * y2 - y1 * y1)); }
};

// ---------------------------------------------------------------- Welford (the -Stable variants)
// Chan et al.'s pairwise combination of (count, mean, M2) partial results.
struct VarWelford {
    static constexpr bool kStable = true;
    static constexpr size_t kArgs = 1;
    uint64_t count;
    double mean, m2;
    void add(double x) {
        double delta = x - mean;
        ++count;
        mean += delta / double(count);
        m2 += delta * (x - mean);
    }
    void merge(const VarWelford& r) {
        if (r.count == 0) return;
        uint64_t total = count + r.count;
        double delta = r.mean - mean;
        double w = double(r.count) / double(total);
        m2 += r.m2 + delta * delta * double(count) * w;
        mean += delta * w;
        count = total;
    }
    double result(Finalize f) const {
        // ClickHouse's -Stable functions answer +inf (not nan) when there are too few rows.
        if (f == Finalize::Pop || f == Finalize::StddevPop) {
            if (count == 0) return kInf;
            double v = m2 / double(count);
            return f == Finalize::Pop ? v : std::sqrt(v);
        }
        if (count < 2) return kInf;
        double v = m2 / double(count - 1);
        return f == Finalize::Samp ? v : std::sqrt(v);
    }
};

struct CovarWelford {
    static constexpr bool kStable = true;
    static constexpr size_t kArgs = 2;
    uint64_t count;
    double xmean, ymean, co, xm2, ym2;   // xm2/ym2 only used by corrStable
    void add(double x, double y) {
        double dx = x - xmean, dy = y - ymean;
        ++count;
        xmean += dx / double(count);
        ymean += dy / double(count);
        co += (x - xmean) * dy;
        xm2 += dx * (x - xmean);
        ym2 += dy * (y - ymean);
    }
    void merge(const CovarWelford& r) {
        if (r.count == 0) return;
        uint64_t total = count + r.count;
        double dx = r.xmean - xmean, dy = r.ymean - ymean;
        double w = double(r.count) / double(total);
        double f = double(count) * w;   // count * r.count / total
        co += r.co + dx * dy * f;
        xm2 += r.xm2 + dx * dx * f;
        ym2 += r.ym2 + dy * dy * f;
        xmean += dx * w;
        ymean += dy * w;
        count = total;
    }
    double result(Finalize f) const {
        if (f == Finalize::Corr) return count < 2 ? kInf : co / std::sqrt(xm2 * ym2);
        if (f == Finalize::Pop) return count == 0 ? kInf : co / double(count);
        return count < 2 ? kInf : co / double(count - 1);
    }
};

template <typename Data>
class Moments final : public TrivialStateBase<Data> {
    using Base = TrivialStateBase<Data>;
public:
    Moments(const std::string& name, const DataTypes& args, Finalize fin)
        : Base(name, args, {}, makeType(float32Result(args) ? TypeId::Float32 : TypeId::Float64)), fin_(fin), float32_(float32Result(args)) {
        checkArgCount(name, args, Data::kArgs);
        for (size_t i = 0; i < Data::kArgs; ++i)
            if (!readers_[i].init(args[i])) throwBadArgType(name, args[i]);
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        if constexpr (Data::kArgs == 1) Base::data(p).add(readers_[0].row(cols[0], row, readers_[0].divisor));
        else Base::data(p).add(readers_[0].row(cols[0], row, readers_[0].divisor), readers_[1].row(cols[1], row, readers_[1].divisor));
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        PODArray<double> buf[Data::kArgs];
        convert(rows, cols, buf);
        for (size_t i = 0; i < rows; ++i) {
            if (filter && !filter[i]) continue;
            if constexpr (Data::kArgs == 1) Base::data(places[i] + off).add(buf[0][i]);
            else Base::data(places[i] + off).add(buf[0][i], buf[1][i]);
        }
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        PODArray<double> buf[Data::kArgs];
        convert(rows, cols, buf);
        Data& d = Base::data(p);
        for (size_t i = 0; i < rows; ++i) {
            if (filter && !filter[i]) continue;
            if constexpr (Data::kArgs == 1) d.add(buf[0][i]);
            else d.add(buf[0][i], buf[1][i]);
        }
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override { Base::data(p).merge(Base::data(r)); }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        // 0/0 yields a negative-signed NaN on x86; ClickHouse always shows a plain nan.
        double r = Base::data(p).result(fin_);
        if (std::isnan(r)) r = kNaN;
        if (float32_) static_cast<ColumnFloat32&>(to).insertValue(float(r));
        else static_cast<ColumnFloat64&>(to).insertValue(r);
    }
private:
    // As in ClickHouse, the plain (non-Stable) functions answer Float32 when every argument is Float32.
    static bool float32Result(const DataTypes& args) {
        if (Data::kStable || args.size() != Data::kArgs) return false;
        for (auto& a : args)
            if (a->id != TypeId::Float32) return false;
        return true;
    }
    void convert(size_t rows, const IColumn** cols, PODArray<double>* buf) const {
        for (size_t k = 0; k < Data::kArgs; ++k) {
            buf[k].resize(rows);
            readers_[k].batch(cols[k], rows, readers_[k].divisor, buf[k].data());
        }
    }
    Finalize fin_;
    bool float32_;
    DoubleReader readers_[Data::kArgs];
};

template <typename Data>
void registerMoment(AggregateFunctionFactory& f, const std::string& name, Finalize fin, std::initializer_list<const char*> aliases = {}) {
    auto creator = [name, fin](const std::string&, const DataTypes& args, const std::vector<Field>& params) -> AggregateFunctionPtr {
        checkNoParams(name, params);
        return std::make_shared<Moments<Data>>(name, args, fin);
    };
    f.registerFunction(name, creator, name == "corr");
    for (const char* a : aliases) f.registerFunction(a, creator, true);
}

}  // namespace

void registerStatisticalAggregateFunctions(AggregateFunctionFactory& f) {
    registerMoment<VarSums>(f, "varPop", Finalize::Pop, {"VAR_POP"});
    registerMoment<VarSums>(f, "varSamp", Finalize::Samp, {"VAR_SAMP"});
    registerMoment<VarSums>(f, "stddevPop", Finalize::StddevPop, {"STDDEV_POP", "STD"});
    registerMoment<VarSums>(f, "stddevSamp", Finalize::StddevSamp, {"STDDEV_SAMP", "STDDEV"});
    registerMoment<CovarSums>(f, "covarPop", Finalize::Pop, {"COVAR_POP"});
    registerMoment<CovarSums>(f, "covarSamp", Finalize::Samp, {"COVAR_SAMP"});
    registerMoment<CorrSums>(f, "corr", Finalize::Corr);
    registerMoment<VarWelford>(f, "varPopStable", Finalize::Pop);
    registerMoment<VarWelford>(f, "varSampStable", Finalize::Samp);
    registerMoment<VarWelford>(f, "stddevPopStable", Finalize::StddevPop);
    registerMoment<VarWelford>(f, "stddevSampStable", Finalize::StddevSamp);
    registerMoment<CovarWelford>(f, "covarPopStable", Finalize::Pop);
    registerMoment<CovarWelford>(f, "covarSampStable", Finalize::Samp);
    registerMoment<CovarWelford>(f, "corrStable", Finalize::Corr);

    registerUniqAggregateFunctions(f);
    registerQuantileAggregateFunctions(f);
    registerCollectionAggregateFunctions(f);
}

}  // namespace basalt
