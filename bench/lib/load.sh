# bench/lib/load.sh: the load phases. wrk is a closed-model generator: each connection waits for
# its answer before it sends the next request, so when the server stalls wrk stops sending and
# the stall is counted once, not for every request that would have arrived meanwhile
# (coordinated omission). Its p99 therefore flatters a server under overload; the overload phase
# reads the gateway's own per-request durations too.

declare -A RPS P50 P99 ERR REQ CPU_US NON2XX TIMEOUTS
declare -A SERVER_PID    # name -> pid whose CPU is charged to that row (nginx: its workers too)

# run_wrk NAME URL MODE SECRET CONC SECONDS [record|discard]: one wrk run, results in the arrays
# above under "NAME,CONC". The CPU of the server under test is read from /proc before and after:
# when wrk, nginx and the JVM share two CPUs, CPU per request is what bounds throughput.
run_wrk() {
    local name=$1 url=$2 mode=$3 secret=$4 c=$5 d=$6 what=${7:-record} t=2 out line cpu0 cpu1
    local script=$BENCH/wrk-post.lua
    [[ $mode == gateway-idem ]] && script=$BENCH/wrk-idem.lua
    if ((c < 2)); then t=1; fi
    out=$WORK/wrk-$name-c$c.txt
    cpu0=$(proc_jiffies ${SERVER_PID[$name]:-})
    timeout $((d + 60)) wrk -t"$t" -c"$c" -d"${d}s" --latency --timeout 5s \
        -s "$script" "$url" -- "$mode" "$secret" >"$out" 2>&1 ||
        die "wrk failed for $name c=$c: $(tail -3 "$out")"
    cpu1=$(proc_jiffies ${SERVER_PID[$name]:-})
    line=$(grep '^BENCH ' "$out") || die "wrk printed no summary for $name c=$c: $(tail -3 "$out")"
    printf '\n===== %s c=%s %ss (%s) =====\n' "$name" "$c" "$d" "$what" >>"$RAW"
    grep -v '^BENCH ' "$out" >>"$RAW"
    [[ $what == record ]] || return 0
    kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    local k=$name,$c
    RPS[$k]=$(kv rps)
    P50[$k]=$(calc "$(kv p50_us) / 1000")
    P99[$k]=$(calc "$(kv p99_us) / 1000")
    REQ[$k]=$(kv requests)
    NON2XX[$k]=$(kv err_status)
    TIMEOUTS[$k]=$(kv err_timeout)
    ERR[$k]=$(($(kv err_status) + $(kv err_connect) + $(kv err_read) + $(kv err_write) + $(kv err_timeout)))
    CPU_US[$k]=$(calc "($cpu1 - $cpu0) * 1000000 / $CLK_TCK / (${REQ[$k]} + 1)" .0f)
    log "  $name c=$c: ${RPS[$k]} req/s p50 ${P50[$k]} ms p99 ${P99[$k]} ms errors ${ERR[$k]} server CPU ${CPU_US[$k]} us/req"
}

# Start the two JVMs under test side by side (same JVM, same flags): the gateway and the reference.
start_load_apps() {
    pick_port GW_PORT
    pick_port REF_PORT
    GW_URL=http://127.0.0.1:$GW_PORT$GW_PATH
    REF_URL=http://127.0.0.1:$REF_PORT$GW_PATH
    # BENCH_JVM_EXTRA: extra flags for the load-test gateway only, for experiments (e.g. -Xlog:gc)
    read -r -a JVM_EXTRA <<<"${BENCH_JVM_EXTRA:-}" || true
    start_app gateway java "$JVM_APP" "$GW_PORT" "$WORK/gateway.log" LOAD_JVM_OPTS ${JVM_EXTRA[@]+"${JVM_EXTRA[@]}"}
    MAIN_GW=$APP_PID
    start_app reference java "$REF_APP" "$REF_PORT" "$WORK/reference.log" LOAD_JVM_OPTS
    MAIN_REF=$APP_PID
    app_ready gateway "$MAIN_GW" "$GW_URL" "$WORK/gateway.log"
    app_ready reference "$MAIN_REF" "$REF_URL" "$WORK/reference.log"
    RSS_IDLE[gateway]=$(rss_kb "$MAIN_GW")
    RSS_IDLE[reference]=$(rss_kb "$MAIN_REF")
    SERVER_PID=([direct]="$FAKE_NGINX" [proxy]="$PROXY_NGINX" [gateway]="$MAIN_GW" [reference]="$MAIN_REF")
    log "gateway on :$GW_PORT, reference on :$REF_PORT answer 202 (JDK 17, plain jar)"
}

our_jiffies_into() { # VAR: CPU used so far by our servers and finished load generators
    local kids; children_jiffies >"$WORK/kids.txt"; kids=$(<"$WORK/kids.txt")
    local -a ours=("$FAKE_NGINX" "$PROXY_NGINX" ${MAIN_GW:+"$MAIN_GW"} ${MAIN_REF:+"$MAIN_REF"}
        ${REDIS_PID:+"$REDIS_PID"} ${REDIS_GW:+"$REDIS_GW"})
    printf -v "$1" '%s' $(($(proc_jiffies "${ours[@]}") + kids))
}

# The main comparison: for each concurrency, direct, nginx proxy, reference, gateway, one after
# the other (never two loads at once: they would share the two CPUs).
load_phase() {
    # Is anything else using the CPU while ours sit (nearly) idle? 3 s of /proc/stat minus our own
    # processes (the JVMs may still be JIT-compiling after their first request).
    local b0 t0 b1 t1 o0 o1
    read -r b0 t0 < <(cpu_total_busy); our_jiffies_into o0
    sleep 3
    read -r b1 t1 < <(cpu_total_busy); our_jiffies_into o1
    IDLE_BUSY_PCT=$(calc "(p = 100 * (($b1 - $b0) - ($o1 - $o0)) / ($t1 - $t0)) < 0 ? 0 : p" .0f)   # jiffy rounding can dip below 0

    read -r LOAD_MB0 LOAD_MT0 < <(cpu_total_busy)
    our_jiffies_into LOAD_OUR0
    T_LOAD0=$(now)
    # Both JVMs get the same warm-up (C2 keeps raising throughput for tens of seconds).
    log "warm-up: reference then gateway, c=32 for ${WARMUP}s each"
    run_wrk reference "$REF_URL" gateway "$BENCH_KEY" 32 "$WARMUP" discard
    run_wrk gateway "$GW_URL" gateway "$BENCH_KEY" 32 "$WARMUP" discard
    local c
    for c in $CONCURRENCIES; do
        log "c=$c, ${DURATION}s each"
        run_wrk direct "$DIRECT_URL" upstream "$BENCH_TOKEN" "$c" "$DURATION"
        run_wrk proxy "$PROXY_URL" upstream "$BENCH_TOKEN" "$c" "$DURATION"
        alive reference "$MAIN_REF" "$WORK/reference.log"
        run_wrk reference "$REF_URL" gateway "$BENCH_KEY" "$c" "$DURATION"
        alive gateway "$MAIN_GW" "$WORK/gateway.log"
        run_wrk gateway "$GW_URL" gateway "$BENCH_KEY" "$c" "$DURATION"
        alive gateway "$MAIN_GW" "$WORK/gateway.log"
    done
    RSS_LOADED_NOCAP[gateway]=$(rss_kb "$MAIN_GW")
    RSS_LOADED_NOCAP[reference]=$(rss_kb "$MAIN_REF")
}

# Idempotency-Key on every request, memory store (the load-test gateway) against the Redis store
# (a second gateway on a real redis-server), c=32, then the Redis gateway without keys. The Redis
# gateway gets its own warm-up.
idempotency_phase() {
    start_redis
    pick_port REDIS_GW_PORT
    REDIS_GW_URL=http://127.0.0.1:$REDIS_GW_PORT$GW_PATH
    start_app gateway-redis java "$JVM_APP" "$REDIS_GW_PORT" "$WORK/gateway-redis.log" LOAD_JVM_OPTS
    REDIS_GW=$APP_PID
    app_ready "gateway (Redis store)" "$REDIS_GW" "$REDIS_GW_URL" "$WORK/gateway-redis.log"
    SERVER_PID[gw-memory-idem]=$MAIN_GW
    SERVER_PID[gw-redis-idem]="$REDIS_GW $REDIS_PID"   # the gateway and Redis both serve this row
    log "idempotency: Idempotency-Key on every request, memory store vs Redis store, c=32 for ${DURATION}s each"
    run_wrk gw-redis-idem "$REDIS_GW_URL" gateway-idem "$BENCH_KEY" 32 "$IDEM_WARMUP" discard
    run_wrk gw-memory-idem "$GW_URL" gateway-idem "$BENCH_KEY" 32 "$DURATION"
    alive "gateway (Redis store)" "$REDIS_GW" "$WORK/gateway-redis.log"
    run_wrk gw-redis-idem "$REDIS_GW_URL" gateway-idem "$BENCH_KEY" 32 "$DURATION"
    alive "gateway (Redis store)" "$REDIS_GW" "$WORK/gateway-redis.log"
    # the same Redis gateway without keys: only the limit reservation goes to Redis. Against the row
    # above, what a key's claim, sending mark and save cost per request
    SERVER_PID[gw-redis-nokey]="$REDIS_GW $REDIS_PID"
    run_wrk gw-redis-nokey "$REDIS_GW_URL" gateway "$BENCH_KEY" 32 "$DURATION"
    alive "gateway (Redis store)" "$REDIS_GW" "$WORK/gateway-redis.log"
    REDIS_ERRORS=$(grep -c -E '"level":"(ERROR|WARN)' "$WORK/gateway-redis.log" || true)
    # the commonest complaint, message only (never a whole line: it could carry request data)
    REDIS_TOP_ERROR=$(grep -E '"level":"(ERROR|WARN)' "$WORK/gateway-redis.log" | sed -n 's/.*"message":"\([^"]*\)".*/\1/p' |
        cut -c1-120 | sort | uniq -c | sort -rn | head -1 | sed 's/^ *[0-9]* //' || true)
    stop_pid "$REDIS_GW" 20
    REDIS_GW=""
}

# c=512 against the load-test gateway with its default bulkhead (one tenant: 50 running, 100
# queued): the rest must get a fast 503 OVERLOADED while the accepted ones keep their pace.
# wrk counts every non-2xx as a status error, so accepted = requests - status errors. The 503s'
# own latency comes from the gateway's request log (duration_ms per line): wrk reports one
# distribution for all answers together.
overload_phase() {
    local c=$OVERLOAD_C from to
    from=$(wc -l <"$WORK/gateway.log")
    log "overload: gateway c=$c for ${DURATION}s"
    run_wrk gateway "$GW_URL" gateway "$BENCH_KEY" "$c" "$DURATION"
    alive gateway "$MAIN_GW" "$WORK/gateway.log"
    to=$(wc -l <"$WORK/gateway.log")
    sed -n "$((from + 1)),${to}p" "$WORK/gateway.log" >"$WORK/overload.log"
    # per outcome: count and server-side p50/p99 of duration_ms
    # "outcome count p50_ms p99_ms" per outcome (plain sort + awk: Debian's awk is mawk, no asort)
    grep -o -E 'outcome=[A-Z_0-9]+ .*duration_ms=[0-9.]+' "$WORK/overload.log" |
        sed -E 's/outcome=([A-Z_0-9]+) .*duration_ms=([0-9.]+)/\1 \2/' >"$WORK/overload-durations.txt" || true
    OVERLOAD_OUTCOMES=$(cut -d' ' -f1 "$WORK/overload-durations.txt" | sort -u | while read -r o; do
        awk -v o="$o" '$1 == o { print $2 }' "$WORK/overload-durations.txt" | sort -g |
            awk -v o="$o" '{ v[NR] = $1 } END { printf "%s %d %.1f %.1f\n", o, NR, v[int((NR - 1) * 0.50) + 1], v[int((NR - 1) * 0.99) + 1] }'
    done)
    local k=gateway,$c
    OVERLOAD_ACCEPTED_RPS=$(calc "(${REQ[$k]} - ${NON2XX[$k]}) / $DURATION" .1f)
    log "  overload outcomes (outcome count p50_ms p99_ms): $(tr '\n' ';' <<<"$OVERLOAD_OUTCOMES")"
}

declare -A HF_RATE HF_REQ HF_SECONDS HF_NON2XX HF_SOCKET HF_P50 HF_P99 HF_MAX

# hyperfoil NAME PORT RATE CONNECTIONS: one open-model run of the resend against 127.0.0.1:PORT
# (Hyperfoil, bench/open-model): OPEN_WARMUP s at half RATE for the driver's own JIT, then DURATION s
# at RATE requests/s, due whatever the answers do. Each latency counts from when its request was
# due, so a stalled server is not hidden. Results of the second phase in HF_*[NAME], times in ms.
hyperfoil() {
    local name=$1 port=$2 rate=$3 conns=$4 yaml=$WORK/hyperfoil-$1.yaml out=$WORK/hyperfoil-$1.txt block
    sed -e "s|@PORT@|$port|" -e "s|@PATH@|$GW_PATH|" -e "s|@KEY@|$BENCH_KEY|" -e "s|@RATE@|$rate|" \
        -e "s|@WARMUP_RATE@|$(( rate / 2 ))|" -e "s|@WARMUP@|$OPEN_WARMUP|" -e "s|@DURATION@|$DURATION|" \
        -e "s|@CONNECTIONS@|$conns|" -e "s|@SESSIONS@|$(( rate + 1000 ))|" "$BENCH/open-model/resend.yaml" >"$yaml"
    # Hyperfoil logs through log4j2, whose built-in default level hides its summary
    (cd "$ROOT" && MAVEN_OPTS="-Dlog4j2.level=INFO" timeout $(( OPEN_WARMUP + DURATION + 300 )) \
        ./mvnw -B -q -f bench/open-model/pom.xml hyperfoil:run -Dhyperfoil.yaml="$yaml" -Dhyperfoil.percentiles=true) \
        >"$out" 2>&1 || die "Hyperfoil failed for $name: $(grep -m3 -E 'ERROR|Exception' "$out")"
    { printf '\n===== %s: open model, %s requests/s (Hyperfoil) =====\n' "$name" "$rate"; cat "$out"; } >>"$RAW"
    block=$(sed -n '/open\/resend:/,$p' "$out")
    [[ -n $block ]] || die "Hyperfoil printed no summary for $name: $(tail -3 "$out")"
    HF_RATE[$name]=$rate
    HF_REQ[$name]=$(sed -n 's/.* \([0-9][0-9]*\) requests in \([0-9.]*\) s.*/\1/p' <<<"$block" | head -1)
    HF_SECONDS[$name]=$(sed -n 's/.* \([0-9][0-9]*\) requests in \([0-9.]*\) s.*/\2/p' <<<"$block" | head -1)
    HF_NON2XX[$name]=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' <<<"$block" | head -1)
    HF_NON2XX[$name]=${HF_NON2XX[$name]:-0}
    HF_SOCKET[$name]=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' <<<"$block" | head -1)
    # HdrHistogram's percentile distribution, in microseconds: the first value at or past p
    read -r "HF_P50[$name]" "HF_P99[$name]" "HF_MAX[$name]" < <(sed -n '/Percentile Distribution/,$p' <<<"$block" |
        awk 'NF == 4 && $2 ~ /^[01]\./ { if (p50 == "" && $2 >= 0.5) p50 = $1; if (p99 == "" && $2 >= 0.99) p99 = $1 }
            /^#\[Max/ { max = $3; sub(/,/, "", max); printf "%.1f %.1f %.1f\n", p50 / 1000, p99 / 1000, max / 1000; exit }')
    log "  $name, open model: $(fmt "$(calc "${HF_REQ[$name]} / ${HF_SECONDS[$name]}")" .0f) requests/s sent, $(fmt "$(hf_ok_rps "$name")" .0f)/s 2xx, ${HF_NON2XX[$name]} non-2xx, p50 ${HF_P50[$name]} ms p99 ${HF_P99[$name]} ms max ${HF_MAX[$name]} ms${HF_SOCKET[$name]:+, socket errors: ${HF_SOCKET[$name]}}"
}
hf_ok_rps() { calc "(${HF_REQ[$1]} - ${HF_NON2XX[$1]}) / ${HF_SECONDS[$1]}" .1f; }   # 2xx per second

# p99 without coordinated omission: the reference, then the gateway, at the same fixed rate that
# both sustain (OPEN_LATENCY_FACTOR times the gateway's c=32 throughput).
open_latency_phase() {
    local rate; rate=$(calc "${RPS[gateway,32]} * $OPEN_LATENCY_FACTOR" .0f)
    log "latency, open model: $rate requests/s due (×$OPEN_LATENCY_FACTOR the gateway's c=32 throughput), ${DURATION}s each after ${OPEN_WARMUP}s at half that (Hyperfoil)"
    hyperfoil reference "$REF_PORT" "$rate" 128
    hyperfoil gateway "$GW_PORT" "$rate" 128
    alive gateway "$MAIN_GW" "$WORK/gateway.log"
}

# The c=512 overload again, in an open model: requests due at OPEN_FACTOR times the gateway's c=32
# throughput. Refused callers do not come straight back as wrk's connections do. Client-side figures
# only: the driver's JVM shares the two CPUs with the gateway.
open_overload_phase() {
    local rate; rate=$(calc "${RPS[gateway,32]} * $OPEN_FACTOR" .0f)
    log "overload, open model: $rate requests/s due (×$OPEN_FACTOR the c=32 throughput) for ${DURATION}s, after ${OPEN_WARMUP}s at half that (Hyperfoil)"
    hyperfoil overload "$GW_PORT" "$rate" "$OVERLOAD_C"
    alive gateway "$MAIN_GW" "$WORK/gateway.log"
}

soak_phase() {
    SOAK_SAMPLES=()
    log "soak: gateway c=32 for ${SOAK_SECONDS}s, RSS every 10 s"
    wrk -t2 -c32 -d"${SOAK_SECONDS}s" --latency --timeout 5s -s "$BENCH/wrk-post.lua" "$GW_URL" \
        -- gateway "$BENCH_KEY" >"$WORK/wrk-soak.txt" 2>&1 &
    local soak_wrk=$! i
    PIDS+=("$soak_wrk")
    for ((i = 0; i <= SOAK_SECONDS / 10; i++)); do
        SOAK_SAMPLES+=("$(rss_kb "$MAIN_GW")")
        kill -0 "$soak_wrk" 2>/dev/null || break
        sleep 10
    done
    stop_pid "$soak_wrk" $((SOAK_SECONDS + 30))   # wrk ends by itself at -d; this only bounds it
    SOAK_LINE=$(grep '^BENCH ' "$WORK/wrk-soak.txt" || echo "")
    { printf '\n===== soak c=32 %ss =====\n' "$SOAK_SECONDS"; grep -v '^BENCH ' "$WORK/wrk-soak.txt"; } >>"$RAW"
}

# --profile: JFR of a separate gateway under c=32 (same flags as the load test) -> results/profile.txt
profile_phase() {
    local port pid
    pick_port port
    start_app gateway java "$JVM_APP" "$port" "$WORK/gateway-profile.log" LOAD_JVM_OPTS \
        "-XX:StartFlightRecording=filename=$WORK/gateway.jfr,settings=profile,dumponexit=true"
    pid=$APP_PID
    app_ready "profiled gateway" "$pid" "http://127.0.0.1:$port$GW_PATH" "$WORK/gateway-profile.log"
    run_wrk profiled "http://127.0.0.1:$port$GW_PATH" gateway "$BENCH_KEY" 32 "$((WARMUP + DURATION))" discard
    stop_pid "$pid" 60
    local jfr; jfr=$(command -v jfr || echo jfr)
    if [[ -x $JDK25_HOME/bin/jfr ]]; then jfr=$JDK25_HOME/bin/jfr; fi   # `jfr view` exists from JDK 21 on
    {
        echo "JFR of the gateway (JDK 17, plain jar) under c=32 for $((WARMUP + DURATION)) s; $(date -u)"
        # A flat hot-method list hides where the time goes; count each component once per sample
        # in which it is anywhere on the stack (inclusive share of CPU samples).
        echo; echo "## inclusive share of execution samples by component"; echo
        "$jfr" print --events jdk.ExecutionSample --stack-depth 256 "$WORK/gateway.jfr" >"$WORK/samples.txt" 2>&1 || true
        awk 'BEGIN { RS = "jdk.ExecutionSample"
            n = split("io.netty|io.vertx.core.http|org.jboss.resteasy.reactive.server|org.jboss.resteasy.reactive.client|" \
                "org.hibernate.validator|com.google.i18n.phonenumbers|MobileNumber.parse|com.fasterxml.jackson|" \
                "org.jboss.logmanager|gateway.api.RequestLog|io.smallrye.context|io.opentelemetry|io.micrometer|" \
                "io.smallrye.faulttolerance|java.util.regex|io.paylink", k, "|") }
            NR > 1 { total++; for (i = 1; i <= n; i++) if (index($0, k[i])) c[i]++ }
            END { printf "%d samples\n", total; for (i = 1; i <= n; i++) printf "%6.1f%%  %s\n", 100 * c[i] / (total ? total : 1), k[i] }' \
            "$WORK/samples.txt"
        for v in hot-methods allocation-by-class gc-pauses; do
            echo; echo "## jfr view $v"; "$jfr" view --width 160 "$v" "$WORK/gateway.jfr" 2>&1 | head -40
        done
    } >"$RESULTS/profile.txt" || true
    PROFILE_NOTE="JFR summary of a separate gateway under c=32: [profile.txt](profile.txt)."
}
