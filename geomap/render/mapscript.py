"""The map page's own CSS and JavaScript (geomap's code, not a third-party asset).

``geomapInit(map, data)`` builds every layer and control from the JSON data block written by
:class:`geomap.render.map.MapAssembly`: the offline basemap (and an online one, off by default), regions
shaded by mentions and by events, clustered places, a heat map, events by type with a time slider,
one layer per article, a grouped layer control, search, fullscreen and a minimap. Article text only
ever reaches the page through ``textContent`` and text nodes (layer-control labels, which the plugin
sets as HTML, are escaped first); only http(s) URLs become links.
"""

FOOTER = ('<footer class="gm-footer">Places: <a href="https://www.geonames.org/">GeoNames</a> '
          '(CC BY 4.0) · Boundaries: <a href="https://www.naturalearthdata.com/">Natural Earth</a> '
          "(public domain) · Made with geomap</footer>")

MAP_CSS = """
html, body { height: 100%; margin: 0; }
.folium-map.leaflet-container { background: #aecfe0; }
.leaflet-bottom { bottom: 20px; }
.gm-footer { position: absolute; left: 0; right: 0; bottom: 0; height: 20px; z-index: 1000;
  background: rgba(255,255,255,.9); font: 11px/20px system-ui, sans-serif; color: #444;
  text-align: center; border-top: 1px solid #ccc; }
.gm-footer a { color: #0b57a4; }
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
.gm-box { background: rgba(255,255,255,.94); padding: 6px 8px; border-radius: 4px;
  font: 12px/1.5 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.gm-box strong { display: block; margin-bottom: 2px; }
.gm-swatch { display: inline-block; width: 14px; height: 10px; margin-right: 6px;
  border: 1px solid rgba(0,0,0,.35); vertical-align: -1px; }
.gm-focus { animation: gm-pulse 1.2s ease-out 3; }
@keyframes gm-pulse { from { stroke-opacity: 1; } to { stroke-opacity: .2; } }
.gm-badge { display: inline-flex; align-items: center; justify-content: center; width: 18px;
  height: 18px; box-sizing: border-box; border-radius: 5px; border: 2px solid #fff; color: #fff;
  font: bold 11px/1 system-ui, sans-serif; box-shadow: 0 1px 3px rgba(0,0,0,.5); vertical-align: middle; }
.gm-event-icon .gm-badge { width: 22px; height: 22px; font-size: 12px; }
.gm-event-icon .gm-cluster { width: auto; min-width: 26px; height: 26px; padding: 0 4px;
  background: #37474f; border-radius: 13px; transform: translateX(calc(13px - 50%)); }
.gm-events label { display: block; white-space: nowrap; cursor: pointer; }
.gm-events .gm-badge { width: 16px; height: 16px; font-size: 10px; margin-right: 4px; box-shadow: none; }
.gm-events input[type=range] { width: 180px; display: block; margin: 2px 0; }
.gm-when { font-variant-numeric: tabular-nums; }
.gm-search input { width: 200px; padding: 4px 6px; border: 0; border-radius: 4px; font: 13px system-ui, sans-serif; }
.gm-search ul { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow-y: auto; }
.gm-search li { padding: 3px 6px; cursor: pointer; font: 13px/1.35 system-ui, sans-serif; }
.gm-search li:hover, .gm-search li.gm-active { background: #e3f2fd; }
.gm-search li .gm-muted { margin-left: 4px; }
.leaflet-control-layers-group-name { display: block; margin-top: 4px; text-transform: uppercase;
  font-size: 11px; letter-spacing: .05em; color: #555; }
.leaflet-control-layers-overlays { max-height: 60vh; overflow-y: auto; }
.leaflet-control-minimap { background: #aecfe0; }
.leaflet-control-minimap-toggle-display { background: #fff; width: 19px; height: 19px; }
.leaflet-control-minimap-toggle-display::before { content: ""; position: absolute; left: 5px; top: 5px;
  border: solid #333; border-width: 0 2px 2px 0; width: 5px; height: 5px; transform: rotate(45deg); }
"""

MAP_JS = r"""
// The page holds each article's data as geomap.render.map.article_data wrote it, and the rows of
// the places; gather them as the layers use them: passages [article, id, text], places with their
// marks [passage, start, end] and spellings (in the order first named), events quoting passages.
function gather(data) {
  "use strict";
  const passages = [], places = [], events = [], index = new Map();
  data.articles.forEach((part, article) => {
    const offset = passages.length;
    for (const [id, text] of part.p) passages.push([article, id, text]);
    for (const [key, marks, spellings] of part.l) {
      if (!index.has(key)) {
        index.set(key, places.length);
        places.push(Object.assign({}, data.places[key], {m: [], s: []}));
      }
      const place = places[index.get(key)];
      for (const [pi, start, end] of marks) place.m.push([offset + pi, start, end]);
      for (const s of spellings) if (!place.s.includes(s)) place.s.push(s);
    }
    for (const [type, date, pi, ...rest] of part.e) events.push([type, date, offset + pi, ...rest]);
  });
  for (const place of places) place.s.sort();
  return Object.assign({}, data, {articles: data.articles.map(part => part.a), passages, places,
                                  events});
}

function geomapInit(map, data) {
  "use strict";
  data = gather(data);
  const PASSAGES_SHOWN = 50;
  const POPUP = {maxWidth: 380, minWidth: 240, maxHeight: 320};
  const ARTICLES_LISTED = 200;  // more articles are found through the search box
  const SEARCH_RESULTS = 12;
  const TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  const TILES_CREDIT = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
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

  function esc(text) {  // for the layer control, which sets labels as HTML
    return String(text).replace(/[&<>"']/g, c => "&#" + c.charCodeAt(0) + ";");
  }

  // A control whose element is built once, so that it keeps its state when hidden and shown.
  function control(position, build) {
    const c = L.control({position: position});
    let box = null;
    c.onAdd = () => {
      if (box) return box;
      box = build();
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return c;
  }

  const countries = collection(data.countries.shapes.map(s => feature(s, data.countries.scale)));
  const regions = data.regions.features.map(f => feature(f.shape, data.regions.scale, f.properties));

  // --- base layers: offline outlines with country names; OpenStreetMap tiles only if chosen ---
  const offline = L.geoJSON(countries, {
    pane: "basemap", interactive: false,
    style: {color: "#8a8a8a", weight: 0.7, fillColor: "#f2efe6", fillOpacity: 1},
  }).addTo(map);
  const online = L.tileLayer(TILES, {maxZoom: 19, attribution: TILES_CREDIT});

  // Country names between zooms 4 and 9: the basemap has no tiles to say where we are.
  const labels = L.layerGroup(data.labels.map(([name, lat, lon]) => L.marker([lat, lon], {
    pane: "labels", interactive: false, keyboard: false,
    icon: L.divIcon({className: "gm-country-label", html: el("span", null, name), iconSize: null}),
  })));
  function showLabels() {
    const wanted = map.getZoom() >= 4 && map.getZoom() <= 9 && map.hasLayer(offline);
    if (wanted !== map.hasLayer(labels)) wanted ? labels.addTo(map) : labels.remove();
  }
  map.on("zoomend baselayerchange", showLabels);

  // --- regions: one choropleth of mentions, one of events, with their legend ---
  function regionLayer(count, colour, word) {
    return L.geoJSON(collection(regions.filter(f => f.properties[count] > 0)), {
      pane: "regions",
      style: f => ({color: "#7a3b10", weight: 1, opacity: 0.6,
                    fillColor: f.properties[colour], fillOpacity: 0.6}),
      onEachFeature: (f, layer) => layer.bindTooltip(regionTip(f.properties, count, word),
                                                     {sticky: true}),
    });
  }

  function regionTip(p, count, word) {
    const box = el("div", "gm-tip");
    box.append(el("strong", null, p.name), " ", el("span", "gm-muted", p.iso), el("br"),
               plural(p[count], word));
    return box;
  }

  const regionLayers = {mentions: regionLayer("count", "color", "mention"),
                        events: regionLayer("events", "ecolor", "event")};
  regionLayers.mentions.addTo(map);
  const LEGEND_TITLES = {mentions: "Mentions per region", events: "Events per region"};
  const legends = {};
  for (const key of Object.keys(regionLayers)) {
    legends[key] = control("bottomleft", () => {
      const box = el("div", "gm-box gm-legend");
      box.append(el("strong", null, LEGEND_TITLES[key]));
      for (const [label, colour] of data.legend[key]) {
        const swatch = el("i", "gm-swatch");
        swatch.style.background = colour;
        const row = el("div");
        row.append(swatch, label);
        box.append(row);
      }
      return box;
    });
  }
  // One choropleth at a time: showing one hides the other, and the legend follows.
  map.on("overlayadd overlayremove", e => {
    for (const key of Object.keys(regionLayers)) {
      if (e.layer !== regionLayers[key]) continue;
      const other = regionLayers[key === "mentions" ? "events" : "mentions"];
      if (e.type === "overlayadd") {
        // After the layer control has finished handling the click, so that it sees the removal.
        setTimeout(() => map.removeLayer(other));
        if (data.legend[key].length) legends[key].addTo(map);
      } else {
        legends[key].remove();
      }
    }
  });
  if (data.legend.mentions.length) legends.mentions.addTo(map);

  // --- places: clustered circles sized by mentions, popups quoting the passages ---
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
    if (article.u) {
      const original = el("a", "gm-original", "original ↗");
      original.href = article.u;
      original.target = "_blank";
      original.rel = "noopener noreferrer";
      cite.append(" · ", original);
    }
    return cite;
  }

  function quoted(pi, ranges) {
    const [ai, passageId, text] = data.passages[pi];
    const item = el("div", "gm-item");
    item.append(passageNode(text, ranges), citation(data.articles[ai], passageId));
    return item;
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
      if (place.l) box.append(el("div", "gm-muted", "Approximate point: the main town of its " + place.l));
      for (const [pi, ranges] of shown.slice(0, PASSAGES_SHOWN)) box.append(quoted(pi, ranges));
      if (shown.length > PASSAGES_SHOWN) {
        box.append(el("div", "gm-muted", "… and " + plural(shown.length - PASSAGES_SHOWN, "more passage")));
      }
      return box;
    };
  }

  function marker(placeIndex, articleIndex, style) {
    const place = data.places[placeIndex];
    const radius = 4 + Math.min(12, 2 * Math.sqrt(place.m.length));
    return L.circleMarker([place.y, place.x], Object.assign({radius: radius, weight: 1.5,
                                                            fillOpacity: 0.85}, style))
      .bindPopup(popup(placeIndex, articleIndex), POPUP)
      .bindTooltip(el("span", null, place.n));
  }

  const places = L.markerClusterGroup({maxClusterRadius: 45, chunkedLoading: true});
  places.addLayers(data.places.map(
    (p, i) => marker(i, undefined, {color: "#7f0000", fillColor: "#e53935"}))).addTo(map);

  const heat = L.heatLayer(data.places.map(p => [p.y, p.x, p.m.length]), {
    radius: 22, blur: 18, maxZoom: 10,
    max: data.places.reduce((most, p) => Math.max(most, p.m.length), 1) / 2});

  // --- events: one badge per type; the type boxes and the date range filter them ---
  const TYPES = data.types.map(([key, label, colour, glyph]) => ({key, label, colour, glyph}));

  function badge(type) {
    const b = el("span", "gm-badge", type.glyph);
    b.style.background = type.colour;
    return b;
  }

  // Events' dates as [first day, last day] ("2022-09" covers the month); null if undated.
  function span(date) {
    if (!date) return null;
    const [y, m, d] = date.split("-");
    if (d) return [date, date];
    if (m) return [date + "-01", date + "-31"];
    return [y + "-01-01", y + "-12-31"];
  }
  const spans = data.events.map(e => span(e[1]));
  const days = [...new Set(spans.filter(Boolean).map(s => s[0]))].sort();

  function eventPopup(index) {
    return () => {
      const [t, date, pi, , , names, ranges] = data.events[index];
      const type = TYPES[t];
      const box = el("div", "gm-popup gm-event");
      const title = el("h3");
      title.append(badge(type), " ", type.label);
      box.append(title, el("div", "gm-muted", [date || "undated", names.join(", ")]
                                                 .filter(Boolean).join(" · ")),
                 quoted(pi, ranges));
      return box;
    };
  }

  const eventMarkers = data.events.map((e, i) => L.marker([e[3], e[4]], {
    icon: L.divIcon({className: "gm-event-icon", html: badge(TYPES[e[0]]),
                     iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10]}),
    keyboard: false,
  }).bindPopup(eventPopup(i), POPUP).bindTooltip(el("span", null, TYPES[e[0]].label)));
  const events = L.markerClusterGroup({
    maxClusterRadius: 30, chunkedLoading: true,
    iconCreateFunction: c => L.divIcon({className: "gm-event-icon gm-event-cluster", iconSize: [26, 26],
                                        html: el("span", "gm-badge gm-cluster", c.getChildCount())}),
  });
  const filter = {types: new Set(TYPES.map((t, i) => i)), from: 0, to: days.length - 1,
                  undated: true};

  function eventShown(i) {
    if (!filter.types.has(data.events[i][0])) return false;
    const s = spans[i];
    if (!s) return filter.undated;
    return !days.length || (s[1] >= days[filter.from] && s[0] <= days[filter.to]);
  }

  function filterEvents() {
    events.clearLayers();
    events.addLayers(eventMarkers.filter((m, i) => eventShown(i)));
  }
  filterEvents();
  events.addTo(map);

  function checkbox(label, checked, onChange) {
    const row = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", () => onChange(box.checked));
    row.append(box, ...label);
    return row;
  }

  function slider(value, onInput) {
    const input = el("input");
    input.type = "range";
    input.min = 0;
    input.max = Math.max(0, days.length - 1);
    input.value = value;
    input.addEventListener("input", () => onInput(+input.value));
    return input;
  }

  const eventsPanel = control("bottomleft", () => {
    const box = el("div", "gm-box gm-events");
    box.append(el("strong", null, "Events"));
    const present = new Set(data.events.map(e => e[0]));
    TYPES.forEach((type, i) => {
      if (!present.has(i)) return;
      box.append(checkbox([badge(type), type.label], true, on => {
        on ? filter.types.add(i) : filter.types.delete(i);
        filterEvents();
      }));
    });
    if (days.length) {
      const when = el("div", "gm-when");
      const from = slider(0, v => { filter.from = Math.min(v, filter.to); update(); });
      const to = slider(days.length - 1, v => { filter.to = Math.max(v, filter.from); update(); });
      from.className = "gm-from";
      to.className = "gm-to";
      function update() {
        from.value = filter.from;
        to.value = filter.to;
        when.textContent = days[filter.from] + " – " + days[filter.to];
        filterEvents();
      }
      when.textContent = days[0] + " – " + days[days.length - 1];
      box.append(when, from, to, checkbox(["undated"], true, on => {
        filter.undated = on;
        filterEvents();
      }));
    }
    return box;
  });
  if (data.events.length) eventsPanel.addTo(map);
  map.on("overlayadd", e => { if (e.layer === events && data.events.length) eventsPanel.addTo(map); });
  map.on("overlayremove", e => { if (e.layer === events) eventsPanel.remove(); });

  // --- one layer per article, filled the first time it is shown ---
  const perArticle = data.articles.map(() => new Set());
  data.places.forEach((p, i) => p.m.forEach(([pi]) => perArticle[data.passages[pi][0]].add(i)));
  const articleLayers = data.articles.map((a, ai) => {
    const layer = L.featureGroup();
    layer.once("add", () => perArticle[ai].forEach(
      i => marker(i, ai, {color: "#0d47a1", fillColor: "#42a5f5"}).addTo(layer)));
    return layer;
  });

  // --- the grouped layer control ---
  const seen = new Map();
  const articleGroup = {};
  data.articles.forEach((a, ai) => {
    if (ai >= ARTICLES_LISTED) return;
    let name = a.t.length > 60 ? a.t.slice(0, 59).trimEnd() + "…" : a.t;
    if (a.d) name += " (" + a.d + ")";
    const n = (seen.get(name) || 0) + 1;
    seen.set(name, n);
    articleGroup[esc(n > 1 ? name + " [" + n + "]" : name)] = articleLayers[ai];
  });
  const overlays = {
    "Regions": {"Mentions per region": regionLayers.mentions,
                "Events per region": regionLayers.events},
    "Places": {"Places": places, "Heat map": heat},
    "Events": {"Events": events},
    "Articles": articleGroup,
  };
  L.control.groupedLayers({"Countries (offline)": offline, "OpenStreetMap (online)": online},
                          overlays, {collapsed: true}).addTo(map);

  // --- search: places (by name or spelling in the text) and articles (by title) ---
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  let searchIndex = null;
  function entries() {
    if (searchIndex) return searchIndex;
    searchIndex = [];
    data.places.forEach((p, i) => [p.n, ...p.s].forEach(
      name => searchIndex.push({key: fold(name), label: name, kind: "place", i: i})));
    data.articles.forEach((a, i) => searchIndex.push({key: fold(a.t), label: a.t, kind: "article", i: i}));
    return searchIndex;
  }

  function search(query) {
    const q = fold(query.trim());
    if (!q) return [];
    const found = [], places = new Set();
    for (const rank of [0, 1]) {
      for (const e of entries()) {
        const at = e.key.indexOf(q);
        if (at < 0 || (rank === 0) !== (at === 0)) continue;
        if (e.kind === "place" && places.has(e.i)) continue;
        if (e.kind === "place") places.add(e.i);
        found.push(e);
        if (found.length >= SEARCH_RESULTS) return found;
      }
    }
    return found;
  }

  function go(entry) {
    if (entry.kind === "place") {
      const p = data.places[entry.i];
      focusOn(p.y, p.x, data.zooms[p.f] || 11, true);
      return;
    }
    const layer = articleLayers[entry.i];
    if (!map.hasLayer(layer)) layer.addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, {padding: [40, 40], maxZoom: 9});
  }

  control("topleft", () => {
    const box = el("div", "gm-box gm-search");
    const input = el("input");
    input.type = "search";
    input.placeholder = "Search places and articles";
    input.setAttribute("aria-label", "Search places and articles");
    const list = el("ul");
    let results = [];
    function choose(entry) {
      input.value = entry.label;
      list.replaceChildren();
      go(entry);
    }
    input.addEventListener("input", () => {
      results = search(input.value);
      list.replaceChildren(...results.map(entry => {
        const item = el("li", null, entry.label);
        const place = entry.kind === "place" ? data.places[entry.i] : null;
        const note = place ? (place.n !== entry.label ? place.n + ", " : "") +
                             (FEATURES[place.f] || place.f) : "article";
        item.append(el("span", "gm-muted", note));
        item.addEventListener("click", () => choose(entry));
        return item;
      }));
    });
    input.addEventListener("keydown", e => {
      if (e.key === "Enter" && results.length) choose(results[0]);
      if (e.key === "Escape") list.replaceChildren();
    });
    box.append(input, list);
    return box;
  }).addTo(map);

  L.control.fullscreen({position: "topleft"}).addTo(map);
  // For scripts and tests: the layers by name.
  map.geomap = {offline, online, regions: regionLayers, places, heat, events, articles: articleLayers};
  new L.Control.MiniMap(L.geoJSON(countries, {
    interactive: false, style: {color: "#8a8a8a", weight: 0.5, fillColor: "#f2efe6", fillOpacity: 1},
  }), {position: "bottomright", toggleDisplay: true, width: 150, height: 120,
       zoomLevelOffset: -5}).addTo(map);

  // #lat/lon/zoom (as the article pages link here) sets the view and rings the spot.
  let focus = null;
  function focusOn(lat, lon, zoom, animate) {
    zoom = Math.max(map.getMinZoom(), Math.min(zoom, map.getMaxZoom()));
    map.setView([lat, lon], zoom, {animate: animate});
    if (focus) focus.remove();
    focus = L.circleMarker([lat, lon], {radius: 18, color: "#1565c0", weight: 3, fill: false,
                                        interactive: false, className: "gm-focus"}).addTo(map);
  }

  function applyHash(event) {
    const m = /^#(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(location.hash);
    if (!m || Math.abs(+m[1]) > 90 || Math.abs(+m[2]) > 180) return false;
    focusOn(+m[1], +m[2], +m[3], Boolean(event));
    return true;
  }
  window.addEventListener("hashchange", applyHash);
  map.whenReady(showLabels);
  if (!applyHash() && data.bounds) {
    map.fitBounds(data.bounds, {paddingTopLeft: [240, 60], paddingBottomRight: [60, 40], maxZoom: 7,
                                animate: false});
  }
}
"""
