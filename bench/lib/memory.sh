# bench/lib/memory.sh: resident memory after load with the deploy flags (deploy/jvm-options as they
# are, heap limits included), for the gateway and the reference, each in a fresh JVM under the
# same load: c=32 for MEM_SECONDS. (The load-test JVMs, without heap limits, are reported too.)

declare -A RSS_IDLE RSS_LOADED_NOCAP RSS_DEPLOY

memory_phase() {
    local kind port pid url
    for kind in gateway reference; do
        pick_port port
        url=http://127.0.0.1:$port$GW_PATH
        start_app "$kind" java "$([[ $kind == gateway ]] && echo "$JVM_APP" || echo "$REF_APP")" "$port" \
            "$WORK/memory-$kind.log" DEPLOY_JVM_OPTS
        pid=$APP_PID
        app_ready "$kind (deploy flags)" "$pid" "$url" "$WORK/memory-$kind.log"
        SERVER_PID[mem-$kind]=$pid
        run_wrk "mem-$kind" "$url" gateway "$BENCH_KEY" 32 "$MEM_SECONDS"
        alive "$kind (deploy flags)" "$pid" "$WORK/memory-$kind.log"
        RSS_DEPLOY[$kind]=$(rss_kb "$pid")
        log "  $kind RSS after c=32 for ${MEM_SECONDS}s with the deploy flags: $(mb "${RSS_DEPLOY[$kind]}") MB"
        stop_pid "$pid" 20
    done
}
