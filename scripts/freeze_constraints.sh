#!/usr/bin/env bash
# Record the versions installed in .venv as constraints.txt, after a dependency changed in
# pyproject.toml and the test suite passed with it. scripts/setup.sh installs with these
# constraints, so a fresh machine (and CI) gets exactly what was tested.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Versions tested by CI, written by scripts/freeze_constraints.sh; scripts/setup.sh installs with"
  echo "# them as constraints (pip -c), so a fresh install gets what CI ran. Supported ranges are in pyproject.toml."
  .venv/bin/python -m pip freeze --exclude-editable --all | grep -vE '^(pip|setuptools|wheel)=='
} > constraints.txt
echo "wrote constraints.txt ($(grep -vc '^#' constraints.txt) packages)"
