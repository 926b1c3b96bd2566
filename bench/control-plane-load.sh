#!/usr/bin/env bash
# Control-plane load benchmark: for each N in N_LIST, starts a fresh control plane on a free
# loopback port, runs weft-bench against it (N agent watch streams, change propagation, IPAM
# allocations/s) and stops it; prints a summary table at the end. See docs/BENCHMARKS.md.
#
#   bench/control-plane-load.sh                      # N_LIST="1000 5000 10000"
#   N_LIST="1000" bench/control-plane-load.sh
#
# Environment (all optional):
#   N_LIST="1000 5000 10000"   agent counts, one fresh control plane each
#   CHANGES=20                 timed changes per N
#   IPAM_SECONDS=10            measured allocation time (50 clients), agents disconnected
#   IPAM_WATCHED_SECONDS=0     also allocate this long while the N agents are connected
#   IPAM_CLIENTS=50
#   CONNECT_CONCURRENCY=25     agents between opening their stream and Synced (how fast agents join)
#   CONNECT_TIMEOUT_S=1800     stop opening agents after this long
#   CP_HEAP=4g GEN_HEAP=4g     JVM heaps of the control plane and of the generator
#   CP_JAVA_OPTS, GEN_JAVA_OPTS extra JVM flags
#   BENCH_ARGS                 extra weft-bench options (java -jar weft-bench.jar --help)
#   WEFT_DB_URL (+ WEFT_DB_USERNAME, WEFT_DB_PASSWORD)  PostgreSQL instead of a fresh H2 file;
#                              the database is reused as it is (use an empty one for clean figures)
#   WAIT_IDLE_S=120            before each run, and before the propagation and IPAM phases, wait
#                              up to this long for other processes to leave the machine idle
#   SKIP_BUILD=1               use the jars already built
#   OUT_DIR=dir                keep logs, generator output and results.tsv there
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N_LIST=${N_LIST:-"1000 5000 10000"}
CHANGES=${CHANGES:-20}
IPAM_SECONDS=${IPAM_SECONDS:-10}
IPAM_WATCHED_SECONDS=${IPAM_WATCHED_SECONDS:-0}
IPAM_CLIENTS=${IPAM_CLIENTS:-50}
CONNECT_CONCURRENCY=${CONNECT_CONCURRENCY:-25}
CONNECT_TIMEOUT_S=${CONNECT_TIMEOUT_S:-1800}
CP_HEAP=${CP_HEAP:-4g}
GEN_HEAP=${GEN_HEAP:-4g}
CP_JAVA_OPTS=${CP_JAVA_OPTS:-}
GEN_JAVA_OPTS=${GEN_JAVA_OPTS:-}
BENCH_ARGS=${BENCH_ARGS:-}
WAIT_IDLE_S=${WAIT_IDLE_S:-120}
ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM"
JOIN_TOKEN="bench-join-$RANDOM$RANDOM"

log() { printf '%s [bench] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*"; exit 1; }

command -v java >/dev/null || die "java is not installed"
command -v curl >/dev/null || die "curl is not installed (apt-get install -y curl)"

# Every agent is one TCP connection: the generator and the control plane each hold one socket per agent.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
log "open-files limit $FD_LIMIT"

WORK=$(mktemp -d /tmp/weft-bench.XXXXXX)
CP_PID=""

stop_cp() {
    if [[ -n "$CP_PID" ]] && kill -0 "$CP_PID" 2>/dev/null; then
        kill -TERM "$CP_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$CP_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$CP_PID" 2>/dev/null; then
            log "control plane $CP_PID did not stop in 30 s; killing it"
            kill -KILL "$CP_PID" 2>/dev/null || true
        fi
        wait "$CP_PID" 2>/dev/null || true
    fi
    CP_PID=""
}

cleanup() {
    local rc=$?
    stop_cp
    if [[ -n "${OUT_DIR:-}" && -d "$WORK" ]]; then
        mkdir -p "$OUT_DIR"
        cp "$WORK"/*.log "$WORK"/results.tsv "$OUT_DIR"/ 2>/dev/null || true
        log "logs and results kept in $OUT_DIR"
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 10000)) # below the ephemeral range the agents' connections use
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# busy percentage of all CPUs over one second, from /proc/stat
machine_busy() {
    local a b
    a=$(head -1 /proc/stat)
    sleep 1
    b=$(head -1 /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {
        split(a, x); split(b, y); t = 0; i = 0;
        for (k = 2; k <= 9; k++) t += y[k] - x[k];
        i = (y[5] - x[5]) + (y[6] - x[6]);
        printf "%d", (t > 0 ? 100 * (t - i) / t : 0) }'
}

wait_idle() {
    local deadline=$((SECONDS + WAIT_IDLE_S)) busy quiet=0
    while ((SECONDS < deadline)); do
        busy=$(machine_busy)
        if ((busy < 20)); then
            quiet=$((quiet + 1))
            ((quiet >= 3)) && return 0
        else
            quiet=0
        fi
    done
    log "WARNING: the machine is still ${busy}% busy with other work; figures will be skewed (see 'everything else' in the output)"
}

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
    log "building control-plane and bench"
    (cd "$ROOT" && mvn -B -q -pl control-plane,bench -am package -DskipTests)
fi
[[ -f "$ROOT/control-plane/target/quarkus-app/quarkus-run.jar" ]] || die "control-plane/target/quarkus-app/quarkus-run.jar is missing; build first"
[[ -f "$ROOT/bench/target/weft-bench.jar" ]] || die "bench/target/weft-bench.jar is missing; build first"
# Run private copies, so a rebuild in the work tree cannot change the jars under a running benchmark.
cp -r "$ROOT/control-plane/target/quarkus-app" "$WORK/app"
cp "$ROOT/bench/target/weft-bench.jar" "$WORK/weft-bench.jar"

DB_MODE="h2 (fresh file per N)"
if [[ -n "${WEFT_DB_URL:-}" ]]; then
    DB_MODE="postgresql ($WEFT_DB_URL)"
fi
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1)"
log "database: $DB_MODE; N_LIST=\"$N_LIST\"; control plane -Xmx$CP_HEAP, generator -Xmx$GEN_HEAP; $CONNECT_CONCURRENCY agents joining at once"

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
STATUS=0
for N in $N_LIST; do
    if ((N + 1000 > FD_LIMIT)); then
        log "WARNING: N=$N needs about $((N + 500)) open files per process; the limit is $FD_LIMIT"
    fi
    wait_idle
    PORT=$(free_port) || die "no free loopback port found"
    DATA="$WORK/data-$N"
    mkdir -p "$DATA"
    log "N=$N: starting control plane on 127.0.0.1:$PORT (data $DATA)"
    # shellcheck disable=SC2086
    env WEFT_DATA_DIR="$DATA" WEFT_PORT="$PORT" WEFT_LISTEN=127.0.0.1 \
        WEFT_ADMIN_TOKEN="$ADMIN_TOKEN" WEFT_JOIN_TOKEN="$JOIN_TOKEN" \
        ${WEFT_DB_URL:+WEFT_DB_URL="$WEFT_DB_URL"} \
        ${WEFT_DB_USERNAME:+WEFT_DB_USERNAME="$WEFT_DB_USERNAME"} \
        ${WEFT_DB_PASSWORD:+WEFT_DB_PASSWORD="$WEFT_DB_PASSWORD"} \
        java -Xmx"$CP_HEAP" $CP_JAVA_OPTS -jar "$WORK/app/quarkus-run.jar" >"$WORK/control-plane-$N.log" 2>&1 &
    CP_PID=$!
    ready=0
    for _ in $(seq 1 240); do
        kill -0 "$CP_PID" 2>/dev/null || { tail -20 "$WORK/control-plane-$N.log"; die "control plane exited during start-up"; }
        if curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; then
            ready=1
            break
        fi
        sleep 0.5
    done
    ((ready)) || { tail -20 "$WORK/control-plane-$N.log"; die "control plane not ready after 120 s"; }
    log "N=$N: control plane ready (pid $CP_PID, RSS $(awk '/VmRSS/ {print int($2/1024) " MB"}' /proc/$CP_PID/status))"

    rc=0
    # shellcheck disable=SC2086
    timeout 3600 java -Xmx"$GEN_HEAP" $GEN_JAVA_OPTS -jar "$WORK/weft-bench.jar" \
        --target="127.0.0.1:$PORT" --agents="$N" --join-token="$JOIN_TOKEN" --admin-token="$ADMIN_TOKEN" \
        --changes="$CHANGES" --ipam-seconds="$IPAM_SECONDS" --ipam-watched-seconds="$IPAM_WATCHED_SECONDS" \
        --ipam-clients="$IPAM_CLIENTS" --connect-concurrency="$CONNECT_CONCURRENCY" --connect-timeout-s="$CONNECT_TIMEOUT_S" \
        --cp-pid="$CP_PID" --quiet-wait-s="$WAIT_IDLE_S" --result-file="$RESULTS" $BENCH_ARGS 2>&1 | tee "$WORK/generator-$N.log" || rc=$?
    if ((rc != 0)); then
        log "N=$N: generator reported problems (exit $rc)"
        STATUS=1
    fi
    grep -E "WARN|ERROR" "$WORK/control-plane-$N.log" | grep -v -E "virtual threads|Flyway has been verified" | tail -5 || true
    stop_cp
    rm -rf "$DATA"
done

echo
log "summary (times in ms unless named; cores = CPU cores used on average in that phase)"
if command -v column >/dev/null; then
    column -t -s $'\t' "$RESULTS"
else
    cat "$RESULTS"
fi
exit $STATUS
