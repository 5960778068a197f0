// The map page's own script. geomapInit(map, data) builds every layer and control from the JSON
// data block geomap.render.map.MapAssembly writes: the offline basemap (and an online one, off by
// default), regions shaded by mentions or by events, clustered towns with their names beside them,
// countries and regions named as outlined areas, a heat map, events by type with a time slider,
// one layer per article in its own colour, a grouped layer control, search, fullscreen and a
// minimap. A spot's popup holds what happened there and what was said there. Article text only
// ever reaches the page through textContent and text nodes (labels of the layer control, which the
// plugin sets as HTML, are escaped first); the links it makes from the data lead only to the
// articles' reader pages. The functions before geomapInit work on the data
// alone (tests/render/test_map_js.py runs them). A large map is split: the columns only a popup
// shows (the passages' text ...) come after the page, from chunk files that call geomapChunk.
/* exported geomapInit, geomapChunk */
"use strict";

// --- the data ---------------------------------------------------------------------------------

// The records of a table of the data block, whose columns are named as the fields of their kind
// of record in geomap.render.records ({lat: [...], lon: [...]}): [{lat, lon}, ...].
function records(table) {
  const names = Object.keys(table), rows = new Array(rowCount(table));
  for (let i = 0; i < rows.length; i++) {
    const row = {};
    for (const name of names) row[name] = table[name][i];
    rows[i] = row;
  }
  return rows;
}

// The number of rows of a table of the data block.
function rowCount(table) {
  const first = Object.values(table)[0];
  return first ? first.length : 0;
}

// The page's tables of the articles' records from the data block's chunks (each the tables of
// some articles: articles, passages, mentions, spellings, events), which number their articles
// and passages from 0: the chunks' columns joined in order, the article and passage columns
// moved on by the rows of the chunks before.
function joinChunks(chunks) {
  const tables = {};
  const shift = {article: 0, passage: 0};
  for (const chunk of chunks) {
    for (const [name, table] of Object.entries(chunk)) {
      const joined = tables[name] || (tables[name] = {});
      for (const [field, column] of Object.entries(table)) {
        const into = joined[field] || (joined[field] = []);
        const by = shift[field] || 0;
        for (const value of column) into.push(by ? value + by : value);
      }
    }
    shift.article += rowCount(chunk.articles);
    shift.passage += rowCount(chunk.passages);
  }
  return tables;
}

// The row each chunk's records start at, in each table of the articles' records (as joinChunks
// joins them): [{articles, passages, mentions, spellings, events}, ...], one per chunk.
function chunkStarts(chunks) {
  const at = {};
  return chunks.map(chunk => {
    const start = {};
    for (const [name, table] of Object.entries(chunk)) {
      start[name] = at[name] || 0;
      at[name] = start[name] + rowCount(table);
    }
    return start;
  });
}

// Put the columns of chunk `number` a split map's chunk file holds (geomap.render.map.DEFERRED,
// tables as the page's chunks have them) into the records of gathered data (its articles,
// passages, mentions and events), from the rows the chunk starts at (data.starts). False, and
// nothing put, if a column has not as many rows as the page's chunk (a chunk file of another
// build of the map).
function fillChunk(data, number, tables) {
  const at = data.starts[number], next = data.starts[number + 1];
  const rows = name => (next ? next[name] : data[name].length) - at[name];
  if (!at || Object.entries(tables).some(([name, table]) => !Array.isArray(data[name]) ||
      Object.values(table).some(column => column.length !== rows(name)))) return false;
  for (const [name, table] of Object.entries(tables)) {
    for (const [field, column] of Object.entries(table)) {
      column.forEach((value, i) => { data[name][at[name] + i][field] = value; });
    }
  }
  return true;
}

// The chunk holding row `row` of the table `name`, by the rows the chunks start at (chunkStarts).
function chunkOf(starts, name, row) {
  let low = 0, high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid][name] <= row) low = mid; else high = mid - 1;
  }
  return low;
}

// What receives the chunk files' columns (set by geomapInit for a split map).
let chunkReceiver = null;

// Called by each chunk file of a split map (geomap.render.map.chunks) with its columns.
function geomapChunk(number, tables) {
  if (chunkReceiver) chunkReceiver(number, tables);
}

// The data as the layers use it: its tables as records (articles, passages {article, id, text},
// events {type, date, passage, lat, lon, places, spans}, types {name, label, colour, glyph}, the
// legends' shades {label, colour}, the countries' labels {name, lat, lon}; the fields of
// geomap.render.records), and the places named, in the order they are first mentioned, each
// with its mentions ({place, passage, start, end}) and other spellings (sorted).
function gather(data) {
  const joined = joinChunks(data.chunks);
  const table = name => records(joined[name] || {});
  const rows = new Map(records(data.places).map(p => [p.key, p]));
  const places = [], index = new Map(), mentions = table("mentions");
  for (const mention of mentions) {
    if (!index.has(mention.place)) {
      index.set(mention.place, places.length);
      places.push(Object.assign({}, rows.get(mention.place), {mentions: [], spellings: []}));
    }
    places[index.get(mention.place)].mentions.push(mention);
  }
  for (const spelling of table("spellings")) {
    const place = places[index.get(spelling.place)];
    if (!place.spellings.includes(spelling.text)) place.spellings.push(spelling.text);
  }
  for (const place of places) place.spellings.sort();
  return Object.assign({}, data, {
    articles: table("articles"), passages: table("passages"), places, events: table("events"),
    mentions, starts: chunkStarts(data.chunks),
    types: records(data.types), labels: records(data.labels),
    legend: {mentions: records(data.legend.mentions), events: records(data.legend.events)}});
}

// The places of each article of gathered data, as sets of place indexes in order.
function articlePlaces(data) {
  const perArticle = data.articles.map(() => new Set());
  data.places.forEach((p, i) => p.mentions.forEach(
    m => perArticle[data.passages[m.passage].article].add(i)));
  return perArticle;
}

// A place's mentions grouped by passage: [{passage, ranges: [[start, end], ...]}, ...].
function passageHits(mentions) {
  const out = [];
  for (const m of mentions) {
    const last = out[out.length - 1];
    if (last && last.passage === m.passage) last.ranges.push([m.start, m.end]);
    else out.push({passage: m.passage, ranges: [[m.start, m.end]]});
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

// --- where things are: places and events at one spot ---

// The key of a spot: its coordinates to about 10 m.
function siteKey(lat, lon) {
  return lat.toFixed(4) + "/" + lon.toFixed(4);
}

// Places and events by spot: siteKey -> {places: [index, ...], events: [index, ...]}, so that one
// click at a town shows what was said there and what happened there.
function sitesOf(data) {
  const sites = new Map();
  function at(lat, lon) {
    const key = siteKey(lat, lon);
    if (!sites.has(key)) sites.set(key, {places: [], events: []});
    return sites.get(key);
  }
  data.places.forEach((p, i) => at(p.lat, p.lon).places.push(i));
  data.events.forEach((e, i) => at(e.lat, e.lon).events.push(i));
  return sites;
}

// The places that get a name label, most worth naming first: towns and other points (not
// the kinds drawn as their outline: countries and regions, whose area is shaded), by mentions,
// then population, then name.
function labelOrder(places, kinds) {
  return places.map((p, i) => i).filter(i => !(kinds[places[i].feature] || {}).outline)
    .sort((a, b) => places[b].mentions.length - places[a].mentions.length ||
      (places[b].population || 0) - (places[a].population || 0) ||
      (places[a].name < places[b].name ? -1 : places[a].name > places[b].name ? 1 : a - b));
}

// Which of `boxes` ([left, top, right, bottom], in order of importance) to show so that none
// overlaps another or one of `taken` (boxes already drawn): each in turn unless it meets one
// already kept; at most `limit`. The indexes of those kept.
function placeLabels(boxes, limit, taken) {
  const kept = [], held = (taken || []).slice();
  for (let k = 0; k < boxes.length && kept.length < limit; k++) {
    const [l, t, r, b] = boxes[k];
    if (!held.some(h => l < h[2] && h[0] < r && t < h[3] && h[1] < b)) {
      kept.push(k);
      held.push(boxes[k]);
    }
  }
  return kept;
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

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];

// When an event happened as the map says and filters it: its own date (a month or a year is a
// span: "in September 2022", "in 2014"); else its article's publication date, "reported on";
// else undated. {span, text, reported}.
function eventWhen(date, published) {
  if (date) {
    const [y, m, d] = date.split("-");
    const text = d ? date : m ? "in " + MONTHS[+m - 1] + " " + y : "in " + y;
    return {span: dateSpan(date), text: text, reported: false};
  }
  if (published) return {span: dateSpan(published), text: "reported on " + published, reported: true};
  return {span: null, text: "undated", reported: false};
}

// The steps of the date sliders: the days events are dated to (or reported on), each once, in
// order; the first days of months and years only if no event has a day.
function spanDays(spans) {
  const dated = spans.filter(Boolean);
  const days = dated.filter(s => s[0] === s[1]);
  return [...new Set((days.length ? days : dated).map(s => s[0]))].sort();
}

// Whether an event of type `type` over `span` (dateSpan) passes the filter: its type is among
// filter.types and its span meets days[filter.from] .. days[filter.to], a slider at its end
// leaving that side open (so a month or a year before the first day is shown until the range is
// narrowed); if undated, filter.undated.
function eventShown(type, span, filter, days) {
  if (!filter.types.has(type)) return false;
  if (!span) return filter.undated;
  if (!days.length) return true;
  const from = filter.from > 0 ? days[filter.from] : "";
  const to = filter.to < days.length - 1 ? days[filter.to] : "\uffff";
  return span[1] >= from && span[0] <= to;
}

// The events of each day of `days` by type, for the timeline: [[[type, count], ...], ...] (types
// in order); an event dated to a month or a year spans too many days to count in one.
function eventsPerDay(spans, types, days) {
  const step = new Map(days.map((d, k) => [d, k]));
  const counts = days.map(() => new Map());
  spans.forEach((span, i) => {
    if (!span || span[0] !== span[1] || !step.has(span[0])) return;
    const day = counts[step.get(span[0])];
    day.set(types[i], (day.get(types[i]) || 0) + 1);
  });
  return counts.map(day => [...day.entries()].sort((a, b) => a[0] - b[0]));
}

// --- labels, search and links ---

function escapeHtml(text) {  // for the layer control, which sets labels as HTML
  return String(text).replace(/[&<>"']/g, c => "&#" + c.charCodeAt(0) + ";");
}

// A colour per article, from a qualitative palette (Tableau 10), repeating after ten.
const ARTICLE_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                         "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
function articleColour(index) {
  return ARTICLE_COLOURS[index % ARTICLE_COLOURS.length];
}

// The layer control's labels of the first `limit` articles: the title (the file name where the
// article has none) cut at 60 characters, with its date; a label met again gets its count ("[2]").
function articleLabels(articles, limit) {
  const seen = new Map();
  return articles.slice(0, limit).map(a => {
    const title = a.file || a.title;
    let name = title.length > 60 ? title.slice(0, 59).trimEnd() + "…" : title;
    if (a.published) name += " (" + a.published + ")";
    const n = (seen.get(name) || 0) + 1;
    seen.set(name, n);
    return n > 1 ? name + " [" + n + "]" : name;
  });
}

function foldText(text) {  // lower case, without accents and apostrophes
  return String(text).normalize("NFD").replace(/[\u0300-\u036f'’ʼ`]/g, "").toLowerCase();
}

// What the search box finds: places by name, by each spelling in the text and by their other
// names (Artemivsk for Bakhmut), articles by title and file name.
function searchEntries(data) {
  const entries = [];
  data.places.forEach((p, i) => [p.name, ...p.spellings, ...(p.other_names || [])].forEach(
    name => entries.push({key: foldText(name), label: name, kind: "place", i: i})));
  data.articles.forEach((a, i) => [a.title, a.file].filter(Boolean).forEach(
    name => entries.push({key: foldText(name), label: name, kind: "article", i: i})));
  return entries;
}

// At most `limit` entries holding `query`: those starting with it first, each place and each
// article once.
function searchFor(entries, query, limit) {
  const q = foldText(query.trim());
  if (!q) return [];
  const found = [], seen = new Set();
  for (const rank of [0, 1]) {
    for (const e of entries) {
      const at = e.key.indexOf(q);
      if (at < 0 || (rank === 0) !== (at === 0)) continue;
      if (seen.has(e.kind + e.i)) continue;
      seen.add(e.kind + e.i);
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
  const EVENTS_SHOWN = 30;
  const POPUP = {maxWidth: 380, minWidth: 240, maxHeight: 320};
  const ARTICLES_LISTED = 200;  // more articles are found through the search box
  const SEARCH_RESULTS = 12;
  const LABELS_SHOWN = 150;  // place names drawn at once, at most
  const LABEL_FONT = "600 12px system-ui, sans-serif";
  const NARROW = window.matchMedia("(max-width: 600px)").matches;  // a phone: panels start folded
  const TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  const TILES_CREDIT = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

  // The first view, set before any layer is added: the view a link asks for (#lat/lon/zoom, see
  // applyHash), else around the places. The clustered marks are added in chunks, on timers, and
  // a change of zoom while they are being added breaks their clusters (a script error).
  const linked = parseHash(location.hash);
  if (linked) {
    setViewAt(...linked, false);
  } else if (data.bounds) {
    map.fitBounds(data.bounds, {paddingTopLeft: NARROW ? [20, 60] : [240, 60],
                                paddingBottomRight: [60, 40], maxZoom: 7, animate: false});
  }

  function setViewAt(lat, lon, zoom, animate) {
    zoom = Math.max(map.getMinZoom(), Math.min(zoom, map.getMaxZoom()));
    map.setView([lat, lon], zoom, {animate: animate});
  }

  // A kind of place (a place's feature): its label and zoom, from the data's table of kinds.
  function kind(feature) { return data.kinds[feature] || {label: feature, zoom: 11}; }

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

  // Boundaries projected cheaply. At each change of zoom Leaflet projects every vertex of every
  // outline (the basemap's ~190,000, the minimap's, the named areas') through the map's
  // projection, a point object each, then drops those within a pixel of the one before and
  // those off the view as it draws them. An Outline keeps each ring's points at zoom 0 and
  // their box (projected once, shared by every layer drawing the ring: a ring is known by its
  // first vertex, the same LatLng in each), scales them to the zoom, keeps only the points
  // Leaflet would draw, and leaves out the rings away from the view (more than a view's size
  // off it): once the map moves that far, it projects them anew.
  const ringPoints = new WeakMap();
  function pointsAtZoom0(ring, crs) {
    let zoom0 = ringPoints.get(ring[0]);
    if (!zoom0) {
      const xy = new Float64Array(2 * ring.length), box = L.bounds([]);
      ring.forEach((ll, k) => {
        const p = crs.latLngToPoint(ll, 0);
        [xy[2 * k], xy[2 * k + 1]] = [p.x, p.y];
        box.extend(p);
      });
      zoom0 = {xy, box};
      ringPoints.set(ring[0], zoom0);
    }
    return zoom0;
  }

  const Outline = L.Polygon.extend({
    _project() {
      const size = this._map.getSize();
      this._near = L.bounds(this._map.containerPointToLayerPoint(size.multiplyBy(-1)),
                            this._map.containerPointToLayerPoint(size.multiplyBy(2)));
      L.Polygon.prototype._project.call(this);
    },

    _update() {
      if (this._map && !this._near.contains(this._renderer._bounds)) this._project();
      L.Polygon.prototype._update.call(this);
    },

    _projectLatlngs(latlngs, result, bounds) {
      if (!(latlngs[0] instanceof L.LatLng)) {
        for (const part of latlngs) this._projectLatlngs(part, result, bounds);
        return;
      }
      const map = this._map, crs = map.options.crs, {xy, box} = pointsAtZoom0(latlngs, crs);
      const k = crs.scale(map.getZoom()) / crs.scale(0), origin = map.getPixelOrigin();
      const points = [];
      result.push(points);
      if (!this._near.intersects([box.min.multiplyBy(k).subtract(origin),
                                  box.max.multiplyBy(k).subtract(origin)])) return;
      const tolerance = this.options.smoothFactor ** 2, end = xy.length - 2;
      let lastX = 0, lastY = 0, left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
      for (let i = 0; i <= end; i += 2) {
        const x = Math.round(xy[i] * k) - origin.x, y = Math.round(xy[i + 1] * k) - origin.y;
        if (i > 0 && i < end && (x - lastX) ** 2 + (y - lastY) ** 2 <= tolerance) continue;
        points.push(L.point(x, y));
        [lastX, lastY] = [x, y];
        [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x),
                                      Math.max(bottom, y)];
      }
      bounds.extend(L.bounds([left, top], [right, bottom]));
    },
  });

  // A layer of the outlines of `features` (MultiPolygons), each with the options `options(f)`
  // gives its feature and handed to `each`; every layer drawing a feature shares its vertices.
  const latLngsOf = new WeakMap();
  function outlineLayer(features, options, each) {
    return L.featureGroup(features.map(f => {
      if (!latLngsOf.has(f)) latLngsOf.set(f, L.GeoJSON.coordsToLatLngs(f.geometry.coordinates, 2));
      const layer = new Outline(latLngsOf.get(f), options(f));
      layer.feature = f;
      if (each) each(f, layer);
      return layer;
    }));
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

  // A panel that folds to its title (folded at first on a phone).
  function panel(className, title) {
    const box = el("details", "gm-box " + className);
    box.open = !NARROW;
    box.append(el("summary", null, title));
    return box;
  }

  const countryFeatures = data.countries.shapes.map(s => feature(s, data.countries.scale));
  const regions = data.regions.features.map(f => feature(f.shape, data.regions.scale, f.properties));

  if (!data.articles.length) {
    control("topright", () => el("div", "gm-box gm-empty",
      "No articles yet: put .txt, .md or .html files in the articles folder and build again."))
      .addTo(map);
  }

  // --- base layers: offline outlines with country names; OpenStreetMap tiles only if chosen ---
  const offline = outlineLayer(countryFeatures, () => ({
    pane: "basemap", interactive: false,
    color: "#8a8a8a", weight: 0.7, fillColor: "#f2efe6", fillOpacity: 1,
  })).addTo(map);
  const online = L.tileLayer(TILES, {maxZoom: 19, attribution: TILES_CREDIT});

  // Country names between zooms 4 and 9: the basemap has no tiles to say where we are.
  const labels = L.layerGroup(data.labels.map(label => L.marker([label.lat, label.lon], {
    pane: "labels", interactive: false, keyboard: false,
    icon: L.divIcon({className: "gm-country-label", html: el("span", null, label.name),
                     iconSize: null}),
  })));
  function showLabels() {
    const wanted = map.getZoom() >= 4 && map.getZoom() <= 9 && map.hasLayer(offline);
    if (wanted !== map.hasLayer(labels)) wanted ? labels.addTo(map) : labels.remove();
  }
  map.on("zoomend baselayerchange", showLabels);

  // --- regions: shaded by mentions, by events, or not at all; the legend follows ---
  // Fills fade as the map zooms in on towns; the legend's swatches are drawn as the fills are.
  const fillOpacity = () => map.getZoom() >= 9 ? 0.3 : 0.6;
  function regionLayer(count, colour, word) {
    return outlineLayer(regions.filter(f => f.properties[count] > 0), f => ({
      pane: "regions", color: "#7a3b10", weight: 1, opacity: 0.6,
      fillColor: f.properties[colour], fillOpacity: fillOpacity(),
    }), (f, layer) => layer.bindTooltip(regionTip(f.properties, count, word), {sticky: true}));
  }

  function regionTip(p, count, word) {
    const box = el("div", "gm-tip");
    box.append(el("strong", null, p.name), " ", el("span", "gm-muted", p.iso), el("br"),
               plural(p[count], word));
    return box;
  }

  const regionLayers = {mentions: regionLayer("count", "color", "mention"),
                        events: regionLayer("events", "ecolor", "event"),
                        none: L.layerGroup()};
  regionLayers.mentions.addTo(map);
  const LEGEND_TITLES = {mentions: "Mentions per region", events: "Events per region"};
  const legends = {};
  for (const key of ["mentions", "events"]) {
    legends[key] = control("bottomleft", () => {
      const box = panel("gm-legend", LEGEND_TITLES[key]);
      for (const shade of data.legend[key]) {
        const swatch = el("i", "gm-swatch");
        const fill = el("b");
        fill.style.background = shade.colour;
        fill.style.opacity = fillOpacity();
        swatch.append(fill);
        const row = el("div");
        row.append(swatch, shade.label);
        box.append(row);
      }
      return box;
    });
    regionLayers[key].on("add", () => { if (data.legend[key].length) legends[key].addTo(map); });
    regionLayers[key].on("remove", () => legends[key].remove());
  }
  if (data.legend.mentions.length) legends.mentions.addTo(map);
  // Restyled only when the fill changes (each region's path is set anew).
  function fadeFills() {
    const opacity = fillOpacity();
    for (const layer of [regionLayers.mentions, regionLayers.events]) {
      if (layer.getLayers().some(f => f.options.fillOpacity !== opacity)) layer.setStyle({fillOpacity: opacity});
    }
    for (const fill of map.getContainer().querySelectorAll(".gm-swatch b")) {
      fill.style.opacity = fillOpacity();
    }
  }
  map.on("zoomend overlayadd", fadeFills);

  // --- what was said and what happened at a spot, in one popup ---
  const sites = sitesOf(data);
  const TYPES = data.types;
  const when = data.events.map(
    e => eventWhen(e.date, data.articles[data.passages[e.passage].article].published));
  const spans = when.map(w => w.span);
  const days = spanDays(spans);
  const filter = {types: new Set(TYPES.map((t, i) => i)), from: 0, to: days.length - 1,
                  undated: true};

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
    const link = el("a", null, article.title);
    link.href = article.href + (passageId ? "#" + encodeURIComponent(passageId) : "");
    cite.append(link);
    const meta = [article.source, article.published].filter(Boolean).join(", ");
    if (meta) cite.append(" — " + meta);
    if (article.url) {
      const original = el("a", "gm-original", "original ↗");
      original.href = article.url;
      original.target = "_blank";
      original.rel = "noopener noreferrer";
      cite.append(" · ", original);
    }
    return cite;
  }

  // A split map's chunk files: loaded after the page is shown, those a popup waits for first;
  // the open popup is made again when a chunk it waits for comes.
  const chunkFiles = data.files || [];
  const chunkState = chunkFiles.map(() => "waiting");  // "loading", "loaded" or "failed"
  let popupWaits = new Set();  // the chunks the popup made last waits for
  let openPopup = null;

  // A passage quoted with its citation; if its chunk file is not in yet, a note saying so.
  function quoted(pi, ranges) {
    const passage = data.passages[pi];
    if (passage.text === undefined) {
      const n = chunkOf(data.starts, "passages", pi);
      popupWaits.add(n);
      wantChunk(n);
      return el("div", "gm-item gm-muted gm-pending", chunkState[n] === "failed"
        ? "This passage could not be read from " + chunkFiles[n] + ": build the map again."
        : "Loading this passage…");
    }
    const item = el("div", "gm-item");
    item.append(passageNode(passage.text, ranges),
                citation(data.articles[passage.article], passage.id));
    return item;
  }

  function badge(type) {
    const b = el("span", "gm-badge", type.glyph);
    b.style.background = type.colour;
    return b;
  }

  // "town in Kharkiv Oblast, Ukraine": the kind of place and the names of where it lies.
  function whereIs(place) {
    const within = [place.feature === "admin1" ? null : place.admin1,
                    place.feature === "country" ? null : place.country]
      .filter(Boolean).map(code => data.names[code] || code);
    const label = kind(place.feature).label;
    return within.length ? label + " in " + within.join(", ") : label;
  }

  function placeSection(i, articleIndex) {
    const place = data.places[i];
    const shown = passageHits(place.mentions.filter(
      m => articleIndex === undefined || data.passages[m.passage].article === articleIndex));
    const box = el("div", "gm-place");
    box.append(el("h3", null, place.name),
               el("div", "gm-muted", whereIs(place) + " — " + plural(shown.length, "passage")));
    if (place.located) {
      box.append(el("div", "gm-muted", "Approximate point: the main town of its " + place.located));
    }
    for (const h of shown.slice(0, PASSAGES_SHOWN)) box.append(quoted(h.passage, h.ranges));
    if (shown.length > PASSAGES_SHOWN) {
      box.append(el("div", "gm-muted", "… and " + plural(shown.length - PASSAGES_SHOWN, "more passage")));
    }
    return box;
  }

  function eventItem(index) {
    const e = data.events[index], type = TYPES[e.type];
    const item = el("div", "gm-event");
    const title = el("h4");
    title.append(badge(type), " ", type.label);
    item.append(title, el("div", "gm-muted", [when[index].text, (e.places || []).join(", ")]
                                                .filter(Boolean).join(" · ")),
                quoted(e.passage, e.spans));
    return item;
  }

  // The popup of a spot: its events (the one clicked first; those the filter lets through),
  // then its places with the passages naming them; limited to one article's if `articleIndex`.
  function sitePopup(key, first, articleIndex) {
    return () => {
      popupWaits = new Set();
      const site = sites.get(key);
      const events = site.events.filter(i => (i === first.event || eventShown(
        data.events[i].type, spans[i], filter, days)) && (articleIndex === undefined ||
        data.passages[data.events[i].passage].article === articleIndex));
      events.sort((a, b) => (b === first.event) - (a === first.event) || a - b);
      const places = site.places.filter(i => articleIndex === undefined ||
        data.places[i].mentions.some(m => data.passages[m.passage].article === articleIndex));
      places.sort((a, b) => (b === first.place) - (a === first.place) || a - b);
      const box = el("div", "gm-popup");
      if (events.length) {
        if (places.length) box.append(el("div", "gm-section", "What happened here"));
        for (const i of events.slice(0, EVENTS_SHOWN)) box.append(eventItem(i));
        if (events.length > EVENTS_SHOWN) {
          box.append(el("div", "gm-muted", "… and " + plural(events.length - EVENTS_SHOWN, "more event")));
        }
        if (places.length) box.append(el("div", "gm-section", "What was said here"));
      }
      for (const i of places) box.append(placeSection(i, articleIndex));
      return box;
    };
  }

  // --- places: towns as circles sized by mentions, countries and regions as outlined areas ---
  const regionFeature = new Map(regions.map(f => [f.properties.iso, f]));
  const countryFeature = new Map();
  data.countries.codes.forEach((code, k) => {
    if (code && !countryFeature.has(code)) countryFeature.set(code, countryFeatures[k]);
  });
  const outlines = {countries: p => countryFeature.get(p.country),
                    regions: p => regionFeature.get(p.admin1)};
  const areaOf = data.places.map(
    p => kind(p.feature).outline ? outlines[kind(p.feature).outline](p) || null : null);

  function mark(i, articleIndex, colour, stroke) {
    const place = data.places[i];
    const key = siteKey(place.lat, place.lon);
    const content = sitePopup(key, {place: i}, articleIndex);
    if (areaOf[i]) {
      const count = articleIndex === undefined ? place.mentions.length
        : place.mentions.filter(m => data.passages[m.passage].article === articleIndex).length;
      const tag = el("span", "gm-area-badge");
      tag.style.borderColor = stroke;
      tag.append(el("b", null, count), " " + place.name);
      return L.featureGroup([
        outlineLayer([areaOf[i]], () => ({pane: "areas", interactive: false, color: stroke,
                                           weight: 1.5, dashArray: "5 4", fillColor: colour,
                                           fillOpacity: 0.06})),
        L.marker([place.lat, place.lon], {
          icon: L.divIcon({className: "gm-area", html: tag, iconSize: null}),
          title: place.name + ": " + plural(count, "mention"),
        }).bindPopup(content, POPUP),
      ]);
    }
    const radius = 4 + Math.min(12, 2 * Math.sqrt(place.mentions.length));
    return L.circleMarker([place.lat, place.lon], {radius: radius, weight: 1.5, fillOpacity: 0.85,
                                               color: stroke, fillColor: colour})
      .bindPopup(content, POPUP)
      .bindTooltip(() => el("span", null, place.name));
  }

  const towns = data.places.map((p, i) => i).filter(i => !areaOf[i]);
  const placeMarks = new Map(towns.map(i => [i, mark(i, undefined, "#e53935", "#7f0000")]));
  const places = L.markerClusterGroup({maxClusterRadius: 45, chunkedLoading: true,
                                       disableClusteringAtZoom: 9});
  // A cluster group off the map looks each mark added up among those waiting (time grows with
  // their square): the groups are put on the map first, then filled.
  places.addTo(map).addLayers([...placeMarks.values()]);
  const areas = L.featureGroup(data.places.map((p, i) => i).filter(i => areaOf[i])
    .map(i => mark(i, undefined, "#e53935", "#7f0000"))).addTo(map);

  const heat = L.heatLayer(towns.map(i => [data.places[i].lat, data.places[i].lon,
                                           data.places[i].mentions.length]), {
    radius: 22, blur: 18, maxZoom: 10,
    max: data.places.reduce((most, p) => Math.max(most, p.mentions.length), 1) / 2});

  // Town names beside their marks: the most mentioned (then most populous) first, none over
  // another, redrawn as the view changes.
  const names = L.layerGroup().addTo(map);
  const nameOrder = labelOrder(data.places, data.kinds);
  const measure = document.createElement("canvas").getContext("2d");
  measure.font = LABEL_FONT;
  const nameWidth = new Map();
  function drawNames() {
    names.clearLayers();
    if (!map.hasLayer(names) || map.getZoom() < 6) return;
    const view = map.getBounds().pad(0.05);
    const shown = nameOrder.filter(i => view.contains([data.places[i].lat, data.places[i].lon]));
    const boxes = shown.map(i => {
      const p = data.places[i];
      if (!nameWidth.has(i)) nameWidth.set(i, Math.ceil(measure.measureText(p.name).width) + 6);
      const at = map.latLngToContainerPoint([p.lat, p.lon]);
      const left = at.x + 5 + Math.min(12, 2 * Math.sqrt(p.mentions.length));
      return [left, at.y - 8, left + nameWidth.get(i), at.y + 8];
    });
    for (const k of placeLabels(boxes, LABELS_SHOWN, badgeBoxes())) {
      const p = data.places[shown[k]];
      const text = el("span", null, p.name);
      text.style.width = nameWidth.get(shown[k]) + "px";
      text.style.left = (boxes[k][0] - map.latLngToContainerPoint([p.lat, p.lon]).x) + "px";
      names.addLayer(L.marker([p.lat, p.lon], {
        pane: "placenames", interactive: false, keyboard: false,
        icon: L.divIcon({className: "gm-place-label", html: text, iconSize: null})}));
    }
  }
  // The badges of the countries and regions named are drawn already: names go around the boxes
  // they take at this view, as the browser lays them out (font, padding, border, the line they
  // sit on), with a pixel of air. Their place is worked out, not read off the screen: the cluster
  // groups' zoom animation moves every mark's icon by a CSS transition after the view is set.
  function badgeBoxes() {
    if (!map.hasLayer(areas)) return [];
    return areas.getLayers().map(group => {
      const marker = group.getLayers().find(layer => layer instanceof L.Marker);
      const badge = marker.getElement().firstChild, size = badge.getBoundingClientRect();
      const at = map.latLngToContainerPoint(marker.getLatLng());
      const left = at.x + badge.offsetLeft - size.width / 2;
      const top = at.y + badge.offsetTop - size.height / 2;
      return [left - 1, top - 1, left + size.width + 1, top + size.height + 1];
    });
  }
  map.on("zoomend moveend", drawNames);
  names.on("add", () => setTimeout(drawNames));

  // --- events: one badge per type beside the spot; the type boxes and the dates filter them ---
  // The badge sits up and to the right of its spot, so that a town's mark stays clickable.
  // One icon per type, shared by its events' marks, whose badge is made as a mark is drawn (not
  // for each of the events at once); their tooltips too are made when shown.
  const BadgeIcon = L.DivIcon.extend({
    createIcon(old) {
      this.options.html = badge(this.options.type);
      return L.DivIcon.prototype.createIcon.call(this, old);
    },
  });
  const typeIcons = TYPES.map(type => new BadgeIcon({
    className: "gm-event-icon", type: type, iconSize: [22, 22], iconAnchor: [-3, 31],
    popupAnchor: [14, -31]}));
  const eventMarkers = data.events.map((e, i) => L.marker([e.lat, e.lon], {
    icon: typeIcons[e.type], keyboard: false,
  }).bindPopup(sitePopup(siteKey(e.lat, e.lon), {event: i}), POPUP)
    .bindTooltip(() => el("span", null, TYPES[e.type].label + " · " + when[i].text)));
  const events = L.markerClusterGroup({
    maxClusterRadius: 30, chunkedLoading: true,
    iconCreateFunction: c => L.divIcon({className: "gm-event-icon gm-event-cluster", iconSize: [26, 26],
                                        iconAnchor: [-3, 35],
                                        html: el("span", "gm-badge gm-cluster", c.getChildCount())}),
  });

  function filterEvents() {
    events.clearLayers();
    events.addLayers(eventMarkers.filter((m, i) => eventShown(data.events[i].type, spans[i], filter,
                                                               days)));
  }
  events.addTo(map);
  filterEvents();

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

  // Events per day by type, as bars; dragging across them (or a click on one) sets the range.
  function timeline(onBrush) {
    const bars = el("div", "gm-timeline");
    bars.setAttribute("aria-label", "Events per day: drag to choose the days");
    const perDay = eventsPerDay(spans, data.events.map(e => e.type), days);
    const most = Math.max(1, ...perDay.map(day => day.reduce((n, [, c]) => n + c, 0)));
    perDay.forEach((day, k) => {
      const bar = el("div", "gm-bar");
      bar.title = days[k] + ": " + plural(day.reduce((n, [, c]) => n + c, 0), "event");
      for (const [t, count] of day) {
        const part = el("i");
        part.style.background = TYPES[t].colour;
        part.style.height = (36 * count / most) + "px";
        bar.append(part);
      }
      bars.append(bar);
    });
    const stepAt = x => {
      const box = bars.getBoundingClientRect();
      return Math.max(0, Math.min(days.length - 1, Math.floor((x - box.left) / box.width * days.length)));
    };
    let start = null;
    bars.addEventListener("pointerdown", e => {
      start = stepAt(e.clientX);
      bars.setPointerCapture(e.pointerId);
      onBrush([start, start]);
    });
    bars.addEventListener("pointermove", e => {
      if (start === null) return;
      const end = stepAt(e.clientX);
      onBrush([Math.min(start, end), Math.max(start, end)]);
    });
    bars.addEventListener("pointerup", () => { start = null; });
    bars.addEventListener("dblclick", () => onBrush([0, days.length - 1]));
    return bars;
  }

  const eventsPanel = control("bottomleft", () => {
    const box = panel("gm-events", "Events");
    const present = new Set(data.events.map(e => e.type));
    TYPES.forEach((type, i) => {
      if (!present.has(i)) return;
      box.append(checkbox([badge(type), type.label], true, on => {
        on ? filter.types.add(i) : filter.types.delete(i);
        filterEvents();
      }));
    });
    if (days.length) {
      const range = el("div", "gm-when");
      const from = slider(0, v => { filter.from = Math.min(v, filter.to); update(); });
      const to = slider(days.length - 1, v => { filter.to = Math.max(v, filter.from); update(); });
      from.className = "gm-from";
      to.className = "gm-to";
      from.setAttribute("aria-label", "From");
      to.setAttribute("aria-label", "To");
      const bars = timeline(picked => { [filter.from, filter.to] = picked; update(); });
      function update() {
        from.value = filter.from;
        to.value = filter.to;
        range.textContent = days[filter.from] + " – " + days[filter.to];
        [...bars.children].forEach((bar, k) => bar.classList.toggle(
          "gm-out", k < filter.from || k > filter.to));
        filterEvents();
      }
      range.textContent = days[0] + " – " + days[days.length - 1];
      box.append(bars, range, from, to);
      if (when.some(w => w.reported)) {
        box.append(el("div", "gm-muted gm-note", "Events the text does not date count from " +
                                                 "their article's date (“reported on”)."));
      }
    }
    if (spans.some(s => !s)) {
      box.append(checkbox(["undated"], true, on => {
        filter.undated = on;
        filterEvents();
      }));
    }
    return box;
  });
  if (data.events.length) eventsPanel.addTo(map);
  map.on("overlayadd", e => { if (e.layer === events && data.events.length) eventsPanel.addTo(map); });
  map.on("overlayremove", e => { if (e.layer === events) eventsPanel.remove(); });

  // --- one layer per article, in its own colour, filled the first time it is shown ---
  let perArticle = null;  // each article's places, found the first time a layer is shown
  const articleLayers = data.articles.map((a, ai) => {
    const layer = L.featureGroup();
    layer.once("add", () => (perArticle = perArticle || articlePlaces(data))[ai].forEach(
      i => mark(i, ai, articleColour(ai), "#263238").addTo(layer)));
    return layer;
  });

  // --- the grouped layer control ---
  const articleGroup = {};
  articleLabels(data.articles, ARTICLES_LISTED).forEach((label, ai) => {
    articleGroup['<i class="gm-dot" style="background:' + articleColour(ai) + '"></i>' +
                 escapeHtml(label)] = articleLayers[ai];
  });
  const overlays = {
    "Regions": {"Mentions per region": regionLayers.mentions,
                "Events per region": regionLayers.events, "No shading": regionLayers.none},
    "Places": {"Places": places, "Countries and regions named": areas, "Names": names,
               "Heat map": heat},
    "Events": {"Events": events},
    "Articles": articleGroup,
  };
  L.control.groupedLayers({"Countries (offline)": offline, "OpenStreetMap (online)": online},
                          overlays, {collapsed: true, exclusiveGroups: ["Regions"]}).addTo(map);

  // --- going to a place: the view around it, its popup open, its mark ringed ---
  let focus = null;
  function focusOn(lat, lon, zoom, animate) {
    setViewAt(lat, lon, zoom, animate);
    ring(lat, lon);
  }

  function ring(lat, lon) {
    if (focus) focus.remove();
    focus = L.circleMarker([lat, lon], {radius: 18, color: "#1565c0", weight: 3, fill: false,
                                        interactive: false, className: "gm-focus"}).addTo(map);
  }

  function openSite(key, first) {
    const [lat, lon] = key.split("/").map(Number);
    const at = first.place !== undefined ? data.places[first.place] : null;
    L.popup(POPUP).setLatLng(at ? [at.lat, at.lon] : [lat, lon])
      .setContent(sitePopup(key, first)).openOn(map);
  }

  function goToPlace(i) {
    const p = data.places[i];
    focusOn(p.lat, p.lon, kind(p.feature).zoom, false);
    openSite(siteKey(p.lat, p.lon), {place: i});
  }

  // --- search: places (by name, spelling in the text or other name) and articles ---
  let entries = null;  // made at the first search
  function search(query) {
    entries = entries || searchEntries(data);
    return searchFor(entries, query, SEARCH_RESULTS);
  }

  function go(entry) {
    if (entry.kind === "place") {
      goToPlace(entry.i);
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
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    const list = el("ul");
    list.setAttribute("role", "listbox");
    let results = [], active = 0;
    function show(items) {
      list.replaceChildren(...items);
      input.setAttribute("aria-expanded", String(items.length > 0));
    }
    function highlight(k) {
      active = (k + results.length) % results.length;
      [...list.children].forEach((item, j) => {
        item.classList.toggle("gm-active", j === active);
        item.setAttribute("aria-selected", String(j === active));
      });
      list.children[active].scrollIntoView({block: "nearest"});
    }
    function choose(entry) {
      input.value = entry.label;
      show([]);
      results = [];
      input.blur();
      go(entry);
    }
    input.addEventListener("input", () => {
      results = search(input.value);
      active = 0;
      if (!results.length) {
        show(input.value.trim() ? [el("li", "gm-none", "No place or article matches")] : []);
        return;
      }
      show(results.map(entry => {
        const item = el("li", null, entry.label);
        item.setAttribute("role", "option");
        const place = entry.kind === "place" ? data.places[entry.i] : null;
        const note = place ? (place.name !== entry.label ? place.name + ", " : "") + whereIs(place)
                           : "article";
        item.append(el("span", "gm-muted", note));
        item.addEventListener("click", e => {
          L.DomEvent.stop(e);  // the item is gone before the click reaches the map: stop it here
          choose(entry);
        });
        return item;
      }));
      highlight(0);
    });
    input.addEventListener("keydown", e => {
      if ((e.key === "ArrowDown" || e.key === "ArrowUp") && results.length) {
        e.preventDefault();
        highlight(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter" && results.length) {
        choose(results[active]);
      } else if (e.key === "Escape") {
        show([]);
      }
    });
    box.append(input, list);
    return box;
  }).addTo(map);

  L.control.fullscreen({position: "topleft"}).addTo(map);
  // For scripts and tests: the layers by name.
  map.geomap = {offline, online, regions: regionLayers, places, areas, names, heat, events,
                articles: articleLayers};
  new L.Control.MiniMap(outlineLayer(countryFeatures, () => ({
    interactive: false, color: "#8a8a8a", weight: 0.5, fillColor: "#f2efe6", fillOpacity: 1,
  })), {position: "bottomright", toggleDisplay: true, minimized: NARROW, width: 150, height: 120,
       zoomLevelOffset: -5, mapOptions: {maxZoom: 6}}).addTo(map);

  // No tooltip over an open popup.
  map.on("popupopen", e => {
    openPopup = e.popup;
    map.getContainer().classList.add("gm-popup-open");
  });
  map.on("popupclose", e => {
    if (openPopup === e.popup) openPopup = null;
    map.getContainer().classList.remove("gm-popup-open");
  });

  // --- a split map's chunk files, a few at a time, once the page is shown ---
  const CHUNKS_AT_ONCE = 2;
  const queue = chunkFiles.map((f, n) => n);
  map.geomap.chunks = {count: chunkFiles.length, loaded: 0, failed: 0};

  function wantChunk(n) {
    if (chunkState[n] !== "waiting") return;
    queue.splice(queue.indexOf(n), 1);
    queue.unshift(n);
  }

  function chunkDone(n, state) {
    chunkState[n] = state;
    map.geomap.chunks[state] += 1;
    if (openPopup && openPopup.isOpen() && popupWaits.has(n)) openPopup.update();
    loadNextChunk();
  }

  function loadNextChunk() {
    const n = queue.shift();
    if (n === undefined) return;
    chunkState[n] = "loading";
    const script = document.createElement("script");
    script.src = chunkFiles[n];
    script.onload = () => {
      script.remove();
      if (chunkState[n] === "loading") chunkDone(n, "failed");  // it did not call geomapChunk
    };
    script.onerror = () => {
      script.remove();
      chunkDone(n, "failed");
    };
    document.body.append(script);
  }

  chunkReceiver = (n, tables) => {
    if (chunkState[n] === "loading") chunkDone(n, fillChunk(data, n, tables) ? "loaded" : "failed");
  };
  if (chunkFiles.length) {
    requestAnimationFrame(() => setTimeout(() => {
      for (let k = 0; k < CHUNKS_AT_ONCE; k++) loadNextChunk();
    }, 0));
  }

  // #lat/lon/zoom (as the article pages link here) sets the view (the first, before the layers
  // are added), rings the spot and opens the popup of what is there.
  function applyHash(event) {
    const view = event ? parseHash(location.hash) : linked;
    if (!view) return;
    if (event) setViewAt(...view, true);
    ring(view[0], view[1]);
    const key = [...sites.keys()].find(k => {
      const [lat, lon] = k.split("/").map(Number);
      return Math.abs(lat - view[0]) < 2e-4 && Math.abs(lon - view[1]) < 2e-4;
    });
    if (key) {
      const site = sites.get(key);
      openSite(key, site.places.length ? {place: site.places[0]} : {event: site.events[0]});
    }
  }
  window.addEventListener("hashchange", applyHash);
  map.whenReady(showLabels);
  applyHash();
}
