-- Reproducers found by fuzzing (tests/fuzz/) and hostile-input sweeps: each once crashed, hung,
-- tripped a sanitizer or returned a wrong result. Results and error codes are ClickHouse's.
-- repeat / space / pad: sizes are capped; a UInt64 count >= 2^63 is huge, not negative.
SELECT repeat('x', 18446744073709551615) /* { serverError 131 } */;
SELECT repeat('x', 9223372036854775808) /* { serverError 131 } */;
SELECT repeat('', 1000000000000) /* { serverError 131 } */;
SELECT repeat('abcd', 4611686018427387904) /* { serverError 131 } */;
SELECT repeat(repeat('x', 100000), 100000) /* { serverError 131 } */;
SELECT space(18446744073709551615) /* { serverError 131 } */;
SELECT space(2000000) /* { serverError 131 } */;
SELECT leftPad('', 1000000000000) /* { serverError 131 } */;
SELECT rightPad('x', 2000000, 'ab') /* { serverError 131 } */;
SELECT length(repeat('ab', 1000000)), length(space(1000000)), length(leftPad('', 1000000)), repeat('x', -1), space(-1), repeat('ab', 3);
-- range: a UInt64 end >= 2^63 must not wrap to an empty array; step = INT64_MIN.
SELECT range(18446744073709551615) /* { serverError 69 } */;
SELECT range(toUInt64(9223372036854775808)) /* { serverError 69 } */;
SELECT range(10, 1, -9223372036854775808), range(1, 10, 9223372036854775807), range(3);
-- arrayResize: absurd sizes (and INT64_MIN, whose negation overflowed).
SELECT arrayResize([1], 1000000000000) /* { serverError 128 } */;
SELECT arrayResize([1], -1000000000000) /* { serverError 128 } */;
SELECT arrayResize([1], -9223372036854775808) /* { serverError 128 } */;
SELECT arrayResize([1, 2, 3], -2), arrayResize([1], 3), arrayResize(['a'], 2, 'b');
-- arraySlice offset + length overflowed Int64; arrayElement with INT64_MIN index.
SELECT arraySlice([1, 2, 3], 9223372036854775807, 9223372036854775807), arraySlice([1, 2, 3], 2, 9223372036854775807);
SELECT arraySlice([1, 2, 3], -9223372036854775808, 9223372036854775807);
SELECT arraySlice([1, 2, 3], -2, -9223372036854775808) /* { serverError 69 } */;
SELECT [1, 2, 3][-9223372036854775808], [1, 2, 3][9223372036854775807], ['a', 'b'][-9223372036854775808];
-- JSON functions on an empty string (simdjson was handed a null pointer).
SELECT JSONLength(''), JSONHas('', 'a'), JSONExtractString('', 'a');
-- Negative LIMIT / OFFSET of INT64_MIN.
SELECT number FROM numbers(10) LIMIT -9223372036854775808;
SELECT number FROM numbers(10) LIMIT -9223372036854775808, -9223372036854775808;
SELECT number FROM numbers(10) ORDER BY number DESC LIMIT -9223372036854775808 OFFSET 8;
-- numbers()/zeros() with counts near 2^64: splitting into streams looped forever; values wrap.
SELECT * FROM numbers(0, 18446744073709551615) LIMIT 3;
SELECT * FROM numbers(18446744073709551610, 10);
SELECT count() FROM numbers(18446744073709551615, 3);
SELECT * FROM zeros(18446744073709551615) LIMIT 2;
SELECT number FROM numbers(18446744073709551614, 18446744073709551615) LIMIT 3;
