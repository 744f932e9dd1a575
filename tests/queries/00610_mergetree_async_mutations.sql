-- Asynchronous mutations: queued (here behind SYSTEM STOP MERGES), shown in system.mutations,
-- applied only to parts inserted before them, KILL MUTATION, mutations_sync waits, and a failing
-- mutation (UNFINISHED) that stays queued until killed.
SET mutations_sync = 0;
CREATE TABLE t (k UInt64, v String) ENGINE = MergeTree ORDER BY k;
INSERT INTO t SELECT number, toString(number) FROM numbers(10);
INSERT INTO t SELECT number + 10, toString(number) FROM numbers(10);
SYSTEM STOP MERGES t;
ALTER TABLE t DELETE WHERE k % 2 = 0;
SELECT count() FROM t;
SELECT mutation_id, command, parts_to_do, parts_to_do_names, is_done, latest_fail_reason, block_numbers.number, is_killed FROM system.mutations WHERE database = currentDatabase() AND table = 't';
INSERT INTO t VALUES (100, 'new');
SELECT parts_to_do FROM system.mutations WHERE database = currentDatabase() AND table = 't';
KILL MUTATION WHERE database = currentDatabase() AND table = 't' AND mutation_id = 'mutation_3.txt' FORMAT Null;
SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table = 't';
ALTER TABLE t UPDATE v = 'x' WHERE k IN (1, 100);
SELECT v FROM t WHERE k IN (1, 100) ORDER BY k;
SYSTEM START MERGES t;
ALTER TABLE t UPDATE v = 'y' WHERE k = 2 SETTINGS mutations_sync = 1;
SELECT count(), groupArray(v) FROM (SELECT v FROM t ORDER BY k);
SELECT mutation_id, command, parts_to_do, is_done FROM system.mutations WHERE database = currentDatabase() AND table = 't' ORDER BY mutation_id;
SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 't' AND active AND name NOT LIKE '%\_6';

CREATE TABLE f (k UInt64, v String) ENGINE = MergeTree ORDER BY k;
INSERT INTO f SELECT number, toString(number) FROM numbers(10);
ALTER TABLE f UPDATE v = toString(throwIf(k = 3)) WHERE 1 SETTINGS mutations_sync = 1 /* { serverError 341 } */;
SELECT mutation_id, parts_to_do, is_done, latest_fail_reason != '', latest_failed_part FROM system.mutations WHERE database = currentDatabase() AND table = 'f';
SELECT groupArray(v) FROM f;
KILL MUTATION WHERE database = currentDatabase() AND table = 'f' AND is_done = 0;
SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table = 'f';
KILL MUTATION WHERE database = currentDatabase() AND table = 'f' AND is_done = 0;
ALTER TABLE f DELETE WHERE k > 4 SETTINGS mutations_sync = 2;
SELECT count(), sum(k) FROM f;
KILL MUTATION WHERE database = currentDatabase() AND table = 'f';

-- SYSTEM STOP MERGES on a table makes OPTIMIZE fail (ABORTED)
CREATE TABLE o (k UInt64) ENGINE = MergeTree ORDER BY k;
INSERT INTO o VALUES (1);
INSERT INTO o VALUES (2);
SYSTEM STOP MERGES o;
OPTIMIZE TABLE o FINAL /* { serverError 236 } */;
OPTIMIZE TABLE o /* { serverError 236 } */;
SYSTEM START MERGES o;
OPTIMIZE TABLE o FINAL;
SELECT count(), sum(rows) FROM system.parts WHERE database = currentDatabase() AND table = 'o' AND active;
