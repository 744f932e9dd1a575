// file_io.cpp — see file_io.h.
#include "storage/mergetree/file_io.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/exception.h"

namespace basalt {

namespace {
[[noreturn]] void throwErrno(int code, const std::string& what, const std::string& path) {
    throw Exception(code, what + " " + path + ", errno: " + std::to_string(errno) + ", strerror: " + std::strerror(errno));
}
constexpr size_t kWriteBuffer = 1 << 20;
}  // namespace

std::string FileChecksum::hex() const {
    char b[40];
    snprintf(b, sizeof b, "%016llx%016llx", (unsigned long long)hash_hi, (unsigned long long)hash_lo);
    return b;
}

WriteFile::WriteFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throwErrno(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open file", path);
    hash_ = std::make_unique<CityHash128Stream>();
    buf_.reserve(kWriteBuffer);
}

WriteFile::~WriteFile() {
    if (fd_ >= 0) ::close(fd_);
}

void WriteFile::write(const char* data, size_t n) {
    if (buf_.size() + n > kWriteBuffer) {
        flushBuffer();
        if (n >= kWriteBuffer) {
            hash_->update(data, n);
            size_t done = 0;
            while (done < n) {
                ssize_t w = ::write(fd_, data + done, n - done);
                if (w < 0) { if (errno == EINTR) continue; throwErrno(ErrorCodes::CANNOT_WRITE_TO_FILE_DESCRIPTOR, "Cannot write to file", path_); }
                done += size_t(w);
            }
            written_ += n;
            return;
        }
    }
    buf_.append(data, n);
}

void WriteFile::flushBuffer() {
    if (buf_.empty()) return;
    hash_->update(buf_.data(), buf_.size());
    size_t done = 0;
    while (done < buf_.size()) {
        ssize_t w = ::write(fd_, buf_.data() + done, buf_.size() - done);
        if (w < 0) { if (errno == EINTR) continue; throwErrno(ErrorCodes::CANNOT_WRITE_TO_FILE_DESCRIPTOR, "Cannot write to file", path_); }
        done += size_t(w);
    }
    written_ += buf_.size();
    buf_.clear();
}

FileChecksum WriteFile::finish() {
    flushBuffer();
    if (::fsync(fd_) != 0) throwErrno(ErrorCodes::CANNOT_WRITE_TO_FILE_DESCRIPTOR, "Cannot fsync file", path_);
    ::close(fd_);
    fd_ = -1;
    Hash128 h = hash_->digest();
    return {written_, h.low, h.high};
}

std::string readWholeFile(const std::string& path) {
    ReadFile f(path);
    std::string s(f.size(), '\0');
    if (!s.empty()) f.readAt(0, s.data(), s.size());
    return s;
}

FileChecksum checksumFile(const std::string& path) {
    ReadFile f(path);
    CityHash128Stream hash;
    std::string buf(std::min<uint64_t>(f.size(), kWriteBuffer), '\0');
    for (uint64_t off = 0; off < f.size();) {
        size_t n = std::min<uint64_t>(buf.size(), f.size() - off);
        f.readAt(off, buf.data(), n);
        hash.update(buf.data(), n);
        off += n;
    }
    Hash128 h = hash.digest();
    return {f.size(), h.low, h.high};
}

void writeSmallFileDurably(const std::string& path, const std::string& content, FileChecksum* checksum) {
    WriteFile f(path);
    f.write(content.data(), content.size());
    FileChecksum c = f.finish();
    if (checksum) *checksum = c;
}

void fsyncDirectory(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throwErrno(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open directory", path);
    int r = ::fsync(fd);
    ::close(fd);
    if (r != 0) throwErrno(ErrorCodes::CANNOT_WRITE_TO_FILE_DESCRIPTOR, "Cannot fsync directory", path);
}

ReadFile::ReadFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throwErrno(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open file", path);
    struct stat st;
    if (::fstat(fd_, &st) != 0) { ::close(fd_); fd_ = -1; throwErrno(ErrorCodes::CANNOT_OPEN_FILE, "Cannot stat file", path); }
    size_ = uint64_t(st.st_size);
}

ReadFile::~ReadFile() { if (fd_ >= 0) ::close(fd_); }

void ReadFile::readAt(uint64_t offset, char* dst, size_t n) const {
    if (offset > size_ || n > size_ - offset)
        throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Cannot read all data from " + path_ + ": " + std::to_string(n) + " bytes at offset " +
                        std::to_string(offset) + " past the end (" + std::to_string(size_) + " bytes)");
    while (n) {
        ssize_t r = ::pread(fd_, dst, n, off_t(offset));
        if (r < 0) { if (errno == EINTR) continue; throwErrno(ErrorCodes::CANNOT_READ_ALL_DATA, "Cannot read from file", path_); }
        if (r == 0) throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Unexpected end of file " + path_);
        dst += r; n -= size_t(r); offset += uint64_t(r);
    }
}

}  // namespace basalt
