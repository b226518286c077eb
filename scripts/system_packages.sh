#!/usr/bin/env bash
# What the application needs from the system beyond Python, for `make run` and `make test`: Pango (for
# WeasyPrint, which writes the official documents' PDFs) and a CJK font to embed in them. Installs what is
# missing with Debian's apt when run as root; otherwise says what to install and carries on (the pages
# work without them; issuing a document then fails with a message naming what is missing).
set -u
need=()
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qiE "WenQuanYi Micro Hei|Noto Sans CJK" || need+=(fonts-wqy-microhei)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "warning: official documents need these Debian packages: ${need[*]} (apt-get install them as root)" >&2
fi
exit 0
