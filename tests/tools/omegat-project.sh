# Sourced by omegat-check.sh and omegat-tmx.sh: make a throwaway OmegaT
# project and translate it with OmegaT's console mode.
#
# The project translates zh-CN into en-US with OmegaT's sentence
# segmentation off (one segment per paragraph, so that its rules play no
# part); a TMX in tm/auto/ has its exact matches applied by OmegaT itself.
# OmegaT keeps its configuration in the project (--config-dir), so the
# user's ~/.omegat is not touched.

# omegat_project DIR: the project's folders and omegat.project in DIR.
omegat_project() {
  local project=$1
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
}

# omegat_translate DIR FAILURE: translate (and save) the project in DIR with
# OmegaT's console mode; when OmegaT fails, print its log and FAILURE and
# exit 1.
omegat_translate() {
  local project=$1 failure=$2
  if ! java -Djava.awt.headless=true -jar /usr/share/omegat/OmegaT.jar "$project" \
      --mode=console-translate --config-dir="$project/config" --no-team \
      >"$project/omegat.log" 2>&1; then
    cat "$project/omegat.log" >&2
    echo "$failure" >&2
    exit 1
  fi
}
