# bench/lib/build.sh: builds what the benchmark runs, each in a copy of the tree under
# $BUILD_CACHE, never inside the shared working tree (other sessions may be editing or building it).

# build NAME JAVA_HOME|- SOURCE GOAL [maven args...]: prints the quarkus-app dir.
#   SOURCE gateway: the repository without bench/; SOURCE reference: bench/reference with the wrapper.
# A build is reused while the copied sources, the JDK and the Maven arguments are byte-identical
# (BENCH_REBUILD=1 forces a new one), so a re-run of an unchanged tree skips Maven.
build() {
    local name=$1 jhome=$2 source=$3 goal=$4; shift 4
    local stage=$BUILD_CACHE/stage-$name-$$ key dir jdk   # $$: two runs never share a stage
    mkdir -p "$BUILD_CACHE"
    rm -rf "$stage" && mkdir -p "$stage"
    if [[ $SOURCE == head ]]; then
        # --head: the last commit, read with git archive (changes nothing in the repo)
        git -C "$ROOT" archive --format=tar HEAD | tar -x -C "$stage"
    else
        rsync -a --exclude target --exclude .git --exclude bench/results "$ROOT/" "$stage/"
    fi
    if [[ $source == reference ]]; then
        # the reference is its own project; it only borrows the repository's Maven wrapper
        mv "$stage" "$stage.all" && mkdir -p "$stage"
        cp -a "$stage.all/bench/reference/." "$stage/"
        cp -a "$stage.all/mvnw" "$stage.all/.mvn" "$stage/"
        rm -rf "$stage.all"
    else
        rm -rf "$stage/bench"
    fi
    if [[ $jhome == - ]]; then jdk=$(java -version 2>&1); else jdk=$("$jhome/bin/java" -version 2>&1); fi
    key=$( (cd "$stage" && find . -type f -print0 | sort -z | xargs -0 sha256sum; echo "$jdk $goal $*") \
        | sha256sum | cut -c1-16)
    dir=$BUILD_CACHE/$name-$key
    if [[ -f $dir/target/quarkus-app/quarkus-run.jar && -z ${BENCH_REBUILD:-} ]]; then
        log "build $name: sources unchanged, reusing $dir"
    else
        rm -rf "$dir"
        mv "$stage" "$dir"
        log "build $name: ./mvnw -B -q $goal $* (JAVA_HOME=${jhome/#-/default})"
        local t0; t0=$(now)
        if ! (cd "$dir" && if [[ $jhome != - ]]; then export JAVA_HOME=$jhome; fi &&
            timeout 1800 ./mvnw -B -q "$goal" "$@") >"$WORK/build-$name.log" 2>&1; then
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

# -Dmaven.test.skip: the load test needs no tests, and must not fail because test code in the
# shared tree is mid-edit (-DskipTests still compiles it).
NO_TESTS=(-Dmaven.test.skip=true)

# The AOT cache the way deploy/Dockerfile.jvm ships it (Quarkus AOT guide): JDK 25 at package
# time, and the cache trained while the integration tests (Failsafe, against the packaged app)
# run: `verify`, unit tests skipped (-Dtest=NONE), the ITs kept. type=aot must be explicit:
# "auto" picks the old AppCDS archive for a project that targets Java 17 bytecode.
# BENCH_AOT_PHASE=build trains on Quarkus' static init only, without the ITs (the smoke's choice:
# the ITs take minutes and CI runs them in `./mvnw verify` anyway).
aot_build_args() {
    AOT_MVN_ARGS=(-Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.jar.aot.type=aot)
    if [[ $AOT_PHASE == build ]]; then
        AOT_GOAL=package
        AOT_MVN_ARGS+=(-Dquarkus.package.jar.aot.phase=build "${NO_TESTS[@]}")
    else
        AOT_GOAL=verify
        AOT_MVN_ARGS+=(-Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false)
    fi
}

build_all() {
    # the reference must run on the gateway's Quarkus version, or the ratios compare two stacks
    local gv rv
    gv=$(sed -n 's:.*<quarkus.version>\(.*\)</quarkus.version>.*:\1:p' "$ROOT/pom.xml")
    rv=$(sed -n 's:.*<quarkus.version>\(.*\)</quarkus.version>.*:\1:p' "$BENCH/reference/pom.xml")
    [[ -n $gv && $gv == "$rv" ]] || die "bench/reference/pom.xml is on Quarkus '$rv', the gateway on '$gv'"
    QUARKUS_VERSION=$gv

    JVM_APP=$(build jvm - gateway package "${NO_TESTS[@]}")
    [[ -f $JVM_APP/quarkus-run.jar ]] || die "no quarkus-run.jar after the gateway build"
    REF_APP=$(build reference - reference package "${NO_TESTS[@]}")
    [[ -f $REF_APP/quarkus-run.jar ]] || die "no quarkus-run.jar after the reference build"

    # JVM flags: the project's deploy/jvm-options, read from the built copy so that flags and jar
    # come from the same snapshot of the tree
    local f=$JVM_APP/../../deploy/jvm-options
    [[ -f $f ]] || die "deploy/jvm-options is missing"
    read -r -a DEPLOY_JVM_OPTS < <(sed 's/#.*//' "$f" | tr '\n' ' ') || true   # read: 1 at EOF
    # The load test runs both JVMs with the deploy flags minus the heap sizes (-Xms/-Xmx/-Xmn):
    # a 96 MB heap measures the collector as much as the code, and the reference has no such
    # limit of its own. The memory phase uses the deploy flags as they are.
    LOAD_JVM_OPTS=()
    local o
    for o in "${DEPLOY_JVM_OPTS[@]}"; do [[ $o == -Xm[sxn]* ]] || LOAD_JVM_OPTS+=("$o"); done
    log "deploy JVM options: ${DEPLOY_JVM_OPTS[*]}; load-test JVM options (both apps): ${LOAD_JVM_OPTS[*]}"

    AOT_APP=""
    if [[ $HAVE_JDK25 == 1 ]]; then
        aot_build_args
        AOT_APP=$(build aot "$JDK25_HOME" gateway "$AOT_GOAL" "${AOT_MVN_ARGS[@]}")
        [[ -f $AOT_APP/app.aot ]] || die "the JDK 25 AOT build produced no app.aot"
    fi
}
