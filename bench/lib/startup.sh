# bench/lib/startup.sh: process start -> first 202, several times per variant, with the deploy
# JVM flags (what ships), polling with curl every ~10 ms. The 202 is a real resend, so it includes
# the first call to the fake Front Payment and all the lazy work on the request path.

declare -A ST FR
ATTEMPT_START=0

# startup VARIANT KIND JAVA APPDIR [extra JVM args]: STARTUP_RUNS timed starts, times kept in ST[VARIANT]
startup() {
    local variant=$1 kind=$2 java=$3 app=$4; shift 4
    local port i t0 t1 times=() firsts=()
    pick_port port
    for ((i = 1; i <= STARTUP_RUNS; i++)); do
        t0=$(now)
        start_app "$kind" "$java" "$app" "$port" "$WORK/startup-$variant-$i.log" DEPLOY_JVM_OPTS "$@"
        if ! wait_for_202 "http://127.0.0.1:$port$GW_PATH" gateway 60 "$APP_PID"; then
            tail -20 "$WORK/startup-$variant-$i.log" >&2
            die "start-up variant '$variant' never answered 202"
        fi
        t1=$(now)
        stop_pid "$APP_PID" 20
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

startup_phase() {
    log "start-up: $STARTUP_RUNS run(s) per variant"
    local sb0 st0 sb1 st1 so0 so1
    read -r sb0 st0 < <(cpu_total_busy)
    our_jiffies_into so0   # started JVMs are waited for, so their CPU lands in our children's times
    # interleaved gateway / reference: a slow patch of the host hits both, not one
    startup jar17 gateway java "$JVM_APP"
    startup ref17 reference java "$REF_APP"
    if [[ $HAVE_JDK25 == 1 ]]; then
        startup jar25 gateway "$JDK25_HOME/bin/java" "$JVM_APP"
        # -XX:AOTMode=on: fail loudly rather than silently run without the cache if it cannot be used
        startup aot25 gateway "$JDK25_HOME/bin/java" "$AOT_APP" -XX:AOTCache=app.aot -XX:AOTMode=on
    fi
    read -r sb1 st1 < <(cpu_total_busy)
    our_jiffies_into so1
    STARTUP_OTHER_PCT=$(calc "(p = 100 * (($sb1 - $sb0) - ($so1 - $so0)) / ($st1 - $st0)) < 0 ? 0 : p" .0f)   # jiffy rounding can dip below 0
}
