#!/usr/bin/env bash
# One command for a new user: set everything up, then process the bundled
# scanned sample into out/<doc_id>/result.json and out/<doc_id>/tables/*.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/disclosure-ocr run samples/scanned_budget_sample.pdf --out out
echo
echo "Done. Results are under out/ (result.json and one CSV per table)."
