// json_url_functions.cpp — json_url functions (to be filled in).
#include "functions/function.h"

namespace basalt {

void registerJSONAndURLFunctions(FunctionFactory&) {}

}  // namespace basalt
