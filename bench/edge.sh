#!/usr/bin/env bash
# Issue 5's measurements (chapter 5 at the edge), in one run on this machine. Bounded: about 10 minutes.
# Usage: bench/edge.sh   (restarts Bulwark three times, ecomm domain only; needs Redis at 127.0.0.1:6379)
#  1. a policy decision in-process (Cedar, JMH) against the remote adapter (OPA Data API over loopback HTTP)
#  2. one throttle check in-process against Redis (JMH)
#  3. an authorized GET through the gateway: no policy and no throttle / Cedar + local buckets (the default)
#     / Cedar + Redis buckets; the differences are the cost of the two stages per request
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -f bench/target/bench.jar ] || ./mvnw -B -q -pl bench -am package -DskipTests -Dspotbugs.skip=true

echo "# machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u +%FT%TZ)"
./bulwark down >/dev/null

# 1 and 2: JMH, sample time (p50/p99 per call), one fork each.
"$JAVA" --enable-native-access=ALL-UNNAMED -jar bench/target/bench.jar 'PolicyDecisionBenchmark|ThrottleBenchmark' \
  -f 1 -wi 2 -w 3 -i 3 -r 5 2>/dev/null | grep -E '^Benchmark|p0.50|p0.99'

# 3: through the gateway.
CA=.bulwark/pki/bundle.pem
STS=https://localhost:9443
GW=https://localhost:8443
run_wrk() { # label, then wrk arguments
  local label=$1; shift
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" > /tmp/bulwark-wrk.txt
  printf '%-44s %10s req/s  p50 %9s  p99 %9s  non-2xx %s\n' "$label" \
    "$(awk '/Requests\/sec/ {print $2}' /tmp/bulwark-wrk.txt)" \
    "$(awk '$1=="50%" {print $2}' /tmp/bulwark-wrk.txt)" "$(awk '$1=="99%" {print $2}' /tmp/bulwark-wrk.txt)" \
    "$(awk '/Non-2xx/ {print $NF}' /tmp/bulwark-wrk.txt | grep . || echo 0)"
}
# limits far above this load, so that every request is checked and none refused
HIGH="--set gateway:bulwark.gateway.throttle.per-client=1000000/PT1S --set gateway:bulwark.gateway.throttle.per-user=1000000/PT1S"
measure() { # label, then ./bulwark up options
  local label=$1; shift
  # shellcheck disable=SC2086
  ./bulwark up --without-logistics "$@" >/dev/null
  TOKEN=$(curl -s --cacert $CA -u orderprocessingapp:orderprocessingappsecret -d grant_type=password \
    -d username=peter -d password=peter123 -d 'scope=orders:read orders:write' $STS/oauth2/token \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  ID=$(curl -s --cacert $CA -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"items":[{"itemCode":"IT0001","quantity":1}],"shippingAddress":"bench"}' $GW/api/orders \
    | sed -E 's/.*"orderId":"([^"]+)".*/\1/')
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Authorization: Bearer $TOKEN" "$GW/api/orders/$ID" >/dev/null
  for round in 1 2; do
    run_wrk "$label (round $round)" -H "Authorization: Bearer $TOKEN" "$GW/api/orders/$ID"
  done
  ./bulwark down >/dev/null
}
# shellcheck disable=SC2086
measure "gateway, no policy, no throttle" --set gateway:bulwark.gateway.policy.engine=none \
  --set gateway:bulwark.gateway.policy.admin.port=0 \
  --set gateway:bulwark.gateway.throttle.enabled=false
# shellcheck disable=SC2086
measure "gateway, Cedar + local buckets" $HIGH
# shellcheck disable=SC2086
measure "gateway, Cedar + Redis buckets" $HIGH --set gateway:bulwark.gateway.throttle.backend=redis \
  --set gateway:bulwark.gateway.throttle.redis.key-prefix=bulwark:bench:"$(date +%s)":
echo "stopped; ./bulwark up starts the default system again"
