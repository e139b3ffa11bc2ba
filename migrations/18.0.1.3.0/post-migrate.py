"""18.0.1.3.0: each status change keeps, as it was at the time, what the
movement report counts (M5, P3). Rows recorded before are filled from what is
stored: the types, order and pipeline of their statuses, the previous change
of their opportunity, and the opportunity's current salesperson, team and
annual revenue (the best that is known of them)."""


def migrate(cr, version):
    cr.execute(
        """
        WITH moves AS (
            SELECT i.id,
                   LAG(i.date) OVER (
                       PARTITION BY i.opportunity_id ORDER BY i.date, i.id
                   ) AS previous
              FROM partner_opportunity_interaction i
             WHERE i.opportunity_id IS NOT NULL
        )
        UPDATE partner_opportunity_interaction i
           SET partner_name = COALESCE(i.partner_name, p.complete_name),
               pipeline_id = COALESCE(st.pipeline_id, o.pipeline_id),
               salesperson_id = o.user_id,
               team_id = o.team_id,
               annual_revenue = COALESCE(o.annual_revenue, 0),
               status_from_type = sf.status_type,
               status_to_type = st.status_type,
               direction = CASE
                   WHEN sf.pipeline_id IS DISTINCT FROM st.pipeline_id THEN NULL
                   WHEN (sf.sequence, sf.id) < (st.sequence, st.id) THEN 'forward'
                   ELSE 'back'
               END,
               days_in_status = COALESCE(
                   EXTRACT(EPOCH FROM i.date - COALESCE(m.previous, o.create_date)) / 86400.0,
                   0
               ),
               days_since_creation = COALESCE(
                   EXTRACT(EPOCH FROM i.date - o.create_date) / 86400.0, 0
               )
          FROM partner_opportunity_interaction x
     LEFT JOIN moves m ON m.id = x.id
     LEFT JOIN partner_opportunity o ON o.id = x.opportunity_id
     LEFT JOIN res_partner p ON p.id = x.partner_id
     LEFT JOIN partner_opportunity_status sf ON sf.id = x.status_from_id
     LEFT JOIN partner_opportunity_status st ON st.id = x.status_to_id
         WHERE x.id = i.id
        """
    )
    cr.execute(
        """
        UPDATE partner_opportunity_interaction
           SET move_type = CASE
               WHEN status_to_type IN ('won', 'lost') THEN status_to_type
               ELSE direction
           END
        """
    )
