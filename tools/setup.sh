#!/usr/bin/env bash
# One-time set-up for the README's commands; cheap to rerun.
#   .venv/ with the pinned packages (requirements.txt, constrained by requirements-lock.txt),
#   this package installed editable, and Debian's tesseract-ocr for the tesseract OCR engine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

want=$(cat requirements.txt requirements-lock.txt settings.ini setup.py | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
if [ "$(cat .venv/.setup-done 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the pinned packages into .venv (the first time takes several minutes: torch is large)"
  if ! .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt -c requirements-lock.txt >.venv/pip.log 2>&1 \
     || ! .venv/bin/pip install -q --disable-pip-version-check --no-deps -e . >>.venv/pip.log 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" .venv/pip.log | tail -40
    echo "setup: pip install failed; the full log is .venv/pip.log" >&2
    exit 1
  fi
  echo "$want" > .venv/.setup-done
fi

if ! command -v tesseract >/dev/null 2>&1; then
  apt=""
  if [ "$(id -u)" = 0 ]; then apt="apt-get"; elif sudo -n true 2>/dev/null; then apt="sudo -n apt-get"; fi
  if [ -n "$apt" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing tesseract-ocr with apt-get"
    $apt update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $apt install -y -qq tesseract-ocr >/dev/null \
      || echo "setup: apt-get could not install tesseract-ocr; install the package 'tesseract-ocr' yourself (the tesseract OCR engine needs it)" >&2
  else
    echo "setup: tesseract is not installed and apt-get is not usable here: install 'tesseract-ocr' (Debian/Ubuntu) or tesseract 5 with English data; the tesseract OCR engine needs it" >&2
  fi
fi
