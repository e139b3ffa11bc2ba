"""Every example starts here: a connection to Odoo over XML-RPC as one user."""

import xmlrpc.client


def connect(url, db, login, password):
    """Return ``call(model, method, *args, **kwargs)``, which runs ``method`` of
    ``model`` on the server as the user ``login``, with that user's rights."""
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    uid = common.authenticate(db, login, password, {})
    if not uid:
        raise PermissionError(f"Odoo refused the login {login!r} on {db!r}")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return call
