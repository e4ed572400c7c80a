#!/usr/bin/env bash
# Benchmark harness for the resend gateway. See bench/README.md.
#
#   bench/run.sh            full run  -> bench/results/latest.md, latency.png, latest-raw.txt
#   bench/run.sh --smoke    ~5 s of load, proves the harness works -> bench/results/smoke.md
#   bench/run.sh --soak     full run plus 5 min at c=32 watching the gateway's RSS
#   bench/run.sh --profile  full run plus a JFR recording of the gateway under load
#   bench/run.sh --head     benchmark the last commit instead of the working tree (any mode)
#
# Exit status: 0 when the harness ran, whatever the numbers; non-zero only when the harness itself
# broke (tools missing, build failed, a server never answered 202...). Missed targets are reported
# as FAIL in the results file, not through the exit status, so CI can run --smoke on noisy machines.
#
# Everything it starts listens on 127.0.0.1 only and is stopped by the EXIT trap.
set -Eeuo pipefail
export LC_ALL=C   # $EPOCHREALTIME and awk must use '.' as the decimal point

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
RESULTS=$BENCH/results

MODE=full SOAK=0 PROFILE=0 SOURCE=tree
for arg in "$@"; do
    case $arg in
        --smoke) MODE=smoke ;;
        --soak) SOAK=1 ;;
        --profile) PROFILE=1 ;;
        --head) SOURCE=head ;;
        -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
    esac
done

# ---- knobs (environment overrides are for experiments; the defaults are what results mean) ----
if [[ $MODE == smoke ]]; then
    DURATION=${BENCH_DURATION:-1}          # seconds per wrk run
    WARMUP=${BENCH_WARMUP:-2}
    CONCURRENCIES=${BENCH_CONCURRENCIES:-"1 32"}
    STARTUP_RUNS=${BENCH_STARTUP_RUNS:-1}
    TRAIN=${BENCH_AOT_TRAIN:-0}            # 0: skip the trained AOT cache variant
    OUT_MD=$RESULTS/smoke.md OUT_PNG=$RESULTS/smoke-latency.png OUT_RAW=$RESULTS/smoke-raw.txt
else
    DURATION=${BENCH_DURATION:-20}
    # 60 s: on a slow 2-CPU machine C2 was still raising c=32 throughput after 40 s of load
    WARMUP=${BENCH_WARMUP:-60}
    CONCURRENCIES=${BENCH_CONCURRENCIES:-"1 32 128"}
    STARTUP_RUNS=${BENCH_STARTUP_RUNS:-5}
    TRAIN=${BENCH_AOT_TRAIN:-15}
    OUT_MD=$RESULTS/latest.md OUT_PNG=$RESULTS/latency.png OUT_RAW=$RESULTS/latest-raw.txt
fi
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

# ---- helpers ----
log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "HARNESS ERROR: $*"; exit 1; }
calc() { awk "BEGIN { printf \"%${2:-.3f}\", $1 }"; }        # calc EXPR [FORMAT]
is_true() { awk "BEGIN { exit !($1) }"; }                     # is_true EXPR
now() { echo "$EPOCHREALTIME"; }                               # seconds, microsecond resolution

PIDS=()          # every long-running process we started; the EXIT trap stops them all
WORK=""
HARNESS_OK=0

stop_pid() {     # stop_pid PID [SECONDS]: TERM, wait (bounded), then KILL
    local pid=$1 limit=${2:-15} i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < limit * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid ignored TERM for ${limit}s, killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    local keep=() p
    for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do stop_pid "$pid" 10; done
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ $HARNESS_OK == 1 && -z ${BENCH_KEEP:-} ]]; then
            rm -rf "$WORK"
        else
            log "work dir kept for inspection: $WORK"
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
# set -e stops on any unexpected failure; say where, so a broken harness is easy to tell from bad numbers
trap 'log "HARNESS ERROR: line $LINENO: $BASH_COMMAND (exit $?)"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
USED_PORTS=" "
pick_port() {    # pick_port VAR: a free loopback port, never one handed out before in this run
    local p i
    for ((i = 0; i < 200; i++)); do
        p=$((20000 + RANDOM % 30000))
        [[ $USED_PORTS == *" $p "* ]] && continue
        port_in_use "$p" && continue
        USED_PORTS+="$p "
        printf -v "$1" '%s' "$p"
        return 0
    done
    die "no free port found"
}

http_status() {  # http_status URL gateway|upstream: the status code of one resend POST, 000 if none
    local url=$1 mode=$2
    local -a h=(-H 'Content-Type: application/json' -H 'Accept: application/json')
    local body
    if [[ $mode == gateway ]]; then
        h+=(-H "X-Api-Key: $BENCH_KEY") body='{"phone":"+47 912 34 567"}'
    else
        h+=(-H "Authorization: Bearer $BENCH_TOKEN") body='{"countryCode":"+47","msisdn":"91234567"}'
    fi
    curl -s -o "$WORK/last-body" -w '%{http_code}' --max-time 5 -X POST "${h[@]}" --data "$body" "$url" || true
}

wait_for_202() { # wait_for_202 URL MODE SECONDS [PID]: poll every ~10 ms; 0 once a 202 came back
    local url=$1 mode=$2 limit=$3 pid=${4:-} deadline code
    # integer microseconds from $EPOCHREALTIME: no awk fork per poll, so polling stays near 10 ms
    deadline=$((${EPOCHREALTIME/./} + limit * 1000000))
    while ((${EPOCHREALTIME/./} < deadline)); do
        ATTEMPT_START=$EPOCHREALTIME   # start-up splits its time at the attempt that got the 202
        code=$(http_status "$url" "$mode")
        if [[ $code == 202 ]]; then return 0; fi
        if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
        sleep 0.01
    done
    return 1
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
mb() { calc "$1 * 1024 / 1000000" .1f; }   # kB -> MB (10^6 bytes), the unit of the 150 MB target

# CPU accounting, to tell whether something else (e.g. a Maven build) competed with the benchmark.
cpu_total_busy() {   # prints "busy total" jiffies for the whole machine
    awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}
CLK_TCK=$(getconf CLK_TCK)
proc_jiffies() {     # utime+stime of the given pids and their direct children (nginx workers)
    local pid kids total=0 j
    for pid in "$@"; do
        kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
        for j in $pid $kids; do
            # fields after the ")" of comm: state is $1 there, utime/stime are $12/$13
            total=$((total + $(sed 's/.*) //' "/proc/$j/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0)))
        done
    done
    echo "$total"
}
children_jiffies() { # CPU of finished children of this shell (wrk, curl) from bash's `times`
    # `times` must run in this shell: a subshell or pipeline (fork) starts with zeroed child times
    local tck; tck=$(getconf CLK_TCK)
    times >"$WORK/times.txt"
    awk -v tck="$tck" 'NR == 2 {
        split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * tck }' "$WORK/times.txt"
}

# ---- 1. tools ----
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
need=()
command -v wrk >/dev/null || need+=(wrk)
[[ -x $NGINX ]] || need+=(nginx)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
command -v curl >/dev/null || need+=(curl)
command -v rsync >/dev/null || need+=(rsync)
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
    JAVA25_VERSION="not found at $JDK25_HOME (AOT variants skipped)"
fi
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
WRK_VERSION=$( (wrk -v 2>&1 || true) | head -1 | awk '{ print $1, $2 }')   # wrk -v exits 1
if [[ $SOURCE == head ]]; then
    SRC_DESC="last commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') (--head)"
else
    # --no-optional-locks: read-only, must not even refresh the shared index
    SRC_DESC="working tree at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') with $(git -C "$ROOT" --no-optional-locks status --porcelain -- . ':!bench' 2>/dev/null | wc -l) uncommitted path(s) outside bench/"
fi
log "mode=$MODE work=$WORK load before start: $LOAD_BEFORE (nproc $NPROC)"

# ---- 2. build the gateway from a copy of the tree (never inside the shared working tree) ----
# build NAME JAVA_HOME|- [maven args...]: prints the quarkus-app dir. Reuses a cached build when the
# copied sources (and the JDK) are byte-identical to a previous run's.
build() {
    local name=$1 jhome=$2; shift 2
    local stage=$BUILD_CACHE/stage-$name-$$ key dir jdk   # $$: two runs never share a stage
    mkdir -p "$BUILD_CACHE"
    if [[ $SOURCE == head ]]; then
        # --head: the last commit, read with git archive (changes nothing in the repo)
        rm -rf "$stage" && mkdir -p "$stage"
        git -C "$ROOT" archive --format=tar HEAD | tar -x -C "$stage" --exclude=bench
    else
        rsync -a --delete --exclude target --exclude bench --exclude .git "$ROOT/" "$stage/"
    fi
    if [[ $jhome == - ]]; then jdk=$(java -version 2>&1); else jdk=$("$jhome/bin/java" -version 2>&1); fi
    key=$( (cd "$stage" && find . -type f -print0 | sort -z | xargs -0 sha256sum; echo "$jdk $*") \
        | sha256sum | cut -c1-16)
    dir=$BUILD_CACHE/$name-$key
    if [[ -f $dir/target/quarkus-app/quarkus-run.jar && -z ${BENCH_REBUILD:-} ]]; then
        log "build $name: sources unchanged, reusing $dir"
    else
        rm -rf "$dir"
        mv "$stage" "$dir"
        # -Dmaven.test.skip: the benchmark needs no tests, and must not fail because test code
        # in the shared tree is mid-edit (-DskipTests still compiles it)
        log "build $name: ./mvnw -B -q package -Dmaven.test.skip=true $* (JAVA_HOME=${jhome/#-/default})"
        local t0; t0=$(now)
        if ! (cd "$dir" && if [[ $jhome != - ]]; then export JAVA_HOME=$jhome; fi &&
            timeout 1200 ./mvnw -B -q package -Dmaven.test.skip=true "$@") >"$WORK/build-$name.log" 2>&1; then
            tail -40 "$WORK/build-$name.log" >&2
            rm -rf "$dir"
            die "maven build '$name' failed (log above)"
        fi
        log "build $name: done in $(calc "$(now) - $t0" .0f) s"
        # keep one good build per variant (older ones only fill /tmp), but only once this one worked
        local old
        for old in "$BUILD_CACHE/$name"-*; do [[ $old == "$dir" ]] || rm -rf "$old"; done
    fi
    rm -rf "$stage"
    echo "$dir/target/quarkus-app"
}

JVM_APP=$(build jvm -)
[[ -f $JVM_APP/quarkus-run.jar ]] || die "no quarkus-run.jar after the build"
# JVM flags: the project's deploy/jvm-options when it has one, else the small-container defaults
JVM_OPTS_SRC="default (deploy/jvm-options absent)"
JVM_OPTS=(-Xms32m -Xmx96m -XX:+UseSerialGC)
# (read from the built copy, so flags and jar always come from the same snapshot of the tree)
JVM_OPTS_FILE=$JVM_APP/../../deploy/jvm-options
if [[ -f $JVM_OPTS_FILE ]]; then
    read -r -a JVM_OPTS < <(sed 's/#.*//' "$JVM_OPTS_FILE" | tr '\n' ' ') || true   # read: 1 at EOF
    JVM_OPTS_SRC="deploy/jvm-options"
fi
log "JVM options (${JVM_OPTS_SRC}): ${JVM_OPTS[*]}"

# AOT cache the Quarkus way: JDK 25 at package time. type=aot must be explicit, because "auto"
# picks the old AppCDS archive for a project that targets Java 17 bytecode. phase=build, because
# the default (integration-tests) trains on @QuarkusIntegrationTest runs, which this project lacks.
AOT_MVN_ARGS=(-Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.jar.aot.type=aot
    -Dquarkus.package.jar.aot.phase=build)
AOT_APP=""
if [[ $HAVE_JDK25 == 1 ]]; then
    AOT_APP=$(build aot "$JDK25_HOME" "${AOT_MVN_ARGS[@]}")
    [[ -f $AOT_APP/app.aot ]] || die "the JDK 25 AOT build produced no app.aot"
fi

# ---- 3. the fake Front Payment and the nginx reverse proxy (the baseline) ----
pick_port FAKE_PORT
pick_port PROXY_PORT
ENVELOPE='{"status_code":202,"status_message":"OK","message":"resentOrderSuccessfully","is_data":true,"data":null}'

nginx_conf() {   # nginx_conf DIR SERVER-BLOCK: a self-contained config, nothing under /etc or /var
    local dir=$1
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
# generated by bench/run.sh
daemon off;
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    server_tokens off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    # wrk and the gateway keep connections open; nginx's default of 1000 requests per
    # connection would add reconnects that a real Front Payment does not force on us
    keepalive_requests 1000000;
    keepalive_timeout 75s;
$2
}
EOF
}

start_nginx() {  # start_nginx DIR PORT NAME
    local dir=$1 port=$2 name=$3
    "$NGINX" -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" 2>"$WORK/nginx-$name-test.log" ||
        die "nginx $name config rejected: $(cat "$WORK/nginx-$name-test.log")"
    "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
    PIDS+=($!)
    local i
    for ((i = 0; i < 100; i++)); do port_in_use "$port" && return 0; sleep 0.05; done
    die "nginx $name did not listen on $port: $(tail -5 "$dir/error.log" 2>/dev/null)"
}

nginx_conf "$WORK/fake" "
    server {
        listen 127.0.0.1:$FAKE_PORT;
        default_type application/json;
        location ~ ^/api/v1/connect/orders/resend/[A-Za-z0-9-]+\$ {
            if (\$request_method != POST) { return 405; }
            return 202 '$ENVELOPE';
        }
        location / {
            return 404 '{\"status_code\":404,\"status_message\":\"Not Found\",\"message\":\"orderNotFound\",\"is_error\":true,\"errors\":[]}';
        }
    }"
nginx_conf "$WORK/proxy" "
    upstream fake_front_payment {
        server 127.0.0.1:$FAKE_PORT;
        keepalive 256;                 # pooled keep-alive upstream connections, like the gateway's client
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$PROXY_PORT;
        location / {
            proxy_pass http://fake_front_payment;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }
    }"
start_nginx "$WORK/fake" "$FAKE_PORT" fake
FAKE_NGINX=${PIDS[-1]}
start_nginx "$WORK/proxy" "$PROXY_PORT" proxy
PROXY_NGINX=${PIDS[-1]}
DIRECT_URL=http://127.0.0.1:$FAKE_PORT$UP_PATH
PROXY_URL=http://127.0.0.1:$PROXY_PORT$UP_PATH
[[ $(http_status "$DIRECT_URL" upstream) == 202 ]] && grep -q resentOrderSuccessfully "$WORK/last-body" ||
    die "fake Front Payment did not answer 202 with the envelope"
[[ $(http_status "$PROXY_URL" upstream) == 202 ]] || die "nginx proxy did not answer 202"
log "fake Front Payment on :$FAKE_PORT, nginx proxy on :$PROXY_PORT"

# ---- 4. the gateway ----
KEY_SHA=$(printf '%s' "$BENCH_KEY" | sha256sum | cut -d' ' -f1)
GW_PID=""
# The resend limits go up to 1e9 so the load measures the pass-through path, and the window down
# to 10 ms: the in-memory store keeps one log entry per accepted attempt per key for the whole
# window, so with a 1e9 limit and the default 1 h window every request of the run would stay on
# the heap (the same order and phone are sent each time) and the run would measure GC, not the
# gateway; even 1 s keeps thousands of entries alive just long enough to be promoted, which costs
# full GCs. With 10 ms the limiter still runs on every request and each key holds a few dozen
# entries at most, close to production, where a key never holds more than its limit (5).
# BENCH_GW_ENV="K=V ...": extra environment for every gateway started, for experiments only.
read -r -a GW_EXTRA_ENV <<<"${BENCH_GW_ENV:-}" || true
# start_gateway JAVA APPDIR PORT LOG [extra JVM args]: sets GW_PID. Configured through the
# environment only, and only with what the contract names (env -i: nothing leaks in from ours).
start_gateway() {
    local java=$1 app=$2 port=$3 logf=$4; shift 4
    (cd "$app" && exec env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 \
        QUARKUS_HTTP_HOST=127.0.0.1 \
        QUARKUS_HTTP_PORT="$port" \
        QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL="http://127.0.0.1:$FAKE_PORT" \
        GATEWAY_TENANTS__BENCH__API_KEY_SHA256="$KEY_SHA" \
        GATEWAY_TENANTS__BENCH__FRONT_PAYMENT_TOKEN="$BENCH_TOKEN" \
        GATEWAY_RESEND_LIMIT_PER_ORDER=1000000000 \
        GATEWAY_RESEND_LIMIT_PER_DESTINATION=1000000000 \
        GATEWAY_RESEND_LIMIT_WINDOW=10ms \
        ${GW_EXTRA_ENV[@]+"${GW_EXTRA_ENV[@]}"} \
        "$java" "${JVM_OPTS[@]}" "$@" -jar quarkus-run.jar) >"$logf" 2>&1 &
    GW_PID=$!
    PIDS+=("$GW_PID")
}

pick_port GW_PORT
GW_URL=http://127.0.0.1:$GW_PORT$GW_PATH
# BENCH_JVM_EXTRA: extra flags for this load-test gateway only, for experiments (e.g. -Xlog:gc)
read -r -a JVM_EXTRA <<<"${BENCH_JVM_EXTRA:-}" || true
start_gateway java "$JVM_APP" "$GW_PORT" "$WORK/gateway.log" "${JVM_EXTRA[@]}"
MAIN_GW=$GW_PID
if ! wait_for_202 "$GW_URL" gateway 60 "$MAIN_GW"; then
    tail -30 "$WORK/gateway.log" >&2
    die "the gateway never answered 202 (last status $(http_status "$GW_URL" gateway): $(head -c 300 "$WORK/last-body"))"
fi
grep -q '"orderUuid"' "$WORK/last-body" || die "gateway 202 without the contract body: $(head -c 300 "$WORK/last-body")"
RSS_IDLE=$(rss_kb "$MAIN_GW")
log "gateway (JDK 17, plain jar) on :$GW_PORT answers 202; idle RSS $(mb "$RSS_IDLE") MB"

# ---- 5. load ----
declare -A RPS P50 P99 ERR REQ CPU_US
# The server under test for each target: its CPU per request is what bounds throughput when
# wrk, nginx and the JVM share two CPUs (the fake upstream's CPU is not counted in any row).
declare -A SERVER_PID=([direct]="$FAKE_NGINX" [proxy]="$PROXY_NGINX" [gateway]="$MAIN_GW")
run_wrk() {     # run_wrk NAME URL MODE SECRET CONC SECONDS [record|discard]
    local name=$1 url=$2 mode=$3 secret=$4 c=$5 d=$6 what=${7:-record} t=2 out line cpu0 cpu1
    if ((c < 2)); then t=1; fi
    out=$WORK/wrk-$name-c$c.txt
    cpu0=$(proc_jiffies ${SERVER_PID[$name]:-})
    timeout $((d + 60)) wrk -t"$t" -c"$c" -d"${d}s" --latency --timeout 5s \
        -s "$BENCH/wrk-post.lua" "$url" -- "$mode" "$secret" >"$out" 2>&1 ||
        die "wrk failed for $name c=$c: $(tail -3 "$out")"
    cpu1=$(proc_jiffies ${SERVER_PID[$name]:-})
    line=$(grep '^BENCH ' "$out") || die "wrk printed no summary for $name c=$c: $(tail -3 "$out")"
    printf '\n===== %s c=%s %ss (%s) =====\n' "$name" "$c" "$d" "$what" >>"$RAW"
    grep -v '^BENCH ' "$out" >>"$RAW"
    [[ $what == record ]] || return 0
    kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    RPS[$name,$c]=$(kv rps)
    P50[$name,$c]=$(calc "$(kv p50_us) / 1000")
    P99[$name,$c]=$(calc "$(kv p99_us) / 1000")
    REQ[$name,$c]=$(kv requests)
    ERR[$name,$c]=$(($(kv err_status) + $(kv err_connect) + $(kv err_read) + $(kv err_write) + $(kv err_timeout)))
    CPU_US[$name,$c]=$(calc "($cpu1 - $cpu0) * 1000000 / $CLK_TCK / (${REQ[$name,$c]} + 1)" .0f)
    log "  $name c=$c: ${RPS[$name,$c]} req/s p50 ${P50[$name,$c]} ms p99 ${P99[$name,$c]} ms errors ${ERR[$name,$c]} server CPU ${CPU_US[$name,$c]} us/req"
}

NGINX_PIDS=()
for p in "${PIDS[@]}"; do [[ $p == "$MAIN_GW" ]] || NGINX_PIDS+=("$p"); done
our_jiffies_into() { # VAR: CPU used so far by our servers and finished load generators
    local kids; children_jiffies >"$WORK/kids.txt"; kids=$(<"$WORK/kids.txt")
    printf -v "$1" '%s' $(($(proc_jiffies "$MAIN_GW" "${NGINX_PIDS[@]}") + kids))
}
# Is anything else using the CPU while ours sit (nearly) idle? 3 s of /proc/stat minus our own
# processes (the gateway may still be JIT-compiling after its first request).
read -r b0 t0 < <(cpu_total_busy); our_jiffies_into o0
sleep 3
read -r b1 t1 < <(cpu_total_busy); our_jiffies_into o1
IDLE_BUSY_PCT=$(calc "(p = 100 * (($b1 - $b0) - ($o1 - $o0)) / ($t1 - $t0)) < 0 ? 0 : p" .0f)   # jiffy rounding can dip below 0

read -r mb0 mt0 < <(cpu_total_busy)
our_jiffies_into our0
T_LOAD0=$(now)

# Fail with a clear reason when the gateway vanished mid-run (seen once: something outside the
# harness sent it SIGTERM) instead of a confusing "connection refused" from wrk.
gateway_alive() {
    kill -0 "$MAIN_GW" 2>/dev/null && return 0
    local rc=0; wait "$MAIN_GW" 2>/dev/null || rc=$?
    tail -5 "$WORK/gateway.log" | cut -c1-300 >&2
    die "the gateway (pid $MAIN_GW) exited during the load with status $rc$( ((rc == 143 || rc == 130)) && echo ': a signal from outside this harness (a broad pkill/killall?)')"
}

log "warm-up: gateway c=32 for ${WARMUP}s"
run_wrk gateway "$GW_URL" gateway "$BENCH_KEY" 32 "$WARMUP" discard
for c in $CONCURRENCIES; do
    log "c=$c, ${DURATION}s each"
    run_wrk direct "$DIRECT_URL" upstream "$BENCH_TOKEN" "$c" "$DURATION"
    run_wrk proxy "$PROXY_URL" upstream "$BENCH_TOKEN" "$c" "$DURATION"
    gateway_alive
    run_wrk gateway "$GW_URL" gateway "$BENCH_KEY" "$c" "$DURATION"
    gateway_alive
done
RSS_LOADED=$(rss_kb "$MAIN_GW")
gateway_alive
read -r mb1 mt1 < <(cpu_total_busy)
our_jiffies_into our1
LOAD_SECONDS=$(calc "$(now) - $T_LOAD0" .0f)
# whatever the machine was busy with during the load phase that was not us, in % of all CPUs
OTHER_PCT=$(calc "(p = 100 * (($mb1 - $mb0) - ($our1 - $our0)) / ($mt1 - $mt0)) < 0 ? 0 : p" .0f)   # jiffy rounding can dip below 0
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# the gateway's own complaints during the load (its per-request INFO lines are not counted)
# (plain-text or JSON console format)
GW_ERRORS=$(grep -c -E ' ERROR |"level":"ERROR"' "$WORK/gateway.log" || true)
GW_WARNS=$(grep -c -E ' WARN |"level":"WARN' "$WORK/gateway.log" || true)
GW_FIRST_ERROR=$(grep -m1 -E ' ERROR |"level":"ERROR"' "$WORK/gateway.log" | cut -c1-240 || true)
# what the non-202 answers were, from the request log lines ("outcome=CODE status=NNN")
GW_NON202=$(grep -o -E 'outcome=[A-Za-z0-9_]+ status=[0-9]+' "$WORK/gateway.log" | grep -v 'status=202' |
    sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2 " " $3, $1; sep = ", " }' || true)
log "gateway RSS after load: $(mb "$RSS_LOADED") MB; CPU used by other processes during load: ${OTHER_PCT}%"

# ---- 6. soak: RSS over time ----
SOAK_SAMPLES=()
if [[ $SOAK == 1 ]]; then
    log "soak: gateway c=32 for ${SOAK_SECONDS}s, RSS every 10 s"
    wrk -t2 -c32 -d"${SOAK_SECONDS}s" --latency --timeout 5s -s "$BENCH/wrk-post.lua" "$GW_URL" \
        -- gateway "$BENCH_KEY" >"$WORK/wrk-soak.txt" 2>&1 &
    SOAK_WRK=$!
    PIDS+=("$SOAK_WRK")
    for ((i = 0; i <= SOAK_SECONDS / 10; i++)); do
        SOAK_SAMPLES+=("$(rss_kb "$MAIN_GW")")
        kill -0 "$SOAK_WRK" 2>/dev/null || break
        sleep 10
    done
    stop_pid "$SOAK_WRK" $((SOAK_SECONDS + 30))   # wrk ends by itself at -d; this only bounds it
    SOAK_LINE=$(grep '^BENCH ' "$WORK/wrk-soak.txt" || echo "")
    { printf '\n===== soak c=32 %ss =====\n' "$SOAK_SECONDS"; grep -v '^BENCH ' "$WORK/wrk-soak.txt"; } >>"$RAW"
fi

# ---- 7. profile (optional): JFR of a second, separate gateway under c=32 ----
PROFILE_NOTE=""
if [[ $PROFILE == 1 ]]; then
    pick_port PROF_PORT
    start_gateway java "$JVM_APP" "$PROF_PORT" "$WORK/gateway-profile.log" \
        "-XX:StartFlightRecording=filename=$WORK/gateway.jfr,settings=profile,dumponexit=true"
    PROF_PID=$GW_PID
    wait_for_202 "http://127.0.0.1:$PROF_PORT$GW_PATH" gateway 60 "$PROF_PID" || die "profiled gateway never answered"
    run_wrk profiled "http://127.0.0.1:$PROF_PORT$GW_PATH" gateway "$BENCH_KEY" 32 "$((WARMUP + DURATION))" discard
    stop_pid "$PROF_PID" 60
    JFR=$(command -v jfr || echo jfr)
    if [[ -x $JDK25_HOME/bin/jfr ]]; then JFR=$JDK25_HOME/bin/jfr; fi   # `jfr view` exists from JDK 21 on
    {
        echo "JFR of the gateway (JDK 17, plain jar) under c=32 for $((WARMUP + DURATION)) s; $(date -u)"
        # A flat hot-method list hides where the time goes; count each component once per sample
        # in which it is anywhere on the stack (inclusive share of CPU samples).
        echo; echo "## inclusive share of execution samples by component"; echo
        "$JFR" print --events jdk.ExecutionSample --stack-depth 256 "$WORK/gateway.jfr" >"$WORK/samples.txt" 2>&1 || true
        awk 'BEGIN { RS = "jdk.ExecutionSample"
            n = split("io.netty|io.vertx.core.http|org.jboss.resteasy.reactive.server|org.jboss.resteasy.reactive.client|" \
                "org.hibernate.validator|com.google.i18n.phonenumbers|MobileNumber.parse|com.fasterxml.jackson|" \
                "org.jboss.logmanager|gateway.api.RequestLog|io.smallrye.context|java.util.regex|io.paylink", k, "|") }
            NR > 1 { total++; for (i = 1; i <= n; i++) if (index($0, k[i])) c[i]++ }
            END { printf "%d samples\n", total; for (i = 1; i <= n; i++) printf "%6.1f%%  %s\n", 100 * c[i] / (total ? total : 1), k[i] }' \
            "$WORK/samples.txt"
        for v in hot-methods allocation-by-class gc-pauses; do
            echo; echo "## jfr view $v"; "$JFR" view --width 160 "$v" "$WORK/gateway.jfr" 2>&1 | head -40
        done
    } >"$RESULTS/profile.txt" || true
    PROFILE_NOTE="JFR summary of a separate gateway under c=32: [profile.txt](profile.txt)."
fi

stop_pid "$MAIN_GW" 20

# ---- 8. start-up: process start -> first 202 ----
# startup VARIANT JAVA APPDIR [JVM args]: STARTUP_RUNS timed starts; keeps all times in ST[VARIANT]
declare -A ST FR
ATTEMPT_START=0
startup() {
    local variant=$1 java=$2 app=$3; shift 3
    local port i t0 t1 times=() firsts=()
    pick_port port
    for ((i = 1; i <= STARTUP_RUNS; i++)); do
        t0=$(now)
        start_gateway "$java" "$app" "$port" "$WORK/startup-$variant-$i.log" "$@"
        if ! wait_for_202 "http://127.0.0.1:$port$GW_PATH" gateway 60 "$GW_PID"; then
            tail -20 "$WORK/startup-$variant-$i.log" >&2
            die "start-up variant '$variant' never answered 202"
        fi
        t1=$(now)
        stop_pid "$GW_PID" 20
        times+=("$(calc "$t1 - $t0")")
        # the successful attempt began at most ~20 ms after the port opened; from there to the 202
        # is the first request (class loading and init on the request path, not Quarkus boot)
        firsts+=("$(calc "$t1 - $ATTEMPT_START")")
    done
    ST[$variant]="${times[*]}"
    FR[$variant]="${firsts[*]}"
    log "start-up $variant: ${times[*]} s (first request: ${firsts[*]} s)"
}
stat_of() {      # stat_of "t1 t2 ..." -> "median min max"
    tr ' ' '\n' <<<"$1" | sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}

log "start-up: $STARTUP_RUNS run(s) per variant"
read -r sb0 st0 < <(cpu_total_busy)
our_jiffies_into so0   # started gateways are waited for, so their CPU lands in our children's times
startup jar17 java "$JVM_APP"
AOT_NOTE=""
if [[ $HAVE_JDK25 == 1 ]]; then
    startup jar25 "$JDK25_HOME/bin/java" "$JVM_APP"
    # -XX:AOTMode=on: fail loudly rather than silently run without the cache if it cannot be used
    startup aot25 "$JDK25_HOME/bin/java" "$AOT_APP" -XX:AOTCache=app.aot -XX:AOTMode=on
    if ((TRAIN > 0)); then
        # A cache trained on real requests, not only on Quarkus' static init: JEP 514's one-step
        # -XX:AOTCacheOutput on the aot-jar, real load for TRAIN seconds, then a clean stop
        # (the cache is written at exit). Same app dir as at run time: the cache checks the class path.
        rm -f "$AOT_APP/app-trained.aot"
        pick_port TRAIN_PORT
        start_gateway "$JDK25_HOME/bin/java" "$AOT_APP" "$TRAIN_PORT" "$WORK/aot-train.log" \
            -XX:AOTCacheOutput=app-trained.aot
        TRAIN_PID=$GW_PID
        wait_for_202 "http://127.0.0.1:$TRAIN_PORT$GW_PATH" gateway 60 "$TRAIN_PID" || die "AOT training run never answered"
        run_wrk training "http://127.0.0.1:$TRAIN_PORT$GW_PATH" gateway "$BENCH_KEY" 8 "$TRAIN" discard
        stop_pid "$TRAIN_PID" 180
        if [[ -f $AOT_APP/app-trained.aot ]]; then
            startup aot25trained "$JDK25_HOME/bin/java" "$AOT_APP" -XX:AOTCache=app-trained.aot -XX:AOTMode=on
        else
            AOT_NOTE="The trained AOT cache was not written; see the harness log."
            log "WARNING: no app-trained.aot after the training run: $(tail -5 "$WORK/aot-train.log")"
        fi
    fi
fi

read -r sb1 st1 < <(cpu_total_busy)
our_jiffies_into so1
STARTUP_OTHER_PCT=$(calc "(p = 100 * (($sb1 - $sb0) - ($so1 - $so0)) / ($st1 - $st0)) < 0 ? 0 : p" .0f)   # jiffy rounding can dip below 0

# ---- 9. results ----
CS=($CONCURRENCIES)
has_c() { [[ " $CONCURRENCIES " == *" $1 "* ]]; }
verdict() { if is_true "$1"; then echo PASS; else echo FAIL; fi; }
fmt() { calc "$1" "${2:-.2f}"; }

DAT=$WORK/latency.dat
for c in "${CS[@]}"; do
    echo "$c ${P50[direct,$c]} ${P99[direct,$c]} ${P50[proxy,$c]} ${P99[proxy,$c]} ${P50[gateway,$c]} ${P99[gateway,$c]}"
done >"$DAT"
SUB="$MODE run $DATE, $NPROC CPUs ($CPU_MODEL), ${DURATION}s per point"
SUB=${SUB//[\'_]/ }   # keep gnuplot quoting and enhanced-text markup intact
gnuplot -e "datafile='$DAT'; outfile='$OUT_PNG'; subtitle='$SUB'" "$BENCH/latency.gp" 2>"$WORK/gnuplot.log" ||
    log "WARNING: gnuplot failed: $(cat "$WORK/gnuplot.log")"

# target checks; a target whose input was not measured in this mode is "n/a"
TARGETS=()
target() { TARGETS+=("| $1 | $2 | $3 | $4 |"); }
if has_c 32; then
    r=$(calc "${RPS[gateway,32]} / ${RPS[proxy,32]}")
    target "throughput at c=32 ≥ 0.8 × nginx proxy" "$(fmt "${RPS[gateway,32]}" .0f) vs $(fmt "${RPS[proxy,32]}" .0f) req/s = ×$(fmt "$r")" "≥ ×0.80" "$(verdict "$r >= 0.8")"
    r=$(calc "${P99[gateway,32]} / ${P99[proxy,32]}")
    target "p99 at c=32 ≤ 2 × nginx proxy p99" "${P99[gateway,32]} vs ${P99[proxy,32]} ms = ×$(fmt "$r")" "≤ ×2.00" "$(verdict "$r <= 2")"
fi
if has_c 1; then
    added=$(calc "${P50[gateway,1]} - ${P50[direct,1]}")
    target "added median latency at c=1 (gateway p50 − direct p50)" "$added ms" "≤ 0.150 ms" "$(verdict "$added <= 0.15")"
fi
read -r s_med s_min s_max <<<"$(stat_of "${ST[jar17]}")"
target "start → first 202, plain jar (JDK 17)" "$s_med s (median of $STARTUP_RUNS)" "≤ 1.0 s" "$(verdict "$s_med <= 1.0")"
if [[ -n ${ST[aot25]:-} ]]; then
    read -r a_med _ _ <<<"$(stat_of "${ST[aot25]}")"
    best=aot25 best_med=$a_med
    if [[ -n ${ST[aot25trained]:-} ]]; then
        read -r tr_med _ _ <<<"$(stat_of "${ST[aot25trained]}")"
        if is_true "$tr_med < $a_med"; then best=aot25trained best_med=$tr_med; fi
    fi
    target "start → first 202, AOT cache on JDK 25" "$best_med s ($best, median of $STARTUP_RUNS)" "≤ 0.5 s" "$(verdict "$best_med <= 0.5")"
else
    target "start → first 202, AOT cache on JDK 25" "not measured (no JDK 25)" "≤ 0.5 s" "n/a"
fi
target "gateway RSS after the load" "$(mb "$RSS_LOADED") MB" "≤ 150 MB" "$(verdict "$(mb "$RSS_LOADED") <= 150")"

ERRORS_TOTAL=0
for k in "${!ERR[@]}"; do ERRORS_TOTAL=$((ERRORS_TOTAL + ERR[$k])); done

# Judged on CPU measured while we ran, not on the load average before start: that average still
# carries whatever finished in the minute before (an earlier run, a build) and competes with nothing.
NOISE="quiet: ${IDLE_BUSY_PCT}% CPU busy with other work just before the load, ${OTHER_PCT}% of all CPU used by other processes during the load phase (load average $LOAD_BEFORE before start, for the record)."
if is_true "$IDLE_BUSY_PCT > 15 || $OTHER_PCT > 10"; then
    NOISE="**NOISY** - other work competed for the $NPROC CPUs: load average $LOAD_BEFORE before start, ${IDLE_BUSY_PCT}% CPU busy with other work just before the load, ${OTHER_PCT}% of all CPU used by other processes during the load phase (load average after: $LOAD_AFTER). Treat the numbers as pessimistic."
fi

{
    echo "# Gateway benchmark ($MODE run)"
    echo
    echo "$DATE, $(calc "$(now) - $T_START" .0f) s wall time, generated by \`bench/run.sh$([[ $MODE == smoke ]] && echo ' --smoke')$([[ $SOAK == 1 ]] && echo ' --soak')$([[ $PROFILE == 1 ]] && echo ' --profile')\`."
    [[ $MODE == smoke ]] && echo "**Smoke run**: ${DURATION} s per point, only proves the harness works; the numbers mean little."
    echo
    echo "- Source: $SRC_DESC."
    echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM_TOTAL RAM, $KERNEL; nothing pinned, wrk shares the CPUs with the servers."
    echo "- Noise: $NOISE"
    echo "- JDK: $JAVA17_VERSION; JDK 25: $JAVA25_VERSION"
    echo "- Gateway: plain fast-jar on JDK 17, JVM options ${JVM_OPTS_SRC}: \`${JVM_OPTS[*]}\`$([[ -n ${BENCH_JVM_EXTRA:-} ]] && echo " plus BENCH_JVM_EXTRA \`$BENCH_JVM_EXTRA\`"); configured by environment only."
    echo "  Resend limits raised to 1e9 per order and per destination (\`GATEWAY_RESEND_LIMIT_PER_ORDER\`, \`GATEWAY_RESEND_LIMIT_PER_DESTINATION\`) so this measures the pass-through path, not the 429 path, and \`GATEWAY_RESEND_LIMIT_WINDOW=10ms\`: the limiter still runs on every request, but the in-memory store keeps one entry per accepted attempt per key for a whole window, so with the default 1 h window the run would fill the 96 MB heap and measure GC (see bench/README.md).$([[ -n ${BENCH_GW_ENV:-} ]] && echo " Experiment environment: \`$BENCH_GW_ENV\`.")"
    echo "- Upstream: $NGINX_VERSION answering 202 with Front Payment's envelope; baseline: a second nginx as plain reverse proxy (keep-alive pool of 256) to it. Load: $WRK_VERSION, -t1 at c=1 else -t2, ${DURATION}s per point after ${WARMUP}s warm-up of the gateway at c=32, all on 127.0.0.1."
    echo "- Requests: gateway \`POST $GW_PATH\` with \`X-Api-Key\` and \`{\"phone\":\"+47 912 34 567\"}\`; direct and proxy \`POST $UP_PATH\` with \`Authorization: Bearer ...\` and \`{\"countryCode\":\"+47\",\"msisdn\":\"91234567\"}\`."
    echo
    echo "## Throughput and latency"
    for c in "${CS[@]}"; do
        echo
        echo "### c=$c"
        echo
        echo "| target | req/s | p50 ms | p99 ms | requests | errors/non-2xx | server CPU µs/request |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        for t in direct proxy gateway; do
            label=$t; [[ $t == proxy ]] && label="nginx proxy"
            echo "| $label | $(fmt "${RPS[$t,$c]}" .0f) | ${P50[$t,$c]} | ${P99[$t,$c]} | ${REQ[$t,$c]} | ${ERR[$t,$c]} | ${CPU_US[$t,$c]} |"
        done
        echo
        echo "gateway/proxy throughput ×$(fmt "$(calc "${RPS[gateway,$c]} / ${RPS[proxy,$c]}")"), gateway/direct throughput ×$(fmt "$(calc "${RPS[gateway,$c]} / ${RPS[direct,$c]}")"); gateway/proxy p99 ×$(fmt "$(calc "${P99[gateway,$c]} / ${P99[proxy,$c]}")"); gateway p50 − direct p50 = $(calc "${P50[gateway,$c]} - ${P50[direct,$c]}") ms; CPU per request, gateway JVM / proxy nginx ×$(fmt "$(calc "${CPU_US[gateway,$c]} / (${CPU_US[proxy,$c]} + 0.001)")")."
    done
    echo
    if ((ERRORS_TOTAL > 0)); then
        echo "**$ERRORS_TOTAL requests failed or were not 2xx** (wrk counts answers ≥ 400 and socket errors); the affected rows do not measure the happy path. See the raw wrk output."
        echo
    fi
    echo "![p50 and p99 by concurrency]($(basename "$OUT_PNG"))"
    echo
    echo "## Targets"
    echo
    echo "| target | measured | limit | result |"
    echo "|---|---|---|---|"
    printf '%s\n' "${TARGETS[@]}"
    echo
    echo "## Start-up: process start → first 202"
    echo
    echo "Timed from just before the \`java\` fork until a curl POST (one every ~10 ms, plus curl's own ~5-10 ms) gets 202 from the gateway, which has called the fake Front Payment. \"First request\" is the part after the port opened: the successful attempt's own duration, i.e. the lazy work on the request path (REST client, validation, libphonenumber metadata, JIT-less first run). Same JVM options as above. Other processes used ${STARTUP_OTHER_PCT}% of all CPU during these start-ups$( ((STARTUP_OTHER_PCT > 10)) && echo " (**NOISY**: start-up is mostly single-threaded class loading and JIT, so competing work slows it directly)")."
    echo
    echo "| variant | command (in the quarkus-app dir) | median s | min s | max s | of which first request, median s | runs |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    row() {
        [[ -n ${ST[$1]:-} ]] || return 0
        local m lo hi f
        read -r m lo hi <<<"$(stat_of "${ST[$1]}")"
        read -r f _ _ <<<"$(stat_of "${FR[$1]}")"
        echo "| $2 | \`$3\` | $m | $lo | $hi | $f | $STARTUP_RUNS |"
    }
    row jar17 "plain fast-jar, JDK 17" "java ${JVM_OPTS[*]} -jar quarkus-run.jar"
    row jar25 "plain fast-jar, JDK 25" "\$JDK25/bin/java ${JVM_OPTS[*]} -jar quarkus-run.jar"
    row aot25 "aot-jar + AOT cache from the Quarkus build (JDK 25)" "\$JDK25/bin/java ${JVM_OPTS[*]} -XX:AOTCache=app.aot -jar quarkus-run.jar"
    row aot25trained "aot-jar + AOT cache trained under load (JDK 25)" "\$JDK25/bin/java ${JVM_OPTS[*]} -XX:AOTCache=app-trained.aot -jar quarkus-run.jar"
    echo
    echo "AOT build: \`JAVA_HOME=\$JDK25 ./mvnw -B -q package -Dmaven.test.skip=true ${AOT_MVN_ARGS[*]}\`$( ((TRAIN > 0)) && echo "; trained cache: the same app started with \`-XX:AOTCacheOutput=app-trained.aot\`, $TRAIN s of c=8 load, then SIGTERM (see README)"). Timed runs add \`-XX:AOTMode=on\` so an unusable cache fails instead of being ignored. $AOT_NOTE"
    echo
    echo "## Memory"
    echo
    echo "Gateway VmRSS (MB = 10^6 bytes): $(mb "$RSS_IDLE") MB idle after the first request, **$(mb "$RSS_LOADED") MB after the load** above."
    if [[ $SOAK == 1 && ${#SOAK_SAMPLES[@]} -gt 0 ]]; then
        first=${SOAK_SAMPLES[0]} last=${SOAK_SAMPLES[-1]} max=0
        for s in "${SOAK_SAMPLES[@]}"; do if ((s > max)); then max=$s; fi; done
        grew="no growth"
        if is_true "$last > $first * 1.10 && $last - $first > 10240"; then grew="**grew** by $(mb $((last - first))) MB"; fi
        echo
        echo "Soak, c=32 for ${SOAK_SECONDS} s: RSS first $(mb "$first") MB, last $(mb "$last") MB, max $(mb "$max") MB → $grew (samples every 10 s, MB: $(for s in "${SOAK_SAMPLES[@]}"; do printf '%s ' "$(mb "$s")"; done))."
        if [[ -n $SOAK_LINE ]]; then
            echo "Soak throughput $(sed -n 's/.* rps=\([^ ]*\).*/\1/p' <<<"$SOAK_LINE") req/s, status errors $(sed -n 's/.* err_status=\([^ ]*\).*/\1/p' <<<"$SOAK_LINE")."
        fi
    fi
    echo
    echo "## Gateway log"
    echo
    echo "$GW_ERRORS ERROR and $GW_WARNS WARN lines in the load-test gateway's log.$([[ -n $GW_FIRST_ERROR ]] && printf ' First ERROR: `%s`' "$GW_FIRST_ERROR")"
    if [[ -n $GW_NON202 ]]; then echo; echo "Non-202 answers in its request log: $GW_NON202."; fi
    [[ -n $PROFILE_NOTE ]] && { echo; echo "$PROFILE_NOTE"; }
    echo
    echo "Raw wrk output: [$(basename "$OUT_RAW")]($(basename "$OUT_RAW"))."
} >"$OUT_MD"
cp "$RAW" "$OUT_RAW"

HARNESS_OK=1     # the run is complete: the work dir may go
log "results: $OUT_MD"
printf '%s\n' "${TARGETS[@]}" >&2
