#include "FuzzDriver.h"

// libFuzzer's documented entry for programs that keep their own main: -sanitize=fuzzer
// links the driver; as the program defines main, libFuzzer's main is not pulled in.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int dl_fuzz_run(int argc, char **argv, dl_fuzz_callback callback) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
