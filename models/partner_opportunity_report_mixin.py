from odoo import api, models


class PartnerOpportunityReportMixin(models.AbstractModel):
    """The grouped reads of a report over millions of rows (status changes,
    rep activity). Odoo orders groups of a many2one (a status, a rep) as its
    model orders its records, and to do so joins that model (and, for users,
    their partners) to every row before grouping: most of the time of a pivot
    (doc/performance.md). Here the rows are grouped by id and the few groups
    put in that order afterwards."""

    _name = "partner.opportunity.report.mixin"
    _description = "Opportunity Report Grouped by Id"

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        groupby = [groupby] if isinstance(groupby, str) else list(groupby)
        # The keys of the groups: the specs, as "date:week".
        keys = groupby[:1] if lazy else groupby
        relations = [key for key in keys if self._fields[key.split(":")[0]].type == "many2one"]
        others = [key for key in keys if key not in relations]
        # Every group (a pivot's, a graph's), ordered by no more than one
        # other key: that key's order comes from PostgreSQL, the others' here.
        if not relations or orderby or offset or limit or len(others) > 1:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        groups = super().read_group(
            domain, fields, groupby, orderby=others[0] if others else "__count", lazy=lazy
        )
        ranks = {key: {} for key in keys}
        for key in others:
            for group in groups:
                ranks[key].setdefault(_value(group[key]), len(ranks[key]))
        for key in relations:
            comodel = self.env[self._fields[key].comodel_name].sudo()
            ids = {_value(group[key]) for group in groups} - {False}
            ranks[key] = {record.id: i for i, record in enumerate(comodel.browse(ids).sorted())}

        def order(group):
            # Groups without a value last, as PostgreSQL orders NULL.
            return tuple(ranks[key].get(_value(group[key]), len(ranks[key])) for key in keys)

        return sorted(groups, key=order)


def _value(value):
    """The id of a many2one group's value ``(id, name)``, else the value."""
    return value[0] if isinstance(value, tuple) else value
