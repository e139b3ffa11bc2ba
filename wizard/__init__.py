from . import partner_opportunity_status_delete
from . import partner_opportunity_lost
