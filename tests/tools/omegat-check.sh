#!/usr/bin/env bash
# Check that OmegaT imports a TMX written by bitext: every source segment of
# the TMX must come out translated by OmegaT's console mode.
#
#   apt-get install -y omegat      # OmegaT 3.6 on Debian 12
#   bash tests/tools/omegat-check.sh output/article.tmx
#
# The source segments are taken from the TMX itself, one per paragraph, with
# sentence segmentation off, so that OmegaT's own segmentation plays no part;
# the TMX goes to tm/auto/, whose exact matches OmegaT applies by itself.
# OmegaT keeps its configuration in the throwaway project (--config-dir),
# so the user's ~/.omegat is not touched; the test suite runs this script
# (tests/testsuite/claims.rs) on a TMX it writes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/omegat-project.sh"
tmx=$(realpath "$1")
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
omegat_project "$project"
cp "$tmx" "$project/tm/auto/"
python3 - "$tmx" "$project/source/source.txt" <<'PY'
import sys
import xml.etree.ElementTree as ET
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
units = ET.parse(sys.argv[1]).getroot().iter("tu")
sources = []
for tu in units:
    tuvs = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.iter("tuv")}
    if len(tuvs) == 2:
        sources.append(next(iter(tuvs.values())))
if not sources:
    sys.exit(f"{sys.argv[1]}: no translated unit in the TMX")
open(sys.argv[2], "w").write("\n\n".join(sources) + "\n")
print(f"{len(sources)} translated units in the TMX")
PY
omegat_translate "$project" "OmegaT failed on $tmx"
python3 - "$project/source/source.txt" "$project/target/source.txt" <<'PY'
import re, sys
src = open(sys.argv[1]).read().split("\n\n")
tgt = open(sys.argv[2]).read().split("\n\n")
untranslated = sum(1 for s, t in zip(src, tgt) if s == t and re.search(r"[\u4e00-\u9fff]", s))
print(f"OmegaT translated {len(src) - untranslated} of {len(src)} segments from the TMX")
sys.exit(1 if untranslated else 0)
PY
