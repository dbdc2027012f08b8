// Placing an idea on the map (progressive enhancement: without this file the form asks for Bezirk and Stadtteil
// from the list and the location stays empty). Click or tap the map, or focus it and move the marker with the
// arrow keys; the server then says which Stadtbezirk the point lies in (GET /api/v1/locate) and the form
// suggests it. Coordinates are never typed: they travel in two hidden fields.
(function () {
  "use strict";
  const box = document.querySelector(".place-map");
  if (!box) return;
  const svg = box.querySelector("svg");
  const marker = svg.querySelector(".place-marker");
  const status = box.querySelector(".place-status");
  const latField = document.getElementById("f-lat");
  const lonField = document.getElementById("f-lon");
  const quarter = document.getElementById("f-quarter_id");
  const district = document.getElementById("f-district"); // the Werkstatt form chooses the Stadtbezirk itself
  const p = {
    lonMin: parseFloat(box.dataset.lonMin), latMax: parseFloat(box.dataset.latMax),
    scale: parseFloat(box.dataset.scale), kx: parseFloat(box.dataset.kx), pad: parseFloat(box.dataset.pad),
  };
  const view = svg.viewBox.baseVal;
  let timer = null;
  let asked = 0;

  box.hidden = false;
  document.getElementById("ort").classList.add("js-place");

  function toLonLat(x, y) {
    return [p.lonMin + (x - p.pad) / (p.scale * p.kx), p.latMax - (y - p.pad) / p.scale];
  }

  function place(x, y) {
    x = Math.min(Math.max(x, 0), view.width);
    y = Math.min(Math.max(y, 0), view.height);
    marker.setAttribute("cx", x.toFixed(1));
    marker.setAttribute("cy", y.toFixed(1));
    marker.setAttribute("visibility", "visible");
    const [lon, lat] = toLonLat(x, y);
    latField.value = lat.toFixed(5);
    lonField.value = lon.toFixed(5);
    clearTimeout(timer);
    timer = setTimeout(() => suggest(lat, lon), 200);
  }

  function clear() {
    latField.value = "";
    lonField.value = "";
    marker.setAttribute("visibility", "hidden");
    status.textContent = "Kein Ort gesetzt.";
  }

  async function suggest(lat, lon) {
    const ticket = ++asked;
    let data;
    try {
      const response = await fetch(`${box.dataset.locate}?lat=${lat.toFixed(5)}&lon=${lon.toFixed(5)}`,
        { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (error) {
      status.textContent = "Der Ort konnte gerade nicht geprüft werden; er wird beim Absenden geprüft.";
      return;
    }
    if (ticket !== asked) return; // a newer point is on its way
    if (!data.inside) {
      latField.value = "";
      lonField.value = "";
      status.textContent = data.message;
      return;
    }
    const ids = data.quarters.map((q) => String(q.id));
    if (district && data.district) district.value = data.district.slug;
    if (quarter) {
      if (data.quarter) quarter.value = String(data.quarter.id);
      else if (!ids.includes(quarter.value)) quarter.value = "";
    }
    let text = data.message;
    if (quarter && !data.quarter && ids.includes(quarter.value)) {
      text = `${data.message.split(".")[0]}. Gewählter Stadtteil: ${quarter.selectedOptions[0].text}.`;
    }
    status.textContent = text;
  }

  svg.addEventListener("click", (event) => {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const local = point.matrixTransform(svg.getScreenCTM().inverse());
    place(local.x, local.y);
  });

  svg.addEventListener("keydown", (event) => {
    const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const step = steps[event.key];
    if (!step) return;
    event.preventDefault();
    const size = event.shiftKey ? 25 : 5;
    let x = parseFloat(marker.getAttribute("cx"));
    let y = parseFloat(marker.getAttribute("cy"));
    if (marker.getAttribute("visibility") === "hidden") {
      x = view.width / 2; // start in the middle of the city
      y = view.height / 2;
    }
    place(x + step[0] * size, y + step[1] * size);
  });

  box.querySelector(".place-clear").addEventListener("click", clear);
})();
