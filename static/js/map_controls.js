// A staff page's Leaflet map with its controls in the page's words and direction: the options
// walkapp/map_controls.py gives folium's maps, here as JSON in the map element's data-controls.
// Leaflet's own zoom titles are English ("Zoom in"); make the map with zoomControl: false.

export function addControls(L, map) {
  const raw = map.getContainer().dataset.controls;
  if (!raw) return;
  const options = JSON.parse(raw);
  if (map.attributionControl) map.attributionControl.setPosition(options.corners.attribution);
  if (options.scale) {
    L.control.scale({ position: options.corners.scale, imperial: false, maxWidth: 120 }).addTo(map);
  }
  L.control.zoom({
    position: options.corners.zoom, zoomInTitle: options.zoom_in, zoomOutTitle: options.zoom_out,
  }).addTo(map);
}
