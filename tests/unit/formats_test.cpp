// formats_test.cpp — output formats byte-for-byte against real ClickHouse output (expectations
// generated with chdb, see the comment above kOracle), input formats by round trip and error
// cases, value text (de)serialization and schema inference.
#include <gtest/gtest.h>

#include <cmath>

#include "common/exception.h"
#include "common/string_utils.h"
#include "formats/format.h"
#include "formats/value_text.h"
#include "types/create_column.h"

using namespace basalt;

namespace {

// Generated from ClickHouse 26.7.2.1 (chdb), session_timezone UTC.
struct OracleCase { const char* query_id; const char* format; const char* text; };
static const OracleCase kOracle[] = {
    // main: SELECT number AS n, if(number=0,'a\tb"c\'d\\e/','xü') AS s, if(number=1, NULL, toInt64(number)-5) AS nl, toDate('2024-01-02')+number AS d, toDateTime('2024-01-02 03:04:05','UTC')+number AS dt, range(number+1) AS arr, number/3 AS f FROM numbers(2)
    {"main", "TSV", R"__(0	a\tb"c\'d\\e/	-5	2024-01-02	2024-01-02 03:04:05	[0]	0
1	xü	\N	2024-01-03	2024-01-02 03:04:06	[0,1]	0.3333333333333333
)__"},
    {"main", "TSVWithNames", R"__(n	s	nl	d	dt	arr	f
0	a\tb"c\'d\\e/	-5	2024-01-02	2024-01-02 03:04:05	[0]	0
1	xü	\N	2024-01-03	2024-01-02 03:04:06	[0,1]	0.3333333333333333
)__"},
    {"main", "TSVWithNamesAndTypes", R"__(n	s	nl	d	dt	arr	f
UInt64	String	Nullable(Int64)	Date	DateTime(\'UTC\')	Array(UInt64)	Float64
0	a\tb"c\'d\\e/	-5	2024-01-02	2024-01-02 03:04:05	[0]	0
1	xü	\N	2024-01-03	2024-01-02 03:04:06	[0,1]	0.3333333333333333
)__"},
    {"main", "TSVRaw", R"__(0	a	b"c'd\e/	-5	2024-01-02	2024-01-02 03:04:05	[0]	0
1	xü	\N	2024-01-03	2024-01-02 03:04:06	[0,1]	0.3333333333333333
)__"},
    {"main", "CSV", R"__(0,"a	b""c'd\e/",-5,"2024-01-02","2024-01-02 03:04:05","[0]",0
1,"xü",\N,"2024-01-03","2024-01-02 03:04:06","[0,1]",0.3333333333333333
)__"},
    {"main", "CSVWithNames", R"__("n","s","nl","d","dt","arr","f"
0,"a	b""c'd\e/",-5,"2024-01-02","2024-01-02 03:04:05","[0]",0
1,"xü",\N,"2024-01-03","2024-01-02 03:04:06","[0,1]",0.3333333333333333
)__"},
    {"main", "CSVWithNamesAndTypes", R"__("n","s","nl","d","dt","arr","f"
"UInt64","String","Nullable(Int64)","Date","DateTime('UTC')","Array(UInt64)","Float64"
0,"a	b""c'd\e/",-5,"2024-01-02","2024-01-02 03:04:05","[0]",0
1,"xü",\N,"2024-01-03","2024-01-02 03:04:06","[0,1]",0.3333333333333333
)__"},
    {"main", "JSONEachRow", R"__({"n":0,"s":"a\tb\"c'd\\e\/","nl":-5,"d":"2024-01-02","dt":"2024-01-02 03:04:05","arr":[0],"f":0}
{"n":1,"s":"xü","nl":null,"d":"2024-01-03","dt":"2024-01-02 03:04:06","arr":[0,1],"f":0.3333333333333333}
)__"},
    {"main", "JSONCompactEachRow", R"__([0, "a\tb\"c'd\\e\/", -5, "2024-01-02", "2024-01-02 03:04:05", [0], 0]
[1, "xü", null, "2024-01-03", "2024-01-02 03:04:06", [0,1], 0.3333333333333333]
)__"},
    {"main", "JSON", R"__({
	"meta":
	[
		{
			"name": "n",
			"type": "UInt64"
		},
		{
			"name": "s",
			"type": "String"
		},
		{
			"name": "nl",
			"type": "Nullable(Int64)"
		},
		{
			"name": "d",
			"type": "Date"
		},
		{
			"name": "dt",
			"type": "DateTime('UTC')"
		},
		{
			"name": "arr",
			"type": "Array(UInt64)"
		},
		{
			"name": "f",
			"type": "Float64"
		}
	],

	"data":
	[
		{
			"n": 0,
			"s": "a\tb\"c'd\\e\/",
			"nl": -5,
			"d": "2024-01-02",
			"dt": "2024-01-02 03:04:05",
			"arr": [0],
			"f": 0
		},
		{
			"n": 1,
			"s": "xü",
			"nl": null,
			"d": "2024-01-03",
			"dt": "2024-01-02 03:04:06",
			"arr": [0,1],
			"f": 0.3333333333333333
		}
	],

	"rows": 2,

	"statistics":
	{
		"elapsed": 0.5,
		"rows_read": 2,
		"bytes_read": 16
	}
}
)__"},
    {"main", "JSONCompact", R"__({
	"meta":
	[
		{
			"name": "n",
			"type": "UInt64"
		},
		{
			"name": "s",
			"type": "String"
		},
		{
			"name": "nl",
			"type": "Nullable(Int64)"
		},
		{
			"name": "d",
			"type": "Date"
		},
		{
			"name": "dt",
			"type": "DateTime('UTC')"
		},
		{
			"name": "arr",
			"type": "Array(UInt64)"
		},
		{
			"name": "f",
			"type": "Float64"
		}
	],

	"data":
	[
		[0, "a\tb\"c'd\\e\/", -5, "2024-01-02", "2024-01-02 03:04:05", [0], 0],
		[1, "xü", null, "2024-01-03", "2024-01-02 03:04:06", [0,1], 0.3333333333333333]
	],

	"rows": 2,

	"statistics":
	{
		"elapsed": 0.5,
		"rows_read": 2,
		"bytes_read": 16
	}
}
)__"},
    {"main", "Vertical", R"__(Row 1:
──────
n:   0
s:   a	b"c'd\e/
nl:  -5
d:   2024-01-02
dt:  2024-01-02 03:04:05
arr: [0]
f:   0

Row 2:
──────
n:   1
s:   xü
nl:  ᴺᵁᴸᴸ
d:   2024-01-03
dt:  2024-01-02 03:04:06
arr: [0,1]
f:   0.3333333333333333
)__"},
    {"main", "Markdown", R"__(| n | s | nl | d | dt | arr | f |
|-:|:-|-:|-:|-:|:-|-:|
| 0 | a\tb"c\'d\\e/ | -5 | 2024-01-02 | 2024-01-02 03:04:05 | [0] | 0 |
| 1 | xü | \N | 2024-01-03 | 2024-01-02 03:04:06 | [0,1] | 0.3333333333333333 |
)__"},
    {"main", "Values", R"__((0,'a\tb"c\'d\\e/',-5,'2024-01-02','2024-01-02 03:04:05',[0],0),(1,'xü',NULL,'2024-01-03','2024-01-02 03:04:06',[0,1],0.3333333333333333))__"},
    // main_pretty: SELECT number AS n, if(number=0,'b"c\'d\\e/','xü') AS s, if(number=1, NULL, toInt64(number)-5) AS nl, toDate('2024-01-02')+number AS d, toDateTime('2024-01-02 03:04:05','UTC')+number AS dt, range(number+1) AS arr, number/3 AS f FROM numbers(2)
    {"main_pretty", "Pretty", R"__(   ┏━━━┳━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┓
   ┃ n ┃ s        ┃   nl ┃          d ┃                  dt ┃ arr   ┃                  f ┃
   ┡━━━╇━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━┩
1. │ 0 │ b"c'd\e/ │   -5 │ 2024-01-02 │ 2024-01-02 03:04:05 │ [0]   │                  0 │
   ├───┼──────────┼──────┼────────────┼─────────────────────┼───────┼────────────────────┤
2. │ 1 │ xü       │ ᴺᵁᴸᴸ │ 2024-01-03 │ 2024-01-02 03:04:06 │ [0,1] │ 0.3333333333333333 │
   └───┴──────────┴──────┴────────────┴─────────────────────┴───────┴────────────────────┘
)__"},
    {"main_pretty", "PrettyCompact", R"__(   ┌─n─┬─s────────┬───nl─┬──────────d─┬──────────────────dt─┬─arr───┬──────────────────f─┐
1. │ 0 │ b"c'd\e/ │   -5 │ 2024-01-02 │ 2024-01-02 03:04:05 │ [0]   │                  0 │
2. │ 1 │ xü       │ ᴺᵁᴸᴸ │ 2024-01-03 │ 2024-01-02 03:04:06 │ [0,1] │ 0.3333333333333333 │
   └───┴──────────┴──────┴────────────┴─────────────────────┴───────┴────────────────────┘
)__"},
    {"main_pretty", "PrettySpace", R"__(    n   s            nl            d                    dt   arr                      f

1.  0   b"c'd\e/     -5   2024-01-02   2024-01-02 03:04:05   [0]                      0 
2.  1   xü         ᴺᵁᴸᴸ   2024-01-03   2024-01-02 03:04:06   [0,1]   0.3333333333333333 
)__"},
    {"main_pretty", "PrettyNoEscapes", R"__(   ┏━━━┳━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┓
   ┃ n ┃ s        ┃   nl ┃          d ┃                  dt ┃ arr   ┃                  f ┃
   ┡━━━╇━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━┩
1. │ 0 │ b"c'd\e/ │   -5 │ 2024-01-02 │ 2024-01-02 03:04:05 │ [0]   │                  0 │
   ├───┼──────────┼──────┼────────────┼─────────────────────┼───────┼────────────────────┤
2. │ 1 │ xü       │ ᴺᵁᴸᴸ │ 2024-01-03 │ 2024-01-02 03:04:06 │ [0,1] │ 0.3333333333333333 │
   └───┴──────────┴──────┴────────────┴─────────────────────┴───────┴────────────────────┘
)__"},
    // totals: SELECT number%2 AS k, count() AS c FROM numbers(5) GROUP BY k WITH TOTALS ORDER BY k
    {"totals", "TSV", R"__(0	3
1	2

0	5
)__"},
    {"totals", "CSV", R"__(0,3
1,2

0,5
)__"},
    {"totals", "JSON", R"__({
	"meta":
	[
		{
			"name": "k",
			"type": "UInt8"
		},
		{
			"name": "c",
			"type": "UInt64"
		}
	],

	"data":
	[
		{
			"k": 0,
			"c": 3
		},
		{
			"k": 1,
			"c": 2
		}
	],

	"totals":
	{
		"k": 0,
		"c": 5
	},

	"rows": 2,

	"statistics":
	{
		"elapsed": 0.5,
		"rows_read": 2,
		"bytes_read": 16
	}
}
)__"},
    {"totals", "JSONCompact", R"__({
	"meta":
	[
		{
			"name": "k",
			"type": "UInt8"
		},
		{
			"name": "c",
			"type": "UInt64"
		}
	],

	"data":
	[
		[0, 3],
		[1, 2]
	],

	"totals": [0, 5],

	"rows": 2,

	"statistics":
	{
		"elapsed": 0.5,
		"rows_read": 2,
		"bytes_read": 16
	}
}
)__"},
    {"totals", "Pretty", R"__(   ┏━━━┳━━━┓
   ┃ k ┃ c ┃
   ┡━━━╇━━━┩
1. │ 0 │ 3 │
   ├───┼───┤
2. │ 1 │ 2 │
   └───┴───┘

Totals:
   ┏━━━┳━━━┓
   ┃ k ┃ c ┃
   ┡━━━╇━━━┩
1. │ 0 │ 5 │
   └───┴───┘
)__"},
    {"totals", "PrettyCompact", R"__(   ┌─k─┬─c─┐
1. │ 0 │ 3 │
2. │ 1 │ 2 │
   └───┴───┘

Totals:
   ┌─k─┬─c─┐
1. │ 0 │ 5 │
   └───┴───┘
)__"},
    {"totals", "PrettySpace", R"__(    k   c

1.  0   3 
2.  1   2 

Totals:
    k   c

1.  0   5 
)__"},
    {"totals", "Vertical", R"__(Row 1:
──────
k: 0
c: 3

Row 2:
──────
k: 1
c: 2


Totals:
───────
k: 0
c: 5
)__"},
    // long: SELECT number AS n, 'ab' AS s FROM numbers(52)
    {"long", "Pretty", R"__(    ┏━━━━┳━━━━┓
    ┃  n ┃ s  ┃
    ┡━━━━╇━━━━┩
 1. │  0 │ ab │
    ├────┼────┤
 2. │  1 │ ab │
    ├────┼────┤
 3. │  2 │ ab │
    ├────┼────┤
 4. │  3 │ ab │
    ├────┼────┤
 5. │  4 │ ab │
    ├────┼────┤
 6. │  5 │ ab │
    ├────┼────┤
 7. │  6 │ ab │
    ├────┼────┤
 8. │  7 │ ab │
    ├────┼────┤
 9. │  8 │ ab │
    ├────┼────┤
10. │  9 │ ab │
    ├────┼────┤
11. │ 10 │ ab │
    ├────┼────┤
12. │ 11 │ ab │
    ├────┼────┤
13. │ 12 │ ab │
    ├────┼────┤
14. │ 13 │ ab │
    ├────┼────┤
15. │ 14 │ ab │
    ├────┼────┤
16. │ 15 │ ab │
    ├────┼────┤
17. │ 16 │ ab │
    ├────┼────┤
18. │ 17 │ ab │
    ├────┼────┤
19. │ 18 │ ab │
    ├────┼────┤
20. │ 19 │ ab │
    ├────┼────┤
21. │ 20 │ ab │
    ├────┼────┤
22. │ 21 │ ab │
    ├────┼────┤
23. │ 22 │ ab │
    ├────┼────┤
24. │ 23 │ ab │
    ├────┼────┤
25. │ 24 │ ab │
    ├────┼────┤
26. │ 25 │ ab │
    ├────┼────┤
27. │ 26 │ ab │
    ├────┼────┤
28. │ 27 │ ab │
    ├────┼────┤
29. │ 28 │ ab │
    ├────┼────┤
30. │ 29 │ ab │
    ├────┼────┤
31. │ 30 │ ab │
    ├────┼────┤
32. │ 31 │ ab │
    ├────┼────┤
33. │ 32 │ ab │
    ├────┼────┤
34. │ 33 │ ab │
    ├────┼────┤
35. │ 34 │ ab │
    ├────┼────┤
36. │ 35 │ ab │
    ├────┼────┤
37. │ 36 │ ab │
    ├────┼────┤
38. │ 37 │ ab │
    ├────┼────┤
39. │ 38 │ ab │
    ├────┼────┤
40. │ 39 │ ab │
    ├────┼────┤
41. │ 40 │ ab │
    ├────┼────┤
42. │ 41 │ ab │
    ├────┼────┤
43. │ 42 │ ab │
    ├────┼────┤
44. │ 43 │ ab │
    ├────┼────┤
45. │ 44 │ ab │
    ├────┼────┤
46. │ 45 │ ab │
    ├────┼────┤
47. │ 46 │ ab │
    ├────┼────┤
48. │ 47 │ ab │
    ├────┼────┤
49. │ 48 │ ab │
    ├────┼────┤
50. │ 49 │ ab │
    ├────┼────┤
51. │ 50 │ ab │
    ├────┼────┤
52. │ 51 │ ab │
    ┢━━━━╈━━━━┪
    ┃  n ┃ s  ┃
    ┗━━━━┻━━━━┛
)__"},
    {"long", "PrettyCompact", R"__(    ┌──n─┬─s──┐
 1. │  0 │ ab │
 2. │  1 │ ab │
 3. │  2 │ ab │
 4. │  3 │ ab │
 5. │  4 │ ab │
 6. │  5 │ ab │
 7. │  6 │ ab │
 8. │  7 │ ab │
 9. │  8 │ ab │
10. │  9 │ ab │
11. │ 10 │ ab │
12. │ 11 │ ab │
13. │ 12 │ ab │
14. │ 13 │ ab │
15. │ 14 │ ab │
16. │ 15 │ ab │
17. │ 16 │ ab │
18. │ 17 │ ab │
19. │ 18 │ ab │
20. │ 19 │ ab │
21. │ 20 │ ab │
22. │ 21 │ ab │
23. │ 22 │ ab │
24. │ 23 │ ab │
25. │ 24 │ ab │
26. │ 25 │ ab │
27. │ 26 │ ab │
28. │ 27 │ ab │
29. │ 28 │ ab │
30. │ 29 │ ab │
31. │ 30 │ ab │
32. │ 31 │ ab │
33. │ 32 │ ab │
34. │ 33 │ ab │
35. │ 34 │ ab │
36. │ 35 │ ab │
37. │ 36 │ ab │
38. │ 37 │ ab │
39. │ 38 │ ab │
40. │ 39 │ ab │
41. │ 40 │ ab │
42. │ 41 │ ab │
43. │ 42 │ ab │
44. │ 43 │ ab │
45. │ 44 │ ab │
46. │ 45 │ ab │
47. │ 46 │ ab │
48. │ 47 │ ab │
49. │ 48 │ ab │
50. │ 49 │ ab │
51. │ 50 │ ab │
52. │ 51 │ ab │
    └──n─┴─s──┘
)__"},
    {"long", "PrettySpace", R"__(      n   s 

 1.   0   ab 
 2.   1   ab 
 3.   2   ab 
 4.   3   ab 
 5.   4   ab 
 6.   5   ab 
 7.   6   ab 
 8.   7   ab 
 9.   8   ab 
10.   9   ab 
11.  10   ab 
12.  11   ab 
13.  12   ab 
14.  13   ab 
15.  14   ab 
16.  15   ab 
17.  16   ab 
18.  17   ab 
19.  18   ab 
20.  19   ab 
21.  20   ab 
22.  21   ab 
23.  22   ab 
24.  23   ab 
25.  24   ab 
26.  25   ab 
27.  26   ab 
28.  27   ab 
29.  28   ab 
30.  29   ab 
31.  30   ab 
32.  31   ab 
33.  32   ab 
34.  33   ab 
35.  34   ab 
36.  35   ab 
37.  36   ab 
38.  37   ab 
39.  38   ab 
40.  39   ab 
41.  40   ab 
42.  41   ab 
43.  42   ab 
44.  43   ab 
45.  44   ab 
46.  45   ab 
47.  46   ab 
48.  47   ab 
49.  48   ab 
50.  49   ab 
51.  50   ab 
52.  51   ab 

      n   s 

)__"},
    // multiline: SELECT number AS n, 'x\nyy' AS m FROM numbers(2)
    {"multiline", "Pretty", R"__(   ┏━━━┳━━━━┓
   ┃ n ┃ m  ┃
   ┡━━━╇━━━━┩
1. │ 0 │ x ↴│
   │   │↳yy │
   ├───┼────┤
2. │ 1 │ x ↴│
   │   │↳yy │
   └───┴────┘
)__"},
    {"multiline", "PrettyCompact", R"__(   ┌─n─┬─m──┐
1. │ 0 │ x ↴│
   │   │↳yy │
2. │ 1 │ x ↴│
   │   │↳yy │
   └───┴────┘
)__"},
    // tip: SELECT 12345678 AS x
    {"tip", "Pretty", R"__(   ┏━━━━━━━━━━┓
   ┃        x ┃
   ┡━━━━━━━━━━┩
1. │ 12345678 │ -- 12.35 million
   └──────────┘
)__"},
    {"tip", "PrettySpace", R"__(           x

1.  12345678  -- 12.35 million
)__"},
    {"tip", "PrettyCompact", R"__(   ┌────────x─┐
1. │ 12345678 │ -- 12.35 million
   └──────────┘
)__"},
    // wide: SELECT 1 AS a, 2 AS b, 3 AS c, 4 AS d, 5 AS e, 'x\ny' AS f
    {"wide", "PrettyCompact", R"__(Row 1:
──────
a: 1
b: 2
c: 3
d: 4
e: 5
f: x
y
)__"},
    // types: SELECT toDecimal64(-1.5, 3) AS dec, true AS b, toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0') AS u, map('a',1,'b\'',2) AS m, (1,'x') AS t, CAST((1,'x') AS Tuple(a Int32, b String)) AS nt, CAST('b' AS Enum8('a'=1,'b'=2)) AS e, toIPv4('1.2.3.4') AS ip4, toIPv6('2001:db8::1') AS ip6, toInt128('-170141183460469231731687303715884105728') AS i128, toDateTime64('2024-01-02 03:04:05.123', 3, 'UTC') AS dt64, -inf AS ninf, toFloat32(0.1) AS f32, [NULL, 1] AS an, ['a\tb', 'q\'t'] AS sa, toFixedString('abc', 3) AS fs
    {"types", "TSV", R"__(-1.5	true	61f0c404-5cb3-11e7-907b-a6006ad3dba0	{'a':1,'b\'':2}	(1,'x')	(1,'x')	b	1.2.3.4	2001:db8::1	-170141183460469231731687303715884105728	2024-01-02 03:04:05.123	-inf	0.1	[NULL,1]	['a\tb','q\'t']	abc
)__"},
    {"types", "CSV", R"__(-1.5,true,"61f0c404-5cb3-11e7-907b-a6006ad3dba0","{'a':1,'b\'':2}",1,"x",1,"x","b","1.2.3.4","2001:db8::1",-170141183460469231731687303715884105728,"2024-01-02 03:04:05.123",-inf,0.1,"[NULL,1]","['a\tb','q\'t']","abc"
)__"},
    {"types", "JSONEachRow", R"__({"dec":-1.5,"b":true,"u":"61f0c404-5cb3-11e7-907b-a6006ad3dba0","m":{"a":1,"b'":2},"t":[1,"x"],"nt":{"a":1,"b":"x"},"e":"b","ip4":"1.2.3.4","ip6":"2001:db8::1","i128":-170141183460469231731687303715884105728,"dt64":"2024-01-02 03:04:05.123","ninf":null,"f32":0.1,"an":[null,1],"sa":["a\tb","q't"],"fs":"abc"}
)__"},
    {"types", "Values", R"__((-1.5,true,'61f0c404-5cb3-11e7-907b-a6006ad3dba0',{'a':1,'b\'':2},(1,'x'),(1,'x'),'b','1.2.3.4','2001:db8::1',-170141183460469231731687303715884105728,'2024-01-02 03:04:05.123',-inf,0.1,[NULL,1],['a\tb','q\'t'],'abc'))__"},
    {"types", "Vertical", R"__(Row 1:
──────
dec:  -1.5
b:    true
u:    61f0c404-5cb3-11e7-907b-a6006ad3dba0
m:    {'a':1,'b\'':2}
t:    (1,'x')
nt:   (1,'x')
e:    b
ip4:  1.2.3.4
ip6:  2001:db8::1
i128: -170141183460469231731687303715884105728 -- -170.14 undecillion
dt64: 2024-01-02 03:04:05.123
ninf: -inf
f32:  0.1
an:   [NULL,1]
sa:   ['a\tb','q\'t']
fs:   abc
)__"},
};

struct Col { std::string name, type; std::vector<std::string> values; };  // "\\N" = NULL

Block makeBlock(const std::vector<Col>& cols) {
    Block b;
    FormatSettings s;
    for (auto& c : cols) {
        auto t = parseDataType(c.type);
        auto col = createColumn(*t);
        for (auto& v : c.values) deserializeWholeText(*t, *col, v, s);
        b.insert({col, t, c.name});
    }
    return b;
}

std::vector<std::string> rep(const std::string& v, size_t n) { return std::vector<std::string>(n, v); }
std::vector<std::string> seq(size_t n) { std::vector<std::string> r; for (size_t i = 0; i < n; ++i) r.push_back(std::to_string(i)); return r; }

Block mainBlock() {
    return makeBlock({{"n", "UInt64", {"0", "1"}},
                      {"s", "String", {"a\tb\"c'd\\e/", "xü"}},
                      {"nl", "Nullable(Int64)", {"-5", "\\N"}},
                      {"d", "Date", {"2024-01-02", "2024-01-03"}},
                      {"dt", "DateTime('UTC')", {"2024-01-02 03:04:05", "2024-01-02 03:04:06"}},
                      {"arr", "Array(UInt64)", {"[0]", "[0,1]"}},
                      {"f", "Float64", {"0", "0.3333333333333333"}}});
}

Block blockFor(const std::string& id, Block* totals) {
    if (id == "main") return mainBlock();
    if (id == "main_pretty") {
        Block b = mainBlock();
        auto s = makeBlock({{"s", "String", {"b\"c'd\\e/", "xü"}}});
        b.at(1) = s.at(0);
        return b;
    }
    if (id == "totals") {
        *totals = makeBlock({{"k", "UInt8", {"0"}}, {"c", "UInt64", {"5"}}});
        return makeBlock({{"k", "UInt8", {"0", "1"}}, {"c", "UInt64", {"3", "2"}}});
    }
    if (id == "long") return makeBlock({{"n", "UInt64", seq(52)}, {"s", "String", rep("ab", 52)}});
    if (id == "multiline") return makeBlock({{"n", "UInt64", {"0", "1"}}, {"m", "String", {"x\nyy", "x\nyy"}}});
    if (id == "tip") return makeBlock({{"x", "UInt32", {"12345678"}}});
    if (id == "wide")
        return makeBlock({{"a", "UInt8", {"1"}}, {"b", "UInt8", {"2"}}, {"c", "UInt8", {"3"}}, {"d", "UInt8", {"4"}},
                          {"e", "UInt8", {"5"}}, {"f", "String", {"x\ny"}}});
    if (id == "types")
        return makeBlock({{"dec", "Decimal(18, 3)", {"-1.5"}},
                          {"b", "Bool", {"true"}},
                          {"u", "UUID", {"61f0c404-5cb3-11e7-907b-a6006ad3dba0"}},
                          {"m", "Map(String, UInt8)", {"{'a':1,'b\\'':2}"}},
                          {"t", "Tuple(UInt8, String)", {"(1,'x')"}},
                          {"nt", "Tuple(a Int32, b String)", {"(1,'x')"}},
                          {"e", "Enum8('a' = 1, 'b' = 2)", {"b"}},
                          {"ip4", "IPv4", {"1.2.3.4"}},
                          {"ip6", "IPv6", {"2001:db8::1"}},
                          {"i128", "Int128", {"-170141183460469231731687303715884105728"}},
                          {"dt64", "DateTime64(3, 'UTC')", {"2024-01-02 03:04:05.123"}},
                          {"ninf", "Float64", {"-inf"}},
                          {"f32", "Float32", {"0.1"}},
                          {"an", "Array(Nullable(UInt8))", {"[NULL,1]"}},
                          {"sa", "Array(String)", {"['a\\tb','q\\'t']"}},
                          {"fs", "FixedString(3)", {"abc"}}});
    ADD_FAILURE() << "unknown query id " << id;
    return {};
}

std::string render(const std::string& format, const Block& b, const Block* totals, FormatSettings s = {}) {
    std::string out;
    auto f = createOutputFormat(format, b.cloneEmpty(), [&](std::string_view d) { out += d; }, s);
    f->writePrefix();
    if (b.rows()) f->write(b);
    if (totals && totals->columns()) f->writeTotals(*totals);
    f->writeSuffix(OutputStatistics{0.5, 2, 16});
    f->flush();
    return out;
}

std::string text(const DataTypePtr& t, const IColumn& c, size_t row, TextStyle st, FormatSettings s = {}) {
    std::string out;
    serializeText(*t, c, row, out, st, s);
    return out;
}

std::string roundTrip(const std::string& type, const std::string& value, TextStyle st = TextStyle::Escaped) {
    auto t = parseDataType(type);
    auto c = createColumn(*t);
    FormatSettings s;
    deserializeWholeText(*t, *c, value, s);
    return text(t, *c, 0, st);
}

int parseErrorCode(const std::string& type, const std::string& value) {
    auto t = parseDataType(type);
    auto c = createColumn(*t);
    try {
        deserializeWholeText(*t, *c, value, FormatSettings{});
    } catch (const Exception& e) {
        EXPECT_EQ(c->size(), 0u) << "column changed on error";
        return e.code();
    }
    return 0;
}

}  // namespace

TEST(OutputFormats, MatchClickHouseByteForByte) {
    for (auto& oc : kOracle) {
        Block totals;
        Block b = blockFor(oc.query_id, &totals);
        EXPECT_EQ(render(oc.format, b, &totals), std::string(oc.text)) << oc.query_id << " / " << oc.format;
    }
}

TEST(OutputFormats, EmptyResultAndNullFormat) {
    Block b = makeBlock({{"x", "UInt64", {}}});
    EXPECT_EQ(render("TSV", b, nullptr), "");
    EXPECT_EQ(render("PrettyCompact", b, nullptr), "");
    EXPECT_EQ(render("Null", mainBlock(), nullptr), "");
    EXPECT_EQ(render("JSON", b, nullptr),
              "{\n\t\"meta\":\n\t[\n\t\t{\n\t\t\t\"name\": \"x\",\n\t\t\t\"type\": \"UInt64\"\n\t\t}\n\t],\n\n\t\"data\":\n\t[\n\n\t],\n\n"
              "\t\"rows\": 0,\n\n\t\"statistics\":\n\t{\n\t\t\"elapsed\": 0.5,\n\t\t\"rows_read\": 2,\n\t\t\"bytes_read\": 16\n\t}\n}\n");
}

TEST(OutputFormats, JSONQuote64BitSetting) {
    Block b = makeBlock({{"a", "UInt64", {"5"}}, {"b", "Int32", {"1"}}, {"c", "Float64", {"nan"}}});
    FormatSettings s;
    s.json_quote_64bit_integers = true;
    EXPECT_EQ(render("JSONEachRow", b, nullptr, s), "{\"a\":\"5\",\"b\":1,\"c\":null}\n");
    s.json_quote_denormals = true;
    EXPECT_EQ(render("JSONEachRow", b, nullptr, s), "{\"a\":\"5\",\"b\":1,\"c\":\"nan\"}\n");
}

TEST(OutputFormats, RowBinary) {
    Block b = makeBlock({{"a", "UInt8", {"1"}}, {"s", "String", {"ab"}}, {"u", "UUID", {"61f0c404-5cb3-11e7-907b-a6006ad3dba0"}},
                         {"arr", "Array(Int16)", {"[1]"}}, {"n", "Nullable(Int8)", {"\\N"}}});
    std::string expect("\x01\x02" "ab"
                       "\xe7\x11\xb3\x5c\x04\xc4\xf0\x61\xa0\xdb\xd3\x6a\x00\xa6\x7b\x90"
                       "\x01\x01\x00" "\x01", 24);
    EXPECT_EQ(render("RowBinary", b, nullptr), expect);
}

TEST(OutputFormats, UnknownFormatAndRegistry) {
    try {
        createOutputFormat("NoSuchFormat", mainBlock().cloneEmpty(), [](std::string_view) {}, {});
        FAIL();
    } catch (const Exception& e) { EXPECT_EQ(e.code(), ErrorCodes::UNKNOWN_FORMAT); }
    EXPECT_TRUE(isOutputFormat("PrettyCompact"));
    EXPECT_FALSE(isInputFormat("PrettyCompact"));
    EXPECT_TRUE(isInputFormat("JSONEachRow"));
    EXPECT_TRUE(isOutputFormat("tsv"));
    EXPECT_EQ(canonicalFormatName("jsoneachrow"), "JSONEachRow");
    bool found = false;
    for (auto& [n, in, out] : listFormats()) if (n == "CSVWithNames") found = in && out;
    EXPECT_TRUE(found);
}

TEST(OutputFormats, FlushesLargeOutputInChunks) {
    std::vector<std::string> vals(30000, std::string(100, 'x'));
    Block b = makeBlock({{"s", "String", vals}});
    size_t calls = 0, total = 0;
    auto f = createOutputFormat("TSV", b.cloneEmpty(), [&](std::string_view d) { ++calls; total += d.size(); }, {});
    f->write(b);
    f->flush();
    EXPECT_GE(calls, 2u);
    EXPECT_EQ(total, 30000u * 101);
}

TEST(ValueText, FloatsAsClickHouse) {
    // Expectations from SELECT toString(...) in ClickHouse 26.7.
    EXPECT_EQ(formatFloat(0.1), "0.1");
    EXPECT_EQ(formatFloat(1e21), "1e21");
    EXPECT_EQ(formatFloat(1e-7), "1e-7");
    EXPECT_EQ(formatFloat(123456789012345680000.), "123456789012345680000");
    EXPECT_EQ(formatFloat(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(formatFloat(1e15), "1000000000000000");
    EXPECT_EQ(formatFloat(1e16), "10000000000000000");
    EXPECT_EQ(formatFloat(-0.0), "-0");
    EXPECT_EQ(formatFloat(5e-324), "5e-324");
    EXPECT_EQ(formatFloat32(16777216.f), "16777216");
    EXPECT_EQ(formatFloat32(3.4e38f), "3.4e38");
    EXPECT_EQ(formatFloat32(0.1f), "0.1");
    EXPECT_EQ(formatFloat(100000000000000000000.), "100000000000000000000");
    EXPECT_EQ(formatFloat(std::nan("")), "nan");
    EXPECT_EQ(formatFloat(-INFINITY), "-inf");
}

TEST(ValueText, ParsingMatchesClickHouse) {
    // CAST('x' AS T) results from ClickHouse 26.7.
    EXPECT_EQ(roundTrip("UInt8", "300"), "44");
    EXPECT_EQ(roundTrip("Int8", "-129"), "127");
    EXPECT_EQ(roundTrip("Int32", "+1"), "1");
    EXPECT_EQ(roundTrip("Int64", "99999999999999999999"), "7766279631452241919");
    EXPECT_EQ(roundTrip("UInt64", "18446744073709551616"), "0");
    EXPECT_EQ(roundTrip("UInt64", "18446744073709551615"), "18446744073709551615");
    EXPECT_EQ(roundTrip("Float64", "1e3"), "1000");
    EXPECT_EQ(roundTrip("Float64", "inf"), "inf");
    EXPECT_EQ(roundTrip("Date", "20240102"), "2024-01-02");
    EXPECT_EQ(roundTrip("Date", "2024-1-2"), "2024-01-02");
    EXPECT_EQ(roundTrip("Date", "2024-13-01"), "1970-01-01");
    EXPECT_EQ(roundTrip("Date", "2149-06-07"), "2149-06-06");
    EXPECT_EQ(roundTrip("Date", "1969-01-01"), "1970-01-01");
    EXPECT_EQ(roundTrip("DateTime('UTC')", "2024-01-02 3:04:05"), "2024-01-02 03:04:05");
    EXPECT_EQ(roundTrip("DateTime('UTC')", "1700000000"), "2023-11-14 22:13:20");
    EXPECT_EQ(roundTrip("DateTime('UTC')", "2024-01-02"), "2024-01-02 00:00:00");
    EXPECT_EQ(roundTrip("DateTime('UTC')", "2024-01-02T03:04:05"), "2024-01-02 03:04:05");
    EXPECT_EQ(roundTrip("DateTime('UTC')", "2106-02-08 00:00:00"), "2106-02-07 06:28:15");
    EXPECT_EQ(roundTrip("DateTime('UTC')", "1969-12-31 23:59:59"), "1970-01-01 00:00:00");
    EXPECT_EQ(roundTrip("DateTime('Europe/Berlin')", "2024-03-31 02:30:00"), "2024-03-31 01:30:00");
    EXPECT_EQ(roundTrip("DateTime64(3, 'UTC')", "2024-01-02 03:04:05.1234567"), "2024-01-02 03:04:05.123");
    EXPECT_EQ(roundTrip("DateTime64(3, 'UTC')", "1969-12-31 23:59:59.999"), "1969-12-31 23:59:59.999");
    EXPECT_EQ(roundTrip("Bool", "yes") + roundTrip("Bool", "0") + roundTrip("Bool", "FALSE") + roundTrip("Bool", "on"),
              "truefalsefalsetrue");
    EXPECT_EQ(roundTrip("Decimal(10, 2)", "1.234"), "1.23");
    EXPECT_EQ(roundTrip("Decimal(10, 2)", "1e2"), "100");
    EXPECT_EQ(roundTrip("Decimal(10, 0)", "1.5"), "1");
    EXPECT_EQ(roundTrip("Enum8('a' = 1)", "1"), "a");
    EXPECT_EQ(roundTrip("Nullable(Int32)", "NULL"), "\\N");
    EXPECT_EQ(roundTrip("Nullable(Int32)", "\\N"), "\\N");
    EXPECT_EQ(roundTrip("Nullable(Int32)", ""), "\\N");
    EXPECT_EQ(roundTrip("Array(Int32)", "[1, 2]"), "[1,2]");
    EXPECT_EQ(roundTrip("Tuple(Int32, String)", "(1,'a')"), "(1,'a')");
    EXPECT_EQ(roundTrip("Map(String, Int32)", "{'a':1}"), "{'a':1}");
    EXPECT_EQ(roundTrip("IPv6", "1.2.3.4"), "::ffff:1.2.3.4");
    EXPECT_EQ(roundTrip("UInt128", "340282366920938463463374607431768211455"), "340282366920938463463374607431768211455");
}

TEST(ValueText, ParseErrorsHaveClickHouseCodes) {
    EXPECT_EQ(parseErrorCode("UInt8", "abc"), ErrorCodes::CANNOT_PARSE_TEXT);
    EXPECT_EQ(parseErrorCode("UInt8", "12abc"), ErrorCodes::CANNOT_PARSE_TEXT);
    EXPECT_EQ(parseErrorCode("Int32", "1.5"), ErrorCodes::CANNOT_PARSE_TEXT);
    EXPECT_EQ(parseErrorCode("Int32", " 1"), ErrorCodes::CANNOT_PARSE_TEXT);
    EXPECT_EQ(parseErrorCode("UInt8", "-1"), ErrorCodes::CANNOT_PARSE_NUMBER);
    EXPECT_EQ(parseErrorCode("UInt8", ""), 32);  // ATTEMPT_TO_READ_AFTER_EOF
    EXPECT_EQ(parseErrorCode("Float64", "0x10"), ErrorCodes::CANNOT_PARSE_TEXT);
    EXPECT_EQ(parseErrorCode("Date", "xx"), ErrorCodes::CANNOT_PARSE_DATE);
    EXPECT_EQ(parseErrorCode("DateTime", "bad"), ErrorCodes::CANNOT_PARSE_DATETIME);
    EXPECT_EQ(parseErrorCode("Bool", "maybe"), ErrorCodes::CANNOT_PARSE_BOOL);
    EXPECT_EQ(parseErrorCode("UUID", "xyz"), ErrorCodes::CANNOT_PARSE_UUID);
    EXPECT_EQ(parseErrorCode("FixedString(3)", "abcde"), ErrorCodes::TOO_LARGE_STRING_SIZE);
    EXPECT_EQ(parseErrorCode("Enum8('a' = 1)", "c"), 691);  // UNKNOWN_ELEMENT_OF_ENUM
    EXPECT_EQ(parseErrorCode("IPv4", "1.2.3"), 675);        // CANNOT_PARSE_IPV4
    EXPECT_EQ(parseErrorCode("Array(Int32)", "[1,2"), ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED);
    EXPECT_EQ(parseErrorCode("Array(String)", "[abc]"), ErrorCodes::CANNOT_PARSE_QUOTED_STRING);
    EXPECT_EQ(parseErrorCode("Tuple(Int32, String)", "(1,2)"), ErrorCodes::CANNOT_PARSE_QUOTED_STRING);
    try {
        auto t = parseDataType("UInt8");
        auto c = createColumn(*t);
        deserializeWholeText(*t, *c, "12abc", {});
    } catch (const Exception& e) {
        EXPECT_STREQ(e.what(), "Cannot parse string '12abc' as UInt8: syntax error at position 2 (parsed just '12')");
    }
}

TEST(ValueText, StylesForScalars) {
    Block b = makeBlock({{"s", "String", {"it's\t\\"}}, {"d", "Date", {"2024-01-02"}}, {"n", "Nullable(UInt8)", {"\\N"}},
                         {"e", "Enum8('a\\'b' = 1)", {"a'b"}}});
    auto& s = b.at(0);
    EXPECT_EQ(text(s.type, *s.column, 0, TextStyle::Escaped), "it\\'s\\t\\\\");
    EXPECT_EQ(text(s.type, *s.column, 0, TextStyle::Quoted), "'it\\'s\\t\\\\'");
    EXPECT_EQ(text(s.type, *s.column, 0, TextStyle::CSV), "\"it's\t\\\"");
    EXPECT_EQ(text(s.type, *s.column, 0, TextStyle::JSON), "\"it's\\t\\\\\"");
    EXPECT_EQ(text(s.type, *s.column, 0, TextStyle::Raw), "it's\t\\");
    auto& d = b.at(1);
    EXPECT_EQ(text(d.type, *d.column, 0, TextStyle::Quoted), "'2024-01-02'");
    EXPECT_EQ(text(d.type, *d.column, 0, TextStyle::JSON), "\"2024-01-02\"");
    auto& n = b.at(2);
    EXPECT_EQ(text(n.type, *n.column, 0, TextStyle::Escaped), "\\N");
    EXPECT_EQ(text(n.type, *n.column, 0, TextStyle::Quoted), "NULL");
    EXPECT_EQ(text(n.type, *n.column, 0, TextStyle::JSON), "null");
    auto& e = b.at(3);
    EXPECT_EQ(text(e.type, *e.column, 0, TextStyle::Quoted), "'a\\'b'");
    // Const columns print their single value for any row.
    auto cc = std::make_shared<ColumnConst>(d.column, 5);
    EXPECT_EQ(text(d.type, *cc, 3, TextStyle::Raw), "2024-01-02");
    // Session time zone applies to DateTime without an explicit zone.
    Block t = makeBlock({{"dt", "DateTime", {"2024-01-02 00:00:00"}}});
    FormatSettings ms;
    ms.session_timezone = "Asia/Tokyo";
    EXPECT_EQ(text(t.at(0).type, *t.at(0).column, 0, TextStyle::Raw, ms), "2024-01-02 09:00:00");
}

TEST(InputFormats, RoundTripOracleOutputs) {
    Block header = mainBlock().cloneEmpty();
    for (auto& oc : kOracle) {
        std::string f = oc.format;
        if (std::string(oc.query_id) != "main") continue;
        if (!isInputFormat(f) || f == "TSVRaw") continue;
        auto blocks = parseInputFormat(f, oc.text, header, FormatSettings{});
        ASSERT_EQ(blocks.size(), 1u) << f;
        EXPECT_EQ(blocks[0].rows(), 2u) << f;
        EXPECT_EQ(render(f, blocks[0], nullptr), std::string(oc.text)) << f;
    }
}

TEST(InputFormats, NamesMapColumnsAndMissingGetDefaults) {
    Block header = makeBlock({{"a", "UInt32", {}}, {"b", "String", {}}, {"c", "Nullable(Int8)", {}}});
    auto blocks = parseInputFormat("TSVWithNames", "b\tzzz\ta\nx\t1\t7\ny\t2\t8\n", header, {});
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(render("CSV", blocks[0], nullptr), "7,\"x\",\\N\n8,\"y\",\\N\n");

    blocks = parseInputFormat("JSONEachRow", "{\"b\":\"q\",\"x\":{\"deep\":[1]},\"a\":3}\n{\"a\":\"4\",\"c\":null}\n", header, {});
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(render("CSV", blocks[0], nullptr), "3,\"q\",\\N\n4,\"\",\\N\n");

    blocks = parseInputFormat("Values", "(1, 'a''b', -5), (2,'c',NULL)", header, {});
    EXPECT_EQ(render("Values", blocks[0], nullptr), "(1,'a\\'b',-5),(2,'c',NULL)");

    blocks = parseInputFormat("CSV", "1,\"x,y\",\n2,plain,3\r\n", header, {});
    EXPECT_EQ(render("TSV", blocks[0], nullptr), "1\tx,y\t\\N\n2\tplain\t3\n");

    blocks = parseInputFormat("JSONCompactEachRow", "[1, \"a\", 2]\n[2, \"b\", null]", header, {});
    EXPECT_EQ(render("TSV", blocks[0], nullptr), "1\ta\t2\n2\tb\t\\N\n");

    blocks = parseInputFormat("TSV", "1\ta\t2\n", header, {}, 65536);
    EXPECT_EQ(blocks[0].rows(), 1u);
    EXPECT_TRUE(parseInputFormat("TSV", "", header, {}).empty());
}

TEST(InputFormats, SplitsIntoBlocks) {
    Block header = makeBlock({{"a", "UInt32", {}}});
    std::string data;
    for (int i = 0; i < 10; ++i) data += std::to_string(i) + "\n";
    auto blocks = parseInputFormat("TSV", data, header, {}, 4);
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_EQ(blocks[2].rows(), 2u);
}

TEST(InputFormats, ErrorsCarryRowNumberAndReturnNothing) {
    Block header = makeBlock({{"a", "UInt32", {}}, {"b", "String", {}}});
    auto expectError = [&](const std::string& fmt, const std::string& data, int code, const std::string& needle) {
        try {
            parseInputFormat(fmt, data, header, {});
            ADD_FAILURE() << fmt << ": no error for " << data;
        } catch (const Exception& e) {
            EXPECT_EQ(e.code(), code) << fmt << ": " << e.what();
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    // A malformed field in a streaming text format is an assertion failure (27) in ClickHouse.
    expectError("TSV", "1\ta\nx\tb\n", ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "(at row 2)");
    expectError("TSV", "1\ta\n2\n", ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "(at row 2)");
    expectError("CSV", "1,a\n2,b\n3,\"unterminated\n", ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "(at row 3)");
    expectError("JSONEachRow", "{\"a\":1}\n{\"a\":\"zz\"}\n", ErrorCodes::CANNOT_PARSE_TEXT, "(at row 2)");
    expectError("JSONEachRow", "{\"a\":1,\"a\":2}", ErrorCodes::INCORRECT_DATA, "Duplicate");
    expectError("JSONEachRow", "{\"a\":1", ErrorCodes::CANNOT_READ_ALL_DATA, "(at row 1)");
    expectError("Values", "(1,'a'),(2,b)", ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "(at row 2)");
    expectError("Values", "(1,'a'", ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED, "(at row 1)");
    expectError("NoSuch", "", ErrorCodes::UNKNOWN_FORMAT, "NoSuch");
    FormatSettings strict;
    strict.input_skip_unknown_fields = false;
    try {
        parseInputFormat("JSONEachRow", "{\"zz\":1}", header, strict);
        ADD_FAILURE();
    } catch (const Exception& e) { EXPECT_EQ(e.code(), ErrorCodes::INCORRECT_DATA); }
}

TEST(InputFormats, TSVEscapesAndComposites) {
    Block header = makeBlock({{"s", "String", {}}, {"a", "Array(String)", {}}, {"m", "Map(String, Nullable(UInt8))", {}}});
    auto blocks = parseInputFormat("TSV", "a\\tb\\\\c\\'\t['x\\\\y','q\\'t']\t{'k':NULL}\n", header, {});
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(render("JSONEachRow", blocks[0], nullptr), "{\"s\":\"a\\tb\\\\c'\",\"a\":[\"x\\\\y\",\"q't\"],\"m\":{\"k\":null}}\n");
}

std::string schema(const std::string& fmt, const std::string& data) {
    std::string r;
    for (auto& [n, t] : inferSchema(fmt, data, {})) r += n + " " + t->name() + "\n";
    return r;
}

TEST(SchemaInference, MatchesClickHouseDescribe) {
    // DESCRIBE format(...) results from ClickHouse 26.7.
    EXPECT_EQ(schema("JSONEachRow", R"({"a":1,"b":"x","c":1.5,"d":true,"e":[1,2],"f":null,"g":"2024-01-02","h":"2024-01-02 03:04:05","i":{"x":1},"k":"123"})"),
              "a Nullable(Int64)\nb Nullable(String)\nc Nullable(Float64)\nd Nullable(Bool)\ne Array(Nullable(Int64))\n"
              "f Nullable(String)\ng Nullable(Date)\nh Nullable(DateTime)\ni Tuple(x Nullable(Int64))\nk Nullable(String)\n");
    EXPECT_EQ(schema("TSV", "1\tx\t1.5\t2024-01-02\t[1,2]\t\\N\ttrue\t2024-01-02 03:04:05.123"),
              "c1 Nullable(Int64)\nc2 Nullable(String)\nc3 Nullable(Float64)\nc4 Nullable(Date)\nc5 Array(Nullable(Int64))\n"
              "c6 Nullable(String)\nc7 Nullable(Bool)\nc8 Nullable(DateTime64(9))\n");
    EXPECT_EQ(schema("CSV", "1,\"x\",1.5,2024-01-02,\"[1,2]\",,true"),
              "c1 Nullable(Int64)\nc2 Nullable(String)\nc3 Nullable(Float64)\nc4 Nullable(Date)\nc5 Array(Nullable(Int64))\n"
              "c6 Nullable(String)\nc7 Nullable(Bool)\n");
    EXPECT_EQ(schema("CSVWithNames", "a,b\n1,x"), "a Nullable(Int64)\nb Nullable(String)\n");
    EXPECT_EQ(schema("TSVWithNames", "a\tb\n1\tx"), "a Nullable(Int64)\nb Nullable(String)\n");
    EXPECT_EQ(schema("JSONEachRow", "{\"a\":1}\n{\"a\":1.5}\n{\"a\":null,\"b\":[]}"), "a Nullable(Float64)\nb Array(Nullable(String))\n");
    EXPECT_EQ(schema("JSONEachRow", "{\"a\":18446744073709551615}"), "a Nullable(UInt64)\n");
    EXPECT_EQ(schema("TSV", "1\n1.5"), "c1 Nullable(Float64)\n");
    EXPECT_EQ(schema("CSV", "\"1\",\"abc\""), "c1 Nullable(String)\nc2 Nullable(String)\n");
    EXPECT_EQ(schema("JSONCompactEachRow", "[1,\"a\"]"), "c1 Nullable(Int64)\nc2 Nullable(String)\n");
    EXPECT_EQ(schema("TSV", "(1,2)\t{'a':1}"), "c1 Tuple(Nullable(Int64), Nullable(Int64))\nc2 Map(String, Nullable(Int64))\n");
}

// Streaming input: pieces are cut only at row ends (never inside CSV quotes or JSON strings /
// nested values), header rows are found for the WithNames forms, other formats do not split.
TEST(InputFormats, RowBoundariesForStreamedPieces) {
    RowSplit tsv = rowSplitFor("TSV");
    EXPECT_TRUE(tsv.splittable);
    EXPECT_EQ(lastRowBoundary(tsv, "1\ta\n2\tb\n3\tc"), 8u);
    EXPECT_EQ(lastRowBoundary(tsv, "1\ta"), 0u);
    EXPECT_EQ(rowSplitFor("TabSeparatedWithNamesAndTypes").header_rows, 2u);
    EXPECT_EQ(rowSplitFor("tsvwithnames").header_rows, 1u);   // names are case-insensitive

    RowSplit csv = rowSplitFor("CSVWithNames");
    EXPECT_EQ(csv.header_rows, 1u);
    std::string c = "\"a\",\"b\"\n1,\"x\ny\"\n2,\"\"\"q\"\"\n\"\n3,\"open";
    // Rows end after `\"x\ny\"\n` and after the quoted field holding an escaped quote and a newline.
    EXPECT_EQ(lastRowBoundary(csv, c), c.find("3,"));
    EXPECT_EQ(rowsPrefix(csv, c, 1), c.find("1,"));
    EXPECT_EQ(rowsPrefix(csv, c, 3), c.find("3,"));
    EXPECT_EQ(rowsPrefix(csv, c, 4), std::string::npos);

    RowSplit json = rowSplitFor("JSONEachRow");
    std::string j = "{\"a\": {\"b\": [1,\n2]}, \"s\": \"}\\\"\\n{\"}\n{\"a\": 2}\n{\"a\":";
    EXPECT_EQ(lastRowBoundary(json, j), j.find("{\"a\":", 5) + 9);   // after `{"a": 2}\n`
    EXPECT_EQ(rowsPrefix(json, j, 1), j.find("{\"a\": 2}"));

    for (const char* f : {"Values", "Native", "JSON", "RowBinary", "Parquet", "JSONCompact"}) EXPECT_FALSE(rowSplitFor(f).splittable) << f;
}

// Cuts for parallel parsing of data held whole (file(), request bodies): TSV at any line end,
// JSON*EachRow only where `}` ends a line and `{` starts the next, never inside a pretty-printed
// object or between rows separated by commas.
TEST(InputFormats, RowCutsForParallelParsing) {
    std::string j = "{\"a\":\n  {\"b\": 1}\n}\n{\"a\": 2},\n{\"a\": 3}\n  {\"a\": 4}";
    EXPECT_EQ(nextRowStart("JSONEachRow", j, 0), j.find("{\"a\": 2}"));   // not inside the first object
    EXPECT_EQ(nextRowStart("JSONEachRow", j, j.find("{\"a\": 2}")), j.find("  {\"a\": 4}"));   // "},\n" is not a cut
    EXPECT_EQ(nextRowStart("JSONLines", j, j.find("{\"a\": 4}")), std::string::npos);
    std::string c = "[1, [2,\n3]]\n[4]\n";
    EXPECT_EQ(nextRowStart("JSONCompactEachRow", c, 0), c.find("[4]"));
    EXPECT_EQ(nextRowStart("TSV", "1\n2\n", 0), 2u);
    EXPECT_EQ(nextRowStart("CSV", "1\n2\n", 0), std::string::npos);
    EXPECT_TRUE(isSplittableAtLines("NDJSON"));
    EXPECT_FALSE(isSplittableAtLines("CSV"));
}

// Parallel parsing of a large JSONEachRow text (pretty-printed rows, escapes, commas between some
// rows) gives exactly the rows of a serial parse, in order.
TEST(InputFormats, ParallelJSONEachRowEqualsSerial) {
    std::string data;
    for (size_t i = 0; data.size() < (24u << 20); ++i) {
        if (i % 97 == 0) data += "{\n  \"a\": " + std::to_string(i) + ",\n  \"s\": \"x\\n}\\n{\"\n}\n";
        else if (i % 13 == 0) data += "{\"s\": \"row " + std::to_string(i) + "\", \"a\": " + std::to_string(i) + "},\n";
        else data += "{\"a\": " + std::to_string(i) + ", \"s\": \"row " + std::to_string(i) + "\"}\n";
    }
    Block header;
    header.insert({createColumn(makeType(TypeId::UInt64)), makeType(TypeId::UInt64), "a"});
    header.insert({createColumn(makeType(TypeId::String)), makeType(TypeId::String), "s"});
    auto flatten = [](const std::vector<Block>& blocks) {
        std::vector<std::pair<uint64_t, std::string>> rows;
        for (auto& b : blocks) {
            auto& a = static_cast<const ColumnUInt64&>(*b.at(0).column);
            auto& s = static_cast<const ColumnString&>(*b.at(1).column);
            for (size_t r = 0; r < b.rows(); ++r) rows.emplace_back(a.getData()[r], std::string(s.getView(r)));
        }
        return rows;
    };
    auto serial = flatten(parseInputFormat("JSONEachRow", data, header, FormatSettings{}, 65536));
    auto parallel = flatten(parseInputFormatParallel("JSONEachRow", data, header, FormatSettings{}, 65536, 2));
    ASSERT_GT(serial.size(), 500000u);
    EXPECT_EQ(serial.size(), parallel.size());
    EXPECT_TRUE(serial == parallel);
    EXPECT_EQ(serial[97].second, "x\n}\n{");
    for (size_t i = 0; i < serial.size(); ++i) ASSERT_EQ(serial[i].first, i);
}
