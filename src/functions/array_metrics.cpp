// array_metrics.cpp — owns the array functions that compute a statistic or a distance from whole
// arrays: arrayROCAUC (arrayAUC), arrayAUCPR (arrayPRAUC), arrayNormalizedGini,
// arrayAutocorrelation, arrayLevenshteinDistance, arrayLevenshteinDistanceWeighted,
// arraySimilarity. Floating-point results follow ClickHouse's order of operations, so they agree
// to the last bit.
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "common/exception.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

const ColumnArray& arrayOf(const ColumnPtr& c) { return static_cast<const ColumnArray&>(*c); }

bool isNativeNumber(const DataType& t) { return (t.isNumber() && t.valueSize() <= 8) || t.id == TypeId::Bool; }

// The elements of a numeric (or Enum) array column as Float64, flat.
std::vector<double> toDoubles(const IColumn& data, const DataType& type) {
    std::vector<double> out(data.size());
    bool ok = dispatchFixed(type.id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        auto& v = static_cast<const ColumnVector<T>&>(data).getData();
        for (size_t i = 0; i < out.size(); ++i) {
            if constexpr (std::is_same_v<T, Int128> || std::is_same_v<T, UInt128>) out[i] = double(v[i]);
            else out[i] = double(v[i]);
        }
    });
    if (!ok) throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Unexpected column of type " + type.name());
    return out;
}

// ---- ROC AUC / PR AUC ----

struct ScoreLabel {
    double score;
    bool label;
};

// Area under the ROC curve: scores sorted descending, one trapezoid per distinct score; with
// partial offsets [tp, fp, total positives, total negatives] the curve starts at (fp, tp) and is
// scaled by the totals.
double rocAuc(std::vector<ScoreLabel>& v, bool scale, const uint64_t* partial) {
    std::sort(v.begin(), v.end(), [](const ScoreLabel& a, const ScoreLabel& b) { return a.score > b.score; });
    double area = 0;
    size_t prev_fp = partial ? partial[1] : 0, prev_tp = partial ? partial[0] : 0;
    size_t fp = prev_fp, tp = prev_tp;
    double prev_score = v.empty() ? 0 : v[0].score;
    for (auto& x : v) {
        if (x.score != prev_score) {
            area += double(fp - prev_fp) * double(tp + prev_tp) / 2.0;
            prev_fp = fp;
            prev_tp = tp;
            prev_score = x.score;
        }
        if (x.label) ++tp;
        else ++fp;
    }
    area += double(fp - prev_fp) * double(tp + prev_tp) / 2.0;
    if (!scale) return area;
    if (partial) {
        if (partial[2] == 0 || partial[3] == 0) return std::numeric_limits<double>::quiet_NaN();
        return area / double(partial[2]) / double(partial[3]);
    }
    if (tp == 0 || tp == v.size()) return std::numeric_limits<double>::quiet_NaN();
    return area / double(tp) / double(v.size() - tp);
}

// Area under the precision-recall curve: precision times the recall step at each distinct score;
// partial offsets [tp, fp, total positives] continue a curve started by higher-scored partitions.
double prAuc(std::vector<ScoreLabel>& v, const uint64_t* partial) {
    std::sort(v.begin(), v.end(), [](const ScoreLabel& a, const ScoreLabel& b) { return a.score > b.score; });
    double area = 0;
    size_t tp = partial ? partial[0] : 0, fp = partial ? partial[1] : 0, prev_tp = tp;
    double prev_score = v.empty() ? 0 : v[0].score;
    for (auto& x : v) {
        if (x.score != prev_score) {
            double precision = tp + fp > 0 ? double(tp) / double(tp + fp) : 1.0;
            area += precision * double(tp - prev_tp);
            prev_tp = tp;
            prev_score = x.score;
        }
        if (x.label) ++tp;
        else ++fp;
    }
    double precision = tp + fp > 0 ? double(tp) / double(tp + fp) : 1.0;
    area += precision * double(tp - prev_tp);
    size_t total = partial ? partial[2] : tp;
    if (total == 0) return 0;
    return area / double(total);
}

FunctionPtr buildAuc(bool roc, const std::string& fn, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    size_t max_args = roc ? 4 : 3;
    if (args.size() < 2 || args.size() > max_args)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Number of arguments for function " + fn + " doesn't match: passed " +
                                                                          std::to_string(args.size()) + (roc ? ", should be 2, 3 or 4" : ", should be 2 or 3"));
    static const char* which[] = {"First argument (arr_scores)", "Second argument (arr_labels)"};
    for (size_t i = 0; i < 2; ++i) {
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string(which[i]) + " for function " + fn + " must be of type Array");
        const DataType& et = *args[i].type->nested[0];
        if (!isNativeNumber(et) && !(i == 1 && et.isEnum()))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string(which[i]) + " for function " + fn + " is of type " + et.name() +
                                                                      (i ? ", should be a number or Enum" : ", should be a number"));
    }
    bool scale = true;
    size_t offsets_arg = roc ? 3 : 2;
    if (roc && args.size() >= 3) {
        if (args[2].type->id != TypeId::Bool || !args[2].column || !args[2].column->isConst())
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Third argument (scale) for function " + fn + " must be of type const Bool");
        Field f = args[2].column->get(0);
        scale = f.is<bool>() ? f.get<bool>() : f.is<uint64_t>() ? f.get<uint64_t>() != 0 : true;
    }
    size_t parts = roc ? 4 : 3;
    if (args.size() > offsets_arg) {
        const char* pos = roc ? "Fourth" : "Third";
        if (args[offsets_arg].type->id != TypeId::Array || !args[offsets_arg].type->nested[0]->isInteger())
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string(pos) + " argument (arr_partial_offsets) for function " + fn + " must be of type Array");
    }
    return makeFunction(fn, makeType(TypeId::Float64), [roc, fn, scale, offsets_arg, parts, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr sc = materialize(a[0].column), lc = materialize(a[1].column);
        auto& sa = arrayOf(sc);
        auto& la = arrayOf(lc);
        if (sa.getOffsets().size() != la.getOffsets().size() ||
            !std::equal(sa.getOffsets().begin(), sa.getOffsets().end(), la.getOffsets().begin()))
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "First two arguments for function " + fn + " must be Arrays of equal sizes");
        std::vector<double> scores = toDoubles(sa.getData(), *a[0].type->nested[0]);
        std::vector<double> labels = toDoubles(la.getData(), *a[1].type->nested[0]);
        ColumnPtr oc;
        if (a.size() > offsets_arg)
            oc = materialize(castColumn(materialize(a[offsets_arg].column), a[offsets_arg].type, makeArray(makeType(TypeId::UInt64)), ctx));
        auto res = ColumnFloat64::create(rows);
        std::vector<ScoreLabel> v;
        for (size_t i = 0; i < rows; ++i) {
            const uint64_t* partial = nullptr;
            if (oc) {
                auto& oa = arrayOf(oc);
                if (oa.sizeAt(i) != parts)
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string(roc ? "Fourth" : "Third") + " argument (arr_partial_offsets) for function " + fn +
                                                                   " must contain Arrays of size " + std::to_string(parts));
                partial = static_cast<const ColumnUInt64&>(oa.getData()).getData().data() + oa.offsetAt(i);
            }
            v.clear();
            for (size_t k = sa.offsetAt(i); k < sa.getOffsets()[i]; ++k) v.push_back({scores[k], labels[k] > 0});
            res->getData()[i] = roc ? rocAuc(v, scale, partial) : prAuc(v, partial);
        }
        return res;
    });
}

// ---- normalized Gini ----

// ClickHouse's normalized Gini: labels ordered by ascending prediction (ties in array order) and
// labels sorted ascending, each turned into cumulative shares of the total; a Gini is
// ((n + 1) / 2 - sum of the shares) / n. Returns (prediction Gini, label Gini, their ratio).
std::tuple<double, double, double> normalizedGini(const double* pred, const double* label, size_t n, std::vector<size_t>& order, std::vector<double>& sorted) {
    order.resize(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return pred[x] < pred[y]; });
    double total = 0;
    for (size_t i = 0; i < n; ++i) total += label[i];
    double cum = 0, pred_sum = 0;
    for (size_t i = 0; i < n; ++i) {
        cum += label[order[i]] / total;
        pred_sum += cum;
    }
    sorted.assign(label, label + n);
    std::sort(sorted.begin(), sorted.end());
    double ltv = 0, ltv_sum = 0;
    for (size_t i = 0; i < n; ++i) {
        ltv += sorted[i] / total;
        ltv_sum += ltv;
    }
    double random_gain = 0.5 * double(n + 1);
    double pred_gini = (random_gain - pred_sum) / double(n);
    double label_gini = (random_gain - ltv_sum) / double(n);
    return {pred_gini, label_gini, pred_gini / label_gini};
}

FunctionPtr buildGini(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayNormalizedGini", args, 2, 2);
    static const char* which[] = {"First", "Second"};
    for (size_t i = 0; i < 2; ++i) {
        if (args[i].type->id != TypeId::Array || !(isNativeNumber(*args[i].type->nested[0]) || args[i].type->nested[0]->isDecimal()))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string(which[i]) + " argument for function arrayNormalizedGini must be an Array of numeric type, got " +
                                                                      args[i].type->name());
        if (args[i].type->nested[0]->isDecimal())
            throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Illegal column of argument of function arrayNormalizedGini");
    }
    DataTypePtr f64 = makeType(TypeId::Float64);
    return makeFunction("arrayNormalizedGini", makeTuple({f64, f64, f64}), [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr pc = materialize(a[0].column), lc = materialize(a[1].column);
        auto& pa = arrayOf(pc);
        auto& la = arrayOf(lc);
        std::vector<double> pred = toDoubles(pa.getData(), *a[0].type->nested[0]);
        std::vector<double> label = toDoubles(la.getData(), *a[1].type->nested[0]);
        auto g1 = ColumnFloat64::create(rows), g2 = ColumnFloat64::create(rows), g3 = ColumnFloat64::create(rows);
        std::vector<size_t> order;
        std::vector<double> sorted;
        for (size_t i = 0; i < rows; ++i) {
            size_t n = pa.sizeAt(i);
            if (la.sizeAt(i) != n) throw Exception(ErrorCodes::ILLEGAL_COLUMN, "All arrays in function arrayNormalizedGini should have same size");
            auto [p, l, r] = normalizedGini(pred.data() + pa.offsetAt(i), label.data() + la.offsetAt(i), n, order, sorted);
            g1->getData()[i] = p;
            g2->getData()[i] = l;
            g3->getData()[i] = r;
        }
        std::vector<MutableColumnPtr> cols{g1, g2, g3};
        return std::make_shared<ColumnTuple>(std::move(cols));
    });
}

// ---- autocorrelation ----

FunctionPtr buildAutocorrelation(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    if (args.empty() || args.size() > 2)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function arrayAutocorrelation requires 1 or 2 arguments.");
    if (args[0].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument of function arrayAutocorrelation must be an array.");
    const DataType& et = *args[0].type->nested[0];
    if (!et.isNumber() && !et.isDecimal() && et.id != TypeId::Nothing)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Function arrayAutocorrelation only accepts arrays of integers, floating-point numbers, or decimals.");
    if (args.size() == 2 && !(args[1].type->isInteger() && args[1].type->valueSize() <= 8))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Second argument (max_lag) of function arrayAutocorrelation must be an integer (up to 64-bit), got " +
                                                                  args[1].type->name() + ".");
    return makeFunction("arrayAutocorrelation", makeArray(makeType(TypeId::Float64)), [ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        const DataTypePtr& et = a[0].type->nested[0];
        std::vector<double> x;
        if (et->id != TypeId::Nothing) {
            ColumnPtr d = et->isDecimal() ? materialize(castColumn(arr.getDataPtr(), et, makeType(TypeId::Float64), ctx)) : arr.getDataPtr();
            x = toDoubles(*d, et->isDecimal() ? *makeType(TypeId::Float64) : *et);
        }
        std::vector<int64_t> lags;
        if (a.size() == 2) {
            ColumnPtr l = materialize(castColumn(a[1].column, a[1].type, makeType(TypeId::Int64), ctx));
            auto& lv = static_cast<const ColumnInt64&>(*l).getData();
            for (size_t i = 0; i < lv.size(); ++i) lags.push_back(lv[i]);
            if (a[1].type->isSignedInteger())
                for (int64_t v : lags)
                    if (v < 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "arrayAutocorrelation: max_lag must be non-negative");
        }
        auto data = ColumnFloat64::create();
        Offsets off;
        off.reserve(rows);
        for (size_t i = 0; i < rows; ++i) {
            size_t b = arr.offsetAt(i), n = arr.sizeAt(i);
            size_t max_lag = lags.empty() ? n : size_t(uint64_t(lags[i]));
            size_t limit = std::min(n, max_lag);
            const double* s = x.data() + b;
            if (n && limit) {
                bool all_equal = true;
                for (size_t k = 1; k < n && all_equal; ++k) all_equal = s[k] == s[0];
                double sum = 0;
                for (size_t k = 0; k < n; ++k) sum += s[k];
                double mean = sum / double(n), denom = 0;
                for (size_t k = 0; k < n; ++k) { double d = s[k] - mean; denom += d * d; }
                if (all_equal || denom == 0.0) {
                    for (size_t k = 0; k < limit; ++k) data->insertValue(std::numeric_limits<double>::quiet_NaN());
                } else {
                    if (n > 100000000 / limit)
                        throw Exception(ErrorCodes::BAD_ARGUMENTS, "arrayAutocorrelation: estimated computation (" + std::to_string(n) + " * " + std::to_string(limit) +
                                                                       ") exceeds the safety limit of 100000000. Use the max_lag argument to reduce the number of lags.");
                    for (size_t lag = 0; lag < limit; ++lag) {
                        double num = 0;
                        for (size_t t = 0; t + lag < n; ++t) num += (s[t] - mean) * (s[t + lag] - mean);
                        data->insertValue(num / denom);
                    }
                }
            }
            off.push_back(data->size());
        }
        return std::make_shared<ColumnArray>(data, std::move(off));
    });
}

// ---- Levenshtein ----

// An element's identity for the distance functions: raw bytes (so 1 and 1.0 differ, 'a' and
// FixedString 'a' do not), NULL a value of its own.
void elementKey(const IColumn& c, size_t k, std::string& out) {
    out.clear();
    const IColumn* col = &c;
    if (col->isNullable()) {
        auto& nc = static_cast<const ColumnNullable&>(*col);
        if (nc.isNullAt(k)) { out = std::string(1, '\1'); return; }
        out += '\0';
        col = &nc.getNested();
    }
    if (auto* s = dynamic_cast<const ColumnString*>(col)) { out.append(s->getView(k)); return; }
    if (auto* f = dynamic_cast<const ColumnFixedString*>(col)) { out.append(f->getView(k)); return; }
    col->serializeValue(k, out);
}

void rowKeys(const ColumnArray& arr, size_t i, std::vector<std::string>& keys) {
    keys.resize(arr.sizeAt(i));
    for (size_t k = 0; k < keys.size(); ++k) elementKey(arr.getData(), arr.offsetAt(i) + k, keys[k]);
}

void requireArrayArg(const std::string& fn, const ColumnsWithTypeAndName& args, size_t i, const char* name) {
    static const char* ord[] = {"1st", "2nd", "3rd", "4th"};
    if (args[i].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("A value of illegal type was provided as ") + ord[i] + " argument '" + name +
                                                                  "' to function '" + fn + "'. Expected: Array, got: " + args[i].type->name());
}

FunctionPtr buildLevenshtein(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayLevenshteinDistance", args, 2, 2);
    requireArrayArg("arrayLevenshteinDistance", args, 0, "from");
    requireArrayArg("arrayLevenshteinDistance", args, 1, "to");
    return makeFunction("arrayLevenshteinDistance", makeType(TypeId::UInt32), [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr xc = materialize(a[0].column), yc = materialize(a[1].column);
        auto& xa = arrayOf(xc);
        auto& ya = arrayOf(yc);
        auto res = ColumnUInt32::create(rows);
        std::vector<std::string> kx, ky;
        std::vector<uint32_t> prev, cur;
        for (size_t i = 0; i < rows; ++i) {
            rowKeys(xa, i, kx);
            rowKeys(ya, i, ky);
            prev.resize(ky.size() + 1);
            cur.resize(ky.size() + 1);
            for (size_t j = 0; j <= ky.size(); ++j) prev[j] = uint32_t(j);
            for (size_t p = 1; p <= kx.size(); ++p) {
                cur[0] = uint32_t(p);
                for (size_t j = 1; j <= ky.size(); ++j)
                    cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (kx[p - 1] == ky[j - 1] ? 0u : 1u)});
                std::swap(prev, cur);
            }
            res->getData()[i] = prev[ky.size()];
        }
        return res;
    });
}

// Weighted Levenshtein distance: deleting from[i] costs from_weights[i], inserting to[j] costs
// to_weights[j], substituting costs both; arraySimilarity = 1 - distance / (sum of all weights).
FunctionPtr buildWeighted(bool similarity, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = similarity ? "arraySimilarity" : "arrayLevenshteinDistanceWeighted";
    checkArgumentCount(fn, args, 4, 4);
    for (size_t i = 0; i < 4; ++i)
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i + 1) + " of function " + fn + " must be array. Found " + args[i].type->name() + " instead");
    for (size_t i = 2; i < 4; ++i)
        if (!isNativeNumber(*args[i].type->nested[0]))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i + 1) + " of function " + fn + " must be a numeric array. Found " +
                                                                      args[i].type->nested[0]->name() + " instead");
    if (!args[2].type->nested[0]->equals(*args[3].type->nested[0]))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Arguments 3 and 4 of function " + fn + " must be arrays of the same types. Found " +
                                                                  args[2].type->nested[0]->name() + " and " + args[3].type->nested[0]->name() + " instead");
    return makeFunction(fn, makeType(TypeId::Float64), [fn, similarity, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        std::vector<ColumnPtr> cols;
        for (auto& x : a) cols.push_back(materialize(x.column));
        auto& xa = arrayOf(cols[0]);
        auto& ya = arrayOf(cols[1]);
        auto& wxa = arrayOf(cols[2]);
        auto& wya = arrayOf(cols[3]);
        std::vector<double> wx = toDoubles(wxa.getData(), *a[2].type->nested[0]);
        std::vector<double> wy = toDoubles(wya.getData(), *a[3].type->nested[0]);
        auto res = ColumnFloat64::create(rows);
        std::vector<std::string> kx, ky;
        std::vector<double> prev, cur;
        for (size_t i = 0; i < rows; ++i) {
            for (auto [arr, w, an, wn] : {std::tuple{&xa, &wxa, 1, 3}, std::tuple{&ya, &wya, 2, 4}})
                if (arr->sizeAt(i) != w->sizeAt(i))
                    throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Arguments " + std::to_string(an) + " (" + a[an - 1].type->name() + ", size " +
                                                                                std::to_string(arr->sizeAt(i)) + ") and " + std::to_string(wn) + " (" +
                                                                                a[wn - 1].type->name() + ", size " + std::to_string(w->sizeAt(i)) + ") of function " + fn +
                                                                                " must be arrays of the same size");
            rowKeys(xa, i, kx);
            rowKeys(ya, i, ky);
            const double* fw = wx.data() + wxa.offsetAt(i);
            const double* tw = wy.data() + wya.offsetAt(i);
            prev.assign(ky.size() + 1, 0);
            cur.assign(ky.size() + 1, 0);
            for (size_t j = 1; j <= ky.size(); ++j) prev[j] = prev[j - 1] + tw[j - 1];
            for (size_t p = 1; p <= kx.size(); ++p) {
                cur[0] = prev[0] + fw[p - 1];
                for (size_t j = 1; j <= ky.size(); ++j) {
                    double sub = kx[p - 1] == ky[j - 1] ? prev[j - 1] : prev[j - 1] + fw[p - 1] + tw[j - 1];
                    cur[j] = std::min({prev[j] + fw[p - 1], cur[j - 1] + tw[j - 1], sub});
                }
                std::swap(prev, cur);
            }
            double dist = prev[ky.size()];
            if (!similarity) {
                res->getData()[i] = dist;
                continue;
            }
            double total = 0;
            for (size_t p = 0; p < kx.size(); ++p) total += fw[p];
            for (size_t j = 0; j < ky.size(); ++j) total += tw[j];
            res->getData()[i] = total == 0 ? 1.0 : 1.0 - dist / total;
        }
        return res;
    });
}

}  // namespace

void registerArrayMetricFunctions(FunctionFactory& f) {
    f.registerFunction("arrayROCAUC", [](auto& a, auto& c) { return buildAuc(true, "arrayROCAUC", a, c); });
    f.registerFunction("arrayAUC", [](auto& a, auto& c) { return buildAuc(true, "arrayAUC", a, c); });
    f.registerFunction("arrayAUCPR", [](auto& a, auto& c) { return buildAuc(false, "arrayAUCPR", a, c); });
    f.registerFunction("arrayPRAUC", [](auto& a, auto& c) { return buildAuc(false, "arrayPRAUC", a, c); });
    f.registerFunction("arrayNormalizedGini", buildGini);
    f.registerFunction("arrayAutocorrelation", buildAutocorrelation);
    f.registerFunction("arrayLevenshteinDistance", buildLevenshtein);
    f.registerFunction("arrayLevenshteinDistanceWeighted", [](auto& a, auto& c) { return buildWeighted(false, a, c); });
    f.registerFunction("arraySimilarity", [](auto& a, auto& c) { return buildWeighted(true, a, c); });
}

}  // namespace basalt
