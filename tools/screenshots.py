"""Screenshots for static/description/, from the running demo (tools/dev.sh demo,
same PORT and PO_DEMO_DB), with the machine's headless Chromium:

    python tools/screenshots.py [--out static/description/board.png] [--lang vi_VN]
        [--path /odoo/action-...] [--wait-for CSS] [--click CSS]...
        [--element CSS --containing TEXT]   one element, at twice the resolution

The board (the default page) is scrolled to its last columns, the won and lost ones.
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

import requests
import websocket
from harness import Client
from PIL import Image

BOARD = "/odoo/action-partner_opportunity.partner_opportunity_action_board"
WIDTH, HEIGHT = 1440, 900
READY = """(async (selector) => {
    if (!document.querySelector(selector) || document.querySelector(".o_loading_indicator")) {
        return false;
    }
    await document.fonts.ready;
    return true;
})"""
ELEMENT_BOX = """((selector, text) => {
    const element = [...document.querySelectorAll(selector)].find(
        (e) => e.textContent.includes(text));
    if (!element) { return null; }
    element.scrollIntoView({ block: "center", inline: "center" });
    const { x, y, width, height } = element.getBoundingClientRect();
    return { x, y, width, height };
})"""
SCROLL_RIGHT = """(async () => {
    const board = document.querySelector(".o_kanban_view .o_content");
    board.scrollLeft = board.scrollWidth;
    await new Promise((resolve) => setTimeout(resolve, 300));
})()"""


class Chromium:
    """A headless Chromium and its page, through the DevTools protocol."""

    def __init__(self):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        self.profile = tempfile.mkdtemp(prefix="po-screenshots-")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
            + ["--remote-debugging-port=0", "--remote-allow-origins=*", "--no-first-run"]
            + [f"--user-data-dir={self.profile}", f"--window-size={WIDTH},{HEIGHT}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        while not os.path.exists(port_file) or not open(port_file).read():  # noqa: SIM115
            time.sleep(0.1)
        port = open(port_file).read().split()[0]  # noqa: SIM115
        targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.last_id = 0

    def call(self, method, **params):
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while (message := json.loads(self.socket.recv())).get("id") != self.last_id:
            pass
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message["result"]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True)
        return result["result"].get("value")

    def wait_for(self, selector):
        deadline = time.monotonic() + 60
        while not self.evaluate(f"{READY}({json.dumps(selector)})"):
            if time.monotonic() > deadline:
                sys.exit(f"{selector} did not show within 60 s")
            time.sleep(0.5)

    def close(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8069')}")
    parser.add_argument("--db", default=os.environ.get("PO_DEMO_DB", "partner_opportunity_demo"))
    parser.add_argument(
        "--login", default="admin", help="its password is the login, as in the demo"
    )
    parser.add_argument("--out", default="static/description/board.png")
    parser.add_argument("--path", default=BOARD)
    parser.add_argument("--wait-for", default=".o_kanban_group .o_kanban_record")
    parser.add_argument("--click", action="append", default=[], help="CSS selectors, in order")
    parser.add_argument("--lang", help="installed if needed and set on the user")
    parser.add_argument("--element", help="CSS selector of the one element to picture")
    parser.add_argument("--containing", default="", help="a text the element contains")
    args = parser.parse_args()
    client = Client(args.url, args.db, args.login).authenticate()
    if args.lang:
        domain = [("code", "=", args.lang), ("active", "in", [True, False])]
        [lang] = client.call("res.lang", "search", domain)
        wizard = client.call("base.language.install", "create", {"lang_ids": [(6, 0, [lang])]})
        client.call("base.language.install", "lang_install", [wizard])
        client.call("res.users", "write", [client.uid], {"lang": args.lang})
    browser = Chromium()
    try:
        metrics = {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False}
        browser.call("Emulation.setDeviceMetricsOverride", **metrics)
        cookie = client.session.cookies["session_id"]
        browser.call("Network.setCookie", name="session_id", value=cookie, url=args.url)
        browser.call("Page.navigate", url=args.url + args.path)
        browser.wait_for(args.wait_for)
        for selector in args.click:
            browser.wait_for(selector)
            browser.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        time.sleep(1.5)  # the column totals count up, the charts animate
        shot = {}
        if args.element:
            box = browser.evaluate(
                f"{ELEMENT_BOX}(...{json.dumps([args.element, args.containing])})"
            )
            if not box:
                sys.exit(f"no {args.element} containing {args.containing!r}")
            shot["clip"] = {**box, "scale": 2}
        elif args.path == BOARD:
            browser.evaluate(SCROLL_RIGHT)
        png = browser.call("Page.captureScreenshot", format="png", **shot)["data"]
    finally:
        browser.close()
    # 256 colours, as the other pictures: a third of the size, the same to the eye.
    image = Image.open(io.BytesIO(base64.b64decode(png))).quantize(256)
    image.save(args.out, optimize=True)
    print(f"{args.out}: {image.width} x {image.height}")


if __name__ == "__main__":
    main()
