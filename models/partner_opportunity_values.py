import math
import unicodedata

from odoo import api, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# What PostgreSQL stores in an integer column; amounts above the second bound
# are typing errors that would swamp every total they enter.
MAX_INTEGER = 2**31 - 1
MAX_AMOUNT = 10**15
# A context value only the server can set: a client sends JSON, never this
# object, so a key holding it switches nothing from outside
# (test_rpc_rules: test_context_switches_are_not_client_inputs).
SERVER = object()


# Characters that show nothing: a name that differs by one of them only is the
# same name to a reader.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def name_key(name):
    """What makes two names the same to a reader: letters compatible under
    Unicode NFKC (full-width letters, composed and combining accents), case,
    invisible characters and runs of white space."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.translate(dict.fromkeys(map(ord, INVISIBLE)))
    return " ".join(name.split()).lower()


def uninstalling(env):
    """Whether the addon is being removed: the only moment its delete rules
    give way. Odoo marks that moment with a context key (``_force_unlink``)
    that any client can send too, so the key alone proves nothing
    (test_rpc_rules: test_force_unlink_key_switches_no_rule)."""
    return bool(
        env.context.get(MODULE_UNINSTALL_FLAG)
        and env["ir.module.module"]
        .sudo()
        .search_count([("name", "=", "partner_opportunity"), ("state", "=", "to remove")])
    )


def check_values(model, vals_list):
    """D4: a value the ORM cannot convert, PostgreSQL cannot store, or a
    record that does not exist is refused with a message naming its field,
    instead of a traceback or an unrelated "record being deleted"
    (test_rpc_rules: test_bad_values_name_their_field). The conversion is
    the field's own; the records a user names are looked up once per model."""
    ids_by_field = {}
    for vals in vals_list:
        for name, value in vals.items():
            field = model._fields.get(name)
            if not field or not (field.store or field.type == "properties"):
                continue
            try:
                valid = _valid_type(field, value)
                cached = field.convert_to_cache(value, model)
                if field.type == "integer":
                    valid = valid and abs(cached) <= MAX_INTEGER
                elif field.type in ("float", "monetary"):
                    valid = valid and math.isfinite(cached) and abs(cached) <= MAX_AMOUNT
                elif field.type in ("many2one", "many2many", "one2many") and cached:
                    ids = [cached] if field.type == "many2one" else cached
                    ids = [i for i in ids if isinstance(i, int)]
                    valid = valid and all(0 < i <= MAX_INTEGER for i in ids)
                    ids_by_field.setdefault(field, set()).update(ids)
            except (ValueError, TypeError, AttributeError, KeyError, OverflowError):
                valid = False
            if not valid:
                raise_invalid(model, field, value)
    # What the server itself names exists (D2, data files, imports of the
    # server): only a user's references are looked up.
    for field, ids in ids_by_field.items() if not model.env.su else ():
        found = model.env[field.comodel_name].sudo().browse(ids).exists()
        if len(found) != len(ids):
            raise_invalid(model, field, min(set(ids) - set(found.ids)))


def _valid_type(field, value):
    """What the ORM would turn into another value silently: a number for a
    record, True or a fraction for a number."""
    if field.type == "many2one":
        return value in (False, None) or type(value) is int or isinstance(value, models.BaseModel)
    if field.type in ("integer", "float", "monetary"):
        if value is True or isinstance(value, str) and field.type == "integer":
            return False
        return field.type != "integer" or not isinstance(value, float) or value.is_integer()
    return True


def raise_invalid(model, field, value):
    raise ValidationError(
        model.env._(
            "%(field)s: %(value)s is not valid.",
            field=field._description_string(model.env),
            value=repr(value)[:50],
        )
    )


class PartnerOpportunityValues(models.AbstractModel):
    """The addon's models check every value a client sends (D4), and names
    unique within ``_unique_name_scope`` (M1, M2) before anything is
    written. Two users saving the very same name at once are stopped by the
    table's unique constraint, whose message Odoo shows."""

    _name = "partner.opportunity.values"
    _description = "Opportunity Values Check"
    _unique_name_scope = None

    def _unique_name_error(self, name, scope):
        """The message of a duplicate ``name`` in ``scope`` (a record)."""
        raise NotImplementedError

    def _check_unique_names(self, names):
        """Refuse ``names`` ({(scope id, name)} about to be saved by ``self``)
        that read the same as another name of their scope."""
        scope = self._unique_name_scope
        others = self.with_context(active_test=False).search(
            [(scope, "in", list({scope_id for scope_id, __ in names})), ("id", "not in", self.ids)]
        )
        taken = {(other[scope].id, name_key(other.name)) for other in others}
        for scope_id, name in names:
            key = (scope_id, name_key(name))
            if name and key in taken:
                comodel = self.env[self._fields[scope].comodel_name]
                raise ValidationError(self._unique_name_error(name, comodel.browse(scope_id)))
            taken.add(key)

    @api.model_create_multi
    def create(self, vals_list):
        check_values(self, vals_list)
        scope = self._unique_name_scope
        if scope:
            default = self.default_get([scope]).get(scope)
            self._check_unique_names([(v.get(scope, default), v.get("name")) for v in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        check_values(self, [vals])
        scope = self._unique_name_scope
        if scope and ("name" in vals or scope in vals):
            self._check_unique_names(
                [(vals.get(scope, r[scope].id), vals.get("name", r.name)) for r in self]
            )
        return super().write(vals)
