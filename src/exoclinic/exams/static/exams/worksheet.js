/* ISNCSCI worksheet: classify as values are entered (progressive enhancement; without it, the Classify
   button does the same on the server). Posts the exam in the interchange format to the stateless API,
   with blank fields counted as NT for the preview, and fills the data-result cells with the answer. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var form = document.getElementById("isncsci-worksheet");
    if (!form || !window.fetch) return;
    var url = form.getAttribute("data-classify-url");
    var texts = document.getElementById("isncsci-texts");
    var status = form.querySelector("[data-live-status]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var sequence = 0;
    var marked = [];

    function text(name) {
      return texts ? texts.getAttribute("data-" + name) || "" : "";
    }

    function setStatus(message, isError) {
      if (!status) return;
      status.textContent = message;
      status.classList.toggle("error", Boolean(isError));
    }

    function setPath(target, path, value) {
      var parts = path.split(".");
      var node = target;
      for (var i = 0; i < parts.length - 1; i++) {
        node[parts[i]] = node[parts[i]] || {};
        node = node[parts[i]];
      }
      node[parts[parts.length - 1]] = value;
    }

    function readExam() {
      var exam = {};
      var blanks = 0;
      var fields = form.querySelectorAll("[data-path]");
      for (var i = 0; i < fields.length; i++) {
        var field = fields[i];
        var path = field.getAttribute("data-path");
        var value = (field.value || "").replace(/\s+/g, "").toUpperCase();
        if (field.tagName === "SELECT") value = field.value;
        if (/lowestNonKeyMuscleWithMotorFunction$/.test(path)) {
          if (value) setPath(exam, path, value);
          continue;
        }
        if (!value) {
          blanks += 1;
          value = "NT";
        }
        setPath(exam, path, value);
      }
      return { exam: exam, blanks: blanks };
    }

    function lookup(result, path) {
      var node = result;
      var parts = path.split(".");
      for (var i = 0; i < parts.length; i++) {
        if (node == null) return null;
        node = node[parts[i]];
      }
      return node;
    }

    function render(result) {
      var cells = document.querySelectorAll("[data-result]");
      for (var i = 0; i < cells.length; i++) {
        var value = result ? lookup(result, cells[i].getAttribute("data-result")) : null;
        cells[i].textContent = value == null ? "\u2014" : value;
      }
    }

    function unmark() {
      for (var i = 0; i < marked.length; i++) {
        marked[i].removeAttribute("aria-invalid");
        marked[i].removeAttribute("title");
      }
      marked = [];
    }

    function markField(path, message) {
      var field = form.querySelector('[data-path="' + path + '"]');
      if (!field) return message;
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("title", message);
      marked.push(field);
      var label = field.getAttribute("aria-label");
      if (!label && field.id) {
        var element = form.querySelector('label[for="' + field.id + '"]');
        label = element ? element.textContent.trim() : "";
      }
      return label ? label + ": " + message.replace(/^[^:]*:\s*/, "") : message;
    }

    function classify() {
      var read = readExam();
      var mine = ++sequence;
      setStatus(text("working"), false);
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrf ? csrf.value : "",
        },
        body: JSON.stringify(read.exam),
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (answer) {
          if (mine !== sequence) return; // a newer request is on its way
          unmark();
          if (answer.ok) {
            render(answer.body);
            if (read.blanks === 0) setStatus("", false);
            else if (read.blanks === 1) setStatus(text("blanks-one"), false);
            else setStatus(text("blanks-many").replace("%(n)s", String(read.blanks)), false);
          } else {
            render(null);
            var message = answer.body && answer.body.message ? answer.body.message : text("failed");
            if (answer.body && answer.body.field) message = markField(answer.body.field, message);
            setStatus(message, true);
          }
        })
        .catch(function () {
          if (mine === sequence) setStatus(text("failed"), true);
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(classify, 250);
    }

    // Unsaved values survive a reload or a wrong click in this tab (sessionStorage, gone when the tab
    // closes); a draft whose submission the server already stored is dropped.
    var draftKey = form.getAttribute("data-draft-key");
    var notice = form.querySelector("[data-draft-notice]");
    var keyField = form.querySelector("input[name=submission_key]");
    var store = null;
    try {
      store = window.sessionStorage;
    } catch (e) {
      store = null;
    }

    function draftFields() {
      return form.querySelectorAll("[data-path], textarea[name=comments], input[name=examined_at], select[name=appointment]");
    }

    function saveDraft() {
      if (!draftKey || !store) return;
      var values = {};
      var entered = false;
      var fields = draftFields();
      for (var i = 0; i < fields.length; i++) {
        values[fields[i].name] = fields[i].value;
        if (fields[i].hasAttribute("data-path") && fields[i].value) entered = true;
      }
      if (!entered) return;
      store.setItem(draftKey, JSON.stringify({ key: keyField ? keyField.value : "", values: values }));
    }

    function offerDraft() {
      if (!draftKey || !store || !notice) return;
      var draft = null;
      try {
        draft = JSON.parse(store.getItem(draftKey) || "null");
      } catch (e) {
        draft = null;
      }
      if (!draft || !draft.values) return;
      var saved = (form.getAttribute("data-saved-keys") || "").split(" ");
      if (saved.indexOf(draft.key) !== -1) {
        store.removeItem(draftKey);
        return;
      }
      var fields = form.querySelectorAll("[data-path]");
      for (var i = 0; i < fields.length; i++) {
        if (fields[i].tagName === "INPUT" && fields[i].value) return; // the page already holds values
      }
      notice.hidden = false;
      notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
        var all = draftFields();
        for (var j = 0; j < all.length; j++) {
          if (Object.prototype.hasOwnProperty.call(draft.values, all[j].name)) all[j].value = draft.values[all[j].name];
        }
        if (keyField && draft.key) keyField.value = draft.key; // the same key: a stored exam is not stored twice
        notice.hidden = true;
        classify();
      });
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        store.removeItem(draftKey);
        notice.hidden = true;
      });
    }

    offerDraft();
    form.addEventListener("input", function () {
      saveDraft();
      schedule();
    });
    form.addEventListener("change", function () {
      saveDraft();
      schedule();
    });
  });
})();
