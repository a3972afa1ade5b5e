// Gallery behaviour htmx does not cover: the selection (click, shift-click, select all matching), the selection bar's
// ids, and the lightbox keys (←/→ neighbouring tiles, F favourite, T tag, Esc close).
(function () {
  var selected = new Set();
  var anchor = null;

  function grid() { return document.getElementById("gallery-grid"); }
  function tiles() { return Array.prototype.slice.call(document.querySelectorAll("#gallery-grid .tile[data-id]")); }

  function render() {
    var bar = document.getElementById("selection-bar");
    if (!bar) return;
    tiles().forEach(function (tile) {
      var on = selected.has(tile.dataset.id);
      tile.classList.toggle("is-selected", on);
      var check = tile.querySelector("[data-select]");
      if (check) check.setAttribute("aria-pressed", on ? "true" : "false");
    });
    bar.hidden = selected.size === 0;
    bar.querySelector("[data-selection-count]").textContent = selected.size.toLocaleString();
    var compare = bar.querySelector("[data-compare]");
    var ids = Array.from(selected);
    compare.classList.toggle("disabled", ids.length < 2 || ids.length > 4);
    compare.setAttribute("href", "gallery/compare?ids=" + ids.join(","));
    document.body.classList.toggle("has-selection", selected.size > 0);
  }

  function toggle(id, on) { if (on) selected.add(id); else selected.delete(id); }

  document.addEventListener("click", function (event) {
    var check = event.target.closest("[data-select]");
    if (check) {
      var id = check.dataset.select;
      var all = tiles().map(function (t) { return t.dataset.id; });
      var on = !selected.has(id);
      if (event.shiftKey && anchor && all.indexOf(anchor) >= 0) {
        var a = all.indexOf(anchor), b = all.indexOf(id);
        all.slice(Math.min(a, b), Math.max(a, b) + 1).forEach(function (x) { toggle(x, on); });
      } else {
        toggle(id, on);
      }
      anchor = id;
      render();
      return;
    }
    if (event.target.closest("[data-select-none]")) { selected.clear(); render(); return; }
    var selectAll = event.target.closest("[data-select-all]");
    if (selectAll) {
      fetch(selectAll.dataset.selectAll, { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (ids) { ids.forEach(function (id) { selected.add(id); }); render(); });
      return;
    }
    if (event.target.closest("[data-lightbox-close]")) { closeLightbox(); return; }
    var step = event.target.closest("[data-lightbox-step]");
    if (step) { move(parseInt(step.dataset.lightboxStep, 10)); return; }
    if (event.target.classList && event.target.classList.contains("lightbox")) closeLightbox();
  });

  // The selection travels with each selection form as hidden "ids" fields.
  function fillIds(form) {
    form.querySelectorAll("input[data-selection-id]").forEach(function (i) { i.remove(); });
    selected.forEach(function (id) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "ids"; input.value = id; input.setAttribute("data-selection-id", "");
      form.appendChild(input);
    });
  }
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-selection-form]")) fillIds(event.target);
  }, true);
  document.body.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("[data-selection-form]");
    if (form) event.detail.parameters["ids"] = Array.from(selected);
  });

  // New windows of tiles keep showing the selection; a delete or restore reloads the results.
  document.body.addEventListener("htmx:afterSwap", render);
  document.body.addEventListener("gallery-changed", function () {
    var form = document.getElementById("gallery-filter");
    if (form && window.htmx) window.htmx.trigger(form, "submit");
    selected.clear();
    render();
  });

  document.body.addEventListener("favourite-changed", function (event) {
    document.querySelectorAll('[data-fav="' + event.detail.id + '"]').forEach(function (star) {
      star.classList.toggle("is-on", event.detail.on);
      star.setAttribute("aria-pressed", event.detail.on ? "true" : "false");
      star.title = event.detail.on ? "Remove from favourites (F)" : "Add to favourites (F)";
      var icon = star.querySelector("i");
      if (icon) icon.className = event.detail.on ? "bi bi-star-fill" : "bi bi-star";
    });
  });

  function lightbox() { return document.querySelector("#lightbox [data-lightbox]"); }

  function closeLightbox() {
    var box = lightbox();
    if (!box) return;
    var id = box.dataset.lightbox;
    document.getElementById("lightbox").innerHTML = "";
    document.body.classList.remove("lightbox-open");
    var tile = document.querySelector('#gallery-grid .tile[data-id="' + id + '"] .tile-open');
    if (tile) tile.focus();
  }

  function move(step) {
    var box = lightbox();
    if (!box) return;
    var all = tiles();
    var at = all.findIndex(function (t) { return t.dataset.id === box.dataset.lightbox; });
    var next = all[at + step];
    if (!next) return;
    window.htmx.ajax("GET", "gallery/blueprints/" + next.dataset.id + "/lightbox", { target: "#lightbox", swap: "innerHTML" });
    next.scrollIntoView({ block: "nearest" });
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "lightbox" && lightbox()) {
      document.body.classList.add("lightbox-open");
      lightbox().focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var box = lightbox();
    if (!box) return;
    var typing = event.target.matches("input, textarea, select");
    if (event.key === "Escape") {
      if (typing) { event.target.blur(); box.focus(); } else closeLightbox();
      event.preventDefault();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "ArrowRight") { move(1); event.preventDefault(); }
    else if (event.key === "ArrowLeft") { move(-1); event.preventDefault(); }
    else if (event.key === "f" || event.key === "F") {
      var fav = box.querySelector("[data-fav]");
      // A key pressed right after a swap can beat htmx's settle step, which wires the new button; wire it now.
      if (fav && window.htmx) window.htmx.process(fav);
      if (fav) fav.click();
      event.preventDefault();
    } else if (event.key === "t" || event.key === "T") {
      var tag = box.querySelector("[data-tag-input]");
      if (tag) tag.focus();
      event.preventDefault();
    }
  });
})();
