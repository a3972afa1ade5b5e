// Runs in <head>, before first paint, so a dark-mode user never sees a light flash.
(function () {
  var stored = null;
  try { stored = localStorage.getItem("aigc-theme"); } catch (e) { /* storage blocked: follow the system */ }
  var theme = stored === "dark" || stored === "light"
    ? stored
    : (window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  document.documentElement.setAttribute("data-bs-theme", theme);
})();
