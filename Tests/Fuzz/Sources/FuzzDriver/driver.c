#include "FuzzDriver.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/// Defined by each fuzz target (in Swift, with @_cdecl).
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/// libFuzzer's driver (compiler-rt), linked by -sanitize=fuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

void grove_fuzz_main(int argc, char **argv) {
    exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput));
}
