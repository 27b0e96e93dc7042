#!/bin/sh
# check-screenshots.sh: fails when the metainfo's screenshots and the files
# in data/screenshots/ disagree: every <image> must be an https URL naming a
# PNG kept in data/screenshots/, every kept PNG must be listed in the metainfo
# and shown in README.md, and every screenshot needs a caption.
#   check-screenshots.sh SOURCE_ROOT
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
set -u
top=$1
metainfo=$top/data/org.bough.Bough.metainfo.xml.in
dir=$top/data/screenshots
failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}

images=$(sed -n 's|.*<image[^>]*>\([^<]*\)</image>.*|\1|p' "$metainfo")
[ -n "$images" ] || fail "the metainfo lists no screenshot"
for url in $images; do
  case $url in
    https://*/data/screenshots/*.png) ;;
    *) fail "$url is not an https URL of data/screenshots/*.png"; continue ;;
  esac
  file=$dir/${url##*/}
  if [ ! -f "$file" ]; then
    fail "$url names ${file#"$top"/}, which does not exist"
  elif [ "$(head -c 8 "$file" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
    fail "${file#"$top"/} is not a PNG"
  fi
done

for file in "$dir"/*.png; do
  [ -e "$file" ] || continue
  name=${file##*/}
  echo "$images" | grep -q "/$name\$" || fail "data/screenshots/$name is not in the metainfo"
  grep -qF "(data/screenshots/$name)" "$top/README.md" || fail "README.md does not show $name"
done

shots=$(grep -c '<screenshot[ >]' "$metainfo")
captions=$(grep -c '<caption>' "$metainfo")
[ "$shots" -eq "$captions" ] || fail "$shots screenshots but $captions captions"

[ "$failed" -eq 0 ] && echo "$shots screenshots listed and present"
exit "$failed"
