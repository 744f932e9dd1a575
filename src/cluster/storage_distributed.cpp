// storage_distributed.cpp — Distributed tables and remote()/cluster() reads and inserts (see
// storage_distributed.h).
#include "cluster/storage_distributed.h"

#include "cluster/distributed_query.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "analyzer/analyzer.h"
#include "client/connection.h"
#include "columns/column.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "formats/native.h"
#include "functions/cast.h"
#include "interpreter/context.h"
#include "storage/catalog.h"
#include "storage/mergetree/file_io.h"
#include "types/create_column.h"

namespace basalt {

namespace fs = std::filesystem;

namespace {

// Settings a shard query runs with: what the user changed in the initiator's session.
NativeConnection::SettingsList forwardedSettings(const Settings& s) {
    NativeConnection::SettingsList out;
    for (auto& row : s.describe())
        if (row.changed && row.name != "readonly") out.emplace_back(row.name, row.value);
    return out;
}

// One shard's result stream: blocks of the running remote query, in the expected shape.
class RemoteSource final : public ISource {
public:
    // `header`: the output shape; the shard returns its columns minus _shard_num (at
    // `shard_num_pos`, SIZE_MAX when not requested), or only count() when `count_only`.
    RemoteSource(std::unique_ptr<NativeConnection> conn, Block header, uint32_t shard_num, size_t shard_num_pos, bool count_only, FunctionContext fctx)
        : conn_(std::move(conn)), header_(std::move(header)), shard_num_(shard_num), shard_num_pos_(shard_num_pos), count_only_(count_only), fctx_(std::move(fctx)) {}

    Block read() override {
        while (conn_) {
            NativeConnection::Packet p;
            try {
                p = conn_->receivePacket();
            } catch (Exception& e) {
                e.addMessage(": while reading from shard " + std::to_string(shard_num_) + " (" + conn_->address() + ")");
                conn_.reset();
                throw;
            }
            if (p.kind == NativeConnection::Packet::Progress) { remote_read_rows_ += p.progress.read_rows; remote_read_bytes_ += p.progress.read_bytes; continue; }
            if (p.kind == NativeConnection::Packet::EndOfStream) {
                conn_.reset();
                filtered_rows = remote_read_rows_ > returned_rows_ ? remote_read_rows_ - returned_rows_ : 0;
                filtered_bytes = remote_read_bytes_;
                break;
            }
            if (p.kind != NativeConnection::Packet::Data || !p.block.rows()) continue;
            returned_rows_ += p.block.rows();
            return shape(p.block);
        }
        return Block();
    }

private:
    ColumnPtr shardNumColumn(size_t rows) const {
        auto col = ColumnVector<uint32_t>::create();
        col->getData().resize_fill(rows, shard_num_);
        return col;
    }

    Block shape(const Block& in) {
        Block out;
        if (count_only_) {
            // `SELECT count()`: one UInt64 → that many rows (without columns, or only _shard_num).
            auto& col = static_cast<const ColumnVector<uint64_t>&>(*in.at(0).column);
            size_t n = 0;
            for (size_t i = 0; i < col.size(); ++i) n += col.getData()[i];
            returned_rows_ += n - in.rows();
            if (shard_num_pos_ != SIZE_MAX) out.insert({shardNumColumn(n), header_.at(shard_num_pos_).type, header_.at(shard_num_pos_).name});
            else out.setRowsWithoutColumns(n);
            return out;
        }
        size_t expected = header_.columns() - (shard_num_pos_ != SIZE_MAX ? 1 : 0);
        if (in.columns() != expected)
            throw Exception(ErrorCodes::NUMBER_OF_COLUMNS_DOESNT_MATCH, "Shard " + std::to_string(shard_num_) + " returned " + std::to_string(in.columns()) +
                                                                            " columns, expected " + std::to_string(expected));
        size_t next = 0;
        for (size_t i = 0; i < header_.columns(); ++i) {
            auto& want = header_.at(i);
            if (i == shard_num_pos_) { out.insert({shardNumColumn(in.rows()), want.type, want.name}); continue; }
            auto& got = in.at(next++);
            ColumnPtr c = got.column;
            if (!got.type->equals(*want.type)) c = castColumn(c, got.type, want.type, fctx_);
            out.insert({c, want.type, want.name});
        }
        return out;
    }

    std::unique_ptr<NativeConnection> conn_;
    Block header_;
    uint32_t shard_num_;
    size_t shard_num_pos_;
    bool count_only_;
    FunctionContext fctx_;
    uint64_t remote_read_rows_ = 0, remote_read_bytes_ = 0, returned_rows_ = 0;
};

// Queue files: magic, payload size, XXH3 of the payload, payload = Native blocks.
constexpr char kQueueMagic[8] = {'B', 'S', 'L', 'T', 'D', 'Q', '1', '\n'};

std::string encodeQueueFile(const std::vector<Block>& blocks) {
    std::string payload;
    for (auto& b : blocks)
        if (b.rows()) writeNativeBlock(b, payload, false);
    std::string out(kQueueMagic, sizeof kQueueMagic);
    uint64_t size = payload.size(), hash = XXH3_64bits(payload.data(), payload.size());
    out.append(reinterpret_cast<const char*>(&size), 8);
    out.append(reinterpret_cast<const char*>(&hash), 8);
    out += payload;
    return out;
}

std::vector<Block> decodeQueueFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (data.size() < 24 || std::memcmp(data.data(), kQueueMagic, 8) != 0)
        throw Exception(ErrorCodes::CORRUPTED_DATA, "Distributed queue file " + path + " has a bad header");
    uint64_t size, hash;
    std::memcpy(&size, data.data() + 8, 8);
    std::memcpy(&hash, data.data() + 16, 8);
    if (size != data.size() - 24 || XXH3_64bits(data.data() + 24, size) != hash)
        throw Exception(ErrorCodes::CHECKSUM_DOESNT_MATCH, "Checksum doesn't match in distributed queue file " + path);
    MemoryInStream in(data.data() + 24, size);
    std::vector<Block> blocks;
    while (in.pos < in.end) blocks.push_back(readNativeBlock(in, false));
    return blocks;
}

std::string insertText(const std::string& table_sql, const Block& header) {
    std::string cols;
    for (auto& c : header.data()) cols += (cols.empty() ? "" : ", ") + backQuote(c.name);
    return "INSERT INTO " + table_sql + " (" + cols + ") VALUES";
}

uint64_t fileSeq(const fs::path& p) {
    try { return std::stoull(p.stem().string()); } catch (...) { return 0; }
}

}  // namespace

StorageDistributed::StorageDistributed(TableMetadata md, std::string cluster_name, std::string remote_database, std::string remote_table,
                                       ASTPtr sharding_key, std::string data_dir)
    : cluster_name_(std::move(cluster_name)), remote_database_(std::move(remote_database)), remote_table_(std::move(remote_table)),
      sharding_key_(std::move(sharding_key)), data_dir_(std::move(data_dir)) {
    metadata_ = std::move(md);
    findCluster(*clusterConfig(), cluster_name_);   // CLUSTER_DOESNT_EXIST at CREATE
}

StorageDistributed::StorageDistributed(TableMetadata md, std::shared_ptr<const Cluster> cluster, std::string remote_database, std::string remote_table)
    : fixed_cluster_(std::move(cluster)), remote_database_(std::move(remote_database)), remote_table_(std::move(remote_table)) {
    metadata_ = std::move(md);
    cluster_name_ = fixed_cluster_->name;
}

StorageDistributed::~StorageDistributed() { shutdown(); }

std::shared_ptr<const Cluster> StorageDistributed::cluster() const {
    if (fixed_cluster_) return fixed_cluster_;
    auto config = clusterConfig();
    const Cluster& c = findCluster(*config, cluster_name_);
    return std::shared_ptr<const Cluster>(config, &c);   // keeps the config snapshot alive
}

std::string StorageDistributed::remoteTableSQL() const {
    return (remote_database_.empty() ? "" : backQuote(remote_database_) + ".") + backQuote(remote_table_);
}

std::vector<std::pair<std::string, DataTypePtr>> StorageDistributed::virtualColumns() const {
    return {{"_shard_num", makeType(TypeId::UInt32)}};
}

Sources StorageDistributed::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) {
    return read(columns, SelectQueryInfo{}, ctx, num_streams);
}

Sources StorageDistributed::read(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t) {
    Block header;
    std::string select;
    size_t shard_num_pos = SIZE_MAX;
    for (auto& name : columns) {
        if (name == "_shard_num") {
            shard_num_pos = header.columns();
            header.insert({createColumn(makeType(TypeId::UInt32)), makeType(TypeId::UInt32), name});
            continue;
        }
        auto* c = metadata_.find(name);
        if (!c) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + name + " in table " + remoteTableSQL());
        header.insert({createColumn(c->type), c->type, name});
        select += (select.empty() ? "" : ", ") + backQuote(name);
    }
    bool count_only = select.empty();
    std::string text = "SELECT " + (count_only ? std::string("count()") : select) + " FROM " + remoteTableSQL();
    ExternalTables external;
    if (info.filter) {
        std::string where = materializeGlobalSubqueries(info.filter, ctx, external)->formatSQL(false);
        if (where.find("_shard_num") == std::string::npos) text += " WHERE " + where;
        else external.clear();
    }
    return readQuery(text, header, ctx, shard_num_pos, count_only, external);
}

Sources StorageDistributed::readQuery(const std::string& query_text, const Block& header, QueryContext& ctx, size_t shard_num_pos, bool count_only,
                                      const ExternalTables& external) {
    auto c = cluster();
    auto settings = forwardedSettings(ctx.settings);
    Sources sources;
    std::string skipped;
    for (auto& shard : c->shards) {
        std::unique_ptr<NativeConnection> conn;
        try {
            conn = connectToShard(shard, ctx.settings);
            conn->sendQuery(query_text, settings, "", external);
        } catch (const Exception& e) {
            if (ctx.settings.skip_unavailable_shards && (e.code() == ErrorCodes::ALL_CONNECTION_TRIES_FAILED || e.code() == ErrorCodes::NETWORK_ERROR ||
                                                         e.code() == ErrorCodes::SOCKET_TIMEOUT)) {
                skipped += (skipped.empty() ? "" : ", ") + std::to_string(shard.shard_num);
                continue;
            }
            throw Exception(e.code(), std::string(e.what()) + ": while connecting to shard " + std::to_string(shard.shard_num) + " of cluster " + c->name);
        }
        sources.push_back(std::make_unique<RemoteSource>(std::move(conn), header, shard.shard_num, shard_num_pos, count_only, ctx.functionContext()));
    }
    if (!skipped.empty()) {
        ctx.skipped_shards += (ctx.skipped_shards.empty() ? "" : ", ") + skipped;
        std::cerr << "Distributed read of " << c->name << ": skipped unavailable shard(s) " << skipped << "\n";
    }
    if (sources.empty() && !c->shards.empty() && skipped.empty())
        throw Exception(ErrorCodes::NO_REMOTE_SHARD_AVAILABLE, "No remote shard available");
    return sources;
}

Block StorageDistributed::remoteHeader(const std::string& query_text, QueryContext& ctx, const ExternalTables& external) {
    auto c = cluster();
    std::string log;
    for (auto& shard : c->shards) {
        try {
            auto conn = connectToShard(shard, ctx.settings);
            auto blocks = conn->execute("SELECT * FROM (" + query_text + ") LIMIT 0", forwardedSettings(ctx.settings), true, external);
            if (!blocks.empty()) return blocks.front().cloneEmpty();
        } catch (const Exception& e) {
            if (e.code() != ErrorCodes::ALL_CONNECTION_TRIES_FAILED) throw;
            log += std::string("\n") + e.what();
        }
    }
    throw Exception(ErrorCodes::NO_REMOTE_SHARD_AVAILABLE, "All attempts to get table structure failed. Log: " + log);
}

// ---------------------------------------------------------------- INSERT

namespace {
Analyzer shardingKeyAnalyzer(QueryContext& ctx) {
    return Analyzer(ctx, [](const ASTPtr&, size_t) -> Block {
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subqueries are not allowed in a sharding key");
    });
}

void checkShardingKeyType(const DataType& type) {
    switch (type.id) {
        case TypeId::UInt8: case TypeId::Bool: case TypeId::UInt16: case TypeId::UInt32: case TypeId::UInt64:
        case TypeId::Int8: case TypeId::Int16: case TypeId::Int32: case TypeId::Int64: return;
        default: throw Exception(ErrorCodes::TYPE_MISMATCH, "Sharding expression has type " + type.name() + ", but should be one of integer type");
    }
}
}  // namespace

ExprNodePtr StorageDistributed::analyzeShardingKey(Analyzer& analyzer, const Block& block) const {
    Scope scope;
    for (auto& col : block.data()) scope.columns.push_back({col.name, col.type});
    return analyzer.analyze(sharding_key_, scope);
}

void StorageDistributed::checkShardingKey(const Block& header, QueryContext& ctx) const {
    Analyzer analyzer = shardingKeyAnalyzer(ctx);
    checkShardingKeyType(*analyzeShardingKey(analyzer, header)->type);
}

std::vector<std::vector<Block>> StorageDistributed::splitByShard(const Cluster& c, std::vector<Block> blocks, QueryContext& ctx) const {
    std::vector<std::vector<Block>> out(c.shards.size());
    if (c.shards.size() == 1) {
        out[0] = std::move(blocks);
        return out;
    }
    if (!sharding_key_)
        throw Exception(ErrorCodes::STORAGE_REQUIRES_PARAMETER,
                        "Method write is not supported by storage Distributed with more than one shard and no sharding key provided");
    auto slots = c.slotToShard();
    uint64_t total = slots.size();
    Analyzer analyzer = shardingKeyAnalyzer(ctx);
    for (auto& block : blocks) {
        if (!block.rows()) continue;
        ExprNodePtr key = analyzeShardingKey(analyzer, block);
        ColumnPtr values = evaluate(key, block);
        values = values->convertToFullColumn(values);
        size_t rows = block.rows();
        std::vector<uint32_t> shard_of(rows);
        auto pick = [&](auto cast_to, const auto& data) {
            using U = decltype(cast_to);
            for (size_t i = 0; i < rows; ++i) shard_of[i] = slots[U(data[i]) % U(total)];
        };
        const IColumn& col = *values;
        switch (key->type->id) {
            case TypeId::UInt8: case TypeId::Bool: pick(uint32_t{}, static_cast<const ColumnVector<uint8_t>&>(col).getData()); break;
            case TypeId::UInt16: pick(uint32_t{}, static_cast<const ColumnVector<uint16_t>&>(col).getData()); break;
            case TypeId::UInt32: pick(uint32_t{}, static_cast<const ColumnVector<uint32_t>&>(col).getData()); break;
            case TypeId::UInt64: pick(uint64_t{}, static_cast<const ColumnVector<uint64_t>&>(col).getData()); break;
            case TypeId::Int8: pick(uint32_t{}, static_cast<const ColumnVector<int8_t>&>(col).getData()); break;
            case TypeId::Int16: pick(uint32_t{}, static_cast<const ColumnVector<int16_t>&>(col).getData()); break;
            case TypeId::Int32: pick(uint32_t{}, static_cast<const ColumnVector<int32_t>&>(col).getData()); break;
            case TypeId::Int64: pick(uint64_t{}, static_cast<const ColumnVector<int64_t>&>(col).getData()); break;
            default: checkShardingKeyType(*key->type);
        }
        for (size_t s = 0; s < c.shards.size(); ++s) {
            Filter mask(rows);
            size_t n = 0;
            for (size_t i = 0; i < rows; ++i) n += (mask[i] = shard_of[i] == s);
            if (!n) continue;
            if (n == rows) { out[s].push_back(block); continue; }
            Block part;
            for (auto& col_in : block.data()) part.insert({col_in.column->filter(mask, n), col_in.type, col_in.name});
            out[s].push_back(std::move(part));
        }
    }
    return out;
}

void StorageDistributed::sendToShard(const ClusterShard& shard, const std::vector<Block>& blocks, const Settings& settings) const {
    if (blocks.empty()) return;
    std::string text = insertText(remoteTableSQL(), blocks.front());
    auto forwarded = forwardedSettings(settings);
    if (shard.internal_replication) {
        connectToShard(shard, settings)->insert(text, blocks, forwarded);
        return;
    }
    for (auto& r : shard.replicas) connectToReplica(r, settings)->insert(text, blocks, forwarded);
}

void StorageDistributed::write(std::vector<Block> blocks, QueryContext& ctx) {
    auto c = cluster();
    // The rows are sent without the columns the shards compute themselves.
    for (auto& b : blocks) {
        Block kept;
        for (auto& col : b.data()) {
            auto* d = metadata_.find(col.name);
            if (d && (d->default_kind == "MATERIALIZED" || d->default_kind == "ALIAS")) continue;
            kept.insert(col);
        }
        b = std::move(kept);
    }
    auto per_shard = splitByShard(*c, std::move(blocks), ctx);
    uint64_t rows = 0;
    for (auto& v : per_shard) for (auto& b : v) rows += b.rows();
    if (ctx.settings.distributed_foreground_insert || data_dir_.empty()) {
        for (size_t s = 0; s < c->shards.size(); ++s) {
            try {
                sendToShard(c->shards[s], per_shard[s], ctx.settings);
            } catch (Exception& e) {
                e.addMessage(": while inserting into shard " + std::to_string(c->shards[s].shard_num) + " of cluster " + c->name);
                throw;
            }
        }
        return;
    }
    // Durable queue: every destination's file is on disk before the INSERT is acknowledged.
    for (size_t s = 0; s < c->shards.size(); ++s) {
        if (per_shard[s].empty()) continue;
        auto& shard = c->shards[s];
        if (shard.internal_replication) enqueue("shard" + std::to_string(shard.shard_num) + "_all_replicas", per_shard[s]);
        else
            for (auto& r : shard.replicas) enqueue("shard" + std::to_string(shard.shard_num) + "_replica" + std::to_string(r.replica_num), per_shard[s]);
    }
    {
        std::lock_guard lock(queue_mutex_);
        pending_ = true;
    }
    wake_.notify_all();
}

void StorageDistributed::enqueue(const std::string& destination, const std::vector<Block>& blocks) {
    fs::path dir = fs::path(data_dir_) / destination;
    uint64_t seq;
    {
        std::lock_guard lock(queue_mutex_);
        seq = ++seq_;
    }
    fs::create_directories(dir);
    writeFileAtomically((dir / (std::to_string(seq) + ".bin")).string(), encodeQueueFile(blocks));
}

bool StorageDistributed::sendQueued(std::string* first_error) {
    std::lock_guard send_lock(send_mutex_);
    if (data_dir_.empty() || !fs::exists(data_dir_)) return true;
    std::shared_ptr<const Cluster> c;
    try { c = cluster(); } catch (const Exception& e) { if (first_error) *first_error = e.what(); return false; }
    bool ok = true;
    for (auto& entry : fs::directory_iterator(data_dir_)) {
        if (!entry.is_directory()) continue;
        std::string dest = entry.path().filename().string();
        // shard<N>_all_replicas | shard<N>_replica<M>
        uint32_t shard_num = 0, replica_num = 0;
        if (sscanf(dest.c_str(), "shard%u_replica%u", &shard_num, &replica_num) < 1) continue;
        if (!shard_num || shard_num > c->shards.size()) continue;
        const ClusterShard& shard = c->shards[shard_num - 1];
        std::vector<fs::path> files;
        for (auto& f : fs::directory_iterator(entry.path()))
            if (f.path().extension() == ".bin") files.push_back(f.path());
        std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return fileSeq(a) < fileSeq(b); });
        for (auto& f : files) {
            try {
                std::vector<Block> blocks;
                try {
                    blocks = decodeQueueFile(f.string());
                } catch (const Exception& e) {
                    // A damaged file is set aside (as ClickHouse's broken/), never sent.
                    fs::create_directories(entry.path() / "broken");
                    fs::rename(f, entry.path() / "broken" / f.filename());
                    std::cerr << "Distributed queue: " << e.what() << "; moved to broken/\n";
                    continue;
                }
                Settings settings;
                settings.distributed_foreground_insert = true;
                if (!blocks.empty()) {
                    std::string text = insertText(remoteTableSQL(), blocks.front());
                    if (replica_num && replica_num <= shard.replicas.size()) connectToReplica(shard.replicas[replica_num - 1], settings)->insert(text, blocks);
                    else connectToShard(shard, settings)->insert(text, blocks);
                }
                fs::remove(f);
                std::lock_guard lock(queue_mutex_);
                last_errors_.erase(dest);
            } catch (const std::exception& e) {
                {
                    std::lock_guard lock(queue_mutex_);
                    last_errors_[dest] = e.what();
                }
                if (ok && first_error) *first_error = std::string(e.what()) + " (shard " + std::to_string(shard_num) + ")";
                ok = false;
                break;   // keep this destination's order: later files wait for this one
            }
        }
    }
    return ok;
}

void StorageDistributed::startup() {
    if (data_dir_.empty()) return;
    std::error_code ec;
    if (fs::exists(data_dir_, ec))
        for (auto& entry : fs::recursive_directory_iterator(data_dir_, ec)) {
            if (entry.path().extension() == ".bin") seq_ = std::max(seq_, fileSeq(entry.path()));
            // Leftover temporary files of an interrupted enqueue are removed.
            if (entry.path().filename().string().find(".tmp") != std::string::npos) fs::remove(entry.path(), ec);
        }
    sender_ = std::thread([this] { senderLoop(); });
}

void StorageDistributed::senderLoop() {
    std::chrono::milliseconds backoff(100);
    while (true) {
        {
            std::unique_lock lock(queue_mutex_);
            wake_.wait_for(lock, backoff, [&] { return stop_ || pending_; });
            if (stop_) return;
            pending_ = false;
            if (sends_stopped_) continue;
        }
        std::string error;
        bool ok = sendQueued(&error);
        backoff = ok ? std::chrono::milliseconds(100) : std::min(backoff * 2, std::chrono::milliseconds(10000));
    }
}

void StorageDistributed::flushQueue() {
    std::string error;
    if (!sendQueued(&error)) throw Exception(ErrorCodes::ALL_CONNECTION_TRIES_FAILED, "Cannot flush distributed queue: " + error);
}

void StorageDistributed::setSendsStopped(bool stopped) {
    std::lock_guard lock(queue_mutex_);
    sends_stopped_ = stopped;
    wake_.notify_all();
}

std::vector<StorageDistributed::QueueStatus> StorageDistributed::queueStatus() const {
    std::vector<QueueStatus> out;
    std::error_code ec;
    if (data_dir_.empty() || !fs::exists(data_dir_, ec)) return out;
    for (auto& entry : fs::directory_iterator(data_dir_, ec)) {
        if (!entry.is_directory()) continue;
        QueueStatus st;
        st.destination = entry.path().filename().string();
        for (auto& f : fs::directory_iterator(entry.path(), ec))
            if (f.path().extension() == ".bin") { ++st.files; st.bytes += f.file_size(ec); }
        std::lock_guard lock(queue_mutex_);
        if (auto it = last_errors_.find(st.destination); it != last_errors_.end()) st.last_error = it->second;
        out.push_back(st);
    }
    return out;
}

void StorageDistributed::shutdown() {
    {
        std::lock_guard lock(queue_mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (sender_.joinable()) sender_.join();
}

void StorageDistributed::drop() {
    shutdown();
    std::error_code ec;
    if (!data_dir_.empty()) fs::remove_all(data_dir_, ec);
}

}  // namespace basalt
