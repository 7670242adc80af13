/* Datavagt widget: "send securely". Checks a draft reply for personal data and sends it as
   a secure message (the customer reads it on My pages; their e-mail only says one is waiting).
   Loaded after widget.js, which calls window.DatavagtSecure once a ticket is shown. */
"use strict";
(function () {
  var MAX = 10000;

  window.DatavagtSecure = function (api, t, ticket) {
    var box = document.getElementById("secure");
    var text = document.getElementById("secure-text");
    var result = document.getElementById("secure-result");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    box.hidden = false;

    function show(message, kind) {
      result.textContent = message;
      result.className = "secure-result " + (kind || "");
    }

    function draft() {
      var value = text.value.trim();
      if (!value || value.length > MAX) { show(t("secure_empty", { max: MAX }), "error"); return null; }
      return value;
    }

    document.getElementById("secure-check").addEventListener("click", function () {
      var value = draft();
      if (value === null) return;
      // The outbound policy (outbound_mode: warn / confirm / block) a CRM reply path meets at
      // POST /api/outbound/reply; the check answers 200 with the same decision and words.
      var ui = document.documentElement.lang === "da" ? "da" : "en";
      api("POST", "/api/outbound/check", { text: value }).then(function (res) {
        if (res.status !== 200) { show(t("failed"), "error"); return; }
        if (res.body.decision === "ok") { show(t("secure_clean"), "ok"); return; }
        show(res.body.messages[ui], res.body.decision === "block" ? "error" : "warn");
      }, function () { show(t("failed"), "error"); });
    });

    document.getElementById("secure-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var value = draft();
      if (value === null) return;
      var button = document.getElementById("secure-send");
      button.disabled = true;
      api("POST", "/api/messages", { vendor: ticket.vendor, ticket_id: ticket.id, body: value }).then(function (res) {
        button.disabled = false;
        if (res.status === 201) { text.value = ""; show(t("secure_sent"), "ok"); return; }
        var code = res.body && res.body.error ? res.body.error.code : "";
        show(t(code === "no_email" || code === "no_requester" ? "secure_no_address" : "failed"), "error");
      }, function () { button.disabled = false; show(t("failed"), "error"); });
    });
  };
})();
