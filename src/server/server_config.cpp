// server_config.cpp — YAML configuration of `basalt server` (yaml-cpp), with checked values.
#include "server/server_config.h"

#include <yaml-cpp/yaml.h>

#include "common/exception.h"
#include "common/sha256.h"

namespace basalt {

namespace {

std::string scalarText(const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " must be a scalar value");
    return n.Scalar();
}

uint64_t unsignedValue(const YAML::Node& n, const std::string& key) {
    std::string s = scalarText(n, key);
    try {
        size_t pos = 0;
        uint64_t v = std::stoull(s, &pos);
        if (pos == s.size()) return v;
    } catch (...) {}
    throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " must be a non-negative integer, got '" + s + "'");
}

bool boolValue(const YAML::Node& n, const std::string& key) {
    std::string s = scalarText(n, key);
    if (s == "true" || s == "1" || s == "yes") return true;
    if (s == "false" || s == "0" || s == "no") return false;
    throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " must be true or false, got '" + s + "'");
}

}  // namespace

ServerConfig ServerConfig::load(const std::string& file) {
    ServerConfig c;
    c.profiles["default"] = {};
    if (file.empty()) {
        c.users["default"] = UserConfig{"default", "", true, "default"};
        return c;
    }
    YAML::Node root;
    try {
        root = YAML::LoadFile(file);
    } catch (const YAML::Exception& e) {
        throw Exception(ErrorCodes::CANNOT_LOAD_CONFIG, "Cannot load config " + file + ": " + e.what());
    }
    if (!root.IsMap() && !root.IsNull()) throw Exception(ErrorCodes::CANNOT_LOAD_CONFIG, "Config " + file + " must be a YAML mapping");
    for (auto it = root.begin(); root.IsMap() && it != root.end(); ++it) {
        std::string key = it->first.as<std::string>();
        YAML::Node v = it->second;
        auto port = [&](uint16_t& out) {
            uint64_t p = unsignedValue(v, key);
            if (p > 65535) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " is not a port number: " + std::to_string(p));
            out = uint16_t(p);
        };
        if (key == "listen_host") c.listen_host = scalarText(v, key);
        else if (key == "http_port") port(c.http_port);
        else if (key == "tcp_port") port(c.tcp_port);
        else if (key == "path") c.path = scalarText(v, key);
        else if (key == "display_name") c.display_name = scalarText(v, key);
        else if (key == "max_concurrent_queries") c.max_concurrent_queries = unsignedValue(v, key);
        else if (key == "max_connections") c.max_connections = unsignedValue(v, key);
        else if (key == "max_request_body_bytes") c.max_request_body_bytes = unsignedValue(v, key);
        else if (key == "shutdown_timeout_seconds") c.shutdown_timeout_seconds = unsignedValue(v, key);
        else if (key == "keep_alive_timeout_seconds") c.keep_alive_timeout_seconds = unsignedValue(v, key);
        else if (key == "logger") {
            if (!v.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key logger must be a mapping");
            for (auto l = v.begin(); l != v.end(); ++l) {
                std::string lk = l->first.as<std::string>();
                if (lk == "level") c.log_level = scalarText(l->second, "logger.level");
                else if (lk == "log") c.log_file = scalarText(l->second, "logger.log");
                else if (lk == "console") c.log_console = boolValue(l->second, "logger.console");
                else throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key logger." + lk);
            }
            static const char* levels[] = {"trace", "debug", "information", "warning", "error", "none"};
            bool known = false;
            for (auto* l : levels) known = known || c.log_level == l;
            if (!known) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Unknown logger.level " + c.log_level);
        } else if (key == "profiles") {
            if (!v.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key profiles must be a mapping");
            for (auto p = v.begin(); p != v.end(); ++p) {
                auto& settings = c.profiles[p->first.as<std::string>()];
                if (p->second.IsNull()) continue;
                if (!p->second.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Profile " + p->first.as<std::string>() + " must be a mapping");
                for (auto s = p->second.begin(); s != p->second.end(); ++s) settings[s->first.as<std::string>()] = scalarText(s->second, s->first.as<std::string>());
            }
        } else if (key == "users") {
            if (!v.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key users must be a mapping");
            for (auto u = v.begin(); u != v.end(); ++u) {
                UserConfig user;
                user.name = u->first.as<std::string>();
                bool has_password = false;
                for (auto f = u->second.begin(); u->second.IsMap() && f != u->second.end(); ++f) {
                    std::string fk = f->first.as<std::string>();
                    if (fk == "password") {
                        // A plain-text password in the config is kept only as its hash.
                        user.password_sha256_hex = sha256Hex(scalarText(f->second, "password"));
                        user.no_password = scalarText(f->second, "password").empty();
                        has_password = true;
                    } else if (fk == "password_sha256_hex") {
                        user.password_sha256_hex = scalarText(f->second, fk);
                        for (auto& ch : user.password_sha256_hex) ch = char(std::tolower(static_cast<unsigned char>(ch)));
                        if (user.password_sha256_hex.size() != 64)
                            throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "password_sha256_hex of user " + user.name + " must be 64 hex digits");
                        has_password = true;
                    } else if (fk == "profile") {
                        user.profile = scalarText(f->second, fk);
                    } else {
                        throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key users." + user.name + "." + fk);
                    }
                }
                if (!has_password) user.no_password = true;
                c.users[user.name] = user;
            }
        } else {
            throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key " + key + " in " + file);
        }
    }
    if (c.users.empty()) c.users["default"] = UserConfig{"default", "", true, "default"};
    for (auto& [n, u] : c.users)
        if (!c.profiles.count(u.profile)) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "User " + n + " refers to unknown profile " + u.profile);
    return c;
}

}  // namespace basalt
