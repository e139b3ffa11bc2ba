#!/usr/bin/env bash
# Regenerates the translation template i18n/partner_opportunity.pot from a
# fresh database with the demo data and merges it into every i18n/<lang>.po: new
# strings arrive untranslated, strings that are gone are dropped, the rest keep
# their translation.  Then translate the new entries: tests/test_i18n.py fails
# as long as one is missing.
#
#   tools/i18n.sh           languages: $PO_LANGUAGES (default "vi")
#                           database:  $PO_I18N_DB (default partner_opportunity_i18n)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${PO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/partner-opportunity/venv}
DB=${PO_I18N_DB:-partner_opportunity_i18n}
LANGUAGES=${PO_LANGUAGES:-vi}
POT=$REPO/i18n/partner_opportunity.pot

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

"$REPO/tools/dev.sh" setup
PGHOST=$(sed -n 's/^db_host = //p' "$REPO/.build/odoo.conf")
DATA_DIR=$(sed -n 's/^data_dir = //p' "$REPO/.build/odoo.conf")
export PGHOST PGUSER=odoo
drop_db() { dropdb --if-exists "$DB"; rm -rf "${DATA_DIR:?}/filestore/$DB"; }

# Odoo collects the strings of the code by walking the addon's folder through
# symbolic links; the repository's .build/addons links back to the repository,
# so the export reads a copy of the addon without .build.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/partner_opportunity"
tar -C "$REPO" --exclude=./.build --exclude=./.git -cf - . | tar -C "$WORK/partner_opportunity" -xf -
sed "s#,$REPO/.build/addons\$#,$WORK#" "$REPO/.build/odoo.conf" > "$WORK/odoo.conf"
odoo() { "$VENV/bin/python" -m odoo -c "$WORK/odoo.conf" -d "$DB" --log-level=warn "$@"; }

log "Installing partner_opportunity with its demo data in a fresh $DB"
drop_db
# With the demo data: the export takes the names of the records the module's
# XML ids point to, so the demo's (the Renewals pipeline, its statuses, the
# teams) are translated too. Odoo loads the terms of the records that exist
# only, so they cost nothing in a database without demo data.
odoo -i partner_opportunity --stop-after-init
log "Exporting $POT"
# Without --language Odoo writes the template: every msgstr empty.
odoo --modules=partner_opportunity --i18n-export="$POT"
drop_db

log "Merging into i18n/{$LANGUAGES}.po"
"$VENV/bin/python" - "$POT" $LANGUAGES <<'PY'
import os
import sys

import polib

pot_path, languages = sys.argv[1], sys.argv[2:]
pot = polib.pofile(pot_path)
for lang in languages:
    path = os.path.join(os.path.dirname(pot_path), f"{lang}.po")
    if os.path.exists(path):
        po = polib.pofile(path)
    else:
        po = polib.POFile()
        po.metadata = dict(pot.metadata, Language=lang)
    po.merge(pot)
    for entry in po.obsolete_entries():
        po.remove(entry)
    po.save(path)
    print(f"{path}: {len(po.untranslated_entries())} untranslated of {len(po)}")
PY
