-- JSONExtractString / JSONHas over small flat objects (the scanner fast path) and over documents it
-- leaves to the full parser: escapes, non-ASCII, nesting, duplicates, invalid JSON, numbers, literals.
DROP TABLE IF EXISTS json_docs;
CREATE TABLE json_docs (id UInt32, doc String) ENGINE = Memory;
INSERT INTO json_docs VALUES
    (1, '{"page":"/p/1","device":"mobile"}'),
    (2, ' { "device" : "desktop" , "page":"/p/2" } '),
    (3, '{"device":"a","device":"b"}'),
    (4, '{"device":"caf\xC3\xA9"}'),
    (5, '{"device":"say \\"hi\\""}'),
    (6, '{"device":"\\u00e9t\\u00e9"}'),
    (7, '{"nested":{"device":"inner"}}'),
    (8, '{"device":{"kind":"x"}}'),
    (9, '{"device":"x",}'),
    (10, '{"device":"x"} trailing'),
    (11, '{"device":12.5}'),
    (12, '{"device":true}'),
    (13, '{"device":null}'),
    (14, '{}'),
    (15, ''),
    (16, '[1,2,3]'),
    (17, '{"page":"/p/3"}'),
    (18, '{"device":01}'),
    (19, '{"device":"tab\tlet"}'),
    (20, '{"Device":"upper"}');
SELECT id, JSONExtractString(doc, 'device') AS device, JSONHas(doc, 'device') AS has FROM json_docs ORDER BY id;
SELECT JSONExtractString(doc, 'device') AS device, count() AS c FROM json_docs GROUP BY device ORDER BY device;
SELECT JSONExtractString('{"a":"1","b":"2"}', k) FROM (SELECT arrayJoin(['a', 'b', 'c', '']) AS k);
DROP TABLE json_docs;
