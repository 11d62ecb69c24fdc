// Choropleth maps of imported boundaries: <div class="choropleth" data-geojson="URL" ...> (results/_choropleth.html).
// Leaflet (static/vendor/leaflet) is loaded on first use; there is no tile server: only the GeoJSON polygons are
// drawn. Colours are the tile grid's classes (tile-share-N, tile-band-N, tile-none): each polygon takes the colour
// the stylesheet gives that class's legend swatch, so the map, its legend and the tile grid always agree.
// Texts come from the server (data attributes, the GeoJSON's caption, legend and titles); nothing is inline code.
(() => {
  if (window.klaChoropleth) return; // the partial may bring this file again with an htmx swap
  window.klaChoropleth = true;

  let leaflet = null;

  const sheets = {};

  function loadSheet(href) {
    // the map is sized by its stylesheet: Leaflet starts once the sheets are in
    if (!sheets[href]) {
      sheets[href] = new Promise((resolve) => {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        link.onload = resolve;
        link.onerror = resolve;
        document.head.appendChild(link);
      });
    }
    return sheets[href];
  }

  function loadLeaflet(el) {
    const styles = (el.dataset.styles || "").split(" ").filter(Boolean).map(loadSheet);
    if (!leaflet) {
      leaflet = window.L
        ? Promise.resolve(window.L)
        : new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = el.dataset.leaflet;
            script.onload = () => resolve(window.L);
            script.onerror = reject;
            document.head.appendChild(script);
          });
    }
    return Promise.all([leaflet, ...styles]).then(([L]) => L);
  }

  function legend(figure, items) {
    const list = figure.querySelector(".map-legend");
    const colours = {};
    list.replaceChildren();
    items.forEach((item) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = `legend-swatch ${item.class}`;
      swatch.setAttribute("aria-hidden", "true");
      li.append(swatch, item.label);
      list.appendChild(li);
      colours[item.class] = getComputedStyle(swatch).backgroundColor;
    });
    return colours;
  }

  function popup(el, props) {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = props.title;
    const link = document.createElement("a");
    link.href = props.url;
    link.textContent = el.dataset.linkLabel || props.name;
    box.append(title, document.createElement("br"), link);
    return box;
  }

  function focusable(el, layer) {
    // every region is reachable with Tab and opens its results with Enter, as the tiles of the tile grid do
    const path = layer.getElement();
    if (!path) return;
    const props = layer.feature.properties;
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "link");
    path.setAttribute("aria-label", props.title);
    path.dataset.code = props.code;
    path.addEventListener("keydown", (event) => {
      if (event.key === "Enter") window.location.assign(props.url);
    });
    path.addEventListener("focus", () => layer.openPopup());
  }

  function draw(L, el, data) {
    const figure = el.closest("figure") || el.parentElement;
    const caption = figure.querySelector(".map-caption");
    if (caption) caption.textContent = data.caption || "";
    const colours = legend(figure, data.legend || []);
    const map = L.map(el, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
    const layer = L.geoJSON(data, {
      style: (feature) => ({
        className: `region-shape ${feature.properties.class}`,
        fillColor: colours[feature.properties.class] || "#eceff2",
        fillOpacity: 1,
        color: "#ffffff",
        weight: 1,
      }),
      onEachFeature: (feature, shape) => {
        shape.bindTooltip(feature.properties.name, { sticky: true });
        shape.bindPopup(() => popup(el, feature.properties));
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] }); // the map loads here: the shapes get their SVG paths
    layer.eachLayer((shape) => focusable(el, shape));
    el.dataset.drawn = String(layer.getLayers().length);
  }

  function failed(el) {
    el.classList.add("choropleth-failed");
    el.textContent = el.dataset.error || "";
  }

  function init(root) {
    root.querySelectorAll(".choropleth[data-geojson]:not([data-started])").forEach((el) => {
      el.dataset.started = "1";
      Promise.all([loadLeaflet(el), fetch(el.dataset.geojson, { credentials: "same-origin" })])
        .then(([L, response]) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.json().then((data) => draw(L, el, data));
        })
        .catch(() => failed(el));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => init(document));
  } else {
    init(document);
  }
  document.addEventListener("htmx:afterSettle", (event) => init(event.target));
})();
