#!/usr/bin/env bash
# The measurements of docs/benchmarks.md, in one run on this machine. Bounded: about 10 minutes.
# Usage: bench/run.sh   (restarts Bulwark; see docs/benchmarks.md for why the order port is 'want' here)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -f bench/target/bench.jar ] || ./mvnw -B -q -pl bench -am package -DskipTests -Dspotbugs.skip=true

echo "# machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u +%FT%TZ)"

# 1. Time from ./bulwark up to all healthy, and resident memory.
#    wrk cannot present a client certificate, so for the direct baseline the order service's port
#    asks for one instead of requiring it (the user-context JWT is still required on every request).
./bulwark down >/dev/null
start=$(date +%s.%N)
./bulwark up --set order:bulwark.workload.server.client-auth=want >/dev/null
end=$(date +%s.%N)
printf 'up: %.1f s to all healthy\n' "$(echo "$end - $start" | bc)"
total=0
for pid in $(grep -o '"pid":[0-9]*' .bulwark/endpoints.json | cut -d: -f2); do
  rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status); total=$((total + rss))
  echo "  $(tr '\0' ' ' < /proc/"$pid"/cmdline | grep -o 'bulwark.component=[a-z-]*' | cut -d= -f2) rss=$((rss / 1024)) MiB"
done
echo "  total rss after start: $((total / 1024)) MiB"

CA=.bulwark/pki/bundle.pem
STS=https://localhost:9443
GW=https://localhost:8443
ORDER=$(grep -o '"order":{"url":"[^"]*' .bulwark/endpoints.json | sed 's/.*"url":"//')
WARMUP=${WARMUP:-15}
warm() { wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "$@" >/dev/null; } # let the JIT compile the hot path first
run_wrk() { # label, then wrk arguments
  local label=$1; shift
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" > /tmp/bulwark-wrk.txt
  printf '%-34s %10s req/s  p50 %9s  p99 %9s  errors %s\n' "$label" \
    "$(awk '/Requests\/sec/ {print $2}' /tmp/bulwark-wrk.txt)" \
    "$(awk '$1=="50%" {print $2}' /tmp/bulwark-wrk.txt)" "$(awk '$1=="99%" {print $2}' /tmp/bulwark-wrk.txt)" \
    "$(awk '/Non-2xx/ {print $NF}' /tmp/bulwark-wrk.txt | grep . || echo 0)"
}

# 2. The STS: client_credentials tokens per second, and the raw ES256 signing rate (the limit).
"$JAVA" -jar bench/target/bench.jar SigningBenchmark -f 1 -wi 2 -w 3 -i 5 -r 4 -t 2 2>/dev/null \
  | grep -E '^Benchmark|signAccessToken  '
export BASIC=$(printf 'orderprocessingservice:orderprocessingservicesecret' | base64 -w0)
warm -s bench/token.lua "$STS/oauth2/token"
run_wrk "sts client_credentials" -s bench/token.lua "$STS/oauth2/token"

# 3. The gateway: an authorized GET /api/orders/{id}, through the gateway and directly.
TOKEN=$(curl -s --cacert $CA -u orderprocessingapp:orderprocessingappsecret -d grant_type=password \
  -d username=peter -d password=peter123 -d 'scope=orders:read orders:write' $STS/oauth2/token \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
ID=$(curl -s --cacert $CA -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"items":[{"itemCode":"IT0001","quantity":3}],"shippingAddress":"bench"}' $GW/api/orders \
  | sed -E 's/.*"orderId":"([^"]+)".*/\1/')
CTX=$("$JAVA" -cp bench/target/bench.jar dev.bulwark.bench.MintUserContext .bulwark peter 'orders:read orders:write')
warm -H "Authorization: Bearer $CTX" "$ORDER/orders/$ID"
warm -H "Authorization: Bearer $TOKEN" "$GW/api/orders/$ID"
for round in 1 2; do
  run_wrk "direct order service (round $round)" -H "Authorization: Bearer $CTX" "$ORDER/orders/$ID"
  run_wrk "through gateway (round $round)" -H "Authorization: Bearer $TOKEN" "$GW/api/orders/$ID"
done

# 4. Internal mTLS: handshakes per second on the order service's port (full, then resumed), as the
#    gateway makes them, next to the gateway's request rate on kept-alive connections (round 2 above).
ORDER_PORT=${ORDER##*:}
"$JAVA" --enable-native-access=ALL-UNNAMED -cp bench/target/bench.jar dev.bulwark.bench.HandshakeRate .bulwark "$ORDER_PORT" "$DURATION" 2

# 5. East/west JWTs: token exchange round trip and rate at the STS (as the order service, mTLS), and
#    order placement straight to the order service with its exchanged-token cache cold and warm.
"$JAVA" --enable-native-access=ALL-UNNAMED -cp bench/target/bench.jar dev.bulwark.bench.EastWestRate .bulwark \
  "$STS" "$ORDER" "$DURATION" 8 150 2>/dev/null

# 6. The gateway with the order service on plain loopback HTTP (no internal TLS at all), for the
#    cost of internal mTLS in the gateway's p99. Not a supported mode: only for this comparison.
./bulwark down >/dev/null
PLAIN_PORT=${PLAIN_PORT:-18081}
./bulwark up --without-logistics --set order:bulwark.workload.socket=false --set order:server.port="$PLAIN_PORT" \
  --set order:bulwark.order.inventory.uri= \
  --set gateway:bulwark.gateway.route.uri=http://localhost:"$PLAIN_PORT" >/dev/null
TOKEN=$(curl -s --cacert $CA -u orderprocessingapp:orderprocessingappsecret -d grant_type=password \
  -d username=peter -d password=peter123 -d 'scope=orders:read orders:write' $STS/oauth2/token \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
ID=$(curl -s --cacert $CA -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"items":[{"itemCode":"IT0001","quantity":3}],"shippingAddress":"bench"}' $GW/api/orders \
  | sed -E 's/.*"orderId":"([^"]+)".*/\1/')
warm -H "Authorization: Bearer $TOKEN" "$GW/api/orders/$ID"
for round in 1 2; do   # as many rounds after start-up as the mTLS numbers above, so the JIT is as warm
  run_wrk "through gateway, plain internal (round $round)" -H "Authorization: Bearer $TOKEN" "$GW/api/orders/$ID"
  run_wrk "direct order, plain HTTP (round $round)" -H "Authorization: Bearer $CTX" "http://localhost:$PLAIN_PORT/orders/$ID"
done

# Back to the secure default.
./bulwark down >/dev/null
echo "stopped; ./bulwark up starts it again with the order port requiring client certificates"
