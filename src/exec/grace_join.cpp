// grace_join.cpp — bucket files and the scatter step of the grace hash join (see grace_join.h).
#include "exec/grace_join.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "common/exception.h"
#include "exec/block_ops.h"
#include "formats/native.h"

namespace basalt {

namespace {

// Reads a file through a 1 MiB window (the Native reader pulls more as it needs it).
class FileInStream final : public InStream {
public:
    explicit FileInStream(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), buf_(1 << 20) {
        if (fd_ < 0) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open spill file " + path);
        pos = end = buf_.data();
    }
    ~FileInStream() override { ::close(fd_); }
    bool nextBuffer() override {
        ssize_t n = ::read(fd_, buf_.data(), buf_.size());
        if (n < 0) throw Exception(ErrorCodes::CANNOT_READ_FROM_FILE_DESCRIPTOR, "Cannot read spill file");
        pos = buf_.data();
        end = pos + n;
        return n > 0;
    }
    bool atEnd() {
        if (pos < end) return false;
        return !nextBuffer();
    }

private:
    int fd_;
    std::vector<char> buf_;
};

}  // namespace

SpillFile::~SpillFile() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
}

void SpillFile::append(const Block& block) {
    std::string data;
    writeNativeBlock(block, data, false);
    std::lock_guard lock(mutex_);
    if (fd_ < 0) {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd_ < 0) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot create spill file " + path_);
    }
    const char* p = data.data();
    size_t left = data.size();
    while (left) {
        ssize_t n = ::write(fd_, p, left);
        if (n <= 0) throw Exception(ErrorCodes::CANNOT_WRITE_TO_FILE_DESCRIPTOR, "Cannot write spill file " + path_ + " (disk full?)");
        p += n;
        left -= size_t(n);
    }
    bytes_ += data.size();
}

void readSpillFile(const std::string& path, const std::function<void(Block)>& f) {
    FileInStream in(path);
    while (!in.atEnd()) f(readNativeBlock(in, false));
}

void SpillFile::readAll(std::vector<Block>& out) const {
    forEach([&](Block b) { out.push_back(std::move(b)); });
}

Block concatSpilled(const std::vector<Block>& blocks) { return concatBlocks(blocks, blocks[0].cloneEmpty()); }

GraceJoin::GraceJoin(JoinDescription d, const FunctionContext& fctx, Block right_header, size_t buckets, const std::string& dir_parent)
    : d_(std::move(d)), fctx_(fctx), right_header_(std::move(right_header)) {
    std::string tmpl = (dir_parent.empty() ? std::filesystem::temp_directory_path().string() : dir_parent) + "/basalt_join_XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot create a temporary directory for the join spill in " + dir_parent);
    dir_ = buf.data();
    for (size_t b = 0; b < buckets; ++b) {
        right_.push_back(std::make_unique<SpillFile>(dir_ + "/right_" + std::to_string(b) + ".native"));
        left_.push_back(std::make_unique<SpillFile>(dir_ + "/left_" + std::to_string(b) + ".native"));
    }
}

GraceJoin::~GraceJoin() {
    right_.clear();
    left_.clear();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void GraceJoin::scatter(const Block& block, bool right_side, std::vector<std::unique_ptr<SpillFile>>& files) {
    size_t rows = block.rows();
    if (rows == 0) return;
    Block full = block;
    for (auto& c : full.data()) c.column = materialize(c.column);
    const Block& in = full;
    PODArray<uint64_t> hashes;
    HashJoin::keyHashes(d_, fctx_, right_side, in, hashes);
    size_t n = files.size();
    // Buckets from the high bits (the in-memory tables index by the low bits).
    std::vector<Filter> masks(n);
    std::vector<size_t> counts(n, 0);
    for (auto& m : masks) m.resize_fill(rows, uint8_t(0));
    for (size_t i = 0; i < rows; ++i) {
        size_t b = size_t((hashes[i] >> 32) % n);
        masks[b][i] = 1;
        ++counts[b];
    }
    for (size_t b = 0; b < n; ++b) {
        if (counts[b] == 0) continue;
        if (counts[b] == rows) { files[b]->append(in); continue; }
        auto pred = ColumnUInt8::create(rows);
        std::memcpy(pred->getData().data(), masks[b].data(), rows);
        files[b]->append(filterBlock(in, pred));
    }
}

void GraceJoin::addRight(const Block& block) { scatter(block, true, right_); }
void GraceJoin::addLeft(const Block& block) { scatter(block, false, left_); }

size_t GraceJoin::spilledBytes() const {
    size_t s = 0;
    for (auto& f : right_) s += f->bytes();
    for (auto& f : left_) s += f->bytes();
    return s;
}

}  // namespace basalt
