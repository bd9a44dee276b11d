#!/usr/bin/env bash
# Idempotent set-up shared by run.sh and test.sh: Debian libraries Qt needs (when
# missing and apt is usable), a virtual environment in .venv, and the pip packages.
# Safe to run any number of times; it only does work when something is missing or
# pyproject.toml changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${GAPWATCH_PYTHON:-python3}"

# Offscreen rendering needs these; a real window under Xvfb needs the xcb set too;
# PyInstaller needs objdump (binutils).
DEB_PKGS=(libgl1 libegl1 libglib2.0-0 libdbus-1-3 libfontconfig1 fonts-dejavu-core
  libxkbcommon0 libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 xvfb binutils)

install_debian_libs() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for p in "${DEB_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "gapwatch: installing Debian libraries: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "gapwatch: missing Debian libraries (${missing[*]}); install them with apt as root" >&2
  fi
}

make_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "gapwatch: creating virtual environment in .venv"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.gapwatch-installed"
  local want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)-$1"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "gapwatch: installing Python packages ($1)"
    # pip's output goes to a log; it is shown only if the install fails.
    local log="$VENV/pip-install.log"
    if ! { "$VENV/bin/python" -m pip install --upgrade pip \
           && "$VENV/bin/python" -m pip install -e "$ROOT[$1]"; } >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      echo "gapwatch: pip install failed; full log in $log" >&2
      exit 1
    fi
    echo "$want" > "$stamp"
  fi
}

install_debian_libs
make_venv "${1:-test,build}"
