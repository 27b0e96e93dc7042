#!/bin/sh
# check-translations.sh: fails when a translation lags behind the sources or
# when the merged desktop file and metainfo lack its strings.
#   check-translations.sh SOURCE_ROOT WORK_DIR
# It extracts a fresh template from po/POTFILES.in (the keywords of meson's
# glib preset) and, for every language in po/LINGUAS, merges the .po with it
# and fails on untranslated, fuzzy or obsolete messages and on format or
# mnemonic mismatches. It then merges the translations into the desktop file
# and the metainfo the way i18n.merge_file does (msgfmt --desktop / --xml)
# and fails when a translatable key or element lacks that language. It also
# fails when a client source with translatable strings is missing from
# POTFILES.in. Skips (exit 77) without the gettext tools.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
set -u
top=$1
work=$2
desktop_in=$top/data/org.bough.Bough.desktop.in
metainfo_in=$top/data/org.bough.Bough.metainfo.xml.in

for tool in xgettext msgmerge msgfmt; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is not installed: skipping"
    exit 77
  fi
done

failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}

rm -rf "$work"
mkdir -p "$work/po" || exit 1

# Every client source that marks strings must be listed, or its strings
# silently stay English.
for f in "$top"/app/*.c "$top"/app/*.ui "$top"/app/gtk/*.ui; do
  [ -e "$f" ] || continue
  rel=${f#"$top"/}
  if grep -qE '(^|[^A-Za-z0-9_])(N|C|NC)?_ *\(|translatable="yes"' "$f" &&
     ! grep -qxF "$rel" "$top/po/POTFILES.in"; then
    fail "$rel has translatable strings but is not in po/POTFILES.in"
  fi
done

grep -v '^#' "$top/po/POTFILES.in" | sed '/^[[:space:]]*$/d' > "$work/POTFILES"
(cd "$top" && xgettext --package-name=bough --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format \
  --files-from="$work/POTFILES" -o "$work/bough.pot") || exit 1
[ -s "$work/bough.pot" ] || { echo "xgettext extracted nothing"; exit 1; }

langs=$(grep -v '^#' "$top/po/LINGUAS" | tr -s ' \t' '\n\n' | sed '/^$/d')
[ -n "$langs" ] || fail "po/LINGUAS lists no language"

for lang in $langs; do
  po="$top/po/$lang.po"
  if [ ! -f "$po" ]; then
    fail "po/LINGUAS lists $lang but po/$lang.po is missing"
    continue
  fi
  msgmerge --quiet --no-fuzzy-matching "$po" "$work/bough.pot" -o "$work/po/$lang.po" ||
    { fail "msgmerge of $lang.po failed"; continue; }
  stats=$(LC_ALL=C msgfmt --check --check-accelerators=_ --statistics \
    -o "$work/$lang.gmo" "$work/po/$lang.po" 2>&1) ||
    fail "msgfmt --check of $lang.po: $stats"
  echo "$lang: $stats"
  case $stats in
    *fuzzy*|*untranslated*) fail "$lang.po is not complete against the sources: $stats" ;;
  esac
  # A message translated in the po but not used by the sources any more.
  if [ -n "$(msgattrib --only-obsolete "$work/po/$lang.po" 2>/dev/null)" ]; then
    fail "$lang.po has messages the sources no longer use: run bough-update-po"
  fi

  echo "$lang" > "$work/po/LINGUAS"
  desktop=$work/$lang.desktop
  metainfo=$work/$lang.metainfo.xml
  msgfmt --desktop -d "$work/po" --template "$desktop_in" -o "$desktop" ||
    { fail "msgfmt --desktop failed for $lang"; continue; }
  msgfmt --xml -d "$work/po" --template "$metainfo_in" -o "$metainfo" ||
    { fail "msgfmt --xml failed for $lang"; continue; }

  # Desktop file: each translatable key present in the source gets KEY[lang].
  for key in Name GenericName Comment Keywords; do
    if grep -q "^$key=" "$desktop_in" &&
       ! grep -q "^$key\\[$lang\\]=" "$desktop"; then
      fail "the desktop file gets no $key[$lang]"
    fi
  done

  # Metainfo: as many elements in this language as translatable elements in
  # English (the merged file repeats each element with xml:lang).
  elements='name|summary|developer_name|p|li|caption'
  english=$(grep -cE "<($elements)>" "$metainfo_in")
  translated=$(grep -cE "<($elements) xml:lang=\"$lang\">" "$metainfo")
  if [ "$translated" -lt "$english" ]; then
    fail "the metainfo gets $translated elements in $lang for $english translatable ones"
  fi
  # Each language is merged on its own.
  rm -f "$work/po/LINGUAS"
done

[ "$failed" -eq 0 ] && echo "translations complete"
exit "$failed"
