// vector_functions.cpp — vector functions (to be filled in).
#include "functions/function.h"

namespace basalt {

void registerVectorFunctions(FunctionFactory&) {}

}  // namespace basalt
