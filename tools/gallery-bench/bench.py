#!/usr/bin/env python3
"""Gallery load script: signs in to a running portal and measures the gallery page, unfiltered and with filters
(each one prerendered: facets, count and the first window). Prints p50/p95 per request kind. Times are request round trips over loopback, so they
are the server time plus well under a millisecond.

Usage: bench.py --url http://127.0.0.1:5099 --email admin@aigc.test --password ... [--rounds 40]
"""
import argparse
import html.parser
import http.cookiejar
import statistics
import time
import urllib.parse
import urllib.request


class Hidden(html.parser.HTMLParser):
    """Collects the hidden inputs of the sign-in form."""

    def __init__(self):
        super().__init__()
        self.hidden = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[a["name"]] = a.get("value", "")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--rounds", type=int, default=40)
    args = p.parse_args()
    base = args.url.rstrip("/")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path):
        req = urllib.request.Request(base + "/" + path.lstrip("/"))
        start = time.perf_counter()
        with opener.open(req) as r:
            body = r.read().decode()
            status = r.status
        return (time.perf_counter() - start) * 1000, status, body

    _, _, login = get("/account/login")
    form = Hidden()
    form.feed(login)
    fields = dict(form.hidden, **{"Input.Email": args.email, "Input.Password": args.password})
    opener.open(base + "/account/login", urllib.parse.urlencode(fields).encode()).read()

    kinds = {
        "first page (full /gallery)": lambda i: "gallery",
        "filter: one condition": lambda i: "gallery?c.part=" + ["spur_gear", "flange", "bracket", "hex_nut"][i % 4],
        "filter: two facets + tag": lambda i: "gallery?c.part=pulley&c.view=" + ["front", "side", "section"][i % 3] + "&tag=review",
        "filter: favourites": lambda i: "gallery?fav=true",
        "filter: text search": lambda i: "gallery?q=" + ["tolerances", "hero", "varia", "batch%204"][i % 4],
        "filter: date range + sort by model": lambda i: "gallery?from=2026-03-01&to=2026-06-30&sort=model",
    }
    results = {}
    for name, make in kinds.items():
        times = []
        for i in range(args.rounds + 3):
            path = make(i)
            ms, status, _ = get(path)
            assert status == 200, (path, status)
            if i >= 3:  # the first rounds warm the JIT and the page cache
                times.append(ms)
        results[name] = times

    # Since the Gallery moved to interactive Blazor (issue 24), each filter is the prerendered page (facets and the
    # first window), and further windows come over the circuit from GalleryService.PageAsync (the same keyset query):
    # there is no HTTP URL per window to follow any more.

    print(f"{'request':40} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, times in results.items():
        times = sorted(times)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{name:40} {len(times):4} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f}")


if __name__ == "__main__":
    main()
