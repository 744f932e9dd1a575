// storage_mergetree_alter.cpp — what changes a MergeTree table after the fact: mutations (ALTER
// DELETE / UPDATE, column rewrites), structure changes (ALTER ... COLUMN, settings), and partition
// and part operations (DROP / DETACH / ATTACH / REPLACE / MOVE PARTITION, DROP PART, FREEZE).
//
// Every operation builds its new parts outside the lock (rewritten through PartWriter, or hard-link
// clones when data does not change) and swaps them in with one replaceParts() call, so readers
// see the table before or after, never in between. Data mutations are queued (mutation_N.txt) and
// applied part by part by the background pool; ALTER waits for them only with mutations_sync.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <thread>

#include "analyzer/analyzer.h"
#include "common/exception.h"
#include "exec/block_ops.h"
#include "functions/cast.h"
#include "interpreter/context.h"
#include "storage/mergetree/storage_mergetree.h"
#include "types/create_column.h"

namespace fs = std::filesystem;

namespace basalt {

ExprNodePtr StorageMergeTree::analyzeOverColumns(const ASTPtr& ast, QueryContext& ctx) const {
    Analyzer analyzer(ctx, [](const ASTPtr&, size_t) -> Block {
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Subqueries are not supported in mutations yet");
    });
    Scope scope;
    for (auto& c : schema_.columns) scope.columns.push_back({c.name, c.type});
    return analyzer.analyze(ast, scope);
}

// Reserves every active part (of a partition) against merges, waiting for running merges on them.
std::vector<DataPartPtr> StorageMergeTree::reserveParts(const std::optional<std::string>& partition, QueryContext& ctx) {
    while (true) {
        {
            std::lock_guard lock(mutex_);
            bool busy = false;
            for (auto& p : *parts_)
                if ((!partition || p->info.partition_id == *partition) && merging_.count(p->name)) busy = true;
            if (!busy) {
                std::vector<DataPartPtr> out;
                for (auto& p : *parts_)
                    if (!partition || p->info.partition_id == *partition) {
                        merging_.insert(p->name);
                        out.push_back(p);
                    }
                return out;
            }
        }
        ctx.checkLimits();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void StorageMergeTree::releaseParts(const std::vector<DataPartPtr>& parts) {
    std::lock_guard lock(mutex_);
    for (auto& p : parts) merging_.erase(p->name);
}

void StorageMergeTree::replaceParts(const std::vector<DataPartPtr>& removed, const std::vector<MutableDataPartPtr>& added) {
    for (auto& p : added) commitPart(*p, dir_);
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<DataPartPtr>>();
    for (auto& p : *parts_)
        if (std::find(removed.begin(), removed.end(), p) == removed.end()) next->push_back(p);
    for (auto& p : added) next->push_back(p);
    std::sort(next->begin(), next->end(), [](auto& a, auto& b) { return a->info < b->info; });
    for (auto& p : removed) {
        p->remove_on_destroy = true;
        merging_.erase(p->name);
    }
    parts_ = std::move(next);
}

// ---------------------------------------------------------------- data mutations
namespace {
StorageMergeTree::MutationBuilder& mutationBuilder() {
    static StorageMergeTree::MutationBuilder builder;
    return builder;
}

int64_t steadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string formatTime(int64_t t) {
    time_t tt = time_t(t);
    struct tm tm;
    gmtime_r(&tt, &tm);
    char buf[32];
    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

constexpr size_t kFinishedMutationsToKeep = 100;   // ClickHouse's finished_mutations_to_keep
}  // namespace

void StorageMergeTree::setMutationBuilder(MutationBuilder builder) { mutationBuilder() = std::move(builder); }

bool StorageMergeTree::needsMutation(const MergeTreeDataPart& p, const MutationState& m) {
    if (m.structural) return false;
    int64_t data_version = p.info.mutation ? p.info.mutation : p.info.min_block;
    return data_version < m.version && (!m.partition || *m.partition == p.info.partition_id);
}

bool StorageMergeTree::hasPendingParts(const MutationState& m) const {
    for (auto& p : *parts_)
        if (needsMutation(*p, m)) return true;
    return false;
}

bool StorageMergeTree::needsAnyMutation(const MergeTreeDataPart& p) const {
    for (auto& [v, m] : mutations_)
        if (needsMutation(p, m)) return true;
    return false;
}

void StorageMergeTree::registerReplicatedMutation(int64_t version, const std::string& command, int64_t create_time) {
    {
        std::lock_guard wlock(write_mutex_);
        {
            std::lock_guard lock(mutex_);
            if (mutations_.count(version)) return;
        }
        writeSmallFileDurably(dir_ + mutationId(version), "format version: 1\ncreate time: " + formatTime(create_time) + "\ncommands: " + command + "\n");
        fsyncDirectory(dir_);
        MutationState st;
        st.version = version;
        st.command = command;
        st.create_time = create_time;   // the Mutation is built from the command by mutationStep
        std::lock_guard lock(mutex_);
        mutations_[version] = std::move(st);
    }
    scheduleMerges();
}

bool StorageMergeTree::hasMutation(int64_t version) const {
    std::lock_guard lock(mutex_);
    return mutations_.count(version) > 0;
}

std::string StorageMergeTree::mutate(const Mutation& m, QueryContext& ctx, bool wait) {
    if (replication_) return replication_->mutate(m.command, ctx, wait);
    int64_t version;
    {
        // The version is a block number: parts of INSERTs numbered before it are mutated, later
        // ones are not. Persisted before it is visible, so an acknowledged mutation survives a crash.
        std::lock_guard wlock(write_mutex_);
        version = next_block_++;
        int64_t now = int64_t(time(nullptr));
        writeSmallFileDurably(dir_ + mutationId(version),
                              "format version: 1\ncreate time: " + formatTime(now) + "\ncommands: " + m.command + "\n");
        fsyncDirectory(dir_);
        MutationState st;
        st.version = version;
        st.command = m.command;
        st.partition = m.partition;
        st.create_time = now;
        st.mutation = std::make_shared<Mutation>(m);
        std::lock_guard lock(mutex_);
        mutations_[version] = std::move(st);
    }
    scheduleMerges();
    if (wait) waitMutation(version, ctx);
    return mutationId(version);
}

bool StorageMergeTree::killMutation(const std::string& mutation_id) {
    requireNotReplicated("KILL MUTATION");
    std::lock_guard lock(mutex_);
    for (auto it = mutations_.begin(); it != mutations_.end(); ++it) {
        if (mutationId(it->first) != mutation_id || it->second.structural) continue;
        std::error_code ec;
        fs::remove(dir_ + mutation_id, ec);
        mutations_.erase(it);
        mutation_cv_.notify_all();
        return true;
    }
    return false;
}

std::vector<StorageMergeTree::MutationEntry> StorageMergeTree::mutations() const {
    std::lock_guard lock(mutex_);
    std::vector<MutationEntry> out;
    for (auto& [v, m] : mutations_) {
        MutationEntry e;
        e.id = mutationId(v);
        e.command = "(" + m.command + ")";
        e.partition_id = m.partition.value_or("");
        e.create_time = m.create_time;
        e.version = v;
        for (auto& p : *parts_)
            if (needsMutation(*p, m)) e.parts_to_do.push_back(p->name);
        e.is_done = e.parts_to_do.empty();
        e.fail_reason = m.fail_reason;
        e.failed_part = m.failed_part;
        e.fail_time = m.fail_time;
        out.push_back(std::move(e));
    }
    return out;
}

// Finished mutations beyond the last kFinishedMutationsToKeep are forgotten (their files too).
// Callers hold mutex_.
void StorageMergeTree::forgetOldMutations() {
    std::vector<int64_t> done;
    for (auto& [v, m] : mutations_)
        if (!hasPendingParts(m)) done.push_back(v);
    for (size_t i = 0; i + kFinishedMutationsToKeep < done.size(); ++i) {
        std::error_code ec;
        fs::remove(dir_ + mutationId(done[i]), ec);
        mutations_.erase(done[i]);
    }
}

void StorageMergeTree::loadMutations() {
    std::lock_guard lock(mutex_);
    for (auto& e : fs::directory_iterator(dir_)) {
        std::string name = e.path().filename().string();
        if (name.rfind("mutation_", 0) != 0 || name.size() < 14 || name.substr(name.size() - 4) != ".txt") continue;
        int64_t version = 0;
        try { version = std::stoll(name.substr(9, name.size() - 13)); } catch (...) { continue; }
        std::string text = readWholeFile(e.path().string());
        MutationState st;
        st.version = version;
        auto field = [&](const std::string& key) -> std::string {
            size_t p = text.find(key + ": ");
            if (p == std::string::npos) return "";
            p += key.size() + 2;
            size_t nl = text.find('\n', p);
            return text.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
        };
        st.command = field("commands");
        std::string created = field("create time");
        struct tm tm{};
        if (strptime(created.c_str(), "%Y-%m-%d %H:%M:%S", &tm)) st.create_time = int64_t(timegm(&tm));
        // The partition scope is known once the command is rebuilt; until then assume all parts.
        mutations_[version] = std::move(st);
        next_block_ = std::max<int64_t>(next_block_, version + 1);
    }
}

void StorageMergeTree::waitMutation(int64_t version, QueryContext& ctx) {
    while (true) {
        {
            std::lock_guard lock(mutex_);
            auto it = mutations_.find(version);
            if (it == mutations_.end())
                throw Exception(ErrorCodes::UNFINISHED, "Mutation " + mutationId(version) + " was killed");
            const MutationState& st = it->second;
            // A failure of this mutation, or of an earlier one it queues behind, ends the wait.
            for (auto& [v, m] : mutations_) {
                if (v > version) break;
                if (!m.fail_reason.empty() && hasPendingParts(m))
                    throw Exception(ErrorCodes::UNFINISHED, "Exception happened during execution of mutation '" + mutationId(v) + "' with part '" +
                                                                m.failed_part + "' reason: '" + m.fail_reason +
                                                                "'. This error maybe retryable or not. In case of unretryable error, mutation "
                                                                "can be killed with KILL MUTATION query");
            }
            if (!hasPendingParts(st)) return;
        }
        // The waiting query helps: it applies mutations up to its own rather than only waiting
        // for the background pool (which SYSTEM STOP MERGES may have paused).
        if (!mutationStep(ctx, version)) {
            std::unique_lock lock(mutex_);
            mutation_cv_.wait_for(lock, std::chrono::milliseconds(20));
        }
        ctx.checkLimits();
    }
}

bool StorageMergeTree::mutationStep(QueryContext& ctx, int64_t up_to) {
    std::shared_lock structure(structure_mutex_);
    DataPartPtr part;
    int64_t version = 0;
    std::shared_ptr<const Mutation> mutation;
    {
        std::lock_guard lock(mutex_);
        int64_t now = steadyMs();
        // Rebuilt commands narrow their partition scope, so build before choosing parts.
        for (auto& [v, m] : mutations_) {
            if (v > up_to) break;
            if (m.mutation || m.structural || m.retry_after_ms > now || !hasPendingParts(m)) continue;
            try {
                if (!mutationBuilder()) throw Exception(ErrorCodes::LOGICAL_ERROR, "No mutation builder installed");
                m.mutation = std::make_shared<Mutation>(mutationBuilder()(*this, m.command, ctx));
                m.partition = m.mutation->partition;
            } catch (const Exception& e) {
                m.fail_reason = e.displayText();
                m.fail_time = int64_t(time(nullptr));
                m.retry_after_ms = now + 1000;
            }
        }
        for (auto& p : *parts_) {
            if (merging_.count(p->name)) continue;
            for (auto& [v, m] : mutations_) {
                if (v > up_to) break;
                if (!needsMutation(*p, m)) continue;
                // The oldest mutation the part needs goes first; if it is backing off after a
                // failure, the part waits (mutations apply in order).
                if (m.mutation && m.retry_after_ms <= now) {
                    part = p;
                    version = v;
                    mutation = m.mutation;
                }
                break;
            }
            if (part) break;
        }
        if (!part) return false;
        merging_.insert(part->name);
    }
    MutableDataPartPtr result;
    try {
        result = mutatePart(part, *mutation, version, ctx);
    } catch (const Exception& e) {
        std::lock_guard lock(mutex_);
        merging_.erase(part->name);
        auto it = mutations_.find(version);
        if (it != mutations_.end()) {
            auto& m = it->second;
            m.fail_reason = e.displayText();
            m.failed_part = part->name;
            m.fail_time = int64_t(time(nullptr));
            ++m.failures;
            m.retry_after_ms = steadyMs() + std::min<int64_t>(60000, 1000LL << std::min<int64_t>(m.failures - 1, 6));
        }
        mutation_cv_.notify_all();
        if (e.code() == ErrorCodes::ABORTED) throw;
        return false;
    } catch (...) {
        releaseParts({part});
        throw;
    }
    replaceParts({part}, result ? std::vector<MutableDataPartPtr>{result} : std::vector<MutableDataPartPtr>{});
    if (replication_) replication_->partReplaced(part->name, result ? result->name : "");
    std::lock_guard lock(mutex_);
    auto it = mutations_.find(version);
    if (it != mutations_.end() && it->second.failed_part == part->name) {
        it->second.fail_reason.clear();
        it->second.failed_part.clear();
    }
    forgetOldMutations();
    mutation_cv_.notify_all();
    return true;
}

void StorageMergeTree::alter(TableMetadata md, std::shared_ptr<ASTCreateQuery> q, const Mutation* mutation, QueryContext& ctx) {
    requireNotReplicated("ALTER");
    if (mutation) {
        // Rewritten parts take a newer version than every queued data mutation, which would then
        // skip them: those mutations finish first.
        int64_t last = 0;
        {
            std::lock_guard lock(mutex_);
            for (auto& [v, m] : mutations_)
                if (!m.structural) last = v;
        }
        if (last) waitMutation(last, ctx);
    }
    std::unique_lock structure(structure_mutex_);   // no INSERT or merge runs meanwhile
    // Parts are read with the old structure and written with the new one.
    PartSchema old_schema = schema_;
    auto old_fill = fill_;
    TableMetadata old_md = metadata_;
    auto old_query = create_query;
    {
        std::lock_guard lock(mutex_);
        metadata_ = std::move(md);
        create_query = q;
    }
    try {
        rebuildSchema(ctx);
        validateTTL(ctx);
        for (auto& [n, v] : q->engine_settings) settings_.apply(n, v);
        // Queued data mutations were analyzed against the old columns: rebuilt from their SQL
        // before they touch another part.
        std::lock_guard lock(mutex_);
        for (auto& [v, m] : mutations_)
            if (!m.structural) m.mutation.reset();
    } catch (...) {
        std::lock_guard lock(mutex_);
        metadata_ = old_md;
        create_query = old_query;
        schema_ = old_schema;
        fill_ = old_fill;
        throw;
    }
    if (!mutation) return;
    std::lock_guard wlock(write_mutex_);
    int64_t version = next_block_++;
    auto targets = reserveParts(std::nullopt, ctx);
    std::vector<MutableDataPartPtr> added;
    try {
        for (auto& part : targets) {
            MergeTreePartInfo info = part->info;
            info.mutation = version;
            if (!mutation->transform) {
                added.push_back(clonePartWithHardLinks(*part, dir_, "alter", info, schema_.columns, mutation->renamed_from, schema_));
                continue;
            }
            PartReader reader(part, old_schema.columns, old_fill);
            PartWriter writer(dir_, "alter", info, schema_);
            size_t step = std::max<size_t>(1, 65536 / std::max<size_t>(1, settings_.index_granularity));
            for (size_t g = 0; g < part->marksCount(); g += step) {
                Block b = reader.read(g, std::min(part->marksCount(), g + step));
                conformToTypes(b, old_schema.columns, ctx.functionContext());
                Block out = mutation->transform(std::move(b));
                writer.write(out, primaryKeyColumns(out, ctx));
            }
            added.push_back(writer.finish(part->partition_value));
        }
    } catch (...) {
        releaseParts(targets);
        std::lock_guard lock(mutex_);
        metadata_ = old_md;
        create_query = old_query;
        schema_ = old_schema;
        fill_ = old_fill;
        throw;
    }
    replaceParts(targets, added);
    std::lock_guard lock(mutex_);
    MutationState st;
    st.version = version;
    st.command = mutation->command;
    st.create_time = int64_t(time(nullptr));
    st.structural = true;
    mutations_[version] = std::move(st);
    forgetOldMutations();
}

// ---------------------------------------------------------------- partitions and parts
void StorageMergeTree::dropPartition(const std::optional<std::string>& partition_id, bool detach, QueryContext& ctx) {
    if (replication_) {
        if (!partition_id) requireNotReplicated("DROP / DETACH of every partition");
        return replication_->dropPartition(*partition_id, detach, ctx);
    }
    std::shared_lock structure(structure_mutex_);
    std::lock_guard wlock(write_mutex_);
    auto targets = reserveParts(partition_id, ctx);
    try {
        if (detach) {
            fs::create_directories(fs::path(dir_) / "detached");
            for (auto& p : targets) hardLinkDirectory(p->path, dir_ + "detached/" + p->name);
            fsyncDirectory(dir_ + "detached");
        }
    } catch (...) {
        releaseParts(targets);
        throw;
    }
    replaceParts(targets, {});
}

void StorageMergeTree::dropPart(const std::string& name, bool detach) {
    requireNotReplicated("DROP / DETACH PART");
    std::shared_lock structure(structure_mutex_);
    std::lock_guard wlock(write_mutex_);
    DataPartPtr target;
    {
        std::lock_guard lock(mutex_);
        for (auto& p : *parts_)
            if (p->name == name) target = p;
        if (!target) throw Exception(ErrorCodes::NO_SUCH_DATA_PART, "Part " + name + " not found");
        if (merging_.count(name)) throw Exception(ErrorCodes::NO_SUCH_DATA_PART, "Part " + name + " is being merged now");
        merging_.insert(name);
    }
    try {
        if (detach) {
            fs::create_directories(fs::path(dir_) / "detached");
            hardLinkDirectory(target->path, dir_ + "detached/" + target->name);
            fsyncDirectory(dir_ + "detached");
        }
    } catch (...) {
        releaseParts({target});
        throw;
    }
    replaceParts({target}, {});
}

size_t StorageMergeTree::attachDetached(const std::optional<std::string>& partition_id, const std::optional<std::string>& part_name) {
    requireNotReplicated("ATTACH PARTITION / PART");
    std::shared_lock structure(structure_mutex_);
    std::lock_guard wlock(write_mutex_);
    std::string detached = dir_ + "detached/";
    std::vector<std::string> names;
    std::error_code ec;
    if (fs::exists(detached, ec))
        for (auto& e : fs::directory_iterator(detached)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    if (part_name) {
        if (std::find(names.begin(), names.end(), *part_name) == names.end())
            throw Exception(ErrorCodes::BAD_DATA_PART_NAME, "Detached part \"" + *part_name + "\" not found");
        names = {*part_name};
    }
    std::vector<MutableDataPartPtr> added;
    std::vector<std::string> sources;
    try {
        for (auto& name : names) {
            auto info = MergeTreePartInfo::parse(name);
            if (!info) {
                if (part_name) throw Exception(ErrorCodes::BAD_DATA_PART_NAME, "Unexpected part name: " + name);
                continue;   // broken_..., ignored_...: never attached implicitly
            }
            if (partition_id && info->partition_id != *partition_id) continue;
            // A detached part keeps its data; it gets new block numbers here.
            MergeTreePartInfo fresh = *info;
            fresh.min_block = fresh.max_block = next_block_++;
            fresh.level = 0;
            fresh.mutation = 0;
            std::string tmp = dir_ + "tmp_attach_" + fresh.name() + "/";
            fs::rename(detached + name, tmp);
            sources.push_back(name);
            try {
                added.push_back(MergeTreeDataPart::load(tmp, fresh, schema_));
            } catch (...) {
                fs::rename(tmp, detached + name, ec);
                sources.pop_back();
                throw;
            }
        }
    } catch (...) {
        for (size_t i = 0; i < added.size(); ++i) fs::rename(fs::path(added[i]->path).parent_path(), detached + sources[i], ec);
        throw;
    }
    replaceParts({}, added);
    return added.size();
}

bool StorageMergeTree::sameStructure(const StorageMergeTree& o) const {
    if (schema_.columns.size() != o.schema_.columns.size()) return false;
    for (size_t i = 0; i < schema_.columns.size(); ++i)
        if (schema_.columns[i].name != o.schema_.columns[i].name || !schema_.columns[i].type->equals(*o.schema_.columns[i].type)) return false;
    return sortingKeyDescription() == o.sortingKeyDescription() && partitionKeyDescription() == o.partitionKeyDescription() &&
           primaryKeyDescription() == o.primaryKeyDescription();
}

void StorageMergeTree::attachPartitionFrom(StorageMergeTree& src, const std::string& partition_id, bool replace, QueryContext& ctx) {
    requireNotReplicated("ATTACH / REPLACE PARTITION ... FROM");
    if (!sameStructure(src))
        throw Exception(ErrorCodes::INCOMPATIBLE_COLUMNS, "Tables have different structure");
    std::shared_lock structure(structure_mutex_);
    std::lock_guard wlock(write_mutex_);
    std::vector<DataPartPtr> src_parts;
    for (auto& p : *src.parts())
        if (p->info.partition_id == partition_id) src_parts.push_back(p);
    std::vector<DataPartPtr> ours;
    if (replace) ours = reserveParts(partition_id, ctx);
    std::vector<MutableDataPartPtr> added;
    try {
        for (auto& p : src_parts) {
            MergeTreePartInfo info = p->info;
            info.min_block = info.max_block = next_block_++;
            info.mutation = 0;
            added.push_back(clonePartWithHardLinks(*p, dir_, "attach", info, schema_.columns, {}, schema_));
        }
    } catch (...) {
        releaseParts(ours);
        throw;
    }
    replaceParts(ours, added);
}

size_t StorageMergeTree::freeze(const std::optional<std::string>& partition_id, const std::string& shadow_dir) {
    size_t n = 0;
    // The snapshot must outlive the loop (a temporary shared_ptr in the range expression would not).
    for (auto snap = parts(); auto& p : *snap) {
        if (partition_id && p->info.partition_id != *partition_id) continue;
        hardLinkDirectory(p->path, shadow_dir + p->name);
        ++n;
    }
    return n;
}

}  // namespace basalt
