-- ASOF JOIN / ASOF LEFT JOIN: ON (equi keys + one inequality) and USING (keys..., asof column),
-- DateTime / integer / Float / Date / DateTime64 asof columns, no earlier match, exact ties,
-- NULL asof values, several equi keys, extra filters, and the error cases.
CREATE TABLE trades (sym String, ts DateTime, px Float64) ENGINE = Memory;
INSERT INTO trades VALUES ('A', '2024-01-01 10:00:00', 1.0), ('A', '2024-01-01 10:00:05', 2.0), ('A', '2024-01-01 10:00:10', 3.0), ('B', '2024-01-01 10:00:03', 10.0), ('C', '2024-01-01 09:00:00', 7.0);
CREATE TABLE quotes (sym String, ts DateTime, bid Float64) ENGINE = MergeTree ORDER BY (sym, ts);
INSERT INTO quotes VALUES ('A', '2024-01-01 10:00:01', 0.9), ('A', '2024-01-01 10:00:05', 1.9), ('A', '2024-01-01 10:00:07', 2.1), ('B', '2024-01-01 10:00:04', 9.9), ('C', '2024-01-01 09:00:00', 6.9), ('D', '2024-01-01 10:00:00', 1.1);
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM trades ASOF INNER JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts ORDER BY ALL;
SELECT * FROM trades ASOF LEFT JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM trades LEFT ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts ORDER BY ALL;
SELECT * FROM trades ASOF LEFT OUTER JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts ORDER BY ALL;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts > quotes.ts ORDER BY ALL;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts <= quotes.ts ORDER BY ALL;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts < quotes.ts ORDER BY ALL;
SELECT * FROM trades ASOF LEFT JOIN quotes ON trades.sym = quotes.sym AND trades.ts < quotes.ts ORDER BY ALL;
-- inequality written with the right table first, and in front of the equi key
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND quotes.ts <= trades.ts ORDER BY ALL;
SELECT * FROM trades ASOF JOIN quotes ON quotes.ts < trades.ts AND trades.sym = quotes.sym ORDER BY ALL;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts + 1 >= quotes.ts ORDER BY ALL;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.px >= quotes.bid ORDER BY ALL;
-- USING: the last column is the asof column, compared with >=
SELECT * FROM trades ASOF JOIN quotes USING (sym, ts) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM trades ASOF LEFT JOIN quotes USING (sym, ts) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT trades.ts, quotes.ts FROM trades ASOF JOIN quotes USING (sym, ts) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM trades ASOF LEFT JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts ORDER BY ALL SETTINGS join_use_nulls = 1 FORMAT TSVWithNamesAndTypes;
SELECT trades.sym, count(), sum(bid) FROM trades ASOF LEFT JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts GROUP BY trades.sym ORDER BY ALL;
-- integer asof column, several equi keys
CREATE TABLE l (k UInt32, g String, t UInt64, v String) ENGINE = Memory;
INSERT INTO l VALUES (1, 'x', 5, 'l1'), (1, 'x', 10, 'l2'), (1, 'y', 10, 'l3'), (2, 'x', 0, 'l4'), (2, 'x', 100, 'l5'), (3, 'x', 7, 'l6');
CREATE TABLE r (k UInt32, g String, t UInt64, w String) ENGINE = Memory;
INSERT INTO r VALUES (1, 'x', 3, 'r1'), (1, 'x', 10, 'r2'), (1, 'x', 12, 'r3'), (1, 'y', 9, 'r4'), (2, 'x', 1, 'r5'), (2, 'x', 50, 'r6'), (2, 'y', 99, 'r7');
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.t >= r.t ORDER BY ALL;
SELECT v, w FROM l ASOF LEFT JOIN r ON l.k = r.k AND l.t >= r.t ORDER BY ALL;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.g = r.g AND l.t >= r.t ORDER BY ALL;
SELECT v, w FROM l ASOF LEFT JOIN r ON l.k = r.k AND l.g = r.g AND l.t > r.t ORDER BY ALL;
SELECT v, w FROM l ASOF LEFT JOIN r ON l.k = r.k AND l.g = r.g AND l.t <= r.t ORDER BY ALL;
SELECT v, w FROM l ASOF LEFT JOIN r ON l.k = r.k AND l.g = r.g AND l.t < r.t ORDER BY ALL;
SELECT * FROM l ASOF JOIN r USING (k, g, t) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM l ASOF LEFT JOIN r USING (k, g, t) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT l.t, r.t, t FROM l ASOF LEFT JOIN r USING (k, g, t) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND r.t <= l.t ORDER BY ALL;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.t >= r.t + 1 ORDER BY ALL;
-- extra single-side conditions next to the inequality
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.t >= r.t AND r.g = 'x' ORDER BY ALL;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.t >= r.t AND l.g = 'x' ORDER BY ALL;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.t >= r.t AND r.w != 'r2' ORDER BY ALL;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.t BETWEEN r.t AND 100 ORDER BY ALL;
SELECT v, w FROM l ASOF JOIN (SELECT k, t, w FROM r WHERE g = 'x') AS s ON l.k = s.k AND l.t >= s.t ORDER BY ALL;
SELECT v, w FROM (SELECT * FROM l WHERE k = 1) AS q ASOF LEFT JOIN r ON q.k = r.k AND q.t > r.t ORDER BY ALL;
SELECT v, count() FROM l ASOF LEFT JOIN r ON l.k = r.k AND l.t >= r.t GROUP BY v ORDER BY ALL;
-- exact ties: duplicated right rows with the same asof value
CREATE TABLE rt (k UInt8, t UInt64, w String) ENGINE = Memory;
INSERT INTO rt VALUES (1, 5, 'same'), (1, 5, 'same'), (1, 3, 'lower');
SELECT l.v, w FROM l ASOF JOIN rt ON l.k = rt.k AND l.t >= rt.t ORDER BY ALL;
SELECT l.v, w FROM l ASOF JOIN rt ON l.k = rt.k AND l.t > rt.t ORDER BY ALL;
SELECT l.v, w FROM l ASOF LEFT JOIN rt ON l.k = rt.k AND l.t <= rt.t ORDER BY ALL;
-- Date and Decimal payload
CREATE TABLE ld (k UInt8, d Date) ENGINE = Memory;
INSERT INTO ld VALUES (1, '2024-03-01'), (1, '2024-02-15'), (1, '2023-12-31'), (2, '2024-01-01');
CREATE TABLE rd (k UInt8, d Date, rate Decimal(9, 4)) ENGINE = Memory;
INSERT INTO rd VALUES (1, '2024-01-01', 1.1), (1, '2024-02-01', 1.2), (1, '2024-03-01', 1.3), (2, '2024-06-01', 2.1);
SELECT ld.k, ld.d, rd.d, rate FROM ld ASOF LEFT JOIN rd ON ld.k = rd.k AND ld.d >= rd.d ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT ld.k, ld.d, rd.d, rate FROM ld ASOF JOIN rd ON ld.k = rd.k AND ld.d > rd.d ORDER BY ALL;
SELECT ld.k, ld.d, rd.d, rate FROM ld ASOF LEFT JOIN rd ON ld.k = rd.k AND ld.d <= rd.d ORDER BY ALL SETTINGS join_use_nulls = 1 FORMAT TSVWithNamesAndTypes;
SELECT * FROM ld ASOF JOIN rd USING (k, d) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
-- NULL asof values never match
CREATE TABLE ln (k UInt8, t Nullable(Int32), v String) ENGINE = Memory;
INSERT INTO ln VALUES (1, 5, 'a'), (1, NULL, 'b'), (2, 3, 'c');
CREATE TABLE rn (k UInt8, t Nullable(Int32), w String) ENGINE = Memory;
INSERT INTO rn VALUES (1, 4, 'p'), (1, NULL, 'q'), (2, NULL, 'r');
SELECT v, w FROM ln ASOF LEFT JOIN rn ON ln.k = rn.k AND ln.t >= rn.t ORDER BY ALL;
SELECT v, w FROM ln ASOF JOIN rn ON ln.k = rn.k AND ln.t >= rn.t ORDER BY ALL;
SELECT v, w, rn.t FROM ln ASOF LEFT JOIN rn ON ln.k = rn.k AND ln.t <= rn.t ORDER BY ALL;
-- mixed numeric types: Int32 vs Float64, DateTime64 vs DateTime
CREATE TABLE li (k UInt8, t Int32) ENGINE = Memory;
INSERT INTO li VALUES (1, -5), (1, 0), (1, 7), (1, -6);
CREATE TABLE rf (k UInt8, t Float64, w String) ENGINE = Memory;
INSERT INTO rf VALUES (1, -5.5, 'a'), (1, 0, 'b'), (1, 6.9, 'c');
SELECT li.t, w FROM li ASOF LEFT JOIN rf ON li.k = rf.k AND li.t >= rf.t ORDER BY ALL;
SELECT li.t, w FROM li ASOF LEFT JOIN rf ON li.k = rf.k AND li.t < rf.t ORDER BY ALL;
CREATE TABLE ldt (k UInt8, ts DateTime64(3)) ENGINE = Memory;
INSERT INTO ldt VALUES (1, '2024-01-01 00:00:00.500'), (1, '2024-01-01 00:00:01.000'), (1, '2023-12-31 23:59:59.999');
CREATE TABLE rdt (k UInt8, ts DateTime, w String) ENGINE = Memory;
INSERT INTO rdt VALUES (1, '2024-01-01 00:00:00', 'r0'), (1, '2024-01-01 00:00:01', 'r1');
SELECT ldt.ts, w FROM ldt ASOF LEFT JOIN rdt ON ldt.k = rdt.k AND ldt.ts >= rdt.ts ORDER BY ALL;
-- errors
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym /* { serverError 403 } */;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts = quotes.ts /* { serverError 403 } */;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts AND trades.px > quotes.bid /* { serverError 403 } */;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts AND trades.ts <= quotes.ts /* { serverError 403 } */;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts != quotes.ts /* { serverError 403 } */;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts OR trades.px = 1 /* { serverError 403 } */;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k OR l.t >= r.t /* { serverError 403 } */;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.t > 5 /* { serverError 403 } */;
SELECT v, w FROM l ASOF JOIN r ON l.k >= r.k AND l.t >= r.t /* { serverError 403 } */;
SELECT * FROM trades ASOF RIGHT JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts /* { serverError 48 } */;
SELECT * FROM trades ASOF FULL JOIN quotes ON trades.sym = quotes.sym AND trades.ts >= quotes.ts /* { serverError 48 } */;
SELECT * FROM trades ASOF JOIN quotes ON trades.ts >= quotes.ts /* { serverError 48 } */;
SELECT * FROM trades ASOF JOIN quotes USING (ts) /* { serverError 48 } */;
SELECT * FROM trades ASOF JOIN quotes ON trades.sym = quotes.sym AND trades.sym >= quotes.sym /* { serverError 169 } */;
SELECT v, w FROM l ASOF JOIN r USING (k, g) /* { serverError 169 } */;
SELECT v, w FROM l ASOF JOIN r ON l.k = r.k AND l.t >= r.g /* { serverError 386 } */;
SELECT * FROM trades ASOF CROSS JOIN quotes /* { clientError 62 } */;
SELECT v, w FROM l ASOF JOIN r /* { clientError 62 } */;
