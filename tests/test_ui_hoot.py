"""The addon's JavaScript unit tests (static/tests/*.test.js, Odoo's hoot
framework with its mock server), run in a browser by the Python suite."""

import logging
import re
from pathlib import Path

from odoo.tests import HttpCase, no_retry, tagged
from odoo.tools.misc import file_path

from odoo.addons.web.tests.test_js import unit_test_error_checker

_logger = logging.getLogger(__name__)

# A test of a hoot file: test("…") or test.tags(…)("…").
TEST_CALL = re.compile(r"^test(?:\.tags\([^)]*\))?\(", re.MULTILINE)


def _test_count():
    folder = Path(file_path("partner_opportunity/static/tests"))
    return sum(len(TEST_CALL.findall(path.read_text())) for path in folder.glob("*.test.js"))


@tagged("post_install", "-at_install")
class TestHootSuite(HttpCase):
    @no_retry
    def test_unit_tests(self):
        """Only the addon's tests (hoot names their suites after the addon);
        a failed one fails this test, as in Odoo's own suite (WebSuite)."""
        capture = self.assertLogs(self._logger.getChild("browser").name, "INFO")
        try:
            with capture as logs:
                self.browser_js(
                    "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
                    "&filter=partner_opportunity",
                    "",
                    "",
                    login="admin",
                    timeout=600,
                    success_signal="[HOOT] test suite succeeded",
                    error_checker=unit_test_error_checker,
                )
        except Exception:
            # The capture kept the browser's messages from the log, those that
            # say which test failed and why.
            _logger.error("The browser said:\n%s", "\n".join(capture.watcher.output))
            raise
        passed = [
            int(match[1])
            for line in logs.output
            if (match := re.search(r"\[HOOT\] passed (\d+) tests", line))
        ]
        # Fewer passed than written means some did not run.
        self.assertEqual(passed, [_test_count()], "every test of the addon ran and passed")
