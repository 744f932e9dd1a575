SELECT mapKeys(map(1, 'a', 2, 'b')), mapValues(map(1, 'a', 2, 'b')), mapContains(map(1, 'a'), 1), mapContains(map(1, 'a'), 3), toTypeName(mapContains(map(1, 'a'), 3)), mapContainsKey(map('x', 1), 'x');
SELECT toTypeName(mapKeys(map('a', 1))), toTypeName(mapValues(map('a', 1.5))), mapKeys(map()), mapValues(map());
SELECT map('k', number) AS m, mapKeys(m), mapValues(m), mapContains(m, 'k'), mapContains(m, 'z'), m['k'] FROM numbers(3);
SELECT mapContains(materialize(map(1, 2, 3, 4)), materialize(3)), mapContains(map('a', 1), materialize('b'));
SELECT arrayMap(x -> x.1, [(1, 'a'), (2, 'b')]), arrayFilter(x -> x.2 > 1, [(1, 1), (2, 2)]);
SELECT mapKeys([1]) /* { serverError 43 } */;
SELECT mapContains(map(1, 2), 'a') /* { serverError 386 } */;
