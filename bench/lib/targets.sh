# bench/lib/targets.sh: the targets of issue 11, each a ratio (or difference) of the gateway to the
# reference app measured in the same run, so that the host's speed cancels out. A target whose
# inputs were not measured in this mode (the smoke skips c=128) is "n/a". Missed targets are FAIL
# rows in the results, never a failed exit: the numbers are a benchmark result, not a test.

TARGETS=()
# target NAME GATEWAY REFERENCE RATIO LIMIT RESULT
target() { TARGETS+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
verdict() { if is_true "$1"; then echo met; else echo "**missed**"; fi; }
fmt() { calc "$1" "${2:-.2f}"; }
has() { [[ -n ${RPS[$1]:-} ]]; }
ok_rps() { calc "${RPS[$1]} * (${REQ[$1]} - ${NON2XX[$1]}) / (${REQ[$1]} + 0.001)" .1f; }   # ok_rps NAME,C: 2xx per second

evaluate_targets() {
    local c r
    for c in 32 128; do
        if has "gateway,$c" && has "reference,$c"; then
            r=$(calc "${RPS[gateway,$c]} / ${RPS[reference,$c]}")
            target "throughput at c=$c" "$(fmt "${RPS[gateway,$c]}" .0f) req/s" "$(fmt "${RPS[reference,$c]}" .0f) req/s" "×$(fmt "$r")" "≥ ×0.85" "$(verdict "$r >= 0.85")"
        else
            target "throughput at c=$c" "-" "-" "-" "≥ ×0.85" "n/a (not measured)"
        fi
    done
    for c in 32 128; do
        has "gateway,$c" || continue
        r=$(calc "${CPU_US[gateway,$c]} / (${CPU_US[reference,$c]} + 0.001)")
        target "server CPU per request at c=$c" "${CPU_US[gateway,$c]} µs" "${CPU_US[reference,$c]} µs" "×$(fmt "$r")" "≤ ×1.25" "$(verdict "$r <= 1.25")"
    done
    if has "gateway,1"; then
        r=$(calc "${P50[gateway,1]} - ${P50[reference,1]}")
        target "added median latency at c=1 (p50 difference)" "${P50[gateway,1]} ms" "${P50[reference,1]} ms" "+$(calc "$r * 1000" .0f) µs" "≤ +50 µs" "$(verdict "$r <= 0.050")"
    fi
    if has "gateway,32"; then
        r=$(calc "${P99[gateway,32]} / ${P99[reference,32]}")
        target "p99 at c=32 (wrk, closed model)" "${P99[gateway,32]} ms" "${P99[reference,32]} ms" "×$(fmt "$r")" "≤ ×1.30" "$(verdict "$r <= 1.3")"
    fi
    if [[ -n ${HF_REQ[gateway]:-} && -n ${HF_REQ[reference]:-} ]]; then
        r=$(calc "${HF_P99[gateway]} / (${HF_P99[reference]} + 0.0001)")
        target "p99 at a fixed ${HF_RATE[gateway]} requests/s (open model, ×$OPEN_LATENCY_FACTOR the gateway's c=32 throughput)" "${HF_P99[gateway]} ms" "${HF_P99[reference]} ms" "×$(fmt "$r")" "≤ ×1.30" "$(verdict "$r <= 1.3")"
    fi
    local g f
    read -r g _ _ <<<"$(stat_of "${ST[jar17]}")"
    read -r f _ _ <<<"$(stat_of "${ST[ref17]}")"
    r=$(calc "$g / $f")
    target "start → first 202, plain fast-jar (JDK 17, median of $STARTUP_RUNS)" "$g s" "$f s" "×$(fmt "$r")" "≤ ×1.30" "$(verdict "$r <= 1.3")"
    if [[ -n ${ST[aot25]:-} ]]; then
        local a; read -r a _ _ <<<"$(stat_of "${ST[aot25]}")"
        target "start → first 202, gateway with the AOT cache (JDK 25) / gateway plain jar (JDK 17)" "$a s" "($g s, gateway plain)" "×$(fmt "$(calc "$a / $g")")" "(no target)" "-"
    fi
    local gm rm
    gm=$(mb "${RSS_DEPLOY[gateway]}") rm=$(mb "${RSS_DEPLOY[reference]}")
    r=$(calc "$gm - $rm" .1f)
    target "RSS after load, deploy flags (c=32 for ${MEM_SECONDS} s)" "$gm MB" "$rm MB" "+$r MB" "≤ +40 MB" "$(verdict "$r <= 40")"
    if has "gw-redis-idem,32" && has "gw-memory-idem,32"; then
        # 2xx only: a store failure is a fast 503, which must not count as throughput
        local redis_ok mem_ok
        redis_ok=$(ok_rps gw-redis-idem,32) mem_ok=$(ok_rps gw-memory-idem,32)
        r=$(calc "$redis_ok / $mem_ok")
        target "Redis store / memory store, Idempotency-Key on every request, c=32 (2xx/s)" "$(fmt "$redis_ok" .0f) req/s (Redis)" "$(fmt "$mem_ok" .0f) req/s (memory)" "×$(fmt "$r")" "≥ ×0.50" "$(verdict "$r >= 0.5")"
    fi
    if has "gateway,$OVERLOAD_C" && has "gateway,32"; then
        local k=gateway,$OVERLOAD_C over_p99 n_over timeouts up_timeouts
        r=$(calc "$OVERLOAD_ACCEPTED_RPS / ${RPS[gateway,32]}")
        target "overload c=$OVERLOAD_C: accepted (202) throughput / c=32 throughput" "$(fmt "$OVERLOAD_ACCEPTED_RPS" .0f) req/s" "$(fmt "${RPS[gateway,32]}" .0f) req/s (gateway c=32)" "×$(fmt "$r")" "≥ ×0.90" "$(verdict "$r >= 0.9")"
        read -r _ n_over _ over_p99 <<<"$(grep '^OVERLOADED ' <<<"$OVERLOAD_OUTCOMES" || echo "OVERLOADED 0 0 0")"
        if ((n_over > 0)); then
            target "overload c=$OVERLOAD_C: p99 of the 503 OVERLOADED answers (gateway's own duration_ms)" "$over_p99 ms ($n_over answers)" "-" "-" "< 5 ms" "$(verdict "$over_p99 < 5")"
        else
            target "overload c=$OVERLOAD_C: p99 of the 503 OVERLOADED answers" "no 503 at all" "-" "-" "< 5 ms" "n/a (the bulkhead never filled)"
        fi
        timeouts=${TIMEOUTS[$k]}
        up_timeouts=$(awk '$1 == "UPSTREAM_TIMEOUT" { n += $2 } END { print n + 0 }' <<<"$OVERLOAD_OUTCOMES")
        target "overload c=$OVERLOAD_C: time-outs (wrk's 5 s, and UPSTREAM_TIMEOUT outcomes)" "$timeouts / $up_timeouts" "-" "-" "0 / 0" "$(verdict "$timeouts == 0 && $up_timeouts == 0")"
    fi
    if [[ -n ${HF_REQ[overload]:-} ]] && has "gateway,32"; then
        local open_ok; open_ok=$(hf_ok_rps overload)
        r=$(calc "$open_ok / ${RPS[gateway,32]}")
        target "overload, open model (${HF_RATE[overload]} requests/s due, ×$OPEN_FACTOR c=32's): accepted (202) throughput / c=32 throughput" "$(fmt "$open_ok" .0f) req/s" "$(fmt "${RPS[gateway,32]}" .0f) req/s (gateway c=32)" "×$(fmt "$r")" "≥ ×0.90" "$(verdict "$r >= 0.9")"
        target "overload, open model: p50 / p99 of all answers, from when each request was due (client side)" "${HF_P50[overload]} / ${HF_P99[overload]} ms" "-" "-" "(no target)" "-"
    fi
}
