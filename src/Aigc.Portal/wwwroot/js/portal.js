// Portal behaviour that is not markup: theme switching and the antiforgery header for htmx requests.
(function () {
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-theme-toggle]");
    if (!toggle) return;
    var root = document.documentElement;
    var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
    root.setAttribute("data-bs-theme", next);
    try { localStorage.setItem("aigc-theme", next); } catch (e) { /* not persisted; still switched */ }
  });

  var token = document.querySelector('meta[name="request-verification-token"]');
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (token && event.detail.verb !== "get") {
      event.detail.headers["RequestVerificationToken"] = token.getAttribute("content");
    }
  });
})();
