-- max_memory_usage_for_user bounds the user's running statements (a single one here) with
-- MEMORY_LIMIT_EXCEEDED (241), beside max_memory_usage for one statement; a query within it runs.
SELECT number, toString(number) FROM numbers(3000000) ORDER BY number DESC FORMAT Null SETTINGS max_memory_usage_for_user = 30000000 /* { serverError 241 } */;
SELECT number, toString(number) FROM numbers(3000000) ORDER BY number DESC FORMAT Null SETTINGS max_memory_usage = 30000000 /* { serverError 241 } */;
SELECT count() FROM numbers(3000000) SETTINGS max_memory_usage_for_user = 30000000;
SELECT name, type FROM system.settings WHERE name = 'max_memory_usage_for_user';
