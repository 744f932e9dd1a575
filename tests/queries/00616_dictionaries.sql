-- Dictionaries: CREATE DICTIONARY with CLICKHOUSE (TABLE, QUERY) sources and FLAT / HASHED /
-- COMPLEX_KEY_HASHED / RANGE_HASHED layouts; dictGet family, dictionary(), the Dictionary engine,
-- system.dictionaries, SYSTEM RELOAD DICTIONARY, DROP; errors (unknown dictionary, attribute, layout, failing source).
CREATE TABLE users (id UInt64, name String, country String, age UInt8) ENGINE = MergeTree ORDER BY id;
INSERT INTO users VALUES (1, 'ann', 'DE', 30), (2, 'bob', 'FR', 40), (5, 'cy', 'US', 50);
CREATE DICTIONARY users_dict (id UInt64, name String DEFAULT '?', country String, age UInt8 DEFAULT 0) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'users')) LAYOUT(HASHED()) LIFETIME(MIN 0 MAX 300);
SELECT dictGet('users_dict', 'name', toUInt64(1)), dictGet('users_dict', 'name', toUInt64(3)), dictGetOrDefault('users_dict', 'name', toUInt64(3), 'none'), dictHas('users_dict', toUInt64(2)), dictHas('users_dict', toUInt64(9));
SELECT number, dictGet('users_dict', ('name', 'age'), number) FROM numbers(4);
SELECT dictGetOrNull('users_dict', 'age', toUInt64(7)), dictGetString('users_dict', 'country', toUInt64(5)), dictGetUInt8('users_dict', 'age', toUInt64(5));
SELECT * FROM dictionary('users_dict') ORDER BY id;
SELECT name, status, type, key.names, key.types, attribute.names, attribute.types, element_count, source, lifetime_min, lifetime_max, last_exception FROM system.dictionaries WHERE database = currentDatabase() AND name = 'users_dict';
SHOW CREATE DICTIONARY users_dict;
SELECT dictGet('users_dict', 'nosuch', toUInt64(1)) /* { serverError 36 } */;
SELECT dictGet('nosuch_dict', 'name', toUInt64(1)) /* { serverError 36 } */;
SELECT dictGet('users_dict', 'name', 'x') /* { serverError 6 } */;
CREATE DICTIONARY users_dict (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'users')) LAYOUT(HASHED()) LIFETIME(0) /* { serverError 387 } */;
CREATE DICTIONARY bad_src (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'nosuch_table')) LAYOUT(HASHED()) LIFETIME(0);
SELECT dictGet('bad_src', 'name', toUInt64(1)) /* { serverError 60 } */;
SELECT status, last_exception != '' FROM system.dictionaries WHERE name = 'bad_src';
CREATE DICTIONARY bad_layout (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'users')) LAYOUT(NOSUCH()) LIFETIME(0) /* { serverError 137 } */;
CREATE DICTIONARY flat_d (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(QUERY 'SELECT id, name FROM users')) LAYOUT(FLAT()) LIFETIME(0);
SELECT dictGet('flat_d', 'name', toUInt64(2));
CREATE DICTIONARY ck (country String, age UInt8, name String) PRIMARY KEY country, age SOURCE(CLICKHOUSE(TABLE 'users')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(0);
SELECT dictGet('ck', 'name', ('FR', toUInt8(40))), dictHas('ck', ('FR', toUInt8(41)));
CREATE TABLE prices (id UInt64, start Date, end Date, price Float64) ENGINE = MergeTree ORDER BY id;
INSERT INTO prices VALUES (1, '2024-01-01', '2024-01-31', 10), (1, '2024-02-01', '2024-02-29', 12);
CREATE DICTIONARY rd (id UInt64, start Date, end Date, price Float64) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'prices')) LAYOUT(RANGE_HASHED()) RANGE(MIN start MAX end) LIFETIME(0);
SELECT dictGet('rd', 'price', toUInt64(1), toDate('2024-01-15')), dictGet('rd', 'price', toUInt64(1), toDate('2024-02-15')), dictGet('rd', 'price', toUInt64(1), toDate('2024-03-15'));
INSERT INTO users VALUES (9, 'dan', 'IT', 20);
SELECT dictGet('users_dict', 'name', toUInt64(9));
SYSTEM RELOAD DICTIONARY users_dict;
SELECT dictGet('users_dict', 'name', toUInt64(9));
SELECT name, engine FROM system.tables WHERE name = 'users_dict';
SELECT * FROM users_dict ORDER BY id;
DROP DICTIONARY users_dict;
SELECT dictGet('users_dict', 'name', toUInt64(1)) /* { serverError 36 } */;
-- dictGet in a roll-up: enrichment of aggregated events (the seed's dictionary step).
CREATE TABLE ev (user_id UInt64, value Float64) ENGINE = MergeTree ORDER BY user_id;
INSERT INTO ev SELECT number % 6, number FROM numbers(60);
CREATE DICTIONARY ud (id UInt64, country String DEFAULT 'unknown') PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'users')) LAYOUT(HASHED()) LIFETIME(MIN 1 MAX 10);
SELECT dictGet('ud', 'country', user_id) AS country, count(), sum(value) FROM ev GROUP BY country ORDER BY country;
SELECT dictGetOrNull('ud', 'country', toUInt64(100)), dictHas('ud', toUInt64(1)), dictGetOrDefault('ud', 'country', number, 'zz') FROM numbers(3);
SELECT dictGetString('ud', 'country', toUInt64(1));
SELECT dictGetUInt64('ud', 'country', toUInt64(1)) /* { serverError 53 } */;
DROP DICTIONARY ud;
