#!/usr/bin/env bash
# Benchmark harness for the resend gateway: what its features cost on top of the stack it is built
# on, measured side by side with a bare Quarkus pass-through of the same call (bench/reference).
# See bench/README.md.
#
#   bench/run.sh            full run  -> bench/results/latest.md, latency.png, latest-raw.txt
#   bench/run.sh --smoke    ~5 s of load, proves the harness works -> bench/results/smoke.md
#   bench/run.sh --soak     full run plus 5 min at c=32 watching the gateway's RSS
#   bench/run.sh --profile  full run plus a JFR recording of the gateway under load
#   bench/run.sh --native   native test executables of gateway and reference -> bench/results/native.md
#   bench/run.sh --head     benchmark the last commit instead of the working tree (any mode)
#   bench/run.sh --tenants  only the tenants phase: 6, 1,000, 10,000 tenants from a file -> bench/results/tenants.md
#
# Exit status: 0 when the harness ran, whatever the numbers; non-zero only when the harness itself
# broke (tools missing, build failed, a server never answered 202...). Missed targets are reported
# as "missed" in the results file, not through the exit status, so CI can run --smoke on noisy
# machines.
#
# This file only orders the phases; each concern lives in bench/lib/:
#   common.sh  helpers, cleanup trap, CPU accounting     build.sh    Maven builds in /tmp copies
#   servers.sh nginx, redis-server, the two JVM apps     load.sh     wrk runs: load, Redis, overload;
#                                                                    Hyperfoil: open-model latency, overload
#   startup.sh start -> first 202                         memory.sh   RSS with the deploy flags
#   targets.sh the targets, as ratios to the reference    report.sh   results file and chart
#   tenants.sh the cost of many tenants (--tenants)
# Everything it starts listens on 127.0.0.1 only and is stopped by the EXIT trap.
set -Eeuo pipefail
export LC_ALL=C   # $EPOCHREALTIME and awk must use '.' as the decimal point

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
RESULTS=$BENCH/results

MODE=full SOAK=0 PROFILE=0 SOURCE=tree TENANTS=0
for arg in "$@"; do
    case $arg in
        --smoke) MODE=smoke ;;
        --native) MODE=native ;;
        --soak) SOAK=1 ;;
        --profile) PROFILE=1 ;;
        --head) SOURCE=head ;;
        --tenants) TENANTS=1 ;;
        -h | --help) sed -n '2,25p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
    esac
done

# ---- knobs (environment overrides are for experiments; the defaults are what results mean) ----
if [[ $MODE == smoke ]]; then
    DURATION=${BENCH_DURATION:-1}          # seconds per wrk run
    WARMUP=${BENCH_WARMUP:-2}
    CONCURRENCIES=${BENCH_CONCURRENCIES:-"1 32"}
    STARTUP_RUNS=${BENCH_STARTUP_RUNS:-1}
    # the ITs take minutes and CI runs them in `./mvnw verify` anyway: the smoke's AOT cache holds
    # Quarkus' static init only
    AOT_PHASE=${BENCH_AOT_PHASE:-build}
    OUT_MD=$RESULTS/smoke.md OUT_PNG=$RESULTS/smoke-latency.png OUT_RAW=$RESULTS/smoke-raw.txt
    OUT_TENANTS_MD=$RESULTS/tenants-smoke.md
elif [[ $MODE == native ]]; then
    DURATION=${BENCH_DURATION:-20}
    WARMUP=${BENCH_WARMUP:-50}             # the JVM gateway's, for the native / JVM comparison
    NATIVE_WARMUP=${BENCH_NATIVE_WARMUP:-5}
    NATIVE_STARTS=${BENCH_NATIVE_STARTS:-10}
    NATIVE_LIMIT_MIB=${BENCH_NATIVE_LIMIT_MIB:-192}   # the native containers' memory limit in deploy/
    NATIVE_BUILDER=${NATIVE_BUILDER:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/shared/native/build-native.sh}
    OUT_MD=$RESULTS/native.md OUT_RAW=$RESULTS/native-raw.txt
else
    DURATION=${BENCH_DURATION:-20}
    # on a slow 2-CPU machine C2 was still raising c=32 throughput after 40 s of load
    WARMUP=${BENCH_WARMUP:-50}
    CONCURRENCIES=${BENCH_CONCURRENCIES:-"1 32 128"}
    STARTUP_RUNS=${BENCH_STARTUP_RUNS:-5}
    AOT_PHASE=${BENCH_AOT_PHASE:-integration-tests}
    OUT_MD=$RESULTS/latest.md OUT_PNG=$RESULTS/latency.png OUT_RAW=$RESULTS/latest-raw.txt
    OUT_TENANTS_MD=$RESULTS/tenants.md
fi
IDEM_WARMUP=${BENCH_IDEM_WARMUP:-$(( WARMUP / 2 > 1 ? WARMUP / 2 : 1 ))}   # the Redis gateway's own warm-up
OVERLOAD_C=${BENCH_OVERLOAD_C:-512}
OPEN_FACTOR=${BENCH_OPEN_FACTOR:-1.5}  # the open-model overload's rate, as a multiple of c=32's throughput
OPEN_LATENCY_FACTOR=${BENCH_OPEN_LATENCY_FACTOR:-0.5}   # the open-model latency run's rate, the same way
OPEN_WARMUP=${BENCH_OPEN_WARMUP:-$(( WARMUP / 5 > 1 ? WARMUP / 5 : 1 ))}   # the load generator's own warm-up
MEM_SECONDS=${BENCH_MEM_SECONDS:-$DURATION}
SOAK_SECONDS=${BENCH_SOAK_SECONDS:-300}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# builds are kept here, keyed by a hash of the sources, so a re-run of an unchanged tree skips Maven
BUILD_CACHE=${BENCH_BUILD_CACHE:-/tmp/paylink-bench-builds}

# Obviously fake credentials: the key only exists in this script, the token only in the fake upstream.
BENCH_KEY=bench-api-key-not-secret
BENCH_TOKEN=bench-token-not-real
ORDER=ODR347888404
GW_PATH=/v1/orders/$ORDER/payment-link/resend
UP_PATH=/api/v1/connect/orders/resend/$ORDER

for lib in common build servers load startup memory targets report native tenants; do
    # shellcheck source=/dev/null
    source "$BENCH/lib/$lib.sh"
done

# ---- tools: Debian packages, installed when missing (root) ----
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
need=()
command -v wrk >/dev/null || need+=(wrk)
[[ -x $NGINX ]] || need+=(nginx)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
command -v curl >/dev/null || need+=(curl)
command -v rsync >/dev/null || need+=(rsync)
command -v redis-server >/dev/null || need+=(redis-server)
if ((${#need[@]})); then
    [[ $(id -u) == 0 ]] || die "missing ${need[*]}; run as root or install them"
    log "installing ${need[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || die "apt-get install failed"
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi
command -v java >/dev/null || die "java (17) is not on PATH"

# ---- work dir and machine facts ----
WORK=$(mktemp -d /tmp/paylink-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers drop to an unprivileged user; they must reach their temp dirs
mkdir -p "$RESULTS"
RAW=$WORK/raw.txt
: >"$RAW"
T_START=$(now)
DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
NPROC=$(nproc)
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MEM_TOTAL=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
KERNEL=$(uname -sr)
JAVA17_VERSION=$(java -version 2>&1 | head -2 | tail -1)
HAVE_JDK25=0
if [[ -x $JDK25_HOME/bin/java ]] && "$JDK25_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
    HAVE_JDK25=1
    JAVA25_VERSION=$("$JDK25_HOME/bin/java" -version 2>&1 | head -2 | tail -1)
else
    JAVA25_VERSION="not found at $JDK25_HOME (AOT variant skipped)"
fi
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
WRK_VERSION=$( (wrk -v 2>&1 || true) | head -1 | awk '{ print $1, $2 }')   # wrk -v exits 1
REDIS_VERSION=$(redis-server --version | awk '{ print $1, $2, $3 }')
if [[ $SOURCE == head ]]; then
    SRC_DESC="last commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') (--head)"
else
    # --no-optional-locks: read-only, must not even refresh the shared index
    SRC_DESC="working tree at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') with $(git -C "$ROOT" --no-optional-locks status --porcelain -- . ':!bench/results' 2>/dev/null | wc -l) uncommitted path(s) outside bench/results"
fi
log "mode=$MODE work=$WORK load before start: $LOAD_BEFORE (nproc $NPROC)"

if [[ $MODE == native ]]; then
    [[ -f $NATIVE_BUILDER ]] || die "--native needs the native test builder: $NATIVE_BUILDER (set NATIVE_BUILDER)"
    HAVE_JDK25=0   # no AOT variant here: the JVM gateway is the plain jar
    build_all
    NATIVE_EXE[gateway]=$(native_build gateway gateway)
    NATIVE_EXE[reference]=$(native_build reference reference)
    start_upstreams
    read -r NB0 NT0 < <(cpu_total_busy); our_jiffies_into NO0
    native_startup_phase
    native_load_phase
    read -r NB1 NT1 < <(cpu_total_busy); our_jiffies_into NO1
    NATIVE_OTHER_PCT=$(calc "(p = 100 * (($NB1 - $NB0) - ($NO1 - $NO0)) / ($NT1 - $NT0)) < 0 ? 0 : p" .0f)
    write_native_report
    cp "$RAW" "$OUT_RAW"
    HARNESS_OK=1
    log "results: $OUT_MD"
    exit 0
fi

# ---- the tenants phase alone (--tenants): the gateway jar, the fake Front Payment, nothing else ----
if [[ $TENANTS == 1 ]]; then
    HAVE_JDK25=0   # no AOT build: this phase runs the plain jar only
    build_all
    start_upstreams
    tenants_phase
    write_tenants_report
    HARNESS_OK=1
    log "results: $OUT_TENANTS_MD"
    exit 0
fi

# ---- the phases ----
build_all               # gateway, reference, gateway aot-jar with its AOT cache (JDK 25)
start_upstreams         # fake Front Payment and nginx proxy
start_load_apps         # gateway and reference, load-test flags
load_phase              # warm-up, then c = 1 32 128: direct, proxy, reference, gateway
open_latency_phase      # p99 at a fixed rate both sustain, reference and gateway (Hyperfoil)
idempotency_phase       # Idempotency-Key on every request: memory store vs Redis store
overload_phase          # c=512 against the default bulkhead
open_overload_phase     # the same in an open model: a fixed arrival rate (Hyperfoil)
[[ $SOAK == 1 ]] && soak_phase
RSS_AFTER_ALL=$(rss_kb "$MAIN_GW")
alive gateway "$MAIN_GW" "$WORK/gateway.log"

read -r LOAD_MB1 LOAD_MT1 < <(cpu_total_busy)
our_jiffies_into LOAD_OUR1
# whatever the machine was busy with during the load phases that was not us, in % of all CPUs
OTHER_PCT=$(calc "(p = 100 * (($LOAD_MB1 - $LOAD_MB0) - ($LOAD_OUR1 - $LOAD_OUR0)) / ($LOAD_MT1 - $LOAD_MT0)) < 0 ? 0 : p" .0f)   # jiffy rounding can dip below 0
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# the gateway's own complaints (its per-request INFO lines are not counted), plain-text or JSON
GW_ERRORS=$(grep -c -E ' ERROR |"level":"ERROR"' "$WORK/gateway.log" || true)
GW_WARNS=$(grep -c -E ' WARN |"level":"WARN' "$WORK/gateway.log" || true)
GW_FIRST_ERROR=$(grep -m1 -E ' ERROR |"level":"ERROR"' "$WORK/gateway.log" | cut -c1-240 || true)
# what the non-202 answers were, from the request log lines ("outcome=CODE status=NNN")
GW_NON202=$(grep -o -E 'outcome=[A-Za-z0-9_]+ status=[0-9]+' "$WORK/gateway.log" | grep -v 'status=202' |
    sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2 " " $3, $1; sep = ", " }' || true)
log "CPU used by other processes during the load phases: ${OTHER_PCT}%"
stop_pid "$MAIN_GW" 20
stop_pid "$MAIN_REF" 20
MAIN_GW="" MAIN_REF=""

PROFILE_NOTE=""
[[ $PROFILE == 1 ]] && profile_phase
memory_phase            # RSS after load with the deploy flags, gateway and reference
startup_phase           # start -> first 202: gateway and reference plain jars, gateway AOT cache

evaluate_targets
write_chart
write_report
HARNESS_OK=1     # the run is complete: the work dir may go
log "results: $OUT_MD"
printf '%s\n' "${TARGETS[@]}" >&2
