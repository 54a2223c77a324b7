#ifndef DL_FUZZ_DRIVER_H
#define DL_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// One input from libFuzzer; returns 0 (the only value libFuzzer accepts).
typedef int (*dl_fuzz_callback)(const uint8_t *data, size_t size);

/// Hands the process to libFuzzer's driver (flags, corpus, mutation loop) with `callback`
/// as the target. Only linkable in a build with -sanitize=fuzzer (scripts/fuzz).
int dl_fuzz_run(int argc, char **argv, dl_fuzz_callback callback);

#endif
