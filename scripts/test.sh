#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine, as root: installs and builds everything
# (scripts/setup.sh), lints, runs the C core's tests (ctest) and the TypeScript unit and
# integration tests (vitest). The last line is the total: `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

status=0
echo "== lint"
npm run --silent lint || status=1

echo "== ctest (C core)"
ctest_log=$(mktemp)
ctest --test-dir build --output-on-failure 2>&1 | tee "$ctest_log"
ctest_total=$(sed -nE 's/.*tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\2/p' "$ctest_log" | tail -1)
ctest_failed=$(sed -nE 's/.*tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\1/p' "$ctest_log" | tail -1)
rm -f "$ctest_log"
if [ -z "$ctest_total" ]; then ctest_total=1; ctest_failed=1; echo "ctest ran no test"; fi

# One vitest run per group, each with its own report: the qemu guests (image) run alone, after
# the namespaced labs, so nothing else competes with them for the two cores.
v_passed=0
v_failed=0
for group in "unit integration" "image"; do
  echo "== vitest ($group)"
  report="dist/test-results/vitest-${group// /-}.json"
  rm -f "$report"
  projects=()
  for p in $group; do projects+=(--project "$p"); done
  npx vitest run "${projects[@]}" --outputFile.json="$report" || status=1
  if [ -f "$report" ]; then
    read -r p f < <(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTestSuites && !r.success && r.numFailedTests === 0 ? 1 : 0));
    ' "$report")
  else
    p=0; f=1; echo "vitest ($group) wrote no report"
  fi
  v_passed=$((v_passed + p))
  v_failed=$((v_failed + f))
done

passed=$((ctest_total - ctest_failed + v_passed))
failed=$((ctest_failed + v_failed))
[ "$failed" -eq 0 ] || status=1
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1  # lint failure counts as one failure
echo "$passed passed, $failed failed"
exit $status
