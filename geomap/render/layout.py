"""The map page around its data, laid out by folium: Leaflet and the plugins geomap uses (inlined
from ``folium-offline``), the panes, geomap's script and styles (``static/map.js`` and
``static/map.css``, package data: :func:`static_text`), the credits, and slots
for the page title and the data block. Rendered once per version of this code and cached
(:func:`geomap.render.map.page_template`): a build imports folium only to lay out a new version.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import (
    Fullscreen,
    GroupedLayerControl,
    HeatMap,
    MarkerCluster,
    MiniMap,
)
from folium.template import Template

from geomap.render.assets import (
    DATA_SLOT,
    TITLE_SLOT,
    check_offline,
    inline_resources,
    inline_tag,
)

MAX_ZOOM = 13
DEFAULT_VIEW = ((48.5, 31.2), 5)  # until geomapInit fits the view to the places
FOOTER = ('<footer class="gm-footer">Places: <a href="https://www.geonames.org/">GeoNames</a> '
          '(CC BY 4.0) · Boundaries: <a href="https://www.naturalearthdata.com/">Natural Earth</a> '
          '(public domain) · Region names: <a href="https://github.com/dr5hn/'
          'countries-states-cities-database">countries-states-cities</a> (ODbL) · Made with geomap'
          "</footer>")
STATIC = files(__package__) / "static"  # the map's own map.js and map.css


def render_template() -> str:
    """The page with :data:`TITLE_SLOT` and :data:`DATA_SLOT` to fill, byte-identical on every
    call, every resource inlined."""
    with deterministic_ids():
        page = _folium_map().get_root().render()
    page = inline_resources(page)
    check_offline(page)
    for slot in (TITLE_SLOT, DATA_SLOT):
        if page.count(slot) != 1:
            raise AssertionError(f"the map layout must hold {slot} once")
    return page


@contextmanager
def deterministic_ids() -> Iterator[None]:
    """Within the block, folium/branca elements get counter ids instead of random ones."""
    original = Element.__dict__["_generate_id"]
    counter = itertools.count(1)
    Element._generate_id = classmethod(lambda cls: str(next(counter)))  # type: ignore[method-assign]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


class _OfflineMap(folium.Map):
    """A folium Map that links only Leaflet itself (no jQuery, Bootstrap or icon fonts)."""

    default_js = [item for item in folium.Map.default_js if item[0] == "leaflet"]
    default_css = [item for item in folium.Map.default_css if item[0] == "leaflet_css"]


class _Raw(Element):
    """Literal HTML, never parsed as a template."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class _Init(JSCSSMixin, MacroElement):
    """Links the Leaflet plugins geomap uses and calls ``geomapInit`` with the map and data."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            geomapInit({{ this._parent.get_name() }},
                       JSON.parse(document.getElementById("geomap-data").textContent));
        {% endmacro %}
    """)
    plugins = (MarkerCluster, HeatMap, GroupedLayerControl, Fullscreen, MiniMap)
    default_js = [item for plugin in plugins for item in plugin.default_js]
    default_css = [item for plugin in plugins for item in plugin.default_css]

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeomapInit"


def static_text(name: str) -> str:
    """The text of geomap's own static file ``name`` (package data in ``static/``)."""
    return (STATIC / name).read_text(encoding="utf-8")


def _own(tag: str, name: str) -> str:
    """geomap's own static file ``name`` inlined in a ``tag`` element, from a line of its own."""
    return inline_tag(tag, "\n" + static_text(name))


def _folium_map() -> folium.Map:
    fmap = _OfflineMap(location=list(DEFAULT_VIEW[0]), zoom_start=DEFAULT_VIEW[1], tiles=None,
                       control_scale=True, font_size="14px", maxZoom=MAX_ZOOM, minZoom=2)
    root = fmap.get_root()
    root.header.add_child(_Raw(f"<title>{TITLE_SLOT}</title>"))
    root.header.add_child(_Raw(_own("style", "map.css")))
    root.header.add_child(_Raw(_own("script", "map.js")))
    root.html.add_child(_Raw(f'<script type="application/json" id="geomap-data">{DATA_SLOT}</script>'))
    root.html.add_child(_Raw(FOOTER))
    folium.map.CustomPane("basemap", z_index=250, pointer_events=False).add_to(fmap)
    folium.map.CustomPane("regions", z_index=350, pointer_events=True).add_to(fmap)
    folium.map.CustomPane("labels", z_index=380, pointer_events=False).add_to(fmap)
    folium.map.CustomPane("areas", z_index=390, pointer_events=False).add_to(fmap)
    folium.map.CustomPane("placenames", z_index=450, pointer_events=False).add_to(fmap)
    _Init().add_to(fmap)
    return fmap
