"""Time an import of customers through ``res.partner.load``, with and without
the automatic opportunities (SPEC D2). Everything is rolled back.

    ~/.cache/partner-opportunity/venv/bin/python tools/benchmark_import.py \
        -c .build/odoo.conf -d <database> [-n 10000]

The database needs partner_opportunity installed (``tools/dev.sh test`` or
``tools/dev.sh demo`` leave one).
"""

import argparse
import time

import odoo
from odoo.tools import config


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--count", type=int, default=10000, help="customers to import")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    fields = ["name", "is_company", "email", "city"]
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin, context={"lang": "en_US", "tz": "UTC"})
        for auto in (False, True):
            rows = [
                [f"Benchmark {i}", "1", f"benchmark{i}@example.com", "Hue"]
                for i in range(args.count)
            ]
            Partner = env["res.partner"].with_context(
                import_file=True, partner_opportunity_no_auto=not auto
            )
            opportunities_before = env["partner.opportunity"].search_count([])
            queries = cr.sql_log_count
            start = time.perf_counter()
            result = Partner.load(fields, rows)
            env.flush_all()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - queries
            errors = [m for m in result["messages"] if m.get("type") == "error"]
            created = env["partner.opportunity"].search_count([]) - opportunities_before
            print(
                f"{'with' if auto else 'without'} automatic opportunities: "
                f"{len(result['ids'] or [])} customers in {elapsed:.1f} s "
                f"({args.count / elapsed:.0f}/s), {queries} queries, "
                f"{created} opportunities, {len(errors)} errors"
            )
            cr.rollback()
            env.invalidate_all()


if __name__ == "__main__":
    main()
