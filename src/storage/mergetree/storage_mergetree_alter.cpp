// storage_mergetree_alter.cpp — what changes a MergeTree table after the fact: mutations (ALTER
// DELETE / UPDATE, column rewrites), structure changes (ALTER ... COLUMN, settings), and partition
// and part operations (DROP / DETACH / ATTACH / REPLACE / MOVE PARTITION, DROP PART, FREEZE).
//
// Every operation builds its new parts outside the lock (rewritten through PartWriter, or hard-link
// clones when data does not change) and swaps them in with one replaceParts() call, so readers
// see the table before or after, never in between. Mutations are applied synchronously (as with
// mutations_sync = 2); system.mutations records each one.
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

void StorageMergeTree::mutate(const Mutation& m, QueryContext& ctx) {
    std::shared_lock structure(structure_mutex_);
    std::lock_guard wlock(write_mutex_);
    int64_t version = next_block_++;
    auto targets = reserveParts(m.partition, ctx);
    std::vector<MutableDataPartPtr> added;
    std::vector<DataPartPtr> removed;
    try {
        for (auto& part : targets) {
            MergeTreePartInfo info = part->info;
            info.mutation = version;
            removed.push_back(part);
            if (!m.transform || (m.affects && !m.affects(part))) {
                added.push_back(clonePartWithHardLinks(*part, dir_, "mutate", info, schema_.columns, m.renamed_from, schema_, m.cleared_indexes));
                continue;
            }
            PartReader reader(part, schema_.columns, fill_);
            PartWriter writer(dir_, "mutate", info, schema_);
            size_t step = std::max<size_t>(1, 65536 / std::max<size_t>(1, settings_.index_granularity));
            size_t rows = 0;
            for (size_t g = 0; g < part->marksCount(); g += step) {
                if (shutdown_) throw Exception(ErrorCodes::ABORTED, "Cancelled mutating parts");
                Block b = reader.read(g, std::min(part->marksCount(), g + step));
                conformToTypes(b, schema_.columns, ctx.functionContext());
                Block out = m.transform(std::move(b));
                if (!out.rows()) continue;
                rows += out.rows();
                Block keys = primaryKeyColumns(out, ctx);
                writer.write(out, keys);
            }
            MutableDataPartPtr np = writer.finish(part->partition_value);
            if (rows) added.push_back(np);
            else np->remove_on_destroy = true;   // every row deleted: the part just goes
        }
    } catch (...) {
        releaseParts(targets);
        {
            std::lock_guard lock(mutex_);
            mutations_.push_back({"mutation_" + std::to_string(version) + ".txt", m.command, int64_t(time(nullptr)), version, false,
                                  "failed"});
        }
        throw;
    }
    replaceParts(removed, added);
    std::lock_guard lock(mutex_);
    mutations_.push_back({"mutation_" + std::to_string(version) + ".txt", m.command, int64_t(time(nullptr)), version, true, ""});
}

void StorageMergeTree::alter(TableMetadata md, std::shared_ptr<ASTCreateQuery> q, const Mutation* mutation, QueryContext& ctx) {
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
    mutations_.push_back({"mutation_" + std::to_string(version) + ".txt", mutation->command, int64_t(time(nullptr)), version, true, ""});
}

// ---------------------------------------------------------------- partitions and parts
void StorageMergeTree::dropPartition(const std::optional<std::string>& partition_id, bool detach, QueryContext& ctx) {
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
    for (auto& p : *parts()) {
        if (partition_id && p->info.partition_id != *partition_id) continue;
        hardLinkDirectory(p->path, shadow_dir + p->name);
        ++n;
    }
    return n;
}

}  // namespace basalt
