-- The Join table engine used as the right side of JOIN (strictness / kind must match the engine),
-- joinGet / joinGetOrNull, join_use_nulls as an engine setting, multi-key Join tables, TRUNCATE /
-- ALTER DELETE on a Join table, and the errors. (00620_special_engines covers basic joinGet.)
CREATE TABLE jl (k UInt64, name String, score Float64) ENGINE = Join(ANY, LEFT, k);
INSERT INTO jl VALUES (1, 'one', 1.5), (2, 'two', 2.5), (1, 'uno', 9.9);
CREATE TABLE f (k UInt64, v String) ENGINE = Memory;
INSERT INTO f VALUES (1, 'a'), (2, 'b'), (3, 'c'), (1, 'd');
-- ANY keeps the first inserted row for a key
SELECT * FROM jl ORDER BY k;
SELECT count() FROM jl;
SELECT * FROM f ANY LEFT JOIN jl USING (k) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT f.k, v, name, score FROM f ANY LEFT JOIN jl USING (k) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM f ANY LEFT JOIN jl USING k ORDER BY ALL;
SELECT * FROM f ANY LEFT JOIN jl ON f.k = jl.k ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM f AS x ANY LEFT JOIN jl ON x.k = jl.k ORDER BY ALL;
SELECT name, count() FROM f ANY LEFT JOIN jl USING (k) GROUP BY name ORDER BY ALL;
SELECT k, v, name FROM f ANY LEFT JOIN jl USING (k) WHERE score > 2 ORDER BY ALL;
-- a different kind / strictness than the engine's is an error
SELECT * FROM f LEFT JOIN jl USING (k) /* { serverError 264 } */;
SELECT * FROM f ALL LEFT JOIN jl USING (k) /* { serverError 264 } */;
SELECT * FROM f ANY INNER JOIN jl USING (k) /* { serverError 264 } */;
SELECT * FROM f INNER JOIN jl USING (k) /* { serverError 264 } */;
SELECT * FROM f ANY RIGHT JOIN jl USING (k) /* { serverError 264 } */;
SELECT * FROM f ANY LEFT JOIN jl USING k SETTINGS join_use_nulls = 1 /* { serverError 264 } */;
-- joinGet / joinGetOrNull
SELECT joinGet('jl', 'name', toUInt64(1)), joinGet('jl', 'score', toUInt64(2)), joinGet('jl', 'name', toUInt64(7)), joinGet('jl', 'score', toUInt64(7)) FORMAT TSVWithNamesAndTypes;
SELECT joinGetOrNull('jl', 'name', toUInt64(7)), joinGetOrNull('jl', 'score', toUInt64(2)) FORMAT TSVWithNamesAndTypes;
SELECT k, joinGet('jl', 'name', k), joinGetOrNull('jl', 'score', k) FROM f ORDER BY ALL;
SELECT joinGet(jl, 'name', toUInt64(2));
SELECT joinGet(currentDatabase() || '.jl', 'name', toUInt64(2));
SELECT joinGet('jl', 'name', 1) /* { serverError 53 } */;
SELECT joinGet('jl', 'nosuch', toUInt64(1)) /* { serverError 16 } */;
SELECT joinGet('jl', 'k', toUInt64(1)) /* { serverError 16 } */;
SELECT joinGet('jl', 'name') /* { serverError 42 } */;
SELECT joinGet('jl', 'name', toUInt64(1), toUInt64(2)) /* { serverError 42 } */;
SELECT joinGet('f', 'v', toUInt64(1)) /* { serverError 43 } */;
-- ALL LEFT with duplicate keys; key type must match the engine's key type exactly
CREATE TABLE ja (k UInt64, w String) ENGINE = Join(ALL, LEFT, k);
INSERT INTO ja VALUES (1, 'x'), (1, 'y'), (2, 'z');
SELECT * FROM ja ORDER BY ALL;
SELECT * FROM f ALL LEFT JOIN ja USING (k) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM f LEFT JOIN ja USING (k) ORDER BY ALL;
SELECT joinGet('ja', 'w', toUInt64(1)) /* { serverError 264 } */;
CREATE TABLE ja32 (k UInt32, w String) ENGINE = Join(ALL, LEFT, k);
INSERT INTO ja32 VALUES (1, 'x');
SELECT * FROM f LEFT JOIN ja32 USING (k) /* { serverError 264 } */;
SELECT * FROM (SELECT toUInt32(k) AS k, v FROM f) AS s LEFT JOIN ja32 USING (k) ORDER BY ALL;
-- other kinds / strictness
CREATE TABLE ji (k UInt64, w String) ENGINE = Join(ALL, INNER, k);
INSERT INTO ji VALUES (1, 'x'), (1, 'y'), (3, 'z');
SELECT * FROM f INNER JOIN ji USING (k) ORDER BY ALL;
SELECT * FROM f JOIN ji USING (k) ORDER BY ALL;
SELECT * FROM f LEFT JOIN ji USING (k) /* { serverError 264 } */;
CREATE TABLE js (k UInt64, w String) ENGINE = Join(SEMI, LEFT, k);
INSERT INTO js VALUES (1, 'x'), (3, 'z');
SELECT * FROM f SEMI LEFT JOIN js USING (k) ORDER BY ALL;
CREATE TABLE jn (k UInt64, w String) ENGINE = Join(ANTI, LEFT, k);
INSERT INTO jn VALUES (1, 'x'), (3, 'z');
SELECT * FROM f ANTI LEFT JOIN jn USING (k) ORDER BY ALL;
CREATE TABLE jr (k UInt64, w String) ENGINE = Join(ANY, RIGHT, k);
INSERT INTO jr VALUES (1, 'x'), (4, 'w');
SELECT k, w FROM f ANY RIGHT JOIN jr USING (k) ORDER BY ALL;
CREATE TABLE jf (k UInt64, w String) ENGINE = Join(ALL, FULL, k);
INSERT INTO jf VALUES (1, 'x'), (4, 'w');
SELECT * FROM f FULL JOIN jf USING (k) ORDER BY ALL;
-- several key columns: USING must name all of them, in any order
CREATE TABLE jc (a String, b UInt8, w String) ENGINE = Join(ALL, INNER, a, b);
INSERT INTO jc VALUES ('x', 1, 'p'), ('y', 2, 'q'), ('x', 1, 'r');
SELECT * FROM (SELECT 'x' AS a, toUInt8(1) AS b, 10 AS z) AS s JOIN jc USING (a, b) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM (SELECT 'x' AS a, toUInt8(1) AS b) AS s JOIN jc USING (b, a) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM (SELECT 'x' AS a, toUInt8(1) AS b) AS s JOIN jc USING (a) /* { serverError 264 } */;
-- join_use_nulls stored as an engine setting
CREATE TABLE jx (k UInt64, v String) ENGINE = Join(ANY, LEFT, k) SETTINGS join_use_nulls = 1;
INSERT INTO jx VALUES (1, 'x');
SELECT * FROM f ANY LEFT JOIN jx USING (k) ORDER BY ALL SETTINGS join_use_nulls = 1 FORMAT TSVWithNamesAndTypes;
SELECT * FROM f ANY LEFT JOIN jx USING (k) /* { serverError 264 } */;
SELECT joinGet('jx', 'v', toUInt64(2)), joinGet('jx', 'v', toUInt64(1)) FORMAT TSVWithNamesAndTypes;
-- TRUNCATE / INSERT SELECT / ALTER DELETE / DROP
TRUNCATE TABLE jl;
SELECT count() FROM jl;
SELECT * FROM f ANY LEFT JOIN jl USING (k) ORDER BY ALL;
INSERT INTO jl SELECT number, toString(number), number / 2 FROM numbers(3);
SELECT * FROM jl ORDER BY k;
SELECT * FROM f ANY LEFT JOIN jl USING (k) ORDER BY ALL;
ALTER TABLE ja DELETE WHERE k = 1;
SELECT * FROM ja ORDER BY ALL;
SELECT * FROM f ALL LEFT JOIN ja USING (k) ORDER BY ALL;
DROP TABLE ja;
SELECT * FROM ja /* { serverError 60 } */;
-- bad engine definitions
CREATE TABLE jbad (k UInt64) ENGINE = Join(ANY, LEFT, nosuch) /* { serverError 16 } */;
CREATE TABLE jbad (k UInt64) ENGINE = Join(ANY, LEFT) /* { serverError 42 } */;
CREATE TABLE jbad (k UInt64) ENGINE = Join(ANY, CROSS, k) /* { serverError 36 } */;
CREATE TABLE jbad (k UInt64) ENGINE = Join(ASOF, LEFT, k) /* { serverError 36 } */;
CREATE TABLE jbad (k UInt64) ENGINE = Join(ANY, FULL, k) /* { serverError 48 } */;
CREATE TABLE jbad (k UInt64) ENGINE = Join(SEMI, INNER, k) /* { serverError 36 } */;
