-- JSONEachRow input read value by value: field order per row, whitespace, missing and unknown
-- fields, escapes in keys and values, nested values into String / Array / Map / Tuple columns,
-- rows separated by commas or wrapped in an array, and malformed objects.
SELECT * FROM format(JSONEachRow, 'a UInt32, b String, c Float64', '{"a": 1, "b": "x", "c": 1.5}\n{"c":2.25,"a":2,"b":"y"}\n  { "b" : "z" , "a" : 3 }  \n{}');
SELECT * FROM format(JSONEachRow, 'a UInt64, s String', '{"a": "18446744073709551615", "s": "tab\\there \\"q\\" \\u00e9 \\ud83d\\ude00 back\\\\slash"}');
SELECT * FROM format(JSONEachRow, 'a UInt8, b String', '{"\\u0061": 7, "b\\u0022": 1}') SETTINGS input_format_skip_unknown_fields = 1;
SELECT s, length(s) FROM format(JSONEachRow, 's String', '{"s": {"x": [1, 2], "y": "}"}}\n{"s": 12}\n{"s": true}\n{"s": [1,{"z":null}]}');
SELECT arr, m, t FROM format(JSONEachRow, 'arr Array(UInt8), m Map(String, UInt8), t Tuple(a UInt8, b String)', '{"arr": [1, 2, 3], "m": {"k": 1, "l": 2}, "t": {"a": 5, "b": "w"}}\n{"arr": [], "m": {}, "t": {"b": "v", "a": 6}}');
SELECT * FROM format(JSONEachRow, 'a UInt8, n Nullable(UInt8)', '{"a": null, "n": null}\n{"a": 3, "n": 4}');
SELECT * FROM format(JSONEachRow, 'a UInt8', '{"a": 1},{"a": 2},\n{"a": 3}');
SELECT * FROM format(JSONEachRow, 'a UInt8', '[{"a": 1}, {"a": 2}]');
SELECT * FROM format(JSONEachRow, 'a UInt8, b UInt8', '{"a": 1, "zz": {"deep": ["x", "}"]}, "b": 2, "yy": "str, with } and \\""}') SETTINGS input_format_skip_unknown_fields = 1;
SELECT * FROM format(JSONEachRow, 'a UInt8, b UInt8', '{"a": 1, "zz": 5, "b": 2}') SETTINGS input_format_skip_unknown_fields = 0 /* { serverError 117 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8, b UInt8', '{"a": 1, "a": 2, "b": 3}') /* { serverError 117 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8', '{"a" 1}') /* { serverError 27 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8', '{"a"') /* { serverError 27 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8', '{"a": 1 "b": 2}') /* { serverError 27 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8', 'a: 1') /* { serverError 27 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8', '{a: 1}') /* { serverError 26 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8', '{"a": 1,') /* { serverError 26 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8', '{"a": 1') /* { serverError 33 } */;
SELECT * FROM format(JSONEachRow, 'a UInt8', '{"b": 1}');
