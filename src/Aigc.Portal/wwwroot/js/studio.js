// Studio behaviour that is not markup: seed dice and lock, slider read-outs, clearing refusals, the reproduce drop zone.
(function () {
  function seedInput() { return document.getElementById("studio-seed"); }
  function lockInput() { return document.getElementById("studio-lock"); }

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-dice]")) return;
    var seed = seedInput();
    if (!seed) return;
    var values = new Uint32Array(1);
    crypto.getRandomValues(values);
    seed.value = String(values[0] & 0x7fffffff);
    lockInput().checked = true;
  });

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.id === "studio-seed") {
      lockInput().checked = target.value !== "";
    }
    if (target.type === "range" && target.id) {
      var output = document.querySelector('output[data-value-of="' + target.id + '"]');
      if (output) output.textContent = target.value;
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.verb === "get") return;
    document.querySelectorAll(".studio .field-error").forEach(function (slot) { slot.textContent = ""; });
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.id !== "interpolate-form" || !event.detail.successful) return;
    if (event.detail.xhr.getResponseHeader("HX-Reswap") === "none") return;
    document.querySelectorAll('input[name="pick"]:checked').forEach(function (pick) { pick.checked = false; });
  });

  document.addEventListener("dragover", function (event) {
    var zone = event.target.closest("[data-drop-zone]");
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("is-over");
  });

  document.addEventListener("dragleave", function (event) {
    var zone = event.target.closest("[data-drop-zone]");
    if (zone) zone.classList.remove("is-over");
  });

  document.addEventListener("drop", function (event) {
    var zone = event.target.closest("[data-drop-zone]");
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("is-over");
    var input = document.getElementById(zone.getAttribute("for"));
    if (!input || !event.dataTransfer || event.dataTransfer.files.length === 0) return;
    input.files = event.dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
