#!/usr/bin/env bash
# The README's picture of the review page: headless Chromium's screenshot
# of output/article.html (1280×900, light scheme), written to
# docs/review-page.png. Needs chromium and a Chinese font (bash .ci/setup).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$profile" --window-size=1280,900 \
  --force-prefers-color-scheme=light \
  --screenshot=docs/review-page.png "file://$PWD/output/article.html" 2>/dev/null
echo "docs/review-page.png"
