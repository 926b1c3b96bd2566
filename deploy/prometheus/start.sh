#!/bin/sh
# Starts Prometheus with Weft's configuration: copies prometheus.yml and weft-alerts.yml to a
# writable directory, writes the scrape targets from the environment into targets/*.json there,
# and execs prometheus. The prometheus service of docker-compose.yml runs it; e2e/prometheus.sh
# runs it outside Docker. Extra arguments go to prometheus.
#   WEFT_CP_TARGET      control plane host:port       (default 127.0.0.1:$WEFT_CP_PORT, port 6785)
#   WEFT_DP_TARGET      this host's data plane        (default 127.0.0.1:$WEFT_API_PORT, port 6784)
#   WEFT_HOST_NAME      "host" label on the data plane's series (default: this machine's name)
#   PROMETHEUS_LISTEN   web/API address               (default 127.0.0.1:9090)
#   PROMETHEUS_RETENTION                              (default 15d)
#   PROMETHEUS_STORAGE  TSDB directory                (default /prometheus)
#   PROMETHEUS_WORK     where the configuration copy goes (default /tmp/weft-prometheus)
set -eu
src=$(cd "$(dirname "$0")" && pwd)
work=${PROMETHEUS_WORK:-/tmp/weft-prometheus}
mkdir -p "$work/targets"
cp "$src/prometheus.yml" "$src/weft-alerts.yml" "$work/"
host=${WEFT_HOST_NAME:-$(hostname)}
printf '[{"targets": ["%s"]}]\n' "${WEFT_CP_TARGET:-127.0.0.1:${WEFT_CP_PORT:-6785}}" >"$work/targets/control-plane.json"
printf '[{"targets": ["%s"], "labels": {"host": "%s"}}]\n' "${WEFT_DP_TARGET:-127.0.0.1:${WEFT_API_PORT:-6784}}" "$host" \
  >"$work/targets/data-plane.json"
exec prometheus --config.file="$work/prometheus.yml" \
  --storage.tsdb.path="${PROMETHEUS_STORAGE:-/prometheus}" \
  --storage.tsdb.retention.time="${PROMETHEUS_RETENTION:-15d}" \
  --web.listen-address="${PROMETHEUS_LISTEN:-127.0.0.1:9090}" "$@"
