#!/usr/bin/env bash
# Check that OmegaT takes the inline codes of a TMX written by bitext: an
# HTML page goes into an OmegaT project as its source file (OmegaT's own
# HTML filter makes its tags), the TMX bitext wrote for the same page into
# tm/auto/, and OmegaT's console mode translates the project. Prints, for
# every <p> of the translated page, `filled` or `left`, and the count.
#
#   apt-get install -y omegat      # OmegaT 3.6 on Debian 12
#   bash tests/tools/omegat-html.sh page.html output/page.tmx
#
# OmegaT reads the level-2 codes of an external TMX (<bpt>, <ept>, <ph>)
# only with its preferences "show level 2 tags" and "use / for stand-alone
# tags" (Options > Preferences > TM Matches), set here in the throwaway
# project's configuration. Every page paragraph should be one segment of
# the TMX (OmegaT's sentence segmentation is off).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/omegat-project.sh"
page=$(realpath "$1")
tmx=$(realpath "$2")
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
omegat_project "$project"
cp "$page" "$project/source/"
cp "$tmx" "$project/tm/auto/"
cat > "$project/config/omegat.prefs" <<'XML'
<?xml version="1.0" encoding="UTF-8" ?>
<omegat>
  <preference version="1.0">
    <ext_tmx_show_level2>true</ext_tmx_show_level2>
    <ext_tmx_use_slash>true</ext_tmx_use_slash>
  </preference>
</omegat>
XML
omegat_translate "$project" "OmegaT failed on $tmx"
python3 - "$project/target/$(basename "$page")" <<'PY'
import re, sys
from html.parser import HTMLParser

class Paragraphs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth, self.texts = 0, []
    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.depth += 1
            self.texts.append("")
    def handle_endtag(self, tag):
        if tag == "p":
            self.depth -= 1
    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data

parser = Paragraphs()
parser.feed(open(sys.argv[1], encoding="utf-8").read())
filled = 0
for text in parser.texts:
    left = re.search(r"[\u4e00-\u9fff]", text)
    filled += not left
    print("left" if left else "filled", text.strip())
print(f"OmegaT filled {filled} of {len(parser.texts)} paragraphs from the TMX")
PY
