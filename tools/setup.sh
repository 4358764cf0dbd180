#!/usr/bin/env bash
# One-time set-up for the README's commands; cheap to rerun.
#   .venv/ with the pinned packages (requirements.txt, constrained by requirements-lock.txt),
#   this package installed editable, Debian's tesseract-ocr for the tesseract OCR engine, and
#   Debian's chromium + chromium-driver for the docs browser test, Debian's JRE for pycocoevalcap.
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

# Debian packages: tesseract-ocr (the tesseract OCR engine); chromium and chromium-driver (the docs browser test);
# default-jre-headless (pycocoevalcap's Java tokenizer and METEOR)
apt=""
if [ "$(id -u)" = 0 ]; then apt="apt-get"; elif sudo -n true 2>/dev/null; then apt="sudo -n apt-get"; fi
updated=""
need() {  # need <command> <packages> <what needs it>
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ -n "$apt" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing $2 with apt-get"
    [ -n "$updated" ] || { $apt update -qq >/dev/null && updated=1; }
    DEBIAN_FRONTEND=noninteractive $apt install -y -qq $2 >/dev/null \
      || echo "setup: apt-get could not install $2; install the Debian package(s) '$2' yourself ($3 needs them)" >&2
  else
    echo "setup: $1 is not installed and apt-get is not usable here: install the Debian package(s) '$2' ($3 needs them)" >&2
  fi
}
need tesseract tesseract-ocr "the tesseract OCR engine"
need chromedriver "chromium chromium-driver" "the docs browser test"
need java default-jre-headless "pycocoevalcap's PTB tokenizer and METEOR (the captioner's scores)"

# Real photographs and fonts from Debian packages (kphotoalbum's demo photos, labelme-examples, opencv-doc's
# example images, Liberation/FreeFont/Noto fonts): `apt-get download` + `dpkg-deb -x` into .venv/share/hm-media,
# no root needed and no dependencies pulled in (see nbs/core/03_media.ipynb)
if ! .venv/bin/hm_media --check | grep -q "all present"; then
  if [ -n "$apt" ] && [ -z "$updated" ]; then $apt update -qq >/dev/null 2>&1 && updated=1 || true; fi   # apt-get download needs the package lists
  .venv/bin/hm_media || echo "setup: the embedded meme set needs these files; install the Debian packages named above, or set HM_MEDIA" >&2
fi
