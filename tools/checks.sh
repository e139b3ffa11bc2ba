# The checks of `make test` beyond the addon's own suite, sourced by
# tools/dev.sh: the lifecycle, and the coexistence with Odoo's CRM.

# What an integrator does, from two clones of the repository that share the
# cluster and the data directory: the first creates the demo database (install
# with demo data); the second finds it with its files and upgrades it, then
# serves the graph view's lazily loaded assets; last, the addon uninstalls
# leaving nothing of its own.
cmd_lifecycle() {
    local db=${PO_LIFECYCLE_DB:-partner_opportunity_lifecycle} tmp oid port clone f missing
    LIFECYCLE_TMP=$(mktemp -d) && tmp=$LIFECYCLE_TMP
    trap 'rm -rf "$LIFECYCLE_TMP"; [ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null' EXIT
    drop_db "$db"
    for clone in 1 2; do
        git clone -q "$REPO" "$tmp/$clone" 2>/dev/null || true
        copy_work_tree "$tmp/$clone"
        log "Lifecycle on $db: clone $clone ($tmp/$clone): tools/dev.sh demo --stop-after-init"
        PO_DEMO_DB=$db PORT=$(free_port) "$tmp/$clone/tools/dev.sh" demo --stop-after-init \
            || die "lifecycle: the demo preparation of clone $clone failed"
        [ "$clone" = 2 ] || oid=$(psql -tAc "SELECT oid FROM pg_database WHERE datname = '$db'")
    done
    [ "$(psql -tAc "SELECT oid FROM pg_database WHERE datname = '$db'")" = "$oid" ] \
        || die "lifecycle: clone 2 recreated $db instead of upgrading it"
    port=$(free_port)
    log "Lifecycle: clone 2 serves $db on port $port"
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$tmp/2/.build/odoo.conf" -d "$db" --db-filter="^$db\$" \
        --http-port="$port" --log-level=warn > "$tmp/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 90); do
        curl -fso /dev/null "http://127.0.0.1:$port/web/health" && break; kill -0 "$SERVER" && sleep 1
    done
    for f in web.assets_backend_lazy.min.css web.assets_backend_lazy.min.js; do
        [ "$(curl -s -o "$tmp/$f" -w '%{http_code}' "http://127.0.0.1:$port/web/assets/any/$f")" = 200 ] \
            || { cat "$tmp/server.log"; die "lifecycle: /web/assets/any/$f is not served (log above)"; }
    done
    kill "$SERVER" && wait "$SERVER" || true
    SERVER=
    grep -q "@partner_opportunity/views/opportunity_graph/" "$tmp/web.assets_backend_lazy.min.js" \
        || die "lifecycle: the lazy bundle lacks the addon's graph view"
    ! grep -E " (ERROR|CRITICAL) " "$tmp/server.log" || die "lifecycle: errors while serving the assets (above)"
    # Every file of the database's attachments is where clone 2 looks for it.
    f=$(sed -n 's/^data_dir = //p' "$tmp/2/.build/odoo.conf")/filestore/$db
    missing=$(psql -d "$db" -tAc "SELECT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL" \
        | while read -r name; do [ -f "$f/$name" ] || echo "$name"; done | wc -l)
    [ "$missing" = 0 ] || die "lifecycle: $missing files of $db's attachments are not in $f"
    log "Lifecycle: lazy assets served (HTTP 200), every attachment's file in $f; uninstalling"
    local out=$BUILD/lifecycle-uninstall.log
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$BUILD/odoo.conf" -d "$db" --log-level=warn --no-http \
        > "$out" 2>&1 <<'PY' || { cat "$out"; die "lifecycle: uninstall failed"; }
env["ir.module.module"].search([("name", "=", "partner_opportunity")]).button_immediate_uninstall()
env.cr.commit()
PY
    ! grep -E " (ERROR|CRITICAL) |Traceback" "$out" || die "lifecycle: errors while uninstalling (above)"
    local state left
    state=$(module_state "$db")
    [ "$state" = uninstalled ] || die "lifecycle: partner_opportunity is '$state' after uninstalling"
    left=$(psql -d "$db" -tAc "
        SELECT string_agg(table_name || '.' || column_name, ', ') FROM information_schema.columns
        WHERE table_schema = 'public' AND (table_name LIKE 'partner_opportunity%'
            OR column_name LIKE '%opportunit%')
        UNION ALL SELECT string_agg(indexname, ', ') FROM pg_indexes
        WHERE schemaname = 'public' AND indexname LIKE 'partner_opportunity%'" | tr -d '\n')
    [ -z "$left" ] || die "lifecycle: left after uninstalling: $left"
    left=$(psql -d "$db" -tAc "SELECT string_agg(DISTINCT model, ', ') FROM ir_model_data
        WHERE module = 'partner_opportunity'")
    [ -z "$left" ] || die "lifecycle: records of partner_opportunity left after uninstalling: $left"
    drop_db "$db"
    rm -rf "$tmp"
    log "Lifecycle OK: two clones installed and upgraded one demo database, served its assets; uninstalled cleanly"
}

# Coexistence (X1): on a fresh database without demo data, the addon first,
# then Odoo's crm, contacts and sale_crm, whose own tests must pass, and base's
# partner tests with all of them installed.
COEXIST_MODULES=crm,contacts,sale_crm
# base's partner tests are at_install tests: they run only when base itself is
# installed or updated, which reloads every module.  --test-file runs all the
# tests of one file on the loaded registry instead; one file per run.
COEXIST_BASE_FILES=(test_res_partner.py test_res_partner_bank.py test_res_partner_merge.py)
# Odoo's tests that fail on this machine without the addon as well (checked
# with `tools/dev.sh coexist --baseline`), with the first line of their error.
# They still run, tolerated only while they fail with exactly that error:
# excluding them would also hide the addon's errors in them.  The cause:
# phone_validation formats numbers with the optional library `phonenumbers`,
# which Odoo's requirements.txt does not list; without it numbers stay as typed.
COEXIST_KNOWN_FAILURES="\
/crm:TestCRMLead.test_crm_lead_partner_sync_email_phone AssertionError: '202 555 0888' != '+1 202-555-0888'
/crm:TestCRMLead.test_crm_lead_partner_sync_email_phone_corner_cases AssertionError: True is not false : Formatting-only change should not trigger write
/crm:TestCRMLead.test_crm_lead_update_contact AssertionError: False != 'correct'
/crm:TestCRMLead.test_phone_mobile_update AssertionError: '+1 202 555 0122' != '+12025550122'
/crm:TestCRMLead.test_assert_initial_values AssertionError: '+1 202 555 0123' != '+12025550123'"

cmd_coexist() {
    local db first what dir=$BUILD/coexist port start=$SECONDS logs=() mods f n=2
    port=$(free_port)
    case "${1:-}" in
        --baseline)
            db=${PO_COEXIST_DB:-partner_opportunity_coexist_baseline}
            # The addon's dependencies without the addon: what differs from the
            # run with the addon is the addon only.
            first=$("$VENV/bin/python" -c 'import ast, sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' "$REPO/__manifest__.py")
            what="without partner_opportunity (baseline)" ;;
        "") db=${PO_COEXIST_DB:-partner_opportunity_coexist} first=partner_opportunity
            what="with partner_opportunity installed" ;;
        *) die "usage: tools/dev.sh coexist [--baseline]" ;;
    esac
    mkdir -p "$dir" && rm -f "$dir/$db"-*.log
    drop_db "$db"
    log "Coexistence on $db: installing $first without demo data"
    odoo_bin -d "$db" -i "$first" --without-demo=all --stop-after-init --log-level=warn --http-port="$port" \
        || die "coexistence: installing $first failed"
    log "Coexistence: installing $COEXIST_MODULES and running their tests"
    odoo_logged "$dir/$db-1-$COEXIST_MODULES.log" -d "$db" -i "$COEXIST_MODULES" --without-demo=all \
        --test-tags="/${COEXIST_MODULES//,/,/}" --stop-after-init --log-level=test --http-port="$port"
    logs+=("$RC:$dir/$db-1-$COEXIST_MODULES.log")
    mods=$(psql -d "$db" -tAc "SELECT string_agg(name || '=' || state, ' ' ORDER BY name) FROM ir_module_module
        WHERE name = ANY(string_to_array('partner_opportunity,$COEXIST_MODULES', ','))")
    log "Modules: $mods"
    for f in ${COEXIST_MODULES//,/ } $([ "$first" = partner_opportunity ] && echo partner_opportunity); do
        [[ " $mods " == *" $f=installed "* ]] \
            || { test_log "${logs[@]}" || true; die "coexistence: $f is not installed in $db (errors above)"; }
    done
    for f in "${COEXIST_BASE_FILES[@]}"; do
        log "Coexistence: base's $f"
        odoo_logged "$dir/$db-$n-${f%.py}.log" -d "$db" --stop-after-init --log-level=test --http-port="$port" \
            --test-file="$(readlink -f "$ODOO_SRC/odoo/addons/base/tests/$f")"
        logs+=("$RC:$dir/$db-$n-${f%.py}.log")
        n=$((n + 1))
    done
    if PO_KNOWN_FAILURES=$COEXIST_KNOWN_FAILURES test_log "${logs[@]}" | tee "$dir/$db-failures.txt"; then
        drop_db "$db"
        log "Coexistence OK $what, in about $(( (SECONDS - start + 30) / 60 )) min: the tests of $COEXIST_MODULES and base's partner tests pass"
    else
        die "coexistence: Odoo's tests fail $what (list above, also in $dir/$db-failures.txt; database $db kept; PO_COEXIST=0 tools/dev.sh test skips this step)"
    fi
}
