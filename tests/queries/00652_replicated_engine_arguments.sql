-- Replicated*MergeTree engine arguments are validated before ZooKeeper is needed; without a
-- ZooKeeper configuration the table cannot be created (the test server has none).
CREATE TABLE r1 (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/r1', 'a') ORDER BY x /* { serverError 225 } */;
CREATE TABLE r2 (x UInt8) ENGINE = ReplicatedMergeTree ORDER BY x /* { serverError 36 } */;
CREATE TABLE r3 (x UInt8) ENGINE = ReplicatedMergeTree('/only/path') ORDER BY x /* { serverError 36 } */;
CREATE TABLE r4 (x UInt8, v UInt32) ENGINE = ReplicatedReplacingMergeTree('/p/r4', 'a', v) ORDER BY x /* { serverError 225 } */;
CREATE TABLE r5 (x UInt8, v UInt32) ENGINE = ReplicatedSummingMergeTree('/p/r5', 'a', v, 5) ORDER BY x /* { serverError 42 } */;
CREATE TABLE r7 (x UInt8, s Int8) ENGINE = ReplicatedCollapsingMergeTree('/p/r7', 'a', s) ORDER BY x /* { serverError 225 } */;
CREATE TABLE plain (x UInt8) ENGINE = MergeTree ORDER BY x;
SYSTEM SYNC REPLICA plain /* { serverError 36 } */;
SYSTEM RESTART REPLICA plain /* { serverError 36 } */;
SELECT count() FROM system.replicas;
SELECT count() FROM system.replication_queue;
SELECT count() FROM system.tables WHERE name LIKE 'r_';
DROP TABLE plain;
