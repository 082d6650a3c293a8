#!/usr/bin/env bash
# Set up the project on a fresh Debian machine with Python 3.11.
#   bash scripts/setup.sh         the generator's Python packages in .venv/
#   bash scripts/setup.sh --dev   also the test tools: Chromium, Korean fonts, Java and the
#                                 npm packages of package-lock.json (needs root)
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
  # The accessibility and HTML tests run axe-core in Chromium and the Nu Html Checker
  # (vnu-jar) on Debian's Java, both from node_modules/ as pinned in package-lock.json.
  if ! command -v npm >/dev/null || ! command -v java >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm default-jre-headless >/dev/null
  fi
  # Installed when node_modules/ is missing or package-lock.json changed. --ignore-scripts:
  # vnu-jar's install script would download a Java of its own; Debian's is used instead.
  if ! cmp -s package-lock.json node_modules/.installed-package-lock.json; then
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
    cp package-lock.json node_modules/.installed-package-lock.json
  fi
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
