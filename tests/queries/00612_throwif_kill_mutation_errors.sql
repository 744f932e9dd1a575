-- throwIf and bad KILL MUTATION / mutation statements: error codes, nothing changed.
SELECT throwIf(number = 3) FROM numbers(2);
SELECT throwIf(number = 3) FROM numbers(5) /* { serverError 395 } */;
SELECT throwIf(1, 'custom message') /* { serverError 395 } */;
SELECT throwIf('a') /* { serverError 43 } */;
SELECT sum(throwIf(number > 100)) FROM numbers(10);
SELECT toTypeName(throwIf(0));
CREATE TABLE km (k UInt64) ENGINE = MergeTree ORDER BY k SETTINGS merge_with_ttl_timeout = 60;
INSERT INTO km VALUES (1), (2);
KILL MUTATION WHERE table = 'nosuch';
ALTER TABLE km DELETE WHERE nosuch = 1 SETTINGS mutations_sync = 2 /* { serverError 47 } */;
ALTER TABLE km UPDATE k = 1 WHERE 1 SETTINGS mutations_sync = 2 /* { serverError 420 } */;
SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table = 'km';
SELECT k FROM km ORDER BY k;
