// grace_join.h — spilling for hash joins whose right side does not fit max_bytes_in_join.
//
// With join_algorithm = grace_hash (or auto / partial_merge, which basalt serves the same way), a
// right side that outgrows the limit is split by the hash of its join keys into N bucket files on
// disk; the left side's blocks are split the same way as they stream by. Afterwards each bucket is
// joined on its own with an in-memory HashJoin built from that bucket's right rows only, so memory
// holds about 1/N of the right side at a time. Equal keys always land in the same bucket, so every
// strictness with equi keys (ALL, ANY, SEMI, ANTI, ASOF) and every kind keeps its meaning per bucket.
// Bucket files hold Native blocks (formats/native.h) in a private temporary directory removed when
// the join is destroyed.
#pragma once
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exec/join.h"

namespace basalt {

class SpillFile {
public:
    explicit SpillFile(std::string path) : path_(std::move(path)) {}
    ~SpillFile();
    void append(const Block& block);               // thread-safe
    // Calls f for each block, reading the file sequentially (1 MiB at a time).
    template <typename F>
    void forEach(F&& f) const;
    void readAll(std::vector<Block>& out) const;
    size_t bytes() const { return bytes_; }

private:
    std::string path_;
    mutable std::mutex mutex_;
    int fd_ = -1;
    size_t bytes_ = 0;
};

class GraceJoin {
public:
    // `dir_parent`: where the temporary directory is created.
    GraceJoin(JoinDescription d, const FunctionContext& fctx, Block right_header, size_t buckets, const std::string& dir_parent);
    ~GraceJoin();

    size_t buckets() const { return right_.size(); }
    void addRight(const Block& block);   // thread-safe
    void addLeft(const Block& block);    // thread-safe
    // Joins bucket b: its right rows indexed in memory, its left blocks probed; `emit` receives the
    // joined blocks, then (RIGHT / FULL) the bucket's non-joined right rows.
    template <typename Emit>
    void joinBucket(size_t b, const Block& left_header, Emit&& emit) const;
    size_t spilledBytes() const;

private:
    void scatter(const Block& block, bool right_side, std::vector<std::unique_ptr<SpillFile>>& files);

    JoinDescription d_;
    FunctionContext fctx_;
    std::string dir_;
    std::vector<std::unique_ptr<SpillFile>> right_, left_;
    Block right_header_;
};

// Out-of-line pieces the templates use.
void readSpillFile(const std::string& path, const std::function<void(Block)>& f);
Block concatSpilled(const std::vector<Block>& blocks);

template <typename F>
void SpillFile::forEach(F&& f) const {
    if (bytes_ == 0) return;
    readSpillFile(path_, std::forward<F>(f));
}

template <typename Emit>
void GraceJoin::joinBucket(size_t b, const Block& left_header, Emit&& emit) const {
    std::vector<Block> right_blocks;
    right_[b]->readAll(right_blocks);
    Block right;
    if (right_blocks.empty()) right = right_header_.cloneEmpty();
    else if (right_blocks.size() == 1) right = std::move(right_blocks[0]);
    else right = concatSpilled(right_blocks);
    HashJoin join(d_, right, fctx_);
    right_blocks.clear();
    left_[b]->forEach([&](Block left) {
        std::vector<Block> out;
        join.join(left, out);
        for (auto& o : out) emit(std::move(o));
    });
    if (joinHasNonJoinedRows(d_.kind, d_.strictness)) {
        Block nj = join.nonJoined(left_header);
        if (nj.rows()) emit(std::move(nj));
    }
}

}  // namespace basalt
