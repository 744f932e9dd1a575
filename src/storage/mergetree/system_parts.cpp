// system_parts.cpp — system.parts, system.parts_columns and system.detached_parts: what every
// MergeTree table holds on disk, generated from the tables' current part snapshots.
#include <chrono>
#include <filesystem>

#include "formats/format.h"
#include "formats/value_text.h"
#include "interpreter/context.h"
#include "storage/catalog.h"
#include "storage/mergetree/storage_mergetree.h"
#include "storage/system_tables.h"
#include "types/create_column.h"

namespace fs = std::filesystem;

namespace basalt {

namespace {

// MergeTreePartition::serializeText: `tuple()`, the bare value, or a quoted tuple `(1,'a')`.
std::string partitionText(const MergeTreeDataPart& p, const FormatSettings& fs) {
    const Block& v = p.partition_value;
    if (v.columns() == 0) return "tuple()";
    std::string out;
    if (v.columns() == 1) {
        serializeText(*v.at(0).type, *v.at(0).column, 0, out, TextStyle::Raw, fs);
        return out;
    }
    out = "(";
    for (size_t i = 0; i < v.columns(); ++i) {
        if (i) out += ",";
        serializeText(*v.at(i).type, *v.at(i).column, 0, out, TextStyle::Quoted, fs);
    }
    return out + ")";
}

template <typename F>
void forEachMergeTree(QueryContext& ctx, F&& f) {
    for (auto& d : ctx.catalog->databases())
        for (auto& [n, s] : ctx.catalog->tables(d))
            if (auto* mt = dynamic_cast<StorageMergeTree*>(s.get())) f(d, n, *mt);
}

}  // namespace

void registerMergeTreeSystemTables(Catalog& catalog) {
    auto add = [&](const std::string& name, StoragePtr s) { catalog.addTable("system", name, std::move(s), false); };
    auto u64 = [](const char* n) { return col(n, TypeId::UInt64); };
    auto str = [](const char* n) { return col(n, TypeId::String); };
    std::vector<ColumnDescription> pcols{
        str("partition"), str("name"), str("part_type"), col("active", TypeId::UInt8), u64("marks"), u64("rows"),
        u64("bytes_on_disk"), u64("data_compressed_bytes"), u64("data_uncompressed_bytes"), u64("marks_bytes"),
        col("modification_time", TypeId::DateTime), col("refcount", TypeId::UInt32), col("min_date", TypeId::Date),
        col("max_date", TypeId::Date), col("min_time", TypeId::DateTime), col("max_time", TypeId::DateTime), str("partition_id"),
        col("min_block_number", TypeId::Int64), col("max_block_number", TypeId::Int64), col("level", TypeId::UInt32),
        u64("data_version"), u64("primary_key_bytes_in_memory"), str("database"), str("table"), str("engine"), str("disk_name"),
        str("path")};
    add("parts", std::make_shared<StorageGenerated>("SystemParts", pcols, [pcols](QueryContext& ctx) {
        RowBuilder rb(pcols);
        FormatSettings fs = ctx.formatSettings();
        forEachMergeTree(ctx, [&](const std::string& db, const std::string& table, StorageMergeTree& mt) {
            auto snap = mt.parts();
            for (auto& p : *snap) {
                uint64_t marks_bytes = 0;
                for (auto& [f, c] : p->checksums)
                    if (f.size() > 5 && f.compare(f.size() - 5, 5, ".mrk2") == 0) marks_bytes += c.size;
                Field min_date = uint64_t(0), max_date = uint64_t(0), min_time = uint64_t(0), max_time = uint64_t(0);
                for (auto& c : p->minmax.data()) {
                    if (c.type->id == TypeId::Date) { min_date = c.column->get(0); max_date = c.column->get(1); break; }
                    if (c.type->id == TypeId::DateTime) { min_time = c.column->get(0); max_time = c.column->get(1); break; }
                }
                // ClickHouse counts the final mark (the last row's key, which basalt's index also holds).
                rb.add({partitionText(*p, fs), p->name, "Wide", uint64_t(1), uint64_t(p->marksCount() + 1), p->rows, p->bytes_on_disk,
                        p->data_compressed_bytes, p->data_uncompressed_bytes, marks_bytes, uint64_t(p->modification_time),
                        uint64_t(snap.use_count()), min_date, max_date, min_time, max_time, p->info.partition_id, p->info.min_block,
                        p->info.max_block, uint64_t(p->info.level), uint64_t(p->info.mutation ? p->info.mutation : p->info.min_block),
                        uint64_t(p->index.bytes()), db, table, mt.engineName(), "default", p->path});
            }
        });
        return rb.build();
    }));

    std::vector<ColumnDescription> pccols{str("partition"), str("name"), col("active", TypeId::UInt8), u64("marks"), u64("rows"),
                                          str("partition_id"), str("database"), str("table"), str("column"), str("type"),
                                          u64("column_position"), u64("column_data_compressed_bytes"), u64("column_marks_bytes")};
    add("parts_columns", std::make_shared<StorageGenerated>("SystemPartsColumns", pccols, [pccols](QueryContext& ctx) {
        RowBuilder rb(pccols);
        FormatSettings fs = ctx.formatSettings();
        forEachMergeTree(ctx, [&](const std::string& db, const std::string& table, StorageMergeTree& mt) {
            for (auto& p : *mt.parts()) {
                uint64_t pos = 0;
                for (auto& c : p->columns) {
                    std::vector<std::string> streams;
                    enumerateStreams(*c.type, escapeForFileName(c.name), streams);
                    uint64_t data = 0, marks = 0;
                    for (auto& s : streams) {
                        auto d = p->checksums.find(s + ".bin");
                        auto m = p->checksums.find(s + ".mrk2");
                        if (d != p->checksums.end()) data += d->second.size;
                        if (m != p->checksums.end()) marks += m->second.size;
                    }
                    rb.add({partitionText(*p, fs), p->name, uint64_t(1), uint64_t(p->marksCount() + 1), p->rows, p->info.partition_id, db, table,
                            c.name, c.type->name(), ++pos, data, marks});
                }
            }
        });
        return rb.build();
    }));

    std::vector<ColumnDescription> mcols{str("database"), str("table"), str("mutation_id"), str("command"), col("create_time", TypeId::DateTime),
                                         col("block_numbers.partition_id", makeArray(makeType(TypeId::String))),
                                         col("block_numbers.number", makeArray(makeType(TypeId::Int64))),
                                         col("parts_to_do_names", makeArray(makeType(TypeId::String))), col("parts_to_do", TypeId::Int64),
                                         col("is_done", TypeId::UInt8), col("is_killed", TypeId::UInt8), str("latest_failed_part"),
                                         col("latest_fail_time", TypeId::DateTime), str("latest_fail_reason")};
    add("mutations", std::make_shared<StorageGenerated>("SystemMutations", mcols, [mcols](QueryContext& ctx) {
        RowBuilder rb(mcols);
        forEachMergeTree(ctx, [&](const std::string& db, const std::string& table, StorageMergeTree& mt) {
            for (auto& m : mt.mutations()) {
                FieldArray todo, pids, numbers;
                for (auto& n : m.parts_to_do) todo.items.push_back(Field(n));
                pids.items.push_back(Field(m.partition_id));
                numbers.items.push_back(Field(m.version));
                rb.add({db, table, m.id, m.command, uint64_t(m.create_time), Field(pids), Field(numbers), Field(todo), int64_t(m.parts_to_do.size()),
                        uint64_t(m.is_done), uint64_t(0), m.failed_part, uint64_t(m.fail_time), m.fail_reason});
            }
        });
        return rb.build();
    }));

    std::vector<ColumnDescription> mgcols{str("database"), str("table"), col("elapsed", TypeId::Float64), col("progress", TypeId::Float64),
                                          u64("num_parts"), col("source_part_names", makeArray(makeType(TypeId::String))), str("result_part_name"),
                                          str("partition_id"), col("is_mutation", TypeId::UInt8), u64("total_size_bytes_compressed"),
                                          u64("rows_read"), u64("rows_total")};
    add("merges", std::make_shared<StorageGenerated>("SystemMerges", mgcols, [mgcols](QueryContext& ctx) {
        RowBuilder rb(mgcols);
        int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        forEachMergeTree(ctx, [&](const std::string& db, const std::string& table, StorageMergeTree& mt) {
            for (auto& m : mt.runningMerges()) {
                FieldArray names;
                for (auto& n : m.sources) names.items.push_back(Field(n));
                uint64_t read = *m.rows_read;
                rb.add({db, table, double(now_us - m.start_us) / 1e6, m.total_rows ? double(read) / double(m.total_rows) : 1.0,
                        uint64_t(m.sources.size()), Field(names), m.result_part, m.partition_id, uint64_t(0), m.total_bytes, read, m.total_rows});
            }
        });
        return rb.build();
    }));

    std::vector<ColumnDescription> dcols{str("database"), str("table"), str("partition_id"), str("name"), str("disk"), str("path"),
                                         str("reason"), col("min_block_number", makeNullable(makeType(TypeId::Int64))),
                                         col("max_block_number", makeNullable(makeType(TypeId::Int64))),
                                         col("level", makeNullable(makeType(TypeId::UInt32)))};
    add("detached_parts", std::make_shared<StorageGenerated>("SystemDetachedParts", dcols, [dcols](QueryContext& ctx) {
        RowBuilder rb(dcols);
        forEachMergeTree(ctx, [&](const std::string& db, const std::string& table, StorageMergeTree& mt) {
            std::error_code ec;
            fs::path dir = fs::path(mt.dataDir()) / "detached";
            if (!fs::exists(dir, ec)) return;
            std::vector<std::string> names;
            for (auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
            std::sort(names.begin(), names.end());
            for (auto& name : names) {
                // ClickHouse's detach reasons prefix the part name: broken_<part>, ignored_<part>, ...
                static const char* reasons[] = {"broken", "unexpected", "noquorum", "ignored", "clone", "attaching", "deleting",
                                                "tmp-fetch", "covered-by-broken", "merge-not-byte-identical", "mutate-not-byte-identical",
                                                "broken-from-backup", "broken-on-start"};
                std::string reason, part = name;
                for (const char* r : reasons) {
                    std::string prefix = std::string(r) + "_";
                    if (name.rfind(prefix, 0) == 0) { reason = r; part = name.substr(prefix.size()); break; }
                }
                auto info = MergeTreePartInfo::parse(part);
                rb.add({db, table, info ? Field(info->partition_id) : Field(), name, "default", (dir / name).string() + "/", reason,
                        info ? Field(info->min_block) : Field(), info ? Field(info->max_block) : Field(),
                        info ? Field(uint64_t(info->level)) : Field()});
            }
        });
        return rb.build();
    }));
}

}  // namespace basalt
