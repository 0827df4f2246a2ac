// Wagtail's preview panel loses a preview mode chosen while a preview is still loading: the mode change
// joins the update under way, whose iframe was already asked for in the old mode, and nothing asks
// again (the form did not change). An editor who picks "Courriel (English)" right after opening the
// panel keeps seeing the web page. Once a preview has loaded, ask again if it is not the chosen mode.
document.addEventListener("w-preview:loaded", function (event) {
  var panel = event.target;
  var select = panel.querySelector("[data-w-preview-target='mode']");
  if (!select) { return; }
  // After Wagtail has finished this update (it does so right after announcing the load).
  setTimeout(function () {
    var iframe = panel.querySelector("[data-w-preview-target='iframe'][id]");
    if (!iframe || !iframe.src) { return; }
    var shown = new URL(iframe.src, window.location.href).searchParams.get("mode") || "";
    if (shown !== select.value) {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }, 0);
});
