// file_io.h — durable file I/O for MergeTree parts: buffered writes with a running 128-bit checksum
// and fsync, whole/partial reads with pread, directory fsync. Every size read back is checked
// against the file, never trusted.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "common/city_hash.h"
#include "storage/mergetree/serialization.h"

namespace basalt {

struct FileChecksum {
    uint64_t size = 0;
    uint64_t hash_lo = 0, hash_hi = 0;   // ClickHouse's file_hash: CityHash128 over 2 KiB chunks
    bool operator==(const FileChecksum& o) const { return size == o.size && hash_lo == o.hash_lo && hash_hi == o.hash_hi; }
    std::string hex() const;
};

// Writes a new file (truncating), buffering 1 MiB, hashing everything written.
class WriteFile final : public OutStream {
public:
    explicit WriteFile(const std::string& path);
    ~WriteFile() override;
    void write(const char* data, size_t n) override;
    // Flushes, fsyncs and closes; returns size + checksum.
    FileChecksum finish();
    uint64_t offset() const { return written_ + buf_.size(); }
    const std::string& path() const { return path_; }

private:
    void flushBuffer();
    std::string path_;
    int fd_ = -1;
    std::string buf_;
    uint64_t written_ = 0;
    std::unique_ptr<CityHash128Stream> hash_;
};

// Reads a whole (small) file; CANNOT_OPEN_FILE (76) if missing.
std::string readWholeFile(const std::string& path);
// Checksum of an existing file (streamed).
FileChecksum checksumFile(const std::string& path);
void writeSmallFileDurably(const std::string& path, const std::string& content, FileChecksum* checksum = nullptr);
void fsyncDirectory(const std::string& path);

// Random-access reader (pread) over one file.
class ReadFile {
public:
    explicit ReadFile(const std::string& path);
    ~ReadFile();
    ReadFile(const ReadFile&) = delete;
    ReadFile& operator=(const ReadFile&) = delete;
    uint64_t size() const { return size_; }
    // Reads exactly n bytes at offset; CANNOT_READ_ALL_DATA if the file is shorter.
    void readAt(uint64_t offset, char* dst, size_t n) const;
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
    uint64_t size_ = 0;
};

}  // namespace basalt
