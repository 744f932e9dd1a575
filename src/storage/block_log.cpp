// block_log.cpp — see block_log.h.
#include "storage/block_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/exception.h"
#include "formats/native.h"

namespace fs = std::filesystem;

namespace basalt {

namespace {

// <n>.bin files in numeric order.
std::vector<std::pair<uint64_t, fs::path>> logFiles(const std::string& dir) {
    std::vector<std::pair<uint64_t, fs::path>> files;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (name.size() < 5 || name.substr(name.size() - 4) != ".bin") continue;
        try {
            size_t pos = 0;
            uint64_t n = std::stoull(name, &pos);
            if (pos == name.size() - 4) files.emplace_back(n, e.path());
        } catch (...) {
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

BlockLog::BlockLog(std::string dir) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    auto files = logFiles(dir_);
    if (!files.empty()) next_ = files.back().first + 1;
    // Leftovers of an append interrupted before its rename.
    std::error_code ec;
    for (auto& e : fs::directory_iterator(dir_, ec))
        if (e.path().extension() == ".tmp") fs::remove(e.path(), ec);
}

void BlockLog::append(const std::vector<Block>& blocks) {
    std::string data;
    for (auto& b : blocks)
        if (b.rows()) writeNativeBlock(b, data, false);
    if (data.empty()) return;
    fs::path final_path = fs::path(dir_) / (std::to_string(next_) + ".bin");
    fs::path tmp = fs::path(dir_) / (std::to_string(next_) + ".bin.tmp");
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open " + tmp.string());
    bool ok = ::write(fd, data.data(), data.size()) == ssize_t(data.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), final_path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw Exception(ErrorCodes::CANNOT_FSYNC, "Cannot write " + final_path.string());
    }
    int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    ++next_;
}

std::vector<Block> BlockLog::load() const {
    std::vector<Block> blocks;
    for (auto& [n, path] : logFiles(dir_)) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string data = ss.str();
        MemoryInStream stream(data.data(), data.size());
        try {
            while (stream.pos < stream.end) blocks.push_back(readNativeBlock(stream, false));
        } catch (const Exception& e) {
            throw Exception(ErrorCodes::CORRUPTED_DATA, "Cannot read " + path.string() + ": " + e.what());
        }
    }
    return blocks;
}

void BlockLog::clear() {
    for (auto& [n, path] : logFiles(dir_)) fs::remove(path);
}

StoredBlocks::StoredBlocks(const std::string& dir) {
    if (!dir.empty()) log_.emplace(dir);
    blocks_ = std::make_shared<std::vector<Block>>(log_ ? log_->load() : std::vector<Block>{});
}

std::shared_ptr<const std::vector<Block>> StoredBlocks::snapshot() const {
    std::lock_guard lock(mutex_);
    return blocks_;
}

void StoredBlocks::append(std::vector<Block> blocks) {
    std::lock_guard lock(mutex_);
    if (log_) log_->append(blocks);
    auto next = std::make_shared<std::vector<Block>>(*blocks_);
    for (auto& b : blocks)
        if (b.rows()) next->push_back(std::move(b));
    blocks_ = std::move(next);
}

void StoredBlocks::clear() {
    std::lock_guard lock(mutex_);
    if (log_) log_->clear();
    blocks_ = std::make_shared<std::vector<Block>>();
}

uint64_t StoredBlocks::rows() const {
    uint64_t n = 0;
    for (auto& b : *snapshot()) n += b.rows();
    return n;
}

}  // namespace basalt
