// replication_log_entry_test.cpp — the text form of replication log entries round-trips, and
// malformed text is rejected with BAD_ARGUMENTS (entries come from ZooKeeper: never trusted).
#include <gtest/gtest.h>

#include "common/exception.h"
#include "replication/log_entry.h"

using namespace basalt;

namespace {
ReplicationLogEntry roundTrip(const ReplicationLogEntry& e) { return ReplicationLogEntry::parse(e.toText()); }

int errorCode(const std::string& text) {
    try {
        ReplicationLogEntry::parse(text);
    } catch (const Exception& e) {
        return e.code();
    }
    return 0;
}
}  // namespace

TEST(ReplicationLogEntry, GetPartRoundTrip) {
    ReplicationLogEntry e;
    e.type = ReplicationLogEntry::Type::GetPart;
    e.source_replica = "r1";
    e.block_id = "20261101_0123456789abcdef0123456789abcdef";
    e.new_part_name = "20261101_5_5_0";
    e.create_time = 1795830222;
    auto r = roundTrip(e);
    EXPECT_EQ(r.type, ReplicationLogEntry::Type::GetPart);
    EXPECT_EQ(r.source_replica, "r1");
    EXPECT_EQ(r.block_id, e.block_id);
    EXPECT_EQ(r.new_part_name, "20261101_5_5_0");
    EXPECT_EQ(r.create_time, 1795830222);
    EXPECT_STREQ(r.typeName(), "GET_PART");
}

TEST(ReplicationLogEntry, MergeAndDropRoundTrip) {
    ReplicationLogEntry m;
    m.type = ReplicationLogEntry::Type::MergeParts;
    m.source_replica = "r2";
    m.source_parts = {"all_0_0_0", "all_1_1_0", "all_2_2_0_7"};
    m.new_part_name = "all_0_2_1_7";
    auto r = roundTrip(m);
    EXPECT_EQ(r.type, ReplicationLogEntry::Type::MergeParts);
    EXPECT_EQ(r.source_parts, m.source_parts);
    EXPECT_EQ(r.new_part_name, "all_0_2_1_7");
    EXPECT_TRUE(r.block_id.empty());
    EXPECT_STREQ(r.typeName(), "MERGE_PARTS");

    for (bool detach : {false, true}) {
        ReplicationLogEntry d;
        d.type = ReplicationLogEntry::Type::DropRange;
        d.detach = detach;
        d.new_part_name = "202611_0_42_999999999";
        auto rd = roundTrip(d);
        EXPECT_EQ(rd.type, ReplicationLogEntry::Type::DropRange);
        EXPECT_EQ(rd.detach, detach);
        EXPECT_EQ(rd.new_part_name, "202611_0_42_999999999");
    }
}

TEST(ReplicationLogEntry, MalformedTextIsRejected) {
    EXPECT_EQ(errorCode(""), ErrorCodes::BAD_ARGUMENTS);
    EXPECT_EQ(errorCode("format version: 3\nget\nall_0_0_0\n"), ErrorCodes::BAD_ARGUMENTS);
    EXPECT_EQ(errorCode("format version: 4\nsource replica: r1\nfrobnicate\nx\n"), ErrorCodes::BAD_ARGUMENTS);
    EXPECT_EQ(errorCode("format version: 4\nget\n"), ErrorCodes::BAD_ARGUMENTS);                       // no part
    EXPECT_EQ(errorCode("format version: 4\nmerge\nall_0_0_0\nall_1_1_0\n"), ErrorCodes::BAD_ARGUMENTS);  // no "into"
    EXPECT_EQ(errorCode("format version: 4\nmerge\ninto\nall_0_1_1\n"), ErrorCodes::BAD_ARGUMENTS);        // no sources
    EXPECT_EQ(errorCode("format version: 4\nmerge\nall_0_0_0\ninto\n"), ErrorCodes::BAD_ARGUMENTS);        // no result
}
