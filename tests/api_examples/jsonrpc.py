"""The same API over JSON-RPC (``/jsonrpc``, service ``object``, ``execute_kw``),
with the Python standard library only. An error arrives with the name of its
exception class, e.g. ``odoo.exceptions.UserError``."""

import json
import urllib.request


class OdooError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name  # e.g. "odoo.exceptions.ValidationError"
        self.message = message


def jsonrpc(url, service, method, *args):
    payload = {"jsonrpc": "2.0", "method": "call", "id": 1}
    payload["params"] = {"service": service, "method": method, "args": args}
    request = urllib.request.Request(
        f"{url}/jsonrpc", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        reply = json.load(response)
    if "error" in reply:
        error = reply["error"]["data"]
        raise OdooError(error["name"], error["message"])
    return reply["result"]


def move_opportunity(url, db, login, password, opportunity_id, status_id):
    uid = jsonrpc(url, "common", "authenticate", db, login, password, {})
    if not uid:
        raise PermissionError(f"Odoo refused the login {login!r} on {db!r}")

    def call(model, method, *args, **kwargs):
        return jsonrpc(url, "object", "execute_kw", db, uid, password, model, method, args, kwargs)

    call("partner.opportunity", "write", [opportunity_id], {"status_id": status_id})
    [opportunity] = call(
        "partner.opportunity", "read", [opportunity_id], ["status_id", "probability"]
    )
    return opportunity
