// hash_functions.cpp — hash functions (to be filled in).
#include "functions/function.h"

namespace basalt {

void registerHashFunctions(FunctionFactory&) {}

}  // namespace basalt
