"""Odoo's test logs in short: each failing test with the first line of its
error, the errors logged outside the tests, and "N passed, N failed".

    python tools/test_log.py STATUS:LOG...    (STATUS: the exit status of odoo-bin)

Exits 1 on a failing test, an error logged outside the tests, a log without
tests, or odoo-bin failing without a failing test. $PO_KNOWN_FAILURES lists
tolerated failures, one a line: "/module:Class.method first line of the error",
each tolerated only while it fails with exactly that error.
"""

import os
import re
import sys

RECORD = re.compile(r"\d{4}-\d\d-\d\d [\d:,]+ \d+ (\w+) \S+ (\S+): (.*)")
FAILURE = re.compile(r"(FAIL|ERROR): (?:Subtest )?(\S+)(.*)")
# The runner's own summaries: consequences of the failures listed, not errors.
SUMMARY = re.compile(
    r"\d+ failed, \d+ error\(s\) of \d+ tests when loading database"
    r"|^Module \w+: \d+ failures, \d+ errors of \d+ tests$"
    r"|^At least one test failed when loading the modules\.$"
    r"|\.py: at least one error occurred in a test$"
)
KNOWN = dict(
    line.partition(" ")[::2] for line in os.environ.get("PO_KNOWN_FAILURES", "").splitlines()
)


def records(path):
    """[level, logger, message, the lines that follow] of each record of a log."""
    found = []
    with open(path, errors="replace") as log:
        for line in log:
            match = RECORD.fullmatch(line.rstrip())
            if match:
                found.append([*match.groups(), []])
            elif found:
                found[-1][3].append(line.rstrip())
    return found


def failure(logger, test, more):
    """The test's tag (/module:Class.method) and its error's first line: the
    first line at the left margin after the last traceback header."""
    name, rest = test[2], test[3].strip()
    holder = re.match(r"\((?:odoo\.addons\.\w+\.tests\.\w+\.)?(\w+)\)", rest)
    if name in ("setUpClass", "tearDownClass") and holder:
        name = f"{holder[1]} ({name})"
    module = re.match(r"odoo\.addons\.(\w+)\.", logger)
    headers = [i for i, line in enumerate(more) if line.startswith("Traceback (most")]
    tail = more[headers[-1] + 1 :] if headers else []
    error = next((x for x in tail if x and not x[0].isspace()), more[0] if more else rest)
    return (f"/{module[1]}:{name}" if module else f"{logger} {name}"), error.strip()


bad, ran, failing, tolerated = False, 0, set(), set()
for status, __, path in (arg.partition(":") for arg in sys.argv[1:]):
    started = failures = 0
    print(f"{path}:")
    for level, logger, message, more in records(path):
        test = FAILURE.match(message)
        if level == "INFO" and re.fullmatch(r"Starting \S+\.test\w* \.\.\.", message):
            started += 1
        elif level == "ERROR" and test:
            failures += 1
            tag, error = failure(logger, test, more)
            known = KNOWN.get(tag) == error
            (tolerated if known else failing).add(tag)
            print(
                f"  {'known failure, tolerated' if known else test[1]}: {tag}\n      {error[:300]}"
            )
        elif SUMMARY.search(message):
            print(f"  {message}")
        elif level in ("ERROR", "CRITICAL"):
            bad = True
            print(f"  logged outside the tests: {level} {logger}: {message}"[:300])
    ran += started
    print(f"  {started} tests run")
    if not started or (status != "0" and not failures):
        bad = True
        print(f"  no test ran, or odoo-bin exited with {status} without a failing test")
# Tests that passed, and tests that failed; the known failures are neither.
print(f"{ran - len(failing) - len(tolerated)} passed, {len(failing)} failed")
sys.exit(1 if failing or bad else 0)
