// part_exchange.h — how replicas copy parts from each other: the interserver HTTP endpoint
// (interserver_http_port) that sends an active part's files, and the client that fetches them
// into a temporary directory. ClickHouse's DataPartsExchange in spirit (same URL shape:
// /?endpoint=DataPartsExchange:<replica_path>&part=<name>), basalt's own body format:
//
//   "basalt-part 1\n", u64 file count, then per file: u32 name length, name, u64 size, bytes
//
// (little-endian). Nothing read from the network is trusted: names must be plain file names,
// counts and name lengths are bounded, and the received part is only used after every file
// matches its checksums.txt (MergeTreeDataPart::load).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace Poco::Net { class HTTPRequestHandlerFactory; }

namespace basalt {

class StorageMergeTree;

// Replicated tables of this server by replica path (<zk_path>/replicas/<name>): what the endpoint serves.
void registerReplicaEndpoint(const std::string& replica_path, std::weak_ptr<StorageMergeTree> table);
void unregisterReplicaEndpoint(const std::string& replica_path);

Poco::Net::HTTPRequestHandlerFactory* makeInterserverHandlerFactory();

// Fetches part `part_name` from the replica at host:port serving `replica_path` into `dest_dir`
// (created; every file fsynced). NO_REPLICA_HAS_PART (234) when the peer does not have it,
// ALL_CONNECTION_TRIES_FAILED (279) when it cannot be reached, CORRUPTED_DATA for a malformed body.
void fetchPartFiles(const std::string& host, uint16_t port, const std::string& replica_path, const std::string& part_name,
                    const std::string& dest_dir, int timeout_seconds);

}  // namespace basalt
