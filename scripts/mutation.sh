#!/usr/bin/env bash
# Mutation testing of the fee core, in full (not in CI; 45 to 65 minutes on 2 cores): every mutant of
# calculator/core/ is made afresh and run against the tests setup.cfg's [mutmut] section selects. Ends with
#   killed/total = <killed>/<all mutants> = <percent> %
# and every mutant no test caught (`.venv/bin/mutmut show NAME` shows one). Extra arguments go to `mutmut run`
# (e.g. --max-children 1 on a busy machine). To retry a few mutants after a change:
# `.venv/bin/mutmut run 'calculator.core.quote.x_household_totals*'`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/mutmut ] || .venv/bin/pip install -q -r requirements-dev.txt

rm -rf mutants  # mutmut keeps results between runs: a full run starts from nothing
start=$(date +%s)
.venv/bin/mutmut run "$@"
seconds=$(( $(date +%s) - start ))

.venv/bin/mutmut results --all true | .venv/bin/python -c '
import collections, sys
seconds = int(sys.argv[1])
statuses = dict(line.strip().rsplit(": ", 1) for line in sys.stdin if ": " in line)
counts = collections.Counter(statuses.values())
total, killed = len(statuses), counts["killed"]
print()
print("mutants by result: %s" % ", ".join("%s %d" % item for item in counts.most_common()))
print("not caught:")
for name, status in sorted(statuses.items()):
    if status != "killed":
        print("    %s: %s" % (name, status))
print("run time: %d min %02d s" % divmod(seconds, 60))
print("killed/total = {:,}/{:,} = {:.1f} %".format(killed, total, 100 * killed / total if total else 0))
' "$seconds"
