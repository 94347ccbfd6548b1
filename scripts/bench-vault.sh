#!/usr/bin/env bash
# Whole-system figures for the vault, each beside a baseline measured in the
# same run (Go benchmarks in cmd/hogo/vault_bench_test.go that drive the real
# server over HTTP and the real "hogo import" command).
#   scripts/bench-vault.sh                       1,000,000 principals on SQLite
#   PRINCIPALS=100000 scripts/bench-vault.sh     a quicker run
#   HOGO_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test scripts/bench-vault.sh   adds PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
export HOGO_BENCH_PRINCIPALS="${PRINCIPALS:-1000000}"
export HOGO_BENCH_DURATION="${DURATION:-10s}"
export HOGO_BENCH_CLIENTS="${CLIENTS:-32}"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3)"
echo "principals: $HOGO_BENCH_PRINCIPALS, load: $HOGO_BENCH_CLIENTS clients for $HOGO_BENCH_DURATION"
# One process: the data set is imported once (the import figure) and then
# read, looked up and partly erased, in that order.
go test -count=1 -timeout 60m -run '^$' \
	-bench '^(BenchmarkVaultImportSJIS|BenchmarkVaultReadHTTP|BenchmarkVaultLookup|BenchmarkRequestDisclosure|BenchmarkRequestPurposeNotification|BenchmarkVaultErase100k)$' \
	-benchtime 1x ./cmd/hogo | grep -E '^Benchmark|^ok|FAIL'
if [ -n "${HOGO_BENCH_POSTGRES:-}" ]; then
	go test -count=1 -timeout 60m -run '^$' -bench '^BenchmarkVaultReadHTTPPostgres$' -benchtime 1x ./cmd/hogo | grep -E '^Benchmark|FAIL'
fi
