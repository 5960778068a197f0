"""The map tests' browser: Debian's chromium driven by Playwright, offline, and what a test does
with a page of the map (open it, wait for it to settle, click a place, read the map's state)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"


def installed() -> bool:
    """Whether Debian's chromium is there to drive."""
    return Path(CHROMIUM).exists()


@dataclass
class Browser:
    """One chromium context that may only read local files; records what went wrong."""

    context: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path | str, size: tuple[int, int] | None = None):
        """A new page of ``path`` (``size``: its width and height in pixels), once drawn."""
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        if size:
            page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(path if isinstance(path, str) else path.as_uri())
        page.wait_for_function(f"window.L && {FIND_MAP} || !document.querySelector('.folium-map')")
        settle(page)
        return page


def still(page) -> None:
    """Wait until nothing on the page moves: the marks' CSS transitions (the cluster groups animate
    a zoom) have ended."""
    page.wait_for_function("document.getAnimations().length === 0")


def settle(page) -> None:
    """Wait until the map has drawn what it draws after its script ran (the clustered marks are
    added in chunks, on timers): two frames, then the timers queued by then."""
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame("
                  "() => setTimeout(done, 300))))")


def click_place(page, lat: float, lon: float, layer: str = "places") -> None:
    """Zoom the map to its max on a place and click the marker there, in ``layer`` alone."""
    page.mouse.click(*centre_on(page, lat, lon, layer))
    wait_for_popup(page)


def wait_for_popup(page) -> None:
    """Wait until a popup of the map is open and faded in."""
    page.wait_for_selector(".leaflet-popup-content .gm-popup")
    page.wait_for_function("(p => p !== null && getComputedStyle(p).opacity === '1')"
                           "(document.querySelector('.leaflet-popup'))")  # faded in (or anew)


def centre_on(page, lat: float, lon: float, layer: str) -> tuple[float, float]:
    """Show only ``layer`` of the marks, zoom in to its max on a spot; its page coordinates."""
    point = page.evaluate(f"""([lat, lon, layer]) => {{
        const map = {FIND_MAP};
        for (const name of ["places", "events"]) if (name !== layer) map.geomap[name].remove();
        map.setView([lat, lon], map.getMaxZoom(), {{animate: false}});
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }}""", [lat, lon, layer])
    still(page)
    return point


def map_value(page, expression: str):
    """``expression`` evaluated with ``map`` bound to the page's Leaflet map."""
    return page.evaluate(f"(() => {{ const map = {FIND_MAP}; return {expression}; }})()")


def on_map(page, statement: str) -> None:
    """Run ``statement`` with ``map`` bound to the page's Leaflet map; nothing comes back (a
    Leaflet call returns the map, whose copy to Python takes a minute)."""
    page.evaluate(f"(() => {{ const map = {FIND_MAP}; {statement}; }})()")


