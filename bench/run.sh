#!/usr/bin/env bash
# The measurements of docs/benchmarks.md, in one run on this machine. Bounded: about 4 minutes.
# Usage: bench/run.sh            (starts Bulwark with ./bulwark up if it is not running)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -f bench/target/bench.jar ] || ./mvnw -B -q -pl bench -am package -DskipTests -Dspotbugs.skip=true

echo "# machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs), $(date -u +%F)"

# 1. Time from ./bulwark up to all healthy, and resident memory.
./bulwark down >/dev/null
start=$(date +%s.%N)
./bulwark up >/dev/null
end=$(date +%s.%N)
printf 'up: %.1f s to all healthy\n' "$(echo "$end - $start" | bc)"
total=0
for pid in $(grep -o '"pid":[0-9]*' .bulwark/endpoints.json | cut -d: -f2); do
  rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status); total=$((total + rss))
  echo "  pid $pid $(tr '\0' ' ' < /proc/"$pid"/cmdline | grep -o 'bulwark.component=[a-z]*') rss=$((rss / 1024)) MiB"
done
echo "  total rss after start: $((total / 1024)) MiB"

CA=.bulwark/pki/ca.pem
STS=https://localhost:9443
GW=https://localhost:8443
ORDER=$(grep -o '"order":{"url":"[^"]*' .bulwark/endpoints.json | sed 's/.*"url":"//')
load() { "$JAVA" -cp bench/target/bench.jar dev.bulwark.bench.HttpLoad -c "$CONNECTIONS" -d "$DURATION" --ca "$CA" "$@"; }

# 2. The STS: client_credentials tokens per second, and the raw ES256 signing rate (the limit).
"$JAVA" -jar bench/target/bench.jar SigningBenchmark -f 1 -wi 2 -w 3 -i 3 -r 5 -t 2 2>/dev/null | grep -E '^Benchmark|signAccessToken'
BASIC=$(printf 'orderprocessingservice:orderprocessingservicesecret' | base64 -w0)
load --label "sts client_credentials" -m POST -H "Authorization: Basic $BASIC" \
  -H 'Content-Type: application/x-www-form-urlencoded' --body 'grant_type=client_credentials&scope=orders:read' \
  "$STS/oauth2/token"

# 3. The gateway: an authorized GET /api/orders/{id}, through the gateway and directly (mTLS + user-context JWT).
TOKEN=$(curl -s --cacert $CA -u orderprocessingapp:orderprocessingappsecret -d grant_type=password \
  -d username=peter -d password=peter123 -d 'scope=orders:read orders:write' $STS/oauth2/token \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
ID=$(curl -s --cacert $CA -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"items":[{"itemCode":"IT0001","quantity":3}],"shippingAddress":"bench"}' $GW/api/orders \
  | sed -E 's/.*"orderId":"([^"]+)".*/\1/')
CTX=$("$JAVA" -cp bench/target/bench.jar dev.bulwark.bench.MintUserContext .bulwark peter 'orders:read orders:write')
load --label "direct order service (mTLS)" --cert .bulwark/pki/gateway.crt --key .bulwark/pki/gateway.key \
  -H "Authorization: Bearer $CTX" "$ORDER/orders/$ID"
load --label "through gateway" -H "Authorization: Bearer $TOKEN" "$GW/api/orders/$ID"
echo "wrk through gateway:"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$GW/api/orders/$ID" \
  | grep -E 'Requests/sec|50%|99%|Non-2xx'
