// compression_test.cpp — the compression module (src/compression/): CityHash128 v1.0.2, every codec
// and codec chain round-tripping awkward data, byte compatibility with column files written by real
// ClickHouse (decoded value by value, re-encoded byte for byte where the codec is deterministic, and
// their checksums.txt hashes reproduced), CODEC(...) parsing with ClickHouse's descriptions and error
// codes, damaged blocks, and the column-file writer/reader with marks.
//
// The ClickHouse fixtures are wide-part column files written by ClickHouse 26.7 (chDB) for
//   CREATE TABLE t (a UInt32 CODEC(NONE), b UInt32 CODEC(LZ4), c UInt32 CODEC(ZSTD(3)),
//     d UInt32 CODEC(Delta, LZ4), e UInt64 CODEC(DoubleDelta), f Float64 CODEC(Gorilla),
//     g Int32 CODEC(T64), h Int64 CODEC(T64('bit'), ZSTD), i UInt16 CODEC(Delta(8)),
//     j Float32 CODEC(Gorilla(8)), k UInt16 CODEC(DoubleDelta(8)),
//     l Int8 CODEC(DoubleDelta, Gorilla, LZ4HC(5))) ... SETTINGS min_bytes_for_wide_part = 0
//   INSERT INTO t SELECT number*7, number*3, number%10, 1000+number*5, 1700000000+number*60+(number%3),
//     number/4, toInt32(number)-20, -1000000+number*number, number, number*1.5, number*3,
//     toInt8(number%7-3) FROM numbers(77)
// and for table t2 (see part2Columns below), with allow_suspicious_codecs = 1.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/city_hash.h"
#include "common/exception.h"
#include "compression/codec.h"
#include "compression/compressed_block.h"
#include "compression/compressed_file.h"
#include "types/data_type.h"

using namespace basalt;

namespace {

// Part all_1_1_0 of table t (see kPart1Values).
const std::vector<std::pair<std::string, std::string>> kPart1 = {
    {"a.bin",
     "3dad63505149d20b5146df8324dcf508023d0100003401000000000000070000000e000000150000001c000000230000"
     "002a00000031000000380000003f000000460000004d000000540000005b000000620000006900000070000000770000"
     "007e000000850000008c000000930000009a000000a1000000a8000000af000000b6000000bd000000c4000000cb0000"
     "00d2000000d9000000e0000000e7000000ee000000f5000000fc000000030100000a01000011010000180100001f0100"
     "00260100002d010000340100003b010000420100004901000050010000570100005e010000650100006c010000730100"
     "007a01000081010000880100008f010000960100009d010000a4010000ab010000b2010000b9010000c0010000c70100"
     "00ce010000d5010000dc010000e3010000ea010000f1010000f8010000ff010000060200000d02000014020000"},
    {"b.bin",
     "ee3f1aec3ccb42f3efda80b3c90e9458824001000034010000f0ff26000000000300000006000000090000000c000000"
     "0f0000001200000015000000180000001b0000001e0000002100000024000000270000002a0000002d00000030000000"
     "3300000036000000390000003c0000003f0000004200000045000000480000004b0000004e0000005100000054000000"
     "570000005a0000005d000000600000006300000066000000690000006c0000006f000000720000007500000078000000"
     "7b0000007e0000008100000084000000870000008a0000008d000000900000009300000096000000990000009c000000"
     "9f000000a2000000a5000000a8000000ab000000ae000000b1000000b4000000b7000000ba000000bd000000c0000000"
     "c3000000c6000000c9000000cc000000cf000000d2000000d5000000d8000000db000000de000000e1000000e4000000"},
    {"c.bin",
     "82573f041ae16c140f67631ae7e9388290440000003401000028b52ffd6034008d010064020000000001000000020000"
     "0003000000040000000500000006000000070000000800000009000200054b29600c3c01"},
    {"d.bin",
     "66cf6cb276a6e6fb6047ba531161769691320000003401000002928282260000003f010000ff02923f01000034010000"
     "0400e803000005000400ff17500005000000"},
    {"e.bin",
     "418c2abfbe749ca1ab04bece1a8f9b04945b0000006802000008004d00000000f15365000000003d0000000000000050"
     "a04a140942812850250a04a140942812850250a04a140942812850250a04a140942812850250a04a140942812850250a"
     "04a140942812850250a040"},
    {"f.bin",
     "387f79e40af7850a3aefa4905f23874c95770000006802000008004d0000000000000000000000c215fec01e601e582f"
     "340f301738237fff9c079a0b9cc07e338e584fcf03ce05ce683f19c73027c31c33c31c3941bfd003cf05ce703f19c734"
     "27c31c33c31c39817f061c18f061c19f061c18f061c1cb0dfe881e802e73c1f8ce39c13e18e19c"},
    {"g.bin",
     "53b3fb087daf76f833902416f3051213938a0000003401000008ecffffffffffffff3800000000000000aaaaaaaaaaaa"
     "aaaacccccccccccccccc0f0f0f0f0f0f0f0f0ff00ff00ff00ff0f0ff0f00f0ff0f00ffff0f000000f0ffffff0f000000"
     "0000aa0a000000000000cc0c0000000000000f0f0000000000000f10000000000000f01f000000000000ff1f00000000"
     "00000000000000000000"},
    {"h.bin",
     "bdb8d157d64c983067bf90899c15b38391c00000006802000002939090b40000000a01000028b52ffd600a000d050082"
     "871a2590398d0154fc2a8c2e9b05b6b940e35803a8ec7e3487057ffdcc4b510c9331a38b64463605ff8fc53732e80cd5"
     "37e9993e21bfc17ee0bc006a56fb73fdb6e832bb9d8a3c9357b951e35051906c56604891e3e9325db94c573698036d49"
     "106d5bca23151f483ca02d0219008000303018180c0c06ee4c062c0323c00830028c004bb905c092cb80150117076768"
     "175604cc0d0499812c201f2e331bca1d"},
    {"i.bin",
     "9006ea7fa7be643471a456290bee4b7a92a50000009a0000000802000001000200030004000400040004000400040004"
     "000400040004000400040004000400040004000400040004000400040004000400040004000400040004000400040004"
     "000400040004000400040004000400040004000400040004000400040004000400040004000400040004000400040004"
     "00040004000400040004000400040004000400040004000400040004000400040004000400"},
    {"j.bin",
     "b66d3262f76478d1818729841d89fab695e500000034010000080400000000260000000000c03f00004040c849000000"
     "feb8e93a0000000f25250000001dcc0000001d909b8000000378e000000069a0000000a860000001e8a0000000ac64ff"
     "a0000000f2d25000000fdcc0000001d9493400000036700000003c94bd00000005860000003f1400000016780000001c"
     "50000000d860000000f90a3e0000003de0e000000068680000002a060000001e8280000002a3e00000006828000000ea"
     "060000000e8680000006a0e000000069e80000002a060000007e8280000002a1e000000068280000006a060000000e8e"
     "8000000e80"},
    {"k.bin",
     "af4903e1d5c0fe434e4fbb28925a933c941d0000009a00000002004d0000000000030000000000000000000000"},
    {"l.bin",
     "116e8afa488530ce38eb420a2a98fe59915a0000004d00000003949582824d00000044000000a195440000002f000000"
     "010600f02694c45dc5e49b26900c0326c9a5fb7e4090fc2d0347d164193e4b10c5f15846378cc131dc56058f62d0347d"
     "1701c3f0b40d1f4590c0"},
    {"checksums.txt",
     "636865636b73756d7320666f726d61742076657273696f6e3a20340a06f430d58b0bb9a1a43b60b9afb2db3e82280300"
     "0045040000ff751a05612e62696ecd022c4bfcfe7c2b0f0ddc5de9cb9e6c00a501b4027dad77a0f791863412ba308414"
     "fd37cb07612e636d726b32328aa5f03425afccc7120c6bc8fa8010150130c916715e6e5091b5472a8ee5358a1eb80562"
     "2e62696ed00217f7dbfe6e69ccbafbc9eba6cbab95f801b402c1d8ee08a55b7cb0bfb1d7a63c81267e07625600171063"
     "ac00ff17545f15cbb140f78fdbe8270f9a7675e86f01b402e995a8feea7fcecb6f5ba8fd97fbbfd00763550016f00f09"
     "636f756e742e74787402c6de9eb24771da1b1ec90f495d26c9310005647100ff174234290e3d297b53f565ae6ba38552"
     "b08401b4020b5c58727d717cafd007364a49a0009907647100162005655500f3176be5760c055da0e1d0668aea97ec53"
     "4fee01e804fc4d1ee988a65b15addc837e4f3a793607655500f015be1d2dcc644be09afd876af73e2865ac0130be43d5"
     "9f3e006a22a91b4785cb36a82f05665500ff18870173e57e784ee4f20648439e780691791a01e804f14efb32968eb79b"
     "e101052397099220076656001710675600f3189a019eb4b3c34eb368098273bf2dc30eec3a01b4020f5fec929c2cced9"
     "ab74b8a950d4d27b076756000f1d021010685600f318d0010b16f81b93597339e27927dd0a1b2d9601e8049d4f4b94f9"
     "4432c3d7ead91bb20ebc92076856000f02011010695600f218b501feda2e4cd518a29429c0ec743aa3e34b019a01aa9c"
     "0c29a9970d50c725b94f5db48d7607695600f0162f7dc62ef14933eddbe10114198225f0690130d51c0c47fec7dd4175"
     "146cba4259006c056a5600f218f50132aa9daa825a9484d1b1a7fb25025e1801b402272c4aa892cbb9da9197ea958f52"
     "dd52076a56000f1f0311106b5600f2172d08d7fc11481526cc02b34616e9cbcc73019a01d5a25f9544e386f213d73a96"
     "5e5c4dfa076b55000fab0011106c5500f2166ac2af65c85ecbbb2a8b364ff840516486014d6f35cda3c422358d5d5f5c"
     "6b69072554076c5400f03a3023973ea64eaffe8577df071a5bb55ec60130ab0881e79c1fb5fc54efb39b58a0aad61273"
     "657269616c697a6174696f6e2e6a736f6ee0061455b63c088d956bccbe36f3aa7a3ea700"},
};
// Part all_1_1_0 of table t2 (see kPart2Values).
const std::vector<std::pair<std::string, std::string>> kPart2 = {
    {"m.bin",
     "15562f32ece98f931596a0a5851eef0d938a0000004d0000008100000000000000004c00000000000000aaaaaaaaaaaa"
     "aaaaccccccccccccccccf0f0f0f0f0f0f0f000ff00ff00ff00ff0000ffff0000ffff00000000ffffffff000000000000"
     "0000aa0a000000000000cc0c000000000000f010000000000000001f0000000000000000000000000000000000000000"
     "0000ff1f000000000000"},
    {"n.bin",
     "37c1d8d324d071b997617314cde1095293fa0000009a0000000750e2ffffffffffff0000000000000000009c38d4700c"
     "a844e07c18b450ec8824c05cf89430cc6804a03cd87410ac48e4801cb854f08c28c460fc9834d06c08a440dc7814b04c"
     "e88420bc58f4902cc864c618e39c738e31c63ef8e0830f7ef0c1fe07e07f00fe0fc0feff1f0000feff3ffeffffffff01"
     "0000feffffffffffffff009c38d4700ca844e07c18b45000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000003907000000000000071f000000000000ff0000000000"
     "000000000000000000000000000000000000ff1f000000000000"},
    {"o.bin",
     "9bda1a64eb4b19c7752d21572a67823f930a030000680200000900e0c27786d2ffff00a0c398a5170000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000e0f000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f000102030"
     "405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0c2670db257fca146eb9035da7f24c96e13b85e03a84d"
     "f2973ce1862bd0751abf6409af54f99e43e88d32d77c21c66b10b55a00a54aef9439de8328cd7217bc61774c21f5ca9e"
     "73481cf1c69a6f4418edc2966b4014e9bd92673b10e5b98e63370ce1b58a5e3308dcb1865a2f04d8ad82562b00d4a97d"
     "5227fbd0a5794e23f7cc866f58402912fbe4cdb59e877059422a13fce5ceb79f88715a432c14fde6cfb8a189725b442d"
     "16fee7d0b9a28b735c452e1700e8d1baa38c745d462f1801e9d26a55ab5ad5aa52957366cc9c193363e67c78f0e0e1c3"
     "8307807f00ff01fc03f8ff7f0000feff03000080ffffffff0300ffffffffffff03000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000e0f000102030405060708090a0000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000006ab51f69b40e58a2fd4791ec30000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000a1754a1ef3c89c71461aefc49800"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000bba48d765e47301902ebd3bca5000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000aa14000000000000cc180000000000000f1f0000000000000f0000000000"
     "0000f01f00000000000000000000000000000000000000000000"},
    {"p.bin",
     "5154be1538be9b1fdef66d55b83af7af918f0000009a0000000293828283000000aa000000d193aa0000009a0000000d"
     "384a000100211c4b0700f23200383b3e4144474a4d505356595c5f6265686b6e7174777a7d808386898c8f9295989b9e"
     "a1a4a7aaadb0b3b6b9bcbfc2c5c8cbced1d4d7dadde0e3e6e9eceff2f54600f0000000f8fbfe0104070a0d101316191c"
     "11000f02001c80f81f000000000000"},
    {"q.bin",
     "f3beb9192aad540539ed71252cbbc90794290000006802000008004d0000000000000000000000157c4a7fb979379e00"
     "000000000000000000"},
    {"r.bin",
     "8a09edf4d0eb1badf939897320d7d39894950000003401000004004d000000c0f2fcff0100000082c2e23178ec8e532f"
     "9acef10711f13714f16717f1971af1c71df1f720f22723f25726f28729f2b72cf2e72ff31732f34735f37738f3a73bf3"
     "d73ef8407841f8437844f8467847f849784af84c784df84f7850f8527853f8557856f8587859f85b785cf85e785ff861"
     "7862f8647865f8677868f86a786bf86d786ef87040"},
    {"s.bin",
     "c18f407fbbcb8dd940b9f7dda900fee8954d0100003401000004004d00000000000000c4f7b99999b0700000101aaaaa"
     "f00aaaaaf0399999b003333350055555300fffffd0055555701cccccd0019999b002aaaaf007ffff9002aaaab00e6666"
     "70019999b002aaaaf007ffff9002aaaab85fffe666670006666680055555c007ffffa001555530039999a80033333400"
     "2aaaae003ffffd000aaaa9803ccccd40019999a00155557001ffffe80055554c00e6666a000ccccd000aaaab800fffff"
     "4002aaaa601f33335000333338002aaaac003ffff2000aaaaf001ccccd80019999c00155556001ffff900055557801e6"
     "666c000cccce000aaaab000ffffc8002aaabc0073333600066667000555558007fffe40015555e00f9999b0003333380"
     "02aaaac003ffff2000aaaaf001ccccd80019999c00155556001ffff900055557801e6666c000cccce000aaaab000ffff"
     "c8002aaabc0073333600066666"},
    {"t.bin",
     "d9a558a203eafc3479939d0906f028f591320000004d000000029282822600000058000000ef92580000004d00000002"
     "0100070e0100101f0d24000e500e0e0e0e0d"},
    {"u.bin",
     "1f31bf2c674fd5cd040275a6988765dd95570000004d0000000401001300000001020304cadf01030188180824c04101"
     "e2080e034070103b808180c40c0412602080f1040701a038081dc040c06206020930104078820380d01c040ee0206031"
     "03010498082038"},
    {"v.bin",
     "ec933c71d6eaf18d04f46bb25add9e379146000000340100000392948282390000002e000000f001942e0000003f0100"
     "000403923f014f000100f00b34010000d0fef0095fffff800100002000000000000000000000"},
    {"w.bin",
     "9bf716e323a1baef5709b779b2208c988223020000680200001300010040b179379e08004062f36e3c080040136da6da"
     "080040c4e6dd780800407560151708004026da4cb5080040d753845308004088cdbbf10800403947f38f080040eac02a"
     "2e0800409b3a62cc0800404cb4996a080040fd2dd108080040aea708a70800405f214045080040109b77e3080040c114"
     "af81080040728ee61f08004023081ebe080040d481555c08004085fb8cfa0800403675c498080040e7eefb3608004098"
     "6833d508004049e26a73080040fa5ba211080040abd5d9af0800405c4f114e0800400dc948ec080040be42808a080040"
     "6fbcb7280800402036efc6080040d1af266508004082295e0308004033a395a1080040e41ccd3f080040959604de0800"
     "4046103c7c080040f789731a080040a803abb8080040597de2560800400af719f5080040bb7051930800406cea883108"
     "00401d64c0cf080040ceddf76d0800407f572f0c08004030d166aa080040e14a9e4808004092c4d5e6080040433e0d85"
     "080040f4b74423080040a5317cc108004056abb35f0800400725ebfd080040b89e229c08004069185a3a0800401a9291"
     "d8080040cb0bc9760800407c8500150800402dff37b3080040de786f510800408ff2a6ef080040406cde8d080040f1e5"
     "152c080040a25f4dca08004053d984680800400453bc06080040b5ccf3a408004066462b4308004017c062e1080040c8"
     "399a7f08004079b3d11d0800402a2d09bc080040dba6405a0800808c2078f800000000"},
    {"x.bin",
     "28525b15d3be8390bb13dbb11206d6e4909d0000006802000028b52ffd606801550400c2061925704f1a03e89ee79557"
     "e2d3ffffff55fdffff87d5e7c927bdfefaebafbffefafbbcefdb4b019752d5cbda97d93e94ed3bb9c94b4ef2918b3ce4"
     "20ffb8c73bcef18d6b3ce318bf582a9489240279381a8c85228138180a848120003863b097abc552b5d24ba810c03ee0"
     "d71012c9370372e35f9d6654b39d7ae8a427db72817c0067c281526b01"},
    {"y.bin",
     "99603e6f9fd3ce463f305a04735a42fd91340000009a0000000292909028000000a500000028b52ffd20a5b500007892"
     "a50000009a00000002000000379e010093285707"},
    {"z.bin",
     "bf55dfc833a7a6e5a68b743a4fff7d6f91c70000006802000002938282bb0000000a010000d1930a0100006802000094"
     "f0d8ff01003f00320001000213aa010013660100134b010022d9260200406d4b92b40400f029718ce3388e731cc7d45a"
     "a9955a29b5526693cd26934d269b781c0ec7e371381c7fe00ff8037ec01f7f00f0ff0380ff1f80ffffff030000e07d00"
     "1f037a000022aa0a15002266060800224b0b080013d91000136d100022710c1800222b050800224d160800228e070800"
     "13f00800220018100022ff1f0800800000000000000000"},
    {"bb.bin",
     "0cff68d132c0dbd8d228f41ffd2ef03f932a0000004d0000000100000000000000000100000000000000499224499224"
     "49922409000000000000"},
    {"checksums.txt",
     "636865636b73756d7320666f726d61742076657273696f6e3a20340a254f2b5b5b70ab38d6ae0e2a2b7236f782c60300"
     "0045050000ff90200662622e62696e3a3cea27ca72ba5a02a2c15e87aee0fc33014dd946955c123843159467301001c2"
     "bdfd0862622e636d726b323023973ea64eaffe8577df071a5bb55ec60130ab0881e79c1fb5fc54efb39b58a0aad60963"
     "6f756e742e74787402c6de9eb24771da1b1ec90f495d26c93100056d2e62696e9a01becb145a6d906d72ae86002fe759"
     "4dcc014d670e14e5ca79a6617e3a14581d47ee85076d71001620056ec600f2188a02fdf64efd13c36b2e49c55b734027"
     "6b83019a01fdfe27976850e21c732da1127a755058076ec700f0162f7dc62ef14933eddbe10114198225f0690130d51c"
     "0c47fec7dd4175146cba4259006c056f5600f2189a06f3b9730b456b68147d2352556a6d18f201e804986f188dfe04cf"
     "9b7bb7b3a51de2047b076f5600f01632be1d2dcc644be09afd876af73e2865ac0130be43d59f3e006a22a91b4785cb36"
     "a82f05705600f2189f0174e5492c22022687dd964d2df0acf536019a010bfd5151d130b5baf33426abe20d2dfa077056"
     "000fac001110715600f217397c87104e239e5330f2d9cb3768476cfe01e804fccf0524928c5f34c667c5b1f841e1b507"
     "7155000fab001110725500f318a50131084b3c141a1e64a52a2d67c836f7ff01b4020af637107b51e0b680823afab266"
     "ca9f07725600f0158aa5f03425afccc7120c6bc8fa8010150130c916715e6e5091b5472a8ee5358a1eb805735600ff18"
     "dd02ceeeb49a24626b5367ff545ddf02116f01b402d987f3a4d700eb2bdc3d67920746a7830773560016f01912736572"
     "69616c697a6174696f6e2e6a736f6e9908eb40ae97601689763c272dcfb1bced600005747c00f21642b9f40da7fab7e3"
     "0b248fae4cb4f8c626014d9b25ef5968bcd06a79bda9d1f41f8d0407747a000fee02102005755400ff16677c866c6ee4"
     "79e9f35f1920260f81d859014ddf7d82d5809fedb94f932b314b489160077554001710765400f217566069806da0ad06"
     "d658476e2e9c7c4a5401b40287a8f7623eaf6315bc7988bb45d11097077655000f79011110775500f318b3044bb0468c"
     "0c4fbbd65f2e63f7a9b4786a01e8045cd84292907b3e44f30db73f8e368773077756000fd0021010785600ff18ad01ef"
     "048183b5c79d507013d93428f770c201e804f14efb32968eb79be101052397099220077856001710795600f217444dc6"
     "40b14209d80322a27f7f344e090c019a01340e8c014fcd8476f3111a496b7ae306077955000f250311107a5500f218d7"
     "014c3bc39ca6138c0c16d5e26b3cda3f9a01e8045b00567cc53dbf14b7632fd058264882077a56000f26030b5085cb36"
     "a82f"},
};

std::string unhex(const std::string& h) {
    std::string out(h.size() / 2, '\0');
    for (size_t i = 0; i < out.size(); ++i) out[i] = char(std::stoi(h.substr(2 * i, 2), nullptr, 16));
    return out;
}

std::map<std::string, std::string> files(const std::vector<std::pair<std::string, std::string>>& part) {
    std::map<std::string, std::string> m;
    for (const auto& [name, hex] : part) m[name] = unhex(hex);
    return m;
}

template <typename T, typename F>
std::string column(size_t rows, F f) {
    std::string s(rows * sizeof(T), '\0');
    for (size_t n = 0; n < rows; ++n) {
        T v = T(f(uint64_t(n)));
        std::memcpy(s.data() + n * sizeof(T), &v, sizeof(T));
    }
    return s;
}

constexpr size_t kRows = 77;

// Expected uncompressed bytes of every column of the two fixture parts.
std::map<std::string, std::string> part1Columns() {
    return {
        {"a.bin", column<uint32_t>(kRows, [](uint64_t n) { return n * 7; })},
        {"b.bin", column<uint32_t>(kRows, [](uint64_t n) { return n * 3; })},
        {"c.bin", column<uint32_t>(kRows, [](uint64_t n) { return n % 10; })},
        {"d.bin", column<uint32_t>(kRows, [](uint64_t n) { return 1000 + n * 5; })},
        {"e.bin", column<uint64_t>(kRows, [](uint64_t n) { return 1700000000 + n * 60 + n % 3; })},
        {"f.bin", column<double>(kRows, [](uint64_t n) { return double(n) / 4; })},
        {"g.bin", column<int32_t>(kRows, [](uint64_t n) { return int32_t(n) - 20; })},
        {"h.bin", column<int64_t>(kRows, [](uint64_t n) { return -1000000 + int64_t(n * n); })},
        {"i.bin", column<uint16_t>(kRows, [](uint64_t n) { return n; })},
        {"j.bin", column<float>(kRows, [](uint64_t n) { return float(double(n) * 1.5); })},
        {"k.bin", column<uint16_t>(kRows, [](uint64_t n) { return n * 3; })},
        {"l.bin", column<int8_t>(kRows, [](uint64_t n) { return int8_t(uint8_t(n % 7 - 3)); })},
    };
}

// CREATE TABLE t2 (m UInt8 CODEC(T64('bit')), n Int16 CODEC(T64), o Int64 CODEC(T64),
//   p Date CODEC(T64, LZ4), q UInt64 CODEC(DoubleDelta), r Int32 CODEC(DoubleDelta),
//   s Float32 CODEC(Gorilla), t UInt8 CODEC(Delta(2), LZ4), u UInt8 CODEC(Gorilla(4)),
//   v UInt32 CODEC(Delta, DoubleDelta, LZ4), w UInt64 CODEC(LZ4HC), x Float64 CODEC(ZSTD(1, 20)),
//   y UInt16 CODEC(Delta, ZSTD(3)), z Decimal64(2) CODEC(T64('bit'), LZ4), bb Bool CODEC(T64))
// INSERT INTO t2 SELECT number % 200, -toInt16(number*100), toInt64(number)*1000000000000 - 50000000000000,
//   toDate(19000 + number*3), number * 11400714819323198485, toInt32(number*number*number) - 200000,
//   toFloat32(number*0.1), toUInt8(number*7), toUInt8(number % 5), toUInt32(number*number),
//   (number * 2654435761) % 4294967296, number * 0.25, toUInt16((number * 40503) % 65536),
//   toDecimal64(number, 2) * 3 - 100, number % 3 = 0 FROM numbers(77)
// Column u (Gorilla(4) over 77 one-byte values) and v (DoubleDelta over Delta's 9+2+308-byte output)
// exercise the "size % width" tail bytes in ClickHouse's own output.
std::map<std::string, std::string> part2Columns() {
    return {
        {"m.bin", column<uint8_t>(kRows, [](uint64_t n) { return n % 200; })},
        {"n.bin", column<int16_t>(kRows, [](uint64_t n) { return -int16_t(n * 100); })},
        {"o.bin", column<int64_t>(kRows, [](uint64_t n) { return int64_t(n) * 1000000000000LL - 50000000000000LL; })},
        {"p.bin", column<uint16_t>(kRows, [](uint64_t n) { return 19000 + n * 3; })},
        {"q.bin", column<uint64_t>(kRows, [](uint64_t n) { return n * 11400714819323198485ULL; })},
        {"r.bin", column<int32_t>(kRows, [](uint64_t n) { return int32_t(n * n * n) - 200000; })},
        {"s.bin", column<float>(kRows, [](uint64_t n) { return float(double(n) * 0.1); })},
        {"t.bin", column<uint8_t>(kRows, [](uint64_t n) { return uint8_t(n * 7); })},
        {"u.bin", column<uint8_t>(kRows, [](uint64_t n) { return n % 5; })},
        {"v.bin", column<uint32_t>(kRows, [](uint64_t n) { return n * n; })},
        {"w.bin", column<uint64_t>(kRows, [](uint64_t n) { return (n * 2654435761ULL) % 4294967296ULL; })},
        {"x.bin", column<double>(kRows, [](uint64_t n) { return double(n) * 0.25; })},
        {"y.bin", column<uint16_t>(kRows, [](uint64_t n) { return (n * 40503) % 65536; })},
        {"z.bin", column<int64_t>(kRows, [](uint64_t n) { return (int64_t(n) * 3 - 100) * 100; })},
        {"bb.bin", column<uint8_t>(kRows, [](uint64_t n) { return n % 3 == 0; })},
    };
}

std::string readAll(CompressedFileReader& r) {
    std::string out;
    char buf[4096];
    while (size_t got = r.readUpTo(buf, sizeof(buf))) out.append(buf, got);
    return out;
}

std::string readFile(const std::string& bytes) {
    CompressedFileReader r{std::string_view(bytes)};
    return readAll(r);
}

// Code and message of the basalt::Exception f throws (0 if none).
std::pair<int, std::string> errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Exception& e) {
        return {e.code(), e.what()};
    }
    return {0, ""};
}

int codeOf(const std::function<void()>& f) { return errorOf(f).first; }

std::string roundTrip(const ICompressionCodec& codec, const std::string& data) {
    std::string block;
    compressBlock(codec, data.data(), data.size(), block);
    std::string out;
    size_t used = decompressBlock(block.data(), block.size(), out);
    EXPECT_EQ(used, block.size());
    return out;
}

size_t compressedSize(const ICompressionCodec& codec, const std::string& data) {
    std::string block;
    return compressBlock(codec, data.data(), data.size(), block);
}

// ---------------------------------------------------------------------------------------------
// Test data: value series of a given width, as raw little-endian bytes.

enum class Series { Random, Sorted, Constant, Timestamps, Floats, SmallRange };

std::string makeSeries(Series kind, unsigned width, size_t count, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::string s(count * width, '\0');
    uint64_t acc = rng();
    double x = 100.0;
    for (size_t i = 0; i < count; ++i) {
        uint64_t v = 0;
        switch (kind) {
            case Series::Random: v = rng(); break;
            case Series::Sorted: acc += rng() % 1000; v = acc; break;
            case Series::Constant: v = 0xABCDEF0123456789ULL; break;
            case Series::Timestamps: v = 1700000000 + i * 15 + (rng() % 100 == 0 ? rng() % 3 : 0); break;
            case Series::Floats:
                x += double(int64_t(rng() % 2001) - 1000) / 1000.0;
                if (width == 8) std::memcpy(&v, &x, 8);
                else { float f = float(x); uint32_t u; std::memcpy(&u, &f, 4); v = u; }
                break;
            case Series::SmallRange: v = uint64_t(int64_t(rng() % 200) - 100); break;
        }
        std::memcpy(s.data() + i * width, &v, width);
    }
    return s;
}

const char* seriesName(Series s) {
    switch (s) {
        case Series::Random: return "random";
        case Series::Sorted: return "sorted";
        case Series::Constant: return "constant";
        case Series::Timestamps: return "timestamps";
        case Series::Floats: return "floats";
        case Series::SmallRange: return "small-range";
    }
    return "?";
}

DataTypePtr intType(unsigned width, bool is_signed) {
    switch (width) {
        case 1: return makeType(is_signed ? TypeId::Int8 : TypeId::UInt8);
        case 2: return makeType(is_signed ? TypeId::Int16 : TypeId::UInt16);
        case 4: return makeType(is_signed ? TypeId::Int32 : TypeId::UInt32);
        default: return makeType(is_signed ? TypeId::Int64 : TypeId::UInt64);
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// CityHash128 v1.0.2

TEST(CompressionCityHash, KnownAnswersFromClickHouseBlocks) {
    // Blocks written by ClickHouse: the first 16 bytes are CityHash128 (low, high) of the rest. The
    // lengths cover each branch of CityHash128: 8..15 bytes, 16..143 (CityMurmur), >= 144 (main loop).
    const char* blocks[] = {
        "2bf8d3b05dbe58f4236083fe659be793020c000000030000002a0000",   // 12 bytes hashed
        "a8a6f32ef8ba0c9f7a7f44cc5c85af92020f00000006000000e803d007b80b",   // 15
        "6db762cf4da07beac3f600aedec934bb02d5000000cc00000054686520717569636b2062726f776e20666f78206a756d"
        "7073206f76657220746865206c617a7920646f6778616263646566676861626364656667686162636465666768616263"
        "646566676861626364656667686162636465666768616263646566676861626364656667686162636465666768616263"
        "646566676861626364656667686162636465666768616263646566676861626364656667686162636465666768616263"
        "64656667686162636465666768616263646566676861626364656667686162636465666768",   // 213
    };
    for (const char* hex : blocks) {
        std::string b = unhex(hex);
        Hash128 expected;
        std::memcpy(&expected.low, b.data(), 8);
        std::memcpy(&expected.high, b.data() + 8, 8);
        Hash128 h = city::cityHash128(b.data() + 16, b.size() - 16);
        EXPECT_EQ(h.low, expected.low) << hex;
        EXPECT_EQ(h.high, expected.high) << hex;
    }
    // Every fixture block (lengths 20..800) as well.
    for (const auto* part : {&kPart1, &kPart2}) {
        for (const auto& [name, bytes] : files(*part)) {
            if (name == "checksums.txt") continue;
            CompressedBlockHeader h = parseCompressedBlockHeader(bytes.data());
            EXPECT_EQ(city::cityHash128(bytes.data() + 16, h.compressed_size), h.checksum) << name;
        }
    }
    // Inputs under 8 bytes never occur in blocks; these values come from an independent port checked
    // against the blocks above, and guard the short-input branches against regressions.
    EXPECT_EQ(city::cityHash128("", 0), (Hash128{0x3df09dfc64c09a2bULL, 0x3cb540c392e51e29ULL}));
    EXPECT_EQ(city::cityHash128("abc", 3), (Hash128{0x900ff195577748feULL, 0x13a9176355b20d7eULL}));
    EXPECT_EQ(city::cityHash128("abcdefg", 7), (Hash128{0x5db75214eff25f1cULL, 0xc48f4415591c490bULL}));
    // cityHash64 moved here from the functions module; its SQL-level values are tested there.
    EXPECT_EQ(city::cityHash64("", 0), 0x9ae16a3b2f90404fULL);
}

TEST(CompressionCityHash, StreamReproducesClickHouseChecksumsTxt) {
    // checksums.txt (format 4) = "checksums format version: 4\n" + one compressed block holding:
    // varint count, then per file: name, varint size, 16-byte hash, is_compressed, [varint uncompressed
    // size, 16-byte uncompressed hash]. Our file and uncompressed hashes must reproduce it.
    for (const auto* part : {&kPart1, &kPart2}) {
        auto f = files(*part);
        const std::string& cs = f["checksums.txt"];
        const std::string prefix = "checksums format version: 4\n";
        ASSERT_EQ(cs.substr(0, prefix.size()), prefix);
        std::string body;
        size_t used = decompressBlock(cs.data() + prefix.size(), cs.size() - prefix.size(), body);
        EXPECT_EQ(prefix.size() + used, cs.size());
        size_t pos = 0;
        auto varint = [&] {
            uint64_t v = 0;
            for (int shift = 0;; shift += 7) {
                uint8_t b = uint8_t(body.at(pos++));
                v |= uint64_t(b & 0x7F) << shift;
                if (!(b & 0x80)) return v;
            }
        };
        auto hash = [&] {
            Hash128 h;
            std::memcpy(&h.low, body.data() + pos, 8);
            std::memcpy(&h.high, body.data() + pos + 8, 8);
            pos += 16;
            return h;
        };
        uint64_t count = varint();
        size_t checked = 0;
        for (uint64_t i = 0; i < count; ++i) {
            uint64_t len = varint();
            std::string name = body.substr(pos, len);
            pos += len;
            uint64_t size = varint();
            Hash128 file_hash = hash();
            bool compressed = body.at(pos++);
            uint64_t usize = 0;
            Hash128 uhash;
            if (compressed) {
                usize = varint();
                uhash = hash();
            }
            if (!f.count(name)) continue;   // marks, columns.txt, ...: not in the fixture
            const std::string& bytes = f[name];
            CityHash128Stream fh;
            fh.update(bytes.data(), bytes.size());
            EXPECT_EQ(size, bytes.size()) << name;
            EXPECT_EQ(fh.digest(), file_hash) << name;
            ASSERT_TRUE(compressed) << name;
            std::string data = readFile(bytes);
            // Uneven update sizes must not change the digest.
            CityHash128Stream uh;
            for (size_t p = 0, step = 1; p < data.size(); p += step, step = step * 3 + 1)
                uh.update(data.data() + p, std::min(step, data.size() - p));
            EXPECT_EQ(usize, data.size()) << name;
            EXPECT_EQ(uh.digest(), uhash) << name;
            ++checked;
        }
        EXPECT_EQ(checked, f.size() - 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Byte compatibility with ClickHouse

TEST(CompressionClickHouseFiles, DecodeEveryColumn) {
    for (auto [part, expected] : {std::pair{&kPart1, part1Columns()}, std::pair{&kPart2, part2Columns()}}) {
        auto f = files(*part);
        for (const auto& [name, want] : expected) {
            ASSERT_TRUE(f.count(name)) << name;
            EXPECT_EQ(readFile(f[name]), want) << name;
        }
    }
}

TEST(CompressionClickHouseFiles, ReencodeIsByteIdentical) {
    // Deterministic codecs must reproduce ClickHouse's blocks exactly (LZ4/ZSTD output depends on the
    // library version, so chains ending in them are only decoded above).
    auto type = [](TypeId id) { return makeType(id); };
    struct Case { const char* file; CodecPtr codec; };
    auto f1 = files(kPart1);
    auto f2 = files(kPart2);
    auto c1 = part1Columns();
    auto c2 = part2Columns();
    std::vector<std::pair<Case, int>> cases = {
        {{"a.bin", makeNoneCodec()}, 1},
        {{"e.bin", makeDoubleDeltaCodec(8)}, 1},
        {{"f.bin", makeGorillaCodec(8)}, 1},
        {{"g.bin", makeT64Codec(*type(TypeId::Int32))}, 1},
        {{"i.bin", makeDeltaCodec(8)}, 1},
        {{"j.bin", makeGorillaCodec(8)}, 1},
        {{"k.bin", makeDoubleDeltaCodec(2)}, 1},
        {{"m.bin", makeT64Codec(*type(TypeId::UInt8), T64Variant::Bit)}, 2},
        {{"n.bin", makeT64Codec(*type(TypeId::Int16))}, 2},
        {{"o.bin", makeT64Codec(*type(TypeId::Int64))}, 2},
        {{"q.bin", makeDoubleDeltaCodec(8)}, 2},
        {{"r.bin", makeDoubleDeltaCodec(4)}, 2},
        {{"s.bin", makeGorillaCodec(4)}, 2},
        {{"u.bin", makeGorillaCodec(4)}, 2},
        {{"bb.bin", makeT64Codec(*type(TypeId::Bool))}, 2},
    };
    for (const auto& [c, part] : cases) {
        const std::string& data = part == 1 ? c1[c.file] : c2[c.file];
        const std::string& ch = part == 1 ? f1[c.file] : f2[c.file];
        std::string block;
        compressBlock(*c.codec, data.data(), data.size(), block);
        EXPECT_EQ(block, ch) << c.file << " with " << c.codec->description();
    }
    // The chain's deterministic prefix: Delta then DoubleDelta (column v) up to the LZ4 stage.
    {
        auto chain = makeMultipleCodec({makeDeltaCodec(4), makeDoubleDeltaCodec(4), makeLZ4Codec()});
        EXPECT_EQ(readFile(f2["v.bin"]), roundTrip(*chain, c2["v.bin"]));
    }
}

TEST(CompressionClickHouseFiles, MethodBytesAndSizes) {
    auto f = files(kPart1);
    struct Expect { const char* file; uint8_t method; };
    for (auto e : {Expect{"a.bin", 0x02}, {"b.bin", 0x82}, {"c.bin", 0x90}, {"d.bin", 0x91}, {"e.bin", 0x94},
                   {"f.bin", 0x95}, {"g.bin", 0x93}, {"i.bin", 0x92}}) {
        CompressedBlockHeader h = parseCompressedBlockHeader(f[e.file].data());
        EXPECT_EQ(h.method, e.method) << e.file;
        EXPECT_EQ(h.totalSize(), f[e.file].size()) << e.file;
        EXPECT_EQ(compressedBlockSize(f[e.file].data(), f[e.file].size()), f[e.file].size());
        EXPECT_EQ(compressedBlockSize(f[e.file].data(), kCompressedBlockHeaderSize - 1), 0u);
    }
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(CompressionCodecs, RoundTripEveryCodecAndChain) {
    std::vector<CodecPtr> generic = {makeNoneCodec(), makeLZ4Codec(), makeLZ4HCCodec(0), makeLZ4HCCodec(12),
                                     makeZSTDCodec(1), makeZSTDCodec(3), makeZSTDCodec(-5), makeZSTDCodec(1, 20)};
    size_t checked = 0;
    for (unsigned width : {1u, 2u, 4u, 8u}) {
        std::vector<CodecPtr> codecs = generic;
        for (unsigned w : {1u, 2u, 4u, 8u}) {   // also widths that do not match the data
            codecs.push_back(makeDeltaCodec(uint8_t(w)));
            codecs.push_back(makeDoubleDeltaCodec(uint8_t(w)));
            codecs.push_back(makeGorillaCodec(uint8_t(w)));
        }
        uint8_t w8 = uint8_t(width);
        codecs.push_back(makeMultipleCodec({makeDeltaCodec(w8), makeLZ4Codec()}));
        codecs.push_back(makeMultipleCodec({makeDoubleDeltaCodec(w8), makeLZ4Codec()}));
        codecs.push_back(makeMultipleCodec({makeGorillaCodec(w8), makeZSTDCodec(3)}));
        codecs.push_back(makeMultipleCodec({makeDeltaCodec(w8), makeDoubleDeltaCodec(w8), makeLZ4HCCodec(9)}));
        codecs.push_back(makeMultipleCodec({makeDoubleDeltaCodec(w8), makeGorillaCodec(w8), makeNoneCodec()}));
        for (Series s : {Series::Random, Series::Sorted, Series::Constant, Series::Timestamps, Series::Floats, Series::SmallRange}) {
            if (s == Series::Floats && width < 4) continue;
            for (size_t count : {size_t(0), size_t(1), size_t(2), size_t(3), size_t(63), size_t(64), size_t(65), size_t(1000)}) {
                std::string aligned = makeSeries(s, width, count, count * 31 + width);
                for (size_t tail = 0; tail < width; ++tail) {
                    std::string data = aligned + std::string("\x11\x22\x33\x44\x55\x66\x77", tail);
                    for (const auto& codec : codecs) {
                        ASSERT_EQ(roundTrip(*codec, data), data)
                            << codec->description() << " width " << width << " " << seriesName(s) << " count " << count << " tail " << tail;
                        ++checked;
                    }
                    // T64 needs whole values, of a type it supports (signed and unsigned).
                    if (tail == 0) {
                        for (bool is_signed : {false, true})
                            for (T64Variant v : {T64Variant::Byte, T64Variant::Bit}) {
                                auto t64 = makeT64Codec(*intType(width, is_signed), v);
                                ASSERT_EQ(roundTrip(*t64, data), data) << t64->description() << " width " << width << " "
                                                                       << seriesName(s) << " count " << count << " signed " << is_signed;
                                auto chain = makeMultipleCodec({t64, makeZSTDCodec(1)});
                                ASSERT_EQ(roundTrip(*chain, data), data);
                                checked += 2;
                            }
                    }
                }
            }
        }
    }
    EXPECT_GT(checked, 10000u);
}

TEST(CompressionCodecs, ExtremeValues) {
    // Delta-of-delta and XOR extremes: the 64-bit class, INT_MIN magnitudes, full-width XORs.
    for (unsigned width : {1u, 2u, 4u, 8u}) {
        std::vector<uint64_t> values = {0, ~uint64_t(0), 0, uint64_t(1) << (8 * width - 1), 1, ~uint64_t(0) >> 1, 0, 0,
                                        uint64_t(1) << (8 * width - 1), 0, 5, ~uint64_t(0), 12345, 1, 0};
        std::string data;
        for (uint64_t v : values) data.append(reinterpret_cast<const char*>(&v), width);
        for (const auto& codec : {makeDeltaCodec(uint8_t(width)), makeDoubleDeltaCodec(uint8_t(width)), makeGorillaCodec(uint8_t(width)),
                                  makeT64Codec(*intType(width, true)), makeT64Codec(*intType(width, false), T64Variant::Bit)})
            EXPECT_EQ(roundTrip(*codec, data), data) << codec->description() << " width " << width;
    }
}

TEST(CompressionCodecs, T64RejectsPartialValues) {
    auto t64 = makeT64Codec(*makeType(TypeId::UInt32));
    std::string data(10, 'x');
    std::string block;
    EXPECT_EQ(codeOf([&] { compressBlock(*t64, data.data(), data.size(), block); }), ErrorCodes::CANNOT_COMPRESS);
    // Without a column type T64 can only decompress.
    auto untyped = parseCodecSpec("T64", nullptr);
    EXPECT_EQ(codeOf([&] { compressBlock(*untyped, data.data(), 8, block); }), ErrorCodes::CANNOT_COMPRESS);
}

TEST(CompressionCodecs, MethodBytesAndDescriptions) {
    EXPECT_EQ(makeNoneCodec()->methodByte(), 0x02);
    EXPECT_EQ(makeLZ4Codec()->methodByte(), 0x82);
    EXPECT_EQ(makeLZ4HCCodec(9)->methodByte(), 0x82);
    EXPECT_EQ(makeZSTDCodec(1)->methodByte(), 0x90);
    EXPECT_EQ(makeMultipleCodec({makeDeltaCodec(4), makeLZ4Codec()})->methodByte(), 0x91);
    EXPECT_EQ(makeDeltaCodec(4)->methodByte(), 0x92);
    EXPECT_EQ(makeT64Codec(*makeType(TypeId::Int32))->methodByte(), 0x93);
    EXPECT_EQ(makeDoubleDeltaCodec(4)->methodByte(), 0x94);
    EXPECT_EQ(makeGorillaCodec(8)->methodByte(), 0x95);
    EXPECT_EQ(defaultCodec()->fullDescription(), "CODEC(LZ4)");
    EXPECT_EQ(makeZSTDCodec(3)->description(), "ZSTD(3)");
    EXPECT_EQ(makeMultipleCodec({makeDeltaCodec(4), makeLZ4Codec()})->fullDescription(), "CODEC(Delta(4), LZ4)");
    EXPECT_EQ(makeMultipleCodec({makeMultipleCodec({makeDeltaCodec(4), makeLZ4Codec()})})->description(), "Delta(4), LZ4");
    for (uint8_t m : {0x02, 0x82, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95}) EXPECT_EQ(codecForMethodByte(m)->methodByte(), m);
    EXPECT_EQ(codeOf([] { codecForMethodByte(0x42); }), ErrorCodes::UNKNOWN_CODEC);
    EXPECT_EQ(codeOf([] { codecForMethodByte(0x9a); }), ErrorCodes::UNKNOWN_CODEC);   // GCD: not implemented
}

// ---------------------------------------------------------------------------------------------
// CODEC(...) parsing

TEST(CompressionCodecParse, DescriptionsMatchClickHouse) {
    // normalizeCodecSpec = system.columns.compression_codec in ClickHouse 26.7 for the same column.
    struct Case { const char* spec; const char* type; bool sanity; const char* expected; };
    const Case cases[] = {
        {"T64", "UInt32", true, "CODEC(T64)"},
        {"T64('bit')", "UInt32", true, "CODEC(T64('bit'))"},
        {"T64('byte'), LZ4", "UInt32", true, "CODEC(T64, LZ4)"},
        {"LZ4HC", "UInt32", true, "CODEC(LZ4HC(0))"},
        {"LZ4HC(0)", "UInt32", true, "CODEC(LZ4HC(0))"},
        {"LZ4HC(20)", "UInt32", true, "CODEC(LZ4HC(20))"},
        {"LZ4HC(-3)", "UInt32", true, "CODEC(LZ4HC(18446744073709551613))"},
        {"ZSTD", "UInt32", true, "CODEC(ZSTD(1))"},
        {"ZSTD(0)", "UInt32", true, "CODEC(ZSTD(0))"},
        {"ZSTD(-1)", "UInt32", true, "CODEC(ZSTD(18446744073709551615))"},
        {"ZSTD(-131073)", "UInt32", true, "CODEC(ZSTD(18446744073709420543))"},
        {"ZSTD(+3)", "UInt32", true, "CODEC(ZSTD(3))"},
        {"ZSTD(0x10)", "UInt32", true, "CODEC(ZSTD(16))"},
        {"ZSTD(1, 20)", "Date", true, "CODEC(ZSTD(1, 20))"},
        {"Delta, ZSTD(3)", "UInt32", true, "CODEC(Delta(4), ZSTD(3))"},
        {" Delta ( 2 ) , LZ4 ", "UInt32", true, "CODEC(Delta(2), LZ4)"},
        {"`Delta`, LZ4", "UInt32", true, "CODEC(Delta(4), LZ4)"},
        {"Delta(), LZ4", "UInt32", true, "CODEC(Delta(4), LZ4)"},
        {"Delta(8), LZ4", "UInt16", true, "CODEC(Delta(8), LZ4)"},
        {"Delta(0x4), LZ4", "UInt32", true, "CODEC(Delta(4), LZ4)"},
        {"Delta(4), LZ4", "String", true, "CODEC(Delta(4), LZ4)"},
        {"Delta, LZ4", "Nullable(UInt32)", true, "CODEC(Delta(4), LZ4)"},
        {"Delta, LZ4", "Array(UInt64)", true, "CODEC(Delta(8), LZ4)"},
        {"Delta, LZ4", "Tuple(a UInt32, b UInt32)", true, "CODEC(Delta(4), LZ4)"},
        {"Delta, LZ4", "Tuple(UInt32, UInt64)", true, "CODEC(Delta, LZ4)"},
        {"Delta, LZ4", "FixedString(4)", true, "CODEC(Delta(4), LZ4)"},
        {"Delta, Default", "Date", true, "CODEC(Delta(2), Default)"},
        {"Default", "Date", true, "CODEC(Default)"},
        {"Gorilla", "Float64", true, "CODEC(Gorilla(8))"},
        {"Gorilla", "Float32", true, "CODEC(Gorilla(4))"},
        {"Gorilla(8)", "Float32", true, "CODEC(Gorilla(8))"},
        {"Gorilla, ZSTD", "Float64", true, "CODEC(Gorilla(8), ZSTD(1))"},
        {"Gorilla, LZ4", "Nullable(Float32)", true, "CODEC(Gorilla(4), LZ4)"},
        {"Gorilla, DoubleDelta, LZ4", "Float64", true, "CODEC(Gorilla(8), DoubleDelta, LZ4)"},
        {"Gorilla", "UInt32", false, "CODEC(Gorilla(4))"},
        {"DoubleDelta, LZ4", "UInt64", true, "CODEC(DoubleDelta, LZ4)"},
        {"DoubleDelta(2), LZ4", "UInt32", true, "CODEC(DoubleDelta, LZ4)"},
        {"DoubleDelta, ZSTD(1)", "DateTime", true, "CODEC(DoubleDelta, ZSTD(1))"},
        {"T64, LZ4", "Nullable(Int32)", true, "CODEC(T64, LZ4)"},
        {"NONE", "UInt32", true, "CODEC(NONE)"},
        {"LZ4()", "UInt32", true, "CODEC(LZ4)"},
        {"Delta(1), LZ4, ZSTD", "Date", false, "CODEC(Delta(1), LZ4, ZSTD(1))"},
    };
    for (const auto& c : cases) {
        auto type = parseDataType(c.type);
        std::string got;
        auto err = errorOf([&] { got = normalizeCodecSpec(c.spec, type.get(), c.sanity); });
        EXPECT_EQ(err.first, 0) << c.spec << " on " << c.type << ": " << err.second;
        EXPECT_EQ(got, c.expected) << c.spec << " on " << c.type;
        if (!err.first) {
            // The codec built is the one for the first data substream.
            auto codec = parseCodecSpec(c.spec, type.get(), c.sanity);
            if (std::string(c.type) != "Tuple(UInt32, UInt64)") {
                EXPECT_EQ(codec->fullDescription(), c.expected) << c.spec;
            }
        }
    }
    // Accepted by ClickHouse (no expectations on the text).
    for (auto [spec, type] : std::vector<std::pair<const char*, const char*>>{
             {"ZSTD(22)", "UInt32"}, {"Delta, DoubleDelta", "UInt32"}, {"DoubleDelta, Delta", "UInt32"},
             {"DoubleDelta(4)", "UInt32"}, {"DoubleDelta", "UInt32"}, {"Delta, LZ4", "Float64"},
             {"DoubleDelta, LZ4", "Float64"}, {"DoubleDelta, LZ4", "Decimal64(2)"}, {"T64, LZ4", "Decimal64(2)"},
             {"T64, LZ4", "DateTime64(3)"}, {"T64, LZ4", "Enum8('a' = 1)"}, {"DoubleDelta, LZ4", "Date"},
             {"T64, LZ4", "Bool"}, {"T64, LZ4", "IPv4"}, {"T64, LZ4", "Date32"}, {"DoubleDelta, LZ4", "IPv4"},
             {"DoubleDelta, LZ4", "Enum16('a' = 1)"}, {"DoubleDelta, LZ4", "Bool"}, {"Gorilla, LZ4", "Tuple(UInt32, Float64)"},
             {"T64, Delta, LZ4", "UInt32"}, {"Delta, T64, LZ4", "UInt32"}, {"T64, LZ4", "Array(Int32)"}, {"NONE()", "UInt32"}}) {
        auto t = parseDataType(type);
        auto err = errorOf([&] { parseCodecSpec(spec, t.get()); });
        EXPECT_EQ(err.first, 0) << spec << " on " << type << ": " << err.second;
    }
    // Suspicious chains pass with the check off.
    for (const char* spec : {"LZ4, Delta", "ZSTD(1), ZSTD(2)", "Gorilla, Delta", "Delta", "Delta, Delta"})
        EXPECT_EQ(codeOf([&] { parseCodecSpec(spec, makeType(TypeId::Date).get(), false); }), 0) << spec;
    EXPECT_EQ(codeOf([] { parseCodecSpec("Gorilla, LZ4", parseDataType("FixedString(4)").get(), false); }), 0);
    // No type: widths default to 1, nothing type-specific is checked.
    EXPECT_EQ(parseCodecSpec("Delta, LZ4", nullptr)->description(), "Delta(1), LZ4");
}

TEST(CompressionCodecParse, ErrorsMatchClickHouse) {
    // Codes and messages of ClickHouse 26.7 for CREATE TABLE ... (x <type> CODEC(<spec>)).
    const std::string note = " (Note: you can enable setting 'allow_suspicious_codecs' to skip this check).";
    struct Case { const char* spec; const char* type; bool sanity; int code; std::string message; };
    const std::vector<Case> cases = {
        {"Foo", "UInt32", true, 432, "Unknown codec family: Foo"},
        {"lz4", "UInt32", true, 432, "Unknown codec family: lz4"},
        {"Delta, Foo", "UInt32", true, 432, "Unknown codec family: Foo"},
        {"NONE, Foo", "UInt32", true, 432, "Unknown codec family: Foo"},
        {"Foo, ZSTD(23)", "UInt32", true, 432, "Unknown codec family: Foo"},
        {"Multiple", "UInt32", true, 432, "Codec Multiple cannot be specified directly"},
        {"ZSTD(23)", "UInt32", true, 433, "ZSTD codec can't have level more than 22, given 23"},
        {"ZSTD(23), Foo", "UInt32", true, 433, "ZSTD codec can't have level more than 22, given 23"},
        {"ZSTD(1,2)", "UInt32", true, 433, "ZSTD codec can't have window log more than 31 and lower than 10, given 2"},
        {"ZSTD(1, 32)", "Date", true, 433, "ZSTD codec can't have window log more than 31 and lower than 10, given 32"},
        {"ZSTD(a)", "UInt32", true, 433, "ZSTD codec argument must be integer"},
        {"ZSTD(a, b)", "UInt32", true, 433, "ZSTD codec argument must be integer"},
        {"ZSTD(1, a)", "Date", true, 433, "ZSTD codec second argument must be integer"},
        {"ZSTD(1,2,3)", "UInt32", true, 431, "ZSTD codec must have 1 or 2 parameters, given 3"},
        {"ZSTD('a')", "UInt32", true, 170, "Bad get: has String, requested UInt64"},
        {"ZSTD(1.5)", "UInt32", true, 170, "Bad get: has Float64, requested UInt64"},
        {"ZSTD(1e1)", "UInt32", true, 170, "Bad get: has Float64, requested UInt64"},
        {"ZSTD(99999999999999999999)", "UInt32", true, 170, "Bad get: has Float64, requested UInt64"},
        {"ZSTD(NULL)", "UInt32", true, 170, "Bad get: has Null, requested UInt64"},
        {"ZSTD(1, '20')", "Date", true, 170, "Bad get: has String, requested UInt64"},
        {"LZ4HC(1,2)", "UInt32", true, 431, "LZ4HC codec must have 1 parameter, given 2"},
        {"LZ4HC('a')", "UInt32", true, 170, "Bad get: has String, requested UInt64"},
        {"LZ4HC(1.5)", "UInt32", true, 170, "Bad get: has Float64, requested UInt64"},
        {"LZ4HC(a)", "Date", true, 433, "LZ4HC codec argument must be integer"},
        {"LZ4(1)", "UInt32", true, 378, "Compression codec LZ4 cannot have arguments"},
        {"NONE(1)", "UInt32", true, 378, "Compression codec NONE cannot have arguments"},
        {"Default(1)", "UInt32", true, 36, "Default codec cannot have any arguments, it's just an alias for codec specified in config.xml"},
        {"Delta(3)", "UInt32", true, 433, "Delta value for delta codec can be 1, 2, 4 or 8, given 3"},
        {"Delta(0), LZ4", "UInt32", true, 433, "Delta value for delta codec can be 1, 2, 4 or 8, given 0"},
        {"Delta(256), LZ4", "UInt32", true, 433, "Delta value for delta codec can be 1, 2, 4 or 8, given 256"},
        {"Delta(3), Foo", "UInt32", true, 433, "Delta value for delta codec can be 1, 2, 4 or 8, given 3"},
        {"Delta(1,2)", "UInt32", true, 431, "Delta codec must have 1 parameter, given 2"},
        {"Delta(2,3,4), LZ4", "UInt32", true, 431, "Delta codec must have 1 parameter, given 3"},
        {"Delta(-1)", "UInt32", true, 433, "Delta codec argument must be unsigned integer"},
        {"Delta(1.5)", "UInt32", true, 433, "Delta codec argument must be unsigned integer"},
        {"Delta(1.0)", "Date", true, 433, "Delta codec argument must be unsigned integer"},
        {"Delta('a'), LZ4", "UInt32", true, 433, "Delta codec argument must be unsigned integer"},
        {"Delta(a)", "Date", true, 433, "Delta codec argument must be unsigned integer"},
        {"Delta(2+2), LZ4", "UInt32", true, 433, "Delta codec argument must be unsigned integer"},
        {"Delta(99999999999999999999), LZ4", "UInt32", true, 433, "Delta codec argument must be unsigned integer"},
        {"DoubleDelta(3), LZ4", "UInt32", true, 433, "Argument value for DoubleDelta codec can be 1, 2, 4 or 8, given 3"},
        {"DoubleDelta(1,2), LZ4", "UInt32", true, 431, "DoubleDelta codec must have 1 parameter, given 2"},
        {"DoubleDelta(-1), LZ4", "UInt32", true, 433, "DoubleDelta codec argument must be unsigned integer"},
        {"DoubleDelta('a')", "Date", true, 433, "DoubleDelta codec argument must be unsigned integer"},
        {"DoubleDelta(a)", "Date", true, 433, "DoubleDelta codec argument must be unsigned integer"},
        {"Gorilla(3), LZ4", "UInt32", true, 433, "Argument value for Gorilla codec can be 1, 2, 4 or 8, given 3"},
        {"Gorilla(3)", "Date", true, 433, "Argument value for Gorilla codec can be 1, 2, 4 or 8, given 3"},
        {"Gorilla(1,2), LZ4", "UInt32", true, 431, "Gorilla codec must have 1 parameter, given 2"},
        {"Gorilla('a')", "Date", true, 433, "Gorilla codec argument must be unsigned integer"},
        {"Gorilla(-1)", "Date", true, 433, "Gorilla codec argument must be unsigned integer"},
        {"T64('foo'), LZ4", "UInt32", true, 433, "Wrong modification for T64: foo"},
        {"T64('byte','bit'), LZ4", "UInt32", true, 431, "T64 support zero or one parameter, given 2"},
        {"T64(1)", "UInt32", true, 170, "Bad get: has UInt64, requested String"},
        {"T64(-1), LZ4", "UInt32", true, 170, "Bad get: has Int64, requested String"},
        {"T64(1.5), LZ4", "UInt32", true, 170, "Bad get: has Float64, requested String"},
        {"T64(bit), LZ4", "UInt32", true, 433, "Wrong modification for T64. Expected: 'bit', 'byte')"},
        {"T64(a)", "Date", true, 433, "Wrong modification for T64. Expected: 'bit', 'byte')"},
        {"T64", "String", true, 431, "T64 codec is not supported for specified type String"},
        {"T64", "Float64", true, 431, "T64 codec is not supported for specified type Float64"},
        {"T64", "UInt128", true, 431, "T64 codec is not supported for specified type UInt128"},
        {"T64, LZ4", "UUID", true, 431, "T64 codec is not supported for specified type UUID"},
        {"Delta", "String", true, 36, "Codec Delta is not applicable for String because the data type is not of fixed size"},
        {"Delta, LZ4", "Nullable(String)", true, 36, "Codec Delta is not applicable for String because the data type is not of fixed size"},
        {"Delta, LZ4", "Array(String)", true, 36, "Codec Delta is not applicable for String because the data type is not of fixed size"},
        {"Delta, LZ4", "Tuple(UInt32, String)", true, 36, "Codec Delta is not applicable for String because the data type is not of fixed size"},
        {"Delta, LZ4", "Map(String, UInt32)", true, 36, "Codec Delta is not applicable for String because the data type is not of fixed size"},
        {"Delta", "LowCardinality(String)", true, 36, "Codec Delta is not applicable for String because the data type is not of fixed size"},
        {"Delta, LZ4", "LowCardinality(Nullable(UInt32))", true, 36,
         "Codec Delta is not applicable for Nullable(UInt32) because the data type is not of fixed size"},
        {"Delta", "Decimal128(3)", true, 36, "Codec Delta is only applicable for data types of size 1, 2, 4, 8 bytes. Given type Decimal(38, 3)"},
        {"Delta", "UInt128", true, 36, "Codec Delta is only applicable for data types of size 1, 2, 4, 8 bytes. Given type UInt128"},
        {"Delta, LZ4", "FixedString(3)", false, 36, "Codec Delta is only applicable for data types of size 1, 2, 4, 8 bytes. Given type FixedString(3)"},
        {"DoubleDelta", "String", true, 36, "Codec DoubleDelta is not applicable for String because the data type is not numeric"},
        {"DoubleDelta(4), LZ4", "String", true, 36, "Codec DoubleDelta is not applicable for String because the data type is not numeric"},
        {"DoubleDelta, LZ4", "UUID", true, 36, "Codec DoubleDelta is not applicable for UUID because the data type is not numeric"},
        {"DoubleDelta(8), LZ4", "UUID", true, 36, "Codec DoubleDelta is not applicable for UUID because the data type is not numeric"},
        {"DoubleDelta, LZ4", "IPv6", true, 36, "Codec DoubleDelta is not applicable for IPv6 because the data type is not numeric"},
        {"DoubleDelta, LZ4", "FixedString(4)", true, 36, "Codec DoubleDelta is not applicable for FixedString(4) because the data type is not numeric"},
        {"DoubleDelta, LZ4", "Decimal128(2)", true, 36, "Codec DoubleDelta is only applicable for data types of size 1, 2, 4, 8 bytes. Given type Decimal(38, 2)"},
        {"DoubleDelta, LZ4", "UInt128", true, 36, "Codec DoubleDelta is only applicable for data types of size 1, 2, 4, 8 bytes. Given type UInt128"},
        {"Gorilla", "String", true, 36, "Codec Gorilla is not applicable for String because the data type is not of fixed size"},
        {"Gorilla, LZ4", "UUID", false, 36, "Codec Gorilla is only applicable for data types of size 1, 2, 4, 8 bytes. Given type UUID"},
        // Chain sanity checks.
        {"LZ4, ZSTD", "UInt32", true, 36, "The combination of compression codecs LZ4, ZSTD(1) is meaningless, because it does not make sense to apply any transformations after generic compression algorithm." + note},
        {"LZ4, Delta", "UInt32", true, 36, "The combination of compression codecs LZ4, Delta(4) is meaningless, because it does not make sense to apply any transformations after generic compression algorithm." + note},
        {"LZ4, LZ4", "UInt32", true, 36, "The combination of compression codecs LZ4, LZ4 is meaningless, because it does not make sense to apply any transformations after generic compression algorithm." + note},
        {"ZSTD(), LZ4", "UInt32", true, 36, "The combination of compression codecs ZSTD(1), LZ4 is meaningless, because it does not make sense to apply any transformations after generic compression algorithm." + note},
        {"ZSTD(1), LZ4HC", "UInt32", true, 36, "The combination of compression codecs ZSTD(1), LZ4HC(0) is meaningless, because it does not make sense to apply any transformations after generic compression algorithm." + note},
        {"NONE, LZ4", "UInt32", true, 36, "It does not make sense to have codec NONE along with other compression codecs: NONE, LZ4." + note},
        {"Delta, LZ4, NONE", "UInt32", true, 36, "It does not make sense to have codec NONE along with other compression codecs: Delta(4), LZ4, NONE." + note},
        {"NONE, NONE", "UInt32", true, 36, "It does not make sense to have codec NONE along with other compression codecs: NONE, NONE." + note},
        {"Delta", "UInt32", true, 36, "Compression codec Delta(4) does not compress anything. You may want to add generic compression algorithm after other transformations, like: Delta(4), LZ4." + note},
        {"Delta(8)", "UInt32", true, 36, "Compression codec Delta(8) does not compress anything. You may want to add generic compression algorithm after other transformations, like: Delta(8), LZ4." + note},
        {"Delta, Delta", "UInt32", true, 36, "Compression codec Delta(4), Delta(4) does not compress anything. You may want to add generic compression algorithm after other transformations, like: Delta(4), Delta(4), LZ4." + note},
        {"Delta", "Array(UInt32)", true, 36, "Compression codec Delta(4) does not compress anything. You may want to add generic compression algorithm after other transformations, like: Delta(4), LZ4." + note},
        {"Gorilla(4)", "UInt32", true, 36, "The combination of compression codecs Gorilla(4) is meaningless, because it does not make sense to apply a floating-point time series codec to non-floating-point columns" + note},
        {"Gorilla", "UInt8", true, 36, "The combination of compression codecs Gorilla(1) is meaningless, because it does not make sense to apply a floating-point time series codec to non-floating-point columns" + note},
        {"Gorilla(4), LZ4", "String", true, 36, "The combination of compression codecs Gorilla(4), LZ4 is meaningless, because it does not make sense to apply a floating-point time series codec to non-floating-point columns" + note},
        {"Gorilla, LZ4", "Decimal32(2)", true, 36, "The combination of compression codecs Gorilla(4), LZ4 is meaningless, because it does not make sense to apply a floating-point time series codec to non-floating-point columns" + note},
        {"DoubleDelta, Gorilla", "UInt32", true, 36, "The combination of compression codecs DoubleDelta, Gorilla(4) is meaningless, because it does not make sense to apply a floating-point time series codec to non-floating-point columns" + note},
        {"Delta, Gorilla, LZ4", "Float64", true, 36, "The combination of compression codecs Delta(8), Gorilla(8), LZ4 is meaningless, because floating point time series codecs do delta compression implicitly by themselves." + note},
        {"DoubleDelta, Gorilla, LZ4", "Float64", true, 36, "The combination of compression codecs DoubleDelta, Gorilla(8), LZ4 is meaningless, because floating point time series codecs do delta compression implicitly by themselves." + note},
        // Malformed lists.
        {"", "UInt32", true, 62, ""},
        {"Delta,", "UInt32", true, 62, ""},
        {"Delta(4) LZ4", "UInt32", true, 62, ""},
        {"Delta(4", "UInt32", true, 62, ""},
        {"ZSTD('abc", "UInt32", true, 62, ""},
    };
    for (const auto& c : cases) {
        auto type = parseDataType(c.type);
        auto [code, message] = errorOf([&] { parseCodecSpec(c.spec, type.get(), c.sanity); });
        EXPECT_EQ(code, c.code) << c.spec << " on " << c.type << ": " << message;
        if (!c.message.empty()) {
            EXPECT_EQ(message, c.message) << c.spec << " on " << c.type;
        }
    }
    // FPC and friends are ClickHouse codecs basalt does not implement.
    EXPECT_EQ(codeOf([] { parseCodecSpec("FPC", makeType(TypeId::Float64).get()); }), ErrorCodes::NOT_IMPLEMENTED);
}

TEST(CompressionCodecParse, GenericPartForStructuralSubstreams) {
    EXPECT_EQ(parseGenericCodecSpec("Delta, LZ4")->description(), "LZ4");
    EXPECT_EQ(parseGenericCodecSpec("T64, ZSTD(3)")->description(), "ZSTD(3)");
    EXPECT_EQ(parseGenericCodecSpec("DoubleDelta")->description(), "NONE");
    EXPECT_EQ(parseGenericCodecSpec("Delta, Default")->description(), "Default");
    EXPECT_EQ(parseGenericCodecSpec("LZ4, ZSTD")->description(), "LZ4, ZSTD(1)");
    EXPECT_EQ(codeOf([] { parseGenericCodecSpec("Foo"); }), ErrorCodes::UNKNOWN_CODEC);
}

// ---------------------------------------------------------------------------------------------
// Damaged blocks

TEST(CompressionBlock, CorruptionIsDetected) {
    std::string data = makeSeries(Series::Timestamps, 4, 5000, 7);
    auto codec = makeMultipleCodec({makeDoubleDeltaCodec(4), makeLZ4Codec()});
    std::string block;
    compressBlock(*codec, data.data(), data.size(), block);
    std::string out;

    // Any flipped byte of checksum, header or payload: checksum mismatch (or a size error first).
    for (size_t i = 0; i < block.size(); ++i) {
        std::string bad = block;
        bad[i] ^= 0x20;
        int code = codeOf([&] { out.clear(); decompressBlock(bad.data(), bad.size(), out); });
        if (i >= 17 && i < 25) {   // size fields: the header may no longer describe this buffer
            EXPECT_TRUE(code == ErrorCodes::CHECKSUM_DOESNT_MATCH || code == ErrorCodes::CANNOT_READ_ALL_DATA ||
                        code == ErrorCodes::TOO_LARGE_SIZE_COMPRESSED || code == ErrorCodes::CORRUPTED_DATA) << i << " " << code;
        } else {
            EXPECT_EQ(code, ErrorCodes::CHECKSUM_DOESNT_MATCH) << "byte " << i;
        }
    }
    auto [code, message] = errorOf([&] {
        std::string bad = block;
        bad[100] ^= 1;
        decompressBlock(bad.data(), bad.size(), out);
    });
    EXPECT_EQ(code, ErrorCodes::CHECKSUM_DOESNT_MATCH);
    EXPECT_NE(message.find("Checksum doesn't match: corrupted data. Reference: "), std::string::npos) << message;

    // Truncation anywhere.
    for (size_t len : {size_t(0), size_t(10), size_t(24), size_t(25), block.size() / 2, block.size() - 1})
        EXPECT_EQ(codeOf([&] { decompressBlock(block.data(), len, out); }), ErrorCodes::CANNOT_READ_ALL_DATA) << len;
}

TEST(CompressionBlock, AbsurdSizesAreRejectedBeforeAllocating) {
    auto withHeader = [](uint8_t method, uint32_t csize, uint32_t usize, std::string payload) {
        std::string b(25, '\0');
        b[16] = char(method);
        std::memcpy(&b[17], &csize, 4);
        std::memcpy(&b[21], &usize, 4);
        b += payload;
        Hash128 h = city::cityHash128(b.data() + 16, b.size() - 16);   // a valid checksum: sizes alone must be caught
        std::memcpy(&b[0], &h.low, 8);
        std::memcpy(&b[8], &h.high, 8);
        return b;
    };
    std::string out;
    auto code = [&](const std::string& b) { return codeOf([&] { out.clear(); decompressBlock(b.data(), b.size(), out); }); };
    EXPECT_EQ(code(withHeader(0x82, 0xFFFFFFF0u, 10, "")), ErrorCodes::TOO_LARGE_SIZE_COMPRESSED);
    EXPECT_EQ(code(withHeader(0x82, (1u << 30) + 1, 10, "")), ErrorCodes::TOO_LARGE_SIZE_COMPRESSED);
    EXPECT_EQ(code(withHeader(0x82, 9 + 4, 0x7FFFFFFF, "abcd")), ErrorCodes::TOO_LARGE_SIZE_COMPRESSED);
    EXPECT_EQ(code(withHeader(0x82, 5, 10, "")), ErrorCodes::CORRUPTED_DATA);
    // Plausible by the 1 GiB limit but impossible for the method: no 900 MB allocation for 13 bytes.
    EXPECT_EQ(code(withHeader(0x82, 9 + 4, 900u << 20, "abcd")), ErrorCodes::CORRUPTED_DATA);
    EXPECT_EQ(code(withHeader(0x02, 9 + 4, 5, "abcd")), ErrorCodes::CORRUPTED_DATA);
    EXPECT_EQ(code(withHeader(0x92, 9 + 4, 100, std::string("\x04\x00\x00\x00", 4))), ErrorCodes::CORRUPTED_DATA);
    EXPECT_EQ(code(withHeader(0x42, 9 + 4, 4, "abcd")), ErrorCodes::UNKNOWN_CODEC);
    // Header claims more than the buffer holds.
    EXPECT_EQ(code(withHeader(0x02, 9 + 100, 100, "abcd")), ErrorCodes::CANNOT_READ_ALL_DATA);
    // Well-formed framing, garbage payloads (valid checksums): a decode error, never a crash.
    EXPECT_EQ(code(withHeader(0x82, 9 + 4, 100, "\xff\xff\xff\xff")), ErrorCodes::CANNOT_DECOMPRESS);
    EXPECT_EQ(code(withHeader(0x90, 9 + 4, 100, "abcd")), ErrorCodes::CANNOT_DECOMPRESS);
    EXPECT_EQ(code(withHeader(0x91, 9 + 1, 100, std::string(1, '\0'))), ErrorCodes::CORRUPTED_DATA);
    EXPECT_EQ(code(withHeader(0x91, 9 + 3, 100, "\x02\x91\x82")), ErrorCodes::CORRUPTED_DATA);   // nested Multiple
    EXPECT_EQ(code(withHeader(0x93, 9 + 1, 8, "\x7f")), ErrorCodes::INCORRECT_DATA);           // T64 magic
    EXPECT_EQ(code(withHeader(0x94, 9 + 2, 8, std::string("\x03\x00", 2))), ErrorCodes::CANNOT_DECOMPRESS);    // width 3
    EXPECT_EQ(code(withHeader(0x95, 9 + 6, 8, std::string("\x04\x00\x09\x00\x00\x00", 6))), ErrorCodes::CANNOT_DECOMPRESS);   // count
}

TEST(CompressionBlock, MutatedPayloadsNeverCrash) {
    // Random byte mutations of valid blocks of every codec, with the checksum recomputed so that the
    // codec's own decoder sees the damage: each must decode or throw a basalt::Exception (ASan/UBSan
    // watch for out-of-bounds access and undefined shifts).
    std::mt19937_64 rng(42);
    std::string ts = makeSeries(Series::Timestamps, 8, 700, 1);
    std::string fl = makeSeries(Series::Floats, 8, 700, 2);
    std::vector<std::pair<CodecPtr, const std::string*>> cases = {
        {makeLZ4Codec(), &ts}, {makeZSTDCodec(3), &ts}, {makeDeltaCodec(8), &ts}, {makeDoubleDeltaCodec(8), &ts},
        {makeDoubleDeltaCodec(2), &ts}, {makeGorillaCodec(8), &fl}, {makeGorillaCodec(1), &fl},
        {makeT64Codec(*makeType(TypeId::Int64)), &ts}, {makeT64Codec(*makeType(TypeId::UInt16), T64Variant::Bit), &ts},
        {makeMultipleCodec({makeDoubleDeltaCodec(8), makeLZ4Codec()}), &ts},
        {makeMultipleCodec({makeT64Codec(*makeType(TypeId::UInt32)), makeDeltaCodec(4), makeZSTDCodec(1)}), &ts},
    };
    size_t decoded = 0, rejected = 0;
    for (const auto& [codec, data] : cases) {
        std::string block;
        compressBlock(*codec, data->data(), data->size(), block);
        for (int iter = 0; iter < 300; ++iter) {
            std::string bad = block;
            int flips = 1 + int(rng() % 4);
            for (int k = 0; k < flips; ++k) bad[25 + rng() % (bad.size() - 25)] ^= char(1 + rng() % 255);
            Hash128 h = city::cityHash128(bad.data() + 16, bad.size() - 16);
            std::memcpy(&bad[0], &h.low, 8);
            std::memcpy(&bad[8], &h.high, 8);
            std::string out;
            try {
                decompressBlock(bad.data(), bad.size(), out);
                ++decoded;
            } catch (const Exception&) {
                ++rejected;
            }
        }
    }
    EXPECT_GT(decoded + rejected, 3000u);
}

// ---------------------------------------------------------------------------------------------
// Column files

TEST(CompressionFile, MarksAndGranuleBoundaries) {
    // Granules of 1000 UInt64 values (8000 bytes); blocks capped at 20000 bytes, and closed at a
    // granule end once they hold >= 12000 bytes (min_compress_block_size).
    const size_t granule_rows = 1000, granules = 37;
    std::string data = makeSeries(Series::Sorted, 8, granule_rows * granules + 123, 5);
    CompressedFileWriter w(makeMultipleCodec({makeDeltaCodec(8), makeLZ4Codec()}), 20000);
    std::vector<std::pair<uint64_t, uint64_t>> marks;
    for (size_t g = 0; g * granule_rows * 8 < data.size(); ++g) {
        marks.push_back({w.compressedOffset(), w.offsetInBlock()});
        size_t begin = g * granule_rows * 8, len = std::min(granule_rows * 8, data.size() - begin);
        w.write(data.data() + begin, len);
        w.nextBlockIfAtLeast(12000);
    }
    w.finish();
    EXPECT_EQ(w.uncompressedBytes(), data.size());
    EXPECT_EQ(w.bytesWritten(), w.data().size());
    // Marks are monotonic; at least some granules start at a block boundary and some inside a block.
    size_t at_boundary = 0;
    for (size_t i = 0; i < marks.size(); ++i) {
        if (marks[i].second == 0) ++at_boundary;
        if (i) {
            EXPECT_TRUE(marks[i] > marks[i - 1]);
        }
        EXPECT_LT(marks[i].second, 20000u);
    }
    EXPECT_GT(at_boundary, 3u);
    EXPECT_LT(at_boundary, marks.size());

    CompressedFileReader r{std::string_view(w.data())};
    EXPECT_EQ(readAll(r), data);
    // Random access by mark, in any order.
    std::mt19937 rng(3);
    for (int k = 0; k < 100; ++k) {
        size_t g = rng() % marks.size();
        r.seek(marks[g].first, marks[g].second);
        size_t begin = g * granule_rows * 8, len = std::min(granule_rows * 8, data.size() - begin);
        std::string got(len, '\0');
        r.read(got.data(), len);
        ASSERT_EQ(got, data.substr(begin, len)) << "granule " << g;
    }
    // skip / eof / exact reads past the end.
    r.seek(marks[0].first, marks[0].second);
    r.skip(data.size() - 10);
    EXPECT_FALSE(r.eof());
    char tail[16];
    EXPECT_EQ(r.readUpTo(tail, 16), 10u);
    EXPECT_TRUE(r.eof());
    EXPECT_EQ(codeOf([&] { r.read(tail, 1); }), ErrorCodes::CANNOT_READ_ALL_DATA);
    EXPECT_EQ(codeOf([&] { r.seek(marks[1].first, 1u << 20); }), ErrorCodes::ARGUMENT_OUT_OF_BOUND);
    EXPECT_EQ(codeOf([&] { r.seek(w.data().size() + 5, 0); }), ErrorCodes::ARGUMENT_OUT_OF_BOUND);
    r.seek(w.data().size(), 0);   // a mark at the very end of the file
    EXPECT_TRUE(r.eof());
}

TEST(CompressionFile, BlockSizingAndDirectPaths) {
    // Writes larger than a block go straight from the caller's memory; reads larger than a block go
    // straight into the caller's buffer. Both must be invisible in the result.
    std::string data = makeSeries(Series::Random, 4, 300000, 9);   // 1.2 MB
    CompressedFileWriter w(makeLZ4Codec(), 65536);
    w.write(data.data(), 1000);
    w.write(data.data() + 1000, 500000);      // fills the pending block, then whole blocks directly
    w.write(data.data() + 501000, data.size() - 501000);
    EXPECT_EQ(w.offsetInBlock(), data.size() % 65536);
    w.finish();
    w.finish();   // idempotent
    EXPECT_EQ(codeOf([&] { w.write("x", 1); }), ErrorCodes::LOGICAL_ERROR);
    // Every block but the last holds exactly 64 KiB.
    size_t pos = 0, blocks = 0;
    while (pos < w.data().size()) {
        CompressedBlockHeader h = parseCompressedBlockHeader(w.data().data() + pos);
        pos += h.totalSize();
        ++blocks;
        if (pos < w.data().size()) {
            EXPECT_EQ(h.uncompressed_size, 65536u);
        }
    }
    EXPECT_EQ(blocks, (data.size() + 65535) / 65536);
    CompressedFileReader r{std::string_view(w.data())};
    std::string got(data.size(), '\0');
    r.read(got.data(), 7);
    r.read(got.data() + 7, 200000);            // crosses blocks, includes whole ones
    r.read(got.data() + 200007, data.size() - 200007);
    EXPECT_EQ(got, data);
    // Empty file: no blocks, immediately at the end.
    CompressedFileWriter empty(makeLZ4Codec());
    empty.finish();
    EXPECT_TRUE(empty.data().empty());
    CompressedFileReader er{std::string_view(empty.data())};
    EXPECT_TRUE(er.eof());
    // A NONE file is served from the read buffer without decompression.
    CompressedFileWriter none(makeNoneCodec(), 1000);
    none.write(data.data(), 5000);
    none.finish();
    CompressedFileReader nr{std::string_view(none.data())};
    EXPECT_EQ(readAll(nr), data.substr(0, 5000));
    EXPECT_EQ(codeOf([] { CompressedFileWriter bad(makeLZ4Codec(), 0); }), ErrorCodes::ARGUMENT_OUT_OF_BOUND);
}

TEST(CompressionFile, RealFileRoundTripAndChecksums) {
    char path[] = "/tmp/basalt_compression_testXXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    std::string data = makeSeries(Series::Timestamps, 8, 100000, 11);
    CityHash128Stream file_hash, data_hash;
    uint64_t written;
    {
        CompressedFileWriter w(path, makeMultipleCodec({makeDoubleDeltaCodec(8), makeZSTDCodec(1)}), 100000);
        for (size_t p = 0; p < data.size(); p += 7777) w.write(data.data() + p, std::min<size_t>(7777, data.size() - p));
        w.finish();
        written = w.bytesWritten();
        data_hash.update(data.data(), data.size());
        EXPECT_EQ(w.uncompressedHash(), data_hash.digest());
        file_hash = CityHash128Stream();
        // The file hash is over the bytes on disk.
        FILE* f = fopen(path, "rb");
        std::string disk;
        char buf[65536];
        while (size_t n = fread(buf, 1, sizeof(buf), f)) disk.append(buf, n);
        fclose(f);
        EXPECT_EQ(disk.size(), written);
        file_hash.update(disk.data(), disk.size());
        EXPECT_EQ(w.fileHash(), file_hash.digest());
    }
    CompressedFileReader r{std::string(path)};
    EXPECT_EQ(r.fileSize(), written);
    EXPECT_EQ(readAll(r), data);
    // Truncated file: the last block is cut off.
    ASSERT_EQ(::truncate(path, off_t(written - 3)), 0);
    CompressedFileReader t{std::string(path)};
    std::string sink(data.size(), '\0');
    EXPECT_EQ(codeOf([&] { t.read(sink.data(), sink.size()); }), ErrorCodes::CANNOT_READ_ALL_DATA);
    ::unlink(path);
    EXPECT_EQ(codeOf([&] { CompressedFileReader missing{std::string(path)}; }), ErrorCodes::FILE_DOESNT_EXIST);
}

TEST(CompressionFile, WriterReproducesClickHouseFile) {
    // The NONE column of the fixture part: same block, same checksum, same checksums.txt hash.
    auto f = files(kPart1);
    std::string data = part1Columns()["a.bin"];
    CompressedFileWriter w(makeNoneCodec());
    w.write(data.data(), data.size());
    w.finish();
    EXPECT_EQ(w.data(), f["a.bin"]);
    CityHash128Stream h;
    h.update(f["a.bin"].data(), f["a.bin"].size());
    EXPECT_EQ(w.fileHash(), h.digest());
}

// ---------------------------------------------------------------------------------------------
// Compression ratios

TEST(CompressionRatio, SpecializedCodecsPayOff) {
    // Regular timestamps (DateTime, one per second with rare jitter): DoubleDelta leaves ~1 bit per value.
    std::string ts(400000, '\0');
    std::mt19937 rng(1);
    for (size_t i = 0; i < 100000; ++i) {
        uint32_t v = uint32_t(1700000000 + i + (rng() % 1000 == 0 ? 1 : 0));
        std::memcpy(&ts[i * 4], &v, 4);
    }
    size_t lz4 = compressedSize(*makeLZ4Codec(), ts);
    size_t dd_lz4 = compressedSize(*parseCodecSpec("DoubleDelta, LZ4", makeType(TypeId::DateTime).get()), ts);
    size_t delta_lz4 = compressedSize(*parseCodecSpec("Delta, LZ4", makeType(TypeId::DateTime).get()), ts);
    EXPECT_LT(dd_lz4 * 10, lz4) << dd_lz4 << " vs " << lz4;
    EXPECT_LT(delta_lz4, lz4);
    EXPECT_LT(dd_lz4, 100000 / 8 + 2000);   // about a bit per value
    // A gauge that changes now and then (repeats cost Gorilla one bit): far below raw storage.
    std::string fl(800000, '\0');
    for (size_t i = 0; i < 100000; ++i) {
        double v = 20.5 + double(i / 100) * 0.25;
        std::memcpy(&fl[i * 8], &v, 8);
    }
    EXPECT_LT(compressedSize(*makeGorillaCodec(8), fl) * 20, fl.size());
    // Small-range integers in a wide type: T64 crops the unused high bits.
    std::string small = makeSeries(Series::SmallRange, 8, 100000, 8);
    EXPECT_LT(compressedSize(*makeT64Codec(*makeType(TypeId::Int64)), small) * 7, small.size());
    // Constant data: T64 keeps only its header.
    std::string constant = makeSeries(Series::Constant, 4, 100000, 0);
    EXPECT_LT(compressedSize(*makeT64Codec(*makeType(TypeId::UInt32)), constant), 64u);
}
