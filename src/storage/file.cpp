// file.cpp — see file.h.
#include "storage/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>

#include "common/exception.h"
#include "interpreter/context.h"
#include "types/create_column.h"

namespace basalt {

MappedFile::MappedFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) throw Exception(ErrorCodes::FILE_DOESNT_EXIST, "File " + path + " doesn't exist");
        throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open file " + path + ": " + std::strerror(errno));
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open file " + path + ": not a regular file");
    }
    size_ = size_t(st.st_size);
    if (size_) {
        void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot map file " + path + ": " + std::strerror(errno));
        }
        ::madvise(p, size_, MADV_SEQUENTIAL);
        data_ = static_cast<const char*>(p);
    }
    ::close(fd);
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
}

StorageFile::StorageFile(std::shared_ptr<MappedFile> file, std::string format, std::vector<ColumnDescription> columns, FormatSettings settings)
    : file_(std::move(file)), format_(canonicalFormatName(format)), settings_(std::move(settings)) {
    metadata_.columns = std::move(columns);
}

namespace {

// Parses its byte range in segments of about kSegment bytes (ending where a row ends, see
// nextRowStart), one block list at a time.
class FileSource final : public ISource {
public:
    static constexpr size_t kSegment = 8 << 20;

    FileSource(std::shared_ptr<MappedFile> file, std::string_view range, std::string format, Block header, FormatSettings settings,
               size_t max_block_size, std::vector<size_t> positions, bool split)
        : file_(std::move(file)), rest_(range), format_(std::move(format)), header_(std::move(header)), settings_(std::move(settings)),
          max_block_size_(max_block_size), positions_(std::move(positions)), split_(split) {}

    Block read() override {
        while (next_ >= blocks_.size()) {
            if (rest_.empty()) return Block();
            std::string_view segment = rest_;
            if (split_ && rest_.size() > kSegment) {
                size_t cut = nextRowStart(format_, rest_, kSegment);
                segment = cut == std::string_view::npos ? rest_ : rest_.substr(0, cut);
            }
            rest_.remove_prefix(segment.size());
            blocks_ = parseInputFormat(format_, segment, header_, settings_, max_block_size_);
            next_ = 0;
        }
        Block& b = blocks_[next_++];
        Block out;
        for (size_t p : positions_) out.insert(b.at(p));
        if (positions_.empty()) out.setRowsWithoutColumns(b.rows());
        b = Block();
        return out;
    }

private:
    std::shared_ptr<MappedFile> file_;   // keeps the mapping alive
    std::string_view rest_;
    std::string format_;
    Block header_;
    FormatSettings settings_;
    size_t max_block_size_;
    std::vector<size_t> positions_;
    bool split_;
    std::vector<Block> blocks_;
    size_t next_ = 0;
};

}  // namespace

Sources StorageFile::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) {
    Block header;
    for (auto& c : metadata_.columns) header.insert({createColumn(c.type), c.type, c.name});
    std::vector<size_t> positions;
    for (auto& name : columns) {
        int p = header.positionByName(name);
        if (p < 0) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + name + " in table");
        positions.push_back(size_t(p));
    }
    std::string_view data = file_->data();
    bool split = isSplittableAtLines(format_) && data.size() > 2 * FileSource::kSegment;
    // Contiguous ranges, one per stream, so rows come out in file order stream after stream.
    std::vector<std::string_view> ranges;
    size_t streams = split ? std::max<size_t>(1, num_streams) : 1;
    size_t begin = 0;
    for (size_t i = 0; i < streams && begin < data.size(); ++i) {
        size_t end = i + 1 == streams ? data.size() : std::max(begin, data.size() * (i + 1) / streams);
        if (end < data.size()) {
            size_t cut = nextRowStart(format_, data, end);
            end = cut == std::string_view::npos ? data.size() : cut;
        }
        ranges.push_back(data.substr(begin, end - begin));
        begin = end;
    }
    if (ranges.empty()) ranges.push_back(data);
    Sources sources;
    for (auto& r : ranges)
        sources.push_back(std::make_unique<FileSource>(file_, r, format_, header, settings_, ctx.settings.max_block_size, positions, split));
    return sources;
}

}  // namespace basalt
