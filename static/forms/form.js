// Datavagt intake form: submits with fetch and shows field errors; no build step.
(function () {
  "use strict";
  var form = document.getElementById("dv-form");
  if (!form) { return; }
  var messages = JSON.parse(form.getAttribute("data-messages") || "{}");

  function clearErrors() {
    form.querySelectorAll(".dv-field").forEach(function (el) { el.classList.remove("dv-invalid"); });
    form.querySelectorAll(".dv-error").forEach(function (el) { el.hidden = true; el.textContent = ""; });
  }

  function showFieldError(name, code) {
    var box = form.querySelector('.dv-field[data-field="' + name + '"]');
    var text = messages["error_" + code] || messages.error_invalid;
    if (!box) { showFormError(text); return; }
    box.classList.add("dv-invalid");
    var p = document.getElementById("dv-" + name + "-error");
    p.textContent = text;
    p.hidden = false;
  }

  function showFormError(text) {
    var p = document.getElementById("dv-form-error");
    p.textContent = text;
    p.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 201) {
          form.hidden = true;
          document.getElementById("dv-reference").textContent = data.reference || "";
          document.getElementById("dv-thanks").hidden = false;
          return;
        }
        var error = (data && data.error) || {};
        var fields = (error.details && error.details.fields) || {};
        if (response.status === 422 && Object.keys(fields).length) {
          Object.keys(fields).forEach(function (name) { showFieldError(name, fields[name]); });
        } else if (response.status === 422 && /consent/.test(error.code || "")) {
          showFormError(messages.error_consent);
        } else if (response.status === 429) {
          showFormError(messages.error_rate);
        } else if (response.status === 403) {
          showFormError(messages.error_csrf);
        } else {
          showFormError(messages.error_generic);
        }
      });
    }).catch(function () {
      showFormError(messages.error_generic);
    }).then(function () {
      button.disabled = false;
    });
  });
}());
