// log_entry.cpp — text form of replication log entries (see log_entry.h).
#include "replication/log_entry.h"

#include <ctime>
#include <sstream>

#include "common/exception.h"

namespace basalt {

namespace {
std::string formatTime(int64_t t) {
    std::time_t tt = std::time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

int64_t parseTime(const std::string& s) {
    std::tm tm{};
    if (!strptime(s.c_str(), "%Y-%m-%d %H:%M:%S", &tm)) return 0;
    return int64_t(timegm(&tm));
}
}  // namespace

const char* ReplicationLogEntry::typeName() const {
    switch (type) {
        case Type::GetPart: return "GET_PART";
        case Type::MergeParts: return "MERGE_PARTS";
        case Type::DropRange: return "DROP_RANGE";
    }
    return "";
}

std::string ReplicationLogEntry::toText() const {
    std::string out = "format version: 4\ncreate_time: " + formatTime(create_time) + "\nsource replica: " + source_replica + "\n";
    if (!block_id.empty()) out += "block_id: " + block_id + "\n";
    switch (type) {
        case Type::GetPart: out += "get\n" + new_part_name + "\n"; break;
        case Type::DropRange: out += std::string(detach ? "detach" : "drop") + "\n" + new_part_name + "\n"; break;
        case Type::MergeParts:
            out += "merge\n";
            for (auto& p : source_parts) out += p + "\n";
            out += "into\n" + new_part_name + "\n";
            break;
    }
    return out;
}

ReplicationLogEntry ReplicationLogEntry::parse(const std::string& text) {
    ReplicationLogEntry e;
    std::istringstream in(text);
    std::string line;
    auto bad = [&](const std::string& why) { return Exception(ErrorCodes::BAD_ARGUMENTS, "Bad replication log entry (" + why + "): " + text.substr(0, 200)); };
    if (!std::getline(in, line) || line != "format version: 4") throw bad("format version");
    std::string kind;
    while (std::getline(in, line)) {
        if (line.rfind("create_time: ", 0) == 0) e.create_time = parseTime(line.substr(13));
        else if (line.rfind("source replica: ", 0) == 0) e.source_replica = line.substr(16);
        else if (line.rfind("block_id: ", 0) == 0) e.block_id = line.substr(10);
        else { kind = line; break; }
    }
    if (kind == "get" || kind == "drop" || kind == "detach") {
        e.type = kind == "get" ? Type::GetPart : Type::DropRange;
        e.detach = kind == "detach";
        if (!std::getline(in, e.new_part_name) || e.new_part_name.empty()) throw bad("part name");
    } else if (kind == "merge") {
        e.type = Type::MergeParts;
        bool into = false;
        while (std::getline(in, line)) {
            if (line == "into") { into = true; break; }
            if (!line.empty()) e.source_parts.push_back(line);
        }
        if (!into || e.source_parts.empty() || !std::getline(in, e.new_part_name) || e.new_part_name.empty()) throw bad("merge");
    } else {
        throw bad("type '" + kind + "'");
    }
    return e;
}

}  // namespace basalt
