SELECT number, if(number = 0, 0, intDiv(10, number)) FROM numbers(4);
SELECT number, number != 0 AND intDiv(10, number) > 3 FROM numbers(4);
SELECT number, number = 0 OR intDiv(10, number) > 3 FROM numbers(4);
SELECT number, multiIf(number = 0, -1, number = 1, 100, intDiv(10, number)) FROM numbers(4);
SELECT count() FROM numbers(100) WHERE number != 0 AND 100 % number = 0;
SELECT if(number = 0, 'zero', toString(intDiv(100, number))) FROM numbers(3);
SELECT number, if(number = 0, 0, intDiv(10, number)) FROM numbers(4) SETTINGS short_circuit_function_evaluation = 'disable' /* { serverError 153 } */;
