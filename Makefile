# Grove: the two set-up commands of the README, and a few conveniences.
SWIFT ?= swift

.PHONY: deps demo test release bench clean

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

bench: release
	.build/release/grove bench

clean:
	rm -rf .build
