// array_functions.cpp — array functions (to be filled in).
#include "functions/function.h"

namespace basalt {

void registerArrayFunctions(FunctionFactory&) {}

}  // namespace basalt
