# Grove: the two set-up commands of the README, and a few conveniences.
SWIFT ?= swift

.PHONY: deps demo test release bench fuzz clean

deps:
	.ci/install-deps

release: deps
	$(SWIFT) build -c release --product grove

## The main job: the built-in stream end to end, then the report.
demo: release
	.build/release/grove demo

## The whole test suite (debug build: every bounds and overflow check on).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## libFuzzer targets for the dataset and manifest readers, 1 000 000 executions each
## (FUZZ_RUNS=N to change); a package of its own in Tests/Fuzz/, never built by `test` or `demo`.
fuzz: deps
	Tests/Fuzz/run-fuzzers

bench: release
	.build/release/grove bench

clean:
	rm -rf .build
