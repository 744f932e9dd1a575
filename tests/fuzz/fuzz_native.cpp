// fuzz_native.cpp — libFuzzer entry point for the native-protocol packet reader (the bytes a TCP
// client sends: Hello, Query, Data blocks plain or in compressed frames); see native_packets.h.
// With FUZZ_NATIVE_SEED_DIR set, the valid seed conversations are written there first (`make
// fuzz-native` does this for its corpus).
#include <cstdlib>
#include <fstream>

#include "native_packets.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* dir = std::getenv("FUZZ_NATIVE_SEED_DIR")) {
        int i = 0;
        for (auto& seed : basalt::fuzz::seedConversations())
            std::ofstream(std::string(dir) + "/seed" + std::to_string(i++), std::ios::binary) << seed;
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    basalt::fuzz::parseClientPackets(data, size);
    return 0;
}
