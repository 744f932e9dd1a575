-- Functions and statements the server brings: currentUser(), sleep / sleepEachRow (types, constant
-- argument, the 3-second-per-block limit), KILL QUERY with no match, system.processes, SET param_x.
SELECT currentUser() != '', user() = currentUser(), sleep(0.1), sleepEachRow(0.01) FROM numbers(2);
SELECT toTypeName(sleep(0)), toTypeName(sleepEachRow(0));
SELECT sleep(4) /* { serverError 160 } */;
SELECT sleepEachRow(1) FROM numbers(5) /* { serverError 160 } */;
SELECT sleep(-1) /* { serverError 43 } */;
SELECT sleep(number) FROM numbers(1) /* { serverError 44 } */;
SELECT sleep('a') /* { serverError 43 } */;
KILL QUERY WHERE query_id = 'nope';
KILL QUERY WHERE query_id = 'nope' TEST;
KILL QUERY WHERE query_id = 'nope' SYNC;
SELECT count() > 0 FROM system.processes WHERE query LIKE '%system.processes%';
SET param_x = 41;
SELECT {x:UInt8} + 1;
