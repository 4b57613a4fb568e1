// One function per `jitload` subcommand, each in its own file beside this
// one. argv[0] is the subcommand's name; return value is the exit status.
#pragma once

namespace jitload::tools {

int cmd_bench(int argc, char** argv);  // bench.cc
int cmd_campaign(int argc, char** argv); // campaign.cc
int cmd_coverage(int argc, char** argv); // coverage.cc
int cmd_load(int argc, char** argv);   // load.cc
int cmd_diff(int argc, char** argv);   // diff.cc
int cmd_exec(int argc, char** argv);   // exec.cc
int cmd_rtdyld(int argc, char** argv); // rtdyld.cc
int cmd_run(int argc, char** argv);    // run.cc

}  // namespace jitload::tools
