// The board's post form: show only the details that apply to the chosen category. Without this
// script every group shows, and the server ignores the groups of other categories.
(function () {
  function setUp() {
    var category = document.getElementById("id_category");
    var groups = document.querySelectorAll("fieldset[data-categories]");
    if (!category || !groups.length) return;
    function update() {
      groups.forEach(function (group) {
        var ids = group.getAttribute("data-categories").split(" ");
        group.hidden = ids.indexOf(category.value) === -1;
      });
    }
    category.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
