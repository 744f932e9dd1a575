-- Array functions added in the issue 7 audit: sets, enumeration, reshaping, metrics.
-- arrayUnion / arraySymmetricDifference return ClickHouse's hash-table order.
SELECT arrayUnion([-2, 1], [10, 1], [-2], []), arrayUnion(['hi'], [], ['hello', 'hi']), arrayUnion([1, 3, NULL], [2, 3, NULL]), toTypeName(arrayUnion([1], [2.5]));
SELECT arrayUnion(range(number * 20), [7]) FROM numbers(4);
SELECT arrayUnion(arrayMap(x -> toString(x), range(40)));
SELECT arrayUnion([(1, 'a')], [(2, 'b'), (1, 'a')]), arrayUnion([[1], [2]], [[1]]), arrayUnion([1.5, -0., 0., nan, nan]), arrayUnion([toInt128(5), 1, 2]), arrayUnion(['', 'a', '']);
SELECT arrayUnion([]), toTypeName(arrayUnion([])), arrayUnion([NULL]), toTypeName(arrayUnion([NULL])), arrayUnion(materialize([1, 2]), [3]) FROM numbers(2);
SELECT arraySymmetricDifference([1, 2], [1, 2], [1, 2]), arraySymmetricDifference([1, 2], [1, 2], [1, 3]), arraySymmetricDifference([1, NULL], [2]), arraySymmetricDifference([1, NULL], [NULL]), toTypeName(arraySymmetricDifference([1], [2.5]));
SELECT arraySymmetricDifference([1]), arraySymmetricDifference([1, 1, 2], [3, 3]), arraySymmetricDifference(['a', 'b'], ['b', 'c']), arraySymmetricDifference([1, NULL], [NULL, 2], [3]), arraySymmetricDifference([1], []);
SELECT arrayIntersect([1, 2], [3], [2, 2]), arrayIntersect([1, 2, 2, 1]), arrayIntersect([1, 2], [2, 1], [1]);
SELECT arrayExcept([1, 2, 3, 2, 4], [3, 5]), arrayExcept([1, NULL, 2, NULL], [2]), arrayExcept([1, NULL, 2, NULL], [NULL, 2, NULL]), arrayExcept(['apple', 'banana', 'cherry'], ['banana', 'date']), arrayExcept([1, NULL], [1]), arrayExcept([1, 2], [toNullable(1)]);
SELECT arrayJaccardIndex([1, 2], [2, 3]), arrayJaccardIndex([1, 1, 2], [2]), arrayJaccardIndex(['a'], ['a']), arrayJaccardIndex([1], []), arrayJaccardIndex(emptyArrayUInt8(), emptyArrayUInt8()), arrayJaccardIndex([(1, 'a')], [(1, 'a'), (2, 'b')]);
SELECT arrayJaccardIndex(range(number), range(number + 1)) FROM numbers(3);
SELECT arrayRemove([1, 2, 2, 3], 2), arrayRemove(['a', NULL, 'b', NULL], NULL), arrayRemove([1, NULL], 1), arrayRemove([1.5, 2], 2), toTypeName(arrayRemove([1.5, 2], 2)), array_remove([1], 1), arrayRemove([1, 2, 3], NULL);
SELECT arrayRemove([1, 2, 3], number) FROM numbers(3);
SELECT hasSubstr([], []), hasSubstr([1, NULL], [NULL]), hasSubstr([1.0, 2, 3, 4], [1, 3]), hasSubstr(['a', 'b', 'c'], ['a', 'b']), hasSubstr(['a', 'b', 'c'], ['a', 'c']), hasSubstr([[1, 2], [3, 4], [5, 6]], [[1, 2], [3, 4]]), hasSubstr([1, 2, 1, 2, 3], [1, 2, 3]), hasSubstr([1], [1, 1]);
SELECT indexOfAssumeSorted([1, 3, 3, 3, 4, 4, 5], 4), indexOfAssumeSorted([1, 3, 3, 3, 4, 4, 5], 3), indexOfAssumeSorted([1, 3], 2), indexOfAssumeSorted([], 1), indexOfAssumeSorted(['a', 'b', 'c'], 'c'), indexOfAssumeSorted([1, 2, NULL], NULL), indexOfAssumeSorted([3, 1, 2], 1), indexOfAssumeSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 3], 3);
-- enumeration
SELECT arrayEnumerateDense([10, 20, 10, 30]), arrayEnumerateDense(['a', NULL, 'a', NULL]), arrayEnumerateDense([1, 2], [1, 3]), toTypeName(arrayEnumerateDense([1]));
SELECT arrayEnumerateDenseRanked(1, [10, 20, 10, 30], 1), arrayEnumerateDenseRanked(1, [[10, 10, 30, 20], [40, 50, 10, 30]], 2), arrayEnumerateDenseRanked(2, [[10, 10, 30, 20], [40, 50, 10, 30]], 2), arrayEnumerateDenseRanked([[1, 2], [1]]);
SELECT arrayEnumerateUniqRanked(1, [1, 2, 1], 1), arrayEnumerateUniqRanked(1, [[1, 2, 3], [2, 2, 1], [3]], 2), arrayEnumerateUniqRanked(2, [[1, 2, 3], [2, 2, 1], [3]], 2), toTypeName(arrayEnumerateUniqRanked([[1, 2], [1]]));
SELECT arrayEnumerateUniqRanked(1, [[1, 2], [1]], 1), arrayEnumerateUniqRanked([1, 2], 1, [3, 4], 1), arrayEnumerateUniqRanked(1, [[1, 1], [2]], 2, [[1, 1], [1]], 2), arrayEnumerateUniqRanked(1, [[1, 1], [2]], 2, [5, 6], 1);
SELECT arrayEnumerateUniqRanked(1, [[[1, 1], [1]], [[1]]], 3), arrayEnumerateUniqRanked(2, [[[1, 1], [1]], [[1]]], 3), arrayEnumerateUniqRanked(3, [[[1, 1], [1]], [[1]]], 3), arrayEnumerateUniqRanked(1, [[1, NULL], [NULL]], 2);
SELECT arrayEnumerateUniqRanked(materialize([[1, 1], [1]])), arrayEnumerateDenseRanked([['a', 'b'], ['b']]) FROM numbers(2);
-- reshaping
SELECT arrayRotateLeft([1, 2, 3, 4, 5, 6], 2), arrayRotateLeft([1, 2, 3, 4, 5, 6], -2), arrayRotateRight([1, 2, 3, 4, 5, 6], 2), arrayRotateRight([1, 2, 3, 4, 5, 6], 8), arrayRotateLeft([], 3), arrayRotateLeft(['a', 'b'], 1);
SELECT arrayRotateLeft([1, 2, 3], number), arrayRotateRight([1, 2, 3], toUInt64(18446744073709551615)) FROM numbers(4);
SELECT arrayShiftLeft([1, 2, 3, 4, 5, 6], 2), arrayShiftLeft([1, 2, 3, 4, 5, 6], -2), arrayShiftLeft([1, 2, 3, 4, 5, 6], 2, 42), arrayShiftRight([1, 2, 3, 4, 5, 6], 2), arrayShiftRight([1, 2, 3, 4, 5, 6], -2, 42), arrayShiftRight([1, 2, 3], 10), arrayShiftLeft(['a', 'b'], 1, 'z');
SELECT arrayShiftLeft([1, NULL], 1), arrayShiftLeft([1, NULL], 1, 5), toTypeName(arrayShiftLeft([1, NULL], 1, 5)), arrayShiftLeft([[1], [2]], 1);
SELECT arrayShingles([1, 2, 3, 4], 3), arrayShingles(['a', 'b', 'c'], 1), toTypeName(arrayShingles([1], 1)), arrayShingles([1, 2], 2);
SELECT arrayShingles(materialize([1, 2, 3]), 2) FROM numbers(2);
SELECT arrayTranspose([[1, 2], [3, 4]]), arrayTranspose([[1, 2, 3], [4, 5, 6]]), arrayTranspose([['a', 'b'], ['c', 'd']]), arrayTranspose([[], []]), arrayTranspose([[1]]), toTypeName(arrayTranspose([[], []]));
SELECT arrayTranspose(materialize([[1, 2]])), arrayTranspose(CAST([], 'Array(Array(UInt8))')) FROM numbers(2);
SELECT arrayZipUnaligned(['a'], [1, 2, 3]), toTypeName(arrayZipUnaligned(['a'], [1, 2, 3])), arrayZipUnaligned([1], [NULL]), toTypeName(arrayZipUnaligned([1], [NULL])), arrayZipUnaligned([1, 2], emptyArrayString()), arrayZipUnaligned(), toTypeName(arrayZipUnaligned());
SELECT arrayZip(), toTypeName(arrayZip());
SELECT replicate(1, ['a', 'b', 'c']), replicate('x', [1]), toTypeName(replicate(1, ['a'])), replicate(number, range(number)), replicate(NULL, [1, 2]), toTypeName(replicate(NULL, [1, 2])), replicate(1, [1], [2, 3]) FROM numbers(3);
SELECT arrayElementOrNull([1, 2, 3], 2), arrayElementOrNull([1, 2, 3], -1), arrayElementOrNull([1, 2, 3], 4), arrayElementOrNull([1, 2, 3], 0), toTypeName(arrayElementOrNull([1, 2, 3], 4)), arrayElementOrNull(['a'], 1), arrayElementOrNull([[1]], 2), toTypeName(arrayElementOrNull([[1]], 2));
SELECT arrayElementOrNull([NULL, 1], 1), arrayElementOrNull(map(1, 2), 1), arrayElementOrNull(map(1, 2), 3), arrayElementOrNull(range(number), -2) FROM numbers(3);
-- random: seeded results are ClickHouse's; unseeded ones are checked by content only
SELECT arrayShuffle([1, 2, 3, 4], 41), arrayShuffle(['a', 'b', 'c'], 1), arrayShuffle([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 123), arrayShuffle([NULL, 'b', 'c'], 7);
SELECT arrayShuffle([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 123), arrayShuffle(materialize([1, 2, 3]), 5) FROM numbers(2);
SELECT arrayPartialShuffle([1, 2, 3, 4], 2, 41), arrayPartialShuffle([1, 2, 3, 4], 0, 41), arrayPartialShuffle([1, 2, 3, 4, 5, 6, 7, 8], 3, 42);
SELECT length(arrayShuffle([1, 2, 3, 4])), arraySort(arrayShuffle([1, 2, 3, 4])), toTypeName(arrayShuffle([1])), arraySort(arrayPartialShuffle([3, 1, 2], 1));
SELECT length(arrayRandomSample([1, 2, 3, 4], 2)), arrayRandomSample([1, 2, 3], 0), arraySort(arrayRandomSample([1, 2], 10)), toTypeName(arrayRandomSample([1], 1)), hasAll([1, 2, 3, 4], arrayRandomSample([1, 2, 3, 4], 3));
-- metrics and distances
SELECT arrayAUC([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), arrayROCAUC([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), arrayAUCPR([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), arrayPRAUC([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
SELECT arrayROCAUC([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], true, [2, 1, 4, 5]), arrayAUCPR([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], [2, 1, 4]), arrayROCAUC([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], false);
SELECT arrayROCAUC(emptyArrayFloat64(), emptyArrayUInt8()), arrayAUCPR(emptyArrayFloat64(), emptyArrayUInt8()), arrayROCAUC([1, 2], [1, 1]), arrayAUCPR([1, 2], [0, 0]), arrayROCAUC([1, 2, 3], [true, false, true]), arrayROCAUC([1, 2, 3], [-1, 0, 1]), arrayROCAUC([0.1, 0.4, 0.4, 0.8], [0, 1, 0, 1]);
SELECT arrayROCAUC([1, 2], CAST(['a', 'b'] AS Array(Enum8('a' = 0, 'b' = 1))));
SELECT arrayNormalizedGini([0.9, 0.3, 0.8, 0.7], [6, 1, 0, 2]), arrayNormalizedGini([1, 2, 3], [1, 2, 3]), arrayNormalizedGini([0.9, 0.3], [0, 0]), toTypeName(arrayNormalizedGini([1], [1]));
SELECT arrayNormalizedGini([0.9, 0.3, 0.8, 0.7, 0.7], [6, 1, 0, 2, 3]), arrayNormalizedGini([1, 1, 1], [1, 2, 3]);
SELECT arrayAutocorrelation([1, 2, 3, 4, 5]), arrayAutocorrelation([10, 20, 10]), arrayAutocorrelation([5, 5, 5]), arrayAutocorrelation([1, 2, 3, 4, 5], 2), arrayAutocorrelation([]), arrayAutocorrelation([1, 2], 0), arrayAutocorrelation([1, 2], 10), toTypeName(arrayAutocorrelation([1]));
SELECT arrayAutocorrelation([1.5, 2.5, 10.25, -3]), arrayAutocorrelation(range(number), 2) FROM numbers(4);
SELECT arrayLevenshteinDistance([1, 2, 4], [1, 2, 3]), arrayLevenshteinDistance([], [1]), arrayLevenshteinDistance(['a', 'b'], ['b']), toTypeName(arrayLevenshteinDistance([1], [1])), arrayLevenshteinDistance([1, 2], [1.0, 2]), arrayLevenshteinDistance([1], ['a']);
SELECT arrayLevenshteinDistance([[1], [2]], [[1]]), arrayLevenshteinDistance([NULL, 1], [NULL]), arrayLevenshteinDistance(['a'], [toFixedString('a', 1)]);
SELECT arrayLevenshteinDistanceWeighted(['A', 'B', 'C'], ['A', 'K', 'L'], [1.0, 2, 3], [3.0, 4, 5]), arraySimilarity(['A', 'B', 'C'], ['A', 'K', 'L'], [1.0, 2, 3], [3.0, 4, 5]), arrayLevenshteinDistanceWeighted([1, 2], [3], [1, 1], [5]);
SELECT arraySimilarity(emptyArrayString(), emptyArrayString(), emptyArrayFloat64(), emptyArrayFloat64()), arrayLevenshteinDistanceWeighted(emptyArrayString(), ['a'], emptyArrayFloat64(), [2.5]), arrayLevenshteinDistanceWeighted(['a', 'b'], ['b', 'a'], [1, 10], [1, 10]);
SELECT arrayReduceInRanges('sum', [(1, 5), (2, 3), (3, 4), (4, 4)], [1000000, 200000, 30000, 4000, 500, 60, 7]), arrayReduceInRanges('groupArray', [(-2, 2), (0, 1), (5, 10)], [1, 2, 3, 4, 5]), arrayReduceInRanges('count', [(1, 0)], [1]);
SELECT arrayReduceInRanges('uniq', [(1, 2), (2, 2)], ['a', 'a', 'b']), arrayReduceInRanges('avg', [(1, 2)], [1, 2]), arrayReduceInRanges('sumIf', [(1, 3), (2, 2)], [1, 2, 3], [1, 0, 1]), toTypeName(arrayReduceInRanges('sum', [(1, 5)], [1]));
SELECT arrayReduceInRanges('max', [(1, 2), (-1, 1)], range(number + 1)) FROM numbers(3);
SELECT array_to_string(['a', 'b'], ','), array_to_string([1, 2]);
SELECT arrayUnion(arrayMap(x -> (toUInt8(x), toString(x)), range(40))), arrayUnion(arrayMap(x -> [toNullable(x), NULL], range(40)));
SELECT arraySymmetricDifference(arrayMap(x -> (x, toString(x)), range(30)), arrayMap(x -> (x, toString(x)), range(10, 50))), arrayUnion(arrayMap(x -> toUUID(concat('00000000-0000-0000-0000-0000000000', leftPad(toString(x), 2, '0'))), range(40)));
SELECT arrayUnion(arrayMap(x -> toDecimal64(x / 3, 4), range(40))), arrayUnion(arrayMap(x -> toFloat32(x) / 7, range(40))), arrayUnion(arrayMap(x -> toDate('2020-01-01') + x, range(40)));
