-- Query parameters {name:Type} and parameterized views: FROM v(name = value, ...), SHOW CREATE,
-- errors (missing parameter, value that does not parse as the type).
CREATE TABLE src (user_id UInt64, name String) ENGINE = MergeTree ORDER BY user_id;
INSERT INTO src SELECT number % 10, toString(number) FROM numbers(100);
CREATE VIEW pv AS SELECT count() AS n, {uid:UInt64} AS u FROM src WHERE user_id = {uid:UInt64};
SELECT * FROM pv(uid = 5);
SELECT n FROM pv(uid = 1);
SELECT * FROM pv(uid = 100);
CREATE VIEW pv2 AS SELECT name FROM src WHERE name LIKE {p:String} ORDER BY name LIMIT {lim:UInt8};
SELECT * FROM pv2(p = '1%', lim = 3);
SHOW CREATE TABLE pv2;
SELECT * FROM pv(uid = 'abc') /* { serverError 457 } */;
SELECT * FROM pv2(p = 'x') /* { serverError 456 } */;
CREATE VIEW pv3 AS SELECT user_id, count() AS c FROM src WHERE user_id > {lo:UInt64} AND name != {skip:String} GROUP BY user_id ORDER BY user_id;
SELECT * FROM pv3(lo = 7, skip = '99');
SHOW CREATE TABLE pv3;
