from . import partner_opportunity_status_delete
