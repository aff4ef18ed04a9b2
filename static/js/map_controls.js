// Every Leaflet map's controls in the page's words and direction: the options
// walkapp/map_controls.py gives folium's maps, here as JSON in the map element's data-controls.
// Leaflet's own zoom titles ("Zoom in") and its link's title are English; make the map with
// zoomControl: false.

export function addControls(L, map) {
  const raw = map.getContainer().dataset.controls;
  if (!raw) return;
  const options = JSON.parse(raw);
  const attribution = map.attributionControl;
  if (attribution) {
    attribution.setPosition(options.corners.attribution);
    // Leaflet's own link, titled in the reader's words (the prefix is Leaflet's own markup).
    const holder = document.createElement("div");
    holder.innerHTML = attribution.options.prefix || "";
    const link = holder.querySelector("a");
    if (link) {
      link.title = options.leaflet;
      attribution.setPrefix(holder.innerHTML);
    }
  }
  if (options.scale) {
    L.control.scale({ position: options.corners.scale, imperial: false, maxWidth: 120 }).addTo(map);
  }
  L.control.zoom({
    position: options.corners.zoom, zoomInTitle: options.zoom_in, zoomOutTitle: options.zoom_out,
  }).addTo(map);
}
