/* Editorial calendar enhancements. Everything here has a plain-HTML path without it:
   the "Move" form of each post, and the previous/next/today links. */
(function () {
  "use strict";

  // Alt+Page Up / Alt+Page Down: previous and next period (the links do the same).
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var which = { PageUp: "previous", PageDown: "next" }[event.key];
    if (!which) return;
    var link = document.querySelector('[data-calendar-key="' + which + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });

  // Drag a post to another day: posts the same form as the "Move" page, keeping its time.
  var template = document.getElementById("move-template");
  if (!template) return;
  var dragged = null;

  function dayOf(element) {
    return element && element.closest ? element.closest("[data-date]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var entry = event.target.closest ? event.target.closest("[data-move-url]") : null;
    if (!entry) return;
    dragged = entry;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.dataset.moveUrl);
    entry.classList.add("dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".drop-target").forEach(function (cell) {
      cell.classList.remove("drop-target");
    });
  });

  document.addEventListener("dragover", function (event) {
    var day = dayOf(event.target);
    if (!dragged || !day) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    day.classList.add("drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    var day = dayOf(event.target);
    if (day && !day.contains(event.relatedTarget)) day.classList.remove("drop-target");
  });

  function field(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  document.addEventListener("drop", function (event) {
    var day = dayOf(event.target);
    if (!dragged || !day) return;
    event.preventDefault();
    if (dayOf(dragged) === day) return;
    var form = template.cloneNode(true);
    form.removeAttribute("id");
    form.action = dragged.dataset.moveUrl;
    field(form, "date", day.dataset.date);
    field(form, "time", dragged.dataset.time);
    field(form, "next", window.location.pathname + window.location.search);
    document.body.appendChild(form);
    form.submit();
  });
})();
