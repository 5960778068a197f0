"""The map page's own CSS and JavaScript (geomap's code, not a third-party asset).

``geomapInit(map, layers, data)`` draws the basemap, regions, places and article layers from the
JSON data block built by :func:`geomap.render.map.site_data`. Article text only ever reaches the
page through ``textContent`` and text nodes; only http(s) URLs become links.
"""

MAP_CSS = """
.folium-map.leaflet-container { background: #aecfe0; }
.gm-popup { font: 13px/1.45 system-ui, sans-serif; }
.gm-popup h3 { margin: 0 0 2px; font-size: 15px; }
.gm-muted { color: #666; font-size: 12px; }
.gm-item { margin-top: 8px; }
.gm-passage { margin: 0 0 2px; padding: 1px 0 1px 8px; border-left: 3px solid #e53935;
  font-family: Georgia, serif; white-space: pre-wrap; }
.gm-passage mark { background: #ffe0b2; padding: 0 1px; }
.gm-cite { font-size: 12px; color: #444; }
.gm-country-label span { display: inline-block; transform: translate(-50%, -50%); white-space: nowrap; font: italic 12px/1 system-ui, sans-serif;
  color: #6b6256; text-shadow: 0 0 3px #f2efe6, 0 0 3px #f2efe6; letter-spacing: .04em; }
.gm-tip strong { font-weight: 600; }
.gm-legend { background: rgba(255,255,255,.92); padding: 6px 8px; border-radius: 4px;
  font: 12px/1.5 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.gm-legend strong { display: block; margin-bottom: 2px; }
.gm-swatch { display: inline-block; width: 14px; height: 10px; margin-right: 6px;
  border: 1px solid rgba(0,0,0,.35); vertical-align: -1px; }
.gm-focus { animation: gm-pulse 1.2s ease-out 3; }
@keyframes gm-pulse { from { stroke-opacity: 1; } to { stroke-opacity: .2; } }
"""

MAP_JS = r"""
function geomapInit(map, layers, data) {
  "use strict";
  const PASSAGES_SHOWN = 50;
  const POPUP = {maxWidth: 380, minWidth: 240, maxHeight: 320};
  const FEATURES = {country: "country", admin1: "first-level region", admin2: "district",
                    region: "area", city: "populated place", other: "place"};

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // Boundaries come as rings of varints (see geomap.render.map.encode_ring); rebuild GeoJSON.
  const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const DIGIT = new Int8Array(128).fill(-1);
  for (let i = 0; i < DIGITS.length; i++) DIGIT[DIGITS.charCodeAt(i)] = i;

  function ring(text, scale) {
    const points = [];
    let x = 0, y = 0, z = 0, factor = 1, first = true;
    for (let i = 0; i < text.length; i++) {
      const c = DIGIT[text.charCodeAt(i)];
      z += (c & 31) * factor;
      if (c & 32) { factor *= 32; continue; }
      const d = z % 2 ? -(z + 1) / 2 : z / 2;
      if (first) x += d; else { y += d; points.push([x / scale, y / scale]); }
      first = !first;
      z = 0;
      factor = 1;
    }
    return points;
  }

  function feature(shape, scale, properties) {
    return {type: "Feature", properties: properties || {}, geometry: {
      type: "MultiPolygon", coordinates: shape.map(rings => rings.map(r => ring(r, scale)))}};
  }

  function collection(features) { return {type: "FeatureCollection", features: features}; }

  const countries = collection(data.countries.shapes.map(s => feature(s, data.countries.scale)));
  const regions = collection(data.regions.features.map(
    f => feature(f.shape, data.regions.scale, f.properties)));

  L.geoJSON(countries, {
    pane: "basemap", interactive: false,
    style: {color: "#8a8a8a", weight: 0.7, fillColor: "#f2efe6", fillOpacity: 1},
  }).addTo(layers.basemap);

  // Country names between zooms 4 and 9: the basemap has no tiles to say where we are.
  const labels = L.layerGroup(data.labels.map(([name, lat, lon]) => L.marker([lat, lon], {
    pane: "labels", interactive: false, keyboard: false,
    icon: L.divIcon({className: "gm-country-label", html: el("span", null, name), iconSize: null}),
  })));
  function showLabels() {
    const wanted = map.getZoom() >= 4 && map.getZoom() <= 9 && map.hasLayer(layers.basemap);
    if (wanted !== map.hasLayer(labels)) wanted ? labels.addTo(map) : labels.remove();
  }
  map.on("zoomend baselayerchange", showLabels);

  L.geoJSON(regions, {
    pane: "regions",
    style: f => ({color: "#7a3b10", weight: 1, opacity: 0.6,
                  fillColor: f.properties.color, fillOpacity: 0.6}),
    onEachFeature: (f, layer) => layer.bindTooltip(regionTip(f.properties), {sticky: true}),
  }).addTo(layers.regions);

  function regionTip(p) {
    const box = el("div", "gm-tip");
    box.append(el("strong", null, p.name), " ", el("span", "gm-muted", p.iso), el("br"),
               plural(p.count, "mention"));
    return box;
  }

  // Each place's hits grouped by passage: [[passageIndex, [[start, end], ...]], ...].
  const hits = data.places.map(p => {
    const out = [];
    for (const [pi, s, e] of p.m) {
      const last = out[out.length - 1];
      if (last && last[0] === pi) last[1].push([s, e]); else out.push([pi, [[s, e]]]);
    }
    return out;
  });

  function passageNode(text, ranges) {
    const quote = el("blockquote", "gm-passage");
    let pos = 0;
    for (const [s, e] of ranges) {
      if (s < pos) continue;
      quote.append(text.slice(pos, s), el("mark", null, text.slice(s, e)));
      pos = e;
    }
    quote.append(text.slice(pos));
    return quote;
  }

  function citation(article, passageId) {
    const cite = el("div", "gm-cite");
    const link = el("a", null, article.t);
    link.href = article.h + (passageId ? "#" + encodeURIComponent(passageId) : "");
    cite.append(link);
    const meta = [article.s, article.d].filter(Boolean).join(", ");
    if (meta) cite.append(" — " + meta);
    return cite;
  }

  function popup(placeIndex, articleIndex) {
    return () => {
      const place = data.places[placeIndex];
      const shown = hits[placeIndex].filter(
        h => articleIndex === undefined || data.passages[h[0]][0] === articleIndex);
      const box = el("div", "gm-popup");
      const where = [FEATURES[place.f] || place.f, place.a, place.c].filter(Boolean).join(" · ");
      box.append(el("h3", null, place.n),
                 el("div", "gm-muted", where + " — " + plural(shown.length, "passage")));
      for (const [pi, ranges] of shown.slice(0, PASSAGES_SHOWN)) {
        const [ai, passageId, text] = data.passages[pi];
        const item = el("div", "gm-item");
        item.append(passageNode(text, ranges), citation(data.articles[ai], passageId));
        box.append(item);
      }
      if (shown.length > PASSAGES_SHOWN) {
        box.append(el("div", "gm-muted", "… and " + plural(shown.length - PASSAGES_SHOWN, "more passage")));
      }
      return box;
    };
  }

  function marker(placeIndex, articleIndex, style) {
    const place = data.places[placeIndex];
    const radius = 5 + Math.min(8, 1.5 * Math.sqrt(place.m.length));
    return L.circleMarker([place.y, place.x], Object.assign({radius: radius, weight: 1.5,
                                                            fillOpacity: 0.85}, style))
      .bindPopup(popup(placeIndex, articleIndex), POPUP)
      .bindTooltip(el("span", null, place.n));
  }

  layers.places.addLayers(data.places.map(
    (p, i) => marker(i, undefined, {color: "#7f0000", fillColor: "#e53935"})));

  const perArticle = data.articles.map(() => new Set());
  data.places.forEach((p, i) => p.m.forEach(([pi]) => perArticle[data.passages[pi][0]].add(i)));
  perArticle.forEach((places, ai) => places.forEach(
    i => marker(i, ai, {color: "#0d47a1", fillColor: "#42a5f5"}).addTo(layers.articles[ai])));

  if (data.legend.length) {
    const legend = L.control({position: "bottomleft"});
    legend.onAdd = () => {
      const box = el("div", "gm-legend");
      box.append(el("strong", null, "Mentions per region"));
      for (const [label, colour] of data.legend) {
        const swatch = el("i", "gm-swatch");
        swatch.style.background = colour;
        const row = el("div");
        row.append(swatch, label);
        box.append(row);
      }
      return box;
    };
    if (map.hasLayer(layers.regions)) legend.addTo(map);
    map.on("overlayadd", e => { if (e.layer === layers.regions) legend.addTo(map); });
    map.on("overlayremove", e => { if (e.layer === layers.regions) legend.remove(); });
  }

  map.attributionControl.addAttribution(
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) · ' +
    'Boundaries: <a href="https://www.naturalearthdata.com/">Natural Earth</a>');

  // #lat/lon/zoom (as the article pages link here) sets the view and rings the spot.
  let focus = null;
  function applyHash(event) {
    const m = /^#(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(location.hash);
    if (!m || Math.abs(+m[1]) > 90 || Math.abs(+m[2]) > 180) return false;
    const zoom = Math.max(map.getMinZoom(), Math.min(+m[3], map.getMaxZoom()));
    map.setView([+m[1], +m[2]], zoom, {animate: Boolean(event)});
    if (focus) focus.remove();
    focus = L.circleMarker([+m[1], +m[2]], {radius: 18, color: "#1565c0", weight: 3,
                                            fill: false, interactive: false,
                                            className: "gm-focus"}).addTo(map);
    return true;
  }
  window.addEventListener("hashchange", applyHash);
  map.whenReady(showLabels);
  if (!applyHash() && data.bounds) {
    map.fitBounds(data.bounds, {padding: [40, 40], maxZoom: 7, animate: false});
  }
}
"""
