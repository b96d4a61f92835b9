#!/usr/bin/env bash
# Debian's chromium and a CJK font for the browser tests and PDFs (never `playwright install`).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "需要安装 ${missing[*]}（请以 root 运行，或先 apt-get install -y ${missing[*]}）" >&2
    exit 1
  fi
  echo "apt-get install ${missing[*]} …"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
