/* Inbox enhancements; every action has a plain-HTML path without them (links, the "Resolve"
   buttons, the handling form).
   - Keyboard: j/k move between conversations (roving tabindex, aria-current), Enter or o opens,
     r writes a reply, e resolves (with Undo), a assigns, ? opens the help dialog. Keys do
     nothing while the person types in a field, or with Ctrl/Alt/Meta held.
   - Live list: every 10 s (not while the tab is hidden) the rows are asked for again with the
     version the page has; the server answers 304 when nothing changed. New conversations are
     announced politely; the focused conversation keeps its focus and its place on screen. */
(function () {
  "use strict";

  var POLL_MS = 10000;
  var rowsBox = document.getElementById("inbox-rows");
  var dialog = document.getElementById("shortcuts");
  var announcer = document.getElementById("inbox-announcer");
  var feedback = document.getElementById("inbox-feedback");
  var hint = document.getElementById("shortcuts-hint");
  if (hint) hint.hidden = false;

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function announce(text) {
    if (!announcer) return;
    // Emptied first so the same words are read again.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  // ---- Rows: roving tabindex --------------------------------------------------------------
  function rows() {
    return rowsBox ? Array.prototype.slice.call(rowsBox.querySelectorAll("tr[data-conversation]")) : [];
  }

  function currentRow() {
    var list = rows();
    for (var i = 0; i < list.length; i++) {
      if (list[i].getAttribute("aria-current") === "true") return list[i];
    }
    return null;
  }

  function mark(row, focus) {
    rows().forEach(function (other) {
      other.setAttribute("tabindex", "-1");
      other.removeAttribute("aria-current");
    });
    if (!row) return;
    row.setAttribute("tabindex", "0");
    row.setAttribute("aria-current", "true");
    if (focus) {
      row.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function setUpRows(keep) {
    var list = rows();
    if (!list.length) return;
    var row = null;
    if (keep) row = rowsBox.querySelector('tr[data-conversation="' + keep + '"]');
    mark(row || list[0], false);
  }

  function move(step) {
    var list = rows();
    if (!list.length) return;
    var current = currentRow();
    var index = list.indexOf(current);
    // The first key press only brings focus to the row the person is on.
    if (current && document.activeElement !== current) return mark(current, true);
    var next = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + step));
    mark(list[next], true);
  }

  if (rowsBox) {
    setUpRows(null);
    rowsBox.addEventListener("focusin", function (event) {
      var row = event.target.closest ? event.target.closest("tr[data-conversation]") : null;
      if (row && row.getAttribute("aria-current") !== "true") mark(row, false);
    });
  }

  // ---- Resolve with Undo --------------------------------------------------------------------
  var undo = null;

  function showFeedback(text, undoAction) {
    if (!feedback) return;
    feedback.querySelector("[data-feedback-text]").textContent = text;
    var button = feedback.querySelector("[data-undo]");
    button.hidden = !undoAction;
    undo = undoAction;
    feedback.hidden = false;
  }

  function postState(url, state) {
    var body = new URLSearchParams();
    body.set("state", state);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: body
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  function resolve(url) {
    postState(url, "resolved").then(function (data) {
      showFeedback(data.message, function () {
        postState(url, data.previous).then(function (back) {
          showFeedback(back.message, null);
          refresh(true);
        });
      });
      refresh(true);
    }).catch(function (error) { showFeedback(error.message, null); });
  }

  if (feedback) {
    feedback.querySelector("[data-undo]").addEventListener("click", function () {
      if (undo) undo();
    });
  }

  // ---- Keys ---------------------------------------------------------------------------------
  var detail = document.querySelector("[data-conversation-page]");

  function openHelp() {
    if (dialog && !dialog.open) dialog.showModal();
  }

  // Tab and Shift+Tab go round the dialog's own controls, never out of it.
  if (dialog) {
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") return;
      var controls = dialog.querySelectorAll("a[href], button, input, select, textarea, [tabindex='0']");
      if (!controls.length) return;
      var first = controls[0];
      var last = controls[controls.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
  }

  function onList(key) {
    var row = currentRow();
    if (key === "j") return move(1);
    if (key === "k") return move(-1);
    if (!row) return false;
    if (key === "Enter" || key === "o") return window.location.assign(row.dataset.href);
    if (key === "r") return window.location.assign(row.dataset.href + "#reply");
    if (key === "a") return window.location.assign(row.dataset.href + "#assign");
    if (key === "e" && row.dataset.stateUrl) return resolve(row.dataset.stateUrl);
    return false;
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) return false;
    field.focus();
    field.scrollIntoView({ block: "center" });
    return true;
  }

  function onDetail(key) {
    if (key === "r") return focusField("id_reply-text");
    if (key === "a") return focusField("id_assignee");
    if (key === "e" && detail.dataset.stateUrl) return resolve(detail.dataset.stateUrl);
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
    if (dialog && dialog.open) return;  // Esc and Tab belong to the dialog.
    if (typing(event.target)) return;
    var key = event.key;
    if (key === "?") {
      event.preventDefault();
      return openHelp();
    }
    // Enter on a link or a button keeps its own meaning.
    if (key === "Enter" && event.target.closest && event.target.closest("a, button")) return;
    var handled = detail ? onDetail(key) : rowsBox ? onList(key) : false;
    if (handled !== false) event.preventDefault();
  });

  // Coming from the list with r or a: once the page has settled (the browser's own handling of
  // the address's #fragment would otherwise take the focus back), go to that field.
  if (detail && (window.location.hash === "#reply" || window.location.hash === "#assign")) {
    window.addEventListener("load", function () {
      window.setTimeout(function () {
        focusField(window.location.hash === "#reply" ? "id_reply-text" : "id_assignee");
      }, 0);
    });
  }

  // ---- Images: shown in place, still only when asked and still through our server ----------
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-show-image]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (link.nextElementSibling && link.nextElementSibling.tagName === "IMG") return;
    var image = document.createElement("img");
    image.src = link.href;
    image.alt = link.dataset.alt || "";
    link.insertAdjacentElement("afterend", image);
  });

  // ---- Live updates -------------------------------------------------------------------------
  function refresh(now) {
    if (!rowsBox || !rowsBox.dataset.updatesUrl) return;
    if (!now && document.visibilityState === "hidden") return;
    fetch(rowsBox.dataset.updatesUrl, {
      credentials: "same-origin",
      headers: { "If-None-Match": '"' + rowsBox.dataset.version + '"', Accept: "application/json" },
      cache: "no-store"
    }).then(function (response) {
      if (response.status !== 200) return null;
      return response.json();
    }).then(function (data) {
      if (data && data.version !== rowsBox.dataset.version) replaceRows(data);
    }).catch(function () { /* The next poll tries again. */ });
  }

  function replaceRows(data) {
    var before = rows().map(function (row) { return row.dataset.conversation; });
    var current = currentRow();
    var keep = current ? current.dataset.conversation : null;
    var place = rows().indexOf(current);
    var hadFocus = current && current.contains(document.activeElement);
    var top = current ? current.getBoundingClientRect().top : 0;
    rowsBox.innerHTML = data.html;
    rowsBox.dataset.version = data.version;
    var again = keep ? rowsBox.querySelector('tr[data-conversation="' + keep + '"]') : null;
    // A conversation that left the list (resolved) hands its place to the one after it.
    if (!again && place >= 0) again = rows()[Math.min(place, rows().length - 1)] || null;
    setUpRows(again ? again.dataset.conversation : null);
    if (again) {
      // The conversation the person is on stays where it was on screen.
      window.scrollBy(0, again.getBoundingClientRect().top - top);
      if (hadFocus) again.focus({ preventScroll: true });
    }
    var fresh = data.ids.filter(function (id) { return before.indexOf(String(id)) < 0; }).length;
    if (fresh === 1) announce(rowsBox.dataset.newOne);
    else if (fresh > 1) announce(rowsBox.dataset.newMany.replace("%(count)s", fresh));
  }

  if (rowsBox) {
    window.setInterval(function () { refresh(false); }, POLL_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") refresh(false);
    });
  }
})();
