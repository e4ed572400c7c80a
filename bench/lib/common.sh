# bench/lib/common.sh: helpers every phase uses (logging, arithmetic, process and port bookkeeping,
# one-request probes, CPU accounting). Sourced by bench/run.sh; defines functions and the EXIT trap.

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
# Listening ports come from below the kernel's ephemeral range: a port inside it can be the local end
# of one of our own outgoing connections (wrk, the gateway's pool) by the time a server binds it,
# which the connect probe cannot see and which makes the bind fail.
read -r EPHEMERAL_LOW EPHEMERAL_HIGH </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null ||
    { EPHEMERAL_LOW=32768 EPHEMERAL_HIGH=60999; }
if ((EPHEMERAL_LOW > 12000)); then
    LISTEN_LOW=10000 LISTEN_HIGH=$EPHEMERAL_LOW
else
    LISTEN_LOW=$((EPHEMERAL_HIGH + 1)) LISTEN_HIGH=65536
fi
pick_port() {    # pick_port VAR: a free loopback port, never one handed out before in this run
    local p i
    for ((i = 0; i < 200; i++)); do
        p=$((LISTEN_LOW + RANDOM % (LISTEN_HIGH - LISTEN_LOW)))
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
mb() { calc "$1 * 1024 / 1000000" .1f; }   # kB -> MB (10^6 bytes)

# CPU accounting, to tell whether something else (e.g. a Maven build) competed with the benchmark.
CLK_TCK=$(getconf CLK_TCK)
cpu_total_busy() {   # prints "busy total" jiffies for the whole machine
    awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}
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
