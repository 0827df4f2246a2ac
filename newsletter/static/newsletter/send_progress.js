// Live progress on the send screen: poll each send's figures every two seconds while it is under way,
// show its state as it changes ("Terminé" without a reload) and only the controls that state allows.
document.querySelectorAll("[data-progress-url]").forEach(function (section) {
  var UNDER_WAY = ["scheduled", "preparing", "sending"];
  function show(p) {
    section.dataset.state = p.state;
    section.querySelector("progress").value = p.percent;
    section.querySelectorAll("[data-field]").forEach(function (el) {
      el.textContent = p.display[el.dataset.field];
    });
    section.querySelectorAll("[data-show-when]").forEach(function (el) {
      el.hidden = el.dataset.showWhen.split(" ").indexOf(p.state) < 0;
    });
  }
  function refresh() {
    fetch(section.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        show(p);
        if (UNDER_WAY.indexOf(p.state) >= 0) { setTimeout(refresh, 2000); }
      })
      .catch(function () { setTimeout(refresh, 5000); });
  }
  if (UNDER_WAY.indexOf(section.dataset.state) >= 0) { refresh(); }
});
