"""18.0.1.6.0: the index of a salesperson's opportunities by status, in the
board's order, also holds what a column sums and its progress bar counts
(pipeline, company, status type and the header's amounts). Dropped here; the
model's init() creates it anew."""


def migrate(cr, version):
    cr.execute("DROP INDEX IF EXISTS partner_opportunity_user_id_status_id_date_deadline_index")
