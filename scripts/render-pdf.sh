#!/usr/bin/env bash
# Renders the demo evaluation's 自评表 (the 2021 seed: 广州市科学技术局, 94.622) to PDF with LibreOffice, to check
# that the exported workbook prints like the bureau's form: A4 landscape pages, the table fit to the page width.
#
#   scripts/render-pdf.sh [out-dir]        (default: a new temporary folder)
#
# Optional: needs LibreOffice Calc (Debian package libreoffice-calc; `soffice` on PATH). Without it the script says
# so and exits 0 — `npm test` never depends on it. With JIPING_REQUIRE_SOFFICE=1 a missing LibreOffice exits 3.
# Page sizes are checked with pdfinfo (poppler-utils) when it is installed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$(mktemp -d -t jiping-render-XXXXXX)}"
mkdir -p "$OUT"
XLSX="$OUT/gz-kjj-2021-自评表.xlsx"

# 1. Export: the same report the demo evaluation stores (jiping score … --xlsx).
if [ -f "$ROOT/dist/apps/cli/main.js" ]; then
  JIPING=(node "$ROOT/bin/jiping.js")
else
  JIPING=(npx ts-node -r tsconfig-paths/register "$ROOT/apps/cli/src/main.ts")
fi
(cd "$ROOT" && "${JIPING[@]}" score rules/guangzhou/department-overall/2021.json \
  test/fixtures/gz-kjj-2021/submission.json --xlsx "$XLSX" >/dev/null)
echo "exported $XLSX"

# 2. Convert with LibreOffice headless, in a throwaway profile so a running office is not disturbed.
SOFFICE="$(command -v soffice || command -v libreoffice || true)"
if [ -z "$SOFFICE" ]; then
  echo "LibreOffice (soffice) is not installed: skipping the PDF render (apt-get install libreoffice-calc)"
  [ "${JIPING_REQUIRE_SOFFICE:-0}" = "1" ] && exit 3
  exit 0
fi
PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT
"$SOFFICE" -env:UserInstallation="file://$PROFILE" --headless --convert-to pdf --outdir "$OUT" "$XLSX" >/dev/null
PDF="${XLSX%.xlsx}.pdf"
[ -s "$PDF" ] || { echo "no PDF produced at $PDF" >&2; exit 1; }
echo "rendered $PDF"

# 3. Check: every page landscape (wider than tall), A4 (842 × 595 pt).
if command -v pdfinfo >/dev/null; then
  pages="$(pdfinfo "$PDF" | awk '/^Pages:/ {print $2}')"
  bad=0
  for ((p = 1; p <= pages; p++)); do
    read -r w h < <(pdfinfo -f "$p" -l "$p" "$PDF" | awk '/^Page.*size:/ {print int($4), int($6); exit}')
    if [ "$w" -le "$h" ]; then echo "page $p is portrait (${w}×${h} pt)" >&2; bad=1; fi
  done
  [ "$bad" = 0 ] || exit 1
  echo "$pages page(s), all landscape"
  if command -v pdftotext >/dev/null; then
    # Read the whole text first: grep -q would close the pipe early and pipefail would report pdftotext's SIGPIPE.
    text="$(pdftotext -layout "$PDF" -)"
    grep -q '94.622' <<<"$text" || { echo "the total 94.622 is not in the PDF text" >&2; exit 1; }
    echo "the PDF text shows 总分 94.622"
  fi
fi
