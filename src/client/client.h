// client.h — `basalt client`: an interactive SQL client over the native TCP protocol (as
// clickhouse-client): line editing and history (readline), multi-line statements ending with ';',
// PrettyCompact results, a progress line on long queries, Ctrl-C cancels the running query;
// --query / --queries-file / stdin for scripts, --format for the output format.
#pragma once

namespace basalt {

int clientMain(int argc, char** argv);

}  // namespace basalt
