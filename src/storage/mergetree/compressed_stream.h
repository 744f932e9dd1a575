// compressed_stream.h — column files of a part: a sequence of compressed blocks (ClickHouse's
// block format from compression/) written through a codec, and read back from any mark.
// A mark is (offset of a compressed block in the file, offset inside its decompressed bytes).
#pragma once
#include <memory>
#include <string>

#include "common/pod_array.h"
#include "storage/mergetree/file_io.h"

namespace basalt {

class ICompressionCodec;
using CodecPtr = std::shared_ptr<const ICompressionCodec>;
class CompressedFileWriter;

// A column file being written: compression/CompressedFileWriter behind the OutStream interface the
// serializers use, reporting the file's size and checksum when finished.
class CompressedOutStream final : public OutStream {
public:
    CompressedOutStream(const std::string& path, CodecPtr codec, size_t max_block_size = 1 << 20);
    ~CompressedOutStream() override;
    void write(const char* data, size_t n) override;
    uint64_t compressedOffset() const;
    size_t offsetInBlock() const;
    // At a granule boundary: start a new block when the current one holds at least min_bytes.
    void nextBlockIfAtLeast(size_t min_bytes);
    FileChecksum finish();   // flushes and fsyncs
    uint64_t uncompressedBytes() const;

private:
    std::unique_ptr<CompressedFileWriter> writer_;
};

// A column file being read: decompresses block by block and exposes each decompressed block as
// the InStream window (serializers parse in place, no copy through an intermediate buffer).
class CompressedInStream final : public InStream {
public:
    explicit CompressedInStream(std::shared_ptr<const ReadFile> file) : file_(std::move(file)) {}
    // Positions at a mark. Re-decompresses only when the block differs from the current one.
    void seek(uint64_t compressed_offset, uint64_t offset_in_block);
    bool nextBuffer() override;

private:
    void loadBlock(uint64_t offset);
    // File bytes [offset, offset + n) from the read-ahead window, or read into it: a scan reads
    // its blocks in windows of up to kMaxReadAhead bytes, header and payload together, instead of
    // two preads per block; a jump (a mark range elsewhere) starts again at kMinReadAhead.
    const char* windowed(uint64_t offset, size_t n);
    static constexpr size_t kMinReadAhead = size_t(64) << 10;
    static constexpr size_t kMaxReadAhead = size_t(256) << 10;
    std::shared_ptr<const ReadFile> file_;
    PODArray<char> window_, data_;
    uint64_t window_offset_ = 0;
    size_t window_size_ = 0, read_ahead_ = kMinReadAhead;
    uint64_t block_offset_ = UINT64_MAX, next_offset_ = 0;
};

// Sum of the decompressed sizes of a column file's blocks, from their headers alone (a loaded
// part's data_uncompressed_bytes): one small read per block, no decompression.
uint64_t uncompressedSizeOfFile(const ReadFile& file);

}  // namespace basalt
