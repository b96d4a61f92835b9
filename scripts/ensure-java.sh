#!/usr/bin/env bash
# A Java runtime (17 or newer) for Apache Spark's JVM (`jingzhun entitle --engine spark`, tests on local[2]):
# Debian's openjdk-17-jre-headless when `java` is missing or older than 17.
set -euo pipefail
version=0
if command -v java >/dev/null 2>&1; then
  version=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
fi
if [ "${version:-0}" -lt 17 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "需要 Java 17 或更高版本（请以 root 运行，或先 apt-get install -y openjdk-17-jre-headless）" >&2
    exit 1
  fi
  echo "apt-get install openjdk-17-jre-headless …"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
