"""Screenshots of the board and other pages for static/description/ (issue 17).

Not part of the test suite. With the demo running (``tools/dev.sh demo``, same
PORT and PO_DEMO_DB), from the repository, with the project's venv:

    ~/.cache/partner-opportunity/venv/bin/python tools/screenshots.py \
        [--url http://127.0.0.1:8069] [--db partner_opportunity_demo] \
        [--login admin] [--out static/description/board.png]

It drives the machine's headless Chromium through the DevTools protocol with
websocket-client (a test requirement already: no browser download, no
Playwright), logs in through /web/session/authenticate, opens the board of the
default pipeline at 1440 x 900 scrolled to its last columns, so that the won
and lost columns show, and prints the computed colours of the columns with the
picture. ``--scroll-down`` scrolls the board down too: the cards then pass
under the column headers, which must hide them.

One element, at twice the resolution: ``--element`` (a CSS selector) and
``--containing`` (a text it contains), e.g. the card of the close-up::

    python tools/screenshots.py --element .o_kanban_record --containing "50 CRM seats" \
        --out static/description/card.png

Other pages: ``--path`` (a URL path, e.g. /odoo/action-<xmlid>), ``--wait-for``
(a CSS selector present once the page is ready), ``--click`` (selectors to
click in order, e.g. a notebook tab) and ``--lang vi_VN`` (installs the
language if needed and sets it on the user first). For instance::

    python tools/screenshots.py --wait-for ".o_data_row" --out static/description/list.png \
        --path "/odoo/action-partner_opportunity.partner_opportunity_action?view_type=list"
"""

import argparse
import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar

import websocket
from PIL import Image

BOARD = "/odoo/action-partner_opportunity.partner_opportunity_action_board"
WIDTH, HEIGHT = 1440, 900

# A page is ready when its selector matches (for the board: its columns have
# cards), no request is pending and the fonts are there.
READY = """
(async (selector) => {
    const busy = document.querySelector(".o_loading_indicator, .o_blockUI");
    if (!document.querySelector(selector) || busy) {
        return false;
    }
    await document.fonts.ready;
    return true;
})
"""
CLICK = """
((selector) => {
    const element = document.querySelector(selector);
    if (element) {
        element.click();
    }
    return Boolean(element);
})
"""

# The box of the first element matching the selector and containing the text,
# in the page's coordinates (the page itself does not scroll).
ELEMENT_BOX = """
((selector, text) => {
    const element = [...document.querySelectorAll(selector)].find(
        (e) => e.textContent.includes(text)
    );
    if (!element) {
        return null;
    }
    element.scrollIntoView({ block: "center", inline: "center" });
    const { x, y, width, height } = element.getBoundingClientRect();
    return { x, y, width, height };
})
"""

# Scrolls the board to its last columns (and down, when asked) and reports the
# computed colours of each column, its header and its title.
SCROLL_AND_REPORT = """
(async (down) => {
    const board = document.querySelector(".o_kanban_view .o_content");
    board.scrollLeft = board.scrollWidth;
    if (down) {
        board.scrollTop = 250;
    }
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300)));
    return [...document.querySelectorAll(".o_kanban_group")].map((column) => {
        const style = (element) => getComputedStyle(element);
        const title = column.querySelector(".o_column_title");
        return {
            column: title.firstElementChild.textContent.trim(),
            background: style(column).backgroundColor,
            header: style(column.querySelector(".o_kanban_header")).backgroundColor,
            title: style(title).color,
            border_top: `${style(column).borderTopWidth} ${style(column).borderTopColor}`,
        };
    });
})
"""


class Chromium:
    """A headless Chromium and one page, driven through the DevTools protocol."""

    def __init__(self):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            sys.exit("Chromium is not on PATH")
        self.profile = tempfile.mkdtemp(prefix="po-screenshots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._devtools_port()
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.last_id = 0

    def _devtools_port(self):
        """Chromium writes the port it chose into the profile once it listens."""
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _ in range(100):
            if os.path.exists(port_file):
                with open(port_file) as file:
                    port = file.read().split()
                if port:
                    return port[0]
            time.sleep(0.1)
        self.close()
        sys.exit("Chromium did not open its DevTools port")

    def call(self, method, **params):
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def close(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def session_id(url, db, login, password):
    """Logs in and returns the session cookie that Chromium will use."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = {"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}}
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    answer = json.load(opener.open(request))
    if answer.get("error") or not answer.get("result", {}).get("uid"):
        sys.exit(f"login as {login} on {db} failed: {answer.get('error')}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


def set_language(url, cookie, lang):
    """Installs ``lang`` if needed and makes it the language of the session's user."""

    def post(path, params):
        request = urllib.request.Request(
            f"{url}{path}",
            data=json.dumps({"jsonrpc": "2.0", "params": params}).encode(),
            headers={"Content-Type": "application/json", "Cookie": f"session_id={cookie}"},
        )
        answer = json.load(urllib.request.urlopen(request))
        if answer.get("error"):
            sys.exit(f"{path}: {answer['error']['data']['message']}")
        return answer["result"]

    def call(model, method, *args):
        params = {"model": model, "method": method, "args": list(args), "kwargs": {}}
        return post("/web/dataset/call_kw", params)

    uid = post("/web/session/get_session_info", {})["uid"]
    [language] = call(
        "res.lang", "search_read", [("code", "=", lang), ("active", "in", [True, False])], ["id"]
    )
    wizard = call("base.language.install", "create", [{"lang_ids": [(6, 0, [language["id"]])]}])
    call("base.language.install", "lang_install", wizard)
    call("res.users", "write", [uid], {"lang": lang})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8069')}")
    parser.add_argument("--db", default=os.environ.get("PO_DEMO_DB", "partner_opportunity_demo"))
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", help="default: the login, as in the demo")
    parser.add_argument("--out", default="static/description/board.png")
    parser.add_argument("--scroll-down", action="store_true")
    parser.add_argument("--path", default=BOARD, help="the page (default: the board)")
    parser.add_argument(
        "--wait-for",
        default=".o_kanban_group .o_kanban_record",
        help="a CSS selector present once the page is ready",
    )
    parser.add_argument("--click", action="append", default=[], help="CSS selector to click")
    parser.add_argument("--lang", help="e.g. vi_VN; default: the user's language")
    parser.add_argument("--element", help="CSS selector: picture this element only, at 2x")
    parser.add_argument("--containing", default="", help="with --element: a text it contains")
    args = parser.parse_args()

    cookie = session_id(args.url, args.db, args.login, args.password or args.login)
    if args.lang:
        set_language(args.url, cookie, args.lang)
    browser = Chromium()
    try:
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.call("Network.setCookie", name="session_id", value=cookie, url=args.url, path="/")
        browser.call("Page.enable")
        browser.call("Page.navigate", url=args.url + args.path)

        def wait_for(selector):
            deadline = time.monotonic() + 60
            while not browser.evaluate(f"{READY}({json.dumps(selector)})"):
                if time.monotonic() > deadline:
                    sys.exit(f"{selector} did not show within 60 s")
                time.sleep(0.5)

        wait_for(args.wait_for)
        for selector in args.click:
            wait_for(selector)
            browser.evaluate(f"{CLICK}({json.dumps(selector)})")
        time.sleep(1.5)  # the column totals count up, the charts animate
        columns = []
        shot = {}
        if args.element:
            box = browser.evaluate(
                f"{ELEMENT_BOX}({json.dumps(args.element)}, {json.dumps(args.containing)})"
            )
            if not box:
                sys.exit(f"no {args.element} containing {args.containing!r}")
            shot["clip"] = {**box, "scale": 2}
        elif args.path == BOARD:
            columns = browser.evaluate(f"{SCROLL_AND_REPORT}({json.dumps(args.scroll_down)})")
        png = base64.b64decode(browser.call("Page.captureScreenshot", format="png", **shot)["data"])
    finally:
        browser.close()
    # 256 colours, like the other pictures of static/description: a third of
    # the size, and the same to the eye for a screen of flat colours.
    Image.open(io.BytesIO(png)).quantize(256).save(args.out, optimize=True)
    for column in columns:
        print(
            "{column:<15} background {background:<20} header {header:<20} "
            "title {title:<20} top border {border_top}".format(**column)
        )
    width, height = Image.open(args.out).size
    print(f"{args.out}: {width} x {height}")


if __name__ == "__main__":
    main()
