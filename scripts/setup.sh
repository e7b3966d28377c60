#!/usr/bin/env bash
# Install everything disclosure-ocr needs on a Debian machine: poppler and CJK
# fonts from Debian (plus chromium and its driver for the review-page browser
# tests), the Python package and its test extras into ./.venv.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(poppler-utils fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming python3-venv chromium chromium-driver)
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Reinstall whenever pyproject.toml or constraints.txt changed since the last install, not only
# when an import fails: an old .venv with a since-excluded version (SQLAlchemy 2.1 broke Prefect's
# scheduler) imports fine and would otherwise be kept.
stamp=.venv/.disclosure-ocr-installed
wanted="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ] || \
   ! .venv/bin/python -c "import flows.cli.app, pytest, reportlab, selenium, openpyxl, jinja2, psycopg, pyarrow, prefect_dask, psutil" 2>/dev/null; then
  echo "installing the disclosure-ocr Python package into .venv (versions from constraints.txt)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[test]"
  echo "$wanted" > "$stamp"
fi
# The package's modules compiled to bytecode here: an editable install leaves them as source, and where
# PYTHONDONTWRITEBYTECODE is set (common in containers) every command would compile some 120 modules
# again, about 0.3 CPU-s of a one-page `run`. Python checks each .pyc against its source, so an edited
# file is never run stale (only compiled again until the next setup).
.venv/bin/python -m compileall -q ocr table_reconstruct flows samples >/dev/null
