from . import test_opportunity
from . import test_configuration
from . import test_reports
from . import test_auto_opportunity
from . import test_security
from . import test_i18n
from . import test_board
from . import test_ui
