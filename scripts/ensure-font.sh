#!/usr/bin/env bash
# The CJK font embedded in PDFs (labels, statements, 月通报): Debian's fonts-wqy-zenhei.
set -euo pipefail
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "提示：未安装中文字体 fonts-wqy-zenhei，PDF（门牌标签、民生账本、月通报）将无法生成。" >&2
  exit 0
fi
echo "apt-get install fonts-wqy-zenhei …"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null
