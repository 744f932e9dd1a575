// part_exchange.cpp — the interserver endpoint sending part files, and the fetching client
// (see part_exchange.h).
#include "replication/part_exchange.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <vector>

#include "common/exception.h"
#include "storage/mergetree/file_io.h"
#include "storage/mergetree/storage_mergetree.h"

namespace fs = std::filesystem;

namespace basalt {

namespace {

constexpr const char* kMagic = "basalt-part 1\n";
constexpr uint64_t kMaxFiles = 100000;
constexpr uint32_t kMaxNameLength = 1024;

std::mutex g_endpoints_mutex;
std::map<std::string, std::weak_ptr<StorageMergeTree>>& endpoints() {
    static std::map<std::string, std::weak_ptr<StorageMergeTree>> m;
    return m;
}

bool plainFileName(const std::string& n) {
    return !n.empty() && n != "." && n != ".." && n.find('/') == std::string::npos && n.find('\0') == std::string::npos;
}

template <typename T>
void putInt(std::ostream& out, T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));   // little-endian hosts only (x86-64, aarch64)
    out.write(buf, sizeof(T));
}

template <typename T>
T getInt(std::istream& in) {
    char buf[sizeof(T)];
    in.read(buf, sizeof(T));
    if (in.gcount() != std::streamsize(sizeof(T))) throw Exception(ErrorCodes::CORRUPTED_DATA, "Unexpected end of a fetched part");
    T v;
    std::memcpy(&v, buf, sizeof(T));
    return v;
}

class PartSendHandler final : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        try {
            Poco::URI uri(request.getURI());
            std::string endpoint, part_name;
            for (auto& [k, v] : uri.getQueryParameters()) {
                if (k == "endpoint") endpoint = v;
                else if (k == "part") part_name = v;
            }
            const std::string prefix = "DataPartsExchange:";
            if (endpoint.rfind(prefix, 0) != 0 || part_name.empty()) return fail(response, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "Bad request");
            std::shared_ptr<StorageMergeTree> table;
            {
                std::lock_guard lock(g_endpoints_mutex);
                auto it = endpoints().find(endpoint.substr(prefix.size()));
                if (it != endpoints().end()) table = it->second.lock();
            }
            if (!table) return fail(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "No replica " + endpoint.substr(prefix.size()) + " here");
            // Hold the part for the whole transfer: a merge may supersede it meanwhile, its files
            // stay until the last holder lets go.
            DataPartPtr part;
            for (auto snap = table->parts(); auto& p : *snap)
                if (p->name == part_name) part = p;
            if (!part) return fail(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "No part " + part_name + " in table");
            std::vector<std::pair<std::string, uint64_t>> files;
            for (auto& e : fs::directory_iterator(part->path))
                if (e.is_regular_file()) files.push_back({e.path().filename().string(), uint64_t(e.file_size())});
            std::sort(files.begin(), files.end());
            response.setContentType("application/octet-stream");
            response.setChunkedTransferEncoding(true);
            std::ostream& out = response.send();
            out.write(kMagic, std::streamsize(std::strlen(kMagic)));
            putInt<uint64_t>(out, files.size());
            std::vector<char> buf(1 << 20);
            for (auto& [name, size] : files) {
                putInt<uint32_t>(out, uint32_t(name.size()));
                out.write(name.data(), std::streamsize(name.size()));
                putInt<uint64_t>(out, size);
                std::ifstream in(part->path + name, std::ios::binary);
                uint64_t left = size;
                while (left && in) {
                    in.read(buf.data(), std::streamsize(std::min<uint64_t>(left, buf.size())));
                    auto got = in.gcount();
                    if (got <= 0) break;
                    out.write(buf.data(), got);
                    left -= uint64_t(got);
                }
                // A short file leaves the body short: the receiver fails on it (never a wrong part).
                if (left) return;
            }
            out.flush();
        } catch (const std::exception& e) {
            if (!response.sent()) fail(response, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, e.what());
        }
    }

private:
    static void fail(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status, const std::string& message) {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.send() << message;
    }
};

class InterserverHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override { return new PartSendHandler; }
};

}  // namespace

void registerReplicaEndpoint(const std::string& replica_path, std::weak_ptr<StorageMergeTree> table) {
    std::lock_guard lock(g_endpoints_mutex);
    endpoints()[replica_path] = std::move(table);
}

void unregisterReplicaEndpoint(const std::string& replica_path) {
    std::lock_guard lock(g_endpoints_mutex);
    endpoints().erase(replica_path);
}

Poco::Net::HTTPRequestHandlerFactory* makeInterserverHandlerFactory() { return new InterserverHandlerFactory; }

void fetchPartFiles(const std::string& host, uint16_t port, const std::string& replica_path, const std::string& part_name,
                    const std::string& dest_dir, int timeout_seconds) {
    Poco::URI uri;
    uri.setPath("/");
    uri.addQueryParameter("endpoint", "DataPartsExchange:" + replica_path);
    uri.addQueryParameter("part", part_name);
    Poco::Net::HTTPClientSession session(host, port);
    session.setTimeout(Poco::Timespan(timeout_seconds, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::HTTPResponse response;
    std::istream* body = nullptr;
    try {
        session.sendRequest(request);
        body = &session.receiveResponse(response);
    } catch (const Poco::Exception& e) {
        throw Exception(ErrorCodes::ALL_CONNECTION_TRIES_FAILED, "Cannot fetch part " + part_name + " from " + host + ":" + std::to_string(port) + ": " + e.displayText());
    }
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
        std::string message((std::istreambuf_iterator<char>(*body)), std::istreambuf_iterator<char>());
        throw Exception(response.getStatus() == Poco::Net::HTTPResponse::HTTP_NOT_FOUND ? ErrorCodes::NO_REPLICA_HAS_PART : ErrorCodes::ALL_CONNECTION_TRIES_FAILED,
                        "Cannot fetch part " + part_name + " from " + host + ":" + std::to_string(port) + ": " + message.substr(0, 1000));
    }
    std::istream& in = *body;
    std::string magic(std::strlen(kMagic), '\0');
    in.read(magic.data(), std::streamsize(magic.size()));
    if (magic != kMagic) throw Exception(ErrorCodes::CORRUPTED_DATA, "Fetched part " + part_name + ": not a part stream");
    uint64_t count = getInt<uint64_t>(in);
    if (count > kMaxFiles) throw Exception(ErrorCodes::CORRUPTED_DATA, "Fetched part " + part_name + ": too many files (" + std::to_string(count) + ")");
    std::error_code ec;
    fs::remove_all(dest_dir, ec);
    fs::create_directories(dest_dir);
    std::vector<char> buf(1 << 20);
    for (uint64_t i = 0; i < count; ++i) {
        uint32_t len = getInt<uint32_t>(in);
        if (len > kMaxNameLength) throw Exception(ErrorCodes::CORRUPTED_DATA, "Fetched part " + part_name + ": file name too long");
        std::string name(len, '\0');
        in.read(name.data(), len);
        if (in.gcount() != std::streamsize(len) || !plainFileName(name))
            throw Exception(ErrorCodes::CORRUPTED_DATA, "Fetched part " + part_name + ": bad file name");
        uint64_t size = getInt<uint64_t>(in);
        WriteFile out(dest_dir + "/" + name);
        uint64_t left = size;
        while (left) {
            in.read(buf.data(), std::streamsize(std::min<uint64_t>(left, buf.size())));
            auto got = in.gcount();
            if (got <= 0) throw Exception(ErrorCodes::CORRUPTED_DATA, "Fetched part " + part_name + ": unexpected end of file " + name);
            out.write(buf.data(), size_t(got));
            left -= uint64_t(got);
        }
        out.finish();   // fsynced
    }
    fsyncDirectory(dest_dir);
}

}  // namespace basalt
