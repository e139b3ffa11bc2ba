"""18.0.1.5.0: the index of a salesperson's opportunities in the list's order
also holds what the list counts and sums (pipeline, company, status type and
the summary's amounts). Dropped here; the model's init() creates it anew."""


def migrate(cr, version):
    cr.execute("DROP INDEX IF EXISTS partner_opportunity_user_id_date_deadline_index")
