#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine (or any machine with Python 3.11+):
#   bash run.sh demo [ARGS...]   install everything, then open the app on its built-in demo
#   bash run.sh test [PYTEST ARGS...]   install everything, then run linters and the whole test suite
# Installing is idempotent: a second run only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the app and its tests need:
#  - fonts-noto-cjk: Chinese text renders as boxes without a CJK font;
#  - the X/EGL/NSS libraries QtWebEngine (Chromium) links against, even when it runs offscreen;
#  - xvfb + xauth and the xcb libraries, to show the real window on a virtual display;
#  - LibreOffice (no GUI) and poppler-utils: the report tests open the DOCX/XLSX reports as an
#    office would (converted to PDF, then rendered to PNG).
DEBIAN_PACKAGES=(
  fonts-noto-cjk xvfb xauth libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
  libnss3 libxkbfile1 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libasound2 libgbm1
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
)

install_system() {
  command -v dpkg >/dev/null 2>&1 || return 0  # not Debian: see README for other systems
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "安装系统软件包 / installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_python() {
  local python=${PYTHON:-python3}
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  # Quiet unless it fails: the build backend's notices are noise to someone trying the demo.
  if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"; } \
       >.venv/install.log 2>&1; then
    cat .venv/install.log >&2
    echo "安装失败，见上 / installation failed, see above" >&2
    exit 1
  fi
}

what=${1:-demo}
[ $# -gt 0 ] && shift
case "$what" in
  demo)
    install_system
    install_python
    exec .venv/bin/inspector "$@"
    ;;
  test)
    install_system
    install_python
    export QT_QPA_PLATFORM=offscreen
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    .venv/bin/mypy
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash run.sh demo|test [args...]" >&2
    exit 2
    ;;
esac
