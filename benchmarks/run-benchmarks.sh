#!/usr/bin/env bash
# Runs the whole benchmark suite of docs/BENCHMARKS.md and writes its record, in one command:
# builds, prepares the test file, runs fio (the kernel's limit through io_uring) and the JMH
# benchmarks side by side on that file, then rewrites the generated part of docs/BENCHMARKS.md and
# the charts in benchmarks/charts.
#
#   benchmarks/run-benchmarks.sh                  quick mode: one round, 1 s iterations (about 5 minutes)
#   benchmarks/run-benchmarks.sh --full           three rounds, 2 s iterations, more scaling steps (prints its time)
#   benchmarks/run-benchmarks.sh --note "TEXT"    adds TEXT to the record (for example "machine busy")
#
# RINGPARK_BENCH_DIR: where the 1 GiB test file (kept between runs) and the raw results go; it must
# be on a disk, not tmpfs. Default: benchmarks/target/run. Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

command="benchmarks/run-benchmarks.sh"
for argument in "$@"; do
  [[ $argument =~ ^[[:alnum:]_./=-]+$ ]] && command+=" $argument" || command+=" \"$argument\""
done
mode=quick
note=""
while (($#)); do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --note) note="${2:?--note needs a text}"; shift ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
  shift
done

# Ringpark's other drivers, measured in the full mode beside io_uring on cold and O_DIRECT random
# reads (set RINGPARK_EXTRA_DRIVERS= to leave them out).
FULL_MODE_EXTRA_DRIVERS="${RINGPARK_EXTRA_DRIVERS-aio,threads}"

CONTENDERS=(jdk pool async ringpark)
FILE_MIB=1024
SEQUENTIAL_DEPTH=8
DIRECT_STEPS=(1 32 256)
if [[ $mode == quick ]]; then
  ROUNDS=1
  JMH_TIMING=(-wi 1 -w 1s -i 3 -r 1s)  # per fork: 1 warm-up and 3 measured iterations of 1 s
  JMH_SECONDS_PER_FORK=5               # those 4 s, the fork's start and the cache preparation
  FIO_SECONDS=3
  SCALING_STEPS=(1 100 256 10000)
  EXTRA_DRIVERS=""
  described="quick mode: 1 round; each JMH fork 1 warm-up and 3 measured iterations of 1 s; fio jobs of ${FIO_SECONDS} s"
else
  ROUNDS=3
  JMH_TIMING=()                        # the benchmarks' own: 1 warm-up and 3 measured iterations of 2 s
  JMH_SECONDS_PER_FORK=9
  FIO_SECONDS=6
  SCALING_STEPS=(1 10 100 256 1000 10000)
  EXTRA_DRIVERS="$FULL_MODE_EXTRA_DRIVERS"
  described="full mode: $ROUNDS rounds; each JMH fork 1 warm-up and 3 measured iterations of 2 s; fio jobs of ${FIO_SECONDS} s"
fi

log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# The JDK the build uses (./dev picks a JDK 25+ whatever the default java is); Maven names it.
JAVA_HOME="$(./dev mvn -v 2>/dev/null | sed -n 's/.*runtime: //p')"
JAVA="$JAVA_HOME/bin/java"
[[ -x "$JAVA" ]] || { echo "run-benchmarks: cannot find the JDK that ./dev uses" >&2; exit 1; }

# The estimate, from the forks and fio jobs each round runs (the loop at the end): per contender
# hot, each scaling step, each O_DIRECT step, two sequential and the log; fairness once more alone;
# Ringpark on the extra drivers cold and at each O_DIRECT step.
contender_count=${#CONTENDERS[@]}
extra_forks=0
[[ -z $EXTRA_DRIVERS ]] || extra_forks=$(( (1 + ${#DIRECT_STEPS[@]}) * $(tr ',' '\n' <<<"$EXTRA_DRIVERS" | wc -l) ))
forks_per_round=$(( contender_count * (1 + ${#SCALING_STEPS[@]} + ${#DIRECT_STEPS[@]} + 2 + 1 + 1) + 1 + extra_forks ))
fio_jobs_per_round=$(( 1 + 2 + ${#DIRECT_STEPS[@]} + 2 ))
estimate=$(( ROUNDS * (forks_per_round * JMH_SECONDS_PER_FORK + fio_jobs_per_round * (FIO_SECONDS + 1)) + 30 ))
log "$mode mode: $ROUNDS round(s) of $forks_per_round JMH forks and $fio_jobs_per_round fio jobs, about $(( (estimate + 30) / 60 )) minutes"

started=$(date +%s)
run_date="$(date -u '+%Y-%m-%d %H:%M UTC')"
RUN_DIR="$(mkdir -p "${RINGPARK_BENCH_DIR:-benchmarks/target/run}" && cd "${RINGPARK_BENCH_DIR:-benchmarks/target/run}" && pwd)"
RESULTS="$RUN_DIR/results-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS"
log "building (./dev mvn package)"
if ! ./dev mvn -q -pl benchmarks -am package -DskipTests -Djcstress.skip -Djmh.skip >"$RESULTS/build.log" 2>&1; then
  cat "$RESULTS/build.log" >&2
  exit 1
fi
JAR="$PWD/benchmarks/target/benchmarks.jar"

fio_version=""
fio_skipped=""
if ! command -v fio >/dev/null; then
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing fio (apt-get install fio)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fio; } >/dev/null 2>&1; then
      fio_skipped="apt-get could not install fio"
    fi
  else
    fio_skipped="fio is not installed and this is not root with apt-get (install fio to get its column)"
  fi
fi
if [[ -z $fio_skipped ]] && command -v fio >/dev/null; then
  fio_version="$(fio --version)"
else
  fio_skipped="${fio_skipped:-fio is not installed}"
  log "no fio column: $fio_skipped"
fi

log "preparing the ${FILE_MIB} MiB test file in $RUN_DIR"
FILE="$(cd "$RUN_DIR" && "$JAVA" -cp "$JAR" dev.ringpark.benchmarks.BenchmarkFile "$FILE_MIB")"

# fio_job NAME RW BLOCK DEPTH CACHE: one fio job on the test file, named as the report expects
# (<random|sequential>-<cache>-<depth>). Hot jobs re-read the file first; cold ones drop it from the
# cache first and again at each pass over the file (invalidate=1 with loops; the time stops the job),
# as the benchmarks drop it when their readers come back to the start.
fio_job() {
  local name=$1 rw=$2 block=$3 depth=$4 cache=$5
  [[ -z $fio_skipped ]] || return 0
  local direct=0 options=()
  case $cache in
    hot) cat "$FILE" >/dev/null; options=(--invalidate=0 --time_based) ;;
    cold) sync; { echo 1 >/proc/sys/vm/drop_caches; } 2>/dev/null || true; options=(--invalidate=1 --loops=1000) ;;
    direct) direct=1; options=(--time_based) ;;
  esac
  log "round $round: fio $name"
  fio --name="$name" --filename="$FILE" --ioengine=io_uring --rw="$rw" --bs="$block" --iodepth="$depth" \
      --direct="$direct" --runtime="$FIO_SECONDS" "${options[@]}" --output-format=json \
      --output="$RESULTS/fio-$name-r$round.json"
}

# jmh NAME ARGS...: one JMH invocation, its JSON and log named after NAME and the round.
jmh() {
  local name=$1
  shift
  log "round $round: JMH $name"
  if ! (cd "$RUN_DIR" && "$JAVA" -jar "$JAR" "$@" "${JMH_TIMING[@]}" -foe true \
        -rf json -rff "$RESULTS/jmh-$name-r$round.json") >"$RESULTS/jmh-$name-r$round.log" 2>&1; then
    tail -n 30 "$RESULTS/jmh-$name-r$round.log" >&2
    echo "run-benchmarks: JMH $name failed; the whole log is $RESULTS/jmh-$name-r$round.log" >&2
    exit 1
  fi
}

# Ringpark on the other drivers, where the full mode asks for them (see FULL_MODE_EXTRA_DRIVERS).
jmh_extra_drivers() {
  local name=$1
  shift
  [[ -n $EXTRA_DRIVERS ]] || return 0
  jmh "$name-drivers" "$@" -p contender=ringpark -p driver="$EXTRA_DRIVERS"
}

for ((round = 1; round <= ROUNDS; round++)); do
  # Each round starts with the next contender, so none always runs first after fio or a cache drop.
  order=()
  for ((i = 0; i < contender_count; i++)); do
    order+=("${CONTENDERS[$(( (i + round - 1) % contender_count ))]}")
  done
  contenders="$(IFS=,; echo "${order[*]}")"

  fio_job random-hot-256 randread 4k 256 hot
  jmh random-hot-256 RandomReadBenchmark -p cache=hot -p threads=256 -p contender="$contenders"

  fio_job random-cold-32 randread 4k 32 cold
  for threads in "${SCALING_STEPS[@]}"; do
    [[ $threads == 256 ]] && fio_job random-cold-256 randread 4k 256 cold
    jmh "random-cold-$threads" RandomReadBenchmark -p cache=cold -p threads="$threads" -p contender="$contenders"
  done
  jmh_extra_drivers random-cold-256 RandomReadBenchmark -p cache=cold -p threads=256

  for threads in "${DIRECT_STEPS[@]}"; do
    fio_job "random-direct-$threads" randread 4k "$threads" direct
    jmh "random-direct-$threads" RandomReadBenchmark -p cache=direct -p threads="$threads" -p contender="$contenders"
    jmh_extra_drivers "random-direct-$threads" RandomReadBenchmark -p cache=direct -p threads="$threads"
  done

  for cache in cold direct; do
    fio_job "sequential-$cache-$SEQUENTIAL_DEPTH" read 1m "$SEQUENTIAL_DEPTH" "$cache"
    jmh "sequential-$cache" SequentialReadBenchmark -p cache="$cache" -p threads="$SEQUENTIAL_DEPTH" \
        -p contender="$contenders"
  done

  jmh wal WriteAheadLogBenchmark -p contender="$contenders"
  jmh fairness FairnessBenchmark -p contender="none,$contenders"
done

elapsed=$(( $(date +%s) - started ))
commit="\`$(git rev-parse --short HEAD)\`"
[[ -z "$(git status --porcelain)" ]] || commit="$commit with uncommitted changes"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
memory="$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
hypervisor="$(lscpu 2>/dev/null | sed -n 's/^Hypervisor vendor:[[:space:]]*//p')"
storage="$(findmnt -no FSTYPE,SOURCE -T "$RUN_DIR" 2>/dev/null | awk '{ print $1 " on " $2 }')"
{
  echo "date=$run_date"
  echo "command=$command"
  echo "mode=$described"
  echo "commit=$commit"
  echo "elapsed=$(( elapsed / 60 )) min $(( elapsed % 60 )) s"
  echo "machine=$cpu, $(nproc) CPUs${hypervisor:+ ($hypervisor guest)}, $memory, Linux $(uname -r), ${storage:-unknown storage}"
  echo "fio=${fio_version:-not run: $fio_skipped}"
  echo "note=$note"
} >"$RESULTS/run.properties"

log "writing docs/BENCHMARKS.md and benchmarks/charts from $RESULTS"
"$JAVA" -cp "$JAR" dev.ringpark.benchmarks.report.Report "$RESULTS" docs/BENCHMARKS.md benchmarks/charts
log "done in $(( elapsed / 60 )) min $(( elapsed % 60 )) s; raw results in $RESULTS"
