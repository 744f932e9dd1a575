// extra.cpp — registration hub for the function families that live in their own files.
#include "functions/function.h"

namespace basalt {

void registerStringFunctions(FunctionFactory& f);
void registerDateFunctions(FunctionFactory& f);
void registerMathFunctions(FunctionFactory& f);
void registerArrayFunctions(FunctionFactory& f);
void registerHashFunctions(FunctionFactory& f);
void registerJSONAndURLFunctions(FunctionFactory& f);
void registerVectorFunctions(FunctionFactory& f);

void registerExtraFunctions(FunctionFactory& f) {
    registerStringFunctions(f);
    registerDateFunctions(f);
    registerMathFunctions(f);
    registerArrayFunctions(f);
    registerHashFunctions(f);
    registerJSONAndURLFunctions(f);
    registerVectorFunctions(f);
}

}  // namespace basalt
