-- Several ARRAY JOIN clauses: each multiplies the rows of the ones before; one clause's items stay zipped.
SELECT x, y FROM (SELECT [1, 2] AS a, ['a', 'b', 'c'] AS b) ARRAY JOIN a AS x ARRAY JOIN b AS y ORDER BY x, y;
SELECT x, y, z FROM (SELECT [1, 2] AS a, [10, 20] AS c, ['p', 'q', 'r'] AS b) ARRAY JOIN a AS x, c AS z ARRAY JOIN b AS y ORDER BY x, y;
SELECT a, b FROM (SELECT [1, 2] AS a, [3, 4, 5] AS b) ARRAY JOIN a ARRAY JOIN b ORDER BY a, b;
SELECT count() FROM numbers(3) ARRAY JOIN [1, 2] AS a ARRAY JOIN [1, 2, 3] AS b;
SELECT number, a, b FROM numbers(3) ARRAY JOIN range(number) AS a ARRAY JOIN range(a + 1) AS b ORDER BY number, a, b;
-- a later clause sees the elements of an earlier one
SELECT x, y FROM (SELECT [[1, 2], [3]] AS a) ARRAY JOIN a AS x ARRAY JOIN x AS y ORDER BY y;
SELECT a, arrayJoin(b) AS w FROM (SELECT [1, 2] AS a, [[3], [4, 5]] AS b) ARRAY JOIN a, b ORDER BY a, w;
-- LEFT per clause
SELECT x, y FROM (SELECT [1, 2] AS a, [] :: Array(String) AS b) LEFT ARRAY JOIN b AS y ARRAY JOIN a AS x ORDER BY x, y;
SELECT x, y FROM (SELECT [1, 2] AS a, [] :: Array(String) AS b) ARRAY JOIN a AS x LEFT ARRAY JOIN b AS y ORDER BY x, y;
SELECT x, y FROM (SELECT [1, 2] AS a, [] :: Array(String) AS b) ARRAY JOIN a AS x ARRAY JOIN b AS y ORDER BY x, y;
SELECT number, x, y FROM numbers(3) LEFT ARRAY JOIN range(number) AS x LEFT ARRAY JOIN range(x) AS y ORDER BY number, x, y;
SELECT x, y FROM system.one ARRAY JOIN [1, 2] AS x LEFT ARRAY JOIN [] :: Array(UInt8) AS y ARRAY JOIN [7] AS z;
SELECT x, y FROM (SELECT [1, 2] AS a, ['u', 'v'] AS b) ARRAY JOIN a AS x ARRAY JOIN b AS y WHERE x = 2 ORDER BY y;
SELECT y, count() FROM (SELECT [1, 2, 3] AS a) ARRAY JOIN a AS x ARRAY JOIN range(x) AS y GROUP BY y ORDER BY y;
EXPLAIN SYNTAX SELECT x FROM system.one ARRAY JOIN [1] AS x LEFT ARRAY JOIN [2, 3] AS y, [4, 5] AS z;
EXPLAIN AST SELECT x FROM t ARRAY JOIN a AS x LEFT ARRAY JOIN b AS y, c;

-- ARRAY JOIN of a Map: (key, value) tuples named keys / values.
DROP TABLE IF EXISTS aj_map;
CREATE TABLE aj_map (id UInt8, m Map(String, UInt32)) ENGINE = Memory;
INSERT INTO aj_map VALUES (1, {'a': 1, 'b': 2}), (2, {}), (3, {'c': 3});
SELECT id, kv FROM aj_map ARRAY JOIN m AS kv ORDER BY id, kv;
SELECT id, kv, toTypeName(kv.1), toTypeName(kv.2), kv.1, kv.2 FROM aj_map ARRAY JOIN m AS kv ORDER BY id, kv;
SELECT id, kv FROM aj_map LEFT ARRAY JOIN m AS kv ORDER BY id, kv;
SELECT id, m FROM aj_map ARRAY JOIN m ORDER BY id, m;
SELECT kv.keys, kv.values FROM aj_map ARRAY JOIN m AS kv ORDER BY 1;
SELECT kv.1 AS k, kv.2 AS v FROM aj_map ARRAY JOIN m AS kv WHERE v > 1 ORDER BY k;
SELECT id, kv, x FROM aj_map ARRAY JOIN m AS kv ARRAY JOIN [10, 20] AS x WHERE id = 3 ORDER BY x;
SELECT kv FROM (SELECT map('x', 1, 'y', 2) AS m) ARRAY JOIN m AS kv;
SELECT arrayJoin(map('x', 1, 'y', 2));
SELECT id, mapKeys(m) FROM aj_map ARRAY JOIN m ORDER BY id /* { serverError 43 } */;
DROP TABLE aj_map;

-- ARRAY JOIN of a Nested name: all of its arrays together; n.x is then the element.
DROP TABLE IF EXISTS aj_nested;
CREATE TABLE aj_nested (id UInt8, n Nested(x UInt8, y String)) ENGINE = Memory;
INSERT INTO aj_nested VALUES (1, [1, 2], ['a', 'b']), (2, [], []), (3, [3], ['c']);
SELECT id, n.x, n.y FROM aj_nested ARRAY JOIN n ORDER BY id, n.x;
SELECT id, n.x, n.y FROM aj_nested LEFT ARRAY JOIN n ORDER BY id, n.x;
SELECT * FROM aj_nested ARRAY JOIN n ORDER BY id, n.x;
SELECT id, n FROM aj_nested ARRAY JOIN n ORDER BY id, n;
SELECT id, p.x, p.y, n.x FROM aj_nested ARRAY JOIN n AS p ORDER BY id, p.x;
SELECT id, p FROM aj_nested ARRAY JOIN n AS p ORDER BY id, p;
SELECT * FROM aj_nested ARRAY JOIN n AS p ORDER BY id;
SELECT id, n.x, n.y FROM aj_nested ARRAY JOIN n.x ORDER BY id, n.x;
SELECT id, toTypeName(n.x), toTypeName(n.y) FROM aj_nested ARRAY JOIN n ORDER BY id LIMIT 1;
SELECT sum(n.x) FROM aj_nested ARRAY JOIN n WHERE n.y != 'b';
SELECT id, n.x, n.y, z FROM aj_nested ARRAY JOIN n ARRAY JOIN [10, 20] AS z ORDER BY id, n.x, z;
SELECT count() FROM aj_nested ARRAY JOIN n.x, n.y;
DROP TABLE aj_nested;

-- Errors.
SELECT x ARRAY JOIN [1, 2] AS x /* { clientError 62 } */;
SELECT 1 LEFT ARRAY JOIN [1, 2] AS x /* { clientError 62 } */;
SELECT 1 FROM system.one ARRAY JOIN /* { serverError 42 } */;
SELECT 1 FROM system.one LEFT ARRAY JOIN /* { serverError 42 } */;
SELECT x FROM system.one ARRAY JOIN [1, 2] AS x ARRAY JOIN /* { serverError 42 } */;
SELECT 1 FROM system.one ARRAY JOIN ARRAY JOIN [1] AS x /* { clientError 62 } */;
SELECT x FROM system.one ARRAY JOIN 1 AS x /* { serverError 53 } */;
SELECT x FROM system.one ARRAY JOIN [1, 2] AS x ARRAY JOIN 1 AS y /* { serverError 53 } */;
SELECT 1 FROM system.one ARRAY JOIN nosuch /* { serverError 47 } */;
SELECT x, y FROM system.one ARRAY JOIN [1, 2] AS x, [1] AS y /* { serverError 190 } */;
