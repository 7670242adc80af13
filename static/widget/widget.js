/* Datavagt agent widget: shows a ticket's personal data masked by role; reveals with a reason.
   The JWT comes from the URL fragment (#token=...) or a postMessage from the embedding CRM
   page; it is kept in memory only and never put in a query string. No HTML is built from data:
   every value goes through textContent. */
"use strict";
(function () {
  var params = new URLSearchParams(window.location.search);
  var dict = window.DATAVAGT_I18N;
  var lang = pickLanguage(params.get("lang"));
  var state = { token: null, vendor: params.get("vendor"), ticket: params.get("ticket"), data: null, pending: null };
  var ID = /^[A-Za-z0-9._-]{1,128}$/;
  var MIN_REASON = 5;

  function pickLanguage(asked) {
    if (asked && dict[asked]) return asked;
    var nav = (navigator.language || "en").slice(0, 2).toLowerCase();
    return dict[nav] ? nav : "en";
  }

  function t(key, values) {
    var text = (dict[lang] && dict[lang][key]) || dict.en[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  // Field names and finding types in words: "conversation.4" is "Message 5".
  function fieldLabel(name) {
    var numbered = /^(conversation|attachment)s?[.:_](\d+)$/.exec(name || "");
    if (numbered) return t("fl_" + numbered[1], { n: Number(numbered[2]) + 1 });
    var key = "fl_" + name;
    return t(key) === key ? String(name || "").replace(/_/g, " ") : t(key);
  }

  function typeLabel(type) {
    var key = "ty_" + type;
    return t(key) === key ? String(type || "").replace(/_/g, " ") : t(key);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function $(id) { return document.getElementById(id); }

  function say(text) { $("status").textContent = text; }

  function alertText(text) {
    var box = $("alert");
    box.textContent = text;
    box.hidden = !text;
  }

  function fmtDate(iso) {
    if (!iso) return "";
    var date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleDateString(lang === "da" ? "da-DK" : "en-GB", { year: "numeric", month: "long", day: "numeric" });
  }

  function translateStatic() {
    document.documentElement.lang = lang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
  }

  function api(method, path, body) {
    var options = { method: method, headers: { Authorization: "Bearer " + state.token }, cache: "no-store", credentials: "omit" };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, body: json };
      });
    });
  }

  function ticketPath() {
    return "/api/tickets/" + encodeURIComponent(state.vendor) + "/" + encodeURIComponent(state.ticket);
  }

  function load() {
    if (!state.vendor || !state.ticket || !ID.test(state.vendor) || !ID.test(state.ticket)) {
      alertText(t("bad_link"));
      return;
    }
    say(t("loading"));
    api("GET", ticketPath()).then(function (res) {
      if (res.status !== 200) { say(""); alertText(errorText(res)); return; }
      state.data = res.body;
      render(res.body);
    }, function () { say(""); alertText(t("failed")); });
  }

  function errorText(res) {
    var code = res.body && res.body.error ? res.body.error.code : "";
    if (res.status === 401) return t("expired");
    if (res.status === 404) return t("not_found");
    if (res.status === 410) return t("erased");
    if (code === "processing_restricted") return t("restricted_denied");
    if (res.status === 403) return t("denied", { role: state.data ? state.data.role : "" });
    if (code === "reason_required") return t("reason_short", { min: MIN_REASON });
    return t("failed");
  }

  function render(data) {
    var role = $("role");
    role.textContent = t("role", { role: data.role });
    role.hidden = false;
    renderWarnings(data);
    renderContext(data);
    renderFields(data);
    var count = data.fields.reduce(function (n, f) { return n + f.findings.length; }, 0);
    say(t("loaded", { count: count }));
    if (window.DatavagtSecure) window.DatavagtSecure(api, t, { vendor: state.vendor, id: state.ticket });
  }

  function renderWarnings(data) {
    var list = $("warning-list");
    list.textContent = "";
    if (data.restricted) list.appendChild(el("li", { "data-code": "restricted" }, t("restricted")));
    data.warnings.forEach(function (w) {
      var text = t("w_" + w.code, {
        categories: (w.categories || []).map(function (c) { return t("c_" + c); }).join(", "),
        fields: (w.fields || []).map(fieldLabel).join(", ")
      });
      if (w.code === "special_category" && !w.explicit_consent) text += " " + t("w_special_no_consent");
      list.appendChild(el("li", { "data-code": w.code }, text));
    });
    $("warnings").hidden = list.children.length === 0;
  }

  function addRow(list, term, value, code) {
    list.appendChild(el("dt", {}, term));
    list.appendChild(el("dd", { "data-item": code }, value));
  }

  function renderContext(data) {
    var list = $("context-list");
    list.textContent = "";
    var purpose = data.purpose;
    addRow(list, t("purpose"), purpose ? purpose.name : t("none"), "purpose");
    addRow(list, t("legal_basis"), purpose ? t("lb_" + purpose.legal_basis) : t("none"), "legal_basis");
    var retention = data.retention || {};
    var parts = [];
    if (retention.due_at) parts.push(t("retention_due", { date: fmtDate(retention.due_at) }));
    else parts.push(t("retention_open"));
    if (retention.rule) parts.push(t("retention_rule", { days: retention.rule.days, from: t("f_from_" + retention.rule.from) }));
    addRow(list, t("retention"), parts.join(" · "), "retention");
    var consent = data.consent || {};
    var text = t("consent_none");
    if (consent.status === "given") text = t(consent.explicit ? "consent_explicit" : "consent_given", { date: fmtDate(consent.given_at) });
    if (consent.status === "withdrawn") text = t("consent_withdrawn", { date: fmtDate(consent.withdrawn_at) });
    addRow(list, t("consent"), text, "consent");
    $("context").hidden = false;
  }

  function renderFields(data) {
    var container = $("field-list");
    container.textContent = "";
    data.fields.forEach(function (field) {
      var group = el("section", { "class": "field", "aria-label": fieldLabel(field.name), "data-field": field.name });
      group.appendChild(el("h3", {}, fieldLabel(field.name)));
      var list = el("ul", { "class": "findings" });
      field.findings.forEach(function (f) { list.appendChild(findingItem(field.name, f)); });
      group.appendChild(list);
      container.appendChild(group);
    });
    $("fields").hidden = false;
  }

  function findingItem(fieldName, f) {
    var item = el("li", { "class": "finding level-" + f.level, "data-finding": String(f.id), "data-category": f.category, "data-level": f.level });
    var label = t("c_" + f.category) + (f.type ? " · " + typeLabel(f.type) : "");
    item.appendChild(el("span", { "class": "label" }, label));
    item.appendChild(el("code", { "class": "value" }, f.display));
    item.appendChild(el("span", { "class": "level" }, t("level_" + f.level)));
    // Only what the API says the role may reveal (with a reason) gets a button; the server
    // still decides (a restriction set since loading is refused, audited and explained).
    if (f.revealable === true) {
      var button = el("button", { type: "button", "class": "reveal", "aria-label": t("reveal_button", { type: typeLabel(f.type || f.category) }) + " – " + fieldLabel(fieldName) }, t("reveal"));
      button.addEventListener("click", function () { openDialog(fieldName, f, button); });
      item.appendChild(button);
    }
    return item;
  }

  function openDialog(fieldName, f, button) {
    state.pending = { field: fieldName, finding: f, button: button };
    $("reveal-desc").textContent = t("reveal_of", { type: typeLabel(f.type || ""), category: t("c_" + f.category), field: fieldLabel(fieldName) });
    $("reveal-reason").value = "";
    $("reveal-error").textContent = "";
    $("reveal-reason").removeAttribute("aria-invalid");
    $("reveal-dialog").showModal();
    $("reveal-reason").focus();
  }

  function closeDialog() {
    var pending = state.pending;
    $("reveal-dialog").close();
    if (pending && pending.button && document.body.contains(pending.button)) pending.button.focus();
  }

  function submitReveal(event) {
    event.preventDefault();
    var pending = state.pending;
    var reason = $("reveal-reason").value.trim();
    if (reason.length < MIN_REASON) {
      $("reveal-error").textContent = t("reason_short", { min: MIN_REASON });
      $("reveal-reason").setAttribute("aria-invalid", "true");
      $("reveal-reason").focus();
      return;
    }
    $("reveal-submit").disabled = true;
    api("POST", ticketPath() + "/reveal", { field: pending.field, finding: pending.finding.id, reason: reason })
      .then(function (res) {
        $("reveal-submit").disabled = false;
        closeDialog();
        if (res.status === 200) {
          var item = document.querySelector('[data-finding="' + String(pending.finding.id) + '"]');
          item.querySelector(".value").textContent = res.body.value;
          item.classList.add("revealed");
          var button = item.querySelector(".reveal");
          if (button) button.remove();
          item.querySelector(".level").textContent = t("level_clear");
          alertText("");
          say(t("revealed"));
          item.querySelector(".value").setAttribute("tabindex", "-1");
          item.querySelector(".value").focus();
        } else {
          alertText(errorText(res));
        }
      }, function () { $("reveal-submit").disabled = false; closeDialog(); alertText(t("failed")); });
  }

  function takeToken(token) {
    if (typeof token !== "string" || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return false;
    state.token = token;
    return true;
  }

  function fromFragment() {
    var hash = new URLSearchParams(window.location.hash.slice(1));
    var token = hash.get("token");
    if (token) {
      // Drop the fragment at once so the token is not left in history or copied links.
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    return takeToken(token);
  }

  function listen() {
    window.addEventListener("message", function (event) {
      // Only the page that embeds us may hand over a token.
      if (event.source !== window.parent || window.parent === window) return;
      var data = event.data || {};
      if (data.type !== "datavagt:token" || !takeToken(data.token)) return;
      if (data.vendor) state.vendor = String(data.vendor);
      if (data.ticket) state.ticket = String(data.ticket);
      if (data.lang && dict[data.lang]) { lang = data.lang; translateStatic(); }
      load();
    });
  }

  translateStatic();
  $("reveal-form").addEventListener("submit", submitReveal);
  $("reveal-cancel").addEventListener("click", closeDialog);
  listen();
  if (fromFragment()) {
    load();
  } else {
    say(t("waiting"));
    if (window.parent !== window) window.parent.postMessage({ type: "datavagt:ready" }, "*");
  }
})();
