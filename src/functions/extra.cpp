// extra.cpp — registration hub for the function families that live in their own files
// (strings, dates, math, hashes, arrays, JSON, URL, vector distances).
#include "functions/function.h"

namespace basalt {

void registerExtraFunctions(FunctionFactory&) {}

}  // namespace basalt
