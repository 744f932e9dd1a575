// statistical.cpp — approximate and statistical aggregates: uniq, uniqCombined, quantile(s),
// quantileExact, median, stddev/var, topK, groupUniqArray, sumMap.
#include "aggregates/aggregate_function.h"

namespace basalt {

void registerStatisticalAggregateFunctions(AggregateFunctionFactory&) {}

}  // namespace basalt
