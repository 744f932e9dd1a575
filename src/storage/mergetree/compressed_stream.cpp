// compressed_stream.cpp — see compressed_stream.h.
#include "storage/mergetree/compressed_stream.h"

#include <algorithm>
#include <cstring>

#include "common/exception.h"
#include "compression/compressed_block.h"
#include "compression/compressed_file.h"

namespace basalt {

CompressedOutStream::CompressedOutStream(const std::string& path, CodecPtr codec, size_t max_block_size)
    : writer_(std::make_unique<CompressedFileWriter>(path, std::move(codec), max_block_size)) {}

CompressedOutStream::~CompressedOutStream() = default;
void CompressedOutStream::write(const char* data, size_t n) { writer_->write(data, n); }
uint64_t CompressedOutStream::compressedOffset() const { return writer_->compressedOffset(); }
size_t CompressedOutStream::offsetInBlock() const { return writer_->offsetInBlock(); }
void CompressedOutStream::nextBlockIfAtLeast(size_t min_bytes) { writer_->nextBlockIfAtLeast(min_bytes); }
uint64_t CompressedOutStream::uncompressedBytes() const { return writer_->uncompressedBytes(); }

FileChecksum CompressedOutStream::finish() {
    writer_->finish();
    Hash128 h = writer_->fileHash();
    return {writer_->bytesWritten(), h.low, h.high};
}

const char* CompressedInStream::windowed(uint64_t offset, size_t n) {
    if (offset >= window_offset_ && offset - window_offset_ + n <= window_size_) return window_.data() + (offset - window_offset_);
    size_t want = std::max(n, size_t(std::min<uint64_t>(read_ahead_, file_->size() - offset)));
    window_size_ = 0;   // invalid until the read succeeds
    window_.resize(want);
    file_->readAt(offset, window_.data(), want);
    window_offset_ = offset;
    window_size_ = want;
    return window_.data();
}

void CompressedInStream::loadBlock(uint64_t offset) {
    if (file_->size() - offset < kCompressedBlockHeaderSize)
        throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Truncated compressed block in " + file_->path() + " at offset " + std::to_string(offset));
    read_ahead_ = offset == next_offset_ ? std::min(read_ahead_ * 2, kMaxReadAhead) : kMinReadAhead;
    CompressedBlockHeader h = parseCompressedBlockHeader(windowed(offset, kCompressedBlockHeaderSize));
    if (h.totalSize() > file_->size() - offset)
        throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Compressed block in " + file_->path() + " at offset " + std::to_string(offset) +
                        " claims " + std::to_string(h.totalSize()) + " bytes, past the end of the file");
    const char* block = windowed(offset, h.totalSize());
    data_.clear();
    try {
        decompressBlock(block, h.totalSize(), data_);
    } catch (Exception& e) {
        e.addMessage(": while reading " + file_->path() + " at offset " + std::to_string(offset));
        throw;
    }
    block_offset_ = offset;
    next_offset_ = offset + h.totalSize();
}

void CompressedInStream::seek(uint64_t compressed_offset, uint64_t offset_in_block) {
    if (compressed_offset != block_offset_) {
        if (compressed_offset >= file_->size()) {   // a mark at the very end: empty remainder
            block_offset_ = UINT64_MAX;
            next_offset_ = compressed_offset;
            data_.clear();
            pos = end = data_.data();
            if (offset_in_block) throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Mark points past the end of " + file_->path());
            return;
        }
        loadBlock(compressed_offset);
    }
    if (offset_in_block > data_.size())
        throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Mark offset " + std::to_string(offset_in_block) + " is outside its block in " + file_->path());
    pos = data_.data() + offset_in_block;
    end = data_.data() + data_.size();
}

bool CompressedInStream::nextBuffer() {
    if (next_offset_ >= file_->size()) return false;
    loadBlock(next_offset_);
    pos = data_.data();
    end = data_.data() + data_.size();
    return pos != end || nextBuffer();
}

uint64_t uncompressedSizeOfFile(const ReadFile& file) {
    uint64_t total = 0;
    char header[kCompressedBlockHeaderSize];
    for (uint64_t offset = 0; offset < file.size();) {
        if (file.size() - offset < kCompressedBlockHeaderSize)
            throw Exception(ErrorCodes::CORRUPTED_DATA, "Truncated compressed block in " + file.path());
        file.readAt(offset, header, sizeof(header));
        CompressedBlockHeader h = parseCompressedBlockHeader(header);
        total += h.uncompressed_size;
        offset += h.totalSize();
    }
    return total;
}

}  // namespace basalt
