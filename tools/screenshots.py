"""Screenshots for static/description/ from the running demo (tools/dev.sh demo,
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
import tempfile
import time

import requests
import websocket
from harness import Client
from PIL import Image

BOARD = "/odoo/action-partner_opportunity.partner_opportunity_action_board"
WIDTH, HEIGHT = 1440, 900
READY = """(async (selector) => Boolean(document.querySelector(selector))
    && !document.querySelector(".o_loading_indicator") && (await document.fonts.ready, true))"""
ELEMENT_BOX = """((selector, text) => {
    const element = [...document.querySelectorAll(selector)].find(
        (e) => e.textContent.includes(text));
    element.scrollIntoView({ block: "center", inline: "center" });
    const { x, y, width, height } = element.getBoundingClientRect();
    return { x, y, width, height };
})"""
SCROLL_RIGHT = """(async () => {
    const board = document.querySelector(".o_kanban_view .o_content");
    board.scrollLeft = board.scrollWidth;
    await new Promise((resolve) => setTimeout(resolve, 300));
})"""


def devtools(profile):
    """The DevTools socket of the page of a headless Chromium started on ``profile``."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    options = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    options += ["--remote-debugging-port=0", "--remote-allow-origins=*", "--no-first-run"]
    options += [f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}"]
    process = subprocess.Popen([binary, *options], stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    while not (os.path.exists(port_file) and os.path.getsize(port_file)):
        time.sleep(0.1)
    with open(port_file) as f:
        port = f.read().split()[0]
    targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
    url = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
    return process, websocket.create_connection(url, timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8069')}")
    parser.add_argument("--db", default=os.environ.get("PO_DEMO_DB", "partner_opportunity_demo"))
    parser.add_argument("--login", default="admin", help="whose password is the login (demo)")
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
        lang = client.call("res.lang", "search", domain)
        wizard = client.call("base.language.install", "create", {"lang_ids": [(6, 0, lang)]})
        client.call("base.language.install", "lang_install", [wizard])
        client.call("res.users", "write", [client.uid], {"lang": args.lang})
    profile = tempfile.mkdtemp(prefix="po-screenshots-")
    process, socket = devtools(profile)
    ids = iter(range(1, 10**6))

    def call(method, **params):
        socket.send(json.dumps({"id": (sent := next(ids)), "method": method, "params": params}))
        while (message := json.loads(socket.recv())).get("id") != sent:
            pass
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message["result"]

    def evaluate(expression, *values):
        expression = f"{expression}({', '.join(map(json.dumps, values))})"
        options = {"awaitPromise": True, "returnByValue": True}
        return call("Runtime.evaluate", expression=expression, **options)["result"].get("value")

    def wait_for(selector):
        for _ in range(120):
            if evaluate(READY, selector):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{selector} did not show within 60 s")

    try:
        metrics = {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False}
        call("Emulation.setDeviceMetricsOverride", **metrics)
        cookie = client.session.cookies["session_id"]
        call("Network.setCookie", name="session_id", value=cookie, url=args.url)
        call("Page.navigate", url=args.url + args.path)
        wait_for(args.wait_for)
        for selector in args.click:
            wait_for(selector)
            evaluate("((selector) => document.querySelector(selector).click())", selector)
        time.sleep(1.5)  # the column totals count up, the charts animate
        shot = {}
        if args.element:
            shot["clip"] = {**evaluate(ELEMENT_BOX, args.element, args.containing), "scale": 2}
        elif args.path == BOARD:
            evaluate(SCROLL_RIGHT)
        png = call("Page.captureScreenshot", format="png", **shot)["data"]
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(profile, ignore_errors=True)
    # 256 colours, as the other pictures: a third of the size, the same to the eye.
    image = Image.open(io.BytesIO(base64.b64decode(png))).quantize(256)
    image.save(args.out, optimize=True)
    print(f"{args.out}: {image.width} x {image.height}")


if __name__ == "__main__":
    main()
