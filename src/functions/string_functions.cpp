// string_functions.cpp — string functions (to be filled in).
#include "functions/function.h"

namespace basalt {

void registerStringFunctions(FunctionFactory&) {}

}  // namespace basalt
