-- Chains of joins mixing kinds, a star schema, filters / ORDER BY / LIMIT on joined columns,
-- joins inside subqueries and CTEs, joins with IN subqueries, GLOBAL JOIN, PASTE JOIN, empty
-- join sides, subqueries on either side of a join, self joins and aggregation over joins.
CREATE TABLE sales (id UInt32, day Date, pid UInt16, cid UInt32, sid UInt8, qty Int32, price Decimal(10, 2)) ENGINE = MergeTree ORDER BY id;
INSERT INTO sales VALUES (1, '2024-01-01', 10, 100, 1, 2, 9.99), (2, '2024-01-01', 11, 101, 1, 1, 19.50), (3, '2024-01-02', 10, 102, 2, 5, 9.99), (4, '2024-01-02', 12, 100, 2, 1, 100.00), (5, '2024-01-03', 13, 103, 3, 3, 5.25), (6, '2024-01-03', 11, 999, 1, 2, 19.50), (7, '2024-01-04', 10, 101, 9, 1, 9.99);
CREATE TABLE products (pid UInt16, pname String, cat String) ENGINE = Memory;
INSERT INTO products VALUES (10, 'pen', 'office'), (11, 'lamp', 'home'), (12, 'desk', 'office'), (14, 'sofa', 'home');
CREATE TABLE customers (cid UInt32, cname String, country LowCardinality(String)) ENGINE = Memory;
INSERT INTO customers VALUES (100, 'ann', 'DE'), (101, 'bob', 'FR'), (102, 'cid', 'DE'), (103, 'dan', 'US');
CREATE TABLE stores (sid UInt8, city String) ENGINE = MergeTree ORDER BY sid;
INSERT INTO stores VALUES (1, 'Berlin'), (2, 'Paris'), (3, 'Austin');
-- star schema
SELECT s.id, p.pname, c.cname, st.city FROM sales AS s JOIN products AS p ON s.pid = p.pid JOIN customers AS c ON s.cid = c.cid JOIN stores AS st ON s.sid = st.sid ORDER BY s.id;
SELECT s.id, p.pname, c.cname, st.city FROM sales AS s LEFT JOIN products AS p ON s.pid = p.pid LEFT JOIN customers AS c ON s.cid = c.cid LEFT JOIN stores AS st ON s.sid = st.sid ORDER BY s.id;
SELECT s.id, p.pname, c.cname, st.city FROM sales AS s INNER JOIN products AS p ON s.pid = p.pid LEFT JOIN customers AS c ON s.cid = c.cid FULL JOIN stores AS st ON s.sid = st.sid ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT s.id, p.pname, c.cname, st.city FROM sales AS s INNER JOIN products AS p ON s.pid = p.pid LEFT JOIN customers AS c ON s.cid = c.cid FULL JOIN stores AS st ON s.sid = st.sid ORDER BY ALL SETTINGS join_use_nulls = 1 FORMAT TSVWithNamesAndTypes;
SELECT p.cat, c.country, sum(s.qty * s.price) AS revenue, count() FROM sales AS s JOIN products AS p ON s.pid = p.pid JOIN customers AS c ON s.cid = c.cid JOIN stores AS st ON s.sid = st.sid GROUP BY p.cat, c.country ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT st.city, p.cat, sum(qty), max(price) FROM sales AS s JOIN stores AS st ON s.sid = st.sid LEFT JOIN products AS p ON s.pid = p.pid GROUP BY st.city, p.cat ORDER BY ALL;
SELECT st.city, sum(qty) FROM sales AS s RIGHT JOIN stores AS st ON s.sid = st.sid GROUP BY st.city ORDER BY ALL;
SELECT st.city, count(s.id), sum(qty) FROM stores AS st LEFT JOIN sales AS s ON s.sid = st.sid GROUP BY st.city ORDER BY ALL;
SELECT * FROM sales JOIN products USING pid JOIN customers USING cid JOIN stores USING sid ORDER BY id FORMAT TSVWithNamesAndTypes;
-- WHERE on fact and dimension columns, ORDER BY / LIMIT on joined columns
SELECT s.id, pname FROM sales AS s JOIN products AS p ON s.pid = p.pid WHERE p.cat = 'office' AND s.qty > 1 ORDER BY ALL;
SELECT s.id, pname FROM sales AS s LEFT JOIN products AS p ON s.pid = p.pid WHERE p.pname = '' ORDER BY ALL;
SELECT s.id, pname FROM sales AS s LEFT JOIN products AS p ON s.pid = p.pid WHERE p.pname IS NULL ORDER BY ALL SETTINGS join_use_nulls = 1;
SELECT s.id, c.country FROM sales AS s JOIN customers AS c ON s.cid = c.cid JOIN stores AS st ON s.sid = st.sid WHERE c.country = 'DE' OR st.city = 'Berlin' ORDER BY ALL;
SELECT s.id, pname, price FROM sales AS s JOIN products AS p ON s.pid = p.pid ORDER BY pname DESC, price, s.id LIMIT 3;
SELECT s.id, cname FROM sales AS s JOIN customers AS c ON s.cid = c.cid ORDER BY c.cname, s.id LIMIT 2 OFFSET 1;
SELECT c.cname, sum(qty) AS q FROM sales AS s JOIN customers AS c ON s.cid = c.cid GROUP BY c.cname ORDER BY q DESC, c.cname LIMIT 2;
-- three tables in a chain (b references a, c references b)
CREATE TABLE a (id UInt32, x String) ENGINE = Memory;
INSERT INTO a VALUES (1, 'a1'), (2, 'a2'), (3, 'a3');
CREATE TABLE b (id UInt32, aid UInt32, y String) ENGINE = Memory;
INSERT INTO b VALUES (10, 1, 'b10'), (11, 1, 'b11'), (12, 4, 'b12');
CREATE TABLE c (id UInt32, bid UInt32, z String) ENGINE = Memory;
INSERT INTO c VALUES (100, 10, 'c100'), (101, 12, 'c101'), (102, 99, 'c102');
SELECT * FROM a JOIN b ON a.id = b.aid JOIN c ON c.bid = b.id ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM a LEFT JOIN b ON a.id = b.aid LEFT JOIN c ON c.bid = b.id ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM a FULL JOIN b ON a.id = b.aid FULL JOIN c ON c.bid = b.id ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT x, y, z FROM a RIGHT JOIN b ON a.id = b.aid RIGHT JOIN c ON c.bid = b.id ORDER BY ALL;
SELECT x, y, z FROM a JOIN b ON a.id = b.aid JOIN c ON c.bid = b.id AND c.z != a.x ORDER BY ALL;
SELECT x, y, z FROM a JOIN b ON a.id = b.aid LEFT JOIN c ON c.bid = b.id AND a.id = 1 ORDER BY ALL;
SELECT x, y, z FROM a CROSS JOIN b JOIN c ON c.bid = b.id ORDER BY ALL;
SELECT x, y, z FROM a, b, c WHERE a.id = b.aid AND b.id = c.bid ORDER BY ALL;
SELECT x, y, z FROM a, b LEFT JOIN c ON c.bid = b.id WHERE a.id = b.aid ORDER BY ALL;
SELECT a.id, b.id, c.id FROM a JOIN b ON a.id = b.aid JOIN c ON c.bid = b.id FORMAT TSVWithNamesAndTypes;
SELECT a.*, c.* FROM a JOIN b ON a.id = b.aid JOIN c ON c.bid = b.id FORMAT TSVWithNamesAndTypes;
SELECT * FROM a AS t JOIN b ON t.id = b.aid JOIN c ON c.bid = b.id FORMAT TSVWithNamesAndTypes;
SELECT * FROM a AS p JOIN a AS q ON p.id = q.id JOIN a AS r ON r.id = q.id ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM a JOIN a AS q ON a.id = q.id JOIN b ON b.aid = q.id ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT a.x, q.x FROM a JOIN a AS q ON a.id = q.id JOIN b ON b.aid = q.id ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT x, count() FROM a LEFT JOIN b ON a.id = b.aid GROUP BY x ORDER BY x;
SELECT DISTINCT x FROM a JOIN b ON a.id = b.aid;
SELECT x, y FROM a JOIN b ON a.id = b.aid UNION ALL SELECT x, z FROM a JOIN c ON a.id + 99 = c.id ORDER BY ALL;
-- joins inside subqueries and CTEs, IN subqueries
SELECT * FROM (SELECT s.id AS id, p.cat AS cat FROM sales AS s JOIN products AS p ON s.pid = p.pid) AS x JOIN (SELECT cat, count() AS n FROM products GROUP BY cat) AS y USING cat ORDER BY ALL;
WITH office AS (SELECT pid FROM products WHERE cat = 'office') SELECT id, qty FROM sales JOIN office USING pid ORDER BY ALL;
WITH j AS (SELECT s.id AS id, c.country AS country FROM sales AS s JOIN customers AS c ON s.cid = c.cid) SELECT country, count() FROM j GROUP BY country ORDER BY ALL;
WITH ab AS (SELECT a.id AS aid, y FROM a JOIN b ON a.id = b.aid) SELECT * FROM ab AS p JOIN ab AS q ON p.aid = q.aid AND p.y < q.y ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT x, cnt FROM a LEFT JOIN (SELECT aid, count() AS cnt FROM b GROUP BY aid) AS bc ON a.id = bc.aid ORDER BY ALL;
SELECT x, (SELECT count() FROM b) AS total FROM a JOIN b ON a.id = b.aid ORDER BY ALL;
SELECT id FROM sales WHERE pid IN (SELECT pid FROM products WHERE cat = 'home') ORDER BY id;
SELECT s.id, c.cname FROM sales AS s JOIN customers AS c ON s.cid = c.cid WHERE s.pid IN (SELECT pid FROM products WHERE cat = 'office') ORDER BY ALL;
SELECT s.id, c.cname FROM sales AS s JOIN customers AS c ON s.cid = c.cid WHERE s.pid NOT IN (SELECT pid FROM products) ORDER BY ALL;
SELECT x FROM a WHERE id IN (SELECT aid FROM b JOIN c ON c.bid = b.id) ORDER BY ALL;
SELECT x, y FROM a JOIN b ON a.id = b.aid WHERE b.id IN (SELECT bid FROM c) ORDER BY ALL;
SELECT x, y FROM a JOIN b ON a.id = b.aid AND b.id IN (SELECT bid FROM c) ORDER BY ALL;
-- GLOBAL JOIN behaves like JOIN on one node
SELECT s.id, p.pname FROM sales AS s GLOBAL JOIN products AS p ON s.pid = p.pid ORDER BY ALL;
SELECT s.id, p.pname FROM sales AS s GLOBAL LEFT JOIN products AS p ON s.pid = p.pid ORDER BY ALL;
SELECT s.id, p.pname FROM sales AS s GLOBAL ANY LEFT JOIN products AS p ON s.pid = p.pid ORDER BY ALL;
SELECT id, city FROM sales GLOBAL INNER JOIN stores USING sid ORDER BY ALL;
-- PASTE JOIN glues rows by position
SELECT * FROM (SELECT number AS a FROM numbers(3)) AS x PASTE JOIN (SELECT number * 10 AS b FROM numbers(3)) AS y FORMAT TSVWithNamesAndTypes;
SELECT * FROM (SELECT number AS a FROM numbers(2)) AS x PASTE JOIN (SELECT number * 10 AS a FROM numbers(2)) AS y FORMAT TSVWithNamesAndTypes;
SELECT * FROM (SELECT number AS a FROM numbers(3)) AS x PASTE JOIN (SELECT number * 10 AS b FROM numbers(3)) AS y ON x.a = y.b /* { clientError 62 } */;
CREATE TABLE t1 (a UInt32, b Int64, s String) ENGINE = Memory;
INSERT INTO t1 VALUES (1, 10, 'x'), (2, 20, 'Y'), (2, 21, 'y'), (3, 30, 'z'), (5, 50, 'w');
CREATE TABLE t2 (a UInt64, c Int32, s String) ENGINE = MergeTree ORDER BY c;
INSERT INTO t2 VALUES (2, 200, 'y'), (2, 201, 'y'), (3, 300, 'z'), (4, 400, 'v'), (6, 600, 'x');
CREATE TABLE i64 (k Int64, w String) ENGINE = Memory;
INSERT INTO i64 VALUES (1, 'p'), (-56, 'q'), (200, 'r'), (255, 's');
-- empty left / right side
CREATE TABLE e (k Int64, x String) ENGINE = Memory;
SELECT * FROM e JOIN i64 USING k ORDER BY ALL;
SELECT * FROM e LEFT JOIN i64 USING k ORDER BY ALL;
SELECT * FROM e RIGHT JOIN i64 USING k ORDER BY ALL;
SELECT * FROM e FULL JOIN i64 USING k ORDER BY ALL;
SELECT * FROM i64 LEFT JOIN e USING k ORDER BY ALL;
SELECT * FROM i64 JOIN e USING k ORDER BY ALL;
SELECT * FROM i64 RIGHT JOIN e USING k ORDER BY ALL;
SELECT * FROM i64 FULL JOIN e ON i64.k = e.k ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM i64 CROSS JOIN e ORDER BY ALL;
SELECT * FROM i64 ANTI LEFT JOIN e USING k ORDER BY ALL;
SELECT * FROM i64 SEMI LEFT JOIN e USING k ORDER BY ALL;
SELECT count(), sum(k) FROM i64 LEFT JOIN e USING k;
SELECT * FROM i64 LEFT JOIN e USING k ORDER BY ALL SETTINGS join_use_nulls = 1;
-- subqueries on either side, self joins
SELECT * FROM t1 JOIN (SELECT a, c * 2 AS c2 FROM t2 WHERE c > 200) AS s ON t1.a = s.a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM (SELECT a, b FROM t1 WHERE b > 15) AS s JOIN t2 ON s.a = t2.a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM (SELECT a, b FROM t1) AS l JOIN (SELECT a, c FROM t2) AS r ON l.a = r.a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM (SELECT a, b FROM t1) AS l LEFT JOIN (SELECT a, sum(c) AS sc FROM t2 GROUP BY a) AS r USING a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT x.a, x.b, y.b FROM t1 AS x JOIN t1 AS y ON x.a = y.a AND x.b < y.b ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM t1 AS x JOIN t1 AS y ON x.a = y.a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM t1 AS x JOIN t1 AS y USING a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM t1 JOIN t1 AS y USING a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
-- aggregation over a join
SELECT t2.s, count(), sum(b), sum(c) FROM t1 JOIN t2 ON t1.a = t2.a GROUP BY t2.s ORDER BY ALL;
SELECT t1.a, count(), sum(c), max(t2.s) FROM t1 LEFT JOIN t2 ON t1.a = t2.a GROUP BY t1.a ORDER BY ALL;
SELECT a, count(t2.c), count() FROM t1 LEFT JOIN t2 USING a GROUP BY a ORDER BY ALL;
SELECT b, c FROM t1 JOIN t2 ON t1.a = t2.a WHERE c > 200 ORDER BY ALL;
SELECT t2.s, count() AS n FROM t1 FULL JOIN t2 USING a GROUP BY t2.s HAVING n > 1 ORDER BY ALL;
