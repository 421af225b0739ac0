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
tmx=$(realpath "$1")
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
mkdir -p "$project"/{source,target,tm/auto,glossary,dictionary,omegat,config}
cat > "$project/omegat.project" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>zh-CN</source_lang>
    <target_lang>en-US</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
XML
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
if ! java -Djava.awt.headless=true -jar /usr/share/omegat/OmegaT.jar "$project" \
    --mode=console-translate --config-dir="$project/config" --no-team \
    >"$project/omegat.log" 2>&1; then
  cat "$project/omegat.log" >&2
  echo "OmegaT failed on $tmx" >&2
  exit 1
fi
python3 - "$project/source/source.txt" "$project/target/source.txt" <<'PY'
import re, sys
src = open(sys.argv[1]).read().split("\n\n")
tgt = open(sys.argv[2]).read().split("\n\n")
untranslated = sum(1 for s, t in zip(src, tgt) if s == t and re.search(r"[\u4e00-\u9fff]", s))
print(f"OmegaT translated {len(src) - untranslated} of {len(src)} segments from the TMX")
sys.exit(1 if untranslated else 0)
PY
