-- replaceRegexpAll/One with `^...(group)....*$` patterns (ClickBench Q29's shape): basalt matches
-- the pattern without its trailing `.*$` and must give what the full pattern gives.
SELECT replaceRegexpAll(s, '^https?://(?:www\.)?([^/]+)/.*$', '\1') FROM (SELECT arrayJoin(['http://www.example.com/a/b?c=1', 'https://example.org/', 'https://example.org', 'ftp://x.com/y', '', 'http://www.a.b/line1\nline2', 'http://x.y/caf\xC3\xA9', 'http://x.y/\xFF\xFE', 'http://\xC3\xA9.ru/p', 'http:///', 'HTTP://X.COM/a']) AS s);
SELECT replaceRegexpOne(s, '^https?://(?:www\.)?([^/]+)/.*$', '<\1|\0>') FROM (SELECT arrayJoin(['http://www.example.com/a/b?c=1', 'nope', 'http://x.y/\xFF']) AS s);
SELECT replaceRegexpAll(s, '^(a)?(b+).*$', '[\1][\2]') FROM (SELECT arrayJoin(['abbbc', 'bbx', 'ax', 'b', '']) AS s);
SELECT replaceRegexpAll(s, '^a|b.*$', 'X') FROM (SELECT arrayJoin(['abc', 'cab', 'bcb']) AS s);
SELECT replaceRegexpAll(s, '^a\.*$', 'X') FROM (SELECT arrayJoin(['a...', 'ab', 'a']) AS s);
SELECT replaceRegexpAll(s, '^(?i)A.*$', 'X') FROM (SELECT arrayJoin(['abc', 'Abc', 'bA']) AS s);
SELECT replaceRegexpAll(s, '^[.*$]', 'X') FROM (SELECT arrayJoin(['.abc', '$', 'q']) AS s);
SELECT replaceRegexpAll(s, '^(x|y).*$', 'Z\1') FROM (SELECT arrayJoin(['xa', 'yb', 'zc']) AS s);
SELECT replaceRegexpAll(s, '^.*$', 'E') FROM (SELECT arrayJoin(['', 'a', 'a\nb']) AS s);
SELECT REGEXP_REPLACE(s, '^https?://(?:www\.)?([^/]+)/.*$', '\1') AS k, count() FROM (SELECT concat('http://', if(number % 3 = 0, 'www.', ''), 'site', toString(number % 5), '.com/page', toString(number)) AS s FROM numbers(1000)) GROUP BY k ORDER BY k;
-- Many rows, repeated and unique values, in order.
SELECT count(), sum(length(r)), cityHash64(groupArray(r)) FROM (SELECT replaceRegexpAll(concat('id-', toString(number % 97), '-', toString(number % 13)), '(\d+)-(\d+)', '\2:\1') AS r FROM numbers(20000) ORDER BY number);
SELECT count(), sum(length(r)), cityHash64(groupArray(r)) FROM (SELECT replaceRegexpOne(concat('id-', toString(number), '-x'), '^id-(\d+).*$', 'n\1') AS r FROM numbers(20000) ORDER BY number);
SELECT count(), sum(length(r)), cityHash64(groupArray(r)) FROM (SELECT replaceRegexpAll(if(number % 5000 < 4500, toString(number), 'same'), '[0-9]', '') AS r FROM numbers(20000) ORDER BY number);
