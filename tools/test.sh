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

echo "== 2/3 nbdev_test (library notebooks; result notebooks run in the pipeline test)"
nbdev_test --n_workers 2

echo "== 3/3 pytest (integration, command line, bad input, the smoke pipeline)"
pytest -q --durations=8 tests
