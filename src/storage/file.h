// file.h — the file() table function's storage: a read-only file in a text format, memory-mapped
// (no copy of the data) and parsed while the query reads it. Line-based formats without a header
// (TSV, TabSeparated[Raw]) are split at line boundaries into one contiguous range per stream and
// parsed in parallel, in segments, so an INSERT ... SELECT FROM file() of a large file uses every
// thread and never holds the whole parsed file in memory twice.
#pragma once
#include <memory>
#include <string>

#include "formats/format.h"
#include "storage/storage.h"

namespace basalt {

// A read-only mapping of a whole file (empty files map nothing).
class MappedFile {
public:
    explicit MappedFile(const std::string& path);   // FILE_DOESNT_EXIST / CANNOT_OPEN_FILE
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    std::string_view data() const { return {data_, size_}; }

private:
    const char* data_ = nullptr;
    size_t size_ = 0;
};

class StorageFile final : public IStorage {
public:
    StorageFile(std::shared_ptr<MappedFile> file, std::string format, std::vector<ColumnDescription> columns, FormatSettings settings);
    std::string engineName() const override { return "File"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;

private:
    std::shared_ptr<MappedFile> file_;
    std::string format_;
    FormatSettings settings_;
};

}  // namespace basalt
