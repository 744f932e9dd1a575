-- Decimal256 (Decimal(39..76, S)): types, parsing and printing, casts, arithmetic (wrapping like ClickHouse), comparisons, aggregates.
SELECT toTypeName(toDecimal256(1, 2)), toTypeName(CAST(1 AS Decimal(50, 5))), toTypeName(CAST(1 AS Decimal(76, 0))), toTypeName(CAST(1 AS Decimal256(10))), toTypeName(CAST(1 AS Decimal(39, 38)));
SELECT toDecimal256('123.456', 3), toDecimal256(-1.5, 1), toDecimal256(1, 70), toDecimal256('-0.000001', 6), toDecimal256('1.999', 2), toDecimal256(0, 10);
SELECT CAST('1.5' AS Decimal(76, 10)), CAST('1e70' AS Decimal(76, 0)), CAST(-1 AS Decimal(40, 30)), CAST('9999999999999999999999999999999999999999999999999999999999999999999999999999' AS Decimal(76, 0));
SELECT CAST('-0.5' AS Decimal(50, 3)), CAST('12345678901234567890123456789.123456789' AS Decimal(50, 9)), toString(toDecimal256(-0.5, 3)), CAST(toDecimal256('1.25', 2) AS String);
SELECT toDecimal256('1e76', 0) /* { serverError 69 } */;
SELECT toDecimal256('abc', 2) /* { serverError 6 } */;
SELECT toDecimal256(1e75, 2) /* { serverError 407 } */;
SELECT toDecimal256OrNull('abc', 2), toDecimal256OrZero('x', 3), toDecimal256OrNull('1.5', 1), toTypeName(toDecimal256OrNull('1', 1));
-- conversions
SELECT toDecimal256(toDecimal128(1.5, 5), 3), toDecimal128(toDecimal256(1.23456, 5), 2), toDecimal32(toDecimal256(-7.5, 1), 3), toDecimal256(toInt256('-57896044618658097711785492504343953926634992332820282019728792003956564819968'), 0);
SELECT toFloat64(toDecimal256('1.5', 10)), toFloat32(toDecimal256(-2.25, 3)), toBool(toDecimal256(0, 2)), toBool(toDecimal256(0.01, 2)), toInt32(toDecimal256(-7.9, 1)), toUInt256(toDecimal256(12.5, 1)), toInt256(toDecimal256('-123456789012345678901234567890.9', 1));
SELECT toUInt64(toDecimal256(-1, 2)) /* { serverError 407 } */;
SELECT toInt8(toDecimal256(300, 0)) /* { serverError 407 } */;
SELECT toUInt256(toDecimal32(-1, 2)) /* { serverError 407 } */;
SELECT toDecimal32(toInt256('100000000000000000000'), 2) /* { serverError 407 } */;
SELECT toDecimal64(toDecimal256('12345678901234567890', 0), 0) /* { serverError 407 } */;
-- arithmetic
SELECT toDecimal256(1, 2) + toDecimal256(1, 3), toTypeName(toDecimal256(1, 2) + toDecimal256(1, 3)), toDecimal256(2, 2) * toDecimal256(3, 3), toTypeName(toDecimal256(2, 2) * toDecimal256(3, 3));
SELECT toDecimal256(10, 2) / toDecimal256(4, 2), toTypeName(toDecimal256(10, 2) / toDecimal256(4, 2)), toTypeName(toDecimal128(1, 2) + toDecimal256(1, 2)), toTypeName(toDecimal64(1, 2) * toDecimal256(1, 2));
SELECT toTypeName(toInt256(1) + toDecimal32(1, 2)), toInt256(1) + toDecimal32(1, 2), toTypeName(toDecimal256(1, 2) + 1), toDecimal256(1.5, 2) * 2, toDecimal256(1.5, 2) + 0.5, toDecimal256(1.5, 2) - toInt256(3);
SELECT toDecimal256('9999999999999999999999999999999999999999999999999999999999999999999999999999', 0) + 1, toDecimal256('9999999999999999999999999999999999999999999999999999999999999999999999999999', 0) * 10;
SELECT -toDecimal256(1.25, 2), abs(toDecimal256(-3.5, 1)), toTypeName(-toDecimal256(1.25, 2)), toDecimal256(7, 3) / 3, toDecimal256(-7, 0) / toDecimal256(2, 0);
SELECT toDecimal256(1, 2) / 0 /* { serverError 153 } */;
-- comparisons
SELECT toDecimal256(1.5, 2) = 1.5, toDecimal256(1.5, 2) > toDecimal32(1.4, 1), toDecimal256(1, 2) = toInt256(1), toDecimal256(-1, 10) < 0, toDecimal256(2, 2) IN (1, 2), toDecimal256(2.5, 2) != toDecimal128(2.5, 5);
SELECT greatest(toDecimal256(1, 2), toDecimal256(3, 2)), least(toDecimal256(1.5, 3), toDecimal256(-3, 3));
-- aggregates, keys, tables
SELECT sum(toDecimal256(number, 3)), toTypeName(sum(toDecimal256(number, 3))), avg(toDecimal256(number, 3)), toTypeName(avg(toDecimal256(number, 3))), min(toDecimal256(number, 3)), max(toDecimal256(number, 3)), any(toDecimal256(number, 3)) FROM numbers(10);
SELECT k, sum(v), count() FROM (SELECT toDecimal256(number % 3, 1) / 2 AS k, toDecimal256(number, 5) AS v FROM numbers(9)) GROUP BY k ORDER BY k;
SELECT x FROM (SELECT toDecimal256(number, 2) - 2.5 AS x FROM numbers(5)) ORDER BY x DESC;
CREATE TABLE d256 (d Decimal(60, 20), n Nullable(Decimal(40, 2))) ENGINE = Memory;
INSERT INTO d256 VALUES (1.5, NULL), ('-12345678901234567890.12345678901234567890', 3.25), (0, -1);
INSERT INTO d256 FORMAT TSV
7.125	\N
;
INSERT INTO d256 FORMAT JSONEachRow {"d": "2.5", "n": 4.5}
;
SELECT * FROM d256 ORDER BY d;
SELECT d, n FROM d256 ORDER BY d FORMAT JSONEachRow;
SELECT d, n FROM d256 ORDER BY d FORMAT CSV;
SELECT sum(d), sum(n), avg(n), max(d), toTypeName(sum(d)) FROM d256;
SELECT d * 2, d + n, toTypeName(d + n), n IS NULL FROM d256 ORDER BY d;
SELECT name, type FROM system.columns WHERE table = 'd256' ORDER BY name;
CREATE TABLE dm (k UInt8, d Decimal(50, 10)) ENGINE = MergeTree ORDER BY (k, d);
INSERT INTO dm SELECT number % 2, toDecimal256(number, 10) / 7 FROM numbers(20);
SELECT k, sum(d), min(d), max(d) FROM dm GROUP BY k ORDER BY k;
