#!/usr/bin/env bash
# Development entry point of partner_opportunity: prepares a Python venv, Odoo
# 18.0 and a PostgreSQL cluster, then starts the demo or runs the tests.  Every
# step is idempotent: a second run reuses what exists.
#
#   tools/dev.sh demo [odoo options]   demo database + Odoo on http://127.0.0.1:$PORT
#                                      (--stop-after-init: prepare the database only)
#   tools/dev.sh test [pytest options] lint, the suite from the wheel, lifecycle, coexistence
#                                      (with options: pytest on a fresh test database)
#   tools/dev.sh test-volume           fresh test database + the large-volume tests only
#   tools/dev.sh odoo [odoo options]   odoo-bin with the project's configuration
#   tools/dev.sh lint                  ruff, pylint-odoo and OCA's checks (pre-commit)
#   tools/dev.sh wheel                 the addon's wheel into .build/dist
#   tools/dev.sh lifecycle             two clones share a demo database; uninstall
#   tools/dev.sh coexist [--baseline]  Odoo's crm, contacts, sale_crm and partner tests
#                                      pass with the addon installed (X1)
#   tools/dev.sh bench [--n N] [--runs R]  benchmark against Odoo CRM at scale
#   tools/dev.sh replica [--db DB]     the board served by a streaming read replica
#   tools/dev.sh concurrency [--rounds N]  concurrent users on 4 workers, invariants checked
#   tools/dev.sh setup                 only prepare the environment
set -euo pipefail

is_root() { [ "$(id -u)" = 0 ]; }
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/partner-opportunity
BUILD=$REPO/.build
VENV=${PO_VENV:-$CACHE/venv}
# The PostgreSQL cluster and, beside it, Odoo's data directory (the filestore
# of each database): shared by every clone, as a database and its files go
# together.  As root the cluster runs as the 'postgres' user, which cannot
# enter root's home.
PGDATA_DIR=${PO_PGDATA:-$(is_root && echo /var/lib/partner-opportunity || echo "$CACHE")/pgdata}
DATA_DIR=${PO_DATA_DIR:-$(dirname "$PGDATA_DIR")/data}
PORT=${PORT:-8069}
DEMO_DB=${PO_DEMO_DB:-partner_opportunity_demo}
TEST_DB=${PO_TEST_DB:-partner_opportunity_test}
CONC_DB=${PO_CONC_DB:-partner_opportunity_concurrency}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

system_packages() {
    command -v dpkg-query >/dev/null || return 0
    local pkg missing=()
    for pkg in postgresql libpq-dev chromium fonts-noto-core; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    is_root && command -v apt-get >/dev/null \
        || die "missing system packages: ${missing[*]} (run once as root, or: sudo apt-get install ${missing[*]})"
    log "Installing ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Where Odoo comes from: an importable odoo 18.0, else $ODOO_SRC, else the
# cache, else Odoo's official 18.0 source downloaded into the cache.
odoo_source() {
    SYSTEM_ODOO=0
    if python3 -c 'import odoo.release as r, sys; sys.exit(r.version_info[:2] != (18, 0))' 2>/dev/null; then
        ODOO_SRC=$(python3 -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')
        SYSTEM_ODOO=1
    elif [ -n "${ODOO_SRC:-}" ]; then
        [ -f "$ODOO_SRC/odoo/release.py" ] || die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree"
    else
        ODOO_SRC=$CACHE/odoo-18.0
        if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
            log "Downloading Odoo 18.0 into $ODOO_SRC"
            mkdir -p "$ODOO_SRC.part"
            curl -fsSL https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz | tar -xz --strip-components=1 -C "$ODOO_SRC.part"
            mv "$ODOO_SRC.part" "$ODOO_SRC"
        fi
    fi
}

purelib() { "$1" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }

# Odoo's pins for Python 3.11 do not all build any more; those it gives for
# Python >= 3.12 do, on 3.11 too.  python-ldap is left out: only auth_ldap
# needs it, and it wants LDAP headers.
venv() {
    [ -x "$VENV/bin/python" ] || {
        log "Creating the venv $VENV"
        python3 -m venv $([ "$SYSTEM_ODOO" = 1 ] && echo --system-site-packages) "$VENV"
    }
    local stamp=$VENV/.partner-opportunity-stamp want
    want=$(cat "$REPO/tools/requirements-dev.txt" "$ODOO_SRC/requirements.txt" | sha1sum | cut -c1-40)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        log "Installing Python packages into $VENV"
        "$VENV/bin/pip" install -q --upgrade pip packaging wheel
        if [ "$SYSTEM_ODOO" = 0 ]; then
            "$VENV/bin/python" - "$ODOO_SRC/requirements.txt" > "$VENV/odoo-requirements.txt" <<'PY'
import sys
from packaging.requirements import Requirement
env = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux"}
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    req = line and Requirement(line)
    if req and req.name.lower() != "python-ldap" and (req.marker is None or req.marker.evaluate(env)):
        req.marker = None
        print(req)
PY
            "$VENV/bin/pip" install -q -r "$VENV/odoo-requirements.txt"
        fi
        "$VENV/bin/pip" install -q -r "$REPO/tools/requirements-dev.txt"
        echo "$want" > "$stamp"
    fi
    # Odoo is used from its source tree, never installed or copied.
    [ "$SYSTEM_ODOO" = 1 ] || echo "$ODOO_SRC" > "$(purelib "$VENV/bin/python")/odoo-src.pth"
}

# A cluster of the project's own, listening on a Unix socket only.
postgres() {
    local bindir as=()
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    [ -n "$bindir" ] || bindir=$(dirname "$(command -v pg_ctl || echo /nonexistent/x)")
    [ -x "$bindir/pg_ctl" ] || die "PostgreSQL server binaries not found (install PostgreSQL >= 12)"
    mkdir -p "$PGDATA_DIR" "$DATA_DIR"
    if is_root; then
        as=(runuser -u postgres --)
        chown postgres: "$PGDATA_DIR" "$(dirname "$PGDATA_DIR")"
    fi
    chmod 700 "$PGDATA_DIR"
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        log "Creating a PostgreSQL cluster in $PGDATA_DIR"
        "${as[@]}" "$bindir/initdb" -D "$PGDATA_DIR" -U odoo -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
        printf '%s\n' "listen_addresses = ''" "unix_socket_directories = '$PGDATA_DIR'" "fsync = off" \
            "synchronous_commit = off" "full_page_writes = off" "max_connections = 200" >> "$PGDATA_DIR/postgresql.conf"
    fi
    if ! "${as[@]}" "$bindir/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1; then
        log "Starting PostgreSQL ($PGDATA_DIR)"
        "${as[@]}" "$bindir/pg_ctl" start -w -s -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" >/dev/null \
            || { tail -n 20 "$PGDATA_DIR/server.log" >&2; die "PostgreSQL did not start (log above)"; }
    fi
    export PGHOST=$PGDATA_DIR PGUSER=odoo PGDATABASE=postgres
    PATH=$bindir:$PATH
}

setup() {
    system_packages
    odoo_source
    venv
    postgres
    # Odoo finds addons by folder name; the repository may be cloned under any.
    mkdir -p "$BUILD/addons"
    ln -sfn "$REPO" "$BUILD/addons/partner_opportunity"
    cat > "$BUILD/odoo.conf" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$BUILD/addons
data_dir = $DATA_DIR
db_host = $PGHOST
db_user = odoo
db_password = False
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $PORT
max_cron_threads = 0
CONF
}

free_port() { "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# ODOO_PY and ODOO_CONF run another Python (the wheel's venv) or configuration.
odoo_bin() { "${ODOO_PY:-$VENV/bin/python}" "$ODOO_SRC/odoo-bin" -c "${ODOO_CONF:-$BUILD/odoo.conf}" "$@"; }
module_state() { psql -d "$1" -tAc "SELECT state FROM ir_module_module WHERE name='partner_opportunity'" 2>/dev/null || true; }
drop_db() { PGOPTIONS=--client-min-messages=warning dropdb --if-exists "$1"; rm -rf "${DATA_DIR:?}/filestore/$1"; }

cmd_demo() {
    setup
    if [ "$(module_state "$DEMO_DB")" = installed ] && [ ! -d "$DATA_DIR/filestore/$DEMO_DB" ]; then
        log "$DEMO_DB has no filestore in $DATA_DIR/filestore (it was made with another data directory): recreating it"
        drop_db "$DEMO_DB"
    fi
    if [ "$(module_state "$DEMO_DB")" = installed ]; then
        log "Updating partner_opportunity in $DEMO_DB"
        odoo_bin -d "$DEMO_DB" -u partner_opportunity --stop-after-init --log-level=warn
    else
        log "Creating $DEMO_DB with partner_opportunity and its demo data"
        drop_db "$DEMO_DB"
        odoo_bin -d "$DEMO_DB" -i partner_opportunity --stop-after-init --log-level=warn
    fi
    case " $* " in *" --stop-after-init "*) return ;; esac
    printf '\n  %s\n' "Odoo: http://127.0.0.1:$PORT/web/login, database $DEMO_DB; logins (password = login):" \
        "admin (administrator), supervisor, agent1, agent2 (team Direct Sales), supervisor2, agent3, agent4 (Key Accounts)" \
        "Stop with Ctrl-C." >&2
    odoo_bin -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" "$@"
}

# The files git knows in the work tree (tracked, or new and not ignored),
# copied into $1; all files but .build and .git outside a git repository.
copy_work_tree() {
    mkdir -p "$1"
    if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
            | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
            | xargs -0 -r cp -P --parents -t "$1")
    else
        (cd "$REPO" && tar -c --exclude=./.build --exclude=./.git --exclude='__pycache__' .) | tar -x -C "$1"
    fi
}

# The linters and whool take the addon's name from its folder, and a clone may
# be named anything: they work on a copy in a folder named partner_opportunity.
cmd_lint() {
    odoo_source
    venv
    log "Linting: ruff, pylint-odoo, oca-checks-odoo-module, oca-checks-po (.pre-commit-config.yaml)"
    rm -rf "$BUILD/lint" && copy_work_tree "$BUILD/lint/partner_opportunity"
    # pre-commit checks the files of a git repository, and OCA's checks look
    # for addons below its top: .build/lint becomes one.
    (
        cd "$BUILD/lint" && git init -q && git add -A
        PATH=$VENV/bin:$PATH PRE_COMMIT_HOME=$CACHE/pre-commit "$VENV/bin/pre-commit" run \
            --all-files --show-diff-on-failure --config partner_opportunity/.pre-commit-config.yaml
    ) || die "lint failed (see above; partner_opportunity/ is the repository; PO_LINT=0 tools/dev.sh test skips lint)"
}

# The wheel odoo-addon-partner_opportunity, built by whool (pyproject.toml)
# from a copy outside any git repository, without the tooling beside the addon
# (tools/, .ci/, Makefile, the dot files): whool packs the copy as it is.
cmd_wheel() {
    odoo_source
    venv
    local stage
    stage=$(mktemp -d)
    copy_work_tree "$stage/partner_opportunity"
    (cd "$stage/partner_opportunity" && rm -rf tools .ci Makefile .[!.]*)
    rm -f "$BUILD"/dist/odoo_addon_partner_opportunity-*.whl
    log "Building the wheel into $BUILD/dist"
    "$VENV/bin/pip" wheel -q --no-deps --no-build-isolation -w "$BUILD/dist" "$stage/partner_opportunity"
    rm -rf "$stage"
    WHEEL=$(ls "$BUILD"/dist/odoo_addon_partner_opportunity-*.whl)
    echo "$WHEEL"
}

# The wheel holds the addon's own files and its metadata, nothing else.
ADDON_LAYOUT='(__init__|__manifest__|hooks)\.py|README\.(md|rst)|(controllers|data|demo|doc|i18n|migrations|models|readme|report|security|static|tests|views|wizard)/'
wheel_files_check() {
    local files extra
    files=$("$VENV/bin/python" -c 'import sys, zipfile; print(*zipfile.ZipFile(sys.argv[1]).namelist(), sep="\n")' "$WHEEL")
    extra=$(grep -vE "^odoo_addon_partner_opportunity-[^/]+\.dist-info/[^/]+$|^odoo/addons/partner_opportunity/($ADDON_LAYOUT)" <<<"$files" \
        || true; grep -E '__pycache__|\.pyc$' <<<"$files" || true)
    [ -z "$extra" ] || die "the wheel holds files that are not the addon's: $(tr '\n' ' ' <<<"$extra")"
    log "Wheel: $(wc -l <<<"$files") files: $(sed -nE 's#^odoo/addons/(partner_opportunity/[^/]+/?).*#\1#p' <<<"$files" | sort -u | tr '\n' ' ')and its dist-info"
}

# WHEEL_PY: a fresh venv with the wheel installed by pip (Odoo and its requirements
# from the project's venv); WHEEL_CONF: an addons path without the repository, so
# that Odoo finds odoo.addons.partner_opportunity in site-packages.
wheel_venv() {
    cmd_wheel >/dev/null
    wheel_files_check
    local wvenv=$BUILD/wheel-venv
    rm -rf "$wvenv" && python3 -m venv --without-pip "$wvenv"
    WHEEL_PY=$wvenv/bin/python WHEEL_CONF=$BUILD/odoo-wheel.conf
    printf '%s\n' "$ODOO_SRC" "$(purelib "$VENV/bin/python")" > "$(purelib "$WHEEL_PY")/odoo-src.pth"
    "$VENV/bin/pip" --python "$WHEEL_PY" install -q --no-deps "$WHEEL"
    "$WHEEL_PY" -c 'import odoo.addons.partner_opportunity as a, sys; print(a.__file__); sys.exit(not a.__file__.startswith(sys.argv[1]))' \
        "$(purelib "$WHEEL_PY")" || die "odoo.addons.partner_opportunity is not imported from the wheel"
    sed "s|^addons_path = .*|addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons|" "$BUILD/odoo.conf" > "$WHEEL_CONF"
}

# Runs odoo-bin into a log, showing loading, errors and test results meanwhile;
# then tools/test_log.py reports on "$RC:log" arguments ($RC: odoo-bin's status).
odoo_logged() {
    local log=$1
    shift
    log "odoo-bin $* (log: $log)"
    set +e  # the status of odoo-bin, not of the pipe
    odoo_bin "$@" 2>&1 | tee "$log" | grep --line-buffered -E " (ERROR|CRITICAL) | odoo\.modules\.loading: (loading [0-9]+ modules|[0-9]+ modules loaded|Modules loaded)|post-tests in|tests when loading database"
    RC=${PIPESTATUS[0]}
    set -e
}
test_log() { "$VENV/bin/python" "$REPO/tools/test_log.py" "$@"; }
# The addon installed in a fresh $TEST_DB, and its tests of tag $1 run there.
suite() {
    local out=$BUILD/test-$TEST_DB.log
    drop_db "$TEST_DB"
    odoo_logged "$out" -d "$TEST_DB" -i partner_opportunity --without-demo=all --stop-after-init \
        --test-enable --test-tags="$1" --log-level=test --http-port="$(free_port)"
    test_log "$RC:$out" || die "the addon's tests failed (list above; log $out)"
}

# A streaming replica of the cluster, and Odoo reading the board from it:
# tools/replica.py. The cluster must accept local replication connections;
# initdb's trust set-up does, older clusters get the line.
cmd_replica() {
    local hba=$PGDATA_DIR/pg_hba.conf as=()
    is_root && as=(runuser -u postgres --)
    if ! grep -Eq '^[[:space:]]*local[[:space:]]+replication[[:space:]]+(all|odoo)[[:space:]]+trust' "$hba"; then
        log "Allowing local replication connections ($hba)"
        echo "local   replication     odoo                                    trust" >> "$hba"
        "${as[@]}" pg_ctl reload -D "$PGDATA_DIR" >/dev/null
    fi
    "$VENV/bin/python" "$REPO/tools/replica.py" --config "$BUILD/odoo.conf" --pgdata "$PGDATA_DIR" "$@"
}

# Without arguments: lint on the source; the addon's whole suite under Odoo's
# runner (at install, tours included) from its wheel installed in a fresh
# venv; the lifecycle; coexistence, the longest, last.  With arguments: pytest
# (pytest-odoo) on a fresh database, from .build/addons.
cmd_test() {
    setup
    "$VENV/bin/python" -c 'import websocket' 2>/dev/null \
        || die "websocket-client is missing: browser tests would be skipped"
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null \
        || die "Chromium is missing: browser tests would be skipped"
    if [ $# -gt 0 ]; then
        log "Installing partner_opportunity in a fresh $TEST_DB"
        drop_db "$TEST_DB"
        odoo_bin -d "$TEST_DB" -i partner_opportunity --without-demo=all --stop-after-init --log-level=warn
        # From the addons folder: pytest would otherwise resolve the link to
        # the repository and import the addon under the clone's folder name.
        cd "$BUILD/addons"
        exec "$VENV/bin/python" -m pytest --rootdir="$BUILD/addons" -p no:cacheprovider -W ignore::DeprecationWarning \
            --odoo-config="$BUILD/odoo.conf" --odoo-database="$TEST_DB" --odoo-http "$@"
    fi
    [ "${PO_LINT:-1}" = 0 ] || cmd_lint
    wheel_venv
    log "Installing partner_opportunity from the wheel in a fresh $TEST_DB and running its tests"
    ODOO_PY=$WHEEL_PY ODOO_CONF=$WHEEL_CONF suite /partner_opportunity
    [ "${PO_LIFECYCLE:-1}" = 0 ] || cmd_lifecycle
    [ "${PO_COEXIST:-1}" = 0 ] || cmd_coexist
}

# The large-volume tests (tests/test_volume.py, tag partner_opportunity_volume):
# out of the default run, run here alone on a fresh database.
cmd_test_volume() {
    setup
    log "Installing partner_opportunity in a fresh $TEST_DB and running its large-volume tests"
    suite partner_opportunity_volume/partner_opportunity
}

. "$REPO/tools/checks.sh"  # cmd_lifecycle, cmd_coexist
case "${1:-}" in
    setup) setup ;;
    demo) shift; cmd_demo "$@" ;;
    test) shift; cmd_test "$@" ;;
    test-volume) cmd_test_volume ;;
    odoo) shift; setup; odoo_bin "$@" ;;
    lint) cmd_lint ;;
    wheel) cmd_wheel ;;
    lifecycle) setup; cmd_lifecycle ;;
    coexist) shift; setup; cmd_coexist "$@" ;;
    bench) shift; setup; "$VENV/bin/python" "$REPO/tools/benchmark.py" --config "$BUILD/odoo.conf" "$@" ;;
    replica) shift; setup; cmd_replica "$@" ;;
    concurrency) shift; setup
        "$VENV/bin/python" "$REPO/tools/concurrency.py" --config "$BUILD/odoo.conf" --db "$CONC_DB" "$@" ;;
    *) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 2 ;;
esac
