// compressed_file.cpp — CompressedFileWriter and CompressedFileReader: block buffering, marks,
// POSIX file I/O (write/fsync, pread) and the part-checksum hashes.
#include "compression/compressed_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/exception.h"
#include "compression/codec_internal.h"

namespace basalt {

using namespace compression_detail;

namespace {

std::string errnoText(int err) { return "errno: " + std::to_string(err) + ", strerror: " + std::strerror(err); }

[[noreturn]] void throwCannotReadAll(uint64_t got, uint64_t expected) {
    throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Cannot read all data. Bytes read: " + std::to_string(got) +
                                                          ". Bytes expected: " + std::to_string(expected) + ".");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Writer

CompressedFileWriter::CompressedFileWriter(const std::string& path, CodecPtr codec, size_t max_compress_block_size)
    : codec_(std::move(codec)), path_(path) {
    init(max_compress_block_size);
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open file " + path + ", " + errnoText(errno));
    own_fd_ = true;
}

CompressedFileWriter::CompressedFileWriter(int fd, CodecPtr codec, size_t max_compress_block_size)
    : codec_(std::move(codec)), fd_(fd), path_("(fd " + std::to_string(fd) + ")") {
    init(max_compress_block_size);
}

CompressedFileWriter::CompressedFileWriter(CodecPtr codec, size_t max_compress_block_size) : codec_(std::move(codec)) {
    init(max_compress_block_size);
}

CompressedFileWriter::~CompressedFileWriter() {
    if (own_fd_ && fd_ >= 0) ::close(fd_);
}

void CompressedFileWriter::init(size_t max_compress_block_size) {
    if (!codec_) throw Exception(ErrorCodes::LOGICAL_ERROR, "CompressedFileWriter needs a codec");
    if (max_compress_block_size == 0 || max_compress_block_size > kMaxCompressedBlockSize)
        throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "max_compress_block_size must be between 1 and " +
                                                               std::to_string(kMaxCompressedBlockSize) + ", got " +
                                                               std::to_string(max_compress_block_size));
    max_block_ = max_compress_block_size;
}

void CompressedFileWriter::write(const char* data, size_t n) {
    if (finished_) throw Exception(ErrorCodes::LOGICAL_ERROR, "Write to a finished compressed file");
    if (n == 0) return;
    uncompressed_hash_.update(data, n);
    uncompressed_bytes_ += n;
    while (n > 0) {
        if (buffer_.empty() && n >= max_block_) {
            // A whole block available in the caller's memory: compress it from there, no staging copy.
            emitBlock(data, max_block_);
            data += max_block_;
            n -= max_block_;
            continue;
        }
        size_t take = std::min(n, max_block_ - buffer_.size());
        buffer_.append(data, take);
        data += take;
        n -= take;
        if (buffer_.size() == max_block_) flushBlock();
    }
}

bool CompressedFileWriter::nextBlockIfAtLeast(size_t min_bytes) {
    if (buffer_.empty() || buffer_.size() < min_bytes) return false;
    flushBlock();
    return true;
}

void CompressedFileWriter::flushBlock() {
    if (buffer_.empty()) return;
    emitBlock(buffer_.data(), buffer_.size());
    buffer_.clear();
}

void CompressedFileWriter::finish() {
    if (finished_) return;
    flushBlock();
    if (fd_ >= 0 && ::fsync(fd_) != 0)
        throw Exception(ErrorCodes::CANNOT_FSYNC, "Cannot fsync " + path_ + ", " + errnoText(errno));
    finished_ = true;
}

void CompressedFileWriter::emitBlock(const char* src, size_t n) {
    compressed_.resize(kChecksumSize + codec_->compressedBound(n));
    char* block = compressed_.data();
    size_t size = codec_->compress(src, n, block + kChecksumSize);
    Hash128 h = city::cityHash128(block + kChecksumSize, size);
    storeLE<uint64_t>(block, h.low);
    storeLE<uint64_t>(block + 8, h.high);
    size_t total = kChecksumSize + size;
    sinkWrite(block, total);
    file_hash_.update(block, total);
    compressed_bytes_ += total;
}

void CompressedFileWriter::sinkWrite(const char* p, size_t n) {
    if (fd_ < 0) {
        sink_.append(p, n);
        return;
    }
    while (n > 0) {
        ssize_t r = ::write(fd_, p, n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            throw Exception(err == ENOSPC ? ErrorCodes::NOT_ENOUGH_SPACE : ErrorCodes::CANNOT_WRITE_TO_FILE_DESCRIPTOR,
                            "Cannot write to file " + path_ + ", " + errnoText(err));
        }
        p += r;
        n -= size_t(r);
    }
}

// ---------------------------------------------------------------------------------------------
// Reader

CompressedFileReader::CompressedFileReader(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        int err = errno;
        throw Exception(err == ENOENT ? ErrorCodes::FILE_DOESNT_EXIST : ErrorCodes::CANNOT_OPEN_FILE,
                        "Cannot open file " + path + ", " + errnoText(err));
    }
    own_fd_ = true;
    struct stat st;
    if (::fstat(fd_, &st) != 0) {
        int err = errno;
        ::close(fd_);
        throw Exception(ErrorCodes::CANNOT_STAT, "Cannot stat file " + path + ", " + errnoText(err));
    }
    init(uint64_t(st.st_size));
}

CompressedFileReader::CompressedFileReader(int fd, uint64_t file_size) : fd_(fd), path_("(fd " + std::to_string(fd) + ")") {
    init(file_size);
}

CompressedFileReader::CompressedFileReader(std::string_view data) : path_("(memory)"), memory_(data.data()) {
    init(data.size());
}

CompressedFileReader::~CompressedFileReader() {
    if (own_fd_ && fd_ >= 0) ::close(fd_);
}

void CompressedFileReader::init(uint64_t file_size) { file_size_ = file_size; }

void CompressedFileReader::preadExact(char* dst, size_t n, uint64_t offset) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = ::pread(fd_, dst + done, n - done, off_t(offset + done));
        if (r < 0) {
            if (errno == EINTR) continue;
            throw Exception(ErrorCodes::CANNOT_READ_FROM_FILE_DESCRIPTOR, "Cannot read from file " + path_ + ", " + errnoText(errno));
        }
        if (r == 0) throwCannotReadAll(done, n);   // the file shrank under us
        done += size_t(r);
    }
}

const char* CompressedFileReader::windowed(uint64_t offset, size_t n) {
    if (offset >= window_offset_ && offset - window_offset_ + n <= window_size_) return compressed_.data() + (offset - window_offset_);
    size_t want = std::max(n, size_t(std::min<uint64_t>(read_ahead_, file_size_ - offset)));
    window_size_ = 0;   // invalid until the read succeeds
    compressed_.resize(want);
    preadExact(compressed_.data(), want, offset);
    window_offset_ = offset;
    window_size_ = want;
    return compressed_.data();
}

const char* CompressedFileReader::loadCompressed(uint64_t offset) {
    uint64_t available = file_size_ - offset;
    if (available < kCompressedBlockHeaderSize) throwCannotReadAll(available, kCompressedBlockHeaderSize);
    const char* block;
    if (memory_) {
        block = memory_ + offset;
        header_ = parseCompressedBlockHeader(block);
        if (available < header_.totalSize()) throwCannotReadAll(available, header_.totalSize());
    } else {
        // Blocks read one after another widen the window; a jump (a mark range elsewhere) resets it.
        read_ahead_ = offset == last_block_end_ ? std::min(read_ahead_ * 2, kMaxReadAhead) : kMinReadAhead;
        header_ = parseCompressedBlockHeader(windowed(offset, kCompressedBlockHeaderSize));
        // The header's size is bounded (1 GiB) and checked against the file before the buffer grows.
        if (available < header_.totalSize()) throwCannotReadAll(available, header_.totalSize());
        block = windowed(offset, header_.totalSize());
        last_block_end_ = offset + header_.totalSize();
    }
    verifyBlockChecksum(block, header_);
    checkDecodedSizePlausible(header_);
    return block;
}

bool CompressedFileReader::nextBlock(char* direct_dst, size_t direct_capacity, size_t& direct_bytes) {
    direct_bytes = 0;
    has_block_ = false;
    data_ = nullptr;
    size_ = pos_ = 0;
    if (next_offset_ >= file_size_) return false;
    uint64_t offset = next_offset_;
    const char* block = loadCompressed(offset);
    next_offset_ = offset + header_.totalSize();
    size_t n = header_.uncompressed_size;
    if (header_.method == CompressionMethodByte::NONE) {
        // The payload is the data (its size was checked): serve it from the compressed buffer.
        data_ = block + kCompressedBlockHeaderSize;
    } else if (direct_dst && n > 0 && n <= direct_capacity) {
        decompressBlockInto(block, header_, direct_dst);
        direct_bytes = n;
        return true;
    } else {
        decompressed_.resize(n);
        decompressBlockInto(block, header_, decompressed_.data());
        data_ = decompressed_.data();
    }
    size_ = n;
    has_block_ = true;
    block_offset_ = offset;
    return true;
}

void CompressedFileReader::seek(uint64_t compressed_offset, uint64_t offset_in_block) {
    if (!(has_block_ && block_offset_ == compressed_offset)) {
        if (compressed_offset == file_size_ && offset_in_block == 0) {
            has_block_ = false;
            data_ = nullptr;
            size_ = pos_ = 0;
            next_offset_ = compressed_offset;
            return;
        }
        if (compressed_offset >= file_size_)
            throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Seek position " + std::to_string(compressed_offset) +
                                                                   " is beyond the end of file " + path_ + " (" +
                                                                   std::to_string(file_size_) + " bytes)");
        next_offset_ = compressed_offset;
        size_t unused;
        nextBlock(nullptr, 0, unused);
    }
    if (offset_in_block > size_)
        throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Seek position is beyond the decompressed block (pos: " +
                                                               std::to_string(offset_in_block) + ", block size: " + std::to_string(size_) + ")");
    pos_ = size_t(offset_in_block);
}

size_t CompressedFileReader::readUpTo(char* dst, size_t n) {
    size_t done = 0;
    while (done < n) {
        if (pos_ < size_) {
            size_t take = std::min(size_ - pos_, n - done);
            std::memcpy(dst + done, data_ + pos_, take);
            pos_ += take;
            done += take;
            continue;
        }
        size_t direct = 0;
        if (!nextBlock(dst + done, n - done, direct)) break;
        done += direct;
    }
    return done;
}

void CompressedFileReader::read(char* dst, size_t n) {
    size_t got = readUpTo(dst, n);
    if (got < n) throwCannotReadAll(got, n);
}

void CompressedFileReader::skip(size_t n) {
    size_t done = 0;
    while (done < n) {
        if (pos_ < size_) {
            size_t take = std::min(size_ - pos_, n - done);
            pos_ += take;
            done += take;
            continue;
        }
        size_t unused;
        if (!nextBlock(nullptr, 0, unused)) throwCannotReadAll(done, n);
    }
}

bool CompressedFileReader::eof() {
    while (pos_ == size_) {
        size_t unused;
        if (!nextBlock(nullptr, 0, unused)) return true;
    }
    return false;
}

}  // namespace basalt
