# The two commands. Each sets up what it needs on first use (tools/setup.sh).
.PHONY: results test setup

## make results: run every result notebook on the embedded default profile (the main job)
results: setup
	.venv/bin/hm_results --profile default

## make test: library/notebook sync checks, nbdev_test, pytest (with the smoke pipeline)
test: setup
	bash tools/test.sh

setup:
	bash tools/setup.sh
