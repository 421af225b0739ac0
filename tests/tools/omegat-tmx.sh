#!/usr/bin/env bash
# Make the OmegaT-written TMX files that `bitext qa` is tested on
# (tests/fixtures/qa/omegat/: article-omegat.tmx, OmegaT's own TMX 1.1, and
# article-level2.tmx, its TMX 1.4 for other tools):
#
#   apt-get install -y omegat      # OmegaT 3.6 on Debian 12
#   bash tests/tools/omegat-tmx.sh tests/fixtures/review/article.good.jsonl tests/fixtures/qa/omegat
#
# An OmegaT project is made from the reference article's segments (one per
# paragraph, OmegaT's sentence segmentation off, so that its rules play no
# part) with the human translation as a TMX in tm/auto/, whose exact matches
# OmegaT applies by itself; OmegaT's console mode translates the project and
# saves it, and the TMX files OmegaT exports (PROJECT-omegat.tmx and
# PROJECT-level2.tmx) are copied to the destination folder. OmegaT keeps its configuration in the throwaway project
# (--config-dir), so the user's ~/.omegat is not touched.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/omegat-project.sh"
jsonl=$(realpath "$1")
dest=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The project's folder name becomes the TMX files' names.
project=$work/article
omegat_project "$project"
python3 - "$jsonl" "$project/source/article.txt" "$project/tm/auto/human.tmx" <<'PY'
import json, sys
from xml.sax.saxutils import escape
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(r["source"] for r in rows) + "\n")
tus = "".join(
    f'<tu><tuv xml:lang="zh-CN"><seg>{escape(r["source"])}</seg></tuv>'
    f'<tuv xml:lang="en-US"><seg>{escape(r["target"])}</seg></tuv></tu>\n'
    for r in rows
)
open(sys.argv[3], "w", encoding="utf-8").write(
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="omegat-tmx.sh" '
    'creationtoolversion="1" segtype="paragraph" o-tmf="none" adminlang="en" srclang="zh-CN" '
    f'datatype="plaintext"/><body>\n{tus}</body></tmx>\n'
)
PY
omegat_translate "$project" "OmegaT failed"
mkdir -p "$dest"
for kind in omegat level2; do
  tmx="$project/article-$kind.tmx"
  [ -f "$tmx" ] || { echo "OmegaT wrote no article-$kind.tmx" >&2; exit 1; }
  cp "$tmx" "$dest/"
  echo "$(grep -c '<tu>' "$tmx" || true) units in $dest/article-$kind.tmx"
done
