"""Handle what the server refuses: the fault code says which kind of refusal."""

import xmlrpc.client

from connect import connect

REFUSED = 2  # UserError, ValidationError, MissingError: show the message to a person
FORBIDDEN = 4  # AccessError: this user may not read or change it (check its role)


def try_move(url, db, login, password, opportunity_id, status_id):
    """Return ("moved", None), ("refused", message) or ("forbidden", message).
    Any other fault is a bug in the call: it is raised, with the server's traceback."""
    call = connect(url, db, login, password)
    try:
        call("partner.opportunity", "write", [opportunity_id], {"status_id": status_id})
    except xmlrpc.client.Fault as fault:
        if fault.faultCode == REFUSED:
            return "refused", fault.faultString
        if fault.faultCode == FORBIDDEN:
            return "forbidden", fault.faultString
        raise
    return "moved", None
