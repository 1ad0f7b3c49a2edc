#!/bin/sh
# Prints Prometheus file_sd targets (JSON) for the components listed in a Bulwark endpoints.json
# (written by ./bulwark up; default .bulwark/endpoints.json): one target per component's metrics URL,
# labelled component=<name> and trust_domain=<domain>. Needs jq.
set -eu
endpoints="${1:-.bulwark/endpoints.json}"
if [ ! -r "$endpoints" ]; then
  echo "write-targets.sh: $endpoints: not readable (expected: the endpoints.json of a running ./bulwark up)" >&2
  exit 2
fi
jq '[.components | to_entries[] | select(.value.metrics != null and .value.metrics != "")
     | {targets: [.value.metrics | sub("^https?://"; "") | sub("/.*$"; "")],
        labels: {component: .key, trust_domain: (.value.trust_domain // "")}}]' "$endpoints"
