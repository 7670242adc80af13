/* Freshdesk ticket-sidebar app. Datavagt learns who the agent is from Freshdesk itself: the
   app sends the agent's own Freshdesk API key, and Datavagt asks Freshdesk's View Me
   (GET /api/v2/agents/me) whose key it is. The request template adds the installation
   secret on Freshdesk's servers (the browser never sees it). The key is asked for once and
   kept in this browser only; a refused key is forgotten and asked for again. */
"use strict";

var KEY_STORE = "datavagt.freshdesk.agent_key";

function lang(user) {
  return user && user.contact && /^da/i.test(user.contact.language || "") ? "da" : "en";
}

function askKey(language) {
  var form = document.getElementById("datavagt-key");
  var input = document.getElementById("datavagt-key-input");
  if (language === "da") {
    document.getElementById("datavagt-key-label").textContent =
      "Din Freshdesk API-nøgle (Profilindstillinger → Vis API-nøgle), én gang på denne computer:";
  }
  form.hidden = false;
  return new Promise(function (resolve) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.hidden = true;
      resolve(input.value.trim());
      input.value = "";
    }, { once: true });
  });
}

async function start(client) {
  var status = document.getElementById("datavagt-status");
  try {
    var user = (await client.data.get("loggedInUser")).loggedInUser;
    var ticket = (await client.data.get("ticket")).ticket;
    var host = (await client.iparams.get("datavagt_host")).datavagt_host;
    var key = window.localStorage.getItem(KEY_STORE) || (await askKey(lang(user)));
    var body = {
      agent_id: String(user.id), // must match the key's owner at Freshdesk
      agent_key: key,
      ticket_id: String(ticket.id) // the token is bound to this ticket
    };
    var answer;
    try {
      answer = await client.request.invokeTemplate("datavagtExchange", { body: JSON.stringify(body) });
    } catch (error) {
      if (error.status === 401) window.localStorage.removeItem(KEY_STORE);
      throw error;
    }
    window.localStorage.setItem(KEY_STORE, key);
    var token = JSON.parse(answer.response).token;
    var frame = document.getElementById("datavagt");
    var query = new URLSearchParams({ vendor: "freshdesk", ticket: String(ticket.id), lang: lang(user) });
    frame.src = "https://" + host + "/widget/?" + query.toString() + "#token=" + encodeURIComponent(token);
    frame.hidden = false;
    status.textContent = "";
  } catch (error) {
    // 401: the key, the secret or the agent's role was refused; details stay in Datavagt's logs.
    status.textContent = "Datavagt is not available for your user (" + (error.status || "error") + ").";
  }
}

document.addEventListener("DOMContentLoaded", function () {
  app.initialized().then(function (client) {
    client.events.on("app.activated", function () { start(client); });
  });
});
