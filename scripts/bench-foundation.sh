#!/usr/bin/env bash
# Whole-system figures for the foundation: the hogo binary as a user runs it,
# each beside a baseline measured in the same run. Prints a Markdown table.
#   scripts/bench-foundation.sh            (about two minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/hogo" ./cmd/hogo
go test -count=1 -run '^TestBigLedgerIsValid$' ./ledger -args -write-big-ledger="$work/big.yaml" >/dev/null

# ms runs a command N times and prints the median wall time in ms.
ms() {
	local n=$1; shift
	local times=()
	for _ in $(seq "$n"); do
		local s e
		s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
		times+=($(( (e - s) / 1000 )))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3)"
echo
echo "| measure | hogo | baseline (same run) |"
echo "|---|---|---|"
base=$(ms 21 "$work/hogo" version)
check=$(ms 21 "$work/hogo" ledger check "$work/big.yaml")
echo "| \`hogo ledger check\` on 200 categories / 2,400 items ($(($(stat -c %s "$work/big.yaml") / 1024)) KiB), median of 21 | ${check} ms | \`hogo version\` (process start): ${base} ms |"

# Server start to serving: launch, poll /healthz.
start_ms() {
	local data=$1 port=$2 s e
	s=$(date +%s%N)
	"$work/hogo" serve --demo --data "$data" --addr "127.0.0.1:$port" >/dev/null 2>&1 &
	pid=$!
	until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.002; done
	e=$(date +%s%N)
	kill "$pid"; wait "$pid" 2>/dev/null || true
	echo $(( (e - s) / 1000 ))
}
first=() again=()
for i in $(seq 5); do
	d="$work/data$i"
	first+=($(start_ms "$d" $((18300 + i))))
	again+=($(start_ms "$d" $((18400 + i))))
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'; }
echo "| \`hogo serve --demo\` first start (new store, migrations, demo ledger and admin) to /healthz 200, median of 5 | $(med "${first[@]}") ms | ${base} ms |"
echo "| \`hogo serve --demo\` restart on an existing store to /healthz 200, median of 5 | $(med "${again[@]}") ms | ${base} ms |"
echo
echo "Go benchmarks (baselines in the same run):"
go test -run '^$' -bench 'AppendSQLite|BaselineInsert|VerifySQLite|BaselineScan|HashKernel' -benchtime 3s ./audit | grep '^Benchmark'
go test -run '^$' -bench 'Check200' -benchtime 3s ./ledger | grep '^Benchmark'
go test -run '^$' -bench 'ServeStart' -benchtime 20x ./cmd/hogo | grep '^Benchmark'
