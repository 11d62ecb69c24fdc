// Field photos: the phone's location goes into hidden fields next to the photo (the server keeps it on the photo's
// record; the image itself is re-encoded without any metadata). Without JavaScript, without permission or without a
// fix, the photo is uploaded without a location. Geolocation only works on HTTPS (or localhost).
(function () {
  "use strict";
  var GOOD_ENOUGH_M = 25; // stop refining once the fix is this precise
  var GIVE_UP_MS = 60000; // stop watching after a minute (battery); "Ambil lokasi lagi" restarts

  function setup(form) {
    var lat = form.querySelector("input[name=latitude]");
    var lon = form.querySelector("input[name=longitude]");
    var acc = form.querySelector("input[name=accuracy_m]");
    var status = form.querySelector("[data-geo-status]");
    var retry = form.querySelector("[data-geo-retry]");
    var file = form.querySelector("input[type=file]");
    if (!lat || !lon || !acc || !status) return;
    var watchId = null;
    var timer = null;
    var best = null;

    // Messages come translated from the template's data attributes (data-found holds "%(metres)s").
    function text(key, metres) {
      return (status.dataset[key] || "").replace("%(metres)s", metres === undefined ? "" : String(metres));
    }
    function say(state, message) {
      status.dataset.state = state;
      status.textContent = message;
    }

    if (!("geolocation" in navigator) || !window.isSecureContext) {
      say("none", text("unsupported"));
      return;
    }

    function stop() {
      if (watchId !== null) navigator.geolocation.clearWatch(watchId);
      if (timer !== null) clearTimeout(timer);
      watchId = null;
      timer = null;
      if (retry) retry.hidden = false;
    }

    function onPosition(position) {
      var c = position.coords;
      // Keep the more precise fix unless it is old (the verifier may have walked to another building).
      if (best && c.accuracy > best.accuracy && Date.now() - best.at < 120000) return;
      best = { accuracy: c.accuracy, at: Date.now() };
      lat.value = c.latitude.toFixed(6);
      lon.value = c.longitude.toFixed(6);
      acc.value = (Math.round(c.accuracy * 10) / 10).toString();
      say("ok", text("found", Math.round(c.accuracy)) + (c.accuracy > 100 ? " " + text("low") : ""));
      if (c.accuracy <= GOOD_ENOUGH_M) stop();
    }

    function onError(error) {
      stop();
      if (lat.value) return; // an earlier fix is still good
      if (error.code === 1) {
        say("denied", text("denied"));
      } else {
        say("none", text("failed"));
      }
    }

    function start() {
      if (watchId !== null) return;
      if (retry) retry.hidden = true;
      if (!lat.value) say("searching", text("searching"));
      watchId = navigator.geolocation.watchPosition(onPosition, onError, {
        enableHighAccuracy: true,
        maximumAge: 30000,
        timeout: 30000,
      });
      timer = setTimeout(function () {
        stop();
        if (!lat.value) say("none", text("timeout"));
      }, GIVE_UP_MS);
    }

    // Ask when the verifier is about to take a photo, or at once if permission was already given.
    if (file) {
      file.addEventListener("click", start);
      file.addEventListener("change", start);
    }
    if (retry) retry.addEventListener("click", function () { best = null; start(); });
    if (navigator.permissions && navigator.permissions.query) {
      navigator.permissions.query({ name: "geolocation" }).then(function (result) {
        if (result.state === "granted") start();
      }).catch(function () {});
    }

    // After an upload through htmx, clear the photo and caption; keep the location for the next shot.
    form.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== form || !event.detail.successful) return;
      if (file) file.value = "";
      var caption = form.querySelector("input[name=caption]");
      if (caption) caption.value = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-geolocate]").forEach(setup);
  });
})();
