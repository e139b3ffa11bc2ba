from . import res_company
from . import res_config_settings
from . import partner_opportunity_pipeline
from . import partner_opportunity_status
from . import partner_opportunity
from . import partner_opportunity_interaction
from . import res_partner
from . import res_users
