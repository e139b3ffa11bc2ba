import unicodedata
from contextlib import contextmanager

from psycopg2 import errors

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

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


# name_key() in SQL, over the source (English) value of a translated name.
NAME_KEY_SQL = SQL(
    "lower(btrim(regexp_replace(translate(normalize(name->>'en_US', NFKC), %s, ''), "
    "'\\s+', ' ', 'g')))",
    INVISIBLE,
)


class PartnerOpportunityUniqueName(models.AbstractModel):
    """A name unique within a scope (D4, M1, M2): checked before saving, in
    the user's language, and guaranteed by a unique index on the normalised
    name, which alone sees two users saving the same name at once."""

    _name = "partner.opportunity.unique.name"
    _description = "Opportunity Unique Name"
    _unique_name_scope = None

    def init(self):
        super().init()
        if self._abstract:
            return
        index = self._unique_name_index()
        if not index_exists(self.env.cr, index):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX %s ON %s (%s, (%s))",
                    SQL.identifier(index),
                    SQL.identifier(self._table),
                    SQL.identifier(self._unique_name_scope),
                    NAME_KEY_SQL,
                )
            )

    def _unique_name_index(self):
        return f"{self._table}_name_key_uniq"

    def _unique_name_error(self, name, scope):
        """The message of a duplicate ``name`` in ``scope`` (a record of the
        scope's model): each model says it in its words."""
        raise NotImplementedError

    def _check_unique_names(self, names):
        """Refuse ``names`` ({(scope id, name)} about to be saved by the
        records ``self``) that read the same as another name in their scope,
        compared in the user's language, before anything is written."""
        scope = self._unique_name_scope
        others = self.with_context(active_test=False).search(
            [(scope, "in", list({scope_id for scope_id, __ in names})), ("id", "not in", self.ids)]
        )
        taken = {(other[scope].id, name_key(other.name)) for other in others}
        for scope_id, name in names:
            if not name:
                continue  # the field itself is required
            key = (scope_id, name_key(name))
            if key in taken:
                comodel = self.env[self._fields[scope].comodel_name]
                raise ValidationError(self._unique_name_error(name, comodel.browse(scope_id)))
            taken.add(key)

    @contextmanager
    def _unique_name_guard(self):
        """Turns the index's refusal into the same clear message as the
        Python check: the index refuses first, and it alone sees a duplicate
        saved at the same moment by another user."""
        try:
            with self.env.cr.savepoint():
                yield
                self.env.flush_all()
        except errors.UniqueViolation as error:
            if error.diag.constraint_name != self._unique_name_index():
                raise
            # "Key (scope, name key)=(42, follow up) already exists."
            scope_id, __, name = error.diag.message_detail.rpartition("=(")[2].partition(", ")
            name = name.rpartition(") already exists")[0]
            scope = self._fields[self._unique_name_scope]
            raise ValidationError(
                self._unique_name_error(name, self.env[scope.comodel_name].browse(int(scope_id)))
            ) from None

    @api.model_create_multi
    def create(self, vals_list):
        scope = self._unique_name_scope
        default = (
            self.default_get([scope]).get(scope) if any(scope not in v for v in vals_list) else None
        )
        self._check_unique_names(
            [(vals.get(scope, default), vals.get("name")) for vals in vals_list]
        )
        with self._unique_name_guard():
            records = super().create(vals_list)
        return records

    def write(self, vals):
        scope = self._unique_name_scope
        if "name" not in vals and scope not in vals:
            return super().write(vals)
        self._check_unique_names(
            [(vals.get(scope, record[scope].id), vals.get("name", record.name)) for record in self]
        )
        with self._unique_name_guard():
            result = super().write(vals)
        return result
