# bench/lib/native.sh (--native): the native executables of the gateway and of the reference, built
# by the same test builder ($NATIVE_BUILDER, by default ../shared/native/build-native.sh beside the
# repository: the SubstrateVM builder from Maven Central with the JDK's C libraries linked
# dynamically). Test builds, not release builds: their figures are indicative, and only their
# ratios, measured in one run on one machine, are compared with targets.

declare -A NATIVE_EXE NST NFIRST NSTARTED NRSS

# native_build NAME SOURCE: prints the path of the executable, building it when its sources changed
native_build() {
    local name=$1 source=$2 target exe
    target=$(build "native-$name" - "$source" package "${NO_TESTS[@]}" \
        -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true)
    target=${target%/quarkus-app}
    exe=$(ls "$target"/native-test/*-runner 2>/dev/null | head -1 || true)
    if [[ -z $exe ]]; then
        log "native $name: $NATIVE_BUILDER (several minutes, ~7 GB)"
        local t0; t0=$(now)
        MVN=$ROOT/mvnw bash "$NATIVE_BUILDER" "$target/native-sources" "$target/native-test" >"$WORK/native-build-$name.log" 2>&1 || {
            tail -30 "$WORK/native-build-$name.log" >&2
            rm -rf "$target/native-test"
            die "native build of $name failed (log above)"
        }
        log "native $name: built in $(calc "$(now) - $t0" .0f) s"
        exe=$(ls "$target"/native-test/*-runner | head -1)
    else
        log "native $name: sources unchanged, reusing $exe"
    fi
    echo "$exe"
}

# Quarkus' own "started in" figure, from a start-up log (JSON or plain)
started_in() { grep -o -m1 'started in [0-9.]*s' "$1" | grep -o '[0-9.]*' || echo 0; }

# NATIVE_STARTS cold starts of each executable, interleaved (gateway, reference, gateway, ...) so a
# slow patch of the host hits both: start -> first 202, Quarkus' "started in", RSS after that 202.
native_startup_phase() {
    local i v port t0 t1 logf
    local -a no_opts=()
    pick_port port
    log "native start-up: $NATIVE_STARTS interleaved cold starts each"
    for ((i = 1; i <= NATIVE_STARTS; i++)); do
        for v in gateway reference gateway-no-otel; do
            logf=$WORK/native-start-$v-$i.log
            # the same executable with the OpenTelemetry SDK off, to weigh that one feature's share
            local -a saved_env=(${GW_EXTRA_ENV[@]+"${GW_EXTRA_ENV[@]}"})
            [[ $v == gateway-no-otel ]] && GW_EXTRA_ENV+=(QUARKUS_OTEL_SDK_DISABLED=true)
            t0=$(now)
            start_app "${v%-no-otel}" native "${NATIVE_EXE[${v%-no-otel}]}" "$port" "$logf" no_opts
            GW_EXTRA_ENV=(${saved_env[@]+"${saved_env[@]}"})
            if ! wait_for_202 "http://127.0.0.1:$port$GW_PATH" gateway 60 "$APP_PID"; then
                tail -20 "$logf" >&2
                die "native $v never answered 202"
            fi
            t1=$(now)
            NRSS[$v]+="${NRSS[$v]:+ }$(rss_kb "$APP_PID")"
            stop_pid "$APP_PID" 20
            NST[$v]+="${NST[$v]:+ }$(calc "$t1 - $t0")"
            NFIRST[$v]+="${NFIRST[$v]:+ }$(calc "$t1 - $ATTEMPT_START")"
            NSTARTED[$v]+="${NSTARTED[$v]:+ }$(started_in "$logf")"
        done
    done
    for v in gateway reference gateway-no-otel; do
        log "native $v: start -> 202 ${NST[$v]} s; started in ${NSTARTED[$v]} s; RSS ${NRSS[$v]} kB"
    done
    # where a start goes: Quarkus' own timing of each runtime-init step, one more start each
    for v in gateway reference; do
        logf=$WORK/native-steps-$v.log
        start_app "$v" native "${NATIVE_EXE[$v]}" "$port" "$logf" no_opts -Dquarkus.debug.print-startup-times=true
        wait_for_202 "http://127.0.0.1:$port$GW_PATH" gateway 60 "$APP_PID" || die "native $v never answered 202"
        stop_pid "$APP_PID" 20
        NSTEPS[$v]=$(grep -o 'Build step [A-Za-z0-9_.$]* completed in: [0-9]*ms' "$logf" |
            awk '{ sub(/ms$/, "", $6); print $6, $3 }' | sort -rn | head -8 | awk '{ printf "%s%s %s ms", sep, $2, $1; sep = "; " }')
    done
}
declare -A NSTEPS

# c=32 throughput and server CPU per request: native gateway, native reference, JVM gateway (the
# load-test JVM flags), one after the other. The JVM gets the usual JIT warm-up; a native
# executable has no JIT, so a short warm-up (connection pools, first-touch pages) does.
native_load_phase() {
    local -a no_opts=()
    local v url logf nport
    for v in gateway reference; do
        pick_port nport
        logf=$WORK/native-load-$v.log
        start_app "$v" native "${NATIVE_EXE[$v]}" "$nport" "$logf" no_opts
        app_ready "native $v" "$APP_PID" "http://127.0.0.1:$nport$GW_PATH" "$logf"
        SERVER_PID[native-$v]=$APP_PID
        url=http://127.0.0.1:$nport$GW_PATH
        run_wrk "native-$v" "$url" gateway "$BENCH_KEY" 32 "$NATIVE_WARMUP" discard
        run_wrk "native-$v" "$url" gateway "$BENCH_KEY" 32 "$DURATION"
        NRSS_LOADED[$v]=$(rss_kb "$APP_PID")
        stop_pid "$APP_PID" 20
    done
    # the same load with the memory the manifests' limit gives a container: SubstrateVM sizes its
    # heap from the memory it sees (80 %, a tenth of that young), so the unbounded run above, on a
    # host with GBs free, lets the young generation grow far past what a pod would let it
    pick_port nport
    start_app gateway native "${NATIVE_EXE[gateway]}" "$nport" "$WORK/native-load-limited.log" no_opts \
        -XX:MaxRAM=$((NATIVE_LIMIT_MIB * 1024 * 1024))
    app_ready "native gateway, ${NATIVE_LIMIT_MIB}Mi" "$APP_PID" "http://127.0.0.1:$nport$GW_PATH" "$WORK/native-load-limited.log"
    SERVER_PID[native-gateway-limited]=$APP_PID
    run_wrk native-gateway-limited "http://127.0.0.1:$nport$GW_PATH" gateway "$BENCH_KEY" 32 "$NATIVE_WARMUP" discard
    run_wrk native-gateway-limited "http://127.0.0.1:$nport$GW_PATH" gateway "$BENCH_KEY" 32 "$DURATION"
    NRSS_LOADED[gateway-limited]=$(rss_kb "$APP_PID")
    stop_pid "$APP_PID" 20
    pick_port NPORT_jvm
    start_app gateway java "$JVM_APP" "$NPORT_jvm" "$WORK/native-load-jvm.log" LOAD_JVM_OPTS
    app_ready "JVM gateway" "$APP_PID" "http://127.0.0.1:$NPORT_jvm$GW_PATH" "$WORK/native-load-jvm.log"
    SERVER_PID[jvm-gateway]=$APP_PID
    run_wrk jvm-gateway "http://127.0.0.1:$NPORT_jvm$GW_PATH" gateway "$BENCH_KEY" 32 "$WARMUP" discard
    run_wrk jvm-gateway "http://127.0.0.1:$NPORT_jvm$GW_PATH" gateway "$BENCH_KEY" 32 "$DURATION"
    stop_pid "$APP_PID" 20
}
declare -A NRSS_LOADED

write_native_report() {
    local gs rs gst rst gr rr
    read -r gs _ _ < <(stat_of "${NST[gateway]}")
    read -r rs _ _ < <(stat_of "${NST[reference]}")
    read -r gst _ _ < <(stat_of "${NSTARTED[gateway]}")
    read -r rst _ _ < <(stat_of "${NSTARTED[reference]}")
    read -r gr _ _ < <(stat_of "${NRSS[gateway]}")
    read -r rr _ _ < <(stat_of "${NRSS[reference]}")
    span() { local m lo hi; read -r m lo hi < <(stat_of "$1"); echo "$lo-$hi"; }
    local start_ratio rss_delta
    start_ratio=$(calc "$gs / $rs")
    rss_delta=$(calc "($gr - $rr) * 1024 / 1000000" .1f)
    {
        echo "# Native executables: gateway against the reference"
        echo
        echo "\`bench/run.sh --native\` on $DATE, $NPROC CPUs ($CPU_MODEL), $MEM_TOTAL, $KERNEL; $SRC_DESC."
        echo "Both executables built by \`$(basename "$NATIVE_BUILDER")\` (the SubstrateVM builder from Maven Central,"
        echo "JDK C libraries linked dynamically): **test builds, figures indicative**, ratios from this one run."
        echo "CPU used by other processes during the run: ${NATIVE_OTHER_PCT}% (load average $LOAD_BEFORE before start)."
        echo
        echo "| figure | gateway | reference | gateway / reference | target | |"
        echo "|---|---:|---:|---:|---|---|"
        echo "| start → first 202, median of $NATIVE_STARTS interleaved cold starts | $(fmt "$gs" .3f) s ($(span "${NST[gateway]}")) | $(fmt "$rs" .3f) s ($(span "${NST[reference]}")) | ×$(fmt "$start_ratio") | ≤ ×1.3 | $(verdict "$start_ratio <= 1.3") |"
        echo "| Quarkus' \"started in\", median | $(fmt "$gst" .3f) s | $(fmt "$rst" .3f) s | ×$(fmt "$(calc "$gst / $rst")") | | |"
        echo "| RSS after the first 202, median | $(mb "$gr") MB | $(mb "$rr") MB | +$rss_delta MB | ≤ +24 MB | $(verdict "$rss_delta <= 24") |"
        echo "| throughput at c=32 | $(fmt "${RPS[native-gateway,32]}" .0f) req/s | $(fmt "${RPS[native-reference,32]}" .0f) req/s | $(ratio "${RPS[native-gateway,32]}" "${RPS[native-reference,32]}") | | |"
        echo "| server CPU per request at c=32 | ${CPU_US[native-gateway,32]} µs | ${CPU_US[native-reference,32]} µs | $(ratio "${CPU_US[native-gateway,32]}" "${CPU_US[native-reference,32]}") | | |"
        echo "| RSS after c=32 for ${DURATION} s | $(mb "${NRSS_LOADED[gateway]}") MB | $(mb "${NRSS_LOADED[reference]}") MB | +$(calc "(${NRSS_LOADED[gateway]} - ${NRSS_LOADED[reference]}) * 1024 / 1000000" .1f) MB | | |"
        echo
        echo "With the memory of the manifests' ${NATIVE_LIMIT_MIB}Mi limit (\`-XX:MaxRAM\`, as a container's limit sizes the heap):"
        echo "RSS after c=32 for ${DURATION} s $(mb "${NRSS_LOADED[gateway-limited]}") MB, $(fmt "${RPS[native-gateway-limited,32]}" .0f) req/s, ${CPU_US[native-gateway-limited,32]} µs of CPU per request."
        echo
        local ns nr
        read -r ns _ _ < <(stat_of "${NST[gateway-no-otel]}")
        read -r nr _ _ < <(stat_of "${NRSS[gateway-no-otel]}")
        echo "The same gateway executable with the OpenTelemetry SDK off (\`QUARKUS_OTEL_SDK_DISABLED=true\`, interleaved"
        echo "with the starts above): start → first 202 $(fmt "$ns" .3f) s (×$(fmt "$(calc "$ns / $rs")") of the reference), RSS $(mb "$nr") MB"
        echo "(+$(calc "($nr - $rr) * 1024 / 1000000" .1f) MB)."
        echo
        echo "Slowest runtime-init steps of one more start each (\`-Dquarkus.debug.print-startup-times=true\`):"
        echo
        echo "- gateway: ${NSTEPS[gateway]}"
        echo "- reference: ${NSTEPS[reference]}"
        echo
        echo "The native gateway against the JVM gateway (JDK 17, load-test flags, ${WARMUP} s of JIT warm-up), same run:"
        echo
        echo "| figure | native | JVM | native / JVM |"
        echo "|---|---:|---:|---:|"
        echo "| throughput at c=32 | $(fmt "${RPS[native-gateway,32]}" .0f) req/s | $(fmt "${RPS[jvm-gateway,32]}" .0f) req/s | $(ratio "${RPS[native-gateway,32]}" "${RPS[jvm-gateway,32]}") |"
        echo "| server CPU per request at c=32 (what a serverless bill counts) | ${CPU_US[native-gateway,32]} µs | ${CPU_US[jvm-gateway,32]} µs | $(ratio "${CPU_US[native-gateway,32]}" "${CPU_US[jvm-gateway,32]}") |"
        echo "| p99 at c=32 (wrk) | ${P99[native-gateway,32]} ms | ${P99[jvm-gateway,32]} ms | $(ratio "${P99[native-gateway,32]}" "${P99[jvm-gateway,32]}") |"
        echo
        echo "Raw: start-up runs (s) gateway ${NST[gateway]}; reference ${NST[reference]}. First request alone (from the"
        echo "attempt that got the 202): gateway ${NFIRST[gateway]}; reference ${NFIRST[reference]}."
    } >"$OUT_MD"
}
