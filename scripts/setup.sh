#!/usr/bin/env bash
# Set up the project on a fresh Debian machine with Python 3.11.
#   bash scripts/setup.sh         the generator's Python packages in .venv/
#   bash scripts/setup.sh --dev   also the test tools, Chromium and Korean fonts (needs root)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  # Browser tests drive Debian's Chromium (Playwright's own browser download is not used);
  # without a CJK font Hangul shows as boxes in screenshots.
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
