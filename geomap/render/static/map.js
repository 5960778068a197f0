// The map page's own script. geomapInit(map, data) builds every layer and control from the JSON
// data block geomap.render.map.MapAssembly writes: the offline basemap (and an online one, off by
// default), regions shaded by mentions and by events, clustered places, a heat map, events by type
// with a time slider, one layer per article, a grouped layer control, search, fullscreen and a
// minimap. Article text only ever reaches the page through textContent and text nodes (labels of
// the layer control, which the plugin sets as HTML, are escaped first); the links it makes from the
// data lead only to the articles' reader pages. The functions before geomapInit work on the data
// alone (tests/test_map_js.py runs them).
/* exported geomapInit */
"use strict";

// --- the data ---------------------------------------------------------------------------------

// The page holds each article's data as geomap.render.map.article_data wrote it, and the rows of
// the places; gather them as the layers use them: passages [article, id, text], places with their
// marks [passage, start, end] and spellings (sorted), events quoting passages.
function gather(data) {
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

// The places of each article of gathered data, as sets of place indexes in order.
function articlePlaces(data) {
  const perArticle = data.articles.map(() => new Set());
  data.places.forEach((p, i) => p.m.forEach(([pi]) => perArticle[data.passages[pi][0]].add(i)));
  return perArticle;
}

// A place's marks grouped by passage: [[passageIndex, [[start, end], ...]], ...].
function passageHits(marks) {
  const out = [];
  for (const [pi, s, e] of marks) {
    const last = out[out.length - 1];
    if (last && last[0] === pi) last[1].push([s, e]); else out.push([pi, [[s, e]]]);
  }
  return out;
}

// Boundaries come as rings of varints (see geomap.render.basemap.encode_ring): [[lon, lat], ...].
const RING_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const RING_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < RING_DIGITS.length; i++) RING_DIGIT[RING_DIGITS.charCodeAt(i)] = i;

function decodeRing(text, scale) {
  const points = [];
  let x = 0, y = 0, z = 0, factor = 1, first = true;
  for (let i = 0; i < text.length; i++) {
    const c = RING_DIGIT[text.charCodeAt(i)];
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

// --- the date filter of the events ---

// An event's date as [first day, last day] ("2022-09" covers the month); null if undated.
function dateSpan(date) {
  if (!date) return null;
  const [y, m, d] = date.split("-");
  if (d) return [date, date];
  if (m) return [date + "-01", date + "-31"];
  return [y + "-01-01", y + "-12-31"];
}

// The first days of the dated spans, each once, in order: the steps of the date sliders.
function spanDays(spans) {
  return [...new Set(spans.filter(Boolean).map(s => s[0]))].sort();
}

// Whether an event of type `type` over `span` (dateSpan) passes the filter: its type is among
// filter.types and its span meets days[filter.from] .. days[filter.to]; if undated, filter.undated.
function eventShown(type, span, filter, days) {
  if (!filter.types.has(type)) return false;
  if (!span) return filter.undated;
  return !days.length || (span[1] >= days[filter.from] && span[0] <= days[filter.to]);
}

// --- labels, search and links ---

function escapeHtml(text) {  // for the layer control, which sets labels as HTML
  return String(text).replace(/[&<>"']/g, c => "&#" + c.charCodeAt(0) + ";");
}

// The layer control's labels of the first `limit` articles: titles cut at 60 characters, with
// their date; a label met again gets its count ("[2]").
function articleLabels(articles, limit) {
  const seen = new Map();
  return articles.slice(0, limit).map(a => {
    let name = a.t.length > 60 ? a.t.slice(0, 59).trimEnd() + "…" : a.t;
    if (a.d) name += " (" + a.d + ")";
    const n = (seen.get(name) || 0) + 1;
    seen.set(name, n);
    return n > 1 ? name + " [" + n + "]" : name;
  });
}

function foldText(text) {  // lower case, without accents
  return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

// What the search box finds: places by name and by each spelling, articles by title.
function searchEntries(data) {
  const entries = [];
  data.places.forEach((p, i) => [p.n, ...p.s].forEach(
    name => entries.push({key: foldText(name), label: name, kind: "place", i: i})));
  data.articles.forEach((a, i) => entries.push({key: foldText(a.t), label: a.t, kind: "article", i: i}));
  return entries;
}

// At most `limit` entries holding `query`: those starting with it first, each place once.
function searchFor(entries, query, limit) {
  const q = foldText(query.trim());
  if (!q) return [];
  const found = [], places = new Set();
  for (const rank of [0, 1]) {
    for (const e of entries) {
      const at = e.key.indexOf(q);
      if (at < 0 || (rank === 0) !== (at === 0)) continue;
      if (e.kind === "place" && places.has(e.i)) continue;
      if (e.kind === "place") places.add(e.i);
      found.push(e);
      if (found.length >= limit) return found;
    }
  }
  return found;
}

// The view a link asks for, "#lat/lon/zoom", as [lat, lon, zoom]; null if there is none.
function parseHash(hash) {
  const m = /^#(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(hash);
  if (!m || Math.abs(+m[1]) > 90 || Math.abs(+m[2]) > 180) return null;
  return [+m[1], +m[2], +m[3]];
}

// --- the page ---------------------------------------------------------------------------------

function geomapInit(map, data) {
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

  function feature(shape, scale, properties) {
    return {type: "Feature", properties: properties || {}, geometry: {
      type: "MultiPolygon", coordinates: shape.map(rings => rings.map(r => decodeRing(r, scale)))}};
  }

  function collection(features) { return {type: "FeatureCollection", features: features}; }

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
  const hits = data.places.map(p => passageHits(p.m));

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

  const spans = data.events.map(e => dateSpan(e[1]));
  const days = spanDays(spans);

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

  function filterEvents() {
    events.clearLayers();
    events.addLayers(eventMarkers.filter((m, i) => eventShown(data.events[i][0], spans[i], filter,
                                                               days)));
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
  const perArticle = articlePlaces(data);
  const articleLayers = data.articles.map((a, ai) => {
    const layer = L.featureGroup();
    layer.once("add", () => perArticle[ai].forEach(
      i => marker(i, ai, {color: "#0d47a1", fillColor: "#42a5f5"}).addTo(layer)));
    return layer;
  });

  // --- the grouped layer control ---
  const articleGroup = {};
  articleLabels(data.articles, ARTICLES_LISTED).forEach(
    (label, ai) => { articleGroup[escapeHtml(label)] = articleLayers[ai]; });
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
  let entries = null;  // made at the first search
  function search(query) {
    entries = entries || searchEntries(data);
    return searchFor(entries, query, SEARCH_RESULTS);
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
    const view = parseHash(location.hash);
    if (view) focusOn(...view, Boolean(event));
    return Boolean(view);
  }
  window.addEventListener("hashchange", applyHash);
  map.whenReady(showLabels);
  if (!applyHash() && data.bounds) {
    map.fitBounds(data.bounds, {paddingTopLeft: [240, 60], paddingBottomRight: [60, 40], maxZoom: 7,
                                animate: false});
  }
}
