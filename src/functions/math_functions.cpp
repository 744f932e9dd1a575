// math_functions.cpp — math functions (to be filled in).
#include "functions/function.h"

namespace basalt {

void registerMathFunctions(FunctionFactory&) {}

}  // namespace basalt
