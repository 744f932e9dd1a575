// compressed_file.h — streaming compressed files in ClickHouse's layout (a MergeTree column's .bin):
// a sequence of compressed blocks (compressed_block.h), addressed by marks.
//
// A mark is (compressed offset, offset in block): the file offset where a block starts and a byte
// position inside that block's uncompressed data. The writer reports the mark of its current position
// (compressedOffset(), offsetInBlock()); the reader seeks to one.
//
// Block sizing follows ClickHouse's settings: a block is emitted whenever the uncompressed buffer
// reaches max_compress_block_size (1 MiB default), and MergeTree calls nextBlockIfAtLeast(
// min_compress_block_size = 65536) at every granule end so that blocks start at granule boundaries
// when they are big enough to be worth it.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "common/city_hash.h"
#include "common/pod_array.h"
#include "compression/codec.h"
#include "compression/compressed_block.h"

namespace basalt {

class CompressedFileWriter {
public:
    static constexpr size_t kDefaultMaxCompressBlockSize = 1 << 20;   // ClickHouse's max_compress_block_size
    static constexpr size_t kDefaultMinCompressBlockSize = 65536;     // ClickHouse's min_compress_block_size

    // Creates (or truncates) `path` and owns the descriptor. CANNOT_OPEN_FILE on failure.
    CompressedFileWriter(const std::string& path, CodecPtr codec, size_t max_compress_block_size = kDefaultMaxCompressBlockSize);
    // Writes to an open descriptor at its current position; the caller keeps ownership. Offsets are
    // relative to where writing starts.
    CompressedFileWriter(int fd, CodecPtr codec, size_t max_compress_block_size = kDefaultMaxCompressBlockSize);
    // Writes to an in-memory string (tests, small in-memory files): see data().
    explicit CompressedFileWriter(CodecPtr codec, size_t max_compress_block_size = kDefaultMaxCompressBlockSize);
    // Does not flush: an unfinished file is incomplete (call finish()). Closes an owned descriptor.
    ~CompressedFileWriter();

    CompressedFileWriter(const CompressedFileWriter&) = delete;
    CompressedFileWriter& operator=(const CompressedFileWriter&) = delete;

    void write(const char* data, size_t n);
    void write(std::string_view s) { write(s.data(), s.size()); }

    // The mark of the current position.
    uint64_t compressedOffset() const { return compressed_bytes_; }   // where the pending block will start
    size_t offsetInBlock() const { return buffer_.size(); }           // bytes already in the pending block

    // Ends the pending block if it holds at least min_bytes (a granule boundary); returns whether it did.
    bool nextBlockIfAtLeast(size_t min_bytes);
    // Ends the pending block now (no-op when empty).
    void flushBlock();
    // Flushes the last block and fsyncs a file descriptor. Idempotent; nothing may be written after.
    void finish();

    uint64_t bytesWritten() const { return compressed_bytes_; }      // compressed bytes emitted so far
    uint64_t uncompressedBytes() const { return uncompressed_bytes_; }
    // checksums.txt hashes (ClickHouse's HashingWriteBuffer scheme, CityHash128Stream): of the file's
    // bytes and of the uncompressed data. Complete after finish().
    Hash128 fileHash() const { return file_hash_.digest(); }
    Hash128 uncompressedHash() const { return uncompressed_hash_.digest(); }

    const ICompressionCodec& codec() const { return *codec_; }
    const std::string& data() const { return sink_; }   // in-memory mode only

private:
    void init(size_t max_compress_block_size);
    void emitBlock(const char* src, size_t n);
    void sinkWrite(const char* p, size_t n);

    CodecPtr codec_;
    int fd_ = -1;
    bool own_fd_ = false;
    bool finished_ = false;
    std::string path_;   // for messages
    std::string sink_;
    size_t max_block_ = kDefaultMaxCompressBlockSize;
    PODArray<char> buffer_;       // pending uncompressed data
    PODArray<char> compressed_;   // scratch for one compressed block (checksum included)
    uint64_t compressed_bytes_ = 0;
    uint64_t uncompressed_bytes_ = 0;
    CityHash128Stream file_hash_;
    CityHash128Stream uncompressed_hash_;
};

class CompressedFileReader {
public:
    // Opens `path` (FILE_DOESNT_EXIST / CANNOT_OPEN_FILE) and owns the descriptor.
    explicit CompressedFileReader(const std::string& path);
    // Reads file_size bytes of an open descriptor with pread (the caller keeps ownership).
    CompressedFileReader(int fd, uint64_t file_size);
    // Reads blocks from memory that outlives the reader (in-memory files, tests).
    explicit CompressedFileReader(std::string_view data);
    ~CompressedFileReader();

    CompressedFileReader(const CompressedFileReader&) = delete;
    CompressedFileReader& operator=(const CompressedFileReader&) = delete;

    // Positions at a mark. offset_in_block may equal the block's size (a mark taken right at a block's
    // end); beyond it is ARGUMENT_OUT_OF_BOUND. A mark at the end of the file is allowed.
    void seek(uint64_t compressed_offset, uint64_t offset_in_block);

    // Exactly n bytes, or CANNOT_READ_ALL_DATA at the end of the data.
    void read(char* dst, size_t n);
    // Up to n bytes; fewer only at the end of the data. Returns the count.
    size_t readUpTo(char* dst, size_t n);
    // Skips n uncompressed bytes (CANNOT_READ_ALL_DATA past the end).
    void skip(size_t n);
    bool eof();

    uint64_t fileSize() const { return file_size_; }

private:
    void init(uint64_t file_size);
    // Reads and verifies the block at offset into compressed_ (or points into memory); fills header_.
    const char* loadCompressed(uint64_t offset);
    // Loads the next block into the buffer; when direct_dst can take the whole block's data, decodes
    // there instead (saving a copy) and sets direct_bytes (the buffer then stays empty). False at the
    // end of the file.
    bool nextBlock(char* direct_dst, size_t direct_capacity, size_t& direct_bytes);
    void preadExact(char* dst, size_t n, uint64_t offset);
    // File bytes [offset, offset + n) (n <= what is left of the file), from the read-ahead window or
    // read into it: a sequential scan reads its blocks in windows of up to kMaxReadAhead bytes,
    // header and payload together, instead of two preads per block.
    const char* windowed(uint64_t offset, size_t n);
    static constexpr size_t kMinReadAhead = size_t(64) << 10;
    static constexpr size_t kMaxReadAhead = size_t(256) << 10;

    int fd_ = -1;
    bool own_fd_ = false;
    std::string path_;
    const char* memory_ = nullptr;   // memory mode
    uint64_t file_size_ = 0;

    CompressedBlockHeader header_;   // of the block loadCompressed read last
    uint64_t next_offset_ = 0;       // file offset of the block after the buffered one
    uint64_t block_offset_ = 0;      // file offset of the buffered block (valid if has_block_)
    bool has_block_ = false;
    PODArray<char> compressed_;        // the reader's read-ahead window (fd mode)
    uint64_t window_offset_ = 0;       // file offset of compressed_[0]
    size_t window_size_ = 0;           // valid bytes in compressed_
    size_t read_ahead_ = kMinReadAhead;   // doubles while blocks are read one after another
    uint64_t last_block_end_ = ~uint64_t(0);
    PODArray<char> decompressed_;
    const char* data_ = nullptr;     // the buffered block's data: decompressed_ or, for NONE, the payload
    size_t size_ = 0;
    size_t pos_ = 0;
};

}  // namespace basalt
