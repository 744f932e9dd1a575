-- and / or / xor of non-Nullable arguments (combined bitwise), next to the Nullable (ternary) path.
SELECT number, number % 2 AND number % 3, number % 2 OR number % 3, xor(number % 2, number % 3), and(number, toInt8(number - 3), number % 4), or(0, number > 7, number = 2), xor(1, number % 2, number % 5) FROM numbers(10);
SELECT count() FROM numbers(100000) WHERE number % 3 = 0 AND number % 5 != 0 AND number > 1000;
SELECT sum(number % 7 = 1 OR number % 11 = 2 OR number < 10) FROM numbers(100000);
SELECT number, if(number % 2, NULL, number % 3) AND number % 4, if(number % 2, NULL, 1) OR number % 5 = 0 FROM numbers(6);
SELECT number, not(number % 3), NOT (number > 2), not(toNullable(number % 2)), not(if(number = 1, NULL, number)), NOT toBool(number % 2), not(number - 2.5) FROM numbers(5);
SELECT NOT NULL, not(0), not(-1), not(0.0);
