// date_functions.cpp — date functions (to be filled in).
#include "functions/function.h"

namespace basalt {

void registerDateFunctions(FunctionFactory&) {}

}  // namespace basalt
