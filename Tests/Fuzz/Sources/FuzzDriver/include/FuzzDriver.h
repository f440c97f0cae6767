#ifndef GROVE_FUZZ_DRIVER_H
#define GROVE_FUZZ_DRIVER_H

/// Runs libFuzzer's driver on the program's LLVMFuzzerTestOneInput with the command line's
/// options (-runs=N, corpus directories, ...) and exits with its status.
///
/// SwiftPM links every executable with its own entry point as `main`, which keeps libFuzzer's
/// `main` out; each fuzz target's main.swift calls this instead.
__attribute__((noreturn, swift_name("groveFuzzMain(_:_:)")))
void grove_fuzz_main(int argc, char **argv);

#endif
