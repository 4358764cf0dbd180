#!/usr/bin/env bash
# The test command's body (run it through `make test`, which sets up first).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

snapshot() {  # a hash of the notebooks, the exported library and the README
  find nbs hateful_memes README.md -type f \( -name '*.ipynb' -o -name '*.py' -o -name '*.md' \) \
    -not -path '*/_results/*' -not -path '*/.ipynb_checkpoints/*' -not -path '*/__pycache__/*' -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum
}

echo "== 1/3 notebooks are clean; the library and README match them"
before=$(snapshot)
nbdev_export
nbdev_clean
hm_readme >/dev/null
if [ "$before" != "$(snapshot)" ]; then
  echo "FAIL: nbdev_export / nbdev_clean / hm_readme changed files, so the committed library, README or notebooks"
  echo "      were out of step. They have now been regenerated: review and commit them."
  git status --short nbs hateful_memes README.md || true
  exit 1
fi
echo "ok"

# Expensive test fixtures (the smoke pipeline's stages, the hm fixture's caches, the task notebooks' sets and trained models)
# are kept between runs in .cache/test/<key>, the key a hash of everything they are made from: the library's code and
# package data, the tests and notebooks that build them, the installed packages, the Debian tools and the media. Any
# change gives a new key and a cold run; older keys are removed. `make test COLD=1` (or COLD=1 bash tools/test.sh) runs everything cold in temporary folders.
if [ "${COLD:-0}" = 1 ]; then
  unset HM_TEST_CACHE
  echo "test cache: none (COLD=1: every fixture is made afresh)"
else
  key=$( { { find hateful_memes tests -type f -not -path '*/__pycache__/*' -print0
             find nbs -name '*.ipynb' -not -path 'nbs/_results/*' -not -path '*/.ipynb_checkpoints/*' -print0; } | sort -z | xargs -0 sha256sum
           python -c 'import sys; print(sys.version)'; ls .venv/lib/python*/site-packages | grep -E '\.(dist|egg)-info$' | sort
           tesseract --version 2>&1 | head -1; java -version 2>&1 | head -1
           find .venv/share/hm-media -type f -printf '%P %s\n' 2>/dev/null | sort; } | sha256sum | cut -c1-16 )
  export HM_TEST_CACHE="$PWD/.cache/test/$key"
  mkdir -p .cache/test
  find .cache/test -mindepth 1 -maxdepth 1 -not -name "$key" -exec rm -rf {} +
  if [ -d "$HM_TEST_CACHE" ]; then state="kept from the last run"; else state="new: the fixtures are made afresh"; fi
  echo "test cache: $HM_TEST_CACHE ($state; COLD=1 for a cold run)"
fi

# nbdev_test and pytest (on two workers) run side by side, each process with one BLAS/OpenMP/torch thread: on two cores
# that packs the work better than one after the other (pytest waits on subprocesses and kernels; two threads per process
# oversubscribe the cores). nbdev_test's report follows pytest's.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} MKL_NUM_THREADS=${MKL_NUM_THREADS:-1} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
mkdir -p .cache
echo "== 2/3 nbdev_test (library notebooks; result notebooks run in the pipeline test): started beside pytest, log .cache/nbdev_test.log"
nbdev_test --n_workers 2 > .cache/nbdev_test.log 2>&1 &
nbdev_pid=$!
trap 'kill $nbdev_pid 2>/dev/null || true' EXIT

echo "== 3/3 pytest (integration, command line, bad input, the smoke pipeline)"
pytest_rc=0
pytest -q -n 2 --dist loadfile --durations=8 tests || pytest_rc=$?      # two workers, each test file on one of them

echo "== nbdev_test"
nbdev_rc=0
wait $nbdev_pid || nbdev_rc=$?
trap - EXIT
grep -v -E '^PTBTokenizer tokenized|moov atom not found|^Unexpected element' .cache/nbdev_test.log || true
if [ "$nbdev_rc" != 0 ]; then echo "FAIL: nbdev_test exited $nbdev_rc (the log above, also in .cache/nbdev_test.log)"; fi
if [ "$pytest_rc" != 0 ]; then echo "FAIL: pytest exited $pytest_rc"; fi
[ "$nbdev_rc" = 0 ] && [ "$pytest_rc" = 0 ]
