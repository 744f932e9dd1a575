-- ALL joins index the smaller side: when the right table is much larger than the left
-- (query_plan_join_swap_table = 'auto': estimated 4x and 64k rows or more; 1: always), the left
-- side is indexed and the right one streamed. Columns, names, types and rows must be exactly those
-- of the unswapped join. Large build sides (>= 512k rows) are indexed by several threads in
-- partitioned hash tables.
SYSTEM STOP MERGES;
CREATE TABLE dim (id UInt32, name String, grp LowCardinality(String), n Nullable(UInt32)) ENGINE = MergeTree ORDER BY id;
INSERT INTO dim SELECT number, concat('d', toString(number)), toString(number % 3), if(number % 5 = 0, NULL, number) FROM numbers(100);
CREATE TABLE fact (k UInt64, id UInt16, v Float64, s String, d Date) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k;
INSERT INTO fact SELECT number, number % 150, number / 4, toString(number % 7), toDate('2024-01-01') + number % 90 FROM numbers(200000);

SELECT dim.grp, count(), sum(fact.v), min(fact.k), max(dim.name) FROM dim INNER JOIN fact ON dim.id = fact.id GROUP BY dim.grp ORDER BY dim.grp;
SELECT dim.grp, count(), sum(fact.v), min(fact.k), max(dim.name) FROM dim INNER JOIN fact ON dim.id = fact.id GROUP BY dim.grp ORDER BY dim.grp SETTINGS query_plan_join_swap_table = 0;
SELECT * FROM dim INNER JOIN fact ON dim.id = fact.id WHERE fact.k < 400 ORDER BY fact.k LIMIT 5;
SELECT * FROM dim AS a INNER JOIN fact AS b ON a.id = b.id WHERE b.k % 1000 = 7 ORDER BY b.k LIMIT 3 SETTINGS query_plan_join_swap_table = 1;
SELECT toTypeName(id), toTypeName(n), count() FROM dim INNER JOIN fact USING (id) GROUP BY ALL;
SELECT id, count(), sum(v) FROM dim INNER JOIN fact USING (id) WHERE id > 95 GROUP BY id ORDER BY id;
-- Residual ON conditions, one-side WHERE conjuncts on both tables, expressions as keys.
SELECT count(), sum(b.v) FROM dim AS a INNER JOIN fact AS b ON a.id = b.id AND b.k % 3 = 0 AND a.name != 'd7';
SELECT count(), sum(b.v) FROM dim AS a INNER JOIN fact AS b ON a.id = b.id AND b.v > a.id;
SELECT count(), sum(b.v) FROM dim AS a INNER JOIN fact AS b ON a.id = b.id WHERE a.grp = '1' AND b.s = '3' AND b.d >= '2024-03-01';
SELECT count() FROM dim AS a INNER JOIN fact AS b ON a.id + 1 = b.id + 1 AND toString(a.id) = toString(b.id);
-- NULL keys never match; <=> matches NULL with NULL.
SELECT count(), sum(b.k) FROM dim AS a INNER JOIN fact AS b ON a.n = b.id;
SELECT count() FROM (SELECT n FROM dim) AS a INNER JOIN (SELECT if(number % 7 = 0, NULL, number % 120) AS n FROM numbers(100000)) AS b ON a.n <=> b.n;
-- Subqueries on either side, chains with later joins (INNER filters the indexed side first, LEFT / RIGHT / FULL after).
SELECT count(), sum(b.v) FROM (SELECT * FROM dim WHERE id < 50) AS a INNER JOIN (SELECT * FROM fact WHERE k < 150000) AS b ON a.id = b.id;
SELECT a.grp, count(), sum(c.id) FROM dim AS a INNER JOIN fact AS b ON a.id = b.id INNER JOIN (SELECT id FROM dim WHERE id % 2 = 0) AS c ON a.id = c.id GROUP BY a.grp ORDER BY a.grp;
SELECT count(), countIf(c.id = 0) FROM dim AS a INNER JOIN fact AS b ON a.id = b.id LEFT JOIN (SELECT id FROM dim WHERE id < 10) AS c ON b.id = c.id;
SELECT count(), countIf(a.id = 0) FROM dim AS a INNER JOIN fact AS b ON a.id = b.id RIGHT JOIN (SELECT number AS id FROM numbers(200)) AS c ON b.id = c.id;
SELECT count(), countIf(b.id IS NULL) FROM dim AS a INNER JOIN fact AS b ON a.id = b.id FULL JOIN (SELECT number AS id FROM numbers(200)) AS c ON b.id = c.id SETTINGS join_use_nulls = 1;
SELECT count() FROM dim AS a INNER JOIN fact AS b ON a.id = b.id INNER JOIN dim AS c ON b.id = c.id AND a.grp = c.grp;
-- LEFT and RIGHT ALL swap too (unmatched left rows after the streams / unmatched right rows inline).
SELECT count(), countIf(b.k = 0), sum(a.id) FROM (SELECT number AS id FROM numbers(300)) AS a LEFT JOIN fact AS b ON a.id = b.id;
SELECT count(), countIf(b.k IS NULL), sum(a.id), toTypeName(any(b.v)) FROM (SELECT number AS id FROM numbers(300)) AS a LEFT JOIN fact AS b ON a.id = b.id SETTINGS join_use_nulls = 1;
SELECT a.id, count(), sum(b.v) FROM (SELECT number AS id FROM numbers(300)) AS a LEFT JOIN fact AS b USING (id) WHERE a.id % 50 = 0 GROUP BY a.id ORDER BY a.id;
SELECT * FROM dim AS a LEFT JOIN fact AS b ON a.id = b.id WHERE a.id >= 97 AND (b.k < 400 OR b.k = 0) ORDER BY a.id, b.k;
SELECT count(), countIf(a.id = 0), sum(b.v), sum(a.id) FROM dim AS a RIGHT JOIN fact AS b ON a.id = b.id;
SELECT count(), countIf(a.name IS NULL), toTypeName(any(a.name)) FROM dim AS a RIGHT JOIN fact AS b ON a.id = b.id SETTINGS join_use_nulls = 1;
SELECT a.id, a.name, b.k FROM dim AS a RIGHT JOIN fact AS b ON a.id = b.id WHERE b.k % 25000 = 149 ORDER BY b.k;
-- Not swapped (semantics differ): LEFT with other ON conditions, FULL, ANY, SEMI, ASOF, PASTE.
SELECT count(), countIf(b.k = 0) FROM (SELECT number AS id FROM numbers(300)) AS a LEFT JOIN fact AS b ON a.id = b.id AND b.k % 2 = 0;
SELECT count(), countIf(b.k = 0), countIf(a.id = 0) FROM (SELECT number + 1 AS id FROM numbers(300)) AS a FULL JOIN fact AS b ON a.id = b.id;
SELECT count() FROM dim AS a LEFT SEMI JOIN fact AS b ON a.id = b.id;
SELECT count() FROM dim AS a LEFT ANTI JOIN fact AS b ON a.id = b.id;
SELECT a.id, b.k FROM (SELECT number AS id, number * 1000 AS t FROM numbers(3)) AS a ASOF INNER JOIN (SELECT number % 3 AS id, number AS k FROM numbers(100000)) AS b ON a.id = b.id AND a.t >= b.k ORDER BY a.id;
SELECT count(), sum(b.x) FROM (SELECT number AS x FROM numbers(5)) AS a PASTE JOIN (SELECT number * 2 AS x FROM numbers(100000)) AS b;
-- String, multi-column and 128-bit keys.
SELECT count(), sum(b.k) FROM dim AS a INNER JOIN fact AS b ON a.name = concat('d', b.s);
SELECT count(), sum(b.k) FROM dim AS a INNER JOIN fact AS b ON a.id = b.id AND toUInt64(a.id % 7) = toUInt64OrZero(b.s);
SELECT count(), sum(b.k) FROM dim AS a INNER JOIN fact AS b ON toUInt64(a.id) = b.k AND a.name = concat('d', toString(b.k));
-- Large build sides: partitioned parallel index (hash-spread keys, duplicates, NULLs, strings, two keys).
SELECT count(), sum(a.x), sum(b.y) FROM (SELECT number AS x, intHash64(number) % 400000 AS key FROM numbers(1000)) AS a INNER JOIN (SELECT number AS y, intHash64(number) % 400000 AS key FROM numbers(700000)) AS b ON a.key = b.key SETTINGS query_plan_join_swap_table = 0;
SELECT count(), sum(a.x), sum(b.y) FROM (SELECT number AS y, intHash64(number) % 400000 AS key FROM numbers(700000)) AS b INNER JOIN (SELECT number AS x, intHash64(number) % 400000 AS key FROM numbers(1000)) AS a ON a.key = b.key;
SELECT count(), sum(a.x), sum(b.y) FROM (SELECT number AS x, toString(intHash64(number) % 50000) AS key FROM numbers(2000)) AS a INNER JOIN (SELECT number AS y, toString(intHash64(number) % 50000) AS key FROM numbers(600000)) AS b ON a.key = b.key SETTINGS query_plan_join_swap_table = 0;
SELECT count(), sum(a.x), sum(b.y) FROM (SELECT number AS x, if(number % 3 = 0, NULL, intHash64(number) % 300000) AS key, number % 4 AS k2 FROM numbers(3000)) AS a INNER JOIN (SELECT number AS y, if(number % 5 = 0, NULL, intHash64(number) % 300000) AS key, number % 4 AS k2 FROM numbers(600000)) AS b ON a.key = b.key AND a.k2 = b.k2 SETTINGS query_plan_join_swap_table = 0;
SELECT count(), sum(a.x), sum(b.y) FROM (SELECT number AS x, toUInt128(intHash64(number) % 300000) AS key FROM numbers(3000)) AS a INNER JOIN (SELECT number AS y, toUInt128(intHash64(number) % 300000) AS key FROM numbers(600000)) AS b ON a.key = b.key SETTINGS query_plan_join_swap_table = 0;
SELECT count(), sum(a.x), sum(b.y), countIf(b.y IS NULL) FROM (SELECT number AS x, intHash64(number) % 300000 AS key FROM numbers(2000)) AS a LEFT JOIN (SELECT number AS y, intHash64(number) % 300000 AS key FROM numbers(600000)) AS b ON a.key = b.key SETTINGS join_use_nulls = 1;
SELECT count(), sum(a.x) FROM (SELECT number AS x, intHash64(number) % 300000 AS key FROM numbers(2000)) AS a RIGHT JOIN (SELECT number AS y, intHash64(number) % 300000 AS key FROM numbers(600000)) AS b ON a.key = b.key;
SELECT value FROM system.settings WHERE name = 'query_plan_join_swap_table';
SELECT value FROM system.settings WHERE name = 'query_plan_join_swap_table' SETTINGS query_plan_join_swap_table = 'false';
SET query_plan_join_swap_table = 'bogus' /* { serverError 467 } */;
DROP TABLE dim;
DROP TABLE fact;
